/**
 * The core aggregates the executor needs first: count, sum, avg, min/max, bool_and/bool_or/every
 * and bit_and/bit_or/bit_xor, with PostgreSQL's result types (pg_aggregate.dat):
 *   sum(int2|int4) -> int8, sum(int8|numeric) -> numeric, sum(float4) -> float4,
 *   sum(float8) -> float8, sum(interval) -> interval; avg(int*|numeric) -> numeric,
 *   avg(float*) -> float8, avg(interval) -> interval.
 *
 * Invariants:
 * - States are small mutable objects created by `init` and mutated in place by `step` (no
 *   per-row allocation for integers and floats); `final` never mutates the state, so a window
 *   executor may call it repeatedly while the frame moves.
 * - Strict aggregates never see NULL arguments (the executor skips those rows); an empty group
 *   yields NULL, except count which yields 0.
 * - `inverse` exists where PostgreSQL has a moving-aggregate implementation (count, and sum/avg
 *   over integers and numeric). Float sums have none, as in PostgreSQL, because removing a value
 *   from a float sum is not exact.
 */
import { defineAggregate, type AggregateDef } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import type { Int8 } from '../../types/int.ts';
import { canonInt8, int8Add, int8And, int8Or, int8Xor } from '../../types/int.ts';
import {
  makeNumeric, Numeric, NumericValue, numericDiv, numericFromInt,
} from '../../types/numeric.ts';
import { float4Add, float8Add } from '../../types/float.ts';
import { numericDivInts } from '../../types/numeric-int-div.ts';
import { comparatorFor } from '../../types/compare.ts';
import type { Interval } from '../../types/interval.ts';
import { intervalAdd, intervalDiv, intervalSub } from '../../types/interval-arith.ts';

// ---------------------------------------------------------------------------------------------
// count
// ---------------------------------------------------------------------------------------------

class CountState {
  n = 0;
}

function countDefs(): AggregateDef[] {
  const common = {
    name: 'count',
    returns: Types.int8,
    init: (): CountState => new CountState(),
    step: (s: unknown): unknown => {
      (s as CountState).n++;
      return s;
    },
    inverse: (s: unknown): unknown => {
      (s as CountState).n--;
      return s;
    },
    final: (s: unknown): unknown => (s as CountState).n,
  };
  return [
    defineAggregate({
      ...common, args: [], strict: false, description: 'count(*)',
      stepRows: (s: unknown, n: number): unknown => {
        (s as CountState).n += n;
        return s;
      },
      stepMany: (states, slot, _values, n) => {
        for (let i = 0; i < n; i++) (states[i]![slot] as CountState).n++;
      },
    }),
    defineAggregate({
      ...common, args: ['any'], strict: true,
      stepMany: (states, slot, values, n) => {
        for (let i = 0; i < n; i++) if (values![i] !== null) (states[i]![slot] as CountState).n++;
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Integer sums: exact double while safe, bigint past 2^53 (unbounded, so sums over int8 inputs
// never overflow before becoming numeric).
// ---------------------------------------------------------------------------------------------

class IntSumState {
  sum: number | bigint = 0;
  count = 0;
}

function addExact(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  const big = BigInt(a) + BigInt(b);
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}

function negate(v: number | bigint): number | bigint {
  return typeof v === 'number' ? -v + 0 : -v;
}

function intSumStep(s: unknown, args: unknown[]): unknown {
  const st = s as IntSumState;
  st.sum = addExact(st.sum, args[0] as Int8);
  st.count++;
  return st;
}

function intSumMany(states: readonly (readonly unknown[])[], slot: number, values: readonly unknown[] | null, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = values![i];
    if (v === null) continue;
    const st = states[i]![slot] as IntSumState;
    st.sum = addExact(st.sum, v as Int8);
    st.count++;
  }
}

function intSumInverse(s: unknown, args: unknown[]): unknown {
  const st = s as IntSumState;
  st.sum = addExact(st.sum, negate(args[0] as Int8));
  st.count--;
  return st;
}

function exactToNumeric(v: number | bigint): NumericValue {
  return typeof v === 'number' ? numericFromInt(v) : makeNumeric(new Numeric(v.toString()), 0);
}

function intSumDefs(): AggregateDef[] {
  const out: AggregateDef[] = [];
  for (const t of [Types.int2, Types.int4]) {
    out.push(defineAggregate({
      name: 'sum', args: [t], returns: Types.int8,
      init: () => new IntSumState(), step: intSumStep, stepMany: intSumMany, inverse: intSumInverse, transition: 'int_sum',
      // int4_sum accumulates in int8, so an overflowing sum reports 'bigint out of range'.
      final: (s) => ((s as IntSumState).count === 0 ? null : canonInt8((s as IntSumState).sum)),
    }));
  }
  out.push(defineAggregate({
    name: 'sum', args: [Types.int8], returns: Types.numeric,
    init: () => new IntSumState(), step: intSumStep, stepMany: intSumMany, inverse: intSumInverse, transition: 'int_sum',
    final: (s) => ((s as IntSumState).count === 0 ? null : exactToNumeric((s as IntSumState).sum)),
  }));
  for (const t of [Types.int2, Types.int4, Types.int8]) {
    out.push(defineAggregate({
      name: 'avg', args: [t], returns: Types.numeric,
      init: () => new IntSumState(), step: intSumStep, stepMany: intSumMany, inverse: intSumInverse, transition: 'int_sum',
      final: (s) => {
        const st = s as IntSumState;
        if (st.count === 0) return null;
        const sum = st.sum;
        return typeof sum === 'number' ? numericDivInts(sum, st.count) : numericDiv(exactToNumeric(sum), numericFromInt(st.count));
      },
    }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// numeric sum/avg. Special values are counted apart from the finite sum so the inverse
// transition can remove them again (PostgreSQL's NumericAggState does the same).
// ---------------------------------------------------------------------------------------------

export class NumericSumState {
  sum: Numeric = new Numeric(0);
  /** Display scale: the largest input scale seen (never shrinks on inverse, as in PostgreSQL). */
  scale = 0;
  count = 0;
  nanCount = 0;
  pInfCount = 0;
  nInfCount = 0;
}

function numericSumStep(s: unknown, args: unknown[]): unknown {
  const st = s as NumericSumState;
  const v = args[0] as NumericValue;
  st.count++;
  const d = v.value;
  if (d.isNaN()) st.nanCount++;
  else if (!d.isFinite()) {
    if (d.isNegative()) st.nInfCount++;
    else st.pInfCount++;
  } else {
    st.sum = st.sum.plus(d);
    if (v.scale > st.scale) st.scale = v.scale;
  }
  return st;
}

function numericSumInverse(s: unknown, args: unknown[]): unknown {
  const st = s as NumericSumState;
  const d = (args[0] as NumericValue).value;
  st.count--;
  if (d.isNaN()) st.nanCount--;
  else if (!d.isFinite()) {
    if (d.isNegative()) st.nInfCount--;
    else st.pInfCount--;
  } else {
    st.sum = st.sum.minus(d);
  }
  return st;
}

/** The sum as a numeric value, or null for an empty group. */
export function numericSumValue(st: NumericSumState): NumericValue | null {
  if (st.count === 0) return null;
  if (st.nanCount > 0 || (st.pInfCount > 0 && st.nInfCount > 0)) return makeNumeric(new Numeric(NaN), 0);
  if (st.pInfCount > 0) return makeNumeric(new Numeric(Infinity), 0);
  if (st.nInfCount > 0) return makeNumeric(new Numeric(-Infinity), 0);
  return makeNumeric(st.sum, st.scale);
}

function numericSumDefs(): AggregateDef[] {
  return [
    defineAggregate({
      name: 'sum', args: [Types.numeric], returns: Types.numeric,
      init: () => new NumericSumState(), step: numericSumStep, inverse: numericSumInverse, transition: 'numeric_sum',
      final: (s) => numericSumValue(s as NumericSumState),
    }),
    defineAggregate({
      name: 'avg', args: [Types.numeric], returns: Types.numeric,
      init: () => new NumericSumState(), step: numericSumStep, inverse: numericSumInverse, transition: 'numeric_sum',
      final: (s) => {
        const st = s as NumericSumState;
        const sum = numericSumValue(st);
        return sum === null ? null : numericDiv(sum, numericFromInt(st.count));
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Float sums/averages.
// ---------------------------------------------------------------------------------------------

class FloatSumState {
  sum = 0;
  count = 0;
}

function floatSumDefs(): AggregateDef[] {
  const step8 = (s: unknown, args: unknown[]): unknown => {
    const st = s as FloatSumState;
    st.sum = float8Add(st.sum, args[0] as number);
    st.count++;
    return st;
  };
  const many8 = (states: readonly (readonly unknown[])[], slot: number, values: readonly unknown[] | null, n: number): void => {
    for (let i = 0; i < n; i++) {
      const v = values![i];
      if (v === null) continue;
      const st = states[i]![slot] as FloatSumState;
      st.sum = float8Add(st.sum, v as number);
      st.count++;
    }
  };
  const step4 = (s: unknown, args: unknown[]): unknown => {
    const st = s as FloatSumState;
    st.sum = float4Add(st.sum, args[0] as number);
    st.count++;
    return st;
  };
  const sumFinal = (s: unknown): unknown => ((s as FloatSumState).count === 0 ? null : (s as FloatSumState).sum);
  const avgFinal = (s: unknown): unknown => {
    const st = s as FloatSumState;
    return st.count === 0 ? null : st.sum / st.count;
  };
  return [
    defineAggregate({ name: 'sum', args: [Types.float4], returns: Types.float4,
      init: () => new FloatSumState(), step: step4, final: sumFinal }),
    defineAggregate({ name: 'sum', args: [Types.float8], returns: Types.float8,
      init: () => new FloatSumState(), step: step8, stepMany: many8, transition: 'float8_sum', final: sumFinal }),
    // avg(float4) accumulates in float8 (float4_accum widens each input).
    defineAggregate({ name: 'avg', args: [Types.float4], returns: Types.float8,
      init: () => new FloatSumState(), step: step8, stepMany: many8, transition: 'float8_sum', final: avgFinal }),
    defineAggregate({ name: 'avg', args: [Types.float8], returns: Types.float8,
      init: () => new FloatSumState(), step: step8, stepMany: many8, transition: 'float8_sum', final: avgFinal }),
  ];
}

// ---------------------------------------------------------------------------------------------
// interval sum/avg
// ---------------------------------------------------------------------------------------------

class IntervalSumState {
  sum: Interval | null = null;
  count = 0;
}

function intervalDefs(): AggregateDef[] {
  const step = (s: unknown, args: unknown[]): unknown => {
    const st = s as IntervalSumState;
    const v = args[0] as Interval;
    st.sum = st.sum === null ? v : intervalAdd(st.sum, v);
    st.count++;
    return st;
  };
  const inverse = (s: unknown, args: unknown[]): unknown => {
    const st = s as IntervalSumState;
    if (st.sum !== null) st.sum = intervalSub(st.sum, args[0] as Interval);
    st.count--;
    return st;
  };
  return [
    defineAggregate({ name: 'sum', args: [Types.interval], returns: Types.interval,
      init: () => new IntervalSumState(), step, inverse,
      final: (s) => ((s as IntervalSumState).count === 0 ? null : (s as IntervalSumState).sum) }),
    defineAggregate({ name: 'avg', args: [Types.interval], returns: Types.interval,
      init: () => new IntervalSumState(), step, inverse,
      final: (s) => {
        const st = s as IntervalSumState;
        return st.count === 0 || st.sum === null ? null : intervalDiv(st.sum, st.count);
      } }),
  ];
}

// ---------------------------------------------------------------------------------------------
// min / max over any comparable type
// ---------------------------------------------------------------------------------------------

class MinMaxState {
  readonly cmp: (a: unknown, b: unknown) => number;
  value: unknown = null;
  has = false;
  constructor(cmp: (a: unknown, b: unknown) => number) {
    this.cmp = cmp;
  }
}

function minMaxDef(name: 'min' | 'max'): AggregateDef {
  const sign = name === 'min' ? 1 : -1;
  const fold = (st: MinMaxState, v: unknown): void => {
    if (!st.has) {
      st.value = v;
      st.has = true;
    } else if (st.cmp(st.value, v) * sign > 0) {
      st.value = v;
    }
  };
  return defineAggregate({
    name, args: ['anyelement'], returns: (t: readonly SqlType[]) => t[0] ?? Types.unknown,
    init: (argTypes) => new MinMaxState(comparatorFor(argTypes[0] ?? Types.unknown)),
    step: (s, args) => {
      fold(s as MinMaxState, args[0]);
      return s;
    },
    stepMany: (states, slot, values, n) => {
      for (let i = 0; i < n; i++) {
        const v = values![i];
        if (v !== null) fold(states[i]![slot] as MinMaxState, v);
      }
    },
    final: (s) => (s as MinMaxState).value,
  });
}

// ---------------------------------------------------------------------------------------------
// bool_and / bool_or / every, bit_and / bit_or / bit_xor
// ---------------------------------------------------------------------------------------------

class FoldState<T> {
  value: T | null = null;
}

function boolDefs(): AggregateDef[] {
  const andStep = (s: unknown, args: unknown[]): unknown => {
    const st = s as FoldState<boolean>;
    st.value = st.value === null ? (args[0] as boolean) : st.value && (args[0] as boolean);
    return st;
  };
  const orStep = (s: unknown, args: unknown[]): unknown => {
    const st = s as FoldState<boolean>;
    st.value = st.value === null ? (args[0] as boolean) : st.value || (args[0] as boolean);
    return st;
  };
  const final = (s: unknown): unknown => (s as FoldState<boolean>).value;
  const init = (): unknown => new FoldState<boolean>();
  return [
    defineAggregate({ name: 'bool_and', args: [Types.bool], returns: Types.bool, init, step: andStep, final }),
    defineAggregate({ name: 'every', args: [Types.bool], returns: Types.bool, init, step: andStep, final }),
    defineAggregate({ name: 'bool_or', args: [Types.bool], returns: Types.bool, init, step: orStep, final }),
  ];
}

function bitDefs(): AggregateDef[] {
  const out: AggregateDef[] = [];
  const ops: [string, (a: number, b: number) => number, (a: Int8, b: Int8) => Int8][] = [
    ['bit_and', (a, b) => a & b, int8And],
    ['bit_or', (a, b) => a | b, int8Or],
    ['bit_xor', (a, b) => a ^ b, int8Xor],
  ];
  for (const [name, op32, op64] of ops) {
    for (const t of [Types.int2, Types.int4, Types.int8]) {
      const op = t === Types.int8 ? op64 : (op32 as (a: Int8, b: Int8) => Int8);
      out.push(defineAggregate({
        name, args: [t], returns: t, init: () => new FoldState<Int8>(),
        step: (s, args) => {
          const st = s as FoldState<Int8>;
          st.value = st.value === null ? (args[0] as Int8) : op(st.value, args[0] as Int8);
          return st;
        },
        final: (s) => (s as FoldState<Int8>).value,
      }));
    }
  }
  return out;
}

export function basicAggregateDefs(): AggregateDef[] {
  return [
    ...countDefs(), ...intSumDefs(), ...numericSumDefs(), ...floatSumDefs(), ...intervalDefs(),
    minMaxDef('min'), minMaxDef('max'), ...boolDefs(), ...bitDefs(),
  ];
}
