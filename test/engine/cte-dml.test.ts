/**
 * Data-modifying CTEs and WITH on INSERT / UPDATE / DELETE, with PostgreSQL 15's semantics: one
 * snapshot for every sub-statement and the main query (changes are seen only through RETURNING),
 * each DML CTE runs exactly once, top-level only, and RETURNING is needed to reference one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE a (id int PRIMARY KEY, v text)');
  await db.query('CREATE TABLE archive (id int, v text)');
  await db.query("INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, 'z')");
  return db;
}

test('the move-rows pattern: WITH d AS (DELETE ... RETURNING *) INSERT INTO archive SELECT * FROM d', async () => {
  const db = await setup();
  const r = await db.query('WITH d AS (DELETE FROM a WHERE id < 3 RETURNING *) INSERT INTO archive SELECT * FROM d');
  assert.equal(r.commandTag, 'INSERT 0 2');
  assert.deepEqual((await db.query('SELECT * FROM archive ORDER BY id')).rows, [{ id: 1, v: 'x' }, { id: 2, v: 'y' }]);
  assert.deepEqual((await db.query('SELECT * FROM a')).rows, [{ id: 3, v: 'z' }]);
  await db.close();
});

test('the main query sees the snapshot from before the CTEs, and their rows only through RETURNING', async () => {
  const db = await setup();
  const r = await db.query(
    "WITH i AS (INSERT INTO a VALUES (10, 'n') RETURNING id) SELECT i.id, (SELECT count(*) FROM a) AS c FROM i");
  assert.deepEqual(r.rows, [{ id: 10, c: 3 }]);
  assert.equal(r.commandTag, 'SELECT 1');
  const u = await db.query(
    "WITH u AS (UPDATE a SET v = 'u' WHERE id = 1 RETURNING v) SELECT (SELECT v FROM a WHERE id = 1) AS seen, u.v FROM u");
  assert.deepEqual(u.rows, [{ seen: 'x', v: 'u' }]);
  // The main UPDATE sees the row the CTE deleted but cannot change it any more (PostgreSQL: UPDATE 0).
  const d = await db.query("WITH d AS (DELETE FROM a WHERE id = 3 RETURNING *) UPDATE a SET v = 'q' WHERE id = 3");
  assert.equal(d.commandTag, 'UPDATE 0');
  assert.equal((await db.query('SELECT count(*)::int AS n FROM a WHERE id = 3')).rows[0]!.n, 0);
  await db.close();
});

test('a DML CTE runs exactly once whether referenced several times or never', async () => {
  const db = await setup();
  const r = await db.query(
    "WITH u AS (UPDATE a SET v = v || '!' RETURNING *) SELECT u.id, u2.v FROM u JOIN u u2 USING (id) ORDER BY id");
  assert.deepEqual(r.rows, [{ id: 1, v: 'x!' }, { id: 2, v: 'y!' }, { id: 3, v: 'z!' }]);
  assert.deepEqual((await db.query('SELECT v FROM a ORDER BY id')).rows, [{ v: 'x!' }, { v: 'y!' }, { v: 'z!' }]);
  // Unreferenced, with and without RETURNING: still runs.
  await db.query('WITH d AS (DELETE FROM a WHERE id = 1) SELECT 1');
  await db.query('WITH d AS (DELETE FROM a WHERE id = 2 RETURNING *) SELECT 1');
  assert.deepEqual((await db.query('SELECT id FROM a')).rows, [{ id: 3 }]);
  await db.close();
});

test('several CTEs: plain and data-modifying ones may reference earlier ones', async () => {
  const db = await setup();
  const r = await db.query(
    "WITH i1 AS (INSERT INTO a VALUES (7, 'a') RETURNING id), i2 AS (INSERT INTO a SELECT id + 1, 'b' FROM i1 RETURNING id) " +
    'SELECT * FROM i1 UNION ALL SELECT * FROM i2 ORDER BY 1');
  assert.deepEqual(r.rows, [{ id: 7 }, { id: 8 }]);
  const s = await db.query(
    "WITH s AS (SELECT max(id) AS m FROM a), i AS (INSERT INTO a SELECT m + 1, 'c' FROM s RETURNING *), j AS (SELECT * FROM i) SELECT * FROM j");
  assert.deepEqual(s.rows, [{ id: 9, v: 'c' }]);
  const named = await db.query('WITH d(x) AS (DELETE FROM a WHERE id = 9 RETURNING id) SELECT x FROM d');
  assert.deepEqual(named.rows, [{ x: 9 }]);
  await db.close();
});

test('WITH on INSERT, UPDATE ... FROM and DELETE ... USING', async () => {
  const db = await setup();
  const i = await db.query("WITH src AS (SELECT 5 AS id, 'q' AS v) INSERT INTO a SELECT * FROM src RETURNING *");
  assert.deepEqual(i.rows, [{ id: 5, v: 'q' }]);
  const u = await db.query("WITH s AS (SELECT 5 AS id) UPDATE a SET v = 'upd' FROM s WHERE a.id = s.id RETURNING a.*");
  assert.deepEqual(u.rows, [{ id: 5, v: 'upd' }]);
  const d = await db.query('WITH s AS (SELECT 5 AS id) DELETE FROM a USING s WHERE a.id = s.id RETURNING a.id');
  assert.deepEqual(d.rows, [{ id: 5 }]);
  assert.equal(d.commandTag, 'DELETE 1');
  const dm = await db.query("WITH i AS (INSERT INTO archive VALUES (2, 'new') RETURNING id) UPDATE a SET v = 'moved' FROM i WHERE a.id = i.id RETURNING a.id, a.v");
  assert.deepEqual(dm.rows, [{ id: 2, v: 'moved' }]);
  await db.close();
});

test('parameters are typed from the whole statement before anything runs', async () => {
  const db = await setup();
  const r = await db.query('WITH x AS (INSERT INTO a VALUES ($1, $2) RETURNING *) SELECT * FROM x WHERE id = $3', [100, 'p', 100]);
  assert.deepEqual(r.rows, [{ id: 100, v: 'p' }]);
  const u = await db.query('WITH i AS (INSERT INTO archive VALUES ($1, $2) RETURNING *) UPDATE a SET v = $3 FROM i WHERE a.id = 1 RETURNING a.*', [30, 'p', 'viaparam']);
  assert.deepEqual(u.rows, [{ id: 1, v: 'viaparam' }]);
  await db.close();
});

test('errors: no RETURNING, not at the top level, column list too long, read-only', async () => {
  const db = await setup();
  await fails(db.query('WITH d AS (DELETE FROM a) SELECT * FROM d'), '0A000', 'WITH query "d" does not have a RETURNING clause');
  const nested = 'WITH clause containing a data-modifying statement must be at the top level';
  await fails(db.query('SELECT * FROM (WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d) s'), '0A000', nested);
  await fails(db.query('WITH a1 AS (WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d) SELECT * FROM a1'), '0A000', nested);
  await fails(db.query('INSERT INTO a WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d'), '0A000', nested);
  await fails(db.query('WITH d(x, y, z) AS (DELETE FROM a RETURNING id) SELECT x FROM d'), '42P10',
    'WITH query "d" has 1 columns available but 3 columns specified');
  assert.equal((await db.query('SELECT count(*)::int AS n FROM a')).rows[0]!.n, 3, 'failed statements changed nothing');
  // A failing DML CTE undoes the whole statement.
  await fails(db.query("WITH d AS (DELETE FROM a WHERE id = 2 RETURNING *), i AS (INSERT INTO a VALUES (1, 'dup') RETURNING *) SELECT * FROM i"), '23505');
  assert.equal((await db.query('SELECT count(*)::int AS n FROM a')).rows[0]!.n, 3);
  await db.query('BEGIN READ ONLY');
  await fails(db.query('WITH d AS (DELETE FROM a RETURNING *) SELECT * FROM d'), '25006', 'cannot execute DELETE in a read-only transaction');
  await db.query('ROLLBACK');
  await db.close();
});

test('inside a transaction the changes are visible to the next statement', async () => {
  const db = await setup();
  await db.query('BEGIN');
  await db.query("WITH d AS (DELETE FROM a WHERE id = 1 RETURNING *) INSERT INTO archive SELECT id, v || '-old' FROM d");
  assert.deepEqual((await db.query('SELECT * FROM archive')).rows, [{ id: 1, v: 'x-old' }]);
  await db.query('ROLLBACK');
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM archive')).rows, [{ n: 0 }]);
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM a')).rows, [{ n: 3 }]);
  await db.close();
});
