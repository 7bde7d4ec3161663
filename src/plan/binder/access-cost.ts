/**
 * Cost arithmetic of table access paths (Seq Scan, Index Scan, Index Only Scan, Bitmap Heap Scan)
 * and the selectivity estimates it uses. Units follow PostgreSQL's (a sequential page read = 1),
 * with constants chosen for an in-memory store: there is no disk, so an index scan's "random
 * page" is a pointer chase to the row slot plus a visibility check and a key re-check, a few
 * times a sequential row visit rather than PostgreSQL's 4 pages.
 *
 * Selectivity comes from `estimateSelectivity`, the one function to point at real statistics
 * (MCV lists, histograms) when the planner's src/plan/stats lands; until then it uses
 * PostgreSQL's defaults (selfuncs.h), refined for B-tree ranges by the index's own minimum and
 * maximum keys (`rangeFraction`), which an in-memory B-tree knows for free.
 */
import type { TableDef } from '../../catalog/objects.ts';
import type { BoundExpr } from '../bound-expr.ts';

/** PostgreSQL's cost constants (postgresql.conf defaults). */
export const SEQ_PAGE_COST = 1;
export const CPU_TUPLE_COST = 0.01;
export const CPU_INDEX_TUPLE_COST = 0.005;
export const CPU_OPERATOR_COST = 0.0025;
/** Rows per notional page (EXPLAIN's page arithmetic uses the same figure). */
export const ROWS_PER_PAGE = 100;
/**
 * Fetching a row through an index entry: slot dereference, visibility walk, key re-check, in
 * random order. Measured at 3-5x a sequential visit on the in-memory store (docs/indexes.md).
 */
export const INDEX_FETCH_COST = 0.04;
/** Index-only fetch: still a visibility check on the slot (versions live in the table), no row. */
export const INDEX_ONLY_FETCH_COST = 0.01;
/** Bitmap heap fetch: rows in table order, each once. */
export const BITMAP_FETCH_COST = 0.02;

/** PostgreSQL's default selectivities (src/include/utils/selfuncs.h). */
export const DEFAULT_EQ_SEL = 0.005;
export const DEFAULT_INEQ_SEL = 1 / 3;
export const DEFAULT_RANGE_INEQ_SEL = 0.005;
export const DEFAULT_MATCH_SEL = 0.005;
export const DEFAULT_NULL_SEL = 0.005;

export interface PathCost {
  readonly startup: number;
  readonly total: number;
  readonly rows: number;
}

/** Live rows of a table as the planner sees them (never below 1). */
export function tableRows(table: TableDef): number {
  return Math.max(1, table.store.rowEstimate);
}

/**
 * Estimated fraction of `table`'s rows satisfying `qual`. THE selectivity hook: replace the
 * body with the statistics-based estimator of src/plan/stats when it is merged.
 */
export function estimateSelectivity(table: TableDef, qual: BoundExpr): number {
  void table;
  switch (qual.k) {
    case 'cmp':
      if (qual.op === '=') return DEFAULT_EQ_SEL;
      if (qual.op === '<>') return 1 - DEFAULT_EQ_SEL;
      return DEFAULT_INEQ_SEL;
    case 'inlist':
      return qual.negated ? 1 - qual.list.length * DEFAULT_EQ_SEL : Math.min(1, qual.list.length * DEFAULT_EQ_SEL);
    case 'quantarray':
      return qual.array.k === 'array' ? Math.min(1, qual.array.elems.length * DEFAULT_EQ_SEL) : DEFAULT_INEQ_SEL;
    case 'istest':
      if (qual.test === 'null') return qual.negated ? 1 - DEFAULT_NULL_SEL : DEFAULT_NULL_SEL;
      return 0.5;
    case 'and':
      return qual.args.reduce((s, a) => s * estimateSelectivity(table, a), 1);
    case 'or': {
      let miss = 1;
      for (const a of qual.args) miss *= 1 - estimateSelectivity(table, a);
      return 1 - miss;
    }
    case 'not':
      return 1 - estimateSelectivity(table, qual.arg);
    case 'call':
      return qual.fn.name === '~~' || qual.fn.name === '~~*' ? DEFAULT_MATCH_SEL : DEFAULT_INEQ_SEL;
    case 'col':
      return 0.5;
    case 'const':
      return qual.value === true ? 1 : 0;
    default:
      return DEFAULT_INEQ_SEL;
  }
}

/** Combined selectivity of independent conjuncts; a pair of range bounds counts as a range. */
export function conjunctSelectivity(table: TableDef, quals: readonly BoundExpr[]): number {
  let s = 1;
  let ineq = 0;
  for (const q of quals) {
    if (q.k === 'cmp' && q.op !== '=' && q.op !== '<>') ineq++;
    s *= estimateSelectivity(table, q);
  }
  // PostgreSQL's clauselist_selectivity: `a > x AND a < y` is a range, not two independent 1/3s.
  if (ineq >= 2) s = (s / (DEFAULT_INEQ_SEL * DEFAULT_INEQ_SEL)) * DEFAULT_RANGE_INEQ_SEL;
  return Math.min(1, Math.max(0, s));
}

export function seqScanCost(table: TableDef, nQuals: number): PathCost {
  const n = tableRows(table);
  const total = Math.ceil(n / ROWS_PER_PAGE) * SEQ_PAGE_COST + n * (CPU_TUPLE_COST + CPU_OPERATOR_COST * nQuals);
  return { startup: 0, total, rows: n };
}

/** Cost of descending a B-tree (or probing a hash) once. */
function descentCost(n: number): number {
  return Math.ceil(Math.log2(n + 1)) * CPU_OPERATOR_COST + CPU_OPERATOR_COST;
}

/**
 * An index scan reading `fraction` of the index's entries in `probes` descents (IN lists probe
 * once per value), fetching each row (or only checking visibility, for index-only scans), then
 * applying `nFilter` residual conjuncts.
 */
export function indexScanCost(
  table: TableDef, fraction: number, probes: number, indexOnly: boolean, nFilter: number,
): PathCost {
  const n = tableRows(table);
  const rows = Math.max(1, fraction * n);
  const startup = descentCost(n);
  const fetch = indexOnly ? INDEX_ONLY_FETCH_COST : INDEX_FETCH_COST;
  const total = startup * probes + rows * (CPU_INDEX_TUPLE_COST + CPU_TUPLE_COST + fetch + CPU_OPERATOR_COST * nFilter);
  return { startup, total, rows };
}

/**
 * A bitmap heap scan: every bitmap index scan reads its entries (`fractions`, one per index
 * scan), the bitmaps are combined, then the `fraction` of rows left is fetched in table order and
 * re-checked (`nRecheck` conditions).
 */
export function bitmapScanCost(
  table: TableDef, fractions: readonly number[], fraction: number, nRecheck: number,
): PathCost {
  const n = tableRows(table);
  let startup = 0;
  for (const f of fractions) startup += descentCost(n) + f * n * CPU_INDEX_TUPLE_COST + (n / 32) * CPU_OPERATOR_COST * 0.1;
  const rows = Math.max(1, fraction * n);
  const total = startup + rows * (CPU_TUPLE_COST + BITMAP_FETCH_COST + CPU_OPERATOR_COST * nRecheck);
  return { startup, total, rows };
}

/** Cost of sorting `rows` rows (PostgreSQL's comparison-count model), for ordered-scan choices. */
export function sortCost(rows: number, limit: number): number {
  const n = Math.max(2, rows);
  const k = limit > 0 && limit < n ? Math.max(2, limit) : n;
  return 2 * CPU_OPERATOR_COST * n * Math.log2(k);
}
