/**
 * Date/time arithmetic operators, registered as scalar functions named by their symbol ('+', '-',
 * '*', '/') so the binder resolves `a + b` like any overloaded function. The semantics live in
 * src/types/datetime-arith.ts and interval-arith.ts; this file only states PostgreSQL's operator
 * signatures (pg_operator.dat) and result types.
 *
 * Invariant: timestamptz operators read the session zone from ctx.types (month and day steps are
 * wall-clock steps); every other operator is independent of the session.
 */
import { defineScalar, type ScalarFunctionDef } from '../registry.ts';
import { Types } from '../../types/sql-type.ts';
import type { Interval } from '../../types/interval.ts';
import {
  intervalAdd, intervalDiv, intervalMul, intervalNegate, intervalSub,
} from '../../types/interval-arith.ts';
import {
  dateMinusDate, dateMinusDays, dateMinusInterval, datePlusDays, datePlusInterval, datePlusTime,
  subtractTimestamps, timeMinusInterval, timeMinusTime, timePlusInterval, timestampPlusInterval,
  timestamptzPlusInterval,
} from '../../types/datetime-arith.ts';

const { date, time, timestamp, timestamptz, interval, int4, float8 } = Types;

function dateOps(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: '+', args: [date, int4], returns: date,
      impl: (a) => datePlusDays(a[0] as number, a[1] as number) }),
    defineScalar({ name: '+', args: [int4, date], returns: date,
      impl: (a) => datePlusDays(a[1] as number, a[0] as number) }),
    defineScalar({ name: '-', args: [date, int4], returns: date,
      impl: (a) => dateMinusDays(a[0] as number, a[1] as number) }),
    defineScalar({ name: '-', args: [date, date], returns: int4,
      impl: (a) => dateMinusDate(a[0] as number, a[1] as number) }),
    defineScalar({ name: '+', args: [date, interval], returns: timestamp,
      impl: (a) => datePlusInterval(a[0] as number, a[1] as Interval) }),
    defineScalar({ name: '+', args: [interval, date], returns: timestamp,
      impl: (a) => datePlusInterval(a[1] as number, a[0] as Interval) }),
    defineScalar({ name: '-', args: [date, interval], returns: timestamp,
      impl: (a) => dateMinusInterval(a[0] as number, a[1] as Interval) }),
    defineScalar({ name: '+', args: [date, time], returns: timestamp,
      impl: (a) => datePlusTime(a[0] as number, a[1] as number) }),
    defineScalar({ name: '+', args: [time, date], returns: timestamp,
      impl: (a) => datePlusTime(a[1] as number, a[0] as number) }),
  ];
}

function timestampOps(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: '+', args: [timestamp, interval], returns: timestamp,
      impl: (a) => timestampPlusInterval(a[0] as number, a[1] as Interval) }),
    defineScalar({ name: '+', args: [interval, timestamp], returns: timestamp,
      impl: (a) => timestampPlusInterval(a[1] as number, a[0] as Interval) }),
    defineScalar({ name: '-', args: [timestamp, interval], returns: timestamp,
      impl: (a) => timestampPlusInterval(a[0] as number, intervalNegate(a[1] as Interval)) }),
    defineScalar({ name: '-', args: [timestamp, timestamp], returns: interval,
      impl: (a) => subtractTimestamps(a[0] as number, a[1] as number) }),
    defineScalar({ name: '+', args: [timestamptz, interval], returns: timestamptz, volatility: 'stable',
      impl: (a, ctx) => timestamptzPlusInterval(a[0] as number, a[1] as Interval, ctx.types) }),
    defineScalar({ name: '+', args: [interval, timestamptz], returns: timestamptz, volatility: 'stable',
      impl: (a, ctx) => timestamptzPlusInterval(a[1] as number, a[0] as Interval, ctx.types) }),
    defineScalar({ name: '-', args: [timestamptz, interval], returns: timestamptz, volatility: 'stable',
      impl: (a, ctx) =>
        timestamptzPlusInterval(a[0] as number, intervalNegate(a[1] as Interval), ctx.types) }),
    defineScalar({ name: '-', args: [timestamptz, timestamptz], returns: interval,
      impl: (a) => subtractTimestamps(a[0] as number, a[1] as number) }),
  ];
}

function intervalOps(): ScalarFunctionDef[] {
  return [
    defineScalar({ name: '+', args: [interval, interval], returns: interval,
      impl: (a) => intervalAdd(a[0] as Interval, a[1] as Interval) }),
    defineScalar({ name: '-', args: [interval, interval], returns: interval,
      impl: (a) => intervalSub(a[0] as Interval, a[1] as Interval) }),
    defineScalar({ name: '-', args: [interval], returns: interval,
      impl: (a) => intervalNegate(a[0] as Interval) }),
    defineScalar({ name: '+', args: [interval], returns: interval, impl: (a) => a[0] }),
    defineScalar({ name: '*', args: [interval, float8], returns: interval,
      impl: (a) => intervalMul(a[0] as Interval, a[1] as number) }),
    defineScalar({ name: '*', args: [float8, interval], returns: interval,
      impl: (a) => intervalMul(a[1] as Interval, a[0] as number) }),
    defineScalar({ name: '/', args: [interval, float8], returns: interval,
      impl: (a) => intervalDiv(a[0] as Interval, a[1] as number) }),
    defineScalar({ name: '+', args: [time, interval], returns: time,
      impl: (a) => timePlusInterval(a[0] as number, a[1] as Interval) }),
    defineScalar({ name: '+', args: [interval, time], returns: time,
      impl: (a) => timePlusInterval(a[1] as number, a[0] as Interval) }),
    defineScalar({ name: '-', args: [time, interval], returns: time,
      impl: (a) => timeMinusInterval(a[0] as number, a[1] as Interval) }),
    defineScalar({ name: '-', args: [time, time], returns: interval,
      impl: (a) => timeMinusTime(a[0] as number, a[1] as number) }),
  ];
}

/**
 * (s1, e1) OVERLAPS (s2, e2) with PostgreSQL's NULL rules (overlaps_timestamp): ends are swapped
 * into order, a NULL start takes the end's place, and NULL is returned only when the answer
 * depends on a missing end.
 */
function overlaps(s1: number | null, e1: number | null, s2: number | null, e2: number | null): boolean | null {
  let ts1 = s1;
  let te1 = e1;
  let ts2 = s2;
  let te2 = e2;
  if (ts1 === null) { if (te1 === null) return null; ts1 = te1; te1 = null; }
  else if (te1 !== null && ts1 > te1) { const t = ts1; ts1 = te1; te1 = t; }
  if (ts2 === null) { if (te2 === null) return null; ts2 = te2; te2 = null; }
  else if (te2 !== null && ts2 > te2) { const t = ts2; ts2 = te2; te2 = t; }
  if (ts1 > ts2) {
    if (te2 === null) return null;
    if (ts1 < te2) return true;
    return te1 === null ? null : false;
  }
  if (ts1 < ts2) {
    if (te1 === null) return null;
    if (ts2 < te1) return true;
    return te2 === null ? null : false;
  }
  return te1 === null || te2 === null ? null : true;
}

function overlapsDefs(): ScalarFunctionDef[] {
  const n = (v: unknown): number | null => (v === null || v === undefined ? null : (v as number));
  const out = [date, time, timestamp, timestamptz].map((t) => defineScalar({
    name: 'overlaps', args: [t, t, t, t], returns: Types.bool, strict: false,
    impl: (a) => overlaps(n(a[0]), n(a[1]), n(a[2]), n(a[3])),
  }));
  const end = (s: unknown, iv: unknown): number | null =>
    s === null || iv === null ? null : timestampPlusInterval(s as number, iv as Interval);
  out.push(defineScalar({
    name: 'overlaps', args: [timestamp, interval, timestamp, interval], returns: Types.bool, strict: false,
    impl: (a) => overlaps(n(a[0]), end(a[0], a[1]), n(a[2]), end(a[2], a[3])),
  }));
  out.push(defineScalar({
    name: 'overlaps', args: [timestamptz, interval, timestamptz, interval], returns: Types.bool,
    strict: false, volatility: 'stable',
    impl: (a, ctx) => {
      const endTz = (s: unknown, iv: unknown): number | null =>
        s === null || iv === null ? null : timestamptzPlusInterval(s as number, iv as Interval, ctx.types);
      return overlaps(n(a[0]), endTz(a[0], a[1]), n(a[2]), endTz(a[2], a[3]));
    },
  }));
  return out;
}

export function datetimeOperatorDefs(): ScalarFunctionDef[] {
  return [...dateOps(), ...timestampOps(), ...intervalOps(), ...overlapsDefs()];
}
