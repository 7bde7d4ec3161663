/**
 * Shared helpers for the transaction tests: opening a database with sessions, asserting SQLSTATEs,
 * and observing whether a query that should be blocked on a lock is still pending.
 *
 * Determinism: nothing here sleeps. `settle()` only drains the microtask and immediate queues so
 * that every statement that *can* make progress has done so; whether a promise is then settled is
 * a function of the engine's locking, not of timing.
 */
import assert from 'node:assert/strict';
import { Oxibase, DbError } from '../../src/index.ts';
import type { Session, QueryResult } from '../../src/index.ts';

export async function openDb(setup?: string): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  if (setup !== undefined) await db.exec(setup);
  return db;
}

/** Asserts that `p` rejects with a DbError carrying `code`; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected DbError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    if (message !== undefined) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected an error with SQLSTATE ${code}, but the statement succeeded`);
}

/** Lets every runnable microtask and immediate finish (no timers, no sleeping). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Tracks a promise's settlement so a test can assert that a statement is (still) blocked. */
export class Tracked<T> {
  settled = false;
  readonly promise: Promise<T>;

  constructor(p: Promise<T>) {
    this.promise = p;
    // Observe rejections too, so an expected failure is not reported as unhandled.
    p.then(() => { this.settled = true; }, () => { this.settled = true; });
  }
}

export function track<T>(p: Promise<T>): Tracked<T> {
  return new Tracked(p);
}

/** Asserts that `t` is still waiting after everything runnable ran. */
export async function assertBlocked(t: Tracked<unknown>, what = 'statement'): Promise<void> {
  await settle();
  assert.equal(t.settled, false, `${what} should be waiting on a lock`);
}

/** The single value of a one-row, one-column query. */
export async function scalar(q: Session | Oxibase, sql: string, params?: unknown[]): Promise<unknown> {
  const r: QueryResult = await q.query(sql, params);
  assert.equal(r.rows.length, 1, `expected one row from ${sql}`);
  const row = r.rows[0]!;
  const keys = Object.keys(row);
  assert.equal(keys.length, 1);
  return row[keys[0]!];
}

/** The first column of every row, in result order. */
export async function column(q: Session | Oxibase, sql: string): Promise<unknown[]> {
  const r = await q.queryArrays(sql);
  return r.rows.map((row) => row[0]);
}
