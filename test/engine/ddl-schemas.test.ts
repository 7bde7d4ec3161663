/**
 * CREATE / DROP SCHEMA, search_path resolution, schema-qualified names, and IF [NOT] EXISTS on
 * every CREATE / DROP (a NOTICE, never an error), as PostgreSQL 15 behaves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

test('CREATE SCHEMA / IF NOT EXISTS / duplicate / reserved prefix', async () => {
  const db = await Oxibase.open('memory://');
  assert.equal((await db.query('CREATE SCHEMA s1')).commandTag, 'CREATE SCHEMA');
  await fails(db.query('CREATE SCHEMA s1'), '42P06', 'schema "s1" already exists');
  const r = await db.query('CREATE SCHEMA IF NOT EXISTS s1');
  assert.equal(r.commandTag, 'CREATE SCHEMA');
  assert.deepEqual(r.notices.map((n) => [n.severity, n.message]), [['NOTICE', 'schema "s1" already exists, skipping']]);
  await fails(db.query('CREATE SCHEMA pg_mine'), '42939', 'unacceptable schema name "pg_mine"');
  await db.close();
});

test('DROP SCHEMA: RESTRICT lists dependents, CASCADE drops them, IF EXISTS notices', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE SCHEMA s1; CREATE TABLE s1.t (id serial PRIMARY KEY); CREATE VIEW s1.v AS SELECT * FROM s1.t');
  await fails(db.query('DROP SCHEMA s1'), '2BP01', 'cannot drop schema s1 because other objects depend on it',
    'table s1.t depends on schema s1\nview s1.v depends on schema s1');
  await fails(db.query('DROP SCHEMA s1 RESTRICT'), '2BP01');
  const r = await db.query('DROP SCHEMA s1 CASCADE');
  assert.equal(r.commandTag, 'DROP SCHEMA');
  assert.deepEqual(r.notices.map((n) => n.message), ['drop cascades to 2 other objects']);
  await fails(db.query('SELECT * FROM s1.t'), '42P01', 'relation "s1.t" does not exist');
  // The serial's sequence went with the table.
  await fails(db.query("SELECT nextval('s1.t_id_seq')"), '42P01');
  const r2 = await db.query('DROP SCHEMA IF EXISTS s1');
  assert.deepEqual(r2.notices.map((n) => n.message), ['schema "s1" does not exist, skipping']);
  await fails(db.query('DROP SCHEMA s1'), '3F000', 'schema "s1" does not exist');
  await db.exec('CREATE SCHEMA e');
  const r3 = await db.query('DROP SCHEMA IF EXISTS e, nosuch');
  assert.deepEqual(r3.notices.map((n) => n.message), ['schema "nosuch" does not exist, skipping']);
  await fails(db.query('CREATE TABLE e.t (a int)'), '3F000', 'schema "e" does not exist');
  // A single cascaded object is named in the notice itself.
  await db.exec('CREATE SCHEMA one; CREATE TABLE one.t (a int)');
  assert.deepEqual((await db.query('DROP SCHEMA one CASCADE')).notices.map((n) => n.message), ['drop cascades to table one.t']);
  await db.close();
});

test('search_path: resolution order, creation in the first existing schema, SHOW / RESET', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE SCHEMA a; CREATE SCHEMA b');
  assert.deepEqual((await db.query('SHOW search_path')).rows, [{ search_path: '"$user", public' }]);
  await db.query('SET search_path = b, a');
  await db.query('CREATE TABLE t1 (x int)');
  await db.query('INSERT INTO t1 VALUES (1)');
  assert.deepEqual((await db.query('SELECT * FROM b.t1')).rows, [{ x: 1 }]);
  await fails(db.query('SELECT * FROM a.t1'), '42P01');
  // A missing schema at the head of the path is skipped for creation.
  await db.query('SET search_path = nosuch, a');
  await db.query('CREATE TABLE t2 (x int)');
  assert.deepEqual((await db.query('SELECT count(*) AS n FROM a.t2')).rows, [{ n: 0 }]);
  assert.deepEqual((await db.query('SHOW search_path')).rows, [{ search_path: 'nosuch, a' }]);
  // The same name in two schemas: the earlier schema in the path wins.
  await db.exec("CREATE TABLE a.dup (v text); CREATE TABLE b.dup (v text); INSERT INTO a.dup VALUES ('a'); INSERT INTO b.dup VALUES ('b')");
  await db.query('SET search_path = b, a');
  assert.deepEqual((await db.query('SELECT v FROM dup')).rows, [{ v: 'b' }]);
  await db.query('SET search_path TO a, b');
  assert.deepEqual((await db.query('SELECT v FROM dup')).rows, [{ v: 'a' }]);
  await db.query('SET search_path = nosuch');
  await fails(db.query('CREATE TABLE t3 (x int)'), '3F000', 'no schema has been selected to create in');
  await fails(db.query('SELECT * FROM t1'), '42P01', 'relation "t1" does not exist');
  await db.query('RESET search_path');
  assert.deepEqual((await db.query('SHOW search_path')).rows, [{ search_path: '"$user", public' }]);
  await db.query('CREATE TABLE t3 (x int)');
  assert.deepEqual((await db.query('SELECT count(*) AS n FROM public.t3')).rows, [{ n: 0 }]);
  await db.close();
});

test('schema-qualified names in DDL and DML; ALTER TABLE SET SCHEMA; ALTER SCHEMA RENAME', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE SCHEMA app; CREATE TABLE app.items (id int PRIMARY KEY, name text)');
  await db.query("INSERT INTO app.items VALUES (1, 'a')");
  await db.query("UPDATE app.items SET name = 'b' WHERE app.items.id = 1");
  assert.deepEqual((await db.query('SELECT app.items.name FROM app.items')).rows, [{ name: 'b' }]);
  await fails(db.query('SELECT * FROM items'), '42P01');
  await db.query('ALTER TABLE app.items SET SCHEMA public');
  assert.deepEqual((await db.query('SELECT id, name FROM items')).rows, [{ id: 1, name: 'b' }]);
  await fails(db.query('SELECT * FROM app.items'), '42P01');
  await fails(db.query('ALTER TABLE items SET SCHEMA nosuch'), '3F000', 'schema "nosuch" does not exist');
  await db.query('ALTER SCHEMA app RENAME TO app2');
  await db.query('CREATE TABLE app2.x (a int)');
  await fails(db.query('CREATE TABLE app.y (a int)'), '3F000');
  await db.query('DELETE FROM public.items WHERE id = 1');
  assert.equal((await db.query('SELECT * FROM items')).rowCount, 0);
  await db.close();
});

test('IF [NOT] EXISTS on every CREATE / DROP gives a NOTICE, not an error', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int); CREATE SEQUENCE sq; CREATE INDEX ix ON t (a); CREATE VIEW v AS SELECT 1 AS x');
  const cases: [string, string, string][] = [
    ['CREATE TABLE IF NOT EXISTS t (a int)', 'CREATE TABLE', 'relation "t" already exists, skipping'],
    ['CREATE SEQUENCE IF NOT EXISTS sq', 'CREATE SEQUENCE', 'relation "sq" already exists, skipping'],
    ['CREATE INDEX IF NOT EXISTS ix ON t (a)', 'CREATE INDEX', 'relation "ix" already exists, skipping'],
    ['CREATE TABLE IF NOT EXISTS t AS SELECT 1', 'SELECT 0', 'relation "t" already exists, skipping'],
    ['DROP TABLE IF EXISTS nosuch', 'DROP TABLE', 'table "nosuch" does not exist, skipping'],
    ['DROP VIEW IF EXISTS nosuch', 'DROP VIEW', 'view "nosuch" does not exist, skipping'],
    ['DROP SEQUENCE IF EXISTS nosuch', 'DROP SEQUENCE', 'sequence "nosuch" does not exist, skipping'],
    ['DROP INDEX IF EXISTS nosuch', 'DROP INDEX', 'index "nosuch" does not exist, skipping'],
    ['DROP SCHEMA IF EXISTS nosuch', 'DROP SCHEMA', 'schema "nosuch" does not exist, skipping'],
    ['ALTER TABLE IF EXISTS nosuch ADD COLUMN x int', 'ALTER TABLE', 'relation "nosuch" does not exist, skipping'],
    ['ALTER TABLE t ADD COLUMN IF NOT EXISTS a int', 'ALTER TABLE', 'column "a" of relation "t" already exists, skipping'],
    ['ALTER TABLE t DROP COLUMN IF EXISTS zz', 'ALTER TABLE', 'column "zz" of relation "t" does not exist, skipping'],
    ['ALTER TABLE t DROP CONSTRAINT IF EXISTS zz', 'ALTER TABLE', 'constraint "zz" of relation "t" does not exist, skipping'],
    ['ALTER SEQUENCE IF EXISTS nosuch RESTART', 'ALTER SEQUENCE', 'relation "nosuch" does not exist, skipping'],
  ];
  for (const [sql, tag, notice] of cases) {
    const r = await db.query(sql);
    assert.equal(r.commandTag, tag, sql);
    assert.deepEqual(r.notices.map((n) => [n.severity, n.message]), [['NOTICE', notice]], sql);
  }
  // Without IF [NOT] EXISTS these are errors.
  await fails(db.query('CREATE TABLE t (a int)'), '42P07', 'relation "t" already exists');
  await fails(db.query('CREATE SEQUENCE sq'), '42P07', 'relation "sq" already exists');
  await fails(db.query('CREATE INDEX ix ON t (a)'), '42P07', 'relation "ix" already exists');
  await fails(db.query('CREATE VIEW v AS SELECT 2 AS x'), '42P07', 'relation "v" already exists');
  await fails(db.query('DROP TABLE nosuch'), '42P01', 'table "nosuch" does not exist');
  await fails(db.query('DROP VIEW nosuch'), '42P01', 'view "nosuch" does not exist');
  await fails(db.query('DROP SEQUENCE nosuch'), '42P01', 'sequence "nosuch" does not exist');
  await fails(db.query('DROP INDEX nosuch'), '42P01', 'index "nosuch" does not exist');
  // Wrong object kind.
  await fails(db.query('DROP VIEW t'), '42809', '"t" is not a view');
  await fails(db.query('DROP TABLE v'), '42809', '"v" is not a table');
  // A list with some missing: the existing ones are dropped, one notice per missing one.
  const r = await db.query('DROP TABLE IF EXISTS nosuch1, t, nosuch2');
  assert.deepEqual(r.notices.map((n) => n.message), ['table "nosuch1" does not exist, skipping', 'table "nosuch2" does not exist, skipping']);
  await fails(db.query('SELECT * FROM t'), '42P01');
  await db.close();
});

test('DDL rolled back leaves the catalog as it was; committed DDL persists', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE keep (a int, b text DEFAULT 'x'); INSERT INTO keep VALUES (1)");
  await db.exec('BEGIN; CREATE SCHEMA tx; CREATE TABLE tx.t (a int); CREATE TABLE gone (a int); ' +
    'ALTER TABLE keep ADD COLUMN c int DEFAULT 5; ALTER TABLE keep DROP COLUMN b; ALTER TABLE keep RENAME TO kept; ' +
    'CREATE SEQUENCE sq; CREATE VIEW vv AS SELECT 1; ROLLBACK');
  await fails(db.query('SELECT * FROM gone'), '42P01');
  await fails(db.query('SELECT * FROM tx.t'), '42P01');
  await fails(db.query('SELECT * FROM kept'), '42P01');
  await fails(db.query("SELECT nextval('sq')"), '42P01');
  await fails(db.query('SELECT * FROM vv'), '42P01');
  assert.deepEqual((await db.query('SELECT * FROM keep')).rows, [{ a: 1, b: 'x' }]);
  // Names freed by the rollback can be used again.
  await db.exec('CREATE SCHEMA tx; CREATE TABLE gone (a int); CREATE SEQUENCE sq');
  // A dropped table comes back with its rows after ROLLBACK.
  await db.exec('BEGIN; DROP TABLE keep; ROLLBACK');
  assert.deepEqual((await db.query('SELECT * FROM keep')).rows, [{ a: 1, b: 'x' }]);
  // A failed DDL statement inside a block leaves nothing behind after ROLLBACK.
  await db.query('BEGIN');
  await db.query('CREATE TABLE t_in (a int PRIMARY KEY)');
  await fails(db.query('CREATE TABLE t_in (a int)'), '42P07');
  await fails(db.query('SELECT 1'), '25P02');
  await db.query('ROLLBACK');
  await fails(db.query('SELECT * FROM t_in'), '42P01');
  await db.exec('BEGIN; CREATE TABLE t_in (a int); ALTER TABLE keep ADD COLUMN c int DEFAULT 7; COMMIT');
  assert.deepEqual((await db.query('SELECT * FROM keep')).rows, [{ a: 1, b: 'x', c: 7 }]);
  await db.close();
});
