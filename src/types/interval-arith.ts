/**
 * Interval arithmetic with PostgreSQL's semantics: + - unary minus, * and / by a number (fractions
 * cascade months -> days -> time like interval_mul/interval_div), justify_days/hours/interval,
 * make_interval, and the µs/seconds conversions used by EXTRACT(epoch ...).
 *
 * Every result goes through makeIntervalChecked, so overflow raises 'interval out of range' (22008).
 */
import { DbError } from '../errors/index.ts';
import {
  DAYS_PER_MONTH, SECS_PER_DAY, USECS_PER_DAY, USECS_PER_SEC,
} from './datetime-core.ts';
import { Interval, makeIntervalChecked } from './interval.ts';

export function intervalAdd(a: Interval, b: Interval): Interval {
  return makeIntervalChecked(a.months + b.months, a.days + b.days, a.micros + b.micros);
}

export function intervalSub(a: Interval, b: Interval): Interval {
  return makeIntervalChecked(a.months - b.months, a.days - b.days, a.micros - b.micros);
}

export function intervalNegate(a: Interval): Interval {
  return makeIntervalChecked(-a.months, -a.days, -a.micros);
}

/** TSROUND: rounds to µs precision of seconds, damping float noise as PostgreSQL does. */
function tsRound(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Rounds half to even, like C's rint in the default rounding mode. */
function rint(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Shared tail of interval_mul / interval_div once the month/day products are known. */
function cascade(monthsExact: number, daysExact: number, timeExact: number): Interval {
  if (!Number.isFinite(monthsExact) || !Number.isFinite(daysExact) || !Number.isFinite(timeExact)) {
    throw new DbError('datetime_field_overflow', 'interval out of range');
  }
  const months = Math.trunc(monthsExact);
  let days = Math.trunc(daysExact);
  const monthRemainderDays = tsRound((monthsExact - months) * DAYS_PER_MONTH);
  let secRemainder = tsRound((daysExact - days + monthRemainderDays -
    Math.trunc(monthRemainderDays)) * SECS_PER_DAY);
  if (Math.abs(secRemainder) >= SECS_PER_DAY) {
    const extra = Math.trunc(secRemainder / SECS_PER_DAY);
    days += extra;
    secRemainder -= extra * SECS_PER_DAY;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rint(timeExact + secRemainder * USECS_PER_SEC);
  return makeIntervalChecked(months, days, micros);
}

/** interval * factor (interval_mul). */
export function intervalMul(a: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw new DbError('datetime_field_overflow', 'interval out of range');
  return cascade(a.months * factor, a.days * factor, a.micros * factor);
}

/** interval / factor (interval_div); division by zero raises 22012. */
export function intervalDiv(a: Interval, factor: number): Interval {
  if (factor === 0) throw new DbError('division_by_zero', 'division by zero');
  if (Number.isNaN(factor)) throw new DbError('datetime_field_overflow', 'interval out of range');
  return cascade(a.months / factor, a.days / factor, a.micros / factor);
}

/** justify_days: 30-day groups become months, signs made consistent. */
export function justifyDays(a: Interval): Interval {
  let months = a.months;
  let days = a.days;
  const whole = Math.trunc(days / DAYS_PER_MONTH);
  days -= whole * DAYS_PER_MONTH;
  months += whole;
  if (months > 0 && days < 0) { days += DAYS_PER_MONTH; months--; }
  else if (months < 0 && days > 0) { days -= DAYS_PER_MONTH; months++; }
  return makeIntervalChecked(months, days, a.micros);
}

/** justify_hours: 24-hour groups become days, signs made consistent. */
export function justifyHours(a: Interval): Interval {
  let days = a.days;
  let micros = a.micros;
  const whole = Math.trunc(micros / USECS_PER_DAY);
  micros -= whole * USECS_PER_DAY;
  days += whole;
  if (days > 0 && micros < 0) { micros += USECS_PER_DAY; days--; }
  else if (days < 0 && micros > 0) { micros -= USECS_PER_DAY; days++; }
  return makeIntervalChecked(a.months, days, micros);
}

/** justify_interval: both justifications with one consistent sign (interval_justify_interval). */
export function justifyInterval(a: Interval): Interval {
  let months = a.months;
  let days = a.days;
  let micros = a.micros;
  if ((days > 0 && micros > 0) || (days < 0 && micros < 0)) {
    const wm = Math.trunc(days / DAYS_PER_MONTH);
    days -= wm * DAYS_PER_MONTH;
    months += wm;
  }
  const wd = Math.trunc(micros / USECS_PER_DAY);
  micros -= wd * USECS_PER_DAY;
  days += wd;
  const wm = Math.trunc(days / DAYS_PER_MONTH);
  days -= wm * DAYS_PER_MONTH;
  months += wm;
  if (months > 0 && (days < 0 || (days === 0 && micros < 0))) { days += DAYS_PER_MONTH; months--; }
  else if (months < 0 && (days > 0 || (days === 0 && micros > 0))) {
    days -= DAYS_PER_MONTH;
    months++;
  }
  if (days > 0 && micros < 0) { micros += USECS_PER_DAY; days--; }
  else if (days < 0 && micros > 0) { micros -= USECS_PER_DAY; days++; }
  return makeIntervalChecked(months, days, micros);
}

/** make_interval(years, months, weeks, days, hours, mins, secs). */
export function makeInterval(years = 0, months = 0, weeks = 0, days = 0, hours = 0, mins = 0,
  secs = 0): Interval {
  const micros = Math.round((hours * 3600 + mins * 60) * USECS_PER_SEC + secs * USECS_PER_SEC);
  if (!Number.isFinite(micros)) throw new DbError('datetime_field_overflow', 'interval out of range');
  return makeIntervalChecked(years * 12 + months, weeks * 7 + days, micros);
}

/** EXTRACT(epoch FROM interval) in seconds: years are 365.25 days, months 30 days. */
export function intervalEpochSeconds(a: Interval): number {
  const years = Math.trunc(a.months / 12);
  const months = a.months % 12;
  const dayish = 365.25 * years + DAYS_PER_MONTH * months + a.days;
  return (dayish * SECS_PER_DAY * USECS_PER_SEC + a.micros) / USECS_PER_SEC;
}

/** The interval as µs using EXTRACT(epoch)'s conversion (365.25-day years, 30-day months). */
export function intervalToMicros(a: Interval): number {
  return Math.round(intervalEpochSeconds(a) * USECS_PER_SEC);
}

/** Interval of `micros` only, normalized into days/time like PostgreSQL's interval_justify_hours. */
export function microsToJustifiedInterval(micros: number): Interval {
  return justifyHours(makeIntervalChecked(0, 0, micros));
}
