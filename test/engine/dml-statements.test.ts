/**
 * DML: multi-row INSERT, DEFAULT / DEFAULT VALUES / column lists / INSERT ... SELECT, ON CONFLICT,
 * RETURNING, UPDATE ... FROM, DELETE ... USING, TRUNCATE, assignment casts, and atomicity: a
 * failing statement leaves the table exactly as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails, rows } from './helpers.ts';

test('INSERT forms: multi-row, DEFAULT items, DEFAULT VALUES, column lists, INSERT ... SELECT', async () => {
  const db = await Oxibase.open('memory://');
  await db.query("CREATE TABLE t (id int, v text DEFAULT 'dv', n int DEFAULT 0)");
  const r = await db.query("INSERT INTO t VALUES (1, 'a', 1), (2, DEFAULT, 2), (3, 'c', DEFAULT)");
  assert.deepEqual([r.command, r.commandTag, r.rowCount], ['INSERT', 'INSERT 0 3', 3]);
  assert.deepEqual((await db.query('INSERT INTO t DEFAULT VALUES')).commandTag, 'INSERT 0 1');
  await db.query('INSERT INTO t (n, id) VALUES (9, 4)');
  await db.query('INSERT INTO t VALUES (5)'); // fewer values than columns: the rest default
  assert.deepEqual(await rows(db, 'SELECT * FROM t ORDER BY id NULLS FIRST'), [
    { id: null, v: 'dv', n: 0 }, { id: 1, v: 'a', n: 1 }, { id: 2, v: 'dv', n: 2 }, { id: 3, v: 'c', n: 0 },
    { id: 4, v: 'dv', n: 9 }, { id: 5, v: 'dv', n: 0 },
  ]);
  const s = await db.query('INSERT INTO t (id, v) SELECT id + 100, upper(v) FROM t WHERE id <= 2');
  assert.equal(s.commandTag, 'INSERT 0 2');
  assert.deepEqual(await rows(db, 'SELECT id, v, n FROM t WHERE id > 100 ORDER BY id'), [{ id: 101, v: 'A', n: 0 }, { id: 102, v: 'DV', n: 0 }]);
  await fails(db.query('INSERT INTO t VALUES (1, 2, 3, 4)'), '42601', 'INSERT has more expressions than target columns');
  await fails(db.query('INSERT INTO t (id, v) VALUES (1)'), '42601', 'INSERT has more target columns than expressions');
  await fails(db.query('INSERT INTO t (id, nosuch) VALUES (1, 2)'), '42703', 'column "nosuch" of relation "t" does not exist');
  await fails(db.query('INSERT INTO t (id, id) VALUES (1, 2)'), '42701', 'column "id" specified more than once');
  await fails(db.query('INSERT INTO nosuch VALUES (1)'), '42P01', 'relation "nosuch" does not exist');
  await db.close();
});

test('RETURNING: *, expressions, aliases, on INSERT / UPDATE / DELETE', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id serial PRIMARY KEY, v text, n numeric(5,2))');
  const ins = await db.query("INSERT INTO t (v, n) VALUES ('a', 1.5), ('b', 2) RETURNING *, id * 10 AS ten, v || '!'");
  assert.deepEqual(ins.rows, [
    { id: 1, v: 'a', n: '1.50', ten: 10, '?column?': 'a!' },
    { id: 2, v: 'b', n: '2.00', ten: 20, '?column?': 'b!' },
  ]);
  assert.deepEqual(ins.fields.map((f) => [f.name, f.type]), [['id', 'integer'], ['v', 'text'], ['n', 'numeric(5,2)'], ['ten', 'integer'], ['?column?', 'text']]);
  assert.equal(ins.rowCount, 2);
  const up = await db.query("UPDATE t SET n = n * 2, v = upper(v) WHERE id = 2 RETURNING id, v, n AS doubled, t.*");
  assert.deepEqual(up.rows, [{ id: 2, v: 'B', doubled: '4.00', n: '4.00' }]);
  assert.equal(up.commandTag, 'UPDATE 1');
  const del = await db.query('DELETE FROM t WHERE id = 1 RETURNING v, n');
  assert.deepEqual([del.rows, del.commandTag], [[{ v: 'a', n: '1.50' }], 'DELETE 1']);
  const none = await db.query('DELETE FROM t WHERE false RETURNING *');
  assert.deepEqual([none.rows, none.rowCount, none.fields.length], [[], 0, 3]);
  await db.close();
});

test('ON CONFLICT DO NOTHING / DO UPDATE with EXCLUDED and WHERE', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE kv (k text PRIMARY KEY, v int, hits int DEFAULT 1); INSERT INTO kv VALUES ('a', 1)");
  assert.equal((await db.query("INSERT INTO kv VALUES ('a', 2) ON CONFLICT DO NOTHING")).commandTag, 'INSERT 0 0');
  assert.deepEqual((await db.query("INSERT INTO kv VALUES ('a', 2), ('b', 2) ON CONFLICT (k) DO NOTHING RETURNING k")).rows, [{ k: 'b' }]);
  const up = await db.query("INSERT INTO kv (k, v) VALUES ('a', 10) ON CONFLICT (k) DO UPDATE SET v = kv.v + EXCLUDED.v, hits = kv.hits + 1 RETURNING *");
  assert.deepEqual(up.rows, [{ k: 'a', v: 11, hits: 2 }]);
  assert.equal(up.commandTag, 'INSERT 0 1');
  const skipped = await db.query("INSERT INTO kv VALUES ('a', 5) ON CONFLICT (k) DO UPDATE SET v = excluded.v WHERE kv.v < 5 RETURNING *");
  assert.deepEqual([skipped.rows, skipped.rowCount], [[], 0]);
  await db.query("INSERT INTO kv VALUES ('b', 7) ON CONFLICT ON CONSTRAINT kv_pkey DO UPDATE SET v = excluded.v");
  assert.deepEqual(await rows(db, 'SELECT k, v, hits FROM kv ORDER BY k'), [{ k: 'a', v: 11, hits: 2 }, { k: 'b', v: 7, hits: 1 }]);
  await fails(db.query("INSERT INTO kv VALUES ('c', 1), ('c', 2) ON CONFLICT (k) DO UPDATE SET v = excluded.v"), '21000',
    'ON CONFLICT DO UPDATE command cannot affect row a second time');
  assert.deepEqual(await rows(db, "SELECT * FROM kv WHERE k = 'c'"), []);
  await fails(db.query("INSERT INTO kv VALUES ('z', 1) ON CONFLICT (v) DO NOTHING"), '42P10',
    'there is no unique or exclusion constraint matching the ON CONFLICT specification');
  await fails(db.query("INSERT INTO kv VALUES ('z', 1) ON CONFLICT DO UPDATE SET v = 1"), '42601',
    'ON CONFLICT DO UPDATE requires inference specification or constraint name');
  await db.close();
});

test('UPDATE with expressions and FROM; DELETE with USING', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE acct (id int PRIMARY KEY, owner text, bal numeric);
    INSERT INTO acct VALUES (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);
    CREATE TABLE adj (id int, delta numeric); INSERT INTO adj VALUES (1, 10), (2, -20)`);
  const r = await db.query('UPDATE acct SET bal = acct.bal + adj.delta FROM adj WHERE adj.id = acct.id RETURNING acct.id, bal, adj.delta');
  assert.deepEqual(r.rows, [{ id: 1, bal: '110', delta: '10' }, { id: 2, bal: '30', delta: '-20' }]);
  assert.equal((await db.query("UPDATE acct a SET owner = a.owner || '_x' WHERE a.bal = 0")).rowCount, 1);
  assert.equal((await db.query('UPDATE acct SET bal = bal WHERE false')).commandTag, 'UPDATE 0');
  const d = await db.query('DELETE FROM acct USING adj WHERE adj.id = acct.id AND adj.delta < 0 RETURNING acct.owner');
  assert.deepEqual(d.rows, [{ owner: 'bob' }]);
  assert.deepEqual(await rows(db, 'SELECT id, owner, bal FROM acct ORDER BY id'), [{ id: 1, owner: 'ann', bal: '110' }, { id: 3, owner: 'cy_x', bal: '0' }]);
  await fails(db.query('UPDATE acct SET nosuch = 1'), '42703', 'column "nosuch" of relation "acct" does not exist');
  assert.equal((await db.query('DELETE FROM acct')).commandTag, 'DELETE 2');
  await db.close();
});

test('TRUNCATE, RESTART IDENTITY, CASCADE', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec("CREATE TABLE s (id serial PRIMARY KEY, x int); INSERT INTO s (x) VALUES (1), (2)");
  assert.equal((await db.query('TRUNCATE s')).commandTag, 'TRUNCATE TABLE');
  assert.deepEqual((await db.query('INSERT INTO s (x) VALUES (3) RETURNING id')).rows, [{ id: 3 }]);
  await db.query('TRUNCATE TABLE s RESTART IDENTITY');
  assert.deepEqual((await db.query('INSERT INTO s (x) VALUES (4) RETURNING id')).rows, [{ id: 1 }]);
  // TRUNCATE is transactional.
  await db.exec('BEGIN; TRUNCATE s; ROLLBACK');
  assert.deepEqual(await rows(db, 'SELECT x FROM s'), [{ x: 4 }]);
  await db.exec(`CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a int REFERENCES a);
    CREATE TABLE c (b int REFERENCES b); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1, 1); INSERT INTO c VALUES (1)`);
  await fails(db.query('TRUNCATE a'), '0A000', 'cannot truncate a table referenced in a foreign key constraint');
  const r = await db.query('TRUNCATE a CASCADE');
  assert.deepEqual(r.notices.map((n) => n.message), ['truncate cascades to table "b"', 'truncate cascades to table "c"']);
  assert.deepEqual(await rows(db, 'SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) AS n'), [{ n: 0 }]);
  await db.close();
});

test('assignment casts: numeric(5,2), text literal into int, varchar overflow, bpchar padding', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (i int, n numeric(5,2), v varchar(3), c char(3), b bigint, f float8, s smallint)');
  await db.query("INSERT INTO t (i, n, v, c) VALUES ('123', 1.234, 'ab', 'x')");
  await db.query('INSERT INTO t (i, n) VALUES (2.5, 999.999)'.replace('999.999', '999.994'));
  assert.deepEqual(await rows(db, 'SELECT i, n, v, c FROM t ORDER BY i'), [
    { i: 3, n: '999.99', v: null, c: null }, { i: 123, n: '1.23', v: 'ab', c: 'x  ' },
  ]);
  await fails(db.query('INSERT INTO t (n) VALUES (1000)'), '22003', 'numeric field overflow',
    'A field with precision 5, scale 2 must round to an absolute value less than 10^3.');
  await fails(db.query("INSERT INTO t (v) VALUES ('abcd')"), '22001', 'value too long for type character varying(3)');
  await fails(db.query("INSERT INTO t (c) VALUES ('abcd')"), '22001', 'value too long for type character(3)');
  await db.query("INSERT INTO t (i, v) VALUES (7, 'ab   ')"); // trailing spaces are truncated silently
  assert.deepEqual(await rows(db, 'SELECT v FROM t WHERE i = 7'), [{ v: 'ab ' }]);
  await fails(db.query("INSERT INTO t (i) VALUES ('abc')"), '22P02', 'invalid input syntax for type integer: "abc"');
  await fails(db.query('INSERT INTO t (i) VALUES (true)'), '42804', 'column "i" is of type integer but expression is of type boolean');
  await fails(db.query("INSERT INTO t (i) VALUES ('1'::text)"), '42804', 'column "i" is of type integer but expression is of type text');
  await fails(db.query('INSERT INTO t (s) VALUES (40000)'), '22003', 'smallint out of range');
  await fails(db.query('INSERT INTO t (i) VALUES (3000000000)'), '22003', 'integer out of range');
  await fails(db.query("UPDATE t SET v = 'wxyz'"), '22001');
  await db.query('INSERT INTO t (b, f) VALUES (9223372036854775807, 1)');
  assert.deepEqual(await rows(db, 'SELECT b, f FROM t WHERE b IS NOT NULL'), [{ b: 9223372036854775807n, f: 1 }]);
  await db.close();
});

test('a failing statement changes nothing (INSERT / UPDATE / DELETE, incl. the 3rd row of a multi-row INSERT)', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE p (id int PRIMARY KEY);
    CREATE TABLE t (id int PRIMARY KEY, v int CHECK (v >= 0), p int REFERENCES p);
    INSERT INTO p VALUES (1); INSERT INTO t VALUES (1, 10, 1), (2, 20, NULL)`);
  const before = await rows(db, 'SELECT * FROM t ORDER BY id');
  const check = async (): Promise<void> => assert.deepEqual(await rows(db, 'SELECT * FROM t ORDER BY id'), before);
  await fails(db.query('INSERT INTO t VALUES (3, 1, NULL), (4, 1, NULL), (5, -1, NULL)'), '23514');
  await check();
  await fails(db.query('INSERT INTO t VALUES (3, 1, NULL), (4, 1, NULL), (1, 1, NULL)'), '23505');
  await check();
  await fails(db.query('INSERT INTO t VALUES (3, 1, NULL), (4, 1, NULL), (5, 1, 99)'), '23503');
  await check();
  await fails(db.query('INSERT INTO t VALUES (3, 1, NULL), (4, 1 / 0, NULL)'), '22012', 'division by zero');
  await check();
  await fails(db.query('INSERT INTO t SELECT id + 10, 100 / (v - 20), NULL::int FROM t'), '22012');
  await check();
  await fails(db.query('UPDATE t SET v = v - 15'), '23514'); // first row ok, second fails
  await check();
  await fails(db.query('UPDATE t SET id = 2 WHERE id = 1'), '23505');
  await check();
  await fails(db.query('UPDATE t SET v = 2147483647 + v'), '22003', 'integer out of range');
  await check();
  await fails(db.query('DELETE FROM p'), '23503');
  assert.deepEqual(await rows(db, 'SELECT * FROM p'), [{ id: 1 }]);
  await fails(db.query('DELETE FROM t WHERE 1 / (id - 2) > 0'), '22012');
  await check();
  // The same inside a transaction block: the block is failed until ROLLBACK; nothing is kept.
  await db.query('BEGIN');
  await db.query('INSERT INTO t VALUES (7, 7, NULL)');
  await fails(db.query('INSERT INTO t VALUES (8, -8, NULL)'), '23514');
  await fails(db.query('SELECT 1'), '25P02', 'current transaction is aborted, commands ignored until end of transaction block');
  assert.equal((await db.query('COMMIT')).commandTag, 'ROLLBACK');
  await check();
  await db.close();
});
