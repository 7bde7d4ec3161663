/**
 * Date/time types (date, time, timestamp, timestamptz): the public surface other layers import.
 * The implementation is split by concern; this file only re-exports:
 *   datetime-core.ts    calendar math, constants, PostgreSQL's ranges, field splitting
 *   timezone.ts         zone resolution (IANA via Intl, offsets, POSIX), offsets, DST resolution
 *   datetime-parse.ts   input (ISO 8601, MDY, text months, specials, zones)
 *   datetime-format.ts  output (DateStyle ISO), casts between the types, typmod rounding
 *   datetime-arith.ts   +/- interval, differences, age, make_*, AT TIME ZONE
 *   datetime-fields.ts  EXTRACT and date_trunc
 *
 * Values (see sql-type.ts): date = days since 1970-01-01, time = µs since midnight, timestamp and
 * timestamptz = µs since 1970-01-01 00:00 UTC (a timestamp stores its wall clock as if UTC);
 * ±Infinity for ±infinity. µs are exact only within ±2^53 µs (years ~1685..2255).
 */
export { parseDate, parseTime, parseTimestamp, parseTimestamptz } from './datetime-parse.ts';
export {
  formatDate, formatTime, formatTimestamp, formatTimestamptz, timestampToDate, dateToTimestamp,
  timestamptzToTimestamp, timestampToTimestamptz, timestampToTime, timestamptzToDate,
  dateToTimestamptz, timestamptzToTime, roundTimestamp, roundTime,
} from './datetime-format.ts';
export {
  addIntervalToTimestamp, subtractIntervalFromTimestamp, timestampPlusInterval,
  timestamptzPlusInterval, subtractTimestamps, datePlusDays, dateMinusDays, dateMinusDate,
  datePlusInterval, dateMinusInterval, datePlusTime, timePlusInterval, timeMinusInterval,
  timeMinusTime, age, makeDate, makeTime, makeTimestamp, makeTimestamptz, timestampAtZone,
  timestamptzAtZone,
} from './datetime-arith.ts';
export { extractField, dateTrunc, dateTruncInterval } from './datetime-fields.ts';
export {
  USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC, TIMESTAMP_MIN_US,
  TIMESTAMP_END_US, DATE_MIN_DAYS, DATE_END_DAYS, daysFromCivil, civilFromDays, isValidDate,
  isValidTimestamp,
} from './datetime-core.ts';
export {
  resolveZone, resolveSessionZone, zoneOrThrow, utcOffsetSec, localToUtc, utcToLocal, Zone,
} from './timezone.ts';
