/**
 * Date/time input, following PostgreSQL's ParseDateTime/DecodeDateTime closely enough for the
 * formats PostgreSQL documents: ISO 8601 ('2024-01-31T13:45:00.5Z', '20240131T134500'),
 * 'MM/DD/YYYY' (DateStyle MDY), text months ('Jan 5, 2024', '5 January 2024', '05-jan-2024'),
 * AM/PM, BC/AD, zones (offsets, abbreviations, IANA and POSIX names) and the special words
 * epoch / infinity / -infinity / now / today / tomorrow / yesterday / allballs.
 *
 * The input is split into fields (number, date, time, signed zone offset, word) and the fields are
 * decoded into a `ParsedDateTime`; the typed entry points (parseDate, parseTimestamp ...) then
 * validate and convert. 'now' and friends use ctx.nowMicros and ctx.timeZone only.
 *
 * Errors: unparseable -> 22007 'invalid input syntax for type <t>: "<s>"'; a field out of range
 * (Feb 30, hour 25) -> 22008 'date/time field value out of range: "<s>"'; a result outside
 * PostgreSQL's range -> 22008 '<type> out of range: "<s>"'; unknown zone -> 22023.
 */
import { DbError } from '../errors/index.ts';
import type { TypeContext } from './context.ts';
import {
  CivilDate, civilFromDays, daysFromCivil, daysInMonth, isValidDate, isValidTimestamp,
  USECS_PER_DAY, USECS_PER_HOUR, USECS_PER_MINUTE, USECS_PER_SEC,
} from './datetime-core.ts';
import {
  abbreviationOffset, contextZone, localToUtc, resolveZone, utcToLocal, type Zone,
} from './timezone.ts';

type Special = 'epoch' | 'infinity' | '-infinity' | 'now' | 'today' | 'tomorrow' | 'yesterday'
  | 'allballs' | null;

/** Decoded fields of a datetime literal, before type-specific interpretation. */
class ParsedDateTime {
  special: Special = null;
  hasDate = false;
  year = 0;
  month = 0;
  day = 0;
  yearDigits = 0;
  textMonth = false;
  hasTime = false;
  hour = 0;
  minute = 0;
  second = 0;
  micros = 0;
  ampm: 'am' | 'pm' | null = null;
  bc = false;
  /** Explicit offset in seconds east, or a named zone, from the literal. */
  offsetSec: number | null = null;
  zone: Zone | null = null;
  /** Plain numbers whose role (day/year) depends on a text month seen anywhere. */
  pending: string[] = [];
}

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1], ['january', 1], ['feb', 2], ['february', 2], ['mar', 3], ['march', 3],
  ['apr', 4], ['april', 4], ['may', 5], ['jun', 6], ['june', 6], ['jul', 7], ['july', 7],
  ['aug', 8], ['august', 8], ['sep', 9], ['sept', 9], ['september', 9], ['oct', 10],
  ['october', 10], ['nov', 11], ['november', 11], ['dec', 12], ['december', 12],
]);
const WEEKDAYS = new Set(['sun', 'sunday', 'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed',
  'wednesday', 'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday']);
const SPECIALS = new Set(['epoch', 'infinity', 'now', 'today', 'tomorrow', 'yesterday', 'allballs']);
/** Words that are never the start of a zone name even when a digit or '+' follows. */
const CORE_WORDS = new Set([...MONTHS.keys(), ...WEEKDAYS, ...SPECIALS, 'am', 'pm', 'bc', 'ad',
  't', 'at', 'on']);

class SyntaxErr extends Error {}
class RangeErr extends Error {}

type FieldKind = 'num' | 'date' | 'time' | 'tz' | 'word' | 'special';
interface Field { kind: FieldKind; text: string }

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

/** Splits lowercase input into fields (PostgreSQL's ParseDateTime). */
function splitFields(s: string): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = s.length;
  const readWhile = (pred: (c: string) => boolean): string => {
    const start = i;
    while (i < n && pred(s[i] as string)) i++;
    return s.slice(start, i);
  };
  while (i < n) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') { i++; continue; }
    const start = i;
    if (isDigit(c)) {
      readWhile((ch) => isDigit(ch));
      const next = s[i];
      if (next === ':') {
        readWhile((ch) => isDigit(ch) || ch === ':' || ch === '.');
        out.push({ kind: 'time', text: s.slice(start, i) });
      } else if (next === '-' || next === '/' || next === '.') {
        const delim = next;
        if (delim === '.' && !/^\d+\.\d+\./.test(s.slice(start))) {
          i++;
          readWhile((ch) => isDigit(ch));
          out.push({ kind: 'num', text: s.slice(start, i) });
          continue;
        }
        // Digits and the delimiter; letters only right after a delimiter ('05-jan-2024').
        while (i < n) {
          const ch = s[i] as string;
          if (isDigit(ch) || ch === delim) i++;
          else if (isAlpha(ch) && s[i - 1] === delim) readWhile((x) => isAlpha(x));
          else break;
        }
        out.push({ kind: 'date', text: s.slice(start, i) });
      } else {
        out.push({ kind: 'num', text: s.slice(start, i) });
      }
    } else if (c === '.' && isDigit(s[i + 1])) {
      i++;
      readWhile((ch) => isDigit(ch));
      out.push({ kind: 'num', text: '0' + s.slice(start, i) });
    } else if (c === '+' || c === '-') {
      i++;
      while (s[i] === ' ') i++;
      if (isDigit(s[i])) {
        const body = readWhile((ch) => isDigit(ch) || ch === ':' || ch === '.');
        out.push({ kind: 'tz', text: c + body });
      } else if (isAlpha(s[i])) {
        out.push({ kind: 'special', text: c + readWhile((ch) => isAlpha(ch)) });
      } else {
        throw new SyntaxErr();
      }
    } else if (isAlpha(c)) {
      const word = readWhile((ch) => isAlpha(ch));
      const next = s[i];
      const extend = next === '/' || next === '_' ||
        ((next === '-' || next === '.') && isAlnum(s[i + 1])) ||
        ((next === '+' || isDigit(next)) && !CORE_WORDS.has(word));
      if (extend) {
        readWhile((ch) => isAlnum(ch) || '+-/_.:<>'.includes(ch));
        out.push({ kind: 'word', text: s.slice(start, i) });
      } else {
        out.push({ kind: 'word', text: word });
      }
    } else if (c === '<') {
      // POSIX zone with a quoted name: '<+02>-02'.
      readWhile((ch) => ch !== ' ');
      out.push({ kind: 'word', text: s.slice(start, i) });
    } else {
      throw new SyntaxErr();
    }
  }
  return out;
}

function isAlnum(c: string | undefined): boolean {
  return isDigit(c) || isAlpha(c);
}

/** Decodes all fields of `s` (already trimmed and lowercased). */
function decode(s: string): ParsedDateTime {
  const p = new ParsedDateTime();
  const fields = splitFields(s);
  if (fields.length === 0) throw new SyntaxErr();
  let isoTimeNext = false;
  for (const f of fields) {
    switch (f.kind) {
      case 'date': decodeDateField(p, f.text); break;
      case 'time': decodeTimeField(p, f.text); break;
      case 'tz': setOffset(p, decodeOffset(f.text)); break;
      case 'special':
        if (f.text !== '-infinity' && f.text !== '+infinity') throw new SyntaxErr();
        setSpecial(p, f.text === '+infinity' ? 'infinity' : '-infinity');
        break;
      case 'num':
        if (isoTimeNext || (p.hasDate && !p.hasTime && p.pending.length === 0 &&
          !p.textMonth && (f.text.length >= 6 || f.text.includes('.')))) {
          decodeConcatenatedTime(p, f.text);
        } else if (!p.hasDate && !f.text.includes('.') && (f.text.length === 8 ||
          (f.text.length === 6 && p.pending.length === 0 && !p.textMonth))) {
          decodeConcatenatedDate(p, f.text);
        } else {
          if (f.text.includes('.')) throw new SyntaxErr();
          p.pending.push(f.text);
        }
        break;
      case 'word': decodeWord(p, f.text); break;
    }
    isoTimeNext = f.kind === 'word' && f.text === 't';
  }
  if (isoTimeNext) throw new SyntaxErr();
  resolvePending(p);
  return p;
}

function setSpecial(p: ParsedDateTime, sp: Special): void {
  if (p.special !== null) throw new SyntaxErr();
  p.special = sp;
}

function setOffset(p: ParsedDateTime, secs: number): void {
  if (p.offsetSec !== null || p.zone !== null) throw new SyntaxErr();
  p.offsetSec = secs;
}

function decodeWord(p: ParsedDateTime, w: string): void {
  const month = MONTHS.get(w);
  if (month !== undefined) {
    if (p.textMonth || p.hasDate) throw new SyntaxErr();
    p.month = month;
    p.textMonth = true;
    return;
  }
  if (WEEKDAYS.has(w) || w === 't' || w === 'at' || w === 'on') return;
  if (w === 'am' || w === 'pm') {
    if (p.ampm !== null) throw new SyntaxErr();
    p.ampm = w;
    return;
  }
  if (w === 'bc' || w === 'ad') {
    p.bc = w === 'bc';
    return;
  }
  if (SPECIALS.has(w)) {
    setSpecial(p, w as Special);
    return;
  }
  const abbrev = abbreviationOffset(w);
  if (abbrev !== undefined) {
    setOffset(p, abbrev);
    return;
  }
  const zone = resolveZone(w);
  if (zone !== null) {
    if (p.offsetSec !== null || p.zone !== null) throw new SyntaxErr();
    p.zone = zone;
    return;
  }
  // A date with a leading text month: 'jan-05-2024'.
  const parts = w.split(/[-/.]/);
  if (parts.length === 3 && MONTHS.has(parts[0] as string)) {
    decodeDateField(p, w);
    return;
  }
  if (/^[a-z]+\/[a-z_/]+$/i.test(w)) {
    throw new DbError('invalid_parameter_value', `time zone "${w}" not recognized`);
  }
  throw new SyntaxErr();
}

function decodeDateField(p: ParsedDateTime, text: string): void {
  if (p.hasDate || p.textMonth) throw new SyntaxErr();
  const parts = text.split(/[-/.]/);
  if (parts.length !== 3 || parts.some((x) => x === '')) throw new SyntaxErr();
  const monthIdx = parts.findIndex((x) => isAlpha(x[0]));
  if (monthIdx >= 0) {
    const month = MONTHS.get(parts[monthIdx] as string);
    if (month === undefined) throw new SyntaxErr();
    p.month = month;
    p.textMonth = true;
    for (let k = 0; k < 3; k++) if (k !== monthIdx) p.pending.push(parts[k] as string);
    return;
  }
  const [a, b, c] = parts as [string, string, string];
  if (!/^\d+$/.test(a + b + c)) throw new SyntaxErr();
  if (a.length > 2) setYmd(p, a, b, c);
  else setYmd(p, c, a, b); // DateStyle MDY
}

function setYmd(p: ParsedDateTime, y: string, m: string, d: string): void {
  p.hasDate = true;
  p.year = Number(y);
  p.yearDigits = y.length;
  p.month = Number(m);
  p.day = Number(d);
}

/** 'YYYYMMDD' or 'YYMMDD'. */
function decodeConcatenatedDate(p: ParsedDateTime, t: string): void {
  if (t.length === 8) setYmd(p, t.slice(0, 4), t.slice(4, 6), t.slice(6, 8));
  else setYmd(p, t.slice(0, 2), t.slice(2, 4), t.slice(4, 6));
}

/** 'HHMMSS[.frac]', 'HHMM', 'HH' after a date or an ISO 'T'. */
function decodeConcatenatedTime(p: ParsedDateTime, t: string): void {
  if (p.hasTime) throw new SyntaxErr();
  const dot = t.indexOf('.');
  const whole = dot >= 0 ? t.slice(0, dot) : t;
  const frac = dot >= 0 ? t.slice(dot + 1) : '';
  if (whole.length !== 2 && whole.length !== 4 && whole.length !== 6) throw new SyntaxErr();
  p.hasTime = true;
  p.hour = Number(whole.slice(0, 2));
  p.minute = whole.length >= 4 ? Number(whole.slice(2, 4)) : 0;
  p.second = whole.length >= 6 ? Number(whole.slice(4, 6)) : 0;
  p.micros = fractionMicros(frac);
}

/** 'h:m', 'h:m:s', 'h:m:s.frac'. */
function decodeTimeField(p: ParsedDateTime, text: string): void {
  if (p.hasTime) throw new SyntaxErr();
  const m = /^(\d+):(\d+)(?::(\d+)(?:\.(\d*))?)?$/.exec(text);
  if (m === null) throw new SyntaxErr();
  p.hasTime = true;
  p.hour = Number(m[1]);
  p.minute = Number(m[2]);
  p.second = Number(m[3] ?? 0);
  p.micros = fractionMicros(m[4] ?? '');
}

/** Fraction digits to µs, rounded like PostgreSQL's rint(frac * 1e6). */
export function fractionMicros(digits: string): number {
  if (digits === '') return 0;
  if (digits.length <= 6) return Number(digits.padEnd(6, '0'));
  return Math.round(Number('0.' + digits) * USECS_PER_SEC);
}

/** '+05', '+0530', '+05:30', '-08:00:00' -> seconds east (ISO sign). */
function decodeOffset(text: string): number {
  const sign = text[0] === '-' ? -1 : 1;
  const body = text.slice(1);
  let h: number;
  let m = 0;
  let s = 0;
  if (body.includes(':')) {
    const mm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(body);
    if (mm === null) throw new SyntaxErr();
    h = Number(mm[1]);
    m = Number(mm[2]);
    s = Number(mm[3] ?? 0);
  } else if (/^\d{1,2}$/.test(body)) {
    h = Number(body);
  } else if (/^\d{3,4}$/.test(body)) {
    h = Number(body.slice(0, -2));
    m = Number(body.slice(-2));
  } else if (/^\d{6}$/.test(body)) {
    h = Number(body.slice(0, 2));
    m = Number(body.slice(2, 4));
    s = Number(body.slice(4));
  } else {
    throw new SyntaxErr();
  }
  if (h > 15 || m > 59 || s > 59) throw new TzRangeErr();
  return sign * (h * 3600 + m * 60 + s);
}

class TzRangeErr extends Error {}

/** Assigns plain numbers to day/year (with a text month) the way PostgreSQL's DecodeNumber does. */
function resolvePending(p: ParsedDateTime): void {
  if (p.pending.length === 0) {
    if (p.textMonth) throw new SyntaxErr();
    return;
  }
  if (!p.textMonth || p.hasDate) throw new SyntaxErr();
  let day: string | null = null;
  let year: string | null = null;
  for (const t of p.pending) {
    if ((t.length > 2 || Number(t) > 31 || day !== null) && year === null) year = t;
    else if (day === null) day = t;
    else throw new SyntaxErr();
  }
  if (day === null || year === null) throw new SyntaxErr();
  p.hasDate = true;
  p.day = Number(day);
  p.year = Number(year);
  p.yearDigits = year.length;
  p.pending = [];
}

/** Validates fields and folds BC / two-digit years / AM-PM (PostgreSQL's ValidateDate). */
function validate(p: ParsedDateTime): void {
  if (p.hasDate) {
    if (p.bc) {
      if (p.year <= 0) throw new RangeErr();
      p.year = 1 - p.year;
    } else if (p.yearDigits <= 2) {
      p.year += p.year < 70 ? 2000 : 1900;
    } else if (p.year === 0) {
      throw new RangeErr();
    }
    if (p.month < 1 || p.month > 12) throw new MonthRangeErr();
    if (p.day < 1 || p.day > daysInMonth(p.year, p.month)) throw new RangeErr();
  } else if (p.bc) {
    throw new SyntaxErr();
  }
  if (p.ampm !== null) {
    if (!p.hasTime || p.hour < 1 || p.hour > 12) throw new RangeErr();
    if (p.ampm === 'pm' && p.hour !== 12) p.hour += 12;
    else if (p.ampm === 'am' && p.hour === 12) p.hour = 0;
  }
  if (p.hour > 24 || p.minute > 59 || p.second > 60) throw new RangeErr();
  if (p.hour === 24 && (p.minute !== 0 || p.second !== 0 || p.micros !== 0)) throw new RangeErr();
}

class MonthRangeErr extends Error {}

/** Parses and converts errors to PostgreSQL's messages for `typeName`. */
function parseFields(input: string, typeName: string): ParsedDateTime {
  try {
    const p = decode(input.trim().toLowerCase());
    validate(p);
    return p;
  } catch (e) {
    if (e instanceof SyntaxErr) throw syntaxError(typeName, input);
    if (e instanceof MonthRangeErr) {
      throw new DbError('datetime_field_overflow',
        `date/time field value out of range: "${input}"`,
        { hint: 'Perhaps you need a different "datestyle" setting.' });
    }
    if (e instanceof RangeErr) {
      throw new DbError('datetime_field_overflow',
        `date/time field value out of range: "${input}"`);
    }
    if (e instanceof TzRangeErr) {
      throw new DbError('invalid_time_zone_displacement_value',
        `time zone displacement out of range: "${input}"`);
    }
    throw e;
  }
}

function syntaxError(typeName: string, input: string): DbError {
  return new DbError('invalid_datetime_format', `invalid input syntax for type ${typeName}: "${input}"`);
}

function timeOfDay(p: ParsedDateTime): number {
  return p.hour * USECS_PER_HOUR + p.minute * USECS_PER_MINUTE + p.second * USECS_PER_SEC + p.micros;
}

/** Local midnight of today (+delta days) in the session zone, as local µs. */
function localToday(ctx: TypeContext, deltaDays: number): number {
  const local = utcToLocal(contextZone(ctx), ctx.nowMicros);
  return (Math.floor(local / USECS_PER_DAY) + deltaDays) * USECS_PER_DAY;
}

function relativeDays(sp: Special): number {
  return sp === 'tomorrow' ? 1 : sp === 'yesterday' ? -1 : 0;
}

/** date input. */
export function parseDate(s: string, ctx: TypeContext): number {
  const p = parseFields(s, 'date');
  let days: number;
  switch (p.special) {
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case 'epoch': days = 0; break;
    case 'now': case 'today': case 'tomorrow': case 'yesterday':
      days = localToday(ctx, relativeDays(p.special)) / USECS_PER_DAY;
      break;
    case 'allballs': throw syntaxError('date', s);
    case null:
      if (!p.hasDate) throw syntaxError('date', s);
      days = daysFromCivil(p.year, p.month, p.day);
      break;
  }
  if (!isValidDate(days)) {
    throw new DbError('datetime_field_overflow', `date out of range: "${s}"`);
  }
  return days;
}

/** time (without time zone) input; a date or zone in the input is ignored, as in PostgreSQL. */
export function parseTime(s: string, ctx?: TypeContext): number {
  const p = parseFields(s, 'time without time zone');
  switch (p.special) {
    case 'allballs': return 0;
    case 'now':
      if (ctx === undefined) throw syntaxError('time without time zone', s);
      return utcToLocal(contextZone(ctx), ctx.nowMicros) -
        Math.floor(utcToLocal(contextZone(ctx), ctx.nowMicros) / USECS_PER_DAY) * USECS_PER_DAY;
    case null:
      if (!p.hasTime) throw syntaxError('time without time zone', s);
      return timeOfDay(p);
    default:
      throw syntaxError('time without time zone', s);
  }
}

/** Local wall-clock µs of a parsed literal (date required unless special). */
function localMicros(p: ParsedDateTime, s: string, typeName: string): number {
  if (!p.hasDate) throw syntaxError(typeName, s);
  return daysFromCivil(p.year, p.month, p.day) * USECS_PER_DAY + timeOfDay(p);
}

function checkTimestampInput(us: number, s: string): number {
  if (!isValidTimestamp(us)) {
    throw new DbError('datetime_field_overflow', `timestamp out of range: "${s}"`);
  }
  return us;
}

/** timestamp (without time zone) input; an explicit zone is ignored, as PostgreSQL does. */
export function parseTimestamp(s: string, ctx: TypeContext): number {
  const p = parseFields(s, 'timestamp');
  switch (p.special) {
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case 'epoch': return 0;
    case 'now': return utcToLocal(contextZone(ctx), ctx.nowMicros);
    case 'today': case 'tomorrow': case 'yesterday':
      return localToday(ctx, relativeDays(p.special)) + (p.hasTime ? timeOfDay(p) : 0);
    case 'allballs': throw syntaxError('timestamp', s);
    case null: return checkTimestampInput(localMicros(p, s, 'timestamp'), s);
  }
}

/** timestamp with time zone input: explicit offset/zone, else the session zone (DST-aware). */
export function parseTimestamptz(s: string, ctx: TypeContext): number {
  const typeName = 'timestamp with time zone';
  const p = parseFields(s, typeName);
  let local: number;
  switch (p.special) {
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case 'epoch': return 0;
    case 'now': return ctx.nowMicros;
    case 'today': case 'tomorrow': case 'yesterday':
      local = localToday(ctx, relativeDays(p.special)) + (p.hasTime ? timeOfDay(p) : 0);
      break;
    case 'allballs': throw syntaxError(typeName, s);
    case null: local = localMicros(p, s, typeName); break;
  }
  let utc: number;
  if (p.offsetSec !== null) utc = local - p.offsetSec * USECS_PER_SEC;
  else utc = localToUtc(p.zone ?? contextZone(ctx), local);
  return checkTimestampInput(utc, s);
}

/** Date fields of a date value (for callers that need y/m/d without formatting). */
export function dateFields(days: number): CivilDate {
  return civilFromDays(days, new CivilDate());
}
