/**
 * Plan nodes: an immutable tree the executor instantiates into operators (one operator file per
 * node kind under src/exec/operators/). Plans carry no run-time state, so a prepared statement's
 * plan is reused across executions; each execution creates fresh operator state.
 *
 * Every node lists its output columns. Row layout: a row is an array indexed by output column
 * position, except table scans, whose rows are the stored arrays indexed by attnum (the binder
 * maps names to attnums), so a scan hands out stored versions without copying.
 */
import type { SqlType } from '../types/sql-type.ts';
import type { TableDef, IndexDef } from '../catalog/objects.ts';
import type { BoundAggregate, BoundExpr, BoundSortKey, Comparator } from './bound-expr.ts';
import type { TableFunctionDef } from '../functions/registry.ts';

export interface OutputColumn {
  readonly name: string;
  readonly type: SqlType;
}

interface Base {
  readonly columns: readonly OutputColumn[];
  /** Planner's row estimate (for EXPLAIN and, later, costing). */
  readonly estRows: number;
}

/** Reads a table under the statement snapshot (or an AS OF snapshot). */
export interface SeqScanNode extends Base {
  readonly node: 'SeqScan';
  readonly table: TableDef;
  readonly alias: string;
  readonly filter: BoundExpr | null;
  /** Time travel: evaluates to a commit seq; null = statement snapshot. */
  readonly asOf: { readonly type: 'timestamp' | 'transaction'; readonly expr: BoundExpr } | null;
  /** Lock the rows read (SELECT ... FOR UPDATE). */
  readonly lockRows: boolean;
  /** Append a RowRef (slot + version) after the columns: the target scan of UPDATE/DELETE. */
  readonly emitRef: boolean;
  /** Scan toggles of the session that bound it (TypeContext.scanDisabled; absent = all on). */
  readonly scanDisabled?: number;
}

/**
 * Access through indexes (src/plan/binder/access-path.ts chooses it, docs/indexes.md explains it):
 * - mode 'index': Index Scan, entries of `index` matching `conds`, rows fetched and re-checked;
 * - mode 'indexOnly': Index Only Scan, the same but output columns come from the index entry
 *   (keys + INCLUDE), the row slot is only checked for visibility;
 * - mode 'bitmap': Bitmap Heap Scan, `bitmap` (Bitmap Index Scans combined by BitmapAnd /
 *   BitmapOr) gives a set of rows visited in table order and re-checked with `recheck`.
 * Value expressions of every condition live in `keys`, evaluated once per execution.
 */
export interface IndexScanNode extends Base {
  readonly node: 'IndexScan';
  readonly table: TableDef;
  readonly alias: string;
  readonly index: IndexDef;
  /** Value expressions the conditions read (positions referenced by `conds`). */
  readonly keys: readonly BoundExpr[];
  readonly keyTypes: readonly SqlType[];
  /** Conditions on the leading key parts of `index`, in index order (empty: whole index). */
  readonly conds: readonly IndexColumnCond[];
  readonly mode: 'index' | 'indexOnly' | 'bitmap';
  /** Scan the index from its end (ORDER BY ... DESC on an ascending index). */
  readonly backward: boolean;
  /** The conjuncts the index conditions came from (EXPLAIN's Index Cond / Recheck Cond). */
  readonly indexQuals: readonly BoundExpr[];
  readonly bitmap: BitmapTree | null;
  readonly filter: BoundExpr | null;
  readonly lockRows: boolean;
  readonly emitRef: boolean;
  /** Scan toggles of the session that bound it (TypeContext.scanDisabled; absent = all on). */
  readonly scanDisabled?: number;
}

/** A bound on one index key part; `at` indexes the scan node's `keys`. */
export interface IndexBound {
  readonly at: number;
  readonly inclusive: boolean;
}

/** The condition on one index key part (see src/plan/binder/index-conds.ts). */
export interface IndexColumnCond {
  readonly kind: 'eq' | 'in' | 'null' | 'range';
  /** eq: the value's position in `keys`; in: the first of `count` positions. */
  readonly at: number;
  readonly count: number;
  readonly lower: IndexBound | null;
  readonly upper: IndexBound | null;
  /** Ranges (and IS NOT NULL) exclude NULLs. */
  readonly notNull: boolean;
}

/** The bitmap side of a Bitmap Heap Scan. */
export type BitmapTree =
  | { readonly op: 'index'; readonly index: IndexDef; readonly conds: readonly IndexColumnCond[];
      readonly quals: readonly BoundExpr[]; readonly rows: number }
  | { readonly op: 'and' | 'or'; readonly children: readonly BitmapTree[]; readonly rows: number };

export interface ValuesNode extends Base {
  readonly node: 'Values';
  readonly rows: readonly (readonly BoundExpr[])[];
}

/** One row with no columns (SELECT without FROM). */
export interface OneRowNode extends Base {
  readonly node: 'OneRow';
}

export interface FilterNode extends Base {
  readonly node: 'Filter';
  readonly input: PlanNode;
  readonly predicate: BoundExpr;
}

export interface ProjectNode extends Base {
  readonly node: 'Project';
  readonly input: PlanNode;
  readonly exprs: readonly BoundExpr[];
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';

export interface NestedLoopJoinNode extends Base {
  readonly node: 'NestedLoopJoin';
  readonly kind: JoinKind;
  readonly left: PlanNode;
  readonly right: PlanNode;
  /** Evaluated on the concatenated row; null = cross join. */
  readonly condition: BoundExpr | null;
  /** Right side refers to left columns (LATERAL): re-run it per left row. */
  readonly lateral: boolean;
}

export interface HashJoinNode extends Base {
  readonly node: 'HashJoin';
  readonly kind: JoinKind;
  /** Probe side. */
  readonly left: PlanNode;
  /** Build side. */
  readonly right: PlanNode;
  readonly leftKeys: readonly BoundExpr[];
  readonly rightKeys: readonly BoundExpr[];
  readonly keyTypes: readonly SqlType[];
  /** Extra condition on the concatenated row. */
  readonly residual: BoundExpr | null;
  /**
   * Anti join with NOT IN semantics (src/plan/binder/decorrelate.ts): no rows when the build side
   * has a NULL key, every row when it is empty, else probe rows with a non-null unmatched key.
   */
  readonly nullAware?: boolean;
}

/**
 * Merge join on equality keys. Invariant: both inputs arrive sorted ascending on their keys (in
 * key order) under `cmps`; rows whose key has a NULL never match and may sit anywhere (they are
 * passed over as unmatched, which leaves the rest sorted). Output for inner/left/semi/anti joins is
 * ordered on the left keys, for right joins on the right keys; full joins give no order.
 */
export interface MergeJoinNode extends Base {
  readonly node: 'MergeJoin';
  readonly kind: JoinKind;
  readonly left: PlanNode;
  readonly right: PlanNode;
  readonly leftKeys: readonly BoundExpr[];
  readonly rightKeys: readonly BoundExpr[];
  /** Ascending comparator per key (the keys' common type). */
  readonly cmps: readonly Comparator[];
  /** Extra condition on the concatenated row. */
  readonly residual: BoundExpr | null;
}

export interface AggregateNode extends Base {
  readonly node: 'Aggregate';
  readonly input: PlanNode;
  readonly groupKeys: readonly BoundExpr[];
  readonly groupTypes: readonly SqlType[];
  readonly aggregates: readonly BoundAggregate[];
  /**
   * Grouping sets as lists of group-key indexes (null = plain GROUP BY). Output rows also carry
   * a grouping bitmask column at the end when present.
   */
  readonly groupingSets: readonly (readonly number[])[] | null;
}

export interface SortNode extends Base {
  readonly node: 'Sort';
  readonly input: PlanNode;
  readonly keys: readonly BoundSortKey[];
  /** Top-N: only this many rows are needed (LIMIT + OFFSET), or -1. */
  readonly limit: number;
}

export interface LimitNode extends Base {
  readonly node: 'Limit';
  readonly input: PlanNode;
  readonly limit: BoundExpr | null;
  readonly offset: BoundExpr | null;
  /** FETCH ... WITH TIES: rows equal to the last under these keys are included too. */
  readonly withTies: readonly BoundSortKey[] | null;
}

export interface DistinctNode extends Base {
  readonly node: 'Distinct';
  readonly input: PlanNode;
  /** DISTINCT ON: key expressions (first row per key wins, input sorted); null = whole row. */
  readonly on: readonly BoundExpr[] | null;
  readonly keyTypes: readonly SqlType[];
}

export interface SetOpNode extends Base {
  readonly node: 'SetOp';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly left: PlanNode;
  readonly right: PlanNode;
}

export interface FunctionScanNode extends Base {
  readonly node: 'FunctionScan';
  readonly fn: TableFunctionDef;
  readonly args: readonly BoundExpr[];
  readonly argTypes: readonly SqlType[];
  readonly ordinality: boolean;
}

/** Runs a subplan once and replays its rows (CTE referenced several times, uncorrelated). */
export interface MaterializeNode extends Base {
  readonly node: 'Materialize';
  readonly input: PlanNode;
  /** Shared id: all references to one CTE share the materialized rows within an execution. */
  readonly id: number;
}

/**
 * WITH RECURSIVE: runs the non-recursive term, then repeatedly runs the recursive term over the
 * rows produced by the previous iteration (exposed as the working table `workId`) until it yields
 * nothing new.
 */
export interface RecursiveUnionNode extends Base {
  readonly node: 'RecursiveUnion';
  readonly base: PlanNode;
  readonly recursive: PlanNode;
  readonly workId: number;
  readonly all: boolean;
}

export interface WindowNode extends Base {
  readonly node: 'Window';
  readonly input: PlanNode;
  readonly partitionBy: readonly BoundExpr[];
  readonly partitionTypes: readonly SqlType[];
  readonly orderBy: readonly BoundSortKey[];
  readonly functions: readonly WindowFunctionCall[];
}

export interface WindowFunctionCall {
  readonly name: string;
  readonly args: readonly BoundExpr[];
  readonly type: SqlType;
  readonly aggregate: BoundAggregate | null;
  readonly frame: WindowFrameSpec;
}

export interface WindowFrameSpec {
  readonly mode: 'rows' | 'range' | 'groups';
  readonly start: { readonly type: string; readonly offset: BoundExpr | null };
  readonly end: { readonly type: string; readonly offset: BoundExpr | null };
  readonly exclusion: 'no_others' | 'current_row' | 'group' | 'ties';
}

export type PlanNode =
  | SeqScanNode | IndexScanNode | ValuesNode | OneRowNode | FilterNode | ProjectNode
  | NestedLoopJoinNode | HashJoinNode | MergeJoinNode | AggregateNode | SortNode | LimitNode | DistinctNode
  | SetOpNode | FunctionScanNode | MaterializeNode | WindowNode | RecursiveUnionNode;

export type { Comparator };
