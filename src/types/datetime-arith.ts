/**
 * Date/time arithmetic with PostgreSQL's semantics, for the executor's operators and the function
 * library: timestamp(tz) +/- interval, timestamp - timestamp, date +/- integer, date - date,
 * date +/- interval, time +/- interval, time - time, age(), make_date/make_time/make_timestamp(tz),
 * and AT TIME ZONE.
 *
 * Adding an interval applies months first (clamping the day to the end of the month:
 * '2024-01-31' + '1 month' = '2024-02-29'), then days, then micros. For timestamptz the month and
 * day steps happen on the wall clock of the session zone and the result is re-resolved with the
 * DST rules of localToUtc, exactly like timestamptz_pl_interval; the micros step is absolute time.
 * Infinite timestamps stay infinite; finite results outside the range raise 22008.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  checkDate, checkTimestamp, DateTimeFields, daysFromCivil, daysInMonth, fieldsToTimestamp,
  isLeapYear, isValidDate, isValidTimestamp, pad, timestampToFields, USECS_PER_DAY, USECS_PER_SEC,
} from './datetime-core.ts';
import { dateToTimestamp } from './datetime-format.ts';
import { Interval, makeIntervalChecked } from './interval.ts';
import { intervalNegate, microsToJustifiedInterval } from './interval-arith.ts';
import { contextZone, localToUtc, utcToLocal, zoneOrThrow, type Zone } from './timezone.ts';

const scratch = new DateTimeFields();

/** Adds `months` to a wall-clock µs value, clamping the day to the month's length. */
function addMonthsLocal(local: number, months: number): number {
  const f = timestampToFields(local, scratch);
  const total = f.year * 12 + (f.month - 1) + months;
  f.year = Math.floor(total / 12);
  f.month = total - f.year * 12 + 1;
  f.day = Math.min(f.day, daysInMonth(f.year, f.month));
  return fieldsToTimestamp(f);
}

/** timestamp (without time zone) + interval. */
export function timestampPlusInterval(us: number, iv: Interval): number {
  if (!Number.isFinite(us)) return us;
  let t = us;
  if (iv.months !== 0) t = checkTimestamp(addMonthsLocal(t, iv.months));
  if (iv.days !== 0) t = checkTimestamp(t + iv.days * USECS_PER_DAY);
  return checkTimestamp(t + iv.micros);
}

/** timestamptz + interval: months and days on the session zone's wall clock. */
export function timestamptzPlusInterval(us: number, iv: Interval, ctx: TypeContext): number {
  if (!Number.isFinite(us)) return us;
  const zone = contextZone(ctx);
  let t = us;
  if (iv.months !== 0) {
    t = localToUtc(zone, checkTimestamp(addMonthsLocal(utcToLocal(zone, t), iv.months)));
  }
  if (iv.days !== 0) {
    t = localToUtc(zone, checkTimestamp(utcToLocal(zone, t) + iv.days * USECS_PER_DAY));
  }
  return checkTimestamp(t + iv.micros);
}

/** timestamp + interval; with `ctx` the value is a timestamptz and the session zone applies. */
export function addIntervalToTimestamp(us: number, iv: Interval, ctx?: TypeContext): number {
  return ctx === undefined ? timestampPlusInterval(us, iv) : timestamptzPlusInterval(us, iv, ctx);
}

/** timestamp - interval (timestamptz when `ctx` is given). */
export function subtractIntervalFromTimestamp(us: number, iv: Interval, ctx?: TypeContext): number {
  return addIntervalToTimestamp(us, intervalNegate(iv), ctx);
}

/** timestamp - timestamp (either kind): days + time via justify_hours, never months. */
export function subtractTimestamps(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new DbError('datetime_field_overflow', 'cannot subtract infinite timestamps');
  }
  return microsToJustifiedInterval(a - b);
}

/** date + integer days. */
export function datePlusDays(d: number, n: number): number {
  if (!Number.isFinite(d)) return d;
  return checkDate(d + n);
}

/** date - integer days. */
export function dateMinusDays(d: number, n: number): number {
  return datePlusDays(d, -n);
}

/** date - date -> integer days. */
export function dateMinusDate(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new DbError('datetime_field_overflow', 'cannot subtract infinite dates');
  }
  return a - b;
}

/** date + interval -> timestamp. */
export function datePlusInterval(d: number, iv: Interval): number {
  return timestampPlusInterval(dateToTimestamp(d), iv);
}

/** date - interval -> timestamp. */
export function dateMinusInterval(d: number, iv: Interval): number {
  return timestampPlusInterval(dateToTimestamp(d), intervalNegate(iv));
}

/** date + time -> timestamp. */
export function datePlusTime(d: number, t: number): number {
  if (!Number.isFinite(d)) return d;
  return checkTimestamp(d * USECS_PER_DAY + t);
}

/** time + interval: only the time part counts, wrapping around midnight (time_pl_interval). */
export function timePlusInterval(t: number, iv: Interval): number {
  let r = (t + iv.micros) % USECS_PER_DAY;
  if (r < 0) r += USECS_PER_DAY;
  return r + 0;
}

export function timeMinusInterval(t: number, iv: Interval): number {
  return timePlusInterval(t, new Interval(0, 0, -iv.micros));
}

/** time - time -> interval (micros only). */
export function timeMinusTime(a: number, b: number): Interval {
  return makeIntervalChecked(0, 0, a - b);
}

/**
 * age(a, b): the symbolic difference in years/months/days/time, borrowing from the month of the
 * earlier value like PostgreSQL's timestamp_age. With `ctx` both are timestamptz and their fields
 * are taken in the session zone.
 */
export function age(a: number, b: number, ctx?: TypeContext): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new DbError('datetime_field_overflow', 'timestamp out of range');
  }
  const zone = ctx === undefined ? null : contextZone(ctx);
  const f1 = timestampToFields(zone === null ? a : utcToLocal(zone, a));
  const f2 = timestampToFields(zone === null ? b : utcToLocal(zone, b));
  const neg = a < b;
  const s = neg ? -1 : 1;
  let fsec = s * (f1.micros - f2.micros);
  let sec = s * (f1.second - f2.second);
  let min = s * (f1.minute - f2.minute);
  let hour = s * (f1.hour - f2.hour);
  let mday = s * (f1.day - f2.day);
  let mon = s * (f1.month - f2.month);
  let year = s * (f1.year - f2.year);
  while (fsec < 0) { fsec += USECS_PER_SEC; sec--; }
  while (sec < 0) { sec += 60; min--; }
  while (min < 0) { min += 60; hour--; }
  while (hour < 0) { hour += 24; mday--; }
  while (mday < 0) {
    // Borrow the length of the month of the earlier timestamp, as PostgreSQL does.
    const ref = neg ? f1 : f2;
    mday += daysInMonth(ref.year, ref.month);
    mon--;
  }
  while (mon < 0) { mon += 12; year--; }
  const micros = ((hour * 60 + min) * 60 + sec) * USECS_PER_SEC + fsec;
  return makeIntervalChecked(s * (year * 12 + mon), s * mday, s * micros);
}

function secText(sec: number): string {
  return Number.isInteger(sec) ? pad(sec, 2) : String(sec);
}

/** make_date(year, month, day); negative years are BC. */
export function makeDate(year: number, month: number, day: number): number {
  const astro = year < 0 ? year + 1 : year;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(astro, month)) {
    throw new DbError('datetime_field_overflow',
      `date field value out of range: ${year}-${pad(month, 2)}-${pad(day, 2)}`);
  }
  const d = daysFromCivil(astro, month, day);
  if (!isValidDate(d)) {
    throw new DbError('datetime_field_overflow',
      `date out of range: ${year}-${pad(month, 2)}-${pad(day, 2)}`);
  }
  return d;
}

/** make_time(hour, min, sec) -> µs since midnight. */
export function makeTime(hour: number, min: number, sec: number): number {
  if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || hour > 24 ||
    (hour === 24 && (min > 0 || sec > 0))) {
    throw new DbError('datetime_field_overflow',
      `time field value out of range: ${hour}:${pad(min, 2)}:${secText(sec)}`);
  }
  return (hour * 60 + min) * 60 * USECS_PER_SEC + Math.round(sec * USECS_PER_SEC);
}

/** make_timestamp(y, mo, d, h, mi, s); like PostgreSQL 15 the year must be positive. */
export function makeTimestamp(year: number, month: number, day: number, hour: number,
  min: number, sec: number): number {
  if (year <= 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new DbError('datetime_field_overflow',
      `date field value out of range: ${year}-${pad(month, 2)}-${pad(day, 2)}`);
  }
  const us = daysFromCivil(year, month, day) * USECS_PER_DAY + makeTime(hour, min, sec);
  if (!isValidTimestamp(us)) {
    throw new DbError('datetime_field_overflow', `timestamp out of range: ${year}-${pad(month, 2)}-` +
      `${pad(day, 2)} ${hour}:${pad(min, 2)}:${secText(sec)}`);
  }
  return us;
}

/** make_timestamptz(...): the wall clock read in `zoneName`, else the session zone. */
export function makeTimestamptz(year: number, month: number, day: number, hour: number,
  min: number, sec: number, ctx: TypeContext, zoneName?: string): number {
  const local = makeTimestamp(year, month, day, hour, min, sec);
  const zone = zoneName === undefined ? contextZone(ctx) : zoneOrThrow(zoneName);
  return checkTimestamp(localToUtc(zone, local));
}

/** timestamp AT TIME ZONE zone -> timestamptz (the wall clock read in that zone). */
export function timestampAtZone(us: number, zoneName: string): number {
  if (!Number.isFinite(us)) return us;
  return checkTimestamp(localToUtc(zoneOrThrow(zoneName), us));
}

/** timestamptz AT TIME ZONE zone -> timestamp (the wall clock in that zone). */
export function timestamptzAtZone(us: number, zoneName: string): number {
  if (!Number.isFinite(us)) return us;
  return checkTimestamp(utcToLocal(zoneOrThrow(zoneName), us));
}

/** Whether `year` is a leap year (astronomical numbering); exported for the function library. */
export function isLeap(year: number): boolean {
  return isLeapYear(year);
}

export type { Zone };
