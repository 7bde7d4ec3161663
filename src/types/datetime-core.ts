/**
 * Calendar arithmetic shared by the date/time modules: the proleptic Gregorian calendar with
 * astronomical year numbering (year 0 = 1 BC, as PostgreSQL's internal tm_year), unit constants,
 * PostgreSQL's value ranges, and splitting µs values into fields.
 *
 * Invariants:
 * - date = integer days since 1970-01-01; time = integer µs since midnight (0 .. 24:00:00);
 *   timestamp/timestamptz = integer µs since 1970-01-01 00:00 UTC, ±Infinity for ±infinity.
 * - A JS number holds µs exactly only within ±2^53 µs (about years 1685..2255); outside that the
 *   low microsecond digits are rounded by the double. PostgreSQL's range (4714-11-24 BC ..
 *   294276-12-31) is still accepted and ordered correctly; only sub-second digits can blur there.
 */
import { DbError } from '../errors/index.ts';

export const USECS_PER_SEC = 1_000_000;
export const USECS_PER_MINUTE = 60_000_000;
export const USECS_PER_HOUR = 3_600_000_000;
export const USECS_PER_DAY = 86_400_000_000;
export const SECS_PER_DAY = 86_400;
export const DAYS_PER_MONTH = 30;
/** Julian day number of 1970-01-01 (PostgreSQL's UNIX_EPOCH_JDATE). */
export const UNIX_EPOCH_JDATE = 2_440_588;

/** First valid date: Julian day 0 = 4714-11-24 BC. */
export const DATE_MIN_DAYS = -UNIX_EPOCH_JDATE;
/** One past the last valid date (5874898-01-01, PostgreSQL's DATE_END_JULIAN). */
export const DATE_END_DAYS = 2_147_483_494 - UNIX_EPOCH_JDATE;
/** First valid timestamp: 4714-11-24 00:00:00 BC (PostgreSQL's MIN_TIMESTAMP). */
export const TIMESTAMP_MIN_US = DATE_MIN_DAYS * USECS_PER_DAY;
/** One past the last valid timestamp: 294277-01-01 00:00:00 (END_TIMESTAMP). */
export const TIMESTAMP_END_US = (109_203_528 - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in `month` (1..12) of astronomical `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Calendar fields of a date. Mutable scratch object so hot paths can reuse one. */
export class CivilDate {
  year = 1970;
  month = 1;
  day = 1;
}

/** Fills `out` with the calendar date of `days` since 1970-01-01 (civil_from_days). */
export function civilFromDays(days: number, out: CivilDate = new CivilDate()): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524)
    - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

/** Broken-down timestamp (PostgreSQL's pg_tm + fsec). `year` is astronomical. */
export class DateTimeFields {
  year = 1970;
  month = 1;
  day = 1;
  hour = 0;
  minute = 0;
  second = 0;
  /** Fractional second in µs, 0..999999. */
  micros = 0;
}

const scratchDate = new CivilDate();

/** Splits a finite µs timestamp (wall clock as if UTC) into fields. */
export function timestampToFields(us: number, out: DateTimeFields = new DateTimeFields()):
  DateTimeFields {
  const days = Math.floor(us / USECS_PER_DAY);
  const tod = us - days * USECS_PER_DAY;
  civilFromDays(days, scratchDate);
  out.year = scratchDate.year;
  out.month = scratchDate.month;
  out.day = scratchDate.day;
  splitTimeOfDay(tod, out);
  return out;
}

/** Fills the hour/minute/second/micros fields from µs since midnight. */
export function splitTimeOfDay(tod: number, out: DateTimeFields): void {
  const t = Math.round(tod);
  out.hour = Math.floor(t / USECS_PER_HOUR);
  out.minute = Math.floor((t % USECS_PER_HOUR) / USECS_PER_MINUTE);
  out.second = Math.floor((t % USECS_PER_MINUTE) / USECS_PER_SEC);
  out.micros = t % USECS_PER_SEC;
}

/** Joins fields (wall clock) into µs since 1970 as if UTC. Fields need not be normalized. */
export function fieldsToTimestamp(f: DateTimeFields): number {
  return daysFromCivil(f.year, f.month, f.day) * USECS_PER_DAY + timeOfDayMicros(f);
}

export function timeOfDayMicros(f: DateTimeFields): number {
  return ((f.hour * 60 + f.minute) * 60 + f.second) * USECS_PER_SEC + f.micros;
}

export function isValidTimestamp(us: number): boolean {
  return us >= TIMESTAMP_MIN_US && us < TIMESTAMP_END_US;
}

export function isValidDate(days: number): boolean {
  return days >= DATE_MIN_DAYS && days < DATE_END_DAYS;
}

/** Throws PostgreSQL's 'timestamp out of range' unless `us` is finite and in range. */
export function checkTimestamp(us: number): number {
  if (!isValidTimestamp(us)) throw new DbError('datetime_field_overflow', 'timestamp out of range');
  return us;
}

export function checkDate(days: number): number {
  if (!isValidDate(days)) throw new DbError('datetime_field_overflow', 'date out of range');
  return days;
}

/** Zero-pads a non-negative integer to `width` digits. */
export function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** ISO 8601 day of week, 1 = Monday .. 7 = Sunday, of days since 1970 (a Thursday). */
export function isoDayOfWeek(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** Days since 1970 of the Monday starting ISO week 1 of ISO year `isoYear`. */
function isoWeek1Monday(isoYear: number): number {
  const jan4 = daysFromCivil(isoYear, 1, 4);
  return jan4 - (isoDayOfWeek(jan4) - 1);
}

/** ISO 8601 year (astronomical) that the date belongs to. */
export function isoYearOf(days: number): number {
  const y = civilFromDays(days, new CivilDate()).year;
  if (days >= isoWeek1Monday(y + 1)) return y + 1;
  if (days < isoWeek1Monday(y)) return y - 1;
  return y;
}

/** ISO 8601 week number 1..53. */
export function isoWeekOf(days: number): number {
  return Math.floor((days - isoWeek1Monday(isoYearOf(days))) / 7) + 1;
}

/** Days since 1970 of the first day of ISO year `isoYear`'s week `week` (Monday). */
export function isoWeekStart(isoYear: number, week: number): number {
  return isoWeek1Monday(isoYear) + (week - 1) * 7;
}

/** Truncating integer division, as C's `/` on ints (PostgreSQL's formulas rely on it). */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}
