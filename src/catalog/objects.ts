/**
 * Catalog object definitions. All are immutable: DDL builds new definitions and a new Catalog
 * (copy-on-write), which is what makes DDL transactional. The only mutable parts are runtime
 * structures shared across catalog versions: a table's TableStore (rows, MVCC-versioned on their
 * own) and a sequence's state (non-transactional, as in PostgreSQL).
 */
import type { Expr, SelectQuery } from '../sql/ast.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { RowIndex } from '../storage/row-index.ts';
import type { IndexKeyCodec } from './index-keys.ts';

/** An expression the catalog keeps: its text (what \d and pg_get_expr show) and its parse. */
export interface StoredExpr {
  readonly text: string;
  readonly expr: Expr;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: SqlType;
  /** Position in stored row arrays; never reused, so dropped columns leave a hole. */
  readonly attnum: number;
  readonly notNull: boolean;
  readonly default: StoredExpr | null;
  readonly identity: 'always' | 'by default' | null;
  /** Key (schema.name) of the sequence behind an identity/serial column. */
  readonly sequence: string | null;
  readonly generated: StoredExpr | null;
  readonly comment: string | null;
  /**
   * Value of this column for rows stored before it existed (PostgreSQL's attmissingval): the
   * evaluated constant default at ADD COLUMN time, or null.
   */
  readonly missing: unknown;
}

export type RefAction = 'no_action' | 'restrict' | 'cascade' | 'set_null' | 'set_default';

export interface ForeignKeyDef {
  readonly refTableOid: number;
  readonly refColumns: readonly number[];
  readonly onDelete: RefAction;
  readonly onUpdate: RefAction;
  readonly match: 'simple' | 'full';
  /** SET NULL (cols) / SET DEFAULT (cols) subsets; null = all FK columns. */
  readonly onDeleteColumns: readonly number[] | null;
}

export interface ConstraintDef {
  readonly name: string;
  /** PostgreSQL's contype letters: primary, unique, check, foreign key. */
  readonly type: 'p' | 'u' | 'c' | 'f';
  /** Attnums of the constrained columns (empty for CHECK). */
  readonly columns: readonly number[];
  readonly check: StoredExpr | null;
  readonly fk: ForeignKeyDef | null;
  readonly nullsNotDistinct: boolean;
}

export interface IndexDef {
  readonly kind: 'index';
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly tableOid: number;
  readonly unique: boolean;
  readonly primary: boolean;
  readonly method: 'btree' | 'hash' | 'bitmap';
  /** Key columns by attnum; an expression key is a StoredExpr. */
  readonly keys: readonly (number | StoredExpr)[];
  readonly include: readonly number[];
  readonly predicate: StoredExpr | null;
  readonly nullsNotDistinct: boolean;
  /** Name of the constraint this index enforces, if any. */
  readonly constraint: string | null;
  readonly runtime: RowIndex;
  /** Turns key values into the runtime index's keys (lookups use it too). */
  readonly codec: IndexKeyCodec;
  readonly comment: string | null;
  /** Per-key order (B-tree): DESC, NULLS FIRST. Absent (older catalogs) = every key ASC NULLS LAST. */
  readonly keyOptions?: readonly IndexKeyOption[];
}

/** How one index key is ordered; PostgreSQL's default is ASC NULLS LAST, DESC implies NULLS FIRST. */
export interface IndexKeyOption {
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export interface TableDef {
  readonly kind: 'table';
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** Live columns in logical (SELECT *) order. */
  readonly columns: readonly ColumnDef[];
  /** Next physical attnum (one past the highest ever used). */
  readonly nextAttnum: number;
  readonly constraints: readonly ConstraintDef[];
  readonly indexes: readonly IndexDef[];
  readonly store: TableStore;
  readonly owner: string;
  readonly persistence: 'permanent' | 'temp' | 'unlogged';
  readonly comment: string | null;
}

export interface ViewDef {
  readonly kind: 'view';
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  readonly query: SelectQuery;
  readonly text: string;
  readonly owner: string;
  readonly checkOption: 'none' | 'local' | 'cascaded';
  readonly comment: string | null;
}

/** Non-transactional sequence state, shared by every catalog version (as in PostgreSQL). */
export class SequenceState {
  /** Last value handed out (or the start value before the first nextval). */
  last: bigint;
  isCalled: boolean;

  constructor(start: bigint) {
    this.last = start;
    this.isCalled = false;
  }
}

export interface SequenceDef {
  readonly kind: 'sequence';
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly dataType: SqlType;
  readonly increment: bigint;
  readonly min: bigint;
  readonly max: bigint;
  readonly start: bigint;
  readonly cache: bigint;
  readonly cycle: boolean;
  readonly ownedBy: { readonly tableOid: number; readonly attnum: number } | null;
  readonly state: SequenceState;
  readonly owner: string;
  readonly comment: string | null;
}

export type RelationDef = TableDef | ViewDef | SequenceDef | IndexDef;

export interface SchemaDef {
  readonly oid: number;
  readonly name: string;
  readonly owner: string;
  readonly comment: string | null;
}

/** Live columns of a table by name (case-sensitive: names are already normalized). */
export function findColumn(table: TableDef, name: string): ColumnDef | undefined {
  for (const c of table.columns) if (c.name === name) return c;
  return undefined;
}
