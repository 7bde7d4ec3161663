/**
 * CREATE PROCEDURE / CALL with IN, OUT and INOUT arguments, COMMIT / ROLLBACK inside a procedure
 * (non-atomic CALL only: 2D000 inside a transaction block), DO blocks, and persistence of routines
 * and triggers across a reopen of a file database (recompiled lazily).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './test-js.ts';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv } from '../../src/env/sim-env.ts';
import { FaultFileSystem } from '../../src/env/fault-fs.ts';
import { fails } from '../engine/helpers.ts';

test('CALL with IN / OUT / INOUT returns a row of the output arguments', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
  await db.query("CREATE PROCEDURE put(a int, INOUT b int, OUT doubled int) LANGUAGE sql AS $$INSERT INTO t VALUES (a, 'p'); SELECT b + 1, b * 2$$");
  const r = await db.query('CALL put(1, 5, NULL)');
  assert.deepEqual(r.rows, [{ b: 6, doubled: 10 }]);
  assert.equal(r.command, 'CALL');
  assert.deepEqual((await db.query('SELECT * FROM t')).rows, [{ id: 1, v: 'p' }]);
  await db.query("CREATE PROCEDURE plain(a int DEFAULT 7) LANGUAGE testjs AS 'oxibase.query(\"INSERT INTO t VALUES ($1, $2)\", [a, \"js\"]);'");
  const p = await db.query('CALL plain()');
  assert.deepEqual(p.rows, []);
  await db.query('CALL plain(a => 8)');
  assert.deepEqual((await db.query('SELECT id FROM t ORDER BY id')).rows, [{ id: 1 }, { id: 7 }, { id: 8 }]);
  await fails(db.query('CALL nope()'), '42883', 'procedure nope() does not exist');
  await db.query('CREATE FUNCTION fn() RETURNS int RETURN 1');
  await fails(db.query('CALL fn()'), '42809', /is not a procedure/);
  await fails(db.query('SELECT plain()'), '42883');
  await db.query('DROP PROCEDURE plain');
  await fails(db.query('CALL plain()'), '42883');
});

test('COMMIT inside a procedure keeps earlier work when a later part fails; 2D000 inside a block', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id int PRIMARY KEY)');
  await db.query(`CREATE PROCEDURE batches(n int) LANGUAGE testjs AS $$
    for (let i = 1; i <= n; i++) {
      oxibase.query('INSERT INTO t VALUES ($1)', [i]);
      oxibase.query('COMMIT');
    }
    oxibase.query('INSERT INTO t VALUES (1)');
  $$`);
  await fails(db.query('CALL batches(3)'), '23505');
  assert.deepEqual((await db.query('SELECT id FROM t ORDER BY id')).rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
  await db.query("CREATE PROCEDURE undo() LANGUAGE testjs AS 'oxibase.query(\"INSERT INTO t VALUES (50)\"); oxibase.query(\"ROLLBACK\"); oxibase.query(\"INSERT INTO t VALUES (51)\");'");
  await db.query('CALL undo()');
  assert.deepEqual((await db.query('SELECT id FROM t WHERE id >= 50')).rows, [{ id: 51 }]);
  await db.query("CREATE PROCEDURE c() LANGUAGE testjs AS 'oxibase.query(\"COMMIT\");'");
  await db.query('BEGIN');
  await fails(db.query('CALL c()'), '2D000', 'invalid transaction termination');
  await db.query('ROLLBACK');
  // From a function (an atomic context) it is also 2D000.
  await db.query("CREATE FUNCTION f() RETURNS int LANGUAGE testjs AS 'oxibase.query(\"COMMIT\"); return 1;'");
  await fails(db.query('SELECT f()'), '2D000');
});

test('DO runs an anonymous block; its default language is plpgsql', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id int)');
  await db.query("DO LANGUAGE testjs $$ for (let i = 0; i < 3; i++) oxibase.query('INSERT INTO t VALUES ($1)', [i]); $$");
  assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM t')).rows, [{ c: 3 }]);
  const r = await db.query("DO $$ oxibase.log('hello from DO') $$ LANGUAGE testjs");
  assert.equal(r.command, 'DO');
  assert.deepEqual(r.notices?.map((n) => n.message), ['hello from DO']);
  await fails(db.query('DO LANGUAGE cobol $$ x $$'), '42704', 'language "cobol" does not exist');
  // Without LANGUAGE the block is PL/pgSQL (registered by the plpgsql module when present).
  try {
    await db.query('DO $$ BEGIN NULL; END $$');
  } catch (e) {
    assert.equal((e as Error).message, 'language "plpgsql" does not exist');
  }
});

test('routines and triggers survive a reopen of a file database and recompile lazily', async () => {
  const fs = new FaultFileSystem(7);
  const env = createSimEnv({ seed: 7, pid: 11, fs });
  const tick = setInterval(() => env.timers.advance(1), 0);
  try {
    let db = await Oxibase.open('/db', { env });
    await db.exec(`
      CREATE TABLE t (id int PRIMARY KEY, v text);
      CREATE FUNCTION shout(s text, suffix text DEFAULT '!') RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT upper(s) || suffix$$;
      CREATE FUNCTION calculate_total(price INT, tax FLOAT) RETURNS FLOAT AS 'return price * (1 + tax);';
      CREATE FUNCTION up() RETURNS trigger AS 'NEW.v = NEW.v + "*"; return NEW;';
      CREATE TRIGGER star BEFORE INSERT ON t FOR EACH ROW WHEN (NEW.v IS NOT NULL) EXECUTE FUNCTION up();
      CREATE PROCEDURE p(INOUT x int) LANGUAGE sql AS 'SELECT x * 3';
    `);
    await db.close();
    db = await Oxibase.open('/db', { env });
    assert.deepEqual((await db.query("SELECT shout('hi') a, calculate_total(10, 0.5) b")).rows, [{ a: 'HI!', b: 15 }]);
    await db.query("INSERT INTO t VALUES (1, 'x')");
    assert.deepEqual((await db.query('SELECT v FROM t')).rows, [{ v: 'x*' }]);
    assert.deepEqual((await db.query('CALL p(4)')).rows, [{ x: 12 }]);
    const procs = await db.query("SELECT proname, prokind, pg_get_function_arguments(oid) AS args FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1");
    assert.deepEqual(procs.rows, [
      { proname: 'calculate_total', prokind: 'f', args: 'price integer, tax double precision' },
      { proname: 'p', prokind: 'p', args: 'INOUT x integer' },
      { proname: 'shout', prokind: 'f', args: "s text, suffix text DEFAULT '!'" },
      { proname: 'up', prokind: 'f', args: '' },
    ]);
    // Replaced after the restart: the new body is used.
    await db.query("CREATE OR REPLACE FUNCTION shout(s text, suffix text DEFAULT '!') RETURNS text LANGUAGE sql AS $$SELECT lower(s) || suffix$$");
    await db.close();
    db = await Oxibase.open('/db', { env });
    assert.deepEqual((await db.query("SELECT shout('HI', '?') a")).rows, [{ a: 'hi?' }]);
    await db.close();
  } finally {
    clearInterval(tick);
  }
});
