/**
 * Field-level date/time operations: EXTRACT / date_part and date_trunc, following timestamp.c
 * (timestamp_part_common, interval_part_common, timestamp_trunc, interval_trunc) and date.c.
 *
 * Results are produced as an exact scaled integer (`FieldValue.n / 10^scale`) so EXTRACT can
 * return PostgreSQL 14+'s numeric with the right display scale (second -> scale 6,
 * milliseconds -> 3, epoch -> 6, everything else integral) and date_part the float8 of the same
 * value. Infinite inputs give ±Infinity for the monotonic units and NULL for the others.
 *
 * Unit errors use PostgreSQL's wording: 'unit "x" not recognized for type T' (22023) and
 * 'unit "x" not supported for type T' (0A000), T being format_type's spelling.
 */
import { DbError } from '../../errors/index.ts';
import {
  civilFromDays, CivilDate, DateTimeFields, daysFromCivil, fieldsToTimestamp, isoDayOfWeek,
  isoWeekOf, isoWeekStart, isoYearOf, timestampToFields, UNIX_EPOCH_JDATE, USECS_PER_DAY,
  USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
} from '../../types/datetime-core.ts';
import { makeIntervalChecked, type Interval } from '../../types/interval.ts';
import { localToUtc, utcOffsetSec, type Zone } from '../../types/timezone.ts';

export type Unit =
  | 'microseconds' | 'milliseconds' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month'
  | 'quarter' | 'year' | 'decade' | 'century' | 'millennium' | 'epoch' | 'julian' | 'isoyear'
  | 'dow' | 'isodow' | 'doy' | 'timezone' | 'timezone_hour' | 'timezone_minute';

const UNIT_ALIASES: ReadonlyMap<string, Unit> = new Map<string, Unit>([
  ...aliases('microseconds', ['microsecond', 'microseconds', 'us', 'usec', 'usecs', 'useconds']),
  ...aliases('milliseconds', ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'mseconds']),
  ...aliases('second', ['second', 'seconds', 's', 'sec', 'secs']),
  ...aliases('minute', ['minute', 'minutes', 'm', 'min', 'mins']),
  ...aliases('hour', ['hour', 'hours', 'h', 'hr', 'hrs']),
  ...aliases('day', ['day', 'days', 'd']),
  ...aliases('week', ['week', 'weeks', 'w']),
  ...aliases('month', ['month', 'months', 'mon', 'mons']),
  ...aliases('quarter', ['quarter', 'qtr']),
  ...aliases('year', ['year', 'years', 'y', 'yr', 'yrs']),
  ...aliases('decade', ['decade', 'decades', 'dec', 'decs']),
  ...aliases('century', ['century', 'centuries', 'c', 'cent']),
  ...aliases('millennium', ['millennium', 'millennia', 'mil', 'mils', 'millenniums']),
  ...aliases('epoch', ['epoch']),
  ...aliases('julian', ['julian', 'j']),
  ...aliases('isoyear', ['isoyear']),
  ...aliases('dow', ['dow']),
  ...aliases('isodow', ['isodow']),
  ...aliases('doy', ['doy']),
  ...aliases('timezone', ['timezone']),
  ...aliases('timezone_hour', ['timezone_h', 'timezone_hour']),
  ...aliases('timezone_minute', ['timezone_m', 'timezone_minute']),
]);

function aliases(unit: Unit, names: string[]): [string, Unit][] {
  return names.map((n) => [n, unit]);
}

/** Resolves a unit name (case-insensitive) or throws 'not recognized for type'. */
export function parseUnit(text: string, typeName: string): Unit {
  const lower = text.toLowerCase();
  const u = UNIT_ALIASES.get(lower);
  if (u === undefined) {
    throw new DbError('invalid_parameter_value', `unit "${lower}" not recognized for type ${typeName}`);
  }
  return u;
}

export function unitNotSupported(text: string, typeName: string, detail?: string): DbError {
  return new DbError('feature_not_supported',
    `unit "${text.toLowerCase()}" not supported for type ${typeName}`, detail === undefined ? {} : { detail });
}

/** An exact extracted value n / 10^scale (scale is also the numeric display scale). */
export class FieldValue {
  n: number;
  scale: number;
  /** For unit julian: the time of day in µs (the fractional day), else -1. */
  julianFracMicros: number;
  constructor(n: number, scale: number, julianFracMicros = -1) {
    this.n = n;
    this.scale = scale;
    this.julianFracMicros = julianFracMicros;
  }
}

const MONOTONIC: ReadonlySet<Unit> = new Set<Unit>(
  ['year', 'decade', 'century', 'millennium', 'julian', 'isoyear', 'epoch']);

const TS_UNITS: ReadonlySet<Unit> = new Set<Unit>([
  'microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter',
  'year', 'decade', 'century', 'millennium', 'epoch', 'julian', 'isoyear', 'dow', 'isodow', 'doy',
]);

function yearPart(unit: Unit, year: number): number {
  switch (unit) {
    case 'year': return year > 0 ? year : year - 1;
    case 'decade': return year >= 0 ? Math.trunc(year / 10) : -Math.trunc((8 - (year - 1)) / 10);
    case 'century': return year > 0 ? Math.trunc((year + 99) / 100) : -Math.trunc((99 - (year - 1)) / 100);
    default: return year > 0 ? Math.trunc((year + 999) / 1000) : -Math.trunc((999 - (year - 1)) / 1000);
  }
}

/** Date-only fields of a finite day number; null when `unit` needs more than a date. */
function dateFieldValue(unit: Unit, days: number, c: CivilDate): FieldValue | null {
  switch (unit) {
    case 'day': return new FieldValue(c.day, 0);
    case 'month': return new FieldValue(c.month, 0);
    case 'quarter': return new FieldValue(Math.trunc((c.month - 1) / 3) + 1, 0);
    case 'week': return new FieldValue(isoWeekOf(days), 0);
    case 'year': case 'decade': case 'century': case 'millennium':
      return new FieldValue(yearPart(unit, c.year), 0);
    case 'isoyear': {
      const y = isoYearOf(days);
      return new FieldValue(y <= 0 ? y - 1 : y, 0);
    }
    case 'dow': return new FieldValue(isoDayOfWeek(days) % 7, 0);
    case 'isodow': return new FieldValue(isoDayOfWeek(days), 0);
    case 'doy': return new FieldValue(days - daysFromCivil(c.year, 1, 1) + 1, 0);
    default: return null;
  }
}

/** Seconds-and-below fields of a time of day (µs). */
function timeFieldValue(unit: Unit, tod: number): FieldValue | null {
  const secMicros = tod % USECS_PER_MINUTE;
  switch (unit) {
    case 'microseconds': return new FieldValue(secMicros, 0);
    case 'milliseconds': return new FieldValue(secMicros, 3);
    case 'second': return new FieldValue(secMicros, 6);
    case 'minute': return new FieldValue(Math.floor(tod / USECS_PER_MINUTE) % 60, 0);
    case 'hour': return new FieldValue(Math.floor(tod / USECS_PER_HOUR), 0);
    default: return null;
  }
}

function infinite(unit: Unit, positive: boolean): FieldValue | null {
  return MONOTONIC.has(unit) ? new FieldValue(positive ? Infinity : -Infinity, 0) : null;
}

const civil = new CivilDate();

/**
 * EXTRACT from a timestamp. `local` is the wall clock; `offsetSec` the zone offset east (for
 * timestamptz) or null (timestamp); `epochMicros` the absolute instant for 'epoch'.
 */
export function extractTimestamp(
  unit: Unit, unitText: string, local: number, epochMicros: number, offsetSec: number | null,
  typeName: string,
): FieldValue | null {
  if (!TS_UNITS.has(unit) && offsetSec === null) throw unitNotSupported(unitText, typeName);
  if (!Number.isFinite(local)) {
    return unit.startsWith('timezone') ? null : infinite(unit, local > 0);
  }
  if (unit === 'timezone') return new FieldValue(offsetSec ?? 0, 0);
  if (unit === 'timezone_hour') return new FieldValue(Math.trunc((offsetSec ?? 0) / 3600), 0);
  if (unit === 'timezone_minute') return new FieldValue(Math.trunc((offsetSec ?? 0) / 60) % 60, 0);
  if (unit === 'epoch') return new FieldValue(epochMicros, 6);
  const days = Math.floor(local / USECS_PER_DAY);
  const tod = local - days * USECS_PER_DAY;
  if (unit === 'julian') return new FieldValue(days + UNIX_EPOCH_JDATE, 0, tod);
  return timeFieldValue(unit, tod) ?? dateFieldValue(unit, days, civilFromDays(days, civil));
}

/** EXTRACT from a date (date.c's extract_date): time-of-day units are not supported. */
export function extractDate(unit: Unit, unitText: string, days: number): FieldValue | null {
  const timeUnit = unit === 'microseconds' || unit === 'milliseconds' || unit === 'second' ||
    unit === 'minute' || unit === 'hour';
  if (timeUnit || !TS_UNITS.has(unit)) throw unitNotSupported(unitText, 'date');
  if (!Number.isFinite(days)) return infinite(unit, days > 0);
  if (unit === 'epoch') return new FieldValue(days * 86400, 0);
  if (unit === 'julian') return new FieldValue(days + UNIX_EPOCH_JDATE, 0);
  return dateFieldValue(unit, days, civilFromDays(days, civil));
}

/** EXTRACT from a time of day. */
export function extractTime(unit: Unit, unitText: string, tod: number): FieldValue {
  if (unit === 'epoch') return new FieldValue(tod, 6);
  const v = timeFieldValue(unit, tod);
  if (v === null) throw unitNotSupported(unitText, 'time without time zone');
  return v;
}

/** EXTRACT from an interval (interval_part_common); fields keep the interval's signs. */
export function extractInterval(unit: Unit, unitText: string, iv: Interval): FieldValue {
  const year = Math.trunc(iv.months / 12);
  const mon = iv.months % 12;
  const t = iv.micros;
  switch (unit) {
    case 'microseconds': return new FieldValue(t % USECS_PER_MINUTE, 0);
    case 'milliseconds': return new FieldValue(t % USECS_PER_MINUTE, 3);
    case 'second': return new FieldValue(t % USECS_PER_MINUTE, 6);
    case 'minute': return new FieldValue(Math.trunc(t / USECS_PER_MINUTE) % 60, 0);
    case 'hour': return new FieldValue(Math.trunc(t / USECS_PER_HOUR), 0);
    case 'day': return new FieldValue(iv.days, 0);
    case 'month': return new FieldValue(mon, 0);
    case 'quarter': return new FieldValue(Math.trunc(mon / 3) + 1, 0);
    case 'year': return new FieldValue(year, 0);
    case 'decade': return new FieldValue(Math.trunc(year / 10), 0);
    case 'century': return new FieldValue(Math.trunc(year / 100), 0);
    case 'millennium': return new FieldValue(Math.trunc(year / 1000), 0);
    case 'epoch': {
      const secs = 31557600 * year + 2592000 * mon + 86400 * iv.days;
      return new FieldValue(secs * USECS_PER_SEC + t, 6);
    }
    default: throw unitNotSupported(unitText, 'interval');
  }
}

// ---------------------------------------------------------------------------------------------
// date_trunc
// ---------------------------------------------------------------------------------------------

const scratch = new DateTimeFields();

/** Truncates wall-clock fields in place; returns false for units date_trunc does not support. */
function truncFields(unit: Unit, f: DateTimeFields, local: number): boolean {
  switch (unit) {
    case 'week': {
      const days = Math.floor(local / USECS_PER_DAY);
      const monday = isoWeekStart(isoYearOf(days), isoWeekOf(days));
      civilFromDays(monday, civil);
      f.year = civil.year; f.month = civil.month; f.day = civil.day;
      f.hour = 0; f.minute = 0; f.second = 0; f.micros = 0;
      return true;
    }
    case 'millennium':
      f.year = f.year > 0 ? Math.trunc((f.year + 999) / 1000) * 1000 - 999
        : -Math.trunc((999 - (f.year - 1)) / 1000) * 1000 + 1;
      return truncFields('year', f, local);
    case 'century':
      f.year = f.year > 0 ? Math.trunc((f.year + 99) / 100) * 100 - 99
        : -Math.trunc((99 - (f.year - 1)) / 100) * 100 + 1;
      return truncFields('year', f, local);
    case 'decade':
      f.year = f.year > 0 ? Math.trunc(f.year / 10) * 10 : -Math.trunc((8 - (f.year - 1)) / 10) * 10;
      return truncFields('year', f, local);
    case 'year': f.month = 1; return truncFields('month', f, local);
    case 'quarter': f.month = 3 * Math.trunc((f.month - 1) / 3) + 1; return truncFields('month', f, local);
    case 'month': f.day = 1; return truncFields('day', f, local);
    case 'day': f.hour = 0; return truncFields('hour', f, local);
    case 'hour': f.minute = 0; return truncFields('minute', f, local);
    case 'minute': f.second = 0; return truncFields('second', f, local);
    case 'second': f.micros = 0; return true;
    case 'milliseconds': f.micros = Math.trunc(f.micros / 1000) * 1000; return true;
    case 'microseconds': return true;
    default: return false;
  }
}

/** date_trunc on a timestamp (wall clock). */
export function truncTimestamp(unitText: string, us: number): number {
  const unit = parseUnit(unitText, 'timestamp without time zone');
  if (!Number.isFinite(us)) return us;
  const f = timestampToFields(us, scratch);
  if (!truncFields(unit, f, us)) throw unitNotSupported(unitText, 'timestamp without time zone');
  return fieldsToTimestamp(f);
}

/**
 * date_trunc on a timestamptz in `zone`: day and larger units re-resolve the zone offset for the
 * truncated wall clock (DST may differ); smaller units keep the original offset.
 */
export function truncTimestamptz(unitText: string, us: number, zone: Zone): number {
  const unit = parseUnit(unitText, 'timestamp with time zone');
  if (!Number.isFinite(us)) return us;
  const offset = utcOffsetSec(zone, us);
  const local = us + offset * USECS_PER_SEC;
  const f = timestampToFields(local, scratch);
  if (!truncFields(unit, f, local)) throw unitNotSupported(unitText, 'timestamp with time zone');
  const truncated = fieldsToTimestamp(f);
  const redoZone = unit !== 'hour' && unit !== 'minute' && unit !== 'second' &&
    unit !== 'milliseconds' && unit !== 'microseconds';
  return redoZone ? localToUtc(zone, truncated) : truncated - offset * USECS_PER_SEC;
}

/** date_trunc on an interval (interval_trunc): fields truncate toward zero. */
export function truncInterval(unitText: string, iv: Interval): Interval {
  const unit = parseUnit(unitText, 'interval');
  let year = Math.trunc(iv.months / 12);
  let mon = iv.months % 12;
  let day = iv.days;
  let t = iv.micros;
  const hourUs = Math.trunc(t / USECS_PER_HOUR) * USECS_PER_HOUR;
  const minUs = Math.trunc(t / USECS_PER_MINUTE) * USECS_PER_MINUTE;
  const secUs = Math.trunc(t / USECS_PER_SEC) * USECS_PER_SEC;
  switch (unit) {
    case 'millennium': year = Math.trunc(year / 1000) * 1000; mon = 0; day = 0; t = 0; break;
    case 'century': year = Math.trunc(year / 100) * 100; mon = 0; day = 0; t = 0; break;
    case 'decade': year = Math.trunc(year / 10) * 10; mon = 0; day = 0; t = 0; break;
    case 'year': mon = 0; day = 0; t = 0; break;
    case 'quarter': mon = 3 * Math.trunc(mon / 3); day = 0; t = 0; break;
    case 'month': day = 0; t = 0; break;
    case 'day': t = 0; break;
    case 'hour': t = hourUs; break;
    case 'minute': t = minUs; break;
    case 'second': t = secUs; break;
    case 'milliseconds': t = Math.trunc(t / 1000) * 1000; break;
    case 'microseconds': break;
    case 'week':
      throw unitNotSupported(unitText, 'interval', 'Months usually have fractional weeks.');
    default: throw unitNotSupported(unitText, 'interval');
  }
  return makeIntervalChecked(year * 12 + mon, day, t);
}
