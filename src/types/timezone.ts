/**
 * Time zones: resolving a zone name to a `Zone`, the UTC offset of a zone at an instant, and
 * turning a local wall-clock time into an instant with PostgreSQL's DST rules.
 *
 * Sources of truth:
 * - IANA names ('Europe/Paris', case-insensitive like PostgreSQL) come from the tz database built
 *   into Intl.DateTimeFormat; one formatter is cached per zone, and offsets are cached per hour
 *   bucket (only when the offset is the same at both ends of the bucket, so a transition inside a
 *   bucket is always computed exactly).
 * - 'UTC', 'GMT', 'Z', 'Zulu' are UTC. Common abbreviations ('EST', 'CEST', 'PDT' ...) are fixed
 *   offsets, as in PostgreSQL's Default abbreviation set.
 * - Sign conventions follow PostgreSQL exactly, and they differ by form:
 *     * an offset inside a datetime literal ('... +05:30', '-0800') is ISO: positive = east;
 *     * a POSIX-style zone string ('UTC+3', '<+02>-02', '+02:00' used as a zone NAME) is POSIX:
 *       positive = WEST of Greenwich, so 'UTC+3' is UTC-03 (PostgreSQL's well-known gotcha);
 *     * the session TimeZone given as a bare number ('3', '-7.5') is SQL hours east
 *       (PostgreSQL's check_timezone), see `resolveSessionZone`.
 * - Offsets are in seconds east of UTC, as PostgreSQL prints them ('+05:30', '-04:56:02').
 *
 * Nothing here reads the clock: every instant is passed in.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  CivilDate, civilFromDays, SECS_PER_DAY, USECS_PER_DAY, USECS_PER_SEC,
} from './datetime-core.ts';

export class Zone {
  /** The name as PostgreSQL would show it (canonical IANA name, or the input for fixed zones). */
  readonly name: string;
  /** Seconds east of UTC for a fixed-offset zone, else null (an IANA zone). */
  readonly fixedOffsetSec: number | null;
  readonly formatter: Intl.DateTimeFormat | null;
  readonly offsetCache: Map<number, number>;

  constructor(name: string, fixedOffsetSec: number | null, formatter: Intl.DateTimeFormat | null) {
    this.name = name;
    this.fixedOffsetSec = fixedOffsetSec;
    this.formatter = formatter;
    this.offsetCache = new Map();
  }
}

/** Fixed-offset abbreviations (seconds east), a subset of PostgreSQL's 'Default' set. */
const ABBREVIATIONS: ReadonlyMap<string, number> = new Map([
  ['utc', 0], ['gmt', 0], ['z', 0], ['zulu', 0], ['ut', 0], ['uct', 0],
  ['est', -5 * 3600], ['edt', -4 * 3600], ['cst', -6 * 3600], ['cdt', -5 * 3600],
  ['mst', -7 * 3600], ['mdt', -6 * 3600], ['pst', -8 * 3600], ['pdt', -7 * 3600],
  ['akst', -9 * 3600], ['akdt', -8 * 3600], ['hst', -10 * 3600], ['ast', -4 * 3600],
  ['adt', -3 * 3600], ['nst', -12600], ['ndt', -9000],
  ['wet', 0], ['west', 3600], ['bst', 3600], ['cet', 3600], ['cest', 7200], ['met', 3600],
  ['mest', 7200], ['eet', 7200], ['eest', 10800], ['msk', 10800], ['ist', 7200],
  ['jst', 9 * 3600], ['kst', 9 * 3600], ['hkt', 8 * 3600], ['sgt', 8 * 3600],
  ['awst', 8 * 3600], ['acst', 34200], ['acdt', 37800], ['aest', 10 * 3600],
  ['aedt', 11 * 3600], ['nzst', 12 * 3600], ['nzdt', 13 * 3600], ['sast', 7200],
]);

/** Seconds east for an abbreviation ('est' -> -18000), or undefined. Input must be lowercase. */
export function abbreviationOffset(lower: string): number | undefined {
  return ABBREVIATIONS.get(lower);
}

const zoneCache = new Map<string, Zone | null>();
const ZONE_CACHE_MAX = 4096;
const OFFSET_CACHE_MAX = 65536;

/** POSIX 'STD[+-]hh[:mm[:ss]]' with STD alphabetic (>= 3 letters) or <...>, or a bare offset. */
const POSIX_RE = /^(?:[a-z]{3,}|<[^>]*>)?([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$/i;

/**
 * Resolves a zone name as PostgreSQL's pg_tzset / AT TIME ZONE does, or returns null.
 * POSIX forms are west-positive (see header).
 */
export function resolveZone(name: string): Zone | null {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached;
  const zone = resolveUncached(name);
  if (zoneCache.size >= ZONE_CACHE_MAX) zoneCache.clear();
  zoneCache.set(name, zone);
  return zone;
}

function resolveUncached(name: string): Zone | null {
  const s = name.trim();
  if (s === '') return null;
  const lower = s.toLowerCase();
  const abbrev = ABBREVIATIONS.get(lower);
  if (abbrev !== undefined) return new Zone(s.toUpperCase(), abbrev, null);
  const posix = POSIX_RE.exec(s);
  if (posix !== null) {
    const secs = Number(posix[2]) * 3600 + Number(posix[3] ?? 0) * 60 + Number(posix[4] ?? 0);
    // POSIX: positive offsets are west of Greenwich, so the offset east is the negation.
    const east = posix[1] === '-' ? secs : -secs;
    return new Zone(s, east === 0 ? 0 : east, null);
  }
  return resolveIana(s);
}

/** An IANA zone through Intl, or null. */
function resolveIana(s: string): Zone | null {
  if (!/^[A-Za-z][A-Za-z0-9/_+\-]*$/.test(s)) return null;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: s, hourCycle: 'h23', day: 'numeric', hour: 'numeric', minute: 'numeric',
      second: 'numeric',
    });
    return new Zone(formatter.resolvedOptions().timeZone, null, formatter);
  } catch {
    return null;
  }
}

/** Like resolveZone, but throws PostgreSQL's 'time zone "x" not recognized' (22023). */
export function zoneOrThrow(name: string): Zone {
  const z = resolveZone(name);
  if (z === null) {
    throw new DbError('invalid_parameter_value', `time zone "${name}" not recognized`);
  }
  return z;
}

const sessionZoneCache = new Map<string, Zone>();

/**
 * The session TimeZone setting: a bare number is SQL hours EAST (PostgreSQL's check_timezone),
 * anything else resolves as a zone name.
 */
export function resolveSessionZone(name: string): Zone {
  const cached = sessionZoneCache.get(name);
  if (cached !== undefined) return cached;
  let zone: Zone;
  if (/^\s*[+-]?\d+(\.\d+)?\s*$/.test(name)) {
    zone = new Zone(name.trim(), Math.round(Number(name) * 3600), null);
  } else {
    // The setting names a tz database zone first ('CET' has DST there), then other forms.
    zone = resolveIana(name.trim()) ?? zoneOrThrow(name);
  }
  if (sessionZoneCache.size >= ZONE_CACHE_MAX) sessionZoneCache.clear();
  sessionZoneCache.set(name, zone);
  return zone;
}

/** The zone of a session context. */
export function contextZone(ctx: TypeContext): Zone {
  return resolveSessionZone(ctx.timeZone);
}

// Date supports ±8.64e15 ms; tz rules are constant far beyond that, so clamp there.
const MS_LIMIT = 8.64e15;
const HOUR_MS = 3_600_000;
const scratch = new CivilDate();

/** Seconds east of UTC in `zone` at the instant `utcMicros`. */
export function utcOffsetSec(zone: Zone, utcMicros: number): number {
  if (zone.fixedOffsetSec !== null) return zone.fixedOffsetSec;
  if (!Number.isFinite(utcMicros)) return 0;
  const ms = Math.min(MS_LIMIT, Math.max(-MS_LIMIT, Math.floor(utcMicros / 1000)));
  const bucket = Math.floor(ms / HOUR_MS);
  const hit = zone.offsetCache.get(bucket);
  if (hit !== undefined) return hit;
  const start = bucket * HOUR_MS;
  const a = computeOffset(zone, start);
  const b = computeOffset(zone, start + HOUR_MS - 1000);
  if (a === b) {
    if (zone.offsetCache.size >= OFFSET_CACHE_MAX) zone.offsetCache.clear();
    zone.offsetCache.set(bucket, a);
    return a;
  }
  return computeOffset(zone, Math.floor(ms / 1000) * 1000);
}

/** Offset via Intl: local wall time minus UTC wall time at `ms` (a whole second). */
function computeOffset(zone: Zone, ms: number): number {
  const fmt = zone.formatter;
  if (fmt === null) return 0;
  let lday = 0;
  let lsec = 0;
  for (const part of fmt.formatToParts(ms)) {
    switch (part.type) {
      case 'day': lday = Number(part.value); break;
      case 'hour': lsec += Number(part.value) * 3600; break;
      case 'minute': lsec += Number(part.value) * 60; break;
      case 'second': lsec += Number(part.value); break;
      default: break;
    }
  }
  const secs = Math.floor(ms / 1000);
  const days = Math.floor(secs / SECS_PER_DAY);
  const usec = secs - days * SECS_PER_DAY;
  const uday = civilFromDays(days, scratch).day;
  // Offsets are under a day, so the local date is the UTC date or a neighbour.
  let dayDiff = 0;
  if (lday !== uday) dayDiff = lday === uday + 1 || (lday === 1 && uday >= 28) ? 1 : -1;
  return lsec - usec + dayDiff * SECS_PER_DAY;
}

/** The local wall-clock µs (as if UTC) of instant `utcMicros` in `zone`. */
export function utcToLocal(zone: Zone, utcMicros: number): number {
  if (!Number.isFinite(utcMicros)) return utcMicros;
  return utcMicros + utcOffsetSec(zone, utcMicros) * USECS_PER_SEC;
}

/**
 * The instant of local wall-clock time `localMicros` in `zone`, resolving DST like PostgreSQL's
 * DetermineTimeZoneOffset: a time in a spring-forward gap uses the offset from before the
 * transition (02:30 EST -> 03:30 EDT); an ambiguous fall-back time uses the offset after the
 * transition (standard time).
 */
export function localToUtc(zone: Zone, localMicros: number): number {
  if (!Number.isFinite(localMicros)) return localMicros;
  if (zone.fixedOffsetSec !== null) return localMicros - zone.fixedOffsetSec * USECS_PER_SEC;
  return localMicros - localOffsetSec(zone, localMicros) * USECS_PER_SEC;
}

/** The offset (seconds east) that applies to local time `localMicros` (see localToUtc). */
export function localOffsetSec(zone: Zone, localMicros: number): number {
  if (zone.fixedOffsetSec !== null) return zone.fixedOffsetSec;
  // Transitions are assumed at most one per day around the instant, true of the tz database.
  const before = utcOffsetSec(zone, localMicros - USECS_PER_DAY);
  const after = utcOffsetSec(zone, localMicros + USECS_PER_DAY);
  const beforeOk = utcOffsetSec(zone, localMicros - before * USECS_PER_SEC) === before;
  if (before === after) {
    if (beforeOk) return before;
    const exact = utcOffsetSec(zone, localMicros - before * USECS_PER_SEC);
    return utcOffsetSec(zone, localMicros - exact * USECS_PER_SEC) === exact ? exact : before;
  }
  const afterOk = utcOffsetSec(zone, localMicros - after * USECS_PER_SEC) === after;
  if (afterOk) return after; // valid, or ambiguous: PostgreSQL prefers the later interpretation
  if (beforeOk) return before;
  return before; // in the gap: PostgreSQL uses the offset from before the transition
}

/** '+05:30', '-08', '+00', '-04:56:02': PostgreSQL's offset suffix for timestamptz output. */
export function formatOffset(offsetSec: number): string {
  const sign = offsetSec < 0 ? '-' : '+';
  const abs = Math.abs(offsetSec);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  let out = sign + (h < 10 ? '0' : '') + h;
  if (m !== 0 || s !== 0) out += ':' + (m < 10 ? '0' : '') + m;
  if (s !== 0) out += ':' + (s < 10 ? '0' : '') + s;
  return out;
}
