/**
 * Cron expressions: parsing and "when does it fire next". The classic five fields (minute hour
 * day-of-month month day-of-week), an optional leading seconds field (six fields), names (jan..dec,
 * sun..sat), lists, ranges, steps (`*\/15`, `1-30/5`), 7 as Sunday, and the macros @yearly
 * @annually @monthly @weekly @daily @midnight @hourly. As in Vixie cron, when both day fields are
 * restricted a day matches if either does.
 *
 * Times are wall-clock times in the schedule's time zone; the next firing is computed on local
 * fields and converted back to UTC, so `0 9 * * *` fires at 09:00 local across DST changes.
 */
import { DbError } from '../errors/index.ts';
import { daysInMonth, fieldsToTimestamp, timestampToFields, DateTimeFields, USECS_PER_SEC } from '../types/datetime-core.ts';
import { localToUtc, utcToLocal, type Zone } from '../types/timezone.ts';

/** A parsed cron expression: one membership table per field. */
export interface CronSpec {
  readonly text: string;
  /** Seconds 0..59; only second 0 when the expression has five fields. */
  readonly seconds: readonly boolean[];
  readonly minutes: readonly boolean[];
  readonly hours: readonly boolean[];
  /** Index 1..31. */
  readonly days: readonly boolean[];
  /** Index 1..12. */
  readonly months: readonly boolean[];
  /** Index 0..6, Sunday = 0. */
  readonly weekdays: readonly boolean[];
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names: readonly string[] | null;
  /** Value of names[0]. */
  readonly nameBase: number;
}

const SECOND: FieldRule = { name: 'second', min: 0, max: 59, names: null, nameBase: 0 };
const MINUTE: FieldRule = { name: 'minute', min: 0, max: 59, names: null, nameBase: 0 };
const HOUR: FieldRule = { name: 'hour', min: 0, max: 23, names: null, nameBase: 0 };
const DAY: FieldRule = { name: 'day of month', min: 1, max: 31, names: null, nameBase: 0 };
const MONTH: FieldRule = { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 };
// 7 is accepted as Sunday and folded onto 0 after parsing.
const WEEKDAY: FieldRule = { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 };

function invalid(text: string, why: string): DbError {
  return new DbError('invalid_parameter_value', `invalid cron expression "${text}": ${why}`,
    { hint: 'Use five fields (minute hour day-of-month month day-of-week), six with leading seconds, or a macro such as @daily.' });
}

function parseValue(token: string, rule: FieldRule, text: string): number {
  if (rule.names !== null) {
    const i = rule.names.indexOf(token.toLowerCase());
    if (i >= 0) return i + rule.nameBase;
  }
  if (!/^\d{1,2}$/.test(token)) throw invalid(text, `"${token}" is not a valid ${rule.name}`);
  const v = Number(token);
  if (v < rule.min || v > rule.max) throw invalid(text, `${rule.name} ${v} is out of range ${rule.min}-${rule.max}`);
  return v;
}

function parseField(field: string, rule: FieldRule, text: string): { set: boolean[]; restricted: boolean } {
  const set = new Array<boolean>(rule.max + 1).fill(false);
  let restricted = true;
  for (const part of field.split(',')) {
    if (part === '') throw invalid(text, `empty list item in the ${rule.name} field`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw invalid(text, `"${part}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) throw invalid(text, `"${stepText}" is not a valid step`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (rangeText === '*' || rangeText === '?') {
      lo = rule.min;
      hi = rule.name === 'day of week' ? 6 : rule.max;
      if (stepText === undefined) restricted = false;
    } else if (rangeText!.includes('-')) {
      const [a, b] = rangeText!.split('-');
      lo = parseValue(a!, rule, text);
      hi = parseValue(b!, rule, text);
      if (lo > hi) throw invalid(text, `range ${rangeText} runs backwards`);
    } else {
      lo = parseValue(rangeText!, rule, text);
      hi = stepText === undefined ? lo : (rule.name === 'day of week' ? 6 : rule.max);
    }
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  return { set, restricted };
}

/** Parses a cron expression; errors are 22023 naming the bad field. */
export function parseCron(text: string): CronSpec {
  const trimmed = text.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw invalid(text, `unknown macro ${expanded}`);
  const fields = expanded.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5 && fields.length !== 6) throw invalid(text, `expected 5 or 6 fields, found ${fields.length}`);
  const withSeconds = fields.length === 6;
  const at = (i: number): string => fields[withSeconds ? i + 1 : i]!;
  const seconds = withSeconds ? parseField(fields[0]!, SECOND, text).set : SECOND_ZERO;
  const days = parseField(at(2), DAY, text);
  const weekdays = parseField(at(4), WEEKDAY, text);
  if (weekdays.set[7]) weekdays.set[0] = true;
  return {
    text,
    seconds,
    minutes: parseField(at(0), MINUTE, text).set,
    hours: parseField(at(1), HOUR, text).set,
    days: days.set,
    months: parseField(at(3), MONTH, text).set,
    weekdays: weekdays.set.slice(0, 7),
    daysRestricted: days.restricted,
    weekdaysRestricted: weekdays.restricted,
  };
}

const SECOND_ZERO: readonly boolean[] = Array.from({ length: 60 }, (_, i) => i === 0);

function dayMatches(spec: CronSpec, f: DateTimeFields): boolean {
  const dom = spec.days[f.day] === true;
  // 1970-01-01 was a Thursday (4).
  const days = Math.floor(fieldsToTimestamp(f) / 86_400_000_000);
  const dow = (((days + 4) % 7) + 7) % 7;
  const wd = spec.weekdays[dow] === true;
  if (spec.daysRestricted && spec.weekdaysRestricted) return dom || wd;
  if (spec.daysRestricted) return dom;
  if (spec.weekdaysRestricted) return wd;
  return true;
}

/** Searching further than this many years means the expression never fires (e.g. 30 February). */
const SEARCH_YEARS = 8;

/**
 * The first firing strictly after `afterUtcMicros`, in UTC µs, or null when the expression can never
 * fire (a day that no month has).
 */
export function nextFiring(spec: CronSpec, afterUtcMicros: number, zone: Zone): number | null {
  const startLocal = utcToLocal(zone, afterUtcMicros);
  const f = timestampToFields(Math.floor(startLocal / USECS_PER_SEC) * USECS_PER_SEC + USECS_PER_SEC);
  f.micros = 0;
  const lastYear = f.year + SEARCH_YEARS;
  while (f.year <= lastYear) {
    if (!spec.months[f.month]) {
      f.month++;
      if (f.month > 12) { f.month = 1; f.year++; }
      f.day = 1; f.hour = 0; f.minute = 0; f.second = 0;
      continue;
    }
    if (f.day > daysInMonth(f.year, f.month)) {
      f.month++;
      if (f.month > 12) { f.month = 1; f.year++; }
      f.day = 1; f.hour = 0; f.minute = 0; f.second = 0;
      continue;
    }
    if (!dayMatches(spec, f)) {
      f.day++; f.hour = 0; f.minute = 0; f.second = 0;
      continue;
    }
    if (!spec.hours[f.hour]) {
      f.hour++; f.minute = 0; f.second = 0;
      if (f.hour > 23) { f.hour = 0; f.day++; }
      continue;
    }
    if (!spec.minutes[f.minute]) {
      f.minute++; f.second = 0;
      if (f.minute > 59) { f.minute = 0; f.hour++; if (f.hour > 23) { f.hour = 0; f.day++; } }
      continue;
    }
    if (!spec.seconds[f.second]) {
      f.second++;
      if (f.second > 59) {
        f.second = 0; f.minute++;
        if (f.minute > 59) { f.minute = 0; f.hour++; if (f.hour > 23) { f.hour = 0; f.day++; } }
      }
      continue;
    }
    const utc = localToUtc(zone, fieldsToTimestamp(f));
    // localToUtc resolves gaps and repeats like PostgreSQL; an instant not after `after` (a
    // repeated wall time already passed) moves the search on.
    if (utc > afterUtcMicros) return utc;
    f.second++;
    if (f.second > 59) { f.second = 0; f.minute++; if (f.minute > 59) { f.minute = 0; f.hour++; if (f.hour > 23) { f.hour = 0; f.day++; } } }
  }
  return null;
}
