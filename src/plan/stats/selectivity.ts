/**
 * Selectivity estimation: the fraction of rows a predicate keeps, following PostgreSQL's
 * selfuncs.c / clausesel.c.
 *  - `col = const`: the MCV frequency when the value is a most common value, else the remaining
 *    non-null, non-MCV fraction spread evenly over the remaining distinct values (eqsel).
 *    `col = $1` / `col = outer.col`: (1 − null_frac) / n_distinct (var_eq_non_const).
 *  - `<, <=, >, >=`: the MCVs that satisfy it plus the histogram fraction, interpolated inside the
 *    bucket for numeric, date/time and text values (scalarineqsel); a pair of bounds on one column
 *    (BETWEEN, `a > 1 AND a < 5`) is estimated as one range, hi + lo − 1 (clauselist_selectivity).
 *  - IN lists: sum of the equalities; IS [NOT] NULL: the null fraction; LIKE: MCVs matched
 *    directly, the fixed prefix as a range over the histogram, the rest of the pattern by
 *    PostgreSQL's per-character factors.
 *  - AND multiplies, OR is s1 + s2 − s1·s2, NOT is 1 − s.
 * Without statistics the PostgreSQL defaults apply: 0.005 for equality (1/rows on a unique
 * column), 1/3 for an inequality, 0.005 for a range, 0.005 for IS NULL.
 *
 * Public API (used by the join planner, the cost model and the access-path chooser):
 * `estimateSelectivity(pred, origin)`, `estimateScanRows(table, filter)`, `eqJoinSelectivity`.
 */
import type { TableDef } from '../../catalog/objects.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { PlanNode } from '../plan-nodes.ts';
import type { ColumnStats } from '../../storage/table-stats.ts';
import {
  columnStats, distinctCount, isUniqueColumn, planOrigin, scanOrigin, tableRows, type ColumnOrigin, type ColumnSource,
} from './column-origin.ts';
import { histogramFraction } from './histogram.ts';
import { likeSelectivity } from './like-sel.ts';

export { scanOrigin, planOrigin, tableRows, distinctCount, type ColumnOrigin, type ColumnSource } from './column-origin.ts';

/** PostgreSQL's defaults (selfuncs.h). */
export const DEFAULT_EQ_SEL = 0.005;
export const DEFAULT_INEQ_SEL = 1 / 3;
export const DEFAULT_RANGE_INEQ_SEL = 0.005;
export const DEFAULT_MATCH_SEL = 0.005;
export const DEFAULT_UNK_SEL = 0.005;
export const DEFAULT_NOT_UNK_SEL = 1 - DEFAULT_UNK_SEL;
/** A boolean expression the estimator does not understand (PostgreSQL's clause default). */
export const DEFAULT_BOOL_SEL = 1 / 3;

type Comparator = (a: unknown, b: unknown) => number;

function clamp(s: number): number {
  if (!(s >= 0)) return 0;
  return s > 1 ? 1 : s;
}

/** The table column an expression reads, looking through casts (which keep order and equality). */
function columnOf(e: BoundExpr, origin: ColumnOrigin): ColumnSource | null {
  let x = e;
  while (x.k === 'cast') x = x.arg;
  if (x.k !== 'col' || x.levelsUp !== 0) return null;
  return origin(x.index);
}

/** A value known at plan time: a constant (possibly cast, already folded by the binder). */
function constOf(e: BoundExpr): { value: unknown } | null {
  return e.k === 'const' ? { value: e.value } : null;
}

/** Reads no column of the current row (a constant, a parameter, an outer reference). */
function rowIndependent(e: BoundExpr): boolean {
  switch (e.k) {
    case 'const': case 'param': return true;
    case 'col': return e.levelsUp > 0;
    case 'cast': return rowIndependent(e.arg);
    case 'call': return e.fn.volatility !== 'volatile' && e.args.every(rowIndependent);
    default: return false;
  }
}

function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** Selectivity of `col = value` for a known value (eqsel with a constant). */
export function eqConstSel(src: ColumnSource, value: unknown, cmp: Comparator): number {
  if (value === null) return 0;
  const rows = Math.max(1, tableRows(src.table));
  if (isUniqueColumn(src)) return 1 / rows;
  const st = columnStats(src);
  if (st === null) return DEFAULT_EQ_SEL;
  for (let i = 0; i < st.mcvValues.length; i++) {
    if (cmp(st.mcvValues[i], value) === 0) return st.mcvFreqs[i]!;
  }
  const mcvSum = sumOf(st.mcvFreqs);
  const nd = distinctCount(src);
  const other = nd - st.mcvValues.length;
  if (other <= 0) return 0;
  let sel = (1 - mcvSum - st.nullFrac) / other;
  // Not more than the least common MCV (else it would have been one).
  const leastMcv = st.mcvFreqs.length > 0 ? st.mcvFreqs[st.mcvFreqs.length - 1]! : 1;
  if (sel > leastMcv) sel = leastMcv;
  return clamp(sel);
}

/** Selectivity of `col = <value unknown at plan time>` (var_eq_non_const). */
export function eqUnknownSel(src: ColumnSource): number {
  const rows = Math.max(1, tableRows(src.table));
  if (isUniqueColumn(src)) return 1 / rows;
  const st = columnStats(src);
  if (st === null) return Math.max(DEFAULT_EQ_SEL, 1 / distinctCount(src));
  let sel = (1 - st.nullFrac) / distinctCount(src);
  const topMcv = st.mcvFreqs[0];
  if (topMcv !== undefined && sel > topMcv) sel = topMcv;
  return clamp(sel);
}

/**
 * Fraction of rows with `col < value` (or `<=`, or `>`/`>=` with `greater`), from the MCVs and
 * the histogram; null when the column has no usable statistics.
 */
export function ineqSel(src: ColumnSource, value: unknown, greater: boolean, inclusive: boolean, cmp: Comparator): number | null {
  const st = columnStats(src);
  if (st === null || value === null) return null;
  if (st.histogram.length < 2 && st.mcvValues.length === 0) return null;
  let mcvPart = 0;
  for (let i = 0; i < st.mcvValues.length; i++) {
    const c = cmp(st.mcvValues[i], value);
    if (greater ? c > 0 || (inclusive && c === 0) : c < 0 || (inclusive && c === 0)) mcvPart += st.mcvFreqs[i]!;
  }
  const restFrac = Math.max(0, 1 - sumOf(st.mcvFreqs) - st.nullFrac);
  let histPart = 0;
  if (st.histogram.length >= 2) {
    const below = histogramFraction(st.histogram, value, cmp);
    histPart = (greater ? 1 - below : below) * restFrac;
  } else if (restFrac > 0) {
    // Values outside the MCV list with no histogram: assume the default share of them.
    histPart = restFrac * DEFAULT_INEQ_SEL;
  }
  return clamp(mcvPart + histPart);
}

function nullFracOf(st: ColumnStats | null): number {
  return st === null ? 0 : st.nullFrac;
}

/** `col op const` (either order), or null when the clause is not of that shape. */
function cmpSel(e: Extract<BoundExpr, { k: 'cmp' }>, origin: ColumnOrigin): number {
  let col = columnOf(e.left, origin);
  let other = e.right;
  let op = e.op;
  if (col === null) {
    col = columnOf(e.right, origin);
    other = e.left;
    op = op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
  }
  if (col === null || !rowIndependent(other)) {
    // Two columns of the current row.
    const l = columnOf(e.left, origin);
    const r = columnOf(e.right, origin);
    if (op === '=' && l !== null && r !== null) return 1 / Math.max(distinctCount(l), distinctCount(r));
    return op === '=' ? DEFAULT_EQ_SEL : op === '<>' ? 1 - DEFAULT_EQ_SEL : DEFAULT_INEQ_SEL;
  }
  const k = constOf(other);
  if (k !== null && k.value === null) return 0;
  switch (op) {
    case '=':
      return k !== null ? eqConstSel(col, k.value, e.cmp) : eqUnknownSel(col);
    case '<>': {
      const eq = k !== null ? eqConstSel(col, k.value, e.cmp) : eqUnknownSel(col);
      return clamp(1 - eq - nullFracOf(columnStats(col)));
    }
    default: {
      if (k === null) return DEFAULT_INEQ_SEL;
      const s = ineqSel(col, k.value, op === '>' || op === '>=', op === '<=' || op === '>=', e.cmp);
      return s ?? DEFAULT_INEQ_SEL;
    }
  }
}

function inListSel(e: Extract<BoundExpr, { k: 'inlist' }>, origin: ColumnOrigin): number {
  const col = columnOf(e.arg, origin);
  let s = 0;
  for (const item of e.list) {
    if (col === null || !rowIndependent(item)) s += DEFAULT_EQ_SEL;
    else {
      const k = constOf(item);
      s += k !== null ? eqConstSel(col, k.value, e.cmp) : eqUnknownSel(col);
    }
  }
  s = clamp(s);
  if (!e.negated) return s;
  return clamp(1 - s - (col === null ? 0 : nullFracOf(columnStats(col))));
}

function nullTestSel(arg: BoundExpr, negated: boolean, origin: ColumnOrigin): number {
  const col = columnOf(arg, origin);
  const st = col === null ? null : columnStats(col);
  if (col !== null && st === null && col.table.columns.find((c) => c.attnum === col.attnum)?.notNull) {
    return negated ? 1 : 0;
  }
  const nf = st === null ? DEFAULT_UNK_SEL : st.nullFrac;
  return negated ? 1 - nf : nf;
}

/** A one-sided bound on a column, collected to pair up ranges inside an AND. */
interface Bound {
  readonly key: string; readonly greater: boolean; readonly sel: number; readonly known: boolean; readonly nullFrac: number;
}

function boundOf(e: BoundExpr, origin: ColumnOrigin): Bound | null {
  if (e.k !== 'cmp' || e.op === '=' || e.op === '<>') return null;
  let col = columnOf(e.left, origin);
  let greater = e.op === '>' || e.op === '>=';
  let other = e.right;
  if (col === null) {
    col = columnOf(e.right, origin);
    greater = !greater;
    other = e.left;
  }
  if (col === null || !rowIndependent(other)) return null;
  const k = constOf(other);
  const s = k === null ? null : ineqSel(col, k.value, greater, e.op === '<=' || e.op === '>=', e.cmp);
  return {
    key: `${col.table.oid}:${col.attnum}`, greater, sel: s ?? DEFAULT_INEQ_SEL, known: s !== null,
    nullFrac: nullFracOf(columnStats(col)),
  };
}

function flattenAnd(e: BoundExpr): BoundExpr[] {
  return e.k === 'and' ? e.args.flatMap(flattenAnd) : [e];
}

function andSel(args: readonly BoundExpr[], origin: ColumnOrigin): number {
  let s = 1;
  const ranges = new Map<string, { lo: Bound | null; hi: Bound | null; nullFrac: number }>();
  for (const a of args) {
    const b = boundOf(a, origin);
    if (b === null) { s *= estimateSelectivity(a, origin); continue; }
    let r = ranges.get(b.key);
    if (r === undefined) ranges.set(b.key, (r = { lo: null, hi: null, nullFrac: b.nullFrac }));
    // A lower bound is a `>` clause; keep the tighter one when repeated.
    if (b.greater) r.lo = r.lo === null || b.sel < r.lo.sel ? b : r.lo;
    else r.hi = r.hi === null || b.sel < r.hi.sel ? b : r.hi;
  }
  for (const r of ranges.values()) {
    if (r.lo !== null && r.hi !== null) {
      if (!r.lo.known || !r.hi.known) { s *= DEFAULT_RANGE_INEQ_SEL; continue; }
      let range = r.hi.sel + r.lo.sel - 1 + r.nullFrac;
      if (range <= 0) range = range < -0.01 ? DEFAULT_RANGE_INEQ_SEL : 1e-10;
      s *= range;
    } else {
      s *= (r.lo ?? r.hi)!.sel;
    }
  }
  return clamp(s);
}

/**
 * Estimated fraction of input rows for which `pred` is true. `origin` maps the predicate's column
 * references (levelsUp 0) to table columns, for their statistics.
 */
export function estimateSelectivity(pred: BoundExpr | null, origin: ColumnOrigin): number {
  if (pred === null) return 1;
  try {
    return clamp(selectivityOf(pred, origin));
  } catch {
    // A comparator that does not accept a statistics value (mixed representations): no estimate.
    return DEFAULT_BOOL_SEL;
  }
}

function selectivityOf(e: BoundExpr, origin: ColumnOrigin): number {
  switch (e.k) {
    case 'const':
      return e.value === true ? 1 : 0;
    case 'and':
      return andSel(e.args.flatMap(flattenAnd), origin);
    case 'or': {
      let s = 0;
      for (const a of e.args) {
        const x = estimateSelectivity(a, origin);
        s = s + x - s * x;
      }
      return s;
    }
    case 'not':
      return 1 - estimateSelectivity(e.arg, origin);
    case 'cmp':
      return cmpSel(e, origin);
    case 'inlist':
      return inListSel(e, origin);
    case 'istest':
      if (e.test === 'null') return nullTestSel(e.arg, e.negated, origin);
      return boolColumnSel(e.arg, e.test === 'true' ? !e.negated : e.negated, origin);
    case 'col':
      return boolColumnSel(e, true, origin);
    case 'call':
      if (e.fn.name === '~~' || e.fn.name === '!~~' || e.fn.name === '~~*' || e.fn.name === '!~~*') {
        return likeClauseSel(e, origin);
      }
      return DEFAULT_BOOL_SEL;
    case 'subquery':
      return e.mode === 'exists' || e.mode === 'in' ? 0.5 : DEFAULT_BOOL_SEL;
    default:
      return DEFAULT_BOOL_SEL;
  }
}

/** A boolean column tested for true (or false). */
function boolColumnSel(arg: BoundExpr, wantTrue: boolean, origin: ColumnOrigin): number {
  const col = columnOf(arg, origin);
  const st = col === null ? null : columnStats(col);
  if (st === null) return 0.5;
  const at = st.mcvValues.indexOf(true);
  const t = at >= 0 ? st.mcvFreqs[at]! : (1 - st.nullFrac) / 2;
  return wantTrue ? t : clamp(1 - t - st.nullFrac);
}

function likeClauseSel(e: Extract<BoundExpr, { k: 'call' }>, origin: ColumnOrigin): number {
  const negated = e.fn.name.startsWith('!');
  const caseless = e.fn.name.endsWith('*');
  const col = e.args[0] === undefined ? null : columnOf(e.args[0], origin);
  const pat = e.args[1] === undefined ? null : constOf(e.args[1]);
  if (col === null || pat === null || typeof pat.value !== 'string') return negated ? 1 - DEFAULT_MATCH_SEL : DEFAULT_MATCH_SEL;
  const st = columnStats(col);
  const s = likeSelectivity(st, pat.value, caseless);
  return negated ? clamp(1 - s - nullFracOf(st)) : s;
}

/** Rows a scan of `table` with `filter` (over its attnum-indexed rows) is expected to return. */
export function estimateScanRows(table: TableDef, filter: BoundExpr | null): number {
  const rows = tableRows(table);
  return rows * estimateSelectivity(filter, scanOrigin(table));
}

/**
 * Selectivity of an equi-join `l = r` (eqjoinsel without MCV matching):
 * (1 − nullfrac_l)(1 − nullfrac_r) / max(nd_l, nd_r), each n_distinct clamped to its side's rows.
 * Expressions that are not plain columns count DEFAULT_NUM_DISTINCT distinct values.
 */
export function eqJoinSelectivity(
  l: BoundExpr, r: BoundExpr, lo: ColumnOrigin, ro: ColumnOrigin, leftRows: number, rightRows: number,
): number {
  const side = (e: BoundExpr, origin: ColumnOrigin, rows: number): { nd: number; nf: number } => {
    const col = columnOf(e, origin);
    if (col === null) return { nd: Math.max(1, Math.min(rows, 200)), nf: 0 };
    const st = columnStats(col);
    return { nd: Math.max(1, Math.min(Math.max(1, rows), distinctCount(col))), nf: nullFracOf(st) };
  };
  const a = side(l, lo, leftRows);
  const b = side(r, ro, rightRows);
  return clamp(((1 - a.nf) * (1 - b.nf)) / Math.max(a.nd, b.nd));
}

/** Distinct values of an expression over rows of `origin` (GROUP BY / DISTINCT estimates). */
export function estimateDistinct(e: BoundExpr, origin: ColumnOrigin, rows: number): number {
  const col = columnOf(e, origin);
  if (col === null) return Math.max(1, Math.min(rows, 200));
  return Math.max(1, Math.min(rows, distinctCount(col)));
}

/**
 * Groups a GROUP BY on `keys` (over `input`'s rows) produces (PostgreSQL estimate_num_groups):
 * the product of the keys' distinct counts, at most the input's rows.
 */
export function estimateGroups(keys: readonly BoundExpr[], input: PlanNode): number {
  const rows = Math.max(1, input.estRows);
  const origin = planOrigin(input);
  let groups = 1;
  for (const k of keys) groups *= estimateDistinct(k, origin, rows);
  return Math.max(1, Math.min(rows, Math.round(groups)));
}
