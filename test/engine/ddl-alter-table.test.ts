/**
 * ALTER TABLE: ADD / DROP / RENAME COLUMN, SET / DROP DEFAULT, SET / DROP NOT NULL, ALTER TYPE
 * (with and without USING), ADD / DROP CONSTRAINT validating existing rows, RENAME TO, SET SCHEMA,
 * and dependency errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails, rows } from './helpers.ts';

test('ADD COLUMN: constant default fills existing rows, volatile default is evaluated per row', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2)');
  assert.equal((await db.query('ALTER TABLE t ADD COLUMN b int DEFAULT 7')).commandTag, 'ALTER TABLE');
  assert.deepEqual(await rows(db, 'SELECT * FROM t ORDER BY a'), [{ a: 1, b: 7 }, { a: 2, b: 7 }]);
  await db.query('ALTER TABLE t ADD COLUMN plain text');
  assert.deepEqual(await rows(db, 'SELECT plain FROM t'), [{ plain: null }, { plain: null }]);
  // Per-row evaluation: a sequence default gives each existing row its own value.
  await db.exec('CREATE SEQUENCE s');
  await db.query("ALTER TABLE t ADD COLUMN n bigint DEFAULT nextval('s')");
  assert.deepEqual(await rows(db, 'SELECT n FROM t ORDER BY n'), [{ n: 1 }, { n: 2 }]);
  await db.query('ALTER TABLE t ADD COLUMN r float8 DEFAULT random()');
  assert.deepEqual(await rows(db, 'SELECT count(DISTINCT r) AS c FROM t'), [{ c: 2 }]);
  // The default also applies to new rows, and later rows keep their stored values.
  await db.query('INSERT INTO t (a) VALUES (3)');
  assert.deepEqual(await rows(db, 'SELECT a, b, n FROM t ORDER BY a'), [{ a: 1, b: 7, n: 1 }, { a: 2, b: 7, n: 2 }, { a: 3, b: 7, n: 3 }]);
  // NOT NULL with a default works on a populated table; without one it fails.
  await db.query('ALTER TABLE t ADD COLUMN nn int NOT NULL DEFAULT 0');
  assert.deepEqual(await rows(db, 'SELECT DISTINCT nn FROM t'), [{ nn: 0 }]);
  await fails(db.query('ALTER TABLE t ADD COLUMN bad int NOT NULL'), '23502', 'column "bad" of relation "t" contains null values');
  await fails(db.query('ALTER TABLE t ADD COLUMN a int'), '42701', 'column "a" of relation "t" already exists');
  // ADD COLUMN with constraints.
  await db.query('ALTER TABLE t ADD COLUMN u int UNIQUE');
  await db.query('UPDATE t SET u = a');
  await fails(db.query('UPDATE t SET u = 1'), '23505', 'duplicate key value violates unique constraint "t_u_key"');
  await fails(db.query('ALTER TABLE t ADD COLUMN c int CHECK (c > 0) DEFAULT 0'), '23514',
    'check constraint "t_c_check" of relation "t" is violated by some row');
  assert.deepEqual(Object.keys((await db.query('SELECT * FROM t LIMIT 1')).rows[0]!), ['a', 'b', 'plain', 'n', 'r', 'nn', 'u']);
  await db.close();
});

test('DROP COLUMN: gone from SELECT *, same name can be re-added, constraints on it go too', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE t (a int, b text UNIQUE, c int CHECK (c > 0)); INSERT INTO t VALUES (1, 'x', 5)");
  await db.query('ALTER TABLE t DROP COLUMN b');
  assert.deepEqual(await rows(db, 'SELECT * FROM t'), [{ a: 1, c: 5 }]);
  await fails(db.query('SELECT b FROM t'), '42703', 'column "b" does not exist');
  await db.query('ALTER TABLE t ADD COLUMN b int');
  assert.deepEqual(await rows(db, 'SELECT * FROM t'), [{ a: 1, c: 5, b: null }]);
  await db.query("INSERT INTO t VALUES (2, 6, 3)");
  assert.deepEqual(await rows(db, 'SELECT * FROM t ORDER BY a'), [{ a: 1, c: 5, b: null }, { a: 2, c: 6, b: 3 }]);
  await db.query('ALTER TABLE t DROP COLUMN c');
  await db.query('INSERT INTO t VALUES (3, -1)'); // the CHECK on c went with it
  const d = await db.session().describeRelation('t');
  assert.deepEqual(d?.constraints, []);
  await fails(db.query('ALTER TABLE t DROP COLUMN nosuch'), '42703', 'column "nosuch" of relation "t" does not exist');
  // DROP COLUMN with a dependent view: RESTRICT fails, CASCADE drops the view.
  await db.exec('CREATE VIEW v AS SELECT a, b FROM t; CREATE VIEW w AS SELECT a FROM t');
  await fails(db.query('ALTER TABLE t DROP COLUMN b'), '2BP01', 'cannot drop column b of table t because other objects depend on it',
    'view v depends on column b of table t');
  const r = await db.query('ALTER TABLE t DROP COLUMN b CASCADE');
  assert.deepEqual(r.notices.map((n) => n.message), ['drop cascades to view v']);
  await fails(db.query('SELECT * FROM v'), '42P01');
  assert.equal((await db.query('SELECT * FROM w')).rowCount, 3);
  // A referenced key column.
  await db.exec('CREATE TABLE p (id int PRIMARY KEY, x int); CREATE TABLE c (pid int REFERENCES p)');
  await fails(db.query('ALTER TABLE p DROP COLUMN id'), '2BP01', 'cannot drop column id of table p because other objects depend on it');
  await db.query('ALTER TABLE p DROP COLUMN id CASCADE');
  await db.query('INSERT INTO c VALUES (99)');
  await db.close();
});

test('RENAME COLUMN, RENAME TO, RENAME CONSTRAINT', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int CHECK (a > 0), b int); INSERT INTO t VALUES (1, 2)');
  await db.query('ALTER TABLE t RENAME COLUMN a TO aa');
  assert.deepEqual(await rows(db, 'SELECT aa, b FROM t'), [{ aa: 1, b: 2 }]);
  // The CHECK follows the renamed column.
  await fails(db.query('INSERT INTO t VALUES (-1, 0)'), '23514', 'new row for relation "t" violates check constraint "t_a_check"');
  await fails(db.query('ALTER TABLE t RENAME COLUMN aa TO b'), '42701', 'column "b" of relation "t" already exists');
  await fails(db.query('ALTER TABLE t RENAME COLUMN zz TO y'), '42703', 'column "zz" of relation "t" does not exist');
  await db.query('ALTER TABLE t RENAME TO t2');
  await fails(db.query('SELECT * FROM t'), '42P01', 'relation "t" does not exist');
  assert.deepEqual(await rows(db, 'SELECT * FROM t2'), [{ aa: 1, b: 2 }]);
  await db.exec('CREATE TABLE other (x int)');
  await fails(db.query('ALTER TABLE t2 RENAME TO other'), '42P07', 'relation "other" already exists');
  const d = await db.session().describeRelation('t2');
  assert.deepEqual(d?.constraints.map((k) => k.definition), ['CHECK (aa > 0)']);
  await db.exec('CREATE TABLE g (x int, y int GENERATED ALWAYS AS (x + 1) STORED); ALTER TABLE g RENAME x TO z; INSERT INTO g (z) VALUES (1)');
  assert.deepEqual(await rows(db, 'SELECT * FROM g'), [{ z: 1, y: 2 }]);
  await db.query('ALTER TABLE t2 RENAME CONSTRAINT t_a_check TO positive');
  await fails(db.query('INSERT INTO t2 VALUES (-1, 0)'), '23514', 'new row for relation "t2" violates check constraint "positive"');
  await db.close();
});

test('SET / DROP DEFAULT and SET / DROP NOT NULL', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, NULL)');
  await db.query('ALTER TABLE t ALTER COLUMN v SET DEFAULT 42');
  await db.query('INSERT INTO t (id) VALUES (2)');
  await db.query('ALTER TABLE t ALTER v DROP DEFAULT');
  await db.query('INSERT INTO t (id) VALUES (3)');
  assert.deepEqual(await rows(db, 'SELECT * FROM t ORDER BY id'), [{ id: 1, v: null }, { id: 2, v: 42 }, { id: 3, v: null }]);
  await fails(db.query('ALTER TABLE t ALTER COLUMN v SET NOT NULL'), '23502', 'column "v" of relation "t" contains null values');
  await db.query('UPDATE t SET v = 0 WHERE v IS NULL');
  await db.query('ALTER TABLE t ALTER COLUMN v SET NOT NULL');
  await fails(db.query('INSERT INTO t (id) VALUES (4)'), '23502', 'null value in column "v" of relation "t" violates not-null constraint',
    'Failing row contains (4, null).');
  await db.query('ALTER TABLE t ALTER COLUMN v DROP NOT NULL');
  await db.query('INSERT INTO t (id) VALUES (4)');
  await fails(db.query('ALTER TABLE t ALTER COLUMN id DROP NOT NULL'), '42P16', 'column "id" is in a primary key');
  const d = await db.session().describeRelation('t');
  assert.deepEqual(d?.columns.map((c) => [c.name, c.nullable, c.default]), [['id', false, null], ['v', true, null]]);
  await db.close();
});

test('ALTER COLUMN TYPE: int -> bigint, int -> text, text -> int needs USING', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE t (a int, s text); INSERT INTO t VALUES (1, '10'), (2, '20')");
  await db.query('ALTER TABLE t ALTER COLUMN a TYPE bigint');
  await db.query('INSERT INTO t VALUES (9223372036854775807, 0)');
  assert.deepEqual((await db.query('SELECT a FROM t ORDER BY a')).rows, [{ a: 1 }, { a: 2 }, { a: 9223372036854775807n }]);
  assert.equal((await db.query('SELECT a FROM t')).fields[0]!.type, 'bigint');
  await db.query('DELETE FROM t WHERE s = \'0\'');
  await db.query('ALTER TABLE t ALTER COLUMN a TYPE text');
  assert.deepEqual(await rows(db, "SELECT a, pg_typeof(a)::text AS t FROM t ORDER BY a"), [{ a: '1', t: 'text' }, { a: '2', t: 'text' }]);
  const e = await fails(db.query('ALTER TABLE t ALTER COLUMN s TYPE int'), '42804', 'column "s" cannot be cast automatically to type integer');
  assert.equal(e.hint, 'You might need to specify "USING s::integer".');
  await db.query('ALTER TABLE t ALTER COLUMN s TYPE int USING s::int');
  assert.deepEqual(await rows(db, 'SELECT s + 1 AS x FROM t ORDER BY s'), [{ x: 11 }, { x: 21 }]);
  await db.query('ALTER TABLE t ALTER COLUMN s SET DATA TYPE numeric(6,2) USING s * 1.5');
  assert.deepEqual(await rows(db, 'SELECT s FROM t ORDER BY s'), [{ s: '15.00' }, { s: '30.00' }]);
  // A failing conversion leaves the table as it was.
  await db.query("INSERT INTO t VALUES ('x', 1)");
  await fails(db.query('ALTER TABLE t ALTER COLUMN a TYPE int USING a::int'), '22P02', 'invalid input syntax for type integer: "x"');
  assert.deepEqual(await rows(db, 'SELECT a FROM t ORDER BY a'), [{ a: '1' }, { a: '2' }, { a: 'x' }]);
  // Narrowing with an index: unique keys are rebuilt over the converted values.
  await db.exec('CREATE TABLE u (k numeric PRIMARY KEY); INSERT INTO u VALUES (1.4), (1.6)');
  await db.query('ALTER TABLE u ALTER COLUMN k TYPE int');
  assert.deepEqual(await rows(db, 'SELECT k FROM u ORDER BY k'), [{ k: 1 }, { k: 2 }]);
  await fails(db.query('INSERT INTO u VALUES (2)'), '23505', undefined, 'Key (k)=(2) already exists.');
  assert.deepEqual(await rows(db, 'SELECT k FROM u WHERE k = 2'), [{ k: 2 }]);
  // Values that collide after conversion: the unique index cannot be rebuilt.
  await db.exec('CREATE TABLE w (k numeric UNIQUE); INSERT INTO w VALUES (1.2), (1.4)');
  await fails(db.query('ALTER TABLE w ALTER COLUMN k TYPE int'), '23505', 'could not create unique index "w_k_key"', 'Key (k)=(1) is duplicated.');
  assert.deepEqual(await rows(db, 'SELECT k FROM w ORDER BY k'), [{ k: '1.2' }, { k: '1.4' }]);
  await fails(db.query('INSERT INTO w VALUES (1.2)'), '23505');
  await db.close();
});

test('ADD / DROP CONSTRAINT validates existing rows', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (a int, b int); INSERT INTO t VALUES (1, 1), (1, 2), (3, NULL)');
  await fails(db.query('ALTER TABLE t ADD CONSTRAINT pos CHECK (b > 1)'), '23514', 'check constraint "pos" of relation "t" is violated by some row');
  await db.query('ALTER TABLE t ADD CONSTRAINT pos CHECK (b > 0)');
  await fails(db.query('INSERT INTO t VALUES (9, -1)'), '23514', 'new row for relation "t" violates check constraint "pos"');
  await fails(db.query('ALTER TABLE t ADD CONSTRAINT pos CHECK (a > 0)'), '42710', 'constraint "pos" for relation "t" already exists');
  await fails(db.query('ALTER TABLE t ADD UNIQUE (a)'), '23505', 'could not create unique index "t_a_key"', 'Key (a)=(1) is duplicated.');
  await fails(db.query('ALTER TABLE t ADD PRIMARY KEY (b)'), '23502', 'column "b" of relation "t" contains null values');
  await db.query('DELETE FROM t WHERE b IS NULL');
  await db.query('ALTER TABLE t ADD PRIMARY KEY (a, b)');
  await fails(db.query('INSERT INTO t VALUES (1, 1)'), '23505', 'duplicate key value violates unique constraint "t_pkey"', 'Key (a, b)=(1, 1) already exists.');
  await db.exec('CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1)');
  await fails(db.query('ALTER TABLE t ADD FOREIGN KEY (b) REFERENCES p'), '23503',
    'insert or update on table "t" violates foreign key constraint "t_b_fkey"', 'Key (b)=(2) is not present in table "p".');
  await db.query('DELETE FROM t WHERE b = 2');
  await db.query('ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (b) REFERENCES p');
  await fails(db.query('INSERT INTO t VALUES (5, 7)'), '23503', 'insert or update on table "t" violates foreign key constraint "fk"');
  await db.query('ALTER TABLE t DROP CONSTRAINT fk');
  await db.query('ALTER TABLE t DROP CONSTRAINT pos');
  await db.query('INSERT INTO t VALUES (5, -7)');
  await fails(db.query('ALTER TABLE t DROP CONSTRAINT pos'), '42704', 'constraint "pos" of relation "t" does not exist');
  await db.query('ALTER TABLE t DROP CONSTRAINT t_pkey');
  await db.query('INSERT INTO t VALUES (5, -7)');
  // Dropping a key that a foreign key depends on needs CASCADE.
  await db.exec('CREATE TABLE c (pid int REFERENCES p)');
  await fails(db.query('ALTER TABLE p DROP CONSTRAINT p_pkey'), '2BP01', 'cannot drop constraint p_pkey on table p because other objects depend on it');
  await db.close();
});

test('ALTER TABLE on missing objects and a failing multi-action ALTER changes nothing', async () => {
  const db = await Oxibase.open('memory://');
  await fails(db.query('ALTER TABLE nosuch ADD COLUMN x int'), '42P01', 'relation "nosuch" does not exist');
  await db.exec('CREATE TABLE t (a int); INSERT INTO t VALUES (NULL); CREATE VIEW v AS SELECT 1 AS x');
  await fails(db.query('ALTER TABLE v ADD COLUMN y int'), '42809', '"v" is not a table');
  await fails(db.query('ALTER TABLE t ADD COLUMN b int DEFAULT 1, ALTER COLUMN a SET NOT NULL'), '23502');
  assert.deepEqual(await rows(db, 'SELECT * FROM t'), [{ a: null }]);
  await db.close();
});
