/**
 * EXTRACT / date_part and date_trunc for date, time, timestamp, timestamptz and interval, with
 * PostgreSQL's unit names (plurals and abbreviations as in interval input) and its rules for BC
 * years (decade/century/millennium of year 0 = 1 BC), ISO weeks, and infinite inputs (±Infinity
 * for the monotonic fields epoch/year/decade/century/millennium/julian/isoyear, SQL NULL = null
 * for the rest).
 *
 * timestamptz fields are those of the wall clock in the session zone; date_trunc on timestamptz
 * truncates that wall clock and, for units of a day or more, re-resolves the offset (DST) like
 * timestamptz_trunc.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  daysFromCivil, idiv, isoDayOfWeek, isoWeekOf, isoYearOf, timestampToFields, UNIX_EPOCH_JDATE,
  USECS_PER_DAY, USECS_PER_SEC, fieldsToTimestamp, DateTimeFields,
} from './datetime-core.ts';
import { Interval, intervalUnit } from './interval.ts';
import { intervalEpochSeconds } from './interval-arith.ts';
import { Oid } from './sql-type.ts';
import { contextZone, localToUtc, utcOffsetSec, zoneOrThrow } from './timezone.ts';

type Unit = 'microseconds' | 'milliseconds' | 'second' | 'minute' | 'hour' | 'day' | 'week' |
  'month' | 'quarter' | 'year' | 'decade' | 'century' | 'millennium' | 'epoch' | 'dow' |
  'isodow' | 'doy' | 'julian' | 'timezone' | 'timezone_hour' | 'timezone_minute' | 'isoyear';

const EXTRA_UNITS: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ['epoch', 'epoch'], ['dow', 'dow'], ['isodow', 'isodow'], ['doy', 'doy'], ['qtr', 'quarter'],
  ['quarter', 'quarter'], ['julian', 'julian'], ['j', 'julian'], ['timezone', 'timezone'],
  ['timezone_h', 'timezone_hour'], ['timezone_hour', 'timezone_hour'],
  ['timezone_m', 'timezone_minute'], ['timezone_minute', 'timezone_minute'],
  ['isoyear', 'isoyear'],
]);

function unitOf(name: string): Unit | undefined {
  const lower = name.toLowerCase();
  const extra = EXTRA_UNITS.get(lower);
  if (extra !== undefined) return extra;
  const u = intervalUnit(lower);
  if (u === undefined) return undefined;
  if (u === 'microsecond') return 'microseconds';
  if (u === 'millisecond') return 'milliseconds';
  return u;
}

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [Oid.date, 'date'], [Oid.time, 'time without time zone'],
  [Oid.timestamp, 'timestamp without time zone'], [Oid.timestamptz, 'timestamp with time zone'],
  [Oid.interval, 'interval'],
]);

function typeName(oid: number): string {
  return TYPE_NAMES.get(oid) ?? 'unknown';
}

function notRecognized(name: string, oid: number): DbError {
  return new DbError('invalid_parameter_value',
    `unit "${name}" not recognized for type ${typeName(oid)}`);
}

function notSupported(name: string, oid: number): DbError {
  return new DbError('feature_not_supported',
    `unit "${name}" not supported for type ${typeName(oid)}`);
}

const MONOTONIC = new Set<Unit>(['epoch', 'year', 'decade', 'century', 'millennium', 'julian',
  'isoyear']);
const DATE_UNITS = new Set<Unit>(['day', 'week', 'month', 'quarter', 'year', 'decade', 'century',
  'millennium', 'epoch', 'dow', 'isodow', 'doy', 'julian', 'isoyear']);
const TIME_UNITS = new Set<Unit>(['microseconds', 'milliseconds', 'second', 'minute', 'hour',
  'epoch']);
const INTERVAL_UNITS = new Set<Unit>(['microseconds', 'milliseconds', 'second', 'minute', 'hour',
  'day', 'month', 'quarter', 'year', 'decade', 'century', 'millennium', 'epoch']);

/**
 * EXTRACT(field FROM value) for a value of type `typeOid` (date, time, timestamp, timestamptz,
 * interval). Returns null where PostgreSQL returns NULL (non-monotonic fields of infinity).
 */
export function extractField(field: string, value: number | Interval, typeOid: number,
  ctx: TypeContext): number | null {
  const unit = unitOf(field);
  if (unit === undefined) throw notRecognized(field, typeOid);
  if (typeOid === Oid.interval) {
    if (!INTERVAL_UNITS.has(unit)) throw notSupported(field, typeOid);
    return extractInterval(unit, value as Interval);
  }
  const v = value as number;
  if (typeOid === Oid.time) {
    if (!TIME_UNITS.has(unit)) throw notSupported(field, typeOid);
    return extractTimeOfDay(unit, v);
  }
  if (typeOid === Oid.date) {
    if (!DATE_UNITS.has(unit)) throw notSupported(field, typeOid);
    if (!Number.isFinite(v)) return MONOTONIC.has(unit) ? v : null;
    if (unit === 'epoch') return v * 86400;
    return extractTimestampFields(unit, v * USECS_PER_DAY, true);
  }
  const tz = typeOid === Oid.timestamptz;
  if (!tz && (unit === 'timezone' || unit === 'timezone_hour' || unit === 'timezone_minute')) {
    throw notSupported(field, typeOid);
  }
  if (typeOid !== Oid.timestamp && !tz) throw notRecognized(field, typeOid);
  if (!Number.isFinite(v)) return MONOTONIC.has(unit) ? v : null;
  if (unit === 'epoch') return v / USECS_PER_SEC;
  if (!tz) return extractTimestampFields(unit, v, false);
  const offset = utcOffsetSec(contextZone(ctx), v);
  if (unit === 'timezone') return offset;
  if (unit === 'timezone_hour') return Math.trunc(offset / 3600);
  if (unit === 'timezone_minute') return Math.trunc(offset / 60) % 60;
  return extractTimestampFields(unit, v + offset * USECS_PER_SEC, false);
}

function extractTimeOfDay(unit: Unit, t: number): number {
  const secMicros = t % 60_000_000;
  switch (unit) {
    case 'microseconds': return secMicros;
    case 'milliseconds': return secMicros / 1000;
    case 'second': return secMicros / USECS_PER_SEC;
    case 'minute': return Math.floor(t / 60_000_000) % 60;
    case 'hour': return Math.floor(t / 3_600_000_000);
    default: return t / USECS_PER_SEC; // epoch
  }
}

const fields = new DateTimeFields();

/** Fields of a wall-clock µs value (timestamp, or timestamptz already shifted to local). */
function extractTimestampFields(unit: Unit, local: number, isDate: boolean): number {
  const f = timestampToFields(local, fields);
  const days = Math.floor(local / USECS_PER_DAY);
  const y = f.year;
  switch (unit) {
    case 'microseconds': return f.second * USECS_PER_SEC + f.micros;
    case 'milliseconds': return (f.second * USECS_PER_SEC + f.micros) / 1000;
    case 'second': return (f.second * USECS_PER_SEC + f.micros) / USECS_PER_SEC;
    case 'minute': return f.minute;
    case 'hour': return f.hour;
    case 'day': return f.day;
    case 'month': return f.month;
    case 'quarter': return idiv(f.month - 1, 3) + 1;
    case 'week': return isoWeekOf(days);
    case 'year': return y > 0 ? y : y - 1;
    case 'decade': return y >= 0 ? idiv(y, 10) : -idiv(8 - (y - 1), 10);
    case 'century': return y > 0 ? idiv(y + 99, 100) : -idiv(99 - (y - 1), 100);
    case 'millennium': return y > 0 ? idiv(y + 999, 1000) : -idiv(999 - (y - 1), 1000);
    case 'dow': return isoDayOfWeek(days) % 7;
    case 'isodow': return isoDayOfWeek(days);
    case 'doy': return days - daysFromCivil(y, 1, 1) + 1;
    case 'julian': {
      const jd = days + UNIX_EPOCH_JDATE;
      if (isDate) return jd;
      return (jd * USECS_PER_DAY + (local - days * USECS_PER_DAY)) / USECS_PER_DAY;
    }
    case 'isoyear': {
      const iy = isoYearOf(days);
      return iy <= 0 ? iy - 1 : iy;
    }
    default: throw new DbError('internal_error', `internal error: unit ${unit}`);
  }
}

function extractInterval(unit: Unit, v: Interval): number {
  const secMicros = v.micros % 60_000_000;
  const year = Math.trunc(v.months / 12);
  switch (unit) {
    case 'microseconds': return secMicros;
    case 'milliseconds': return secMicros / 1000;
    case 'second': return secMicros / USECS_PER_SEC;
    case 'minute': return Math.trunc(v.micros / 60_000_000) % 60;
    case 'hour': return Math.trunc(v.micros / 3_600_000_000);
    case 'day': return v.days;
    case 'month': return v.months % 12;
    case 'quarter': return Math.trunc((v.months % 12) / 3) + 1;
    case 'year': return year;
    case 'decade': return Math.trunc(year / 10);
    case 'century': return Math.trunc(year / 100);
    case 'millennium': return Math.trunc(year / 1000);
    default: return intervalEpochSeconds(v); // epoch
  }
}

const TRUNC_UNITS = new Set<Unit>(['microseconds', 'milliseconds', 'second', 'minute', 'hour',
  'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']);

/** Truncates wall-clock fields in place; true when the unit is a day or longer. */
function truncFields(unit: Unit, f: DateTimeFields, days: number): boolean {
  const y = f.year;
  switch (unit) {
    case 'microseconds': return false;
    case 'milliseconds': f.micros = Math.floor(f.micros / 1000) * 1000; return false;
    case 'second': f.micros = 0; return false;
    case 'minute': f.second = 0; f.micros = 0; return false;
    case 'hour': f.minute = 0; f.second = 0; f.micros = 0; return false;
    default: break;
  }
  f.hour = 0; f.minute = 0; f.second = 0; f.micros = 0;
  switch (unit) {
    case 'week': {
      const monday = days - (isoDayOfWeek(days) - 1);
      f.year = 1970; f.month = 1; f.day = 1 + monday;
      break;
    }
    case 'millennium':
      f.year = y > 0 ? idiv(y + 999, 1000) * 1000 - 999 : -idiv(999 - (y - 1), 1000) * 1000 + 1;
      f.month = 1; f.day = 1;
      break;
    case 'century':
      f.year = y > 0 ? idiv(y + 99, 100) * 100 - 99 : -idiv(99 - (y - 1), 100) * 100 + 1;
      f.month = 1; f.day = 1;
      break;
    case 'decade':
      f.year = y > 0 ? idiv(y, 10) * 10 : -idiv(8 - (y - 1), 10) * 10;
      f.month = 1; f.day = 1;
      break;
    case 'year': f.month = 1; f.day = 1; break;
    case 'quarter': f.month = 3 * idiv(f.month - 1, 3) + 1; f.day = 1; break;
    case 'month': f.day = 1; break;
    default: break; // day
  }
  return true;
}

/**
 * date_trunc(field, ts): for timestamp when `ctx` is omitted, for timestamptz (in the session
 * zone, or `zoneName` as date_trunc's third argument) when it is given.
 */
export function dateTrunc(field: string, us: number, ctx?: TypeContext, zoneName?: string): number {
  const oid = ctx === undefined ? Oid.timestamp : Oid.timestamptz;
  const unit = unitOf(field);
  if (unit === undefined) throw notRecognized(field, oid);
  if (!TRUNC_UNITS.has(unit)) throw notSupported(field, oid);
  if (!Number.isFinite(us)) return us;
  if (ctx === undefined) {
    const f = timestampToFields(us);
    truncFields(unit, f, Math.floor(us / USECS_PER_DAY));
    return fieldsToTimestamp(f);
  }
  const zone = zoneName === undefined ? contextZone(ctx) : zoneOrThrow(zoneName);
  const offsetUs = utcOffsetSec(zone, us) * USECS_PER_SEC;
  const local = us + offsetUs;
  const f = timestampToFields(local);
  const redoZone = truncFields(unit, f, Math.floor(local / USECS_PER_DAY));
  const truncated = fieldsToTimestamp(f);
  return redoZone ? localToUtc(zone, truncated) : truncated - offsetUs;
}

/** date_trunc(field, interval): truncates the interval's fields (interval_trunc). */
export function dateTruncInterval(field: string, v: Interval): Interval {
  const unit = unitOf(field);
  if (unit === undefined) throw notRecognized(field, Oid.interval);
  let months = v.months;
  let days = v.days;
  let micros = v.micros;
  const year = Math.trunc(months / 12);
  switch (unit) {
    case 'millennium': months = Math.trunc(year / 1000) * 12000; days = 0; micros = 0; break;
    case 'century': months = Math.trunc(year / 100) * 1200; days = 0; micros = 0; break;
    case 'decade': months = Math.trunc(year / 10) * 120; days = 0; micros = 0; break;
    case 'year': months = year * 12; days = 0; micros = 0; break;
    case 'quarter': months = year * 12 + Math.trunc((months % 12) / 3) * 3; days = 0; micros = 0;
      break;
    case 'month': days = 0; micros = 0; break;
    case 'day': micros = 0; break;
    case 'hour': micros = Math.trunc(micros / 3_600_000_000) * 3_600_000_000; break;
    case 'minute': micros = Math.trunc(micros / 60_000_000) * 60_000_000; break;
    case 'second': micros = Math.trunc(micros / USECS_PER_SEC) * USECS_PER_SEC; break;
    case 'milliseconds': micros = Math.trunc(micros / 1000) * 1000; break;
    case 'microseconds': break;
    default: throw notSupported(field, Oid.interval);
  }
  return new Interval(months + 0, days + 0, micros + 0);
}
