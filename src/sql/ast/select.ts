/**
 * Query nodes: SELECT, set operations, VALUES, WITH, FROM items (TableRef), locking clauses.
 *
 * Invariants:
 * - `SelectQuery` is what may appear wherever PostgreSQL's grammar has a select_with_parens /
 *   SelectStmt: a Select, a SetOperation or a Values. ORDER BY / LIMIT / OFFSET / locking written
 *   after a set operation belong to the SetOperation node (they apply to the whole result), while a
 *   parenthesized operand keeps its own.
 * - `TABLE t` is desugared to `SELECT * FROM t`.
 * - `FETCH FIRST [n] ROWS ONLY|WITH TIES` is stored in `limit` (n defaults to 1) with
 *   `limitWithTies`; `LIMIT ALL` is stored as limit = null.
 */
import type { Alias, ObjectName, SortBy, TypeName } from './common.ts';
import type { Expr, WindowDef } from './expr.ts';
import type { DeleteStmt, InsertStmt, UpdateStmt } from './dml.ts';

/** One output column: `expr [AS alias]`. For `*` / `t.*` expr is a ColumnRef with star = true. */
export interface ResTarget {
  readonly kind: 'ResTarget';
  readonly expr: Expr;
  readonly alias: string | null;
  readonly loc: number;
}

export interface CommonTableExpr {
  readonly kind: 'CommonTableExpr';
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly materialized: 'default' | 'materialized' | 'not_materialized';
  readonly query: SelectQuery | InsertStmt | UpdateStmt | DeleteStmt;
  readonly loc: number;
}

export interface WithClause {
  readonly kind: 'WithClause';
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpr[];
  readonly loc: number;
}

export type LockStrength = 'update' | 'no_key_update' | 'share' | 'key_share';

export interface LockingClause {
  readonly kind: 'LockingClause';
  readonly strength: LockStrength;
  /** FOR UPDATE OF t1, t2: the relation names (empty = all). */
  readonly of: readonly ObjectName[];
  readonly waitPolicy: 'block' | 'nowait' | 'skip_locked';
  readonly loc: number;
}

/** GROUPING SETS / ROLLUP / CUBE / `()` inside GROUP BY. */
export interface GroupingSet {
  readonly kind: 'GroupingSet';
  readonly type: 'empty' | 'rollup' | 'cube' | 'sets';
  readonly items: readonly GroupByItem[];
  readonly loc: number;
}

export type GroupByItem = Expr | GroupingSet;

/** Fields shared by every query form: WITH before, ORDER BY / LIMIT / OFFSET / locking after. */
export interface QueryTail {
  readonly with: WithClause | null;
  readonly orderBy: readonly SortBy[];
  readonly limit: Expr | null;
  readonly limitWithTies: boolean;
  readonly offset: Expr | null;
  readonly locking: readonly LockingClause[];
}

export interface SelectStmt extends QueryTail {
  readonly kind: 'Select';
  readonly distinct: boolean;
  /** DISTINCT ON (...) expressions; null when plain DISTINCT or no DISTINCT. */
  readonly distinctOn: readonly Expr[] | null;
  readonly targets: readonly ResTarget[];
  /** SELECT ... INTO [TEMP] t (creates a table); null normally. */
  readonly into: IntoClause | null;
  readonly from: readonly TableRef[];
  readonly where: Expr | null;
  readonly groupBy: readonly GroupByItem[];
  readonly groupByDistinct: boolean;
  readonly having: Expr | null;
  readonly windows: readonly WindowDef[];
  readonly loc: number;
}

export interface IntoClause {
  readonly kind: 'IntoClause';
  readonly name: ObjectName;
  readonly persistence: 'permanent' | 'temp' | 'unlogged';
  readonly loc: number;
}

export interface SetOperationStmt extends QueryTail {
  readonly kind: 'SetOperation';
  readonly op: 'union' | 'intersect' | 'except';
  readonly all: boolean;
  readonly left: SelectQuery;
  readonly right: SelectQuery;
  readonly loc: number;
}

/** VALUES (...), (...) — as a statement, set-operation operand, FROM item or INSERT source. */
export interface ValuesStmt extends QueryTail {
  readonly kind: 'Values';
  /** Items may be DefaultExpr (only meaningful as INSERT source). */
  readonly rows: readonly (readonly Expr[])[];
  readonly loc: number;
}

export type SelectQuery = SelectStmt | SetOperationStmt | ValuesStmt;

/** Oxibase time travel: `t AS OF TIMESTAMP expr` / `t AS OF TRANSACTION expr`. */
export interface AsOf {
  readonly kind: 'AsOf';
  readonly type: 'timestamp' | 'transaction';
  readonly expr: Expr;
  readonly loc: number;
}

/** A table/view/CTE reference in FROM. `only` = ONLY t (no inheritance); `t *` is the default. */
export interface RangeVar {
  readonly kind: 'RangeVar';
  readonly name: ObjectName;
  readonly only: boolean;
  readonly asOf: AsOf | null;
  readonly alias: Alias | null;
  readonly loc: number;
}

/** (subquery) [AS] alias, LATERAL (subquery), (VALUES ...) AS v(a, b). */
export interface RangeSubquery {
  readonly kind: 'RangeSubquery';
  readonly lateral: boolean;
  readonly query: SelectQuery;
  readonly alias: Alias | null;
  readonly loc: number;
}

/** Column definition list for record-returning functions: `AS t(a int, b text)`. */
export interface ColumnDefItem {
  readonly kind: 'ColumnDefItem';
  readonly name: string;
  readonly type: TypeName;
  readonly loc: number;
}

/**
 * Function in FROM: `f(...) [WITH ORDINALITY] [AS] alias(cols)`, or ROWS FROM (f(...), g(...)).
 * `functions` has one entry unless ROWS FROM was used.
 */
export interface RangeFunction {
  readonly kind: 'RangeFunction';
  readonly lateral: boolean;
  readonly rowsFrom: boolean;
  readonly functions: readonly Expr[];
  readonly ordinality: boolean;
  readonly alias: Alias | null;
  readonly columnDefs: readonly ColumnDefItem[] | null;
  readonly loc: number;
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

/**
 * A join. Comma-separated FROM items are NOT joins (they stay separate entries in `from`).
 * `alias` is set for a parenthesized join with an alias: `(a JOIN b ON ...) AS j`.
 */
export interface JoinExpr {
  readonly kind: 'JoinExpr';
  readonly joinType: JoinType;
  readonly natural: boolean;
  readonly left: TableRef;
  readonly right: TableRef;
  readonly on: Expr | null;
  readonly using: readonly string[] | null;
  /** JOIN ... USING (a) AS j. */
  readonly usingAlias: string | null;
  readonly alias: Alias | null;
  readonly loc: number;
}

export type TableRef = RangeVar | RangeSubquery | RangeFunction | JoinExpr;

