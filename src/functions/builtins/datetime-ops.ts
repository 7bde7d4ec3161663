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

export function datetimeOperatorDefs(): ScalarFunctionDef[] {
  return [...dateOps(), ...timestampOps(), ...intervalOps()];
}
