/**
 * Data-modification statements: INSERT, UPDATE, DELETE, TRUNCATE, plus their ON CONFLICT / SET
 * pieces.
 *
 * Invariants:
 * - `table` is the target as written; `alias` is the optional `AS alias` (no column list allowed).
 * - INSERT ... VALUES is an InsertStmt whose `source` is a ValuesStmt (items may be DefaultExpr);
 *   `DEFAULT VALUES` is source = null.
 * - UPDATE SET: one SetClause per `target = value`; the multi-column form `(a, b) = value` keeps all
 *   targets in one clause with `value` a RowExpr, ScalarSubquery, or DefaultExpr.
 */
import type { DropBehavior, ObjectName } from './common.ts';
import type { Expr } from './expr.ts';
import type { ResTarget, SelectQuery, TableRef, WithClause } from './select.ts';
import type { IndexElem } from './ddl.ts';

/** One step of indirection on an assignment target: `col[1]` or `col.field`. */
export type Indirection =
  | { readonly kind: 'IndexIndirection'; readonly slice: boolean; readonly lower: Expr | null;
      readonly upper: Expr | null; readonly loc: number }
  | { readonly kind: 'FieldIndirection'; readonly name: string; readonly loc: number };

/** An assignment target column: INSERT column list entry, UPDATE SET target. */
export interface SetTarget {
  readonly kind: 'SetTarget';
  readonly name: string;
  readonly indirection: readonly Indirection[];
  readonly loc: number;
}

export interface SetClause {
  readonly kind: 'SetClause';
  readonly targets: readonly SetTarget[];
  /** True for the parenthesized `(a, b) = ...` form (even with one target). */
  readonly multi: boolean;
  readonly value: Expr;
  readonly loc: number;
}

export interface ConflictTarget {
  readonly kind: 'ConflictTarget';
  /** Index columns / expressions `(a, lower(b))`; empty with ON CONSTRAINT. */
  readonly elements: readonly IndexElem[];
  readonly where: Expr | null;
  readonly constraint: string | null;
  readonly loc: number;
}

export interface OnConflict {
  readonly kind: 'OnConflict';
  readonly target: ConflictTarget | null;
  readonly action: 'nothing' | 'update';
  readonly set: readonly SetClause[];
  readonly where: Expr | null;
  readonly loc: number;
}

export interface InsertStmt {
  readonly kind: 'Insert';
  readonly with: WithClause | null;
  readonly table: ObjectName;
  readonly alias: string | null;
  readonly columns: readonly SetTarget[];
  readonly overriding: 'system' | 'user' | null;
  /** null = DEFAULT VALUES. */
  readonly source: SelectQuery | null;
  readonly onConflict: OnConflict | null;
  readonly returning: readonly ResTarget[];
  readonly loc: number;
}

export interface UpdateStmt {
  readonly kind: 'Update';
  readonly with: WithClause | null;
  readonly table: ObjectName;
  readonly only: boolean;
  readonly alias: string | null;
  readonly set: readonly SetClause[];
  readonly from: readonly TableRef[];
  readonly where: Expr | null;
  /** WHERE CURRENT OF cursor. */
  readonly currentOf: string | null;
  readonly returning: readonly ResTarget[];
  readonly loc: number;
}

export interface DeleteStmt {
  readonly kind: 'Delete';
  readonly with: WithClause | null;
  readonly table: ObjectName;
  readonly only: boolean;
  readonly alias: string | null;
  readonly using: readonly TableRef[];
  readonly where: Expr | null;
  readonly currentOf: string | null;
  readonly returning: readonly ResTarget[];
  readonly loc: number;
}

export interface RelationRef {
  readonly kind: 'RelationRef';
  readonly name: ObjectName;
  readonly only: boolean;
  readonly loc: number;
}

export interface TruncateStmt {
  readonly kind: 'Truncate';
  readonly tables: readonly RelationRef[];
  readonly restartIdentity: boolean;
  readonly behavior: DropBehavior;
  readonly loc: number;
}

