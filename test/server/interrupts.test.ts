/**
 * Interrupting running statements over the wire: CancelRequest (node-postgres, postgres.js),
 * pg_cancel_backend, pg_terminate_backend, statement_timeout (session, startup options, SET
 * LOCAL), pg_sleep that does not block other connections, pg_stat_activity, and
 * idle_in_transaction_session_timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import postgres from 'postgres';
import { startServer } from './helpers.ts';

function client(port: number, extra: Partial<pg.ClientConfig> = {}): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port, user: 'oxibase', database: 'oxibase', ...extra });
}

/** A query that runs for minutes unless interrupted. */
const LONG = 'select count(*) from generate_series(1, 2000000000) g where g % 7 = 3';

async function waitForActive(c: pg.Client, pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await c.query('select state from pg_stat_activity where pid = $1', [pid]);
    if (r.rows[0]?.state === 'active') return;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error('backend never became active');
}

test('CancelRequest from node-postgres interrupts a running query; others keep being served', async () => {
  const r = await startServer();
  const a = client(r.port);
  const b = client(r.port);
  try {
    await a.connect();
    await b.connect();
    const pid = (a as unknown as { processID: number }).processID;
    assert.equal((await a.query('select pg_backend_pid() as p')).rows[0].p, pid);
    const running = new pg.Query(LONG);
    const outcome = new Promise<unknown>((resolve) => {
      running.on('end', () => resolve('finished'));
      running.on('error', (e: Error) => resolve(e));
    });
    a.query(running);
    await waitForActive(b, pid);
    // The long query yields its time slices: b is served while it runs.
    assert.equal((await b.query('select 41 + 1 as x')).rows[0].x, 42);
    const act = await b.query('select query, state, usename, application_name from pg_stat_activity where pid = $1', [pid]);
    assert.equal(act.rows[0].query, LONG);
    assert.equal(act.rows[0].usename, 'oxibase');
    // node-postgres sends CancelRequest on a new connection with the BackendKeyData.
    (client(r.port) as unknown as { cancel(c: pg.Client, q: unknown): void }).cancel(a, running);
    const e = await outcome;
    assert.ok(e instanceof Error, 'the query was not interrupted');
    assert.equal((e as pg.DatabaseError).code, '57014');
    assert.equal((e as pg.DatabaseError).message, 'canceling statement due to user request');
    // The connection is usable afterwards, and a later statement is not affected.
    assert.equal((await a.query('select 1 as one')).rows[0].one, 1);
  } finally {
    await a.end();
    await b.end();
    await r.stop();
  }
});

test('pg_cancel_backend and pg_terminate_backend', async () => {
  const r = await startServer();
  const a = client(r.port);
  const b = client(r.port);
  const c = client(r.port);
  c.on('error', () => undefined);
  try {
    await a.connect();
    await b.connect();
    await c.connect();
    const pidA = (a as unknown as { processID: number }).processID;
    const pidC = (c as unknown as { processID: number }).processID;
    await a.query('create table t(id int)');
    await a.query('begin');
    await a.query('insert into t values (1)');
    const running = a.query(LONG).then(() => 'finished', (e: pg.DatabaseError) => e);
    await waitForActive(b, pidA);
    assert.equal((await b.query('select pg_cancel_backend($1) as ok', [pidA])).rows[0].ok, true);
    const e = await running;
    assert.equal((e as pg.DatabaseError).code, '57014');
    // Inside a block, the canceled statement fails the block (as in PostgreSQL).
    await assert.rejects(a.query('select 1'), (x: pg.DatabaseError) => x.code === '25P02');
    await a.query('rollback');
    assert.equal((await a.query('select count(*)::int as n from t')).rows[0].n, 0);
    // Unknown pid: false with a warning.
    assert.equal((await b.query('select pg_cancel_backend(99999) as ok')).rows[0].ok, false);

    const sleeping = c.query('select pg_sleep(30)').then(() => 'finished', (x: pg.DatabaseError) => x);
    await waitForActive(b, pidC);
    assert.equal((await b.query('select pg_terminate_backend($1) as ok', [pidC])).rows[0].ok, true);
    const t = await sleeping;
    assert.ok(t instanceof Error);
    assert.equal((t as pg.DatabaseError).code, '57P01');
    const pids = (await b.query('select pid from pg_stat_activity')).rows.map((x) => x.pid);
    assert.ok(!pids.includes(pidC));
    assert.ok(pids.includes(pidA));
  } finally {
    await a.end();
    await b.end();
    await r.stop();
  }
});

test('postgres.js query.cancel() interrupts a running query', async () => {
  const r = await startServer();
  const sql = postgres({ host: '127.0.0.1', port: r.port, user: 'oxibase', database: 'oxibase', max: 1, onnotice: () => undefined });
  const watcher = client(r.port);
  try {
    await watcher.connect();
    const q = sql.unsafe(LONG);
    const outcome = q.then(() => 'finished', (e: { code: string }) => e);
    // A cancel that arrives before the query runs is ignored (as in PostgreSQL): wait for it.
    for (let i = 0; i < 500; i++) {
      const act = await watcher.query('select 1 from pg_stat_activity where query = $1 and state = $2', [LONG, 'active']);
      if (act.rowCount === 1) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    await q.cancel();
    const e = await outcome;
    assert.notEqual(e, 'finished');
    assert.equal((e as { code: string }).code, '57014');
    assert.equal((await sql`select 1 as one`)[0]!.one, 1);
  } finally {
    await watcher.end();
    await sql.end();
    await r.stop();
  }
});

test('statement_timeout: per session, from startup options, SET LOCAL; pg_sleep does not block', async () => {
  const r = await startServer();
  const a = client(r.port);
  const b = client(r.port, { options: '-c statement_timeout=150' });
  try {
    await a.connect();
    await b.connect();
    assert.equal((await b.query('show statement_timeout')).rows[0].statement_timeout, '150ms');
    await assert.rejects(b.query(LONG), (e: pg.DatabaseError) =>
      e.code === '57014' && e.message === 'canceling statement due to statement timeout');
    await assert.rejects(b.query('select pg_sleep(5)'), (e: pg.DatabaseError) => e.code === '57014');
    // A statement that fits runs normally.
    assert.equal((await b.query('select pg_sleep(0.01) as v')).rows[0].v, '');

    await a.query('begin');
    await a.query("set local statement_timeout = '100ms'");
    await assert.rejects(a.query('select pg_sleep_for(\'10 seconds\')'), (e: pg.DatabaseError) => e.code === '57014');
    await a.query('rollback');
    assert.equal((await a.query('show statement_timeout')).rows[0].statement_timeout, '0');

    // While one connection sleeps, another is served.
    const sleeping = a.query('select pg_sleep(0.4) as s');
    const t0 = Date.now();
    assert.equal((await b.query('select 2 as two')).rows[0].two, 2);
    assert.ok(Date.now() - t0 < 300, 'the other connection was blocked by pg_sleep');
    await sleeping;
  } finally {
    await a.end();
    await b.end();
    await r.stop();
  }
});

test('idle_in_transaction_session_timeout terminates an idle transaction', async () => {
  const r = await startServer();
  const a = client(r.port);
  const errors: Error[] = [];
  a.on('error', (e) => errors.push(e));
  try {
    await a.connect();
    await a.query("set idle_in_transaction_session_timeout = '100ms'");
    await a.query('begin');
    await a.query('select 1');
    await new Promise((res) => setTimeout(res, 400));
    assert.equal((errors[0] as pg.DatabaseError | undefined)?.code, '25P03');
    assert.equal(r.server.connectionCount, 0);
  } finally {
    await a.end().catch(() => undefined);
    await r.stop();
  }
});

test('a client that disconnects while its query runs: the statement stops, others are unaffected', async () => {
  const r = await startServer();
  const a = client(r.port);
  const b = client(r.port);
  a.on('error', () => undefined);
  try {
    await a.connect();
    await b.connect();
    const pidA = (a as unknown as { processID: number }).processID;
    await b.query('create table t(id int)');
    await a.query('begin');
    await a.query('insert into t values (1)');
    a.query(LONG).catch(() => undefined);
    await waitForActive(b, pidA);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    for (let i = 0; i < 200; i++) {
      const pids = (await b.query('select pid from pg_stat_activity')).rows.map((x) => x.pid);
      if (!pids.includes(pidA)) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    assert.deepEqual((await b.query('select pid from pg_stat_activity')).rows.map((x) => x.pid), [(b as unknown as { processID: number }).processID]);
    // The vanished client's transaction rolled back; the table is usable.
    assert.equal((await b.query('select count(*)::int as n from t')).rows[0].n, 0);
    await b.query('insert into t values (2)');
  } finally {
    await b.end();
    await r.stop();
  }
});
