/**
 * to_date / to_timestamp(text, text): reading a date/time with a template (PostgreSQL's
 * DCH_from_char + do_to_timestamp), using the keywords of datetime-template.ts.
 *
 * Rules followed: leading spaces before a field are skipped; a numeric field reads at most its
 * natural width (YYYY: 4, unlimited when the next template item is not a digit field or with
 * FM) and fails with 'invalid value "x" for "KW"' when no digits are there; a template literal
 * skips one input character (whitespace skips a run); month/day names match case-insensitively
 * (day names are parsed and ignored, as in PostgreSQL). YY/YYY/Y years are completed like
 * PostgreSQL's adjust_partial_year_to_2020. Field values are validated after parsing
 * ('date/time field value out of range', 'hour "h" is invalid for the 12-hour clock').
 */
import { DbError } from '../../errors/index.ts';
import {
  checkDate, checkTimestamp, daysFromCivil, daysInMonth, isoWeekStart, UNIX_EPOCH_JDATE,
  USECS_PER_DAY, USECS_PER_SEC,
} from '../../types/datetime-core.ts';
import { localToUtc, zoneOrThrow, type Zone } from '../../types/timezone.ts';
import { DAY_NAMES, MONTH_NAMES, parseTemplate, ROMAN_MONTHS, type KeywordToken, type TemplateToken } from './datetime-template.ts';

class Parsed {
  year: number | null = null;
  yearDigits = 4;
  bc = false;
  month: number | null = null;
  day: number | null = null;
  doy: number | null = null;
  julian: number | null = null;
  isoYear: number | null = null;
  isoWeek: number | null = null;
  isoDow: number | null = null;
  hour = 0;
  hour12 = false;
  pm: boolean | null = null;
  minute = 0;
  second = 0;
  micros = 0;
  tzSec: number | null = null;
  zone: Zone | null = null;
}

const WIDTH: Record<string, number> = {
  YYYY: 4, YYY: 3, YY: 2, Y: 1, IYYY: 4, IYY: 3, IY: 2, I: 1, HH: 2, HH12: 2, HH24: 2, MI: 2,
  SS: 2, MS: 3, US: 6, SSSS: 5, SSSSS: 5, MM: 2, DDD: 3, IDDD: 3, DD: 2, D: 1, ID: 1, W: 1, WW: 2,
  IW: 2, CC: 2, J: 0, Q: 1, TZH: 3, TZM: 2, FF1: 1, FF2: 2, FF3: 3, FF4: 4, FF5: 5, FF6: 6,
};

class Reader {
  readonly s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }
  skipSpaces(): void {
    while (this.i < this.s.length && /\s/.test(this.s.charAt(this.i))) this.i++;
  }
  rest(): string {
    return this.s.slice(this.i);
  }
}

function invalidValue(value: string, key: string, detail: string): DbError {
  return new DbError('invalid_datetime_format', `invalid value "${value}" for "${key}"`, { detail });
}

function readNumber(r: Reader, k: KeywordToken, greedy: boolean): number {
  r.skipSpaces();
  const width = WIDTH[k.key] ?? 0;
  const m = /^[+-]?\d+/.exec(r.rest());
  if (m === null) {
    throw invalidValue(r.rest().slice(0, Math.max(width, 1)), k.key, 'Value must be an integer.');
  }
  let text = m[0];
  const signed = text.startsWith('-') || text.startsWith('+');
  if (!greedy && width > 0 && text.length > width + (signed ? 1 : 0)) text = text.slice(0, width + (signed ? 1 : 0));
  r.i += text.length;
  if (k.th !== null) r.i += 2;
  return Number(text);
}

function readName(r: Reader, k: KeywordToken, names: string[], abbrev: boolean): number {
  r.skipSpaces();
  const rest = r.rest().toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const full = (names[i] ?? '').toLowerCase();
    const cand = abbrev ? full.slice(0, 3) : full;
    if (rest.startsWith(cand)) {
      r.i += cand.length;
      return i;
    }
  }
  throw invalidValue(r.rest().slice(0, abbrev ? 3 : 9).trim(), k.key,
    'The given value did not match any of the allowed values for this field.');
}

/** Roman month numeral, longest match first (VIII before VII before VI before V). */
function readRoman(r: Reader, k: KeywordToken): number {
  r.skipSpaces();
  const rest = r.rest().toUpperCase();
  let best = -1;
  ROMAN_MONTHS.forEach((x, i) => {
    if (rest.startsWith(x) && (best < 0 || x.length > (ROMAN_MONTHS[best] ?? '').length)) best = i;
  });
  if (best < 0) {
    throw invalidValue(r.rest().slice(0, 4).trim(), k.key,
      'The given value did not match any of the allowed values for this field.');
  }
  r.i += (ROMAN_MONTHS[best] ?? '').length;
  return best + 1;
}

function readOffset(r: Reader): number {
  r.skipSpaces();
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?/.exec(r.rest());
  if (m === null) throw invalidValue(r.rest().slice(0, 3), 'OF', 'Value must be an integer.');
  r.i += m[0].length;
  const sec = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60;
  return m[1] === '-' ? -sec : sec;
}

function nextIsDigitField(toks: readonly TemplateToken[], at: number): boolean {
  const t = toks[at + 1];
  return t !== undefined && t.kind === 'kw' && (WIDTH[t.key] ?? 0) > 0;
}

function readKeyword(r: Reader, k: KeywordToken, p: Parsed, greedy: boolean): void {
  switch (k.key) {
    case 'MONTH': p.month = readName(r, k, MONTH_NAMES, false) + 1; return;
    case 'MON': p.month = readName(r, k, MONTH_NAMES, true) + 1; return;
    case 'DAY': readName(r, k, DAY_NAMES, false); return;
    case 'DY': readName(r, k, DAY_NAMES, true); return;
    case 'RM': p.month = readRoman(r, k); return;
    case 'AM': case 'PM': case 'A.M.': case 'P.M.': {
      r.skipSpaces();
      const rest = r.rest().toUpperCase();
      const dotted = k.key.includes('.');
      const am = dotted ? 'A.M.' : 'AM';
      const pm = dotted ? 'P.M.' : 'PM';
      if (rest.startsWith(am)) p.pm = false;
      else if (rest.startsWith(pm)) p.pm = true;
      else throw invalidValue(r.rest().slice(0, am.length), k.key, 'The given value did not match any of the allowed values for this field.');
      r.i += am.length;
      return;
    }
    case 'AD': case 'BC': case 'A.D.': case 'B.C.': {
      r.skipSpaces();
      const rest = r.rest().toUpperCase();
      const len = k.key.length;
      p.bc = rest.startsWith(k.key.includes('.') ? 'B.C.' : 'BC');
      r.i += len;
      return;
    }
    case 'TZH': p.tzSec = readOffset(r); return;
    case 'TZM': p.tzSec = (p.tzSec ?? 0) + Math.sign(p.tzSec ?? 1) * readNumber(r, k, false) * 60; return;
    case 'OF': p.tzSec = readOffset(r); return;
    case 'TZ': {
      r.skipSpaces();
      const m = /^[A-Za-z_/+-][A-Za-z0-9_/+:-]*/.exec(r.rest());
      if (m === null) throw invalidValue(r.rest(), 'TZ', 'Time zone abbreviation is not recognized.');
      p.zone = zoneOrThrow(m[0]);
      r.i += m[0].length;
      return;
    }
    case 'Y,YYY': {
      r.skipSpaces();
      const m = /^(\d+),(\d{3})/.exec(r.rest());
      if (m === null) throw invalidValue(r.rest().slice(0, 5), k.key, 'Value must be an integer.');
      r.i += m[0].length;
      p.year = Number(m[1]) * 1000 + Number(m[2]);
      return;
    }
    default: readNumericField(r, k, p, greedy);
  }
}

function readNumericField(r: Reader, k: KeywordToken, p: Parsed, greedy: boolean): void {
  const n = readNumber(r, k, greedy);
  switch (k.key) {
    case 'YYYY': case 'YYY': case 'YY': case 'Y':
      p.year = n;
      p.yearDigits = greedy && k.key === 'YYYY' ? 4 : k.key.length;
      return;
    case 'IYYY': case 'IYY': case 'IY': case 'I': p.isoYear = n; return;
    case 'HH': case 'HH12': p.hour = n; p.hour12 = true; return;
    case 'HH24': p.hour = n; return;
    case 'MI': p.minute = n; return;
    case 'SS': p.second = n; return;
    case 'MS': p.micros = n * 1000; return;
    case 'US': p.micros = n; return;
    case 'SSSS': case 'SSSSS':
      p.hour = Math.trunc(n / 3600); p.minute = Math.trunc((n % 3600) / 60); p.second = n % 60; return;
    case 'MM': p.month = n; return;
    case 'DDD': p.doy = n; return;
    case 'IDDD': p.isoWeek = Math.trunc((n - 1) / 7) + 1; p.isoDow = ((n - 1) % 7) + 1; return;
    case 'DD': p.day = n; return;
    case 'ID': p.isoDow = n; return;
    case 'IW': p.isoWeek = n; return;
    case 'J': p.julian = n; return;
    default:
      if (k.key.startsWith('FF')) p.micros = n * 10 ** (6 - Number(k.key.slice(2)));
  }
}

function parseInput(input: string, template: string): Parsed {
  const toks = parseTemplate(template);
  const r = new Reader(input);
  const p = new Parsed();
  toks.forEach((t, idx) => {
    if (t.kind === 'lit') {
      if (t.quoted) r.i += t.text.length;
      else if (/\s/.test(t.text)) r.skipSpaces();
      else if (r.i < r.s.length && !/[A-Za-z0-9]/.test(r.s.charAt(r.i))) r.i++;
      return;
    }
    if (r.i >= r.s.length) return;
    readKeyword(r, t, p, t.fm || !nextIsDigitField(toks, idx));
  });
  return p;
}

function fieldOverflow(text: string): DbError {
  return new DbError('datetime_field_overflow', `date/time field value out of range: "${text}"`);
}

function fullYear(p: Parsed): number {
  let y = p.year ?? 1;
  if (p.year !== null && p.yearDigits < 4 && y >= 0) {
    if (p.yearDigits === 2) y += y < 70 ? 2000 : 1900;
    else if (p.yearDigits === 3) y += y < 100 ? 2000 : 1000;
    else if (p.yearDigits === 1) y += 2000;
  }
  return p.bc ? 1 - y : y;
}

/** Day number (days since 1970) of the parsed date fields. */
function parsedDays(p: Parsed, input: string): number {
  if (p.julian !== null) return p.julian - UNIX_EPOCH_JDATE;
  if (p.isoYear !== null && p.isoWeek !== null) {
    return isoWeekStart(p.isoYear, p.isoWeek) + (p.isoDow ?? 1) - 1;
  }
  const year = fullYear(p);
  if (p.doy !== null && p.month === null) {
    if (p.doy < 1 || p.doy > (daysInMonth(year, 2) === 29 ? 366 : 365)) throw fieldOverflow(input);
    return daysFromCivil(year, 1, 1) + p.doy - 1;
  }
  const month = p.month ?? 1;
  const day = p.day ?? 1;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw fieldOverflow(input);
  return daysFromCivil(year, month, day);
}

function parsedTimeMicros(p: Parsed, input: string): number {
  let hour = p.hour;
  if (p.hour12 || p.pm !== null) {
    if (hour < 1 || hour > 12) {
      throw new DbError('invalid_datetime_format', `hour "${hour}" is invalid for the 12-hour clock`,
        { hint: 'Use the 24-hour clock, or give an hour between 1 and 12.' });
    }
    if (p.pm === true && hour < 12) hour += 12;
    else if (p.pm !== true && hour === 12) hour = 0;
  }
  if (hour > 24 || p.minute > 59 || p.second > 60 || (hour === 24 && (p.minute > 0 || p.second > 0))) {
    throw fieldOverflow(input);
  }
  return ((hour * 60 + p.minute) * 60 + p.second) * USECS_PER_SEC + p.micros;
}

/** to_date(text, text). */
export function toDate(input: string, template: string): number {
  const p = parseInput(input, template);
  return checkDate(parsedDays(p, input));
}

/** to_timestamp(text, text) -> timestamptz, read in `sessionZone` unless the input has a zone. */
export function toTimestamp(input: string, template: string, sessionZone: Zone): number {
  const p = parseInput(input, template);
  const local = parsedDays(p, input) * USECS_PER_DAY + parsedTimeMicros(p, input);
  if (p.tzSec !== null) return checkTimestamp(local - p.tzSec * USECS_PER_SEC);
  return checkTimestamp(localToUtc(p.zone ?? sessionZone, local));
}
