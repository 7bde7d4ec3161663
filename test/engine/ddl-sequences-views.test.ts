/**
 * Sequences (options, nextval / currval / setval / lastval, bounds, CYCLE, ALTER SEQUENCE, no
 * rollback of nextval) and views (CREATE [OR REPLACE], querying, DROP with dependencies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

async function one(db: Oxibase, sql: string): Promise<unknown> {
  const r = await db.queryArrays(sql);
  return r.rows[0]![0];
}

test('nextval / currval / lastval / setval', async () => {
  const db = await Oxibase.open('memory://');
  assert.equal((await db.query('CREATE SEQUENCE s')).commandTag, 'CREATE SEQUENCE');
  await fails(db.query("SELECT currval('s')"), '55000', 'currval of sequence "s" is not yet defined in this session');
  await fails(db.query('SELECT lastval()'), '55000', 'lastval is not yet defined in this session');
  assert.deepEqual((await db.queryArrays("SELECT nextval('s'), nextval('s')")).rows, [[1, 2]]);
  assert.equal(await one(db, "SELECT currval('s')"), 2);
  assert.equal(await one(db, 'SELECT lastval()'), 2);
  assert.equal((await db.query("SELECT nextval('s') AS n")).fields[0]!.type, 'bigint');
  assert.equal(await one(db, "SELECT setval('s', 100)"), 100);
  assert.equal(await one(db, "SELECT nextval('s')"), 101);
  assert.equal(await one(db, "SELECT setval('s', 100, false)"), 100);
  assert.equal(await one(db, "SELECT nextval('s')"), 100);
  await fails(db.query("SELECT setval('s', 0)"), '22003', 'setval: value 0 is out of bounds for sequence "s" (1..9223372036854775807)');
  await fails(db.query("SELECT nextval('nosuch')"), '42P01', 'relation "nosuch" does not exist');
  // currval is per session.
  const other = db.session();
  await fails(other.query("SELECT currval('s')"), '55000');
  assert.equal((await other.queryArrays("SELECT nextval('s')")).rows[0]![0], 101);
  assert.equal(await one(db, "SELECT currval('s')"), 100);
  await db.close();
});

test('SELECT from a sequence shows last_value, log_cnt and is_called as they are now', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE SEQUENCE s START 5; CREATE ROLE nobody LOGIN');
  assert.deepEqual((await db.queryArrays('SELECT * FROM s')).rows, [[5, 0, false]]);
  await db.query("SELECT nextval('s'), nextval('s')");
  assert.deepEqual((await db.queryArrays('SELECT last_value, is_called FROM s')).rows, [[6, true]], 'a re-run reads the new state');
  assert.deepEqual((await db.queryArrays('SELECT x.last_value + 1 FROM s AS x')).rows, [[7]]);
  const fields = (await db.query('SELECT * FROM s')).fields.map((f) => `${f.name}:${f.type}`);
  assert.deepEqual(fields, ['last_value:bigint', 'log_cnt:bigint', 'is_called:boolean']);
  const s = db.session();
  await s.query('SET ROLE nobody');
  await fails(s.query('SELECT last_value FROM s'), '42501', 'permission denied for sequence s');
  await db.close();
});

test('sequence options: START, INCREMENT, MINVALUE / MAXVALUE, CYCLE, AS smallint, descending', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE SEQUENCE c START 10 INCREMENT 5 MINVALUE 0 MAXVALUE 20 CYCLE');
  assert.deepEqual((await db.queryArrays("SELECT nextval('c'), nextval('c'), nextval('c'), nextval('c'), nextval('c')")).rows, [[10, 15, 20, 0, 5]]);
  await db.query('CREATE SEQUENCE m MAXVALUE 2');
  assert.deepEqual((await db.queryArrays("SELECT nextval('m'), nextval('m')")).rows, [[1, 2]]);
  await fails(db.query("SELECT nextval('m')"), '2200H', 'nextval: reached maximum value of sequence "m" (2)');
  await db.query('CREATE SEQUENCE d INCREMENT -1');
  assert.deepEqual((await db.queryArrays("SELECT nextval('d'), nextval('d')")).rows, [[-1, -2]]);
  await db.query('CREATE SEQUENCE lo INCREMENT -1 MINVALUE -2 MAXVALUE 0');
  assert.deepEqual((await db.queryArrays("SELECT nextval('lo'), nextval('lo'), nextval('lo')")).rows, [[0, -1, -2]]);
  await fails(db.query("SELECT nextval('lo')"), '2200H', 'nextval: reached minimum value of sequence "lo" (-2)');
  await db.query('CREATE SEQUENCE sm AS smallint');
  await db.query("SELECT setval('sm', 32767)");
  await fails(db.query("SELECT nextval('sm')"), '2200H', 'nextval: reached maximum value of sequence "sm" (32767)');
  await fails(db.query('CREATE SEQUENCE bad START 5 MINVALUE 10'), '22023', 'START value (5) cannot be less than MINVALUE (10)');
  await fails(db.query('CREATE SEQUENCE bad2 INCREMENT 0'), '22023', 'INCREMENT must not be zero');
  await fails(db.query('CREATE SEQUENCE s2; CREATE SEQUENCE s2'), '42P07');
  await db.close();
});

test('ALTER SEQUENCE RESTART / INCREMENT; nextval is not rolled back', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE SEQUENCE s; SELECT nextval('s'); SELECT nextval('s')");
  assert.equal((await db.query('ALTER SEQUENCE s RESTART')).commandTag, 'ALTER SEQUENCE');
  assert.equal(await one(db, "SELECT nextval('s')"), 1);
  await db.query('ALTER SEQUENCE s RESTART WITH 50');
  assert.equal(await one(db, "SELECT nextval('s')"), 50);
  await db.query('ALTER SEQUENCE s INCREMENT BY 10');
  assert.equal(await one(db, "SELECT nextval('s')"), 60);
  await db.exec("BEGIN; SELECT nextval('s'); ROLLBACK");
  assert.equal(await one(db, "SELECT nextval('s')"), 80);
  // Failed inserts still consume serial values (gaps, as in PostgreSQL).
  await db.exec('CREATE TABLE t (id serial PRIMARY KEY, v int CHECK (v > 0))');
  await fails(db.query('INSERT INTO t (v) VALUES (-1)'), '23514');
  assert.deepEqual((await db.query('INSERT INTO t (v) VALUES (1) RETURNING id')).rows, [{ id: 2 }]);
  await fails(db.query('ALTER SEQUENCE nosuch RESTART'), '42P01', 'relation "nosuch" does not exist');
  await db.exec('DROP SEQUENCE s');
  await fails(db.query("SELECT nextval('s')"), '42P01');
  await fails(db.query('DROP SEQUENCE t_id_seq'), '2BP01', 'cannot drop sequence t_id_seq because other objects depend on it',
    'default value for column id of table t depends on sequence t_id_seq');
  await db.close();
});

test('views: create, query, OR REPLACE rules, column aliases', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
  assert.equal((await db.query('CREATE VIEW v AS SELECT a, b FROM t WHERE a > 1')).commandTag, 'CREATE VIEW');
  assert.deepEqual((await db.query('SELECT * FROM v ORDER BY a')).rows, [{ a: 2, b: 'y' }, { a: 3, b: 'z' }]);
  // Views see later changes to the table.
  await db.query("INSERT INTO t VALUES (4, 'w')");
  assert.deepEqual((await db.query('SELECT count(*) AS n FROM v')).rows, [{ n: 3 }]);
  assert.deepEqual((await db.query('SELECT v.b FROM v JOIN t ON t.a = v.a WHERE v.a = 4')).rows, [{ b: 'w' }]);
  await db.query('CREATE OR REPLACE VIEW v AS SELECT a, b, a * 2 AS c FROM t');
  assert.deepEqual((await db.query('SELECT * FROM v WHERE a = 1')).rows, [{ a: 1, b: 'x', c: 2 }]);
  await fails(db.query('CREATE OR REPLACE VIEW v AS SELECT a, b FROM t'), '42P16', 'cannot drop columns from view');
  await fails(db.query('CREATE OR REPLACE VIEW v AS SELECT a, b AS bb, 1 AS c FROM t'), '42P16', 'cannot change name of view column "b" to "bb"');
  await fails(db.query('CREATE OR REPLACE VIEW v AS SELECT a::text, b, 1 AS c FROM t'), '42P16', 'cannot change data type of view column "a" from integer to text');
  await db.query('CREATE VIEW named (x, y) AS SELECT a, b FROM t WHERE a = 1');
  assert.deepEqual((await db.query('SELECT * FROM named')).rows, [{ x: 1, y: 'x' }]);
  const d = await db.session().describeRelation('named');
  assert.equal(d?.kind, 'view');
  assert.deepEqual(d?.columns.map((c) => [c.name, c.type]), [['x', 'integer'], ['y', 'text']]);
  await fails(db.query('INSERT INTO t2 SELECT 1'), '42P01');
  await db.close();
});

test('views: DROP with dependencies (2BP01 / CASCADE)', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int); CREATE VIEW v1 AS SELECT a FROM t; CREATE VIEW v2 AS SELECT a FROM v1');
  await fails(db.query('DROP VIEW v1'), '2BP01', 'cannot drop view v1 because other objects depend on it', 'view v2 depends on view v1');
  await fails(db.query('DROP TABLE t'), '2BP01', 'cannot drop table t because other objects depend on it',
    'view v1 depends on table t\nview v2 depends on view v1');
  const r = await db.query('DROP VIEW v1 CASCADE');
  assert.equal(r.commandTag, 'DROP VIEW');
  assert.deepEqual(r.notices.map((n) => n.message), ['drop cascades to view v2']);
  await fails(db.query('SELECT * FROM v2'), '42P01', 'relation "v2" does not exist');
  await db.exec('CREATE VIEW v3 AS SELECT a FROM t; CREATE VIEW v4 AS SELECT * FROM v3');
  const r2 = await db.query('DROP TABLE t CASCADE');
  assert.deepEqual(r2.notices.map((n) => n.message), ['drop cascades to 2 other objects']);
  await fails(db.query('SELECT * FROM v4'), '42P01');
  // Dropping a view and the view that depends on it together needs no CASCADE.
  await db.exec('CREATE TABLE u (a int); CREATE VIEW w1 AS SELECT a FROM u; CREATE VIEW w2 AS SELECT a FROM w1');
  await db.query('DROP VIEW w1, w2');
  await db.query('DROP TABLE u');
  await db.close();
});
