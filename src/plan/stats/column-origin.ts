/**
 * Where the columns of a plan's output come from: a table column (table + attnum) when the value
 * is passed through unchanged from a scan, else nothing. The selectivity estimator uses it to find
 * the statistics behind an expression over any plan's rows (a scan's filter, a join condition
 * over a joined row, a predicate above a subquery), the way PostgreSQL's examine_variable follows
 * a Var to its base relation.
 */
import type { TableDef } from '../../catalog/objects.ts';
import type { ColumnStats } from '../../storage/table-stats.ts';
import type { PlanNode } from '../plan-nodes.ts';

/** A base-table column. */
export interface ColumnSource {
  readonly table: TableDef;
  readonly attnum: number;
}

/** Maps a column index of some row layout to its source, or null when it is computed. */
export type ColumnOrigin = (index: number) => ColumnSource | null;

export const NO_ORIGIN: ColumnOrigin = () => null;

/** A scan's rows are the stored arrays, indexed by attnum. */
export function scanOrigin(table: TableDef): ColumnOrigin {
  return (attnum) => (table.columns.some((c) => c.attnum === attnum) ? { table, attnum } : null);
}

/** The origin of each output column of `plan` (memoized per plan node). */
export function planOrigin(plan: PlanNode): ColumnOrigin {
  let memo = cache.get(plan);
  if (memo === undefined) {
    memo = build(plan);
    cache.set(plan, memo);
  }
  return memo;
}

const cache = new WeakMap<PlanNode, ColumnOrigin>();

function build(p: PlanNode): ColumnOrigin {
  switch (p.node) {
    case 'SeqScan': case 'IndexScan':
      return scanOrigin(p.table);
    case 'Filter': case 'Sort': case 'Limit': case 'Distinct': case 'Materialize':
      return planOrigin(p.input);
    case 'Window': {
      const inner = planOrigin(p.input);
      const w = p.input.columns.length;
      return (i) => (i < w ? inner(i) : null);
    }
    case 'Project': {
      const inner = planOrigin(p.input);
      return (i) => {
        const e = p.exprs[i];
        return e !== undefined && e.k === 'col' && e.levelsUp === 0 ? inner(e.index) : null;
      };
    }
    case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': {
      const l = planOrigin(p.left);
      const r = planOrigin(p.right);
      const w = p.left.columns.length;
      // Outer joins null-extend one side; its statistics still describe the non-null values.
      return (i) => (i < w ? l(i) : r(i - w));
    }
    default:
      return NO_ORIGIN;
  }
}

/** Live rows of a table now (the store's running count, kept exact by inserts and deletes). */
export function tableRows(table: TableDef): number {
  return Math.max(0, table.store.rowEstimate);
}

export function columnStats(src: ColumnSource): ColumnStats | null {
  return src.table.store.currentStats()?.columns.get(src.attnum) ?? null;
}

/** Whether a single-column unique index (or primary key) guarantees distinct values. */
export function isUniqueColumn(src: ColumnSource): boolean {
  return src.table.indexes.some((i) => i.unique && i.predicate === null && i.keys.length === 1 && i.keys[0] === src.attnum);
}

/** PostgreSQL's DEFAULT_NUM_DISTINCT: distinct values assumed for a column with no statistics. */
export const DEFAULT_NUM_DISTINCT = 200;

/**
 * Estimated number of distinct non-null values of a column (PostgreSQL get_variable_numdistinct):
 * from statistics (negative n_distinct scales with the current row count), exact for unique
 * columns, 2 for booleans, else DEFAULT_NUM_DISTINCT; never more than the table's rows.
 */
export function distinctCount(src: ColumnSource): number {
  const rows = Math.max(1, tableRows(src.table));
  const st = columnStats(src);
  if (isUniqueColumn(src)) return rows * (st ? 1 - st.nullFrac : 1);
  if (st !== null && st.nDistinct !== 0) {
    const nd = st.nDistinct > 0 ? st.nDistinct : -st.nDistinct * rows;
    return Math.max(1, Math.min(rows, nd));
  }
  if (st !== null && st.nDistinct === 0 && st.nullFrac >= 1) return 1;
  const col = src.table.columns.find((c) => c.attnum === src.attnum);
  if (col?.type.oid === 16) return 2;
  return Math.min(rows, DEFAULT_NUM_DISTINCT);
}
