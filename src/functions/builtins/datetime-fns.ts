/**
 * Date/time SQL functions: the clock functions (now, current_timestamp ...), date_trunc,
 * extract/date_part, age, make_*, justify_*, isfinite, date_bin, to_timestamp(epoch) and
 * timezone() (the binder maps AT TIME ZONE to it).
 *
 * Invariants:
 * - The clock is read only through the EvalContext: now()/transaction_timestamp() and the SQL
 *   keywords use txnStartMicros (stable within a transaction), statement_timestamp() uses
 *   statementStartMicros, clock_timestamp()/timeofday() call ctx.env.clock (volatile).
 * - timestamptz values are absolute instants; anything field-based reads them on the session
 *   zone's wall clock (ctx.types.timeZone) unless a zone argument is given.
 * - `time with time zone` has no runtime representation in Oxibase, so current_time returns the
 *   session's local `time` (PostgreSQL returns timetz).
 */
import { DbError } from '../../errors/index.ts';
import { defineScalar, type EvalContext, type ScalarFunctionDef } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import type { Interval } from '../../types/interval.ts';
import { formatInterval } from '../../types/interval.ts';
import {
  justifyDays, justifyHours, justifyInterval, makeInterval,
} from '../../types/interval-arith.ts';
import {
  age, makeDate, makeTime, makeTimestamp, makeTimestamptz, timestampAtZone, timestamptzAtZone,
} from '../../types/datetime-arith.ts';
import {
  checkTimestamp, DATE_MIN_DAYS, TIMESTAMP_END_US, USECS_PER_DAY,
  USECS_PER_SEC, pad, timestampToFields,
} from '../../types/datetime-core.ts';
import {
  dateToTimestamp, dateToTimestamptz, roundTime, roundTimestamp, timestamptzToDate,
} from '../../types/datetime-format.ts';
import { contextZone, utcOffsetSec, zoneOrThrow, formatOffset } from '../../types/timezone.ts';
import {
  makeNumeric, Numeric, numericAdd, numericDiv, numericFromInt, type NumericValue,
} from '../../types/numeric.ts';
import { rint } from '../../types/float.ts';
import {
  extractDate, extractInterval, extractTime, extractTimestamp, parseUnit, truncInterval,
  truncTimestamp, truncTimestamptz, type FieldValue,
} from './datetime-fields.ts';

const { date, time, timestamp, timestamptz, interval, int4, float8, text, bool, numeric } = Types;

// ---------------------------------------------------------------------------------------------
// Clock functions
// ---------------------------------------------------------------------------------------------

function checkPrecision(p: number, name: string): number {
  if (p < 0) {
    throw new DbError('invalid_parameter_value', `${name} precision must not be negative`);
  }
  return p > 6 ? 6 : p;
}

function localNow(ctx: EvalContext): number {
  const us = ctx.txnStartMicros;
  return us + utcOffsetSec(contextZone(ctx.types), us) * USECS_PER_SEC;
}

function clockDefs(): ScalarFunctionDef[] {
  const txn = (_a: unknown[], ctx: EvalContext): unknown => ctx.txnStartMicros;
  const out: ScalarFunctionDef[] = [
    defineScalar({ name: 'now', args: [], returns: timestamptz, volatility: 'stable', impl: txn }),
    defineScalar({ name: 'transaction_timestamp', args: [], returns: timestamptz, volatility: 'stable', impl: txn }),
    defineScalar({ name: 'statement_timestamp', args: [], returns: timestamptz, volatility: 'stable',
      impl: (_a, ctx) => ctx.statementStartMicros }),
    defineScalar({ name: 'clock_timestamp', args: [], returns: timestamptz, volatility: 'volatile',
      impl: (_a, ctx) => ctx.env.clock.nowMicros() }),
    defineScalar({ name: 'timeofday', args: [], returns: text, volatility: 'volatile',
      impl: (_a, ctx) => timeOfDayText(ctx.env.clock.nowMicros(), ctx) }),
    defineScalar({ name: 'current_date', args: [], returns: date, volatility: 'stable',
      impl: (_a, ctx) => timestamptzToDate(ctx.txnStartMicros, ctx.types) }),
  ];
  const withPrecision: [string, SqlType, (ctx: EvalContext, p: number | null) => number][] = [
    ['current_timestamp', timestamptz, (ctx, p) => roundTimestamp(ctx.txnStartMicros, p ?? 6)],
    ['localtimestamp', timestamp, (ctx, p) => roundTimestamp(localNow(ctx), p ?? 6)],
    ['current_time', time, (ctx, p) => roundTime(mod(localNow(ctx), USECS_PER_DAY), p ?? 6)],
    ['localtime', time, (ctx, p) => roundTime(mod(localNow(ctx), USECS_PER_DAY), p ?? 6)],
  ];
  for (const [name, type, f] of withPrecision) {
    out.push(defineScalar({ name, args: [int4], minArgs: 0, returns: type,
      volatility: 'stable', strict: false,
      impl: (a, ctx) => {
        const p = a.length > 0 ? (a[0] as number | null) : null;
        return f(ctx, p === null ? null : checkPrecision(p, name.toUpperCase()));
      } }));
  }
  return out;
}

function mod(a: number, b: number): number {
  const r = a % b;
  return r < 0 ? r + b : r;
}

const DAY_ABBR = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** timeofday(): "%a %b %d %H:%M:%S.%06d %Y %Z" on the session clock. */
function timeOfDayText(us: number, ctx: EvalContext): string {
  const zone = contextZone(ctx.types);
  const offset = utcOffsetSec(zone, us);
  const local = us + offset * USECS_PER_SEC;
  const f = timestampToFields(local);
  const dow = mod(Math.floor(local / USECS_PER_DAY) + 4, 7);
  const zoneText = offset === 0 && /^(utc|gmt|etc\/utc)$/i.test(zone.name) ? 'UTC' : formatOffset(offset);
  return `${DAY_ABBR[dow]} ${MONTH_ABBR[f.month - 1]} ${pad(f.day, 2)} ${pad(f.hour, 2)}:` +
    `${pad(f.minute, 2)}:${pad(f.second, 2)}.${pad(f.micros, 6)} ${f.year} ${zoneText}`;
}

// ---------------------------------------------------------------------------------------------
// extract / date_part
// ---------------------------------------------------------------------------------------------

function fieldToNumeric(v: FieldValue | null): NumericValue | null {
  if (v === null) return null;
  if (!Number.isFinite(v.n)) return makeNumeric(new Numeric(v.n), 0);
  const base = makeNumeric(new Numeric(v.n).times(new Numeric(`1e${-v.scale}`)), v.scale);
  if (v.julianFracMicros < 0) return base;
  return numericAdd(base, numericDiv(numericFromInt(v.julianFracMicros), numericFromInt(USECS_PER_DAY)));
}

function fieldToFloat(v: FieldValue | null): number | null {
  if (v === null) return null;
  if (v.julianFracMicros >= 0) return v.n + v.julianFracMicros / USECS_PER_SEC / 86400;
  return v.scale === 0 ? v.n : v.n / 10 ** v.scale;
}

type Extractor = (unitText: string, value: unknown, ctx: EvalContext) => FieldValue | null;

const extractors: [SqlType, Extractor][] = [
  [timestamp, (u, v) => extractTimestamp(parseUnit(u, 'timestamp without time zone'), u,
    v as number, v as number, null, 'timestamp without time zone')],
  [timestamptz, (u, v, ctx) => {
    const us = v as number;
    const offset = utcOffsetSec(contextZone(ctx.types), us);
    return extractTimestamp(parseUnit(u, 'timestamp with time zone'), u,
      Number.isFinite(us) ? us + offset * USECS_PER_SEC : us, us, offset, 'timestamp with time zone');
  }],
  [date, (u, v) => extractDate(parseUnit(u, 'date'), u, v as number)],
  [time, (u, v) => extractTime(parseUnit(u, 'time without time zone'), u, v as number)],
  [interval, (u, v) => extractInterval(parseUnit(u, 'interval'), u, v as Interval)],
];

function extractDefs(): ScalarFunctionDef[] {
  const out: ScalarFunctionDef[] = [];
  for (const [type, ex] of extractors) {
    const volatility = type === timestamptz ? 'stable' as const : 'immutable' as const;
    out.push(defineScalar({ name: 'extract', args: [text, type], returns: numeric, volatility,
      impl: (a, ctx) => fieldToNumeric(ex(a[0] as string, a[1], ctx)) }));
    // date_part(text, date) is SQL-defined over timestamp in PostgreSQL, so time units work.
    const partEx: Extractor = type === date
      ? (u, v) => extractTimestamp(parseUnit(u, 'timestamp without time zone'), u,
        dateToTimestamp(v as number), dateToTimestamp(v as number), null, 'timestamp without time zone')
      : ex;
    out.push(defineScalar({ name: 'date_part', args: [text, type], returns: float8, volatility,
      impl: (a, ctx) => fieldToFloat(partEx(a[0] as string, a[1], ctx)) }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// date_trunc, date_bin, age, justify, isfinite
// ---------------------------------------------------------------------------------------------

function truncDefs(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: 'date_trunc', args: [text, timestamp], returns: timestamp,
      impl: (a) => truncTimestamp(a[0] as string, a[1] as number) }),
    defineScalar({ name: 'date_trunc', args: [text, timestamptz], returns: timestamptz,
      volatility: 'stable',
      impl: (a, ctx) => truncTimestamptz(a[0] as string, a[1] as number, contextZone(ctx.types)) }),
    defineScalar({ name: 'date_trunc', args: [text, timestamptz, text], returns: timestamptz,
      impl: (a) => truncTimestamptz(a[0] as string, a[1] as number, zoneOrThrow(a[2] as string)) }),
    defineScalar({ name: 'date_trunc', args: [text, interval], returns: interval,
      impl: (a) => truncInterval(a[0] as string, a[1] as Interval) }),
    defineScalar({ name: 'date_bin', args: [interval, timestamp, timestamp], returns: timestamp,
      impl: (a) => dateBin(a[0] as Interval, a[1] as number, a[2] as number) }),
    defineScalar({ name: 'date_bin', args: [interval, timestamptz, timestamptz], returns: timestamptz,
      impl: (a) => dateBin(a[0] as Interval, a[1] as number, a[2] as number) }),
  ];
}

/** date_bin: the start of the stride-sized bin (aligned on origin) containing ts. */
function dateBin(stride: Interval, ts: number, origin: number): number {
  if (!Number.isFinite(ts)) return ts;
  if (!Number.isFinite(origin)) throw new DbError('datetime_field_overflow', 'origin out of range');
  if (stride.months !== 0) {
    throw new DbError('feature_not_supported',
      'timestamps cannot be binned into intervals containing months or years');
  }
  const strideUs = stride.days * USECS_PER_DAY + stride.micros;
  if (strideUs <= 0) throw new DbError('invalid_parameter_value', 'stride must be greater than zero');
  const diff = ts - origin;
  const rem = diff % strideUs;
  let delta = diff - rem;
  if (rem < 0) delta -= strideUs;
  return checkTimestamp(origin + delta);
}

function currentDate(ctx: EvalContext): number {
  return timestamptzToDate(ctx.txnStartMicros, ctx.types);
}

function ageDefs(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: 'age', args: [timestamp, timestamp], returns: interval,
      impl: (a) => age(a[0] as number, a[1] as number) }),
    defineScalar({ name: 'age', args: [timestamptz, timestamptz], returns: interval, volatility: 'stable',
      impl: (a, ctx) => age(a[0] as number, a[1] as number, ctx.types) }),
    defineScalar({ name: 'age', args: [timestamp], returns: interval, volatility: 'stable',
      impl: (a, ctx) => age(dateToTimestamp(currentDate(ctx)), a[0] as number) }),
    defineScalar({ name: 'age', args: [timestamptz], returns: interval, volatility: 'stable',
      impl: (a, ctx) => age(dateToTimestamptz(currentDate(ctx), ctx.types), a[0] as number, ctx.types) }),
    defineScalar({ name: 'justify_days', args: [interval], returns: interval,
      impl: (a) => justifyDays(a[0] as Interval) }),
    defineScalar({ name: 'justify_hours', args: [interval], returns: interval,
      impl: (a) => justifyHours(a[0] as Interval) }),
    defineScalar({ name: 'justify_interval', args: [interval], returns: interval,
      impl: (a) => justifyInterval(a[0] as Interval) }),
    ...[date, timestamp, timestamptz].map((t) => defineScalar({ name: 'isfinite', args: [t], returns: bool,
      impl: (a) => Number.isFinite(a[0] as number) })),
    defineScalar({ name: 'isfinite', args: [interval], returns: bool, impl: () => true }),
  ];
}

// ---------------------------------------------------------------------------------------------
// make_*, to_timestamp(float8), timezone()
// ---------------------------------------------------------------------------------------------

function makeDefs(): ScalarFunctionDef[] {
  const n = (v: unknown): number => v as number;
  return [
    defineScalar({ name: 'make_date', args: [int4, int4, int4], returns: date, argNames: ['year', 'month', 'day'],
      impl: (a) => makeDate(n(a[0]), n(a[1]), n(a[2])) }),
    defineScalar({ name: 'make_time', args: [int4, int4, float8], returns: time, argNames: ['hour', 'min', 'sec'],
      impl: (a) => makeTime(n(a[0]), n(a[1]), n(a[2])) }),
    defineScalar({ name: 'make_timestamp', args: [int4, int4, int4, int4, int4, float8], returns: timestamp,
      argNames: ['year', 'month', 'mday', 'hour', 'min', 'sec'],
      impl: (a) => makeTimestamp(n(a[0]), n(a[1]), n(a[2]), n(a[3]), n(a[4]), n(a[5])) }),
    defineScalar({ name: 'make_timestamptz', args: [int4, int4, int4, int4, int4, float8, text],
      minArgs: 6, returns: timestamptz, volatility: 'stable',
      argNames: ['year', 'month', 'mday', 'hour', 'min', 'sec', 'timezone'],
      impl: (a, ctx) => makeTimestamptz(n(a[0]), n(a[1]), n(a[2]), n(a[3]), n(a[4]), n(a[5]), ctx.types,
        a.length > 6 ? (a[6] as string) : undefined) }),
    defineScalar({ name: 'make_interval', args: [int4, int4, int4, int4, int4, int4, float8], minArgs: 0,
      returns: interval, argNames: ['years', 'months', 'weeks', 'days', 'hours', 'mins', 'secs'],
      argDefaults: [0, 0, 0, 0, 0, 0, 0],
      impl: (a) => {
        const secs = a[6] === undefined ? 0 : n(a[6]);
        if (!Number.isFinite(secs)) throw new DbError('datetime_field_overflow', 'interval out of range');
        return makeInterval(n(a[0] ?? 0), n(a[1] ?? 0), n(a[2] ?? 0), n(a[3] ?? 0), n(a[4] ?? 0),
          n(a[5] ?? 0), rint(secs * USECS_PER_SEC) / USECS_PER_SEC);
      } }),
    defineScalar({ name: 'to_timestamp', args: [float8], returns: timestamptz,
      impl: (a) => epochToTimestamp(n(a[0])) }),
  ];
}

/** to_timestamp(double precision): Unix epoch seconds -> timestamptz. */
function epochToTimestamp(secs: number): number {
  if (Number.isNaN(secs)) throw new DbError('datetime_field_overflow', 'timestamp cannot be NaN');
  if (!Number.isFinite(secs)) return secs;
  const minSecs = DATE_MIN_DAYS * 86400;
  if (secs < minSecs || secs >= TIMESTAMP_END_US / USECS_PER_SEC) {
    throw new DbError('datetime_field_overflow', `timestamp out of range: "${formatG(secs)}"`);
  }
  return checkTimestamp(rint(secs * USECS_PER_SEC));
}

/** C's %g for the error message. */
function formatG(x: number): string {
  const s = x.toPrecision(6);
  if (s.includes('e')) return s.replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function zoneDefs(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: 'timezone', args: [text, timestamp], returns: timestamptz,
      impl: (a) => timestampAtZone(a[1] as number, a[0] as string) }),
    defineScalar({ name: 'timezone', args: [text, timestamptz], returns: timestamp,
      impl: (a) => timestamptzAtZone(a[1] as number, a[0] as string) }),
    defineScalar({ name: 'timezone', args: [interval, timestamp], returns: timestamptz,
      impl: (a, ctx) => {
        const us = a[1] as number;
        return Number.isFinite(us) ? checkTimestamp(us - intervalZoneMicros(a[0] as Interval, ctx)) : us;
      } }),
    defineScalar({ name: 'timezone', args: [interval, timestamptz], returns: timestamp,
      impl: (a, ctx) => {
        const us = a[1] as number;
        return Number.isFinite(us) ? checkTimestamp(us + intervalZoneMicros(a[0] as Interval, ctx)) : us;
      } }),
  ];
}

/** An interval used as a zone offset (east positive); months and days are not allowed. */
function intervalZoneMicros(iv: Interval, ctx: EvalContext): number {
  if (iv.months !== 0 || iv.days !== 0) {
    throw new DbError('invalid_parameter_value',
      `interval time zone "${formatInterval(iv, ctx.types)}" must not include months or days`);
  }
  return iv.micros;
}

export function datetimeFunctionDefs(): ScalarFunctionDef[] {
  return [...clockDefs(), ...extractDefs(), ...truncDefs(), ...ageDefs(), ...makeDefs(), ...zoneDefs()];
}
