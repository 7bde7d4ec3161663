/**
 * Runs a script planned by StatementShapes (statement-shapes.ts): statements in order, each one
 * of a known shape as its parameterized statement with the literals as parameter values, the
 * others as parsed. Stops at the first error, like Session.executeSql.
 */
import { DbError } from '../errors/index.ts';
import { parseStatementAt, TokenStream } from '../sql/index.ts';
import type { MaybePromise, Session } from './session.ts';
import type { StatementResult } from './dml/statement-env.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { ScriptItem, ScriptPlan } from './statement-shapes.ts';
import type { Statement } from '../sql/ast.ts';

/**
 * The statements of `sql` (no parameters), ready to run one by one: through statement shapes when
 * one applies, else from the session's (cached) parse of the whole script.
 */
export function planScript(session: Session, sql: string): ScriptPlan {
  if (!session.hasParsed(sql)) {
    // A script too long for the parse cache is not parsed again here when no shape applies.
    const shaped = session.shapes.plan(sql, !session.cachesParse(sql));
    if (shaped !== null) {
      // Statements parsed here are never looked up again: keep them out of the plan cache.
      for (const item of shaped.items) if (item.kind === 'parsed') session.oneShot.add(item.stmt);
      return shaped;
    }
  }
  const items: ScriptItem[] = session.parse(sql).map((p) => ({ kind: 'parsed', stmt: p.stmt, start: p.start, end: p.end, from: -1, to: -1 }));
  return { tokens: null, items };
}

/**
 * Ends a plan's run (all statements done, or one failed): its tokens go to the next long script
 * (TokenStream.release). Only the plan's runner may call it, once nothing runs its items any more.
 */
export function releaseScript(plan: ScriptPlan): void {
  const tokens = plan.tokens;
  if (tokens === null) return;
  plan.tokens = null;
  TokenStream.release(tokens);
}

/**
 * runScriptItem for runners that stop at the first error: a failing statement (thrown or
 * rejected) ends the plan's run, so its tokens are released before the error goes on. The
 * runner releases the plan itself after the last statement.
 */
function runScriptItemOrEnd(session: Session, sql: string, plan: ScriptPlan, item: ScriptItem): MaybePromise<StatementResult> {
  let r: MaybePromise<StatementResult>;
  try {
    r = runScriptItem(session, sql, plan, item);
  } catch (e) {
    releaseScript(plan);
    throw e;
  }
  if (r instanceof Promise) {
    return r.catch((e: unknown) => {
      releaseScript(plan);
      throw e;
    });
  }
  return r;
}

/**
 * Runs every statement of a plan in order and maps each result with `each` right after its
 * statement (so it can read what the statement left on the session, such as its notices); stops
 * at the first error. Statements that complete synchronously take no promise hop: a script of
 * 25,000 INSERTs would otherwise spend a microtask turn on each.
 */
export function runScript<T>(session: Session, sql: string, plan: ScriptPlan, each: (r: StatementResult) => T): MaybePromise<T[]> {
  const results: T[] = [];
  const items = plan.items;
  for (let i = 0; i < items.length; i++) {
    const r = runScriptItemOrEnd(session, sql, plan, items[i]!);
    if (r instanceof Promise) return runRest(session, sql, plan, r, results, i + 1, each);
    results.push(each(r));
  }
  releaseScript(plan);
  return results;
}

async function runRest<T>(
  session: Session, sql: string, plan: ScriptPlan, pending: Promise<StatementResult>, results: T[], from: number,
  each: (r: StatementResult) => T,
): Promise<T[]> {
  results.push(each(await pending));
  for (let i = from; i < plan.items.length; i++) results.push(each(await runScriptItemOrEnd(session, sql, plan, plan.items[i]!)));
  releaseScript(plan);
  return results;
}

/** Runs one statement with the session's statement entry point, or the wire server's runner. */
export type StatementRunFn = (stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[]) => MaybePromise<StatementResult>;

/**
 * Runs one statement of a plan, through `run` (null: the session's executeStatement; not a
 * default closure, which would be allocated for every statement of a script).
 */
export function runScriptItem(
  session: Session, sql: string, plan: ScriptPlan, item: ScriptItem, run: StatementRunFn | null = null,
): MaybePromise<StatementResult> {
  const text = sql.slice(item.start, item.end);
  if (item.kind === 'parsed') return runWith(session, run, item.stmt, text, [], []);
  // What a failed attempt may change that its rollback does not restore.
  const failedBefore = session.failed;
  const advancesBefore = session.sequences.advances;
  const { entry } = item;
  let r: MaybePromise<StatementResult>;
  try {
    r = runWith(session, run, entry.stmt, text, item.params, entry.types as (SqlType | null)[]);
  } catch (e) {
    return asWritten(session, sql, plan, item, text, e, failedBefore, advancesBefore, run);
  }
  if (r instanceof Promise) return r.catch((e: unknown) => asWritten(session, sql, plan, item, text, e, failedBefore, advancesBefore, run));
  return r;
}

function runWith(
  session: Session, run: StatementRunFn | null, stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[],
): MaybePromise<StatementResult> {
  return run === null ? session.executeStatement(stmt, text, params, paramTypes) : run(stmt, text, params, paramTypes);
}

/**
 * A shape statement failed. When its error could read differently for the statement as written
 * (it carries a position, which would point into the shape's text, or it is a data exception a
 * literal raises at bind time with its position), run the statement as written instead: the
 * failed attempt's writes were rolled back like any failed statement's, so the session is as it
 * was before it, apart from the block's failed flag, which is restored here.
 */
function asWritten(
  session: Session, sql: string, plan: ScriptPlan, item: ScriptItem, text: string, e: unknown,
  failedBefore: boolean, advancesBefore: number, run: StatementRunFn | null,
): MaybePromise<StatementResult> {
  if (!(e instanceof DbError) || (e.position === undefined && !e.code.startsWith('22'))) throw e;
  if (session.sequences.advances !== advancesBefore) {
    // The attempt advanced a sequence (a serial default, nextval in an expression), which no
    // rollback undoes: running the statement again would advance it twice. Its own error stands,
    // without the position, which points into the shape's text rather than the script.
    e.position = undefined;
    throw e;
  }
  const parsed = plan.tokens === null ? null : parseStatementAt(sql, plan.tokens, item.from, item.to);
  if (parsed === null) throw e;
  session.failed = failedBefore;
  session.oneShot.add(parsed.stmt);
  return runWith(session, run, parsed.stmt, text, [], []);
}
