/**
 * to_char for timestamp, timestamptz, date (via timestamp) and interval: renders the template
 * keywords of datetime-template.ts from broken-down fields, as PostgreSQL's DCH_to_char does.
 *
 * Conventions (PostgreSQL's): numbers are zero-padded to their natural width unless FM is given;
 * MONTH/DAY names are blank-padded to 9 characters unless FM; BC years print as positive years
 * (with BC/AD from the BC/AD keywords); HH and HH12 print 12 for noon and midnight; TH appends
 * the English ordinal suffix. TZ prints UTC/GMT for those zones and the numeric offset ('+02')
 * otherwise (Oxibase has no zone-abbreviation table); for timestamp without time zone it is empty.
 */
import {
  DateTimeFields, daysFromCivil, isoDayOfWeek, isoWeekOf, isoYearOf, pad,
  timestampToFields, UNIX_EPOCH_JDATE, USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE,
  USECS_PER_SEC,
} from '../../types/datetime-core.ts';
import type { Interval } from '../../types/interval.ts';
import { formatOffset } from '../../types/timezone.ts';
import {
  applyCasing, DAY_NAMES, MONTH_NAMES, ordinalSuffix, parseTemplate, ROMAN_MONTHS,
  type KeywordToken,
} from './datetime-template.ts';

/** Broken-down value being formatted: the calendar fields plus what templates also need. */
export class FormatFields extends DateTimeFields {
  /** Days since 1970 (for day-of-week/ISO fields); NaN for intervals. */
  days = 0;
  /** Seconds east of UTC, or null when the value has no zone. */
  offsetSec: number | null = null;
  zoneName = '';
  interval = false;
}

/** Fields of a wall-clock timestamp (µs as if UTC). */
export function timestampFields(local: number, offsetSec: number | null, zoneName: string): FormatFields {
  const f = new FormatFields();
  const t = timestampToFields(local);
  f.year = t.year; f.month = t.month; f.day = t.day;
  f.hour = t.hour; f.minute = t.minute; f.second = t.second; f.micros = t.micros;
  f.days = Math.floor(local / USECS_PER_DAY);
  f.offsetSec = offsetSec;
  f.zoneName = zoneName;
  return f;
}

export function intervalFields(iv: Interval): FormatFields {
  const f = new FormatFields();
  f.interval = true;
  f.year = Math.trunc(iv.months / 12);
  f.month = iv.months % 12;
  f.day = iv.days;
  let t = iv.micros;
  f.hour = Math.trunc(t / USECS_PER_HOUR);
  t -= f.hour * USECS_PER_HOUR;
  f.minute = Math.trunc(t / USECS_PER_MINUTE);
  t -= f.minute * USECS_PER_MINUTE;
  f.second = Math.trunc(t / USECS_PER_SEC);
  f.micros = t - f.second * USECS_PER_SEC;
  f.days = NaN;
  return f;
}

function num(k: KeywordToken, n: number, width: number): string {
  const s = k.fm ? String(n) : (n < 0 ? '-' + pad(-n, width) : pad(n, width));
  if (k.th === null) return s;
  const suf = ordinalSuffix(n);
  return s + (k.th === 'TH' ? suf.toUpperCase() : suf);
}

function word(k: KeywordToken, s: string, padTo: number): string {
  const w = applyCasing(s, k.casing);
  return k.fm || padTo === 0 ? w : w.padEnd(padTo, ' ');
}

/** The displayed (BC-adjusted) year. */
function displayYear(f: FormatFields): number {
  return f.interval || f.year > 0 ? f.year : 1 - f.year;
}

function dayOfYear(f: FormatFields): number {
  return f.interval ? f.day : f.days - daysFromCivil(f.year, 1, 1) + 1;
}

function isoYearDisplay(f: FormatFields): number {
  const y = isoYearOf(f.days);
  return y > 0 ? y : 1 - y;
}

function yearKeyword(k: KeywordToken, f: FormatFields): string {
  const y = displayYear(f);
  switch (k.key) {
    case 'Y,YYY': return `${Math.trunc(y / 1000)},${pad(y % 1000, 3)}`;
    case 'YYYY': return num(k, y, 4);
    case 'YYY': return num(k, y % 1000, 3);
    case 'YY': return num(k, y % 100, 2);
    case 'Y': return num(k, y % 10, 1);
    case 'IYYY': return num(k, isoYearDisplay(f), 4);
    case 'IYY': return num(k, isoYearDisplay(f) % 1000, 3);
    case 'IY': return num(k, isoYearDisplay(f) % 100, 2);
    default: return num(k, isoYearDisplay(f) % 10, 1);
  }
}

function timeKeyword(k: KeywordToken, f: FormatFields): string | null {
  switch (k.key) {
    case 'HH': case 'HH12': {
      const h = f.hour % 12;
      return num(k, h === 0 ? 12 : h, 2);
    }
    case 'HH24': return num(k, f.hour, 2);
    case 'MI': return num(k, f.minute, 2);
    case 'SS': return num(k, f.second, 2);
    case 'MS': return num(k, Math.trunc(f.micros / 1000), 3);
    case 'US': return num(k, f.micros, 6);
    case 'SSSS': case 'SSSSS': return num(k, (f.hour * 60 + f.minute) * 60 + f.second, 0);
    case 'AM': case 'PM': return applyCasing(f.hour >= 12 ? 'PM' : 'AM', k.casing);
    case 'A.M.': case 'P.M.': return applyCasing(f.hour >= 12 ? 'P.M.' : 'A.M.', k.casing);
    default:
      if (k.key.startsWith('FF')) return pad(f.micros, 6).slice(0, Number(k.key.slice(2)));
      return null;
  }
}

function dateKeyword(k: KeywordToken, f: FormatFields): string {
  const dow = Number.isNaN(f.days) ? 0 : isoDayOfWeek(f.days) % 7;
  switch (k.key) {
    case 'AD': case 'BC': return applyCasing(f.year > 0 ? 'AD' : 'BC', k.casing);
    case 'A.D.': case 'B.C.': return applyCasing(f.year > 0 ? 'A.D.' : 'B.C.', k.casing);
    case 'MONTH': return f.month >= 1 ? word(k, MONTH_NAMES[f.month - 1] ?? '', 9) : '';
    case 'MON': return f.month >= 1 ? word(k, (MONTH_NAMES[f.month - 1] ?? '').slice(0, 3), 0) : '';
    case 'MM': return num(k, f.month, 2);
    case 'DAY': return word(k, DAY_NAMES[dow] ?? '', 9);
    case 'DY': return word(k, (DAY_NAMES[dow] ?? '').slice(0, 3), 0);
    case 'DDD': return num(k, dayOfYear(f), 3);
    case 'IDDD': return num(k, (isoWeekOf(f.days) - 1) * 7 + isoDayOfWeek(f.days), 3);
    case 'DD': return num(k, f.day, 2);
    case 'D': return num(k, dow + 1, 1);
    case 'ID': return num(k, isoDayOfWeek(f.days), 1);
    case 'W': return num(k, Math.trunc((f.day - 1) / 7) + 1, 1);
    case 'WW': return num(k, Math.trunc((dayOfYear(f) - 1) / 7) + 1, 2);
    case 'IW': return num(k, isoWeekOf(f.days), 2);
    case 'CC': {
      const y = f.year;
      const c = f.interval ? Math.trunc(y / 100) : y > 0 ? Math.trunc((y + 99) / 100) : -Math.trunc((99 - (y - 1)) / 100);
      return num(k, c, 2);
    }
    case 'J': return num(k, f.days + UNIX_EPOCH_JDATE, 0);
    case 'Q': return num(k, Math.trunc((f.month - 1) / 3) + 1, 1);
    case 'RM': {
      const r = applyCasing(ROMAN_MONTHS[f.month - 1] ?? '', k.casing === 'lower' ? 'lower' : 'upper');
      return k.fm ? r : r.padEnd(4, ' ');
    }
    default: return zoneKeyword(k, f);
  }
}

function zoneKeyword(k: KeywordToken, f: FormatFields): string {
  const off = f.offsetSec;
  if (off === null) return '';
  switch (k.key) {
    case 'TZ': {
      const name = /^(utc|gmt|etc\/utc|z|zulu)$/i.test(f.zoneName) && off === 0
        ? (f.zoneName.toUpperCase() === 'GMT' ? 'GMT' : 'UTC') : formatOffset(off);
      return k.casing === 'lower' ? name.toLowerCase() : name;
    }
    case 'TZH': return (off < 0 ? '-' : '+') + pad(Math.trunc(Math.abs(off) / 3600), 2);
    case 'TZM': return pad(Math.trunc((Math.abs(off) % 3600) / 60), 2);
    case 'OF': return formatOffset(off);
    default: return '';
  }
}

const YEAR_KEYS = new Set(['Y,YYY', 'YYYY', 'YYY', 'YY', 'Y', 'IYYY', 'IYY', 'IY', 'I']);

/** Renders `template` for the given fields. */
export function formatWithTemplate(template: string, f: FormatFields): string {
  let out = '';
  for (const tok of parseTemplate(template)) {
    if (tok.kind === 'lit') {
      out += tok.text;
      continue;
    }
    const k = tok.key;
    if (YEAR_KEYS.has(k)) out += yearKeyword(tok, f);
    else out += timeKeyword(tok, f) ?? dateKeyword(tok, f);
  }
  return out;
}
