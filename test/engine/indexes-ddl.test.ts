/**
 * CREATE INDEX / REINDEX / DROP INDEX and what indexes enforce: methods and their errors,
 * DESC / NULLS FIRST order, IF NOT EXISTS, CONCURRENTLY, INCLUDE; immutable-only expressions;
 * expression and partial unique indexes; a concurrent uncommitted duplicate waits, then fails
 * (holder commits) or succeeds (holder rolls back); UPDATE and DELETE find their rows through
 * indexes; indexes survive a restart and a rolled-back CREATE INDEX leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Oxibase } from '../../src/index.ts';
import { fails, rows } from './helpers.ts';

async function plan(db: Oxibase, sql: string): Promise<string> {
  return (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0])).join('\n');
}

test('CREATE INDEX forms, methods and errors', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (id INT PRIMARY KEY, v INT, s TEXT, j JSON)');
  await db.exec("INSERT INTO t VALUES (1, 3, 'a', '{}'), (2, NULL, 'b', '{}'), (3, 1, NULL, '{}'), (4, 3, 'c', '{}')");
  await db.exec('CREATE INDEX CONCURRENTLY t_v ON t (v DESC NULLS LAST)');
  await db.exec('CREATE INDEX IF NOT EXISTS t_v ON t (s)');
  await fails(db.query('CREATE INDEX t_v ON t (s)'), '42P07', 'relation "t_v" already exists');
  await fails(db.query('CREATE INDEX ON t USING gist (v)'), '42704', 'access method "gist" does not exist');
  await fails(db.query('CREATE INDEX ON t (nosuch)'), '42703', 'column "nosuch" does not exist');
  await fails(db.query('CREATE INDEX ON t ((v + random()::int))'), '42P17', 'functions in index expression must be marked IMMUTABLE');
  await fails(db.query('CREATE INDEX ON t (v) WHERE v > random()'), '42P17', 'functions in index predicate must be marked IMMUTABLE');
  await fails(db.query('CREATE INDEX ON t USING btree (j)'), '42704', 'data type json has no default operator class for access method "btree"');
  await fails(db.query('CREATE INDEX ON t (j)'), '42704', 'data type json has no default operator class for access method "hash"');
  await fails(db.query('CREATE INDEX ON t ((10 / (v - v)))'), '22012');
  await fails(db.query('CREATE UNIQUE INDEX ON t USING hash (v)'), '0A000', 'access method "hash" does not support unique indexes');
  // No USING: a B-tree (every type with equality has an ordering too).
  await db.exec('CREATE INDEX t_bm ON t USING bitmap (s)');
  const methods = await rows(db, "SELECT c.relname, a.amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam WHERE c.relname IN ('t_v', 't_bm') ORDER BY 1");
  assert.deepEqual(methods, [{ relname: 't_bm', amname: 'bitmap' }, { relname: 't_v', amname: 'btree' }]);
  assert.deepEqual(await rows(db, "SELECT pg_get_indexdef('t_v'::regclass) AS d"), [{ d: 'CREATE INDEX t_v ON t USING btree (v DESC NULLS LAST)' }]);
  // DESC NULLS LAST order serves ORDER BY v DESC NULLS LAST.
  await db.exec('SET enable_seqscan = off');
  assert.match(await plan(db, 'SELECT id FROM t ORDER BY v DESC NULLS LAST LIMIT 10'), /Index Scan using t_v/);
  assert.deepEqual((await rows(db, 'SELECT id FROM t ORDER BY v DESC NULLS LAST LIMIT 10')).map((r) => (r as { id: number }).id), [1, 4, 3, 2]);
  assert.deepEqual((await rows(db, 'SELECT id FROM t ORDER BY v ASC NULLS FIRST LIMIT 10')).map((r) => (r as { id: number }).id), [2, 3, 4, 1]);
  await db.exec('REINDEX TABLE t; REINDEX INDEX t_v; DROP INDEX CONCURRENTLY t_v; DROP INDEX IF EXISTS t_v');
  assert.deepEqual(await rows(db, 'SELECT id FROM t WHERE v = 3 ORDER BY id'), [{ id: 1 }, { id: 4 }]);
  await db.close();
});

test('expression and partial unique indexes', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE u (id INT PRIMARY KEY, email TEXT, deleted BOOLEAN DEFAULT false)');
  await db.exec('CREATE UNIQUE INDEX u_email ON u (lower(email)) WHERE NOT deleted');
  await db.exec("INSERT INTO u VALUES (1, 'A@x.com', false)");
  await fails(db.query("INSERT INTO u VALUES (2, 'a@X.com', false)"), '23505', 'duplicate key value violates unique constraint "u_email"');
  await db.exec("INSERT INTO u VALUES (3, 'a@x.com', true)");
  await db.exec("UPDATE u SET deleted = true WHERE id = 1; INSERT INTO u VALUES (2, 'a@X.com', false)");
  await fails(db.query('UPDATE u SET deleted = false WHERE id = 3'), '23505');
  await fails(db.query("CREATE UNIQUE INDEX u_all ON u (lower(email))"), '23505', 'could not create unique index "u_all"');
  assert.deepEqual(await rows(db, "SELECT id FROM u WHERE lower(email) = 'a@x.com' AND NOT deleted"), [{ id: 2 }]);
  await db.close();
});

test('a concurrent uncommitted duplicate waits, then fails or succeeds', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE k (id INT PRIMARY KEY, code TEXT)');
  await db.exec('CREATE UNIQUE INDEX k_code ON k (upper(code))');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query("INSERT INTO k VALUES (1, 'x')");
  let settled = false;
  const pb = b.query("INSERT INTO k VALUES (2, 'X')").finally(() => { settled = true; });
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'the second insert waits for the first transaction');
  await a.query('COMMIT');
  await fails(pb, '23505', 'duplicate key value violates unique constraint "k_code"');
  await a.query('BEGIN');
  await a.query("INSERT INTO k VALUES (3, 'y')");
  const pb2 = b.query("INSERT INTO k VALUES (4, 'Y')");
  await a.query('ROLLBACK');
  await pb2;
  assert.deepEqual(await rows(db, 'SELECT id FROM k ORDER BY id'), [{ id: 1 }, { id: 4 }]);
  await db.close();
});

test('UPDATE and DELETE find their rows through indexes', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE w (id INT PRIMARY KEY, a INT, s TEXT)');
  await db.exec("INSERT INTO w SELECT g, g % 50, 'n' || g FROM generate_series(1, 5000) g");
  await db.exec('CREATE INDEX w_a ON w (a); CREATE INDEX w_ls ON w (lower(s))');
  // Raising the key while scanning the index in key order must not revisit rows.
  const r = await db.query('UPDATE w SET id = id + 100000 WHERE id > 4990');
  assert.equal(r.rowCount, 10);
  assert.equal((await db.query('UPDATE w SET a = a + 1 WHERE a BETWEEN 10 AND 12')).rowCount, 300);
  assert.equal((await db.query("DELETE FROM w WHERE lower(s) = 'n77'")).rowCount, 1);
  assert.deepEqual(await rows(db, 'SELECT count(*)::int AS n FROM w WHERE a = 13'), [{ n: 200 }]);
  assert.deepEqual(await rows(db, 'SELECT count(*)::int AS n FROM w WHERE id > 100000'), [{ n: 10 }]);
  await db.close();
});

test('rolled-back CREATE INDEX leaves nothing; indexes survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-idx-'));
  try {
    let db = await Oxibase.open(dir);
    await db.exec('CREATE TABLE p (id INT PRIMARY KEY, a INT, s TEXT)');
    await db.exec("INSERT INTO p SELECT g, g % 10, 'v' || g FROM generate_series(1, 1000) g");
    await db.exec('BEGIN; CREATE INDEX p_gone ON p (a); ROLLBACK');
    assert.deepEqual(await rows(db, "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'p_gone'"), [{ n: 0 }]);
    await db.exec("CREATE INDEX p_a ON p (a DESC) INCLUDE (s) WHERE a > 2; CREATE INDEX p_up ON p (upper(s)); CREATE INDEX p_bm ON p USING bitmap (a)");
    await db.close();
    db = await Oxibase.open(dir);
    assert.match(await plan(db, "SELECT id FROM p WHERE upper(s) = 'V5'"), /Index Scan using p_up/);
    assert.deepEqual(await rows(db, "SELECT id FROM p WHERE upper(s) = 'V5'"), [{ id: 5 }]);
    assert.match(await plan(db, 'SELECT s FROM p WHERE a = 7'), /p_a|p_bm/);
    assert.deepEqual(await rows(db, 'SELECT count(*)::int AS n FROM p WHERE a = 7'), [{ n: 100 }]);
    const def = await rows(db, "SELECT pg_get_indexdef('p_a'::regclass) AS d");
    assert.deepEqual(def, [{ d: 'CREATE INDEX p_a ON p USING btree (a DESC) INCLUDE (s) WHERE (a > 2)' }]);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('RENAME and DROP COLUMN keep expression and partial indexes consistent', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE r (id INT PRIMARY KEY, s TEXT, n INT); INSERT INTO r VALUES (1, 'Ab', 1), (2, 'cd', NULL)");
  await db.exec('CREATE INDEX r_ls ON r (lower(s)) WHERE n IS NOT NULL; CREATE INDEX r_n ON r (n)');
  await db.exec('ALTER TABLE r RENAME COLUMN s TO t');
  assert.deepEqual(await rows(db, "SELECT pg_get_indexdef('r_ls'::regclass) AS d"), [{ d: 'CREATE INDEX r_ls ON r USING btree (lower(t)) WHERE (n IS NOT NULL)' }]);
  // A later ALTER rebuilds every index from its stored definition.
  await db.exec('ALTER TABLE r ADD COLUMN extra INT');
  assert.deepEqual(await rows(db, "SELECT id FROM r WHERE lower(t) = 'ab' AND n IS NOT NULL"), [{ id: 1 }]);
  await db.exec('ALTER TABLE r DROP COLUMN n');
  assert.deepEqual(await rows(db, "SELECT relname FROM pg_class WHERE relname LIKE 'r\\_%' ORDER BY 1"), [{ relname: 'r_pkey' }]);
  await db.close();
});

test('ON CONFLICT infers expression and partial unique indexes', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE c (id INT PRIMARY KEY, email TEXT, active BOOLEAN, n INT DEFAULT 0)');
  await db.exec('CREATE UNIQUE INDEX c_email ON c (lower(email)) WHERE active');
  await db.exec("INSERT INTO c VALUES (1, 'A@x', true)");
  await db.exec("INSERT INTO c VALUES (2, 'a@X', true) ON CONFLICT (lower(email)) WHERE active DO UPDATE SET n = c.n + 1");
  assert.deepEqual(await rows(db, 'SELECT id, n FROM c ORDER BY id'), [{ id: 1, n: 1 }]);
  await fails(db.query("INSERT INTO c VALUES (3, 'a@x', true) ON CONFLICT (lower(email)) DO NOTHING"), '42P10',
    'there is no unique or exclusion constraint matching the ON CONFLICT specification');
  await fails(db.query("INSERT INTO c VALUES (3, 'a@x', true) ON CONFLICT (email) WHERE active DO NOTHING"), '42P10');
  await db.exec("INSERT INTO c VALUES (1, 'z', false) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email");
  assert.deepEqual(await rows(db, 'SELECT email FROM c'), [{ email: 'z' }]);
  await db.close();
});
