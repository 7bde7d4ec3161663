/**
 * Schema-definition statements: tables, columns, constraints, ALTER TABLE, schemas, views,
 * sequences, indexes, DROP, RENAME, COMMENT.
 *
 * Invariants:
 * - Expressions the catalog persists (DEFAULT, CHECK, GENERATED ... AS (expr), index expressions
 *   and predicates, view queries) carry their SourceText next to the parsed Expr, so the catalog
 *   can store the text and re-parse it with parseExpression / parse.
 * - Column-level constraints use the same node types as table-level ones; a column-level PRIMARY
 *   KEY / UNIQUE / REFERENCES has `columns` = [] (it applies to the column it is attached to).
 * - Sequence option numbers are kept as signed decimal text ('-1', '9223372036854775807').
 */
import type {
  DropBehavior, NullsOrder, ObjectName, QualifiedName, SortDirection, SourceText, TypeName,
} from './common.ts';
import type { Expr } from './expr.ts';
import type { SelectQuery } from './select.ts';

export type Persistence = 'permanent' | 'temp' | 'unlogged';

export interface ConstraintTiming {
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface NotNullConstraint {
  readonly kind: 'NotNullConstraint';
  readonly name: string | null;
  readonly loc: number;
}

export interface NullConstraint {
  readonly kind: 'NullConstraint';
  readonly name: string | null;
  readonly loc: number;
}

export interface DefaultConstraint {
  readonly kind: 'DefaultConstraint';
  readonly name: string | null;
  readonly expr: Expr;
  readonly source: SourceText;
  readonly loc: number;
}

export interface CheckConstraint {
  readonly kind: 'CheckConstraint';
  readonly name: string | null;
  readonly expr: Expr;
  readonly source: SourceText;
  readonly noInherit: boolean;
  readonly notValid: boolean;
  readonly loc: number;
}

export interface PrimaryKeyConstraint extends ConstraintTiming {
  readonly kind: 'PrimaryKeyConstraint';
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly include: readonly string[];
  readonly loc: number;
}

export interface UniqueConstraint extends ConstraintTiming {
  readonly kind: 'UniqueConstraint';
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly include: readonly string[];
  readonly nullsNotDistinct: boolean;
  readonly loc: number;
}

export type RefActionType = 'no_action' | 'restrict' | 'cascade' | 'set_null' | 'set_default';

export interface RefAction {
  readonly kind: 'RefAction';
  readonly type: RefActionType;
  /** SET NULL (a, b) / SET DEFAULT (a, b) column lists (PG15); null when absent. */
  readonly columns: readonly string[] | null;
  readonly loc: number;
}

export interface ForeignKeyConstraint extends ConstraintTiming {
  readonly kind: 'ForeignKeyConstraint';
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly refTable: ObjectName;
  readonly refColumns: readonly string[] | null;
  readonly match: 'simple' | 'full' | 'partial';
  /** null when the clause was not written (PostgreSQL's default is NO ACTION). */
  readonly onDelete: RefAction | null;
  readonly onUpdate: RefAction | null;
  readonly notValid: boolean;
  readonly loc: number;
}

export interface IdentityConstraint {
  readonly kind: 'IdentityConstraint';
  readonly name: string | null;
  readonly always: boolean;
  readonly options: readonly SequenceOption[];
  readonly loc: number;
}

/** GENERATED ALWAYS AS (expr) STORED. */
export interface GeneratedConstraint {
  readonly kind: 'GeneratedConstraint';
  readonly name: string | null;
  readonly expr: Expr;
  readonly source: SourceText;
  readonly loc: number;
}

export type ColumnConstraint =
  | NotNullConstraint | NullConstraint | DefaultConstraint | CheckConstraint
  | PrimaryKeyConstraint | UniqueConstraint | ForeignKeyConstraint | IdentityConstraint
  | GeneratedConstraint;

export type TableConstraint =
  | CheckConstraint | PrimaryKeyConstraint | UniqueConstraint | ForeignKeyConstraint;

export interface ColumnDef {
  readonly kind: 'ColumnDef';
  readonly name: string;
  readonly type: TypeName;
  readonly collation: QualifiedName | null;
  readonly constraints: readonly ColumnConstraint[];
  readonly loc: number;
}

/** LIKE other [INCLUDING | EXCLUDING option ...]; options lower-cased ('all', 'defaults' ...). */
export interface TableLike {
  readonly kind: 'TableLike';
  readonly table: ObjectName;
  readonly including: readonly string[];
  readonly excluding: readonly string[];
  readonly loc: number;
}

export type TableElement = ColumnDef | TableConstraint | TableLike;

export interface CreateTableStmt {
  readonly kind: 'CreateTable';
  readonly name: ObjectName;
  readonly persistence: Persistence;
  readonly ifNotExists: boolean;
  readonly elements: readonly TableElement[];
  readonly loc: number;
}

/** CREATE TABLE ... AS query [WITH [NO] DATA] (also SELECT ... INTO). */
export interface CreateTableAsStmt {
  readonly kind: 'CreateTableAs';
  readonly name: ObjectName;
  readonly persistence: Persistence;
  readonly ifNotExists: boolean;
  readonly columns: readonly string[] | null;
  readonly query: SelectQuery;
  readonly withData: boolean;
  readonly loc: number;
}

export type AlterTableAction =
  | { readonly kind: 'AddColumn'; readonly ifNotExists: boolean; readonly column: ColumnDef;
      readonly loc: number }
  | { readonly kind: 'DropColumn'; readonly ifExists: boolean; readonly name: string;
      readonly behavior: DropBehavior; readonly loc: number }
  | { readonly kind: 'AlterColumnType'; readonly column: string; readonly type: TypeName;
      readonly collation: QualifiedName | null; readonly using: Expr | null; readonly loc: number }
  | { readonly kind: 'AlterColumnSetDefault'; readonly column: string; readonly expr: Expr;
      readonly source: SourceText; readonly loc: number }
  | { readonly kind: 'AlterColumnDropDefault'; readonly column: string; readonly loc: number }
  | { readonly kind: 'AlterColumnSetNotNull'; readonly column: string; readonly loc: number }
  | { readonly kind: 'AlterColumnDropNotNull'; readonly column: string; readonly loc: number }
  | { readonly kind: 'AlterColumnAddIdentity'; readonly column: string;
      readonly identity: IdentityConstraint; readonly loc: number }
  | { readonly kind: 'AlterColumnSetIdentity'; readonly column: string;
      readonly always: boolean | null; readonly options: readonly SequenceOption[];
      readonly loc: number }
  | { readonly kind: 'AlterColumnDropIdentity'; readonly column: string;
      readonly ifExists: boolean; readonly loc: number }
  | { readonly kind: 'AddConstraint'; readonly constraint: TableConstraint; readonly loc: number }
  | { readonly kind: 'DropConstraint'; readonly ifExists: boolean; readonly name: string;
      readonly behavior: DropBehavior; readonly loc: number }
  | { readonly kind: 'ValidateConstraint'; readonly name: string; readonly loc: number }
  | { readonly kind: 'SetSchema'; readonly schema: string; readonly loc: number }
  | { readonly kind: 'OwnerTo'; readonly role: string; readonly loc: number };

/** ALTER TABLE / ALTER VIEW / ALTER SEQUENCE ... non-rename actions. */
export interface AlterTableStmt {
  readonly kind: 'AlterTable';
  /** 'schema' only for ALTER SCHEMA s OWNER TO r (its one action is OwnerTo). */
  readonly objectType: 'table' | 'view' | 'materialized_view' | 'sequence' | 'index' | 'schema';
  readonly name: ObjectName;
  readonly ifExists: boolean;
  readonly only: boolean;
  readonly actions: readonly AlterTableAction[];
  readonly loc: number;
}

export type RenameObjectType =
  | 'table' | 'column' | 'constraint' | 'view' | 'materialized_view' | 'sequence' | 'index'
  | 'schema' | 'role' | 'function' | 'procedure' | 'type' | 'trigger';

/**
 * ALTER <object> [IF EXISTS] name RENAME [COLUMN|CONSTRAINT] [sub TO] new. `subName` is the column
 * / constraint / trigger being renamed (null when the object itself is renamed); `relationType`
 * is the object named by `name` (e.g. 'table' for RENAME COLUMN on ALTER TABLE).
 */
export interface RenameStmt {
  readonly kind: 'Rename';
  readonly objectType: RenameObjectType;
  readonly relationType: RenameObjectType;
  readonly name: ObjectName;
  readonly subName: string | null;
  readonly newName: string;
  readonly ifExists: boolean;
  readonly loc: number;
}

export interface CreateSchemaStmt {
  readonly kind: 'CreateSchema';
  /** null when only AUTHORIZATION is given (the schema is named after the role). */
  readonly name: string | null;
  readonly ifNotExists: boolean;
  readonly authorization: string | null;
  readonly loc: number;
}

export type DropObjectType =
  | 'table' | 'view' | 'materialized_view' | 'sequence' | 'schema' | 'index' | 'type'
  | 'domain' | 'extension';

export interface DropStmt {
  readonly kind: 'Drop';
  readonly objectType: DropObjectType;
  readonly ifExists: boolean;
  readonly names: readonly ObjectName[];
  readonly behavior: DropBehavior;
  readonly concurrently: boolean;
  readonly loc: number;
}

/** A function parameter in a signature (DROP FUNCTION f(int), CREATE FUNCTION f(a int = 1)). */
export interface FunctionParam {
  readonly kind: 'FunctionParam';
  readonly name: string | null;
  readonly mode: 'in' | 'out' | 'inout' | 'variadic' | 'table';
  readonly type: TypeName;
  readonly default: Expr | null;
  /** Source text of `default` (what the catalog stores), when present. */
  readonly defaultSource?: SourceText;
  readonly loc: number;
}

export interface FunctionSignature {
  readonly kind: 'FunctionSignature';
  readonly name: ObjectName;
  /** null when the argument list was omitted (`DROP FUNCTION f`). */
  readonly params: readonly FunctionParam[] | null;
  readonly loc: number;
}

export interface DropFunctionStmt {
  readonly kind: 'DropFunction';
  readonly objectType: 'function' | 'procedure' | 'routine' | 'aggregate';
  readonly ifExists: boolean;
  readonly functions: readonly FunctionSignature[];
  readonly behavior: DropBehavior;
  readonly loc: number;
}

export interface DropTriggerStmt {
  readonly kind: 'DropTrigger';
  readonly ifExists: boolean;
  readonly name: string;
  readonly table: ObjectName;
  readonly behavior: DropBehavior;
  readonly loc: number;
}

export interface CreateViewStmt {
  readonly kind: 'CreateView';
  readonly name: ObjectName;
  readonly orReplace: boolean;
  readonly persistence: Persistence;
  readonly recursive: boolean;
  readonly columns: readonly string[] | null;
  readonly query: SelectQuery;
  /** Text of the query (for the catalog / pg_views.definition). */
  readonly source: SourceText;
  readonly checkOption: 'none' | 'local' | 'cascaded';
  readonly loc: number;
}

export interface CreateMaterializedViewStmt {
  readonly kind: 'CreateMaterializedView';
  readonly name: ObjectName;
  readonly ifNotExists: boolean;
  readonly columns: readonly string[] | null;
  readonly query: SelectQuery;
  readonly source: SourceText;
  readonly withData: boolean;
  readonly loc: number;
}

export interface RefreshMaterializedViewStmt {
  readonly kind: 'RefreshMaterializedView';
  readonly name: ObjectName;
  readonly concurrently: boolean;
  readonly withData: boolean;
  readonly loc: number;
}

/**
 * One sequence option. Numeric options carry signed decimal text, or null for NO MINVALUE /
 * NO MAXVALUE / bare RESTART.
 */
export type SequenceOption =
  | { readonly kind: 'SeqOptNumber';
      readonly option: 'increment' | 'minvalue' | 'maxvalue' | 'start' | 'restart' | 'cache';
      readonly value: string | null; readonly loc: number }
  | { readonly kind: 'SeqOptCycle'; readonly cycle: boolean; readonly loc: number }
  | { readonly kind: 'SeqOptAs'; readonly type: TypeName; readonly loc: number }
  /** OWNED BY t.c; owner = null for OWNED BY NONE. */
  | { readonly kind: 'SeqOptOwnedBy'; readonly owner: QualifiedName | null; readonly loc: number }
  /** SEQUENCE NAME s (identity column options only). */
  | { readonly kind: 'SeqOptName'; readonly name: ObjectName; readonly loc: number };

export interface CreateSequenceStmt {
  readonly kind: 'CreateSequence';
  readonly name: ObjectName;
  readonly persistence: Persistence;
  readonly ifNotExists: boolean;
  readonly options: readonly SequenceOption[];
  readonly loc: number;
}

export interface AlterSequenceStmt {
  readonly kind: 'AlterSequence';
  readonly name: ObjectName;
  readonly ifExists: boolean;
  readonly options: readonly SequenceOption[];
  readonly loc: number;
}

/** Index key: a column, or an expression (`(a + b)` or a function call). */
export interface IndexElem {
  readonly kind: 'IndexElem';
  readonly column: string | null;
  readonly expr: Expr | null;
  /** Source text of `expr` (null for plain columns). */
  readonly source: SourceText | null;
  readonly collation: QualifiedName | null;
  readonly opclass: QualifiedName | null;
  readonly direction: SortDirection;
  readonly nulls: NullsOrder;
  readonly loc: number;
}

export interface CreateIndexStmt {
  readonly kind: 'CreateIndex';
  /** null = name chosen by the system. */
  readonly name: string | null;
  readonly unique: boolean;
  readonly concurrently: boolean;
  readonly ifNotExists: boolean;
  readonly table: ObjectName;
  readonly only: boolean;
  readonly method: string | null;
  readonly elements: readonly IndexElem[];
  readonly include: readonly string[];
  readonly nullsNotDistinct: boolean;
  readonly where: Expr | null;
  readonly whereSource: SourceText | null;
  readonly loc: number;
}

export interface ReindexStmt {
  readonly kind: 'Reindex';
  readonly target: 'index' | 'table' | 'schema' | 'database' | 'system';
  readonly name: ObjectName | null;
  readonly concurrently: boolean;
  readonly loc: number;
}

export type CommentObjectType =
  | 'table' | 'column' | 'schema' | 'view' | 'materialized_view' | 'index' | 'sequence'
  | 'function' | 'procedure' | 'type' | 'role' | 'constraint' | 'trigger' | 'database';

export interface CommentStmt {
  readonly kind: 'Comment';
  readonly objectType: CommentObjectType;
  /** The object's dotted name as written (for COLUMN: [schema.]table.column). */
  readonly object: QualifiedName;
  /** Argument types for FUNCTION / PROCEDURE; null otherwise. */
  readonly args: readonly FunctionParam[] | null;
  /** ON table, for CONSTRAINT / TRIGGER. */
  readonly onTable: ObjectName | null;
  /** null = IS NULL (remove the comment). */
  readonly comment: string | null;
  readonly loc: number;
}
