/**
 * DML edge cases matched to PostgreSQL 15: untyped literals in INSERT ... SELECT take the target
 * column types, set-operation operands resolve unknown literals through the common type, fewer
 * select-list items than columns without a column list, UPDATE's multiple-assignment error and
 * multi-column assignments from ROW(...) and sub-selects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

test('INSERT ... SELECT coerces untyped literals to the column types', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t2 (a int, b int, d date)');
  await db.query('INSERT INTO t2 (a, b) SELECT 1, NULL');
  await db.query("INSERT INTO t2 SELECT 2, '7', '2024-01-02'");
  await db.query('INSERT INTO t2 (b, a) SELECT $1, $2', [8, 3]);
  // Fewer select-list items than columns and no column list: the rest take defaults.
  await db.query('INSERT INTO t2 SELECT 4');
  assert.deepEqual((await db.query("SELECT a, b, d::text AS d FROM t2 ORDER BY a")).rows, [
    { a: 1, b: null, d: null }, { a: 2, b: 7, d: '2024-01-02' }, { a: 3, b: 8, d: null }, { a: 4, b: null, d: null },
  ]);
  await fails(db.query("INSERT INTO t2 (a) SELECT 'x'"), '22P02', 'invalid input syntax for type integer: "x"');
  await fails(db.query('INSERT INTO t2 (a, b) SELECT 1'), '42601', 'INSERT has more target columns than expressions');
  await fails(db.query('INSERT INTO t2 SELECT 1, 2, NULL, 4'), '42601', 'INSERT has more expressions than target columns');
  // A typed expression is still checked with the assignment cast rules.
  await fails(db.query("INSERT INTO t2 (a) SELECT 'x'::text"), '42804', 'column "a" is of type integer but expression is of type text');
  await db.close();
});

test('set operations and VALUES inside INSERT resolve unknown literals like PostgreSQL', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t2 (a int, b int)');
  await db.query('INSERT INTO t2 SELECT 3, NULL UNION ALL SELECT 4, 5');
  await db.query("INSERT INTO t2 (a) SELECT '6' UNION ALL SELECT 7");
  await db.query('INSERT INTO t2 VALUES (8, NULL), (9, 10)');
  await db.query('INSERT INTO t2 SELECT * FROM (VALUES (11, NULL::int)) v');
  assert.deepEqual((await db.query('SELECT * FROM t2 ORDER BY a')).rows, [
    { a: 3, b: null }, { a: 4, b: 5 }, { a: 6, b: null }, { a: 7, b: null }, { a: 8, b: null }, { a: 9, b: 10 }, { a: 11, b: null },
  ]);
  // Every operand unknown: the set operation resolves to text, which an int column refuses.
  await fails(db.query('INSERT INTO t2 (a) SELECT NULL UNION SELECT NULL'), '42804', 'column "a" is of type integer but expression is of type text');
  const r = await db.query("SELECT 1 AS x, NULL AS y UNION ALL SELECT 2, 3 UNION ALL SELECT '5', NULL ORDER BY 1");
  assert.deepEqual(r.rows, [{ x: 1, y: null }, { x: 2, y: 3 }, { x: 5, y: null }]);
  assert.deepEqual((await db.query("SELECT 'a' AS s UNION SELECT 'b' ORDER BY 1")).rows, [{ s: 'a' }, { s: 'b' }]);
  await db.close();
});

test('UPDATE: assigning a column twice is 42601', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (x int, y int)');
  await fails(db.query('UPDATE t SET x = 3, x = 4'), '42601', 'multiple assignments to same column "x"');
  await fails(db.query('UPDATE t SET (x, x) = (1, 2)'), '42601', 'multiple assignments to same column "x"');
  await fails(db.query('UPDATE t SET y = 1, (x, y) = (5, 6)'), '42601', 'multiple assignments to same column "y"');
  await fails(db.query('UPDATE t SET nope = 1'), '42703', 'column "nope" of relation "t" does not exist');
  await db.close();
});

test('UPDATE SET (a, b) = ROW(...) / (SELECT ...)', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (a int, b int, c text DEFAULT \'dflt\')');
  await db.query("INSERT INTO t VALUES (1, 2, 'p'), (3, 4, 'q')");
  await db.query('CREATE TABLE src (k int, x int, y text)');
  await db.query("INSERT INTO src VALUES (1, 10, 'ten'), (3, 30, 'thirty')");
  assert.deepEqual((await db.query('UPDATE t SET (a, b) = ROW(b, a) WHERE a = 1 RETURNING *')).rows, [{ a: 2, b: 1, c: 'p' }]);
  assert.deepEqual((await db.query('UPDATE t SET (b, c) = (SELECT 40, \'forty\') WHERE a = 3 RETURNING *')).rows, [{ a: 3, b: 40, c: 'forty' }]);
  // Correlated: one row per target row; none gives NULLs.
  const r = await db.query('UPDATE t SET (b, c) = (SELECT s.x, s.y FROM src s WHERE s.k = t.a) RETURNING a, b, c');
  assert.deepEqual(r.rows, [{ a: 2, b: null, c: null }, { a: 3, b: 30, c: 'thirty' }]);
  assert.deepEqual((await db.query('UPDATE t SET (b, c) = (DEFAULT, DEFAULT) WHERE a = 2 RETURNING b, c')).rows, [{ b: null, c: 'dflt' }]);
  assert.deepEqual((await db.query("UPDATE t SET (c) = ROW('single') WHERE a = 2 RETURNING c")).rows, [{ c: 'single' }]);
  // Sub-select values get assignment casts.
  assert.deepEqual((await db.query("UPDATE t SET (a, c) = (SELECT 7::bigint, 5) WHERE a = 3 RETURNING a, c")).rows, [{ a: 7, c: '5' }]);
  await fails(db.query('UPDATE t SET (a, b) = (SELECT 1, 2 UNION ALL SELECT 3, 4)'), '21000', 'more than one row returned by a subquery used as an expression');
  await fails(db.query('UPDATE t SET (a, b) = (SELECT 1)'), '42601', 'number of columns does not match number of values');
  await fails(db.query('UPDATE t SET (a, b) = ROW(1, 2, 3)'), '42601', 'number of columns does not match number of values');
  assert.deepEqual((await db.query('SELECT a, b, c FROM t ORDER BY a')).rows, [{ a: 2, b: null, c: 'single' }, { a: 7, b: 30, c: '5' }]);
  await db.close();
});

test('literal VALUES items convert to each column type as any expression would', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE lit (a int, b varchar(5), c text, d float8, e int8, f bool, g numeric(6,2), h date, i char(3), j int[])');
  await db.query(`INSERT INTO lit VALUES
    (123456789, 'abc', 'x', 1.5, 2, 't', '1.235', '2024-01-02', 'ab', '{1,2}'),
    (2147483647, 'abcde', '', 7, 9000000000, 'off', 12, '2024-02-29', 'xyz', '{}'),
    ('42', 'a  ', 'y', '2.5', '3', 'true', '0.005', '2024-03-01', 'a', NULL)`);
  const got = await db.queryArrays('SELECT a, b, c, d, e::text, f, g::text, h::text, i, j::text FROM lit ORDER BY a');
  // The same rows written through expressions (no literal shortcut) read back equal.
  await db.query('CREATE TABLE ref (LIKE lit)');
  await db.query(`INSERT INTO ref VALUES
    (123456789 + 0, ('abc'), 'x' || '', 1.5 + 0, 2 + 0, 't'::text::bool, '1.235'::text::numeric, '2024-01-02'::text::date, 'ab'::text, '{1,2}'::text::int[]),
    (2147483647 + 0, 'abcde'::text, '' || '', 7 + 0, 9000000000 + 0, 'off'::text::bool, 12 + 0, '2024-02-29'::text::date, 'xyz'::text, '{}'::text::int[]),
    ('42'::text::int, 'a  '::text, 'y' || '', '2.5'::text::float8, '3'::text::int8, 'true'::text::bool, '0.005'::text::numeric, '2024-03-01'::text::date, 'a'::text, NULL)`);
  assert.deepEqual(got.rows, (await db.queryArrays('SELECT a, b, c, d, e::text, f, g::text, h::text, i, j::text FROM ref ORDER BY a')).rows);
  assert.deepEqual(got.rows[0], [42, 'a  ', 'y', 2.5, '3', true, '0.01', '2024-03-01', 'a  ', null]);
  assert.deepEqual(got.rows[2], [2147483647, 'abcde', '', 7, '9000000000', false, '12.00', '2024-02-29', 'xyz', '{}']);
  // Errors name the literal's position, whichever row holds it.
  const sql = "INSERT INTO lit (a, b) VALUES (1, 'ok'), (2, 'too long')";
  const long = await fails(db.query(sql), '22001', 'value too long for type character varying(5)');
  assert.equal(long.position, sql.indexOf("'too long'") + 1);
  const bad = "INSERT INTO lit (a) VALUES (1), ('12x')";
  assert.equal((await fails(db.query(bad), '22P02', 'invalid input syntax for type integer: "12x"')).position, bad.indexOf("'12x'") + 1);
  await fails(db.query('INSERT INTO lit (a) VALUES (2147483648)'), '22003', 'integer out of range');
  await fails(db.query("INSERT INTO lit (f) VALUES ('maybe')"), '22P02', 'invalid input syntax for type boolean: "maybe"');
  // Nothing of the failed statements was written.
  assert.equal((await db.queryArrays('SELECT count(*)::int FROM lit')).rows[0]![0], 3);
  await db.close();
});
