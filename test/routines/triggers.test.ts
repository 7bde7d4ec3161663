/**
 * Table triggers: BEFORE ROW changing or skipping rows, AFTER ROW in order at the end of the
 * statement, statement-level triggers, WHEN, UPDATE OF, TG_ARGV, triggers that raise (statement
 * aborted), recursion limit, INSTEAD OF on a view, DROP TRIGGER, pg_trigger / pg_get_triggerdef.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './test-js.ts';
import { Oxibase } from '../../src/index.ts';
import { fails } from '../engine/helpers.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id int PRIMARY KEY, v text, n int DEFAULT 0)');
  await db.query('CREATE TABLE log (seq serial, what text)');
  return db;
}

test('BEFORE ROW triggers change NEW and skip rows; RETURNING and row counts see the result', async () => {
  const db = await setup();
  await db.query(`CREATE FUNCTION up() RETURNS trigger AS $$
    if (NEW.v === 'skip') return null;
    NEW.v = NEW.v.toUpperCase(); NEW.n = NEW.n + 1; return NEW;
  $$`);
  await db.query('CREATE TRIGGER a_up BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION up()');
  const r = await db.query("INSERT INTO t VALUES (1, 'one'), (2, 'skip'), (3, 'three') RETURNING id, v, n");
  assert.deepEqual(r.rows, [{ id: 1, v: 'ONE', n: 1 }, { id: 3, v: 'THREE', n: 1 }]);
  assert.equal(r.commandTag, 'INSERT 0 2');
  const u = await db.query("UPDATE t SET v = 'x' WHERE id = 1 RETURNING v, n");
  assert.deepEqual(u.rows, [{ v: 'X', n: 2 }]);
  // Skipped updates are not counted.
  assert.equal((await db.query("UPDATE t SET v = 'skip'")).commandTag, 'UPDATE 0');
  assert.deepEqual((await db.query('SELECT id, v FROM t ORDER BY id')).rows, [{ id: 1, v: 'X' }, { id: 3, v: 'THREE' }]);
});

test('BEFORE DELETE returning NULL keeps the row; OLD is visible', async () => {
  const db = await setup();
  await db.query("INSERT INTO t VALUES (1, 'keep'), (2, 'drop')");
  await db.query("CREATE FUNCTION guard() RETURNS trigger AS 'return OLD.v === \"keep\" ? null : OLD;'");
  await db.query('CREATE TRIGGER g BEFORE DELETE ON t FOR EACH ROW EXECUTE FUNCTION guard()');
  assert.equal((await db.query('DELETE FROM t')).commandTag, 'DELETE 1');
  assert.deepEqual((await db.query('SELECT v FROM t')).rows, [{ v: 'keep' }]);
});

test('AFTER ROW triggers fire after the statement in row order; statement triggers once; TG_ARGV', async () => {
  const db = await setup();
  await db.query(`CREATE FUNCTION note() RETURNS trigger AS $$
    const row = NEW ?? OLD;
    oxibase.query('INSERT INTO log (what) VALUES ($1)', [TG_ARGV[0] + ':' + TG_WHEN + ' ' + TG_LEVEL + ' ' + TG_OP + (row ? ' ' + row.id : '')]);
    return null;
  $$`);
  await db.query("CREATE TRIGGER s1 BEFORE INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION note('s')");
  await db.query("CREATE TRIGGER r1 AFTER INSERT OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION note('r')");
  await db.query("CREATE TRIGGER s2 AFTER INSERT ON t FOR EACH STATEMENT EXECUTE FUNCTION note('s')");
  await db.query("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  await db.query('DELETE FROM t WHERE id = 2');
  assert.deepEqual((await db.query('SELECT what FROM log ORDER BY seq')).rows.map((r) => r['what']), [
    's:BEFORE STATEMENT INSERT', 'r:AFTER ROW INSERT 1', 'r:AFTER ROW INSERT 2', 's:AFTER STATEMENT INSERT', 'r:AFTER ROW DELETE 2',
  ]);
  // A statement that touches no row still fires statement triggers.
  await db.query('DELETE FROM log');
  await db.query("INSERT INTO t SELECT 9, 'z' WHERE false");
  assert.deepEqual((await db.query('SELECT what FROM log ORDER BY seq')).rows.map((r) => r['what']),
    ['s:BEFORE STATEMENT INSERT', 's:AFTER STATEMENT INSERT']);
});

test('WHEN conditions and UPDATE OF columns filter firing', async () => {
  const db = await setup();
  await db.query("INSERT INTO t VALUES (1, 'a', 0), (2, 'b', 0)");
  await db.query("CREATE FUNCTION note() RETURNS trigger AS 'oxibase.query(\"INSERT INTO log (what) VALUES ($1)\", [TG_TABLE_NAME + \" \" + NEW.id]); return null;'");
  await db.query('CREATE TRIGGER w AFTER UPDATE ON t FOR EACH ROW WHEN (NEW.n > OLD.n) EXECUTE FUNCTION note()');
  await db.query('CREATE TRIGGER c AFTER UPDATE OF v ON t FOR EACH ROW EXECUTE FUNCTION note()');
  await db.query('UPDATE t SET n = n + 1 WHERE id = 1');
  await db.query('UPDATE t SET n = n - 1 WHERE id = 2');
  await db.query("UPDATE t SET v = 'bb' WHERE id = 2");
  assert.deepEqual((await db.query('SELECT what FROM log ORDER BY seq')).rows.map((r) => r['what']), ['t 1', 't 2']);
  const def = await db.query("SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgname = 'w'");
  assert.equal(def.rows[0]!['d'], 'CREATE TRIGGER w AFTER UPDATE ON public.t FOR EACH ROW WHEN (NEW.n > OLD.n) EXECUTE FUNCTION public.note()');
});

test('a trigger that raises aborts the statement and its writes', async () => {
  const db = await setup();
  await db.query("CREATE FUNCTION no_neg() RETURNS trigger AS 'if (NEW.n < 0) throw new Error(\"n must be >= 0\"); return NEW;'");
  await db.query('CREATE TRIGGER chk BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION no_neg()');
  await fails(db.query("INSERT INTO t VALUES (1, 'ok', 1), (2, 'bad', -1)"), 'P0001', 'n must be >= 0');
  assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM t')).rows, [{ c: 0 }]);
});

test('recursive triggers stop at the depth limit (54001)', async () => {
  const db = await setup();
  await db.query("CREATE FUNCTION again() RETURNS trigger AS 'oxibase.query(\"INSERT INTO t VALUES ($1, $2)\", [NEW.id + 1, \"r\"]); return null;'");
  await db.query('CREATE TRIGGER rec AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION again()');
  await fails(db.query("INSERT INTO t VALUES (1, 'start')"), '54001', 'stack depth limit exceeded');
  assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM t')).rows, [{ c: 0 }]);
});

test('SQL-language AFTER trigger bodies are rejected; trigger definition errors', async () => {
  const db = await setup();
  await db.query('CREATE FUNCTION plain() RETURNS int RETURN 1');
  await fails(db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION plain()'), '42P17', 'function plain must return type trigger');
  await fails(db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION missing()'), '42883', 'function missing() does not exist');
  await fails(db.query('CREATE TRIGGER x BEFORE INSERT ON nope FOR EACH ROW EXECUTE FUNCTION plain()'), '42P01');
  await db.query("CREATE FUNCTION tf() RETURNS trigger AS 'return NEW;'");
  await fails(db.query('CREATE TRIGGER x INSTEAD OF INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()'), '42809', '"t" is a table');
  await db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()');
  await fails(db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()'), '42710', 'trigger "x" for relation "t" already exists');
  await fails(db.query('DROP FUNCTION tf()'), '2BP01', /cannot drop function tf\(\) because other objects depend on it/);
  await db.query('DROP TRIGGER x ON t');
  await fails(db.query('DROP TRIGGER x ON t'), '42704', 'trigger "x" for table "t" does not exist');
  await db.query('DROP TRIGGER IF EXISTS x ON t');
  await db.query('DROP FUNCTION tf()');
});

test('DROP FUNCTION ... CASCADE drops its triggers; triggers are transactional', async () => {
  const db = await setup();
  await db.query("CREATE FUNCTION tf() RETURNS trigger AS 'NEW.v = \"T\"; return NEW;'");
  await db.query('BEGIN');
  await db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()');
  await db.query("INSERT INTO t VALUES (1, 'a')");
  await db.query('ROLLBACK');
  await db.query("INSERT INTO t VALUES (1, 'a')");
  assert.deepEqual((await db.query('SELECT v FROM t')).rows, [{ v: 'a' }]);
  await db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()');
  const r = await db.query('DROP FUNCTION tf() CASCADE');
  assert.match(r.notices?.[0]?.message ?? '', /drop cascades to trigger x on table t/);
  await db.query("INSERT INTO t VALUES (2, 'b')");
  assert.deepEqual((await db.query('SELECT v FROM t ORDER BY id')).rows, [{ v: 'a' }, { v: 'b' }]);
  assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM pg_trigger')).rows, [{ c: 0 }]);
});

test('foreign-key cascades fire the child table triggers', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE parent (id int PRIMARY KEY)');
  await db.query('CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent ON DELETE CASCADE)');
  await db.query('CREATE TABLE gone (id int)');
  await db.query("CREATE FUNCTION remember() RETURNS trigger AS 'oxibase.query(\"INSERT INTO gone VALUES ($1)\", [OLD.id]); return OLD;'");
  await db.query('CREATE TRIGGER rm AFTER DELETE ON child FOR EACH ROW EXECUTE FUNCTION remember()');
  await db.query('INSERT INTO parent VALUES (1), (2)');
  await db.query('INSERT INTO child VALUES (10, 1), (11, 1), (12, 2)');
  await db.query('DELETE FROM parent WHERE id = 1');
  assert.deepEqual((await db.query('SELECT id FROM gone ORDER BY id')).rows, [{ id: 10 }, { id: 11 }]);
});

test('TRUNCATE fires statement-level TRUNCATE triggers', async () => {
  const db = await setup();
  await db.query("INSERT INTO t VALUES (1, 'a')");
  await db.query("CREATE FUNCTION note() RETURNS trigger LANGUAGE testjs AS 'oxibase.query(\"INSERT INTO log (what) VALUES ($1)\", [TG.when + \" \" + TG.op]); return null;'");
  await db.query('CREATE TRIGGER b BEFORE TRUNCATE ON t EXECUTE FUNCTION note()');
  await db.query('CREATE TRIGGER a AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION note()');
  await fails(db.query('CREATE TRIGGER r AFTER TRUNCATE ON t FOR EACH ROW EXECUTE FUNCTION note()'), '0A000');
  await db.query('TRUNCATE t');
  assert.deepEqual((await db.query('SELECT what FROM log ORDER BY seq')).rows.map((r) => r['what']), ['BEFORE TRUNCATE', 'AFTER TRUNCATE']);
});

test('information_schema.triggers and .routines list user objects', async () => {
  const db = await setup();
  await db.query("CREATE FUNCTION tf() RETURNS trigger LANGUAGE testjs AS 'return TG.NEW;'");
  await db.query("CREATE TRIGGER x BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf('a')");
  const r = await db.query('SELECT trigger_name, event_manipulation, event_object_table, action_statement, action_orientation, action_timing FROM information_schema.triggers ORDER BY 2');
  assert.deepEqual(r.rows, [
    { trigger_name: 'x', event_manipulation: 'INSERT', event_object_table: 't', action_statement: "EXECUTE FUNCTION tf('a')", action_orientation: 'ROW', action_timing: 'BEFORE' },
    { trigger_name: 'x', event_manipulation: 'UPDATE', event_object_table: 't', action_statement: "EXECUTE FUNCTION tf('a')", action_orientation: 'ROW', action_timing: 'BEFORE' },
  ]);
  const f = await db.query("SELECT routine_name, routine_type, data_type, external_language FROM information_schema.routines WHERE routine_schema = 'public'");
  assert.deepEqual(f.rows, [{ routine_name: 'tf', routine_type: 'FUNCTION', data_type: 'trigger', external_language: 'TESTJS' }]);
});
