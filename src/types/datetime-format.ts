/**
 * Date/time output in PostgreSQL's DateStyle 'ISO, MDY' (the default), plus the conversions
 * between the date/time types and typmod rounding.
 *
 *   date         '2024-01-31', '0044-03-15 BC', 'infinity'
 *   time         '13:45:00', '13:45:00.123'
 *   timestamp    '2024-01-31 13:45:00.123456' (fraction trimmed of trailing zeros)
 *   timestamptz  '2024-01-31 13:45:00+00', '... +05:30', '... -04:56:02', BC after the offset
 *
 * Years are at least 4 digits; BC years print as 1 - astronomical year.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  checkTimestamp, civilFromDays, CivilDate, DateTimeFields, pad, timestampToFields,
  USECS_PER_DAY, USECS_PER_SEC, isValidTimestamp,
} from './datetime-core.ts';
import { contextZone, formatOffset, localToUtc, utcOffsetSec } from './timezone.ts';

const civil = new CivilDate();
const fields = new DateTimeFields();

function yearText(year: number): string {
  return year > 0 ? pad(year, 4) : pad(1 - year, 4);
}

function dateText(year: number, month: number, day: number): string {
  return `${yearText(year)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 'HH:MM:SS' plus '.ffffff' with trailing zeros trimmed (PostgreSQL's AppendSeconds). */
export function timeText(hour: number, minute: number, second: number, micros: number): string {
  let out = `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
  if (micros !== 0) out += '.' + pad(micros, 6).replace(/0+$/, '');
  return out;
}

export function formatDate(v: number): string {
  if (v === Infinity) return 'infinity';
  if (v === -Infinity) return '-infinity';
  civilFromDays(v, civil);
  const s = dateText(civil.year, civil.month, civil.day);
  return civil.year > 0 ? s : s + ' BC';
}

export function formatTime(v: number): string {
  const t = Math.round(v);
  const hour = Math.floor(t / 3_600_000_000);
  const minute = Math.floor((t % 3_600_000_000) / 60_000_000);
  const second = Math.floor((t % 60_000_000) / USECS_PER_SEC);
  return timeText(hour, minute, second, t % USECS_PER_SEC);
}

export function formatTimestamp(v: number): string {
  if (v === Infinity) return 'infinity';
  if (v === -Infinity) return '-infinity';
  const f = timestampToFields(v, fields);
  const s = `${dateText(f.year, f.month, f.day)} ${timeText(f.hour, f.minute, f.second, f.micros)}`;
  return f.year > 0 ? s : s + ' BC';
}

/** timestamptz output in the session zone, with PostgreSQL's offset suffix. */
export function formatTimestamptz(v: number, ctx: TypeContext): string {
  if (v === Infinity) return 'infinity';
  if (v === -Infinity) return '-infinity';
  const offset = utcOffsetSec(contextZone(ctx), v);
  const f = timestampToFields(v + offset * USECS_PER_SEC, fields);
  const s = `${dateText(f.year, f.month, f.day)} ${timeText(f.hour, f.minute, f.second, f.micros)}` +
    formatOffset(offset);
  return f.year > 0 ? s : s + ' BC';
}

/** timestamp -> date (drops the time of day). */
export function timestampToDate(us: number): number {
  if (!Number.isFinite(us)) return us;
  return Math.floor(us / USECS_PER_DAY);
}

/** date -> timestamp at midnight. */
export function dateToTimestamp(days: number): number {
  if (!Number.isFinite(days)) return days;
  return checkTimestamp(days * USECS_PER_DAY);
}

/** timestamptz -> timestamp: the wall clock in the session zone. */
export function timestamptzToTimestamp(us: number, ctx: TypeContext): number {
  if (!Number.isFinite(us)) return us;
  return checkTimestamp(us + utcOffsetSec(contextZone(ctx), us) * USECS_PER_SEC);
}

/** timestamp -> timestamptz: the wall clock read in the session zone (DST rules of localToUtc). */
export function timestampToTimestamptz(us: number, ctx: TypeContext): number {
  if (!Number.isFinite(us)) return us;
  return checkTimestamp(localToUtc(contextZone(ctx), us));
}

/** timestamp -> time of day. */
export function timestampToTime(us: number): number {
  if (!Number.isFinite(us)) {
    throw new DbError('datetime_field_overflow', 'timestamp out of range');
  }
  return us - Math.floor(us / USECS_PER_DAY) * USECS_PER_DAY;
}

/** timestamptz -> date in the session zone. */
export function timestamptzToDate(us: number, ctx: TypeContext): number {
  if (!Number.isFinite(us)) return us;
  return Math.floor((us + utcOffsetSec(contextZone(ctx), us) * USECS_PER_SEC) / USECS_PER_DAY);
}

/** date -> timestamptz at local midnight in the session zone. */
export function dateToTimestamptz(days: number, ctx: TypeContext): number {
  if (!Number.isFinite(days)) return days;
  return checkTimestamp(localToUtc(contextZone(ctx), days * USECS_PER_DAY));
}

/** timestamptz -> time: the wall-clock time of day in the session zone. */
export function timestamptzToTime(us: number, ctx: TypeContext): number {
  return timestampToTime(timestamptzToTimestamp(us, ctx));
}

const SCALES = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
/** PostgreSQL's epoch (2000-01-01) in our µs: rounding is symmetric around it, not 1970. */
const PG_EPOCH_US = 946_684_800_000_000;

/**
 * Rounds µs to `precision` fractional digits (0..6; other values leave it as is), half away from
 * PostgreSQL's epoch 2000-01-01 like AdjustTimestampForTypmod (so a half before 2000 rounds down).
 */
export function roundTimestamp(us: number, precision: number): number {
  if (!Number.isFinite(us) || precision < 0 || precision >= 6) return us;
  const scale = SCALES[precision] ?? 1;
  const t = us - PG_EPOCH_US;
  const r = t >= 0 ? Math.floor((t + scale / 2) / scale) * scale
    : -Math.floor((-t + scale / 2) / scale) * scale;
  return r + PG_EPOCH_US;
}

/** Rounds a time value (half away from zero, as PostgreSQL) within 00:00:00 .. 24:00:00. */
export function roundTime(us: number, precision: number): number {
  if (precision < 0 || precision >= 6) return us;
  const scale = SCALES[precision] ?? 1;
  return Math.min(Math.floor((us + scale / 2) / scale) * scale, USECS_PER_DAY);
}

/** True when `us` is within PostgreSQL's timestamp range (finite). */
export function timestampInRange(us: number): boolean {
  return isValidTimestamp(us);
}
