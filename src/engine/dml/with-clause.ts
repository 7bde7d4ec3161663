/**
 * WITH on top-level statements, including data-modifying CTEs (`WITH d AS (DELETE ... RETURNING
 * *) INSERT INTO archive SELECT * FROM d`).
 *
 * PostgreSQL semantics kept here:
 * - every sub-statement and the main statement run with the same snapshot, so the main statement
 *   does not see the CTEs' changes in the tables, only their RETURNING rows. All of them run as
 *   one command id of the statement, whose own writes the snapshot never shows;
 * - each data-modifying CTE runs exactly once, whether it is referenced several times or never;
 *   they run in the order written, before the main statement (PostgreSQL leaves the order
 *   unspecified), and their RETURNING rows are handed to the plan through ExecContext.materialized
 *   under the CTE's id, which is what every Materialize reference to the CTE reads;
 * - a data-modifying CTE is only allowed at the top level (0A000, raised by bindWith when no hook
 *   is given), and one without RETURNING cannot be referenced (0A000, BindContext.findCte).
 * Everything is bound before anything runs, so parameter types are inferred from the whole
 * statement before the first access to env.ctx converts them.
 */
import { DbError } from '../../errors/index.ts';
import type { CommonTableExpr, DeleteStmt, InsertStmt, SelectQuery, UpdateStmt, WithClause } from '../../sql/ast.ts';
import { executeAll } from '../../exec/executor.ts';
import type { CteBinding } from '../../plan/binder/bind-context.ts';
import { bindQuery, bindWith, type DmlCteHook } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { bindInsert } from './insert.ts';
import { bindDelete, bindUpdate } from './update-delete.ts';
import { resultOf, type BoundStatement, type StatementEnv } from './statement-env.ts';

export type DmlStmt = InsertStmt | UpdateStmt | DeleteStmt;

/** True when a WITH clause holds INSERT / UPDATE / DELETE. */
export function hasDataModifyingCte(w: WithClause | null): boolean {
  return w !== null && w.ctes.some((c) => c.query.kind === 'Insert' || c.query.kind === 'Update' || c.query.kind === 'Delete');
}

/** The first data-modifying CTE's statement kind (for read-only transaction errors). */
export function firstDataModifyingKind(w: WithClause | null): DmlStmt['kind'] | null {
  // Asked for every statement, which rarely has a WITH clause: no empty list to iterate.
  if (!w) return null;
  for (const c of w.ctes) {
    if (c.query.kind === 'Insert' || c.query.kind === 'Update' || c.query.kind === 'Delete') return c.query.kind;
  }
  return null;
}

/** Binds a top-level INSERT / UPDATE / DELETE with its WITH clause. */
export function bindDmlStatement(stmt: DmlStmt, env: StatementEnv, topLevel = true): BoundStatement {
  return withCtes(stmt.with, env, topLevel, () => {
    switch (stmt.kind) {
      case 'Insert': return bindInsert(stmt, env);
      case 'Update': return bindUpdate(stmt, env);
      case 'Delete': return bindDelete(stmt, env);
    }
  });
}

/** Binds a top-level query whose WITH clause holds data-modifying CTEs. */
export function bindQueryStatement(q: SelectQuery, env: StatementEnv): BoundStatement {
  return withCtes(q.with, env, true, () => {
    const bound = bindQuery({ ...q, with: null }, new Scope(null), env.bc);
    return {
      columns: bound.columns,
      run: () => {
        const rows = executeAll(bound.plan, env.ctx);
        return resultOf('SELECT', rows.length, bound.columns, rows, `SELECT ${rows.length}`);
      },
    };
  });
}

/**
 * Binds `body` with the WITH clause's CTEs in scope; the result first runs the data-modifying
 * CTEs (in order) and then the body.
 */
function withCtes(w: WithClause | null, env: StatementEnv, topLevel: boolean, body: () => BoundStatement): BoundStatement {
  if (w === null) return body();
  const pending: { id: number; stmt: BoundStatement }[] = [];
  const hook: DmlCteHook = (cte: CommonTableExpr): CteBinding => {
    const q = cte.query as DmlStmt;
    if (w.recursive && mentionsSelf(q, cte.name)) {
      throw new DbError('invalid_recursion', `recursive query "${cte.name}" must not contain data-modifying statements`, { position: cte.loc + 1 });
    }
    // Nested WITH inside the sub-statement may not hold DML itself (not the top level).
    const stmt = bindDmlStatement(q, env, false);
    const cols = stmt.columns ?? [];
    if (cte.columns && cte.columns.length > cols.length) {
      throw new DbError('invalid_column_reference',
        `WITH query "${cte.name}" has ${cols.length} columns available but ${cte.columns.length} columns specified`, { position: cte.loc + 1 });
    }
    const columns = cols.map((c, i) => ({ name: cte.columns?.[i] ?? c.name, type: c.type }));
    const id = env.bc.newId();
    pending.push({ id, stmt });
    // The plan is never run: the RETURNING rows are in ctx.materialized under `id` first.
    return {
      name: cte.name, columns, id, recursive: false, noReturning: stmt.columns === null,
      plan: { node: 'Values', rows: [], columns, estRows: 10 },
    };
  };
  bindWith(w, new Scope(null), env.bc, topLevel ? hook : undefined);
  let main: BoundStatement;
  try {
    main = body();
  } finally {
    env.bc.ctes.pop();
  }
  if (pending.length === 0) return main;
  return {
    columns: main.columns,
    run: () => {
      for (const p of pending) env.ctx.materialized.set(p.id, p.stmt.run().rows ?? []);
      return main.run();
    },
  };
}

function mentionsSelf(q: unknown, name: string): boolean {
  return JSON.stringify(q, (_k, v) => (typeof v === 'bigint' ? String(v) : v))
    .includes(`"kind":"RangeVar","name":{"kind":"ObjectName","catalog":null,"schema":null,"name":${JSON.stringify(name)}`);
}
