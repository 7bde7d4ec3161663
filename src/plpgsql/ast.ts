/**
 * The PL/pgSQL syntax tree. Variable references are resolved while parsing (PostgreSQL's
 * pl_gram.y does the same with its namespace stack), so SQL fragments arrive here already split
 * into text pieces and references to variable slots; the interpreter never looks names up.
 *
 * Invariants: every VarDef has a unique `slot` in its function's frame; an SqlExpr's `id` is
 * unique per function and indexes the per-host prepared-statement cache.
 */
import type { SqlType } from '../types/sql-type.ts';
import type { FieldInfo } from '../scripting/language.ts';

/** How a declaration's type is known: resolved at compile time, or looked up on first call. */
export type TypeSpec =
  | { readonly k: 'type'; readonly type: SqlType }
  /** A type name the built-in table does not know (domain, table row type): asked of the host. */
  | { readonly k: 'named'; readonly text: string }
  /** `table.column%TYPE` or `variable%TYPE`. */
  | { readonly k: 'percent_type'; readonly text: string; readonly variable: VarDef | null }
  /** `table%ROWTYPE`. */
  | { readonly k: 'rowtype'; readonly table: string }
  | { readonly k: 'record' };

/** A variable (argument, OUT column, declared local, loop variable, FOUND, trigger variable). */
export interface VarDef {
  readonly slot: number;
  readonly name: string;
  /** scalar: one value; record: a RecordValue (or null before assignment for RECORD). */
  readonly kind: 'scalar' | 'record';
  readonly spec: TypeSpec;
  /** Resolved scalar type (null until resolved, and for records). */
  type: SqlType | null;
  /** Row type of a %ROWTYPE / composite-typed variable once resolved. */
  rowFields: readonly FieldInfo[] | null;
  readonly constant: boolean;
  readonly notNull: boolean;
  readonly defaultExpr: SqlExpr | null;
  /** Line of the declaration, for error context. */
  readonly line: number;
  /** Cursor variables (`c CURSOR FOR ...`, `c refcursor`): the bound query, if any. */
  readonly cursor: CursorDecl | null;
}

/** A cursor variable's declaration: bound (query and parameters given) or unbound (refcursor). */
export interface CursorDecl {
  readonly query: SqlExpr | null;
  readonly params: readonly VarDef[];
}

/** FETCH / MOVE direction; `count` is evaluated for ABSOLUTE, RELATIVE, FORWARD n, BACKWARD n. */
export interface FetchDirection {
  readonly kind: 'next' | 'prior' | 'first' | 'last' | 'absolute' | 'relative' | 'forward' | 'backward'
    | 'forward_all' | 'backward_all';
  readonly count: SqlExpr | null;
}

/** A reference from SQL text to variables, replaced by $n parameters when the SQL is built. */
export type SqlRef =
  /** `written`: the identifier as written when it was a bare name (which a column could share). */
  | { readonly k: 'var'; readonly v: VarDef; readonly written?: string }
  | { readonly k: 'field'; readonly v: VarDef; readonly field: string }
  /** A whole record: ROW(...) of its fields, or jsonb/json_build_object for to_jsonb(rec). */
  | { readonly k: 'rec'; readonly v: VarDef; readonly wrap: 'jsonb' | 'json' | null }
  /** `a IS [NOT] DISTINCT FROM b` between two records, compared field by field. */
  | { readonly k: 'recdistinct'; readonly v: VarDef; readonly other: VarDef; readonly negated: boolean };

/** An SQL expression or statement from the body, with its variable references. */
export interface SqlExpr {
  readonly id: number;
  /** Source text as written (for messages). */
  readonly text: string;
  /** Alternating text and references; expressions start with "SELECT ". */
  readonly parts: readonly (string | SqlRef)[];
  /** True when no part depends on a record's run-time shape. */
  readonly isStatic: boolean;
  readonly line: number;
  /** Relations the statement reads or updates (for variable/column conflict checks). */
  readonly relations: readonly string[];
  /** A utility statement (DDL, SET, CALL ...): run with host.query each time, never prepared. */
  readonly utility?: boolean;
}

/** `#variable_conflict`: what a name that is both a variable and a column means. */
export type VariableConflict = 'error' | 'use_variable' | 'use_column';

/** Assignment / INTO target. */
export type Target =
  | { readonly k: 'var'; readonly v: VarDef }
  | { readonly k: 'field'; readonly v: VarDef; readonly field: string }
  /** `arr[i] := v` on a one-dimensional array variable. */
  | { readonly k: 'elem'; readonly v: VarDef; readonly index: SqlExpr };

export interface IntoClause {
  readonly targets: readonly Target[];
  readonly strict: boolean;
}

export interface ExceptionHandler {
  /** SQLSTATE codes or class prefixes (two characters) it catches; 'OTHERS' for everything. */
  readonly conditions: readonly string[];
  readonly body: readonly Stmt[];
}

export interface Block {
  readonly label: string | null;
  readonly decls: readonly VarDef[];
  readonly body: readonly Stmt[];
  readonly handlers: readonly ExceptionHandler[] | null;
  /** SQLSTATE / SQLERRM variables visible in the handlers. */
  readonly errVars: { readonly state: VarDef; readonly message: VarDef } | null;
}

export type RaiseLevel = 'debug' | 'log' | 'info' | 'notice' | 'warning' | 'exception';

export interface RaiseOption {
  readonly name: 'message' | 'detail' | 'hint' | 'errcode' | 'column' | 'constraint' | 'datatype' | 'table' | 'schema';
  readonly expr: SqlExpr;
}

export type DiagItem =
  | 'row_count' | 'pg_context' | 'returned_sqlstate' | 'message_text' | 'pg_exception_detail'
  | 'pg_exception_hint' | 'pg_exception_context' | 'column_name' | 'constraint_name' | 'table_name'
  | 'schema_name' | 'pg_datatype_name';

/** Dynamic SQL: EXECUTE expr [USING args]. */
export interface DynamicSql {
  readonly query: SqlExpr;
  readonly using: readonly SqlExpr[];
}

interface StmtBase {
  readonly line: number;
}

export type Stmt = StmtBase & (
  | { readonly k: 'block'; readonly block: Block }
  | { readonly k: 'assign'; readonly target: Target; readonly expr: SqlExpr }
  | { readonly k: 'if'; readonly branches: readonly { cond: SqlExpr; body: readonly Stmt[] }[]; readonly elseBody: readonly Stmt[] | null }
  | { readonly k: 'case'; readonly subject: SqlExpr | null; readonly subjectVar: VarDef | null;
      readonly whens: readonly { cond: SqlExpr; body: readonly Stmt[] }[]; readonly elseBody: readonly Stmt[] | null }
  | { readonly k: 'loop'; readonly label: string | null; readonly body: readonly Stmt[] }
  | { readonly k: 'while'; readonly label: string | null; readonly cond: SqlExpr; readonly body: readonly Stmt[] }
  | { readonly k: 'fori'; readonly label: string | null; readonly v: VarDef; readonly reverse: boolean;
      readonly lower: SqlExpr; readonly upper: SqlExpr; readonly step: SqlExpr | null; readonly body: readonly Stmt[] }
  | { readonly k: 'forq'; readonly label: string | null; readonly targets: readonly Target[];
      readonly query: SqlExpr | null; readonly dynamic: DynamicSql | null; readonly body: readonly Stmt[] }
  | { readonly k: 'foreach'; readonly label: string | null; readonly target: Target; readonly slice: number;
      readonly array: SqlExpr; readonly body: readonly Stmt[] }
  | { readonly k: 'exit'; readonly isContinue: boolean; readonly label: string | null; readonly cond: SqlExpr | null }
  | { readonly k: 'return'; readonly expr: SqlExpr | null }
  | { readonly k: 'return_next'; readonly expr: SqlExpr | null }
  | { readonly k: 'return_query'; readonly query: SqlExpr | null; readonly dynamic: DynamicSql | null }
  | { readonly k: 'sql'; readonly query: SqlExpr; readonly into: IntoClause | null; readonly verb: string }
  | { readonly k: 'dynexec'; readonly dynamic: DynamicSql; readonly into: IntoClause | null }
  | { readonly k: 'raise'; readonly level: RaiseLevel;
      /** SQLSTATE of RAISE condition_name / SQLSTATE 'code', with the text as written (default message). */
      readonly condition: { readonly code: string; readonly text: string } | null; readonly format: string | null;
      readonly args: readonly SqlExpr[]; readonly options: readonly RaiseOption[]; readonly reraise: boolean }
  | { readonly k: 'assert'; readonly cond: SqlExpr; readonly message: SqlExpr | null }
  | { readonly k: 'getdiag'; readonly stacked: boolean; readonly items: readonly { target: Target; item: DiagItem }[] }
  | { readonly k: 'open'; readonly cursor: VarDef; readonly args: readonly SqlExpr[]; readonly query: SqlExpr | null;
      readonly dynamic: DynamicSql | null }
  | { readonly k: 'fetch'; readonly cursor: VarDef; readonly direction: FetchDirection; readonly into: readonly Target[] | null }
  | { readonly k: 'close'; readonly cursor: VarDef }
  | { readonly k: 'forc'; readonly label: string | null; readonly target: Target; readonly cursor: VarDef;
      readonly args: readonly SqlExpr[]; readonly body: readonly Stmt[] }
  | { readonly k: 'null' }
  | { readonly k: 'txn'; readonly commit: boolean; readonly chain: boolean }
);

/** A parsed function body. */
export interface FunctionAst {
  readonly block: Block;
  /** All variables by slot. */
  readonly vars: readonly VarDef[];
  /** Number of SqlExpr ids handed out. */
  readonly exprCount: number;
  readonly found: VarDef;
  /** Argument variables in call order. */
  readonly args: readonly VarDef[];
  /** OUT / TABLE column variables in column order (INOUT ones shared with args). */
  readonly outs: readonly VarDef[];
  /**
   * Whether `outs` are visible variables (OUT parameters, RETURNS TABLE) or only the result's
   * row type (RETURNS [SETOF] table_name: no variables, RETURN takes a row).
   */
  readonly outsAreVars: boolean;
  readonly trigger: TriggerVars | null;
  readonly conflict: VariableConflict;
}

/** Variables a trigger function sees (PostgreSQL's TG_* and NEW/OLD). */
export interface TriggerVars {
  readonly newRec: VarDef;
  readonly oldRec: VarDef;
  readonly name: VarDef;
  readonly when: VarDef;
  readonly level: VarDef;
  readonly op: VarDef;
  readonly tableName: VarDef;
  readonly relName: VarDef;
  readonly tableSchema: VarDef;
  readonly nargs: VarDef;
  readonly argv: VarDef;
}

/** Statement names PostgreSQL prints in error context ("line 3 at RAISE"). */
export function stmtName(s: Stmt): string {
  switch (s.k) {
    case 'block': return 'statement block';
    case 'assign': return 'assignment';
    case 'if': return 'IF';
    case 'case': return 'CASE';
    case 'loop': return 'LOOP';
    case 'while': return 'WHILE';
    case 'fori': return 'FOR with integer loop variable';
    case 'forq': return s.dynamic !== null ? 'FOR over EXECUTE statement' : 'FOR over SELECT rows';
    case 'foreach': return 'FOREACH over array';
    case 'exit': return s.isContinue ? 'CONTINUE' : 'EXIT';
    case 'return': return 'RETURN';
    case 'return_next': return 'RETURN NEXT';
    case 'return_query': return 'RETURN QUERY';
    case 'sql': return s.verb;
    case 'dynexec': return 'EXECUTE';
    case 'raise': return 'RAISE';
    case 'assert': return 'ASSERT';
    case 'getdiag': return 'GET DIAGNOSTICS';
    case 'null': return 'NULL';
    case 'open': return 'OPEN';
    case 'fetch': return s.into === null ? 'MOVE' : 'FETCH';
    case 'close': return 'CLOSE';
    case 'forc': return 'FOR over cursor';
    case 'txn': return s.commit ? 'COMMIT' : 'ROLLBACK';
  }
}
