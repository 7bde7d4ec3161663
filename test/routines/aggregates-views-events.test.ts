/**
 * CREATE AGGREGATE (state and final functions in SQL and JS), INSTEAD OF triggers on views,
 * ALTER TABLE ... ENABLE / DISABLE TRIGGER, and event triggers around DDL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './test-js.ts';
import { Oxibase } from '../../src/index.ts';
import { fails } from '../engine/helpers.ts';

test('CREATE AGGREGATE with SQL / JS state and final functions, INITCOND, GROUP BY, strict sfunc', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE s (g text, x int)');
  await db.query("INSERT INTO s VALUES ('a', 1), ('a', 2), ('a', NULL), ('b', 5)");
  await db.query("CREATE FUNCTION sq_acc(acc bigint, x int) RETURNS bigint STRICT LANGUAGE sql AS 'SELECT acc + x * x'");
  await db.query("CREATE AGGREGATE sumsq(int) (SFUNC = sq_acc, STYPE = bigint, INITCOND = '0')");
  assert.deepEqual((await db.query('SELECT g, sumsq(x) AS v FROM s GROUP BY g ORDER BY g')).rows,
    [{ g: 'a', v: 5 }, { g: 'b', v: 25 }]);
  assert.deepEqual((await db.query('SELECT sumsq(x) FILTER (WHERE x < 5) AS f, sumsq(DISTINCT x) AS d FROM s')).rows, [{ f: 5, d: 30 }]);
  assert.deepEqual((await db.query('SELECT sumsq(x) OVER (ORDER BY x) AS w FROM s WHERE x IS NOT NULL ORDER BY x')).rows,
    [{ w: 1 }, { w: 5 }, { w: 30 }]);
  // JS state function (not strict: sees NULLs) with a final function.
  await db.query("CREATE FUNCTION cnt_acc(acc int, x int) RETURNS int LANGUAGE testjs AS 'return acc + (x === null ? 0 : 1);'");
  await db.query("CREATE FUNCTION cnt_fin(acc int) RETURNS text LANGUAGE testjs AS 'return acc + \" items\";'");
  await db.query("CREATE AGGREGATE cnt(int) (SFUNC = cnt_acc, STYPE = int, FINALFUNC = cnt_fin, INITCOND = '0')");
  assert.deepEqual((await db.query('SELECT cnt(x) AS v FROM s')).rows, [{ v: '3 items' }]);
  assert.deepEqual((await db.query('SELECT cnt(x) AS v FROM s WHERE false')).rows, [{ v: '0 items' }]);
  // Strict sfunc without INITCOND: the first non-null input becomes the state (like max()).
  await db.query("CREATE FUNCTION bigger(a int, b int) RETURNS int STRICT LANGUAGE sql AS 'SELECT greatest(a, b)'");
  await db.query('CREATE AGGREGATE mymax(int) (SFUNC = bigger, STYPE = int)');
  assert.deepEqual((await db.query('SELECT mymax(x) AS m FROM s')).rows, [{ m: 5 }]);
  assert.deepEqual((await db.query('SELECT mymax(x) AS m FROM s WHERE false')).rows, [{ m: null }]);
  const kinds = await db.query("SELECT proname, prokind FROM pg_proc WHERE proname IN ('sumsq', 'mymax') ORDER BY 1");
  assert.deepEqual(kinds.rows, [{ proname: 'mymax', prokind: 'a' }, { proname: 'sumsq', prokind: 'a' }]);
  await fails(db.query('CREATE AGGREGATE bad(int) (SFUNC = nope, STYPE = int)'), '42883', 'function nope(integer, integer) does not exist');
  await fails(db.query('DROP FUNCTION bigger(int, int)'), '2BP01');
  await db.query('DROP AGGREGATE mymax(int)');
  await fails(db.query('SELECT mymax(x) FROM s'), '42883');
});

test('INSTEAD OF triggers make a join view writable', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`
    CREATE TABLE people (id int PRIMARY KEY, name text);
    CREATE TABLE emails (person int, email text);
    CREATE VIEW contacts AS SELECT p.id, p.name, e.email FROM people p LEFT JOIN emails e ON e.person = p.id;
  `);
  await db.query(`CREATE FUNCTION contacts_write() RETURNS trigger AS $$
    if (TG_OP === 'INSERT') {
      oxibase.query('INSERT INTO people VALUES ($1, $2)', [NEW.id, NEW.name]);
      if (NEW.email !== null) oxibase.query('INSERT INTO emails VALUES ($1, $2)', [NEW.id, NEW.email]);
      return NEW;
    }
    if (TG_OP === 'UPDATE') {
      oxibase.query('UPDATE people SET name = $2 WHERE id = $1', [OLD.id, NEW.name]);
      oxibase.query('UPDATE emails SET email = $2 WHERE person = $1', [OLD.id, NEW.email]);
      return NEW;
    }
    if (OLD.id === 1) return null;
    oxibase.query('DELETE FROM emails WHERE person = $1', [OLD.id]);
    oxibase.query('DELETE FROM people WHERE id = $1', [OLD.id]);
    return OLD;
  $$`);
  await db.query('CREATE TRIGGER w INSTEAD OF INSERT OR UPDATE OR DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_write()');
  const ins = await db.query("INSERT INTO contacts VALUES (1, 'ann', 'ann@x'), (2, 'bob', NULL)");
  assert.equal(ins.commandTag, 'INSERT 0 2');
  const up = await db.query("UPDATE contacts SET email = 'a@y' WHERE name = 'ann'");
  assert.equal(up.commandTag, 'UPDATE 1');
  assert.deepEqual((await db.query('SELECT * FROM contacts ORDER BY id')).rows,
    [{ id: 1, name: 'ann', email: 'a@y' }, { id: 2, name: 'bob', email: null }]);
  const del = await db.query('DELETE FROM contacts');
  assert.equal(del.commandTag, 'DELETE 1');
  assert.deepEqual((await db.query('SELECT id FROM people')).rows, [{ id: 1 }]);
  await fails(db.query("INSERT INTO contacts VALUES (3, 'c', NULL) RETURNING *"), '0A000');
  await fails(db.query('CREATE TRIGGER b BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_write()'), '42809', '"contacts" is a view');
});

test('ALTER TABLE ... DISABLE / ENABLE TRIGGER', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (v text)');
  await db.query("CREATE FUNCTION up() RETURNS trigger AS 'NEW.v = NEW.v.toUpperCase(); return NEW;'");
  await db.query('CREATE TRIGGER u BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION up()');
  await db.query('ALTER TABLE t DISABLE TRIGGER u');
  await db.query("INSERT INTO t VALUES ('a')");
  assert.deepEqual((await db.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'u'")).rows, [{ tgenabled: 'D' }]);
  await db.query('ALTER TABLE t ENABLE TRIGGER ALL');
  await db.query("INSERT INTO t VALUES ('b')");
  assert.deepEqual((await db.query('SELECT v FROM t ORDER BY v')).rows, [{ v: 'B' }, { v: 'a' }]);
  await fails(db.query('ALTER TABLE t DISABLE TRIGGER nope'), '42704');
  // Ordinary ALTER TABLE still parses and runs.
  await db.query('ALTER TABLE t ADD COLUMN n int');
});

test('event triggers fire around DDL with the command tag; an error aborts the command', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE ddl_log (event text, tag text)');
  await db.query(`CREATE FUNCTION log_ddl() RETURNS event_trigger AS $$
    oxibase.query('INSERT INTO ddl_log VALUES ($1, $2)', [TG_EVENT, TG_TAG]);
  $$`);
  await db.query("CREATE FUNCTION no_drops() RETURNS event_trigger AS 'throw new Error(\"drops are forbidden\");'");
  await db.query('CREATE EVENT TRIGGER a_log_start ON ddl_command_start EXECUTE FUNCTION log_ddl()');
  await db.query('CREATE EVENT TRIGGER b_log_end ON ddl_command_end EXECUTE FUNCTION log_ddl()');
  await db.query('CREATE TABLE x (a int)');
  await db.query('CREATE FUNCTION one() RETURNS int RETURN 1');
  assert.deepEqual((await db.query('SELECT event, tag FROM ddl_log')).rows, [
    { event: 'ddl_command_start', tag: 'CREATE TABLE' }, { event: 'ddl_command_end', tag: 'CREATE TABLE' },
    { event: 'ddl_command_start', tag: 'CREATE FUNCTION' }, { event: 'ddl_command_end', tag: 'CREATE FUNCTION' },
  ]);
  await db.query("CREATE EVENT TRIGGER guard ON ddl_command_start WHEN TAG IN ('DROP TABLE') EXECUTE FUNCTION no_drops()");
  await fails(db.query('DROP TABLE x'), 'P0001', 'drops are forbidden');
  await db.query('SELECT * FROM x');
  await db.query('ALTER EVENT TRIGGER guard DISABLE');
  await db.query('DROP TABLE x');
  assert.deepEqual((await db.query('SELECT evtname, evtevent, evtenabled FROM pg_event_trigger ORDER BY 1')).rows, [
    { evtname: 'a_log_start', evtevent: 'ddl_command_start', evtenabled: 'O' },
    { evtname: 'b_log_end', evtevent: 'ddl_command_end', evtenabled: 'O' },
    { evtname: 'guard', evtevent: 'ddl_command_start', evtenabled: 'D' },
  ]);
  await fails(db.query('CREATE EVENT TRIGGER bad ON ddl_command_start EXECUTE FUNCTION one()'), '42P17',
    'function one must return type event_trigger');
  await fails(db.query('CREATE EVENT TRIGGER bad ON nonsense EXECUTE FUNCTION log_ddl()'), '42601');
  await db.query('DROP EVENT TRIGGER guard');
  await fails(db.query('DROP EVENT TRIGGER guard'), '42704', 'event trigger "guard" does not exist');
  await db.query('DROP EVENT TRIGGER IF EXISTS guard');
});
