/**
 * Statistical aggregates: stddev/variance families and the two-variable regression set
 * (corr, covar_*, regr_*), computed the way PostgreSQL computes them so results match digit for
 * digit:
 * - exact inputs (int2/int4/int8/numeric) accumulate N, Σx and Σx² exactly in decimals and the
 *   final function follows numeric_stddev_internal: (NΣx² − (Σx)²) / (N(N−1)) with
 *   select_div_scale's result scale, sqrt at that same scale, and 0 when the numerator is <= 0;
 * - float inputs use the Youngs-Cramer running sums of float8_accum / float8_regr_accum, and
 *   regression aggregates take (Y, X) in that order, as in SQL.
 *
 * Invariant: empty input yields NULL (regr_count yields 0); sample statistics need N >= 2.
 */
import { Decimal } from 'decimal.js';
import { DbError } from '../../errors/index.ts';
import { defineAggregate, type AggregateDef } from '../registry.ts';
import { Types } from '../../types/sql-type.ts';
import type { Int8 } from '../../types/int.ts';
import {
  makeNumeric, Numeric, NumericValue, numericDivScale, NUMERIC_NAN, NUMERIC_ZERO,
} from '../../types/numeric.ts';

// ---------------------------------------------------------------------------------------------
// Exact inputs -> numeric
// ---------------------------------------------------------------------------------------------

class NumericMomentState {
  n = 0;
  sumX: Numeric = new Numeric(0);
  sumX2: Numeric = new Numeric(0);
  /** Largest input display scale (vsumX.dscale in PostgreSQL). */
  scale = 0;
  nanCount = 0;
  infCount = 0;
}

function numericMomentStep(s: unknown, args: unknown[]): unknown {
  const st = s as NumericMomentState;
  const v = args[0] as NumericValue;
  st.n++;
  const d = v.value;
  if (d.isNaN()) st.nanCount++;
  else if (!d.isFinite()) st.infCount++;
  else {
    st.sumX = st.sumX.plus(d);
    st.sumX2 = st.sumX2.plus(d.times(d));
    if (v.scale > st.scale) st.scale = v.scale;
  }
  return st;
}

function intMomentStep(s: unknown, args: unknown[]): unknown {
  const st = s as NumericMomentState;
  const x = args[0] as Int8;
  const d = new Numeric(typeof x === 'bigint' ? x.toString() : x);
  st.n++;
  st.sumX = st.sumX.plus(d);
  st.sumX2 = st.sumX2.plus(d.times(d));
  return st;
}

const SqrtWork = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_DOWN });

/** √d rounded half-up to `rscale` digits (sqrt_var at a given rscale). */
function sqrtAtScale(d: Numeric, rscale: number): Numeric {
  SqrtWork.set({ precision: Math.max(1, Math.ceil((d.e + 1) / 2) + rscale + 6) });
  return new Numeric(SqrtWork.sqrt(d)).toDecimalPlaces(rscale, Decimal.ROUND_HALF_UP);
}

/** a / b rounded half-up at `rscale` (div_var with round = true). */
function divAtScale(a: Numeric, b: Numeric, rscale: number): Numeric {
  const q = a.times(new Numeric(`1e${rscale + 1}`)).dividedToIntegerBy(b);
  return q.times(new Numeric(`1e${-(rscale + 1)}`)).toDecimalPlaces(rscale, Decimal.ROUND_HALF_UP);
}

function numericStddevFinal(sample: boolean, variance: boolean) {
  return (s: unknown): unknown => {
    const st = s as NumericMomentState;
    if (st.n === 0 || (sample && st.n <= 1)) return null;
    if (st.nanCount > 0 || st.infCount > 0) return NUMERIC_NAN;
    const n = new Numeric(st.n);
    const numerator = n.times(st.sumX2).minus(st.sumX.times(st.sumX));
    if (numerator.lte(0)) return NUMERIC_ZERO;
    const denominator = sample ? n.times(st.n - 1) : n.times(n);
    const rscale = numericDivScale(makeNumeric(numerator, st.scale * 2), makeNumeric(denominator, 0));
    const q = divAtScale(numerator, denominator, rscale);
    return makeNumeric(variance ? q : sqrtAtScale(q, rscale), rscale);
  };
}

// ---------------------------------------------------------------------------------------------
// Float inputs: Youngs-Cramer (float8_accum)
// ---------------------------------------------------------------------------------------------

class FloatMomentState {
  n = 0;
  sx = 0;
  sxx = 0;
}

function overflow(): DbError {
  return new DbError('numeric_value_out_of_range', 'value out of range: overflow');
}

function floatMomentStep(s: unknown, args: unknown[]): unknown {
  const st = s as FloatMomentState;
  const x = args[0] as number;
  const oldN = st.n;
  const oldSx = st.sx;
  st.n = oldN + 1;
  st.sx = oldSx + x;
  if (oldN > 0) {
    const tmp = x * st.n - st.sx;
    st.sxx += (tmp * tmp) / (st.n * oldN);
    if (!Number.isFinite(st.sx) || !Number.isFinite(st.sxx)) {
      if (Number.isFinite(oldSx) && Number.isFinite(x)) throw overflow();
      st.sxx = NaN;
    }
  } else if (!Number.isFinite(x)) {
    st.sxx = NaN;
  }
  return st;
}

function floatStddevFinal(sample: boolean, variance: boolean) {
  return (s: unknown): unknown => {
    const st = s as FloatMomentState;
    if (st.n === 0 || (sample && st.n <= 1)) return null;
    const v = st.sxx / (sample ? st.n - 1 : st.n);
    return variance ? v : Math.sqrt(v);
  };
}

function momentDefs(): AggregateDef[] {
  const out: AggregateDef[] = [];
  const kinds: [string, boolean, boolean][] = [
    ['stddev', true, false], ['stddev_samp', true, false], ['stddev_pop', false, false],
    ['variance', true, true], ['var_samp', true, true], ['var_pop', false, true],
  ];
  for (const [name, sample, variance] of kinds) {
    for (const t of [Types.int2, Types.int4, Types.int8]) {
      out.push(defineAggregate({ name, args: [t], returns: Types.numeric,
        init: () => new NumericMomentState(), step: intMomentStep,
        final: numericStddevFinal(sample, variance) }));
    }
    out.push(defineAggregate({ name, args: [Types.numeric], returns: Types.numeric,
      init: () => new NumericMomentState(), step: numericMomentStep,
      final: numericStddevFinal(sample, variance) }));
    for (const t of [Types.float4, Types.float8]) {
      out.push(defineAggregate({ name, args: [t], returns: Types.float8,
        init: () => new FloatMomentState(), step: floatMomentStep,
        final: floatStddevFinal(sample, variance) }));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Regression (float8_regr_accum); arguments are (Y, X).
// ---------------------------------------------------------------------------------------------

export class RegrState {
  n = 0;
  sx = 0;
  sxx = 0;
  sy = 0;
  syy = 0;
  sxy = 0;
}

function regrStep(s: unknown, args: unknown[]): unknown {
  const st = s as RegrState;
  const y = args[0] as number;
  const x = args[1] as number;
  const oldN = st.n;
  const oldSx = st.sx;
  const oldSy = st.sy;
  st.n = oldN + 1;
  st.sx = oldSx + x;
  st.sy = oldSy + y;
  if (oldN > 0) {
    const tmpX = x * st.n - st.sx;
    const tmpY = y * st.n - st.sy;
    const scale = 1.0 / (st.n * oldN);
    st.sxx += tmpX * tmpX * scale;
    st.syy += tmpY * tmpY * scale;
    st.sxy += tmpX * tmpY * scale;
    regrOverflowCheck(st, oldSx, oldSy, x, y);
  } else {
    if (!Number.isFinite(x)) st.sxx = st.sxy = NaN;
    if (!Number.isFinite(y)) st.syy = st.sxy = NaN;
  }
  return st;
}

function regrOverflowCheck(st: RegrState, oldSx: number, oldSy: number, x: number, y: number): void {
  if (!Number.isFinite(st.sx) || !Number.isFinite(st.sxx)) {
    if (Number.isFinite(oldSx) && Number.isFinite(x)) throw overflow();
    st.sxx = NaN;
  }
  if (!Number.isFinite(st.sy) || !Number.isFinite(st.syy)) {
    if (Number.isFinite(oldSy) && Number.isFinite(y)) throw overflow();
    st.syy = NaN;
  }
  if (!Number.isFinite(st.sxy)) {
    if (Number.isFinite(oldSx) && Number.isFinite(x) && Number.isFinite(oldSy) && Number.isFinite(y)) {
      throw overflow();
    }
    st.sxy = NaN;
  }
}

type RegrFinal = (st: RegrState) => number | null;

const regrFinals: [string, RegrFinal][] = [
  ['regr_sxx', (st) => (st.n < 1 ? null : st.sxx)],
  ['regr_syy', (st) => (st.n < 1 ? null : st.syy)],
  ['regr_sxy', (st) => (st.n < 1 ? null : st.sxy)],
  ['regr_avgx', (st) => (st.n < 1 ? null : st.sx / st.n)],
  ['regr_avgy', (st) => (st.n < 1 ? null : st.sy / st.n)],
  ['covar_pop', (st) => (st.n < 1 ? null : st.sxy / st.n)],
  ['covar_samp', (st) => (st.n < 2 ? null : st.sxy / (st.n - 1))],
  ['corr', (st) => {
    if (st.n < 1 || st.sxx === 0 || st.syy === 0) return null;
    return st.sxy / Math.sqrt(st.sxx * st.syy);
  }],
  ['regr_r2', (st) => {
    if (st.n < 1 || st.sxx === 0) return null;
    if (st.syy === 0) return 1;
    return (st.sxy * st.sxy) / (st.sxx * st.syy);
  }],
  ['regr_slope', (st) => (st.n < 1 || st.sxx === 0 ? null : st.sxy / st.sxx)],
  ['regr_intercept', (st) => (st.n < 1 || st.sxx === 0 ? null : (st.sy - (st.sx * st.sxy) / st.sxx) / st.n)],
];

function regrDefs(): AggregateDef[] {
  const out: AggregateDef[] = regrFinals.map(([name, f]) => defineAggregate({
    name, args: [Types.float8, Types.float8], returns: Types.float8,
    init: () => new RegrState(), step: regrStep, final: (s) => f(s as RegrState),
  }));
  out.push(defineAggregate({
    name: 'regr_count', args: [Types.float8, Types.float8], returns: Types.int8,
    init: () => new RegrState(),
    step: (s) => {
      (s as RegrState).n++;
      return s;
    },
    final: (s) => (s as RegrState).n,
  }));
  return out;
}

export function statsAggregateDefs(): AggregateDef[] {
  return [...momentDefs(), ...regrDefs()];
}
