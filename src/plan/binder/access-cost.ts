/**
 * Cost arithmetic of table access paths (Seq Scan, Index Scan, Index Only Scan, Bitmap Heap Scan)
 * and the selectivity estimates it uses. Units follow PostgreSQL's (a sequential page read = 1),
 * with constants chosen for an in-memory store: there is no disk, so an index scan's "random
 * page" is a pointer chase to the row slot plus a visibility check and a key re-check, a few
 * times a sequential row visit rather than PostgreSQL's 4 pages.
 *
 * Selectivity comes from `estimateSelectivity`: the statistics of src/plan/stats (MCV lists,
 * histograms; PostgreSQL's defaults without ANALYZE), refined for B-tree ranges by the index's
 * own minimum and maximum keys, which an in-memory B-tree knows for free.
 */
import type { TableDef } from '../../catalog/objects.ts';
import type { BoundExpr } from '../bound-expr.ts';
import { estimateSelectivity as statsSelectivity } from '../stats/selectivity.ts';
import { scanOrigin } from '../stats/column-origin.ts';
import { Types } from '../../types/sql-type.ts';

import { CPU_INDEX_TUPLE_COST, CPU_OPERATOR_COST, CPU_TUPLE_COST, SEQ_PAGE_COST } from '../cost/constants.ts';
import type { BitmapTree, IndexScanNode } from '../plan-nodes.ts';
import { tableRows as liveRows } from '../stats/column-origin.ts';

/** Live rows of a table as access paths cost them: never below 1, so fractions stay defined. */
export function tableRows(table: TableDef): number {
  return Math.max(1, liveRows(table));
}
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


export interface PathCost {
  readonly startup: number;
  readonly total: number;
  readonly rows: number;
}


/**
 * Estimated fraction of `table`'s rows satisfying `qual` (bound over the table's attnum-indexed
 * rows): the statistics-based estimator of src/plan/stats (MCVs, histograms, null fractions;
 * PostgreSQL's defaults where ANALYZE has not run).
 */
export function estimateSelectivity(table: TableDef, qual: BoundExpr): number {
  return statsSelectivity(qual, scanOrigin(table));
}

/** Combined selectivity of independent conjuncts; a pair of range bounds counts as a range. */
export function conjunctSelectivity(table: TableDef, quals: readonly BoundExpr[]): number {
  if (quals.length === 0) return 1;
  // One AND, so the estimator sees range pairs (a > x AND a < y) together, as PostgreSQL's
  // clauselist_selectivity does.
  const pred: BoundExpr = quals.length === 1 ? quals[0]! : { k: 'and', type: Types.bool, args: [...quals] };
  return statsSelectivity(pred, scanOrigin(table));
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

/** The cost of an index access path node as chosen (index, index-only or bitmap scan). */
export function indexNodeCost(p: IndexScanNode): { startup: number; total: number } {
  const n = tableRows(p.table);
  const nFilter = p.filter === null ? 0 : p.filter.k === 'and' ? p.filter.args.length : 1;
  if (p.mode === 'bitmap') {
    const leaves: number[] = [];
    const collect = (t: BitmapTree): void => {
      if (t.op === 'index') leaves.push(t.rows / n);
      else t.children.forEach(collect);
    };
    if (p.bitmap !== null) collect(p.bitmap);
    const c = bitmapScanCost(p.table, leaves, (p.bitmap?.rows ?? 1) / n, p.indexQuals.length + nFilter);
    return { startup: c.startup, total: c.total };
  }
  const probes = p.conds.reduce((k, c) => (c.kind === 'in' ? k * c.count : k), 1);
  const c = indexScanCost(p.table, Math.min(1, p.estRows / n), probes, p.mode === 'indexOnly', nFilter);
  return { startup: c.startup, total: c.total };
}
