/**
 * The SQL AST: every node type the parser produces, re-exported from src/sql/ast/*.ts, plus the
 * `Statement` union.
 *
 * Invariants: see src/sql/ast/common.ts (plain readonly objects, literal `kind`, 0-based `loc`,
 * normalized identifiers). Changes to this file and to ast/*.ts are additive only: the binder and
 * other layers switch over these kinds.
 */
import type { CreateIndexStmt, CreateMaterializedViewStmt, CreateSchemaStmt, CreateSequenceStmt,
  CreateTableAsStmt, CreateTableStmt, CreateViewStmt, AlterSequenceStmt, AlterTableStmt,
  CommentStmt, DropFunctionStmt, DropStmt, DropTriggerStmt, RefreshMaterializedViewStmt,
  ReindexStmt, RenameStmt } from './ast/ddl.ts';
import type { DeleteStmt, InsertStmt, TruncateStmt, UpdateStmt } from './ast/dml.ts';
import type { SelectQuery } from './ast/select.ts';
import type { AlterRoleStmt, AnalyzeStmt, BackupStmt, CallStmt, CheckpointStmt, CopyStmt, CreateFunctionStmt,
  CreateRoleStmt, CreateTriggerStmt, DeallocateStmt, DoStmt, DropRoleStmt, ExecuteStmt,
  ExplainStmt, GrantRoleStmt, GrantStmt, AlterDefaultPrivilegesStmt, OwnedStmt, ListenStmt, NotifyStmt, PrepareStmt, ResetStmt,
  SetStmt, SetTransactionStmt, ShowStmt, TransactionStmt, UnlistenStmt,
  VacuumStmt } from './ast/utility.ts';
import type { AlterScheduleStmt, CreateScheduleStmt, DropScheduleStmt } from './ast/schedule.ts';
import type { AlterEventTriggerStmt, AlterTableTriggerStmt, CreateAggregateStmt,
  CreateEventTriggerStmt, DropEventTriggerStmt, AlterRoutineStmt } from './ast/routines.ts';
import type { CloseCursorStmt, DeclareCursorStmt, FetchStmt } from './ast/cursor.ts';

export type * from './ast/common.ts';
export type * from './ast/expr.ts';
export type * from './ast/select.ts';
export type * from './ast/dml.ts';
export type * from './ast/ddl.ts';
export type * from './ast/utility.ts';
export type * from './ast/schedule.ts';
export type * from './ast/routines.ts';
export type * from './ast/cursor.ts';

export type Statement =
  // Queries and DML
  | SelectQuery
  | InsertStmt
  | UpdateStmt
  | DeleteStmt
  | TruncateStmt
  // DDL
  | CreateTableStmt
  | CreateTableAsStmt
  | AlterTableStmt
  | RenameStmt
  | CreateSchemaStmt
  | DropStmt
  | DropFunctionStmt
  | DropTriggerStmt
  | CreateViewStmt
  | CreateMaterializedViewStmt
  | RefreshMaterializedViewStmt
  | CreateSequenceStmt
  | AlterSequenceStmt
  | CreateIndexStmt
  | ReindexStmt
  | CommentStmt
  // Transactions and session
  | TransactionStmt
  | SetTransactionStmt
  | SetStmt
  | ShowStmt
  | ResetStmt
  | PrepareStmt
  | ExecuteStmt
  | DeallocateStmt
  | ExplainStmt
  | AnalyzeStmt
  | VacuumStmt
  | CheckpointStmt
  | BackupStmt
  // Roles and privileges
  | CreateRoleStmt
  | AlterRoleStmt
  | DropRoleStmt
  | GrantStmt
  | GrantRoleStmt
  | AlterDefaultPrivilegesStmt
  | OwnedStmt
  // Routines, COPY, notifications
  | CreateFunctionStmt
  | CreateTriggerStmt
  | DoStmt
  | CallStmt
  | CopyStmt
  | ListenStmt
  | UnlistenStmt
  | NotifyStmt
  // Routine statements beyond the core grammar (ast/routines.ts)
  | CreateAggregateStmt
  | CreateEventTriggerStmt
  | AlterEventTriggerStmt
  | DropEventTriggerStmt
  | AlterTableTriggerStmt
  // Scheduled jobs
  | CreateScheduleStmt
  | AlterScheduleStmt
  | DropScheduleStmt
  // Cursors
  | DeclareCursorStmt
  | FetchStmt
  | CloseCursorStmt
  | AlterRoutineStmt;

export type StatementKind = Statement['kind'];

/** A statement with its source span: 0-based offsets, end exclusive, trimmed, no trailing `;`. */
export interface ParsedStatement {
  readonly stmt: Statement;
  readonly start: number;
  readonly end: number;
}
