/**
 * Cron expressions for CREATE SCHEDULE: five fields (minute hour day-of-month month day-of-week)
 * with `*`, numbers, ranges `a-b`, steps `* /n` and `a-b/n`, lists `a,b`, month and weekday names
 * (jan..dec, sun..sat; 0 and 7 are Sunday), and the shorthands @yearly @monthly @weekly @daily
 * @hourly. Evaluated in UTC. As in Vixie cron, when both day fields are restricted a day matches
 * if either does.
 */
import { DbError } from '../errors/index.ts';
import { timestampToFields } from '../types/datetime-core.ts';

export interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly dayRestricted: boolean;
  readonly weekdayRestricted: boolean;
}

const SHORTHANDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function bad(expr: string, why: string): DbError {
  return new DbError('invalid_parameter_value', `invalid cron expression "${expr}": ${why}`,
    { hint: 'Use five fields: minute hour day-of-month month day-of-week, e.g. \'*/5 * * * *\'.' });
}

function parseField(expr: string, text: string, min: number, max: number, names: readonly string[] | null, nameBase: number): Set<number> {
  const out = new Set<number>();
  const value = (s: string): number => {
    const lower = s.toLowerCase();
    if (names !== null) {
      const i = names.indexOf(lower);
      if (i >= 0) return i + nameBase;
    }
    if (!/^\d+$/.test(s)) throw bad(expr, `"${s}" is not a number`);
    const n = Number(s);
    if (n < min || n > max) throw bad(expr, `${n} is out of range ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw bad(expr, `bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') { lo = min; hi = max; } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      lo = value(a);
      hi = value(b);
      if (lo > hi) throw bad(expr, `empty range "${range}"`);
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): Cron {
  const text = SHORTHANDS[expr.trim().toLowerCase()] ?? expr.trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw bad(expr, `expected 5 fields, got ${fields.length}`);
  const [mi, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const weekdays = parseField(expr, dow, 0, 7, DAYS, 0);
  if (weekdays.has(7)) { weekdays.delete(7); weekdays.add(0); }
  return {
    minutes: parseField(expr, mi, 0, 59, null, 0),
    hours: parseField(expr, h, 0, 23, null, 0),
    days: parseField(expr, dom, 1, 31, null, 0),
    months: parseField(expr, mon, 1, 12, MONTHS, 1),
    weekdays,
    dayRestricted: dom !== '*',
    weekdayRestricted: dow !== '*',
  };
}

/** Does the minute containing `ms` (UTC, ms since the epoch) match? */
export function cronMatches(c: Cron, ms: number): boolean {
  const f = timestampToFields(Math.floor(ms / 60_000) * 60_000_000);
  if (!c.minutes.has(f.minute) || !c.hours.has(f.hour) || !c.months.has(f.month)) return false;
  const days = Math.floor(ms / 86_400_000);
  const dayOk = c.days.has(f.day);
  // 1970-01-01 was a Thursday (4).
  const weekdayOk = c.weekdays.has(((days % 7) + 7 + 4) % 7);
  if (c.dayRestricted && c.weekdayRestricted) return dayOk || weekdayOk;
  return dayOk && weekdayOk;
}
