/**
 * interval: PostgreSQL's three-field interval (months, days, micros), its input (postgres style,
 * SQL-standard fragments and ISO 8601), output (IntervalStyle postgres, postgres_verbose and
 * iso_8601), ordering and hashing.
 *
 * Representation: `Interval { months, days, micros }`, all integers. months and days are int32 as
 * in PostgreSQL; micros is an integer JS number (exact up to 2^53 µs, about 285 years, beyond
 * which low digits round). The fields are kept separate because '1 month' and '30 days' behave
 * differently in timestamp arithmetic even though they compare equal.
 *
 * Ordering (interval_cmp): by the span months*30 days + days*24 h + micros, so '1 mon' = '30 days'
 * and '1 day' = '24:00:00'. `intervalHashKey` is the decimal span, consistent with that equality.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  pad, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
} from './datetime-core.ts';
import { fractionMicros } from './datetime-parse.ts';

export class Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;

  constructor(months: number, days: number, micros: number) {
    this.months = months;
    this.days = days;
    this.micros = micros;
  }
}

export const INT32_MAX = 2147483647;
export const INT32_MIN = -2147483648;
/** PostgreSQL keeps micros in an int64; as a double the bound is approximate (see header). */
const MICROS_LIMIT = 9.223372036854776e18;

/** Builds an Interval, raising 'interval out of range' (22008) when a field overflows. */
export function makeIntervalChecked(months: number, days: number, micros: number): Interval {
  if (!(months >= INT32_MIN && months <= INT32_MAX) || !(days >= INT32_MIN && days <= INT32_MAX) ||
    !(Math.abs(micros) < MICROS_LIMIT)) {
    throw new DbError('datetime_field_overflow', 'interval out of range');
  }
  // Normalize -0 so that equal intervals print and hash identically.
  return new Interval(months + 0, days + 0, micros + 0);
}

const MONTH_MICROS = 30 * USECS_PER_DAY;

/** The span in µs used for ordering: a number when exact, else a bigint. */
export function intervalSpan(v: Interval): number | bigint {
  const m = v.months * MONTH_MICROS;
  const d = v.days * USECS_PER_DAY;
  const md = m + d;
  const t = md + v.micros;
  if (Number.isSafeInteger(m) && Number.isSafeInteger(md) && Number.isSafeInteger(t)) return t;
  return BigInt(v.months) * BigInt(MONTH_MICROS) + BigInt(v.days) * BigInt(USECS_PER_DAY) +
    BigInt(Math.round(v.micros));
}

export function compareInterval(a: Interval, b: Interval): number {
  const x = intervalSpan(a);
  const y = intervalSpan(b);
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  const bx = BigInt(x);
  const by = BigInt(y);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

/** Equal (by compareInterval) intervals have equal keys. */
export function intervalHashKey(v: Interval): string {
  return String(intervalSpan(v));
}

// ---------------------------------------------------------------------------------------------
// Output

/** Time fields of the micros part, each carrying the sign of micros (C truncation semantics). */
function timeParts(micros: number): [number, number, number, number] {
  const hour = Math.trunc(micros / USECS_PER_HOUR);
  let rem = micros - hour * USECS_PER_HOUR;
  const minute = Math.trunc(rem / USECS_PER_MINUTE);
  rem -= minute * USECS_PER_MINUTE;
  const second = Math.trunc(rem / USECS_PER_SEC);
  return [hour, minute, second, rem - second * USECS_PER_SEC];
}

/** Seconds with a trimmed fraction; `fill` pads the integer part to two digits. */
function secondsText(sec: number, fsec: number, fill: boolean): string {
  const s = fill ? pad(Math.abs(sec), 2) : String(Math.abs(sec));
  if (fsec === 0) return s;
  return s + '.' + pad(Math.abs(fsec), 6).replace(/0+$/, '');
}

export function formatInterval(v: Interval, ctx: TypeContext): string {
  switch (ctx.intervalStyle) {
    case 'iso_8601': return formatIso(v);
    case 'postgres_verbose': return formatVerbose(v);
    default: return formatPostgres(v);
  }
}

/** IntervalStyle postgres: '1 year 2 mons 3 days 04:05:06.789', '-1 days +02:00:00'. */
export function formatPostgres(v: Interval): string {
  const year = Math.trunc(v.months / 12);
  const mon = v.months % 12;
  const [hour, minute, second, fsec] = timeParts(v.micros);
  let out = '';
  let isZero = true;
  let isBefore = false;
  const part = (value: number, unit: string): void => {
    if (value === 0) return;
    out += `${isZero ? '' : ' '}${isBefore && value > 0 ? '+' : ''}${value} ${unit}` +
      (value !== 1 ? 's' : '');
    isBefore = value < 0;
    isZero = false;
  };
  part(year, 'year');
  part(mon, 'mon');
  part(v.days, 'day');
  if (isZero || hour !== 0 || minute !== 0 || second !== 0 || fsec !== 0) {
    const minus = hour < 0 || minute < 0 || second < 0 || fsec < 0;
    out += `${isZero ? '' : ' '}${minus ? '-' : isBefore ? '+' : ''}${pad(Math.abs(hour), 2)}:` +
      `${pad(Math.abs(minute), 2)}:${secondsText(second, fsec, true)}`;
  }
  return out;
}

/** IntervalStyle iso_8601: 'P1Y2M3DT4H5M6.789S', 'PT0S'. */
export function formatIso(v: Interval): string {
  const year = Math.trunc(v.months / 12);
  const mon = v.months % 12;
  const [hour, minute, second, fsec] = timeParts(v.micros);
  if (v.months === 0 && v.days === 0 && v.micros === 0) return 'PT0S';
  let out = 'P';
  if (year !== 0) out += `${year}Y`;
  if (mon !== 0) out += `${mon}M`;
  if (v.days !== 0) out += `${v.days}D`;
  if (v.micros !== 0) {
    out += 'T';
    if (hour !== 0) out += `${hour}H`;
    if (minute !== 0) out += `${minute}M`;
    if (second !== 0 || fsec !== 0) {
      out += (second < 0 || fsec < 0 ? '-' : '') + secondsText(second, fsec, false) + 'S';
    }
  }
  return out;
}

/** IntervalStyle postgres_verbose: '@ 1 year 2 mons 3 days 4 hours 5 mins 6.789 secs ago'. */
export function formatVerbose(v: Interval): string {
  const [hour, minute, second, fsec] = timeParts(v.micros);
  let out = '@';
  let isZero = true;
  let isBefore = false;
  const part = (raw: number, unit: string): void => {
    if (raw === 0) return;
    let value = raw;
    if (isZero) {
      isBefore = value < 0;
      value = Math.abs(value);
    } else if (isBefore) {
      value = -value;
    }
    out += ` ${value} ${unit}${value === 1 ? '' : 's'}`;
    isZero = false;
  };
  part(Math.trunc(v.months / 12), 'year');
  part(v.months % 12, 'mon');
  part(v.days, 'day');
  part(hour, 'hour');
  part(minute, 'min');
  if (second !== 0 || fsec !== 0) {
    let sign = '';
    if (second < 0 || (second === 0 && fsec < 0)) {
      if (isZero) isBefore = true;
      else if (!isBefore) sign = '-';
    } else if (isBefore) {
      sign = '-';
    }
    out += ` ${sign}${secondsText(second, fsec, false)} sec` +
      (Math.abs(second) !== 1 || fsec !== 0 ? 's' : '');
    isZero = false;
  }
  if (isZero) out += ' 0';
  if (isBefore) out += ' ago';
  return out;
}

// ---------------------------------------------------------------------------------------------
// Input

type UnitKind = 'microsecond' | 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' |
  'month' | 'year' | 'decade' | 'century' | 'millennium';

const UNITS: ReadonlyMap<string, UnitKind> = new Map<string, UnitKind>([
  ...['us', 'usec', 'usecs', 'useconds', 'microsecon', 'microsecond', 'microseconds']
    .map((u) => [u, 'microsecond'] as const),
  ...['ms', 'msec', 'msecs', 'mseconds', 'millisecon', 'millisecond', 'milliseconds']
    .map((u) => [u, 'millisecond'] as const),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((u) => [u, 'second'] as const),
  ...['m', 'min', 'mins', 'minute', 'minutes'].map((u) => [u, 'minute'] as const),
  ...['h', 'hr', 'hrs', 'hour', 'hours'].map((u) => [u, 'hour'] as const),
  ...['d', 'day', 'days'].map((u) => [u, 'day'] as const),
  ...['w', 'week', 'weeks'].map((u) => [u, 'week'] as const),
  ...['mon', 'mons', 'month', 'months'].map((u) => [u, 'month'] as const),
  ...['y', 'yr', 'yrs', 'year', 'years'].map((u) => [u, 'year'] as const),
  ...['dec', 'decs', 'decade', 'decades'].map((u) => [u, 'decade'] as const),
  ...['c', 'cent', 'century', 'centuries'].map((u) => [u, 'century'] as const),
  ...['mil', 'mils', 'millennia', 'millennium'].map((u) => [u, 'millennium'] as const),
]);

/** Resolves a unit name or abbreviation (also used by date_trunc / extract). */
export function intervalUnit(name: string): UnitKind | undefined {
  return UNITS.get(name.toLowerCase());
}

class ParseErr extends Error {}

/** Accumulator with PostgreSQL's fractional spill rules (AdjustFractDays/Microseconds). */
class Acc {
  months = 0;
  days = 0;
  micros = 0;

  fractMicros(frac: number, scale: number): void {
    if (frac === 0) return;
    const x = frac * scale;
    let us = Math.trunc(x);
    if (Math.abs(x - us) >= 0.5) us += x > 0 ? 1 : -1;
    this.micros += us;
  }

  fractDays(frac: number, scale: number): void {
    if (frac === 0) return;
    const x = frac * scale;
    const d = Math.trunc(x);
    this.days += d;
    this.fractMicros(x - d, USECS_PER_DAY);
  }

  add(unit: UnitKind, val: number, frac: number): void {
    switch (unit) {
      case 'microsecond': this.micros += Math.round(val + frac); break;
      case 'millisecond': this.micros += val * 1000 + Math.round(frac * 1000); break;
      case 'second': this.micros += val * USECS_PER_SEC + Math.round(frac * USECS_PER_SEC); break;
      case 'minute':
        this.micros += val * USECS_PER_MINUTE;
        this.fractMicros(frac, USECS_PER_MINUTE);
        break;
      case 'hour':
        this.micros += val * USECS_PER_HOUR;
        this.fractMicros(frac, USECS_PER_HOUR);
        break;
      case 'day': this.days += val; this.fractMicros(frac, USECS_PER_DAY); break;
      case 'week': this.days += val * 7; this.fractDays(frac, 7); break;
      case 'month': this.months += val; this.fractDays(frac, 30); break;
      case 'year': this.months += val * 12 + Math.round(frac * 12); break;
      case 'decade': this.months += val * 120 + Math.round(frac * 120); break;
      case 'century': this.months += val * 1200 + Math.round(frac * 1200); break;
      case 'millennium': this.months += val * 12000 + Math.round(frac * 12000); break;
    }
  }
}

/** Splits '-1.5' into integer part and signed fraction. */
function splitNumber(text: string): [number, number] {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new ParseErr();
  const sign = m[1] === '-' ? -1 : 1;
  const whole = Number(m[2] === '' ? '0' : m[2]);
  const frac = m[3] !== undefined && m[3] !== '' ? Number('0.' + m[3]) : 0;
  return [sign * whole, sign * frac];
}

/** 'h:m', 'h:m:s[.f]', 'm:s.f' with optional sign -> µs. */
function timeFieldMicros(text: string): number {
  const m = /^([+-]?)(\d+):(\d+)(?::(\d+))?(?:\.(\d*))?$/.exec(text);
  if (m === null) throw new ParseErr();
  const sign = m[1] === '-' ? -1 : 1;
  let us: number;
  if (m[4] === undefined && m[5] !== undefined) {
    // 'mm:ss.fff' is MINUTE TO SECOND, as in PostgreSQL's DecodeTime.
    if (Number(m[3]) > 59) throw new ParseErr();
    us = Number(m[2]) * USECS_PER_MINUTE + Number(m[3]) * USECS_PER_SEC + fractionMicros(m[5]);
  } else {
    if (Number(m[3]) > 59 || Number(m[4] ?? 0) > 60) throw new ParseErr();
    us = Number(m[2]) * USECS_PER_HOUR + Number(m[3]) * USECS_PER_MINUTE +
      Number(m[4] ?? 0) * USECS_PER_SEC + fractionMicros(m[5] ?? '');
  }
  return sign * us;
}

const TOKEN_RE =
  /\s*(@|[+-]?\d+:\d+(?::\d+)?(?:\.\d*)?|[+-]?\d+-\d+|[+-]?(?:\d+(?:\.\d*)?|\.\d+)|[a-z]+)\s*/y;

function tokenize(s: string): string[] {
  const out: string[] = [];
  TOKEN_RE.lastIndex = 0;
  while (TOKEN_RE.lastIndex < s.length) {
    const start = TOKEN_RE.lastIndex;
    const m = TOKEN_RE.exec(s);
    if (m === null || TOKEN_RE.lastIndex === start) throw new ParseErr();
    out.push(m[1] as string);
  }
  return out;
}

const isNumberTok = (t: string): boolean => /^[+-]?(\d|\.\d)/.test(t) && !/[:-]/.test(t.slice(1));
const isTimeTok = (t: string): boolean => t.includes(':');
const isYearMonthTok = (t: string): boolean => /^[+-]?\d+-\d+$/.test(t);

function parsePostgres(s: string): Acc {
  // PostgreSQL's ParseDateTime soaks up whitespace after a sign: '1 month - 1 day' is 1 month -1 day.
  const toks = tokenize(s.replace(/([+-])\s+/g, '$1'));
  const acc = new Acc();
  const seen = new Set<string>();
  const mark = (what: string): void => {
    if (seen.has(what)) throw new ParseErr();
    seen.add(what);
  };
  let ago = false;
  let any = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (t === '@') { if (i !== 0) throw new ParseErr(); continue; }
    if (ago) throw new ParseErr();
    any = true;
    if (t === 'ago') { ago = true; continue; }
    if (isTimeTok(t)) { mark('time'); acc.micros += timeFieldMicros(t); continue; }
    if (isYearMonthTok(t)) {
      mark('year-month');
      const neg = t.startsWith('-');
      const [y, m] = t.replace(/^[+-]/, '').split('-').map(Number) as [number, number];
      if (m > 11) throw new ParseErr();
      acc.months += (neg ? -1 : 1) * (y * 12 + m);
      continue;
    }
    if (!isNumberTok(t)) throw new ParseErr();
    const [val, frac] = splitNumber(t);
    const next = toks[i + 1];
    const unit = next !== undefined ? UNITS.get(next) : undefined;
    if (unit !== undefined) {
      mark(unit);
      acc.add(unit, val, frac);
      i++;
    } else if (next !== undefined && isTimeTok(next)) {
      mark('day');
      acc.add('day', val, frac);
    } else if (next === undefined || next === 'ago') {
      mark('second');
      acc.add('second', val, frac);
    } else {
      throw new ParseErr();
    }
  }
  if (!any) throw new ParseErr();
  if (ago) {
    acc.months = -acc.months;
    acc.days = -acc.days;
    acc.micros = -acc.micros;
  }
  return acc;
}

const ISO_DATE_UNITS: Record<string, UnitKind> = { y: 'year', m: 'month', w: 'week', d: 'day' };
const ISO_TIME_UNITS: Record<string, UnitKind> = { h: 'hour', m: 'minute', s: 'second' };

/** ISO 8601 'P1Y2M3DT4H5M6.5S', 'PT1H', 'P1W' (format with designators). */
function parseIso(s: string): Acc {
  const acc = new Acc();
  const re = /([+-]?(?:\d+(?:\.\d*)?|\.\d+))([a-z])|(t)/y;
  re.lastIndex = 1;
  let inTime = false;
  let any = false;
  while (re.lastIndex < s.length) {
    const m = re.exec(s);
    if (m === null) throw new ParseErr();
    if (m[3] !== undefined) {
      if (inTime) throw new ParseErr();
      inTime = true;
      continue;
    }
    const unit = (inTime ? ISO_TIME_UNITS : ISO_DATE_UNITS)[m[2] as string];
    if (unit === undefined) throw new ParseErr();
    const [val, frac] = splitNumber(m[1] as string);
    acc.add(unit, val, frac);
    any = true;
  }
  if (!any) throw new ParseErr();
  return acc;
}

export function parseInterval(s: string): Interval {
  const text = s.trim().toLowerCase();
  let acc: Acc;
  try {
    if (text === '') throw new ParseErr();
    acc = text.startsWith('p') ? parseIso(text) : parsePostgres(text);
  } catch (e) {
    if (e instanceof ParseErr) {
      throw new DbError('invalid_datetime_format', `invalid input syntax for type interval: "${s}"`);
    }
    throw e;
  }
  if (!(Math.abs(acc.months) <= INT32_MAX && Math.abs(acc.days) <= INT32_MAX &&
    Math.abs(acc.micros) < MICROS_LIMIT)) {
    throw new DbError('interval_field_overflow', `interval field value out of range: "${s}"`);
  }
  return new Interval(acc.months + 0, acc.days + 0, acc.micros + 0);
}
