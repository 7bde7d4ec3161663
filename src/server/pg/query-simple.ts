/**
 * The simple query protocol: one Query message with zero or more statements. Each statement's
 * results are RowDescription + DataRow* + CommandComplete (or EmptyQueryResponse for an empty
 * text); the first error skips the rest. The whole text is one implicit transaction when it has
 * several statements (statement-runner.ts). Always ends with ReadyForQuery.
 */
import type { StatementResult } from '../../engine/dml/statement-env.ts';
import { planScript, releaseScript, runScriptItem, type StatementRunFn } from '../../engine/shaped-script.ts';
import type { ScriptPlan } from '../../engine/statement-shapes.ts';
import type { PgConnection } from './connection.ts';
import { RowEncoder, writeRowDescription } from './results.ts';
import { runCopy } from './copy.ts';

export async function handleSimpleQuery(conn: PgConnection, sql: string): Promise<void> {
  const s = conn.session!;
  const runner = conn.runner;
  // Literal statements of one shape run as one parameterized statement (engine/statement-shapes.ts).
  let plan: ScriptPlan;
  try {
    plan = planScript(s, sql);
  } catch (e) {
    conn.sendError(e);
    conn.readyForQuery();
    return;
  }
  const parsed = plan.items;
  const run: StatementRunFn = (stmt, text, params, paramTypes) => runner.run(stmt, text, params, paramTypes);
  if (parsed.length === 0) {
    conn.out.emptyQueryResponse();
    conn.readyForQuery();
    return;
  }
  let failed = false;
  try {
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]!;
      const stmt = p.kind === 'parsed' ? p.stmt : p.entry.stmt;
      // Several statements share one transaction, as PostgreSQL's implicit transaction block.
      if (i < parsed.length - 1 && stmt.kind !== 'Transaction') await runner.beginImplicit();
      if (p.kind === 'parsed' && p.stmt.kind === 'Copy') {
        await runCopy(conn, p.stmt, sql.slice(p.start, p.end));
        conn.sendNotices();
        continue;
      }
      const r = await runScriptItem(s, sql, plan, p, run);
      conn.sendNotices();
      await sendResult(conn, r, []);
    }
  } catch (e) {
    failed = true;
    conn.sendNotices();
    conn.sendError(e);
  }
  releaseScript(plan);
  try {
    await runner.endImplicit(failed);
  } catch (e) {
    conn.sendError(e);
  }
  runner.syncIdle();
  conn.readyForQuery();
}

/** Writes a whole statement result: RowDescription, rows, CommandComplete. */
export async function sendResult(conn: PgConnection, r: StatementResult, formats: readonly number[]): Promise<void> {
  if (r.columns !== null) {
    writeRowDescription(conn.out, r.columns, formats);
    const rows = r.rows ?? [];
    if (rows.length > 0) {
      const enc = new RowEncoder(r.columns, formats, conn.session!.typeContext(conn.session!.txn));
      for (let i = 0; i < rows.length; i++) {
        enc.write(conn.out, rows[i]!);
        if ((i & 255) === 255) await conn.maybeFlush();
      }
    }
  }
  conn.out.commandComplete(r.tag);
}
