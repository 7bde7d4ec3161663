/**
 * Utility statements: transactions, SET/SHOW/RESET, PREPARE/EXECUTE, EXPLAIN, maintenance, roles
 * and privileges, routines (CREATE FUNCTION / PROCEDURE / TRIGGER, DO, CALL), COPY, LISTEN/NOTIFY.
 *
 * Invariants:
 * - Configuration parameter names are lower-cased and dotted parts joined with '.'; the special
 *   forms map to PostgreSQL's parameter names: TIME ZONE -> 'timezone', ROLE -> 'role',
 *   SESSION AUTHORIZATION -> 'session_authorization', TRANSACTION ISOLATION LEVEL ->
 *   'transaction_isolation', NAMES -> 'client_encoding'.
 * - Statements nested in PREPARE / EXPLAIN / CREATE RULE-like wrappers are full Statement nodes.
 */
import type { ObjectName, SourceText, TypeName } from './common.ts';
import type { Expr, FuncCall } from './expr.ts';
import type { ColumnDef, FunctionParam } from './ddl.ts';
import type { Statement } from '../ast.ts';

export type IsolationLevel =
  | 'serializable' | 'repeatable_read' | 'read_committed' | 'read_uncommitted';

/** Transaction modes; null = not specified. */
export interface TransactionModes {
  readonly kind: 'TransactionModes';
  readonly isolation: IsolationLevel | null;
  readonly readOnly: boolean | null;
  readonly deferrable: boolean | null;
  readonly loc: number;
}

export type TransactionAction =
  | 'begin' | 'start' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback_to'
  | 'prepare' | 'commit_prepared' | 'rollback_prepared';

/**
 * BEGIN / START TRANSACTION / COMMIT / END / ROLLBACK / ABORT / SAVEPOINT / RELEASE /
 * ROLLBACK TO. END is reported as 'commit', ABORT as 'rollback'.
 */
export interface TransactionStmt {
  readonly kind: 'Transaction';
  readonly action: TransactionAction;
  readonly modes: TransactionModes | null;
  /** AND CHAIN. */
  readonly chain: boolean;
  readonly savepoint: string | null;
  /** Global transaction id for PREPARE TRANSACTION / COMMIT PREPARED. */
  readonly gid: string | null;
  readonly loc: number;
}

/** SET TRANSACTION modes / SET SESSION CHARACTERISTICS AS TRANSACTION modes. */
export interface SetTransactionStmt {
  readonly kind: 'SetTransaction';
  readonly session: boolean;
  readonly modes: TransactionModes;
  readonly loc: number;
}

/** A value in SET: identifiers/keywords (incl. ON/OFF) are 'word', quoted strings 'string'. */
export interface SetValue {
  readonly kind: 'SetValue';
  readonly type: 'word' | 'string' | 'number';
  /** Words lower-cased unless quoted; numbers keep sign and text ('-1.5'). */
  readonly value: string;
  readonly loc: number;
}

/** SET [SESSION | LOCAL] name TO|= values | DEFAULT. values = null means DEFAULT. */
export interface SetStmt {
  readonly kind: 'Set';
  readonly local: boolean;
  readonly name: string;
  readonly values: readonly SetValue[] | null;
  readonly loc: number;
}

/** SHOW name | SHOW ALL (name = 'all'). */
export interface ShowStmt {
  readonly kind: 'Show';
  readonly name: string;
  readonly loc: number;
}

/** RESET name | RESET ALL (name = 'all'). */
export interface ResetStmt {
  readonly kind: 'Reset';
  readonly name: string;
  readonly loc: number;
}

export interface PrepareStmt {
  readonly kind: 'Prepare';
  readonly name: string;
  readonly paramTypes: readonly TypeName[];
  readonly statement: Statement;
  readonly source: SourceText;
  readonly loc: number;
}

export interface ExecuteStmt {
  readonly kind: 'Execute';
  readonly name: string;
  readonly params: readonly Expr[];
  readonly loc: number;
}

/** DEALLOCATE [PREPARE] name | ALL (name = null). */
export interface DeallocateStmt {
  readonly kind: 'Deallocate';
  readonly name: string | null;
  readonly loc: number;
}

/** EXPLAIN option: name lower-cased; value as written (lower-cased word) or null. */
export interface ExplainOption {
  readonly kind: 'ExplainOption';
  readonly name: string;
  readonly value: string | null;
  readonly loc: number;
}

export interface ExplainStmt {
  readonly kind: 'Explain';
  /** Legacy `EXPLAIN ANALYZE VERBOSE` flags are reported as options too. */
  readonly options: readonly ExplainOption[];
  readonly statement: Statement;
  readonly loc: number;
}

export interface VacuumTarget {
  readonly kind: 'VacuumTarget';
  readonly name: ObjectName;
  readonly columns: readonly string[] | null;
  readonly loc: number;
}

export interface AnalyzeStmt {
  readonly kind: 'Analyze';
  readonly verbose: boolean;
  readonly tables: readonly VacuumTarget[];
  readonly loc: number;
}

export interface VacuumStmt {
  readonly kind: 'Vacuum';
  readonly full: boolean;
  readonly freeze: boolean;
  readonly verbose: boolean;
  readonly analyze: boolean;
  /** Parenthesized options VACUUM (opt [value], ...) as written. */
  readonly options: readonly ExplainOption[];
  readonly tables: readonly VacuumTarget[];
  readonly loc: number;
}

/** Oxibase: BACKUP TO 'dir' — a consistent online copy of a file database. */
export interface BackupStmt {
  readonly kind: 'Backup';
  readonly target: string;
  readonly loc: number;
}

export interface CheckpointStmt {
  readonly kind: 'Checkpoint';
  readonly loc: number;
}

/**
 * Role option, name lower-cased: superuser/nosuperuser -> {name: 'superuser', value: false} etc.;
 * 'password' (string | null), 'connection_limit' (number text), 'valid_until' (string),
 * 'in_role' / 'role' / 'admin' (role names), 'sysid'.
 */
export interface RoleOption {
  readonly kind: 'RoleOption';
  readonly name: string;
  readonly value: boolean | string | readonly string[] | null;
  readonly loc: number;
}

export interface CreateRoleStmt {
  readonly kind: 'CreateRole';
  readonly roleType: 'role' | 'user' | 'group';
  readonly name: string;
  readonly options: readonly RoleOption[];
  readonly loc: number;
}

export interface AlterRoleStmt {
  readonly kind: 'AlterRole';
  readonly name: string;
  readonly options: readonly RoleOption[];
  /** ALTER ROLE r SET name = value / RESET name; null otherwise. */
  readonly set: SetStmt | ResetStmt | null;
  readonly loc: number;
}

export interface DropRoleStmt {
  readonly kind: 'DropRole';
  readonly roleType: 'role' | 'user' | 'group';
  readonly ifExists: boolean;
  readonly names: readonly string[];
  readonly loc: number;
}

/** A privilege name lower-cased ('select', 'insert', ... 'all'), optional column list. */
export interface Privilege {
  readonly kind: 'Privilege';
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly loc: number;
}

export type GrantObjectType =
  | 'table' | 'sequence' | 'schema' | 'function' | 'procedure' | 'routine' | 'database' | 'type'
  | 'language' | 'domain';

/** GRANT / REVOKE privileges ON objects. Role names: 'public', 'current_user' kept as words. */
export interface GrantStmt {
  readonly kind: 'Grant';
  readonly isGrant: boolean;
  /** null = ALL [PRIVILEGES]. */
  readonly privileges: readonly Privilege[] | null;
  readonly objectType: GrantObjectType;
  /** ON ALL TABLES IN SCHEMA s: objects are the schema names and allInSchema = true. */
  readonly allInSchema: boolean;
  readonly objects: readonly ObjectName[];
  /** Function signatures for FUNCTION / PROCEDURE / ROUTINE objects (same order as objects). */
  readonly functionParams: readonly (readonly FunctionParam[] | null)[] | null;
  readonly grantees: readonly string[];
  /** WITH GRANT OPTION (grant) / GRANT OPTION FOR (revoke). */
  readonly grantOption: boolean;
  readonly grantedBy: string | null;
  readonly behavior: 'default' | 'restrict' | 'cascade';
  readonly loc: number;
}

/**
 * ALTER DEFAULT PRIVILEGES [FOR ROLE r, ...] [IN SCHEMA s, ...] GRANT|REVOKE ... ON
 * TABLES|SEQUENCES|FUNCTIONS|ROUTINES|SCHEMAS; `grant.objects` is empty.
 */
export interface AlterDefaultPrivilegesStmt {
  readonly kind: 'AlterDefaultPrivileges';
  readonly roles: readonly string[];
  readonly schemas: readonly string[];
  readonly grant: GrantStmt;
  readonly loc: number;
}

/** REASSIGN OWNED BY roles TO role / DROP OWNED BY roles [CASCADE | RESTRICT]. */
export interface OwnedStmt {
  readonly kind: 'ReassignOwned' | 'DropOwned';
  readonly roles: readonly string[];
  /** REASSIGN's target; null for DROP OWNED. */
  readonly newOwner: string | null;
  readonly behavior: 'default' | 'restrict' | 'cascade';
  readonly loc: number;
}

/** GRANT role TO role / REVOKE role FROM role. */
export interface GrantRoleStmt {
  readonly kind: 'GrantRole';
  readonly isGrant: boolean;
  readonly roles: readonly string[];
  readonly grantees: readonly string[];
  /** WITH ADMIN OPTION / ADMIN OPTION FOR. */
  readonly adminOption: boolean;
  readonly grantedBy: string | null;
  readonly behavior: 'default' | 'restrict' | 'cascade';
  readonly loc: number;
}

/**
 * Routine option, name lower-cased: 'language' (word), 'as' (body string; `AS 'obj', 'sym'` joins
 * with a NUL-free list in `values`), 'volatility' ('immutable'|'stable'|'volatile'), 'strict'
 * (boolean; CALLED ON NULL INPUT = false), 'security' ('definer'|'invoker'), 'leakproof',
 * 'parallel', 'cost', 'rows', 'set', 'window'.
 */
export interface RoutineOption {
  readonly kind: 'RoutineOption';
  readonly name: string;
  readonly value: boolean | string | readonly string[];
  readonly loc: number;
}

export interface CreateFunctionStmt {
  readonly kind: 'CreateFunction';
  readonly isProcedure: boolean;
  readonly orReplace: boolean;
  readonly name: ObjectName;
  readonly params: readonly FunctionParam[];
  /** RETURNS type; null for procedures and RETURNS TABLE. */
  readonly returns: TypeName | null;
  /** RETURNS TABLE (col type, ...). */
  readonly returnsTable: readonly ColumnDef[] | null;
  readonly options: readonly RoutineOption[];
  /** SQL-standard body: RETURN expr / BEGIN ATOMIC ... END; null otherwise. */
  readonly sqlBody: readonly Statement[] | null;
  /** Source text of the SQL-standard body (`SELECT expr` for RETURN, the statements of BEGIN ATOMIC). */
  readonly sqlBodySource?: string;
  readonly loc: number;
}

export interface CreateTriggerStmt {
  readonly kind: 'CreateTrigger';
  readonly orReplace: boolean;
  readonly constraint: boolean;
  readonly name: string;
  readonly timing: 'before' | 'after' | 'instead_of';
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate')[];
  /** UPDATE OF col, ... */
  readonly updateColumns: readonly string[];
  readonly table: ObjectName;
  readonly forEach: 'row' | 'statement';
  /** REFERENCING OLD TABLE AS o NEW TABLE AS n. */
  readonly oldTable: string | null;
  readonly newTable: string | null;
  readonly when: Expr | null;
  /** Source text of `when` (what pg_get_triggerdef shows). */
  readonly whenSource?: string;
  readonly function: ObjectName;
  /** Trigger function arguments as strings (PostgreSQL passes them as text). */
  readonly args: readonly string[];
  readonly loc: number;
}

export interface DoStmt {
  readonly kind: 'Do';
  readonly code: string;
  readonly language: string | null;
  readonly loc: number;
}

export interface CallStmt {
  readonly kind: 'Call';
  readonly call: FuncCall;
  readonly loc: number;
}

export interface CopyOption {
  readonly kind: 'CopyOption';
  readonly name: string;
  readonly value: string | readonly string[] | null;
  readonly loc: number;
}

export interface CopyStmt {
  readonly kind: 'Copy';
  /** COPY table [(cols)] or COPY (query). Exactly one of table / query is set. */
  readonly table: ObjectName | null;
  readonly columns: readonly string[] | null;
  readonly query: Statement | null;
  readonly isFrom: boolean;
  /** 'stdin' / 'stdout', or a file name (filename set), or PROGRAM 'cmd'. */
  readonly target: 'stdio' | 'file' | 'program';
  readonly filename: string | null;
  readonly options: readonly CopyOption[];
  readonly where: Expr | null;
  readonly loc: number;
}

export interface ListenStmt {
  readonly kind: 'Listen';
  readonly channel: string;
  readonly loc: number;
}

/** UNLISTEN channel | * (channel = null). */
export interface UnlistenStmt {
  readonly kind: 'Unlisten';
  readonly channel: string | null;
  readonly loc: number;
}

export interface NotifyStmt {
  readonly kind: 'Notify';
  readonly channel: string;
  readonly payload: string | null;
  readonly loc: number;
}

