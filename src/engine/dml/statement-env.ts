/**
 * What a statement executor needs: the catalog version it runs against, a binder context, the
 * execution context (transaction, snapshot, parameters) and the row writer.
 */
import type { Catalog } from '../../catalog/catalog.ts';
import type { BindContext } from '../../plan/binder/bind-context.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import type { TableDef } from '../../catalog/objects.ts';
import type { OutputColumn, PlanNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import type { RowWriter } from './row-writer.ts';

export interface StatementEnv {
  readonly catalog: Catalog;
  readonly bc: BindContext;
  readonly ctx: ExecContext;
  readonly writer: RowWriter;
}

/** The outcome of one statement, before conversion to the client's representation. */
export interface StatementResult {
  /** Command tag verb ('SELECT', 'INSERT', 'CREATE TABLE' ...). */
  readonly command: string;
  /** Rows returned or affected. */
  readonly rowCount: number;
  /** Result columns when the statement returns rows (SELECT, RETURNING, SHOW, EXPLAIN). */
  readonly columns: readonly OutputColumn[] | null;
  readonly rows: Row[] | null;
  /** Full tag when it is not `${command} ${rowCount}` / `${command}` (e.g. 'INSERT 0 3'). */
  readonly tag: string;
}

export function resultOf(command: string, rowCount: number, columns: readonly OutputColumn[] | null = null, rows: Row[] | null = null, tag?: string): StatementResult {
  return { command, rowCount, columns, rows, tag: tag ?? command };
}

/**
 * A DML statement bound but not yet run: binding infers parameter types and touches no rows, so
 * a statement with data-modifying CTEs binds everything before converting parameters and running.
 */
export interface BoundStatement {
  /** RETURNING columns; null without RETURNING. */
  readonly columns: readonly OutputColumn[] | null;
  run(): StatementResult;
  /** What EXPLAIN shows of an INSERT / UPDATE / DELETE; absent where it cannot be shown. */
  readonly explain?: DmlExplain;
}

/**
 * A write's plan as EXPLAIN shows it, PostgreSQL's ModifyTable: the table written and the plan
 * whose rows it writes (the scan finding UPDATE / DELETE targets, an INSERT's SELECT or VALUES).
 */
export interface DmlExplain {
  readonly op: 'Insert' | 'Update' | 'Delete';
  readonly table: TableDef;
  /** The statement's alias for the table, or null. */
  readonly alias: string | null;
  readonly input: PlanNode;
  /** True when `input` only stands for rows listed in the statement: it is never executed. */
  readonly listed: boolean;
  /** Detail lines under the write itself (INSERT ... ON CONFLICT's resolution and arbiter). */
  readonly details: readonly string[];
}
