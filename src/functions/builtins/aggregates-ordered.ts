/**
 * Ordered-set aggregates: percentile_cont, percentile_disc (single fraction or an array of
 * fractions) and mode(), all `orderedSet: true`.
 *
 * Calling contract with the executor (shared by every ordered-set aggregate here):
 * - `args` lists the direct arguments first, then the WITHIN GROUP (ORDER BY ...) argument:
 *   percentile_cont(0.5) WITHIN GROUP (ORDER BY x) is args [float8, float8]; mode() WITHIN GROUP
 *   (ORDER BY x) is args [anyelement].
 * - The executor sorts the group's rows by the WITHIN GROUP ORDER BY (with its ASC/DESC and
 *   NULLS options) and then calls `step(state, [direct..., sortedValue], ctx)` once per row in
 *   that order. Direct arguments are evaluated once per group and passed unchanged on every row.
 * - The aggregates are non-strict so that rows with a NULL sorted value still arrive; those rows
 *   are ignored here (PostgreSQL ignores NULLs). A NULL direct argument makes the result NULL.
 * - `final` reads the collected, already-sorted values; an empty group yields NULL without
 *   validating the fraction (as in PostgreSQL).
 */
import { DbError } from '../../errors/index.ts';
import { defineAggregate, type AggregateDef } from '../registry.ts';
import { arrayOf, Types, type SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import { comparatorFor } from '../../types/compare.ts';
import type { Interval } from '../../types/interval.ts';
import { intervalAdd, intervalMul, intervalSub } from '../../types/interval-arith.ts';

class SortedState {
  readonly types: readonly SqlType[];
  /** The direct argument as seen on the first row (null if it was NULL). */
  direct: unknown = undefined;
  readonly values: unknown[] = [];
  constructor(types: readonly SqlType[]) {
    this.types = types;
  }
}

function init(types: readonly SqlType[]): unknown {
  return new SortedState(types);
}

/** step for aggregates with one direct argument: args = [fraction(s), sortedValue]. */
function stepWithDirect(s: unknown, args: unknown[]): unknown {
  const st = s as SortedState;
  if (st.direct === undefined) st.direct = args[0] ?? null;
  const v = args[1];
  if (v !== null && v !== undefined) st.values.push(v);
  return st;
}

function checkFraction(p: number): number {
  if (!(p >= 0 && p <= 1)) {
    throw new DbError('numeric_value_out_of_range', `percentile value ${formatG(p)} is not between 0 and 1`);
  }
  return p;
}

/** C's %g for small values, as the error message prints them. */
function formatG(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  const s = x.toPrecision(6);
  if (s.includes('e')) return s.replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

type Lerp = (lo: unknown, hi: unknown, pct: number) => unknown;

const floatLerp: Lerp = (lo, hi, pct) => (lo as number) + ((hi as number) - (lo as number)) * pct;
const intervalLerp: Lerp = (lo, hi, pct) =>
  intervalAdd(lo as Interval, intervalMul(intervalSub(hi as Interval, lo as Interval), pct));

function percentileCont(values: unknown[], p: number, lerp: Lerp): unknown {
  checkFraction(p);
  const pos = p * (values.length - 1);
  const first = Math.floor(pos);
  const second = Math.ceil(pos);
  const lo = values[first];
  if (first === second) return lo;
  return lerp(lo, values[second], pos - first);
}

function percentileDisc(values: unknown[], p: number): unknown {
  checkFraction(p);
  const row = Math.max(1, Math.ceil(p * values.length));
  return values[row - 1];
}

/** Applies `pick` to one fraction, or to each element of a fraction array (NULL -> NULL). */
function finalFor(pick: (values: unknown[], p: number) => unknown, multi: boolean) {
  return (s: unknown): unknown => {
    const st = s as SortedState;
    if (st.values.length === 0 || st.direct === null || st.direct === undefined) return null;
    if (!multi) return pick(st.values, st.direct as number);
    const fractions = (st.direct as SqlArray).elems;
    return new SqlArray(fractions.map((p) => (p === null ? null : pick(st.values, p as number))));
  };
}

function percentileDefs(): AggregateDef[] {
  const out: AggregateDef[] = [];
  const cont: [SqlType, Lerp][] = [[Types.float8, floatLerp], [Types.interval, intervalLerp]];
  for (const [t, lerp] of cont) {
    const pick = (v: unknown[], p: number): unknown => percentileCont(v, p, lerp);
    out.push(defineAggregate({ name: 'percentile_cont', args: [Types.float8, t], returns: t,
      strict: false, orderedSet: true, init, step: stepWithDirect, final: finalFor(pick, false) }));
    out.push(defineAggregate({ name: 'percentile_cont', args: [arrayOf(Types.float8), t],
      returns: arrayOf(t), strict: false, orderedSet: true, init, step: stepWithDirect,
      final: finalFor(pick, true) }));
  }
  out.push(defineAggregate({ name: 'percentile_disc', args: [Types.float8, 'anyelement'],
    returns: (ts) => ts[1] ?? Types.unknown, strict: false, orderedSet: true, init,
    step: stepWithDirect, final: finalFor(percentileDisc, false) }));
  out.push(defineAggregate({ name: 'percentile_disc', args: [arrayOf(Types.float8), 'anyelement'],
    returns: (ts) => arrayOf(ts[1] ?? Types.unknown), strict: false, orderedSet: true, init,
    step: stepWithDirect, final: finalFor(percentileDisc, true) }));
  return out;
}

/** mode(): the most frequent value; among equally frequent ones the first in sort order. */
function modeDef(): AggregateDef {
  return defineAggregate({
    name: 'mode', args: ['anyelement'], returns: (ts) => ts[0] ?? Types.unknown, strict: false,
    orderedSet: true, init,
    step: (s, args) => {
      const v = args[0];
      if (v !== null && v !== undefined) (s as SortedState).values.push(v);
      return s;
    },
    final: (s) => {
      const st = s as SortedState;
      if (st.values.length === 0) return null;
      const cmp = comparatorFor(st.types[0] ?? Types.unknown);
      let best: unknown = st.values[0];
      let bestFreq = 0;
      let cur: unknown = st.values[0];
      let freq = 0;
      for (const v of st.values) {
        if (freq > 0 && cmp(cur, v) === 0) freq++;
        else {
          cur = v;
          freq = 1;
        }
        if (freq > bestFreq) {
          best = cur;
          bestFreq = freq;
        }
      }
      return best;
    },
  });
}

export function orderedSetAggregateDefs(): AggregateDef[] {
  return [...percentileDefs(), modeDef()];
}
