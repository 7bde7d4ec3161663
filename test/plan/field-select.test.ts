/**
 * Composite values (src/plan/binder/bind-field.ts, src/types/record.ts): field selection
 * `(expr).name` and `(expr).*` on ROW(...), whole-row references, functions with several result
 * columns and information_schema._pg_expandarray, record text output, record ordering, and
 * PostgreSQL 15's errors. Expected values were checked against PostgreSQL 15.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { DbError, Oxibase } from '../../src/index.ts';

async function rows(db: Oxibase, sql: string): Promise<unknown[][]> {
  return (await db.queryArrays(sql)).rows as unknown[][];
}

async function errorOf(db: Oxibase, sql: string): Promise<DbError> {
  try {
    await db.query(sql);
  } catch (e) {
    assert.ok(e instanceof DbError, String(e));
    return e;
  }
  assert.fail(`expected an error from ${sql}`);
}

async function fixture(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (x int, y text)');
  await db.query("INSERT INTO t VALUES (2, 'two'), (1, 'one'), (2, 'two')");
  return db;
}

test('field selection on ROW(...) and record output', async () => {
  const db = await fixture();
  assert.deepEqual(await rows(db, "SELECT (ROW(1, 'a'::text)).f2, (ROW(1, 'a'::text)).f1 + 1"), [['a', 2]]);
  const star = await db.queryArrays("SELECT (ROW(1, 'a'::text)).*");
  assert.deepEqual(star.rows, [[1, 'a']]);
  assert.deepEqual(star.fields.map((f) => f.name), ['f1', 'f2']);
  // record_out: NULL fields empty; empty strings, spaces, quotes, commas and parentheses quoted.
  assert.deepEqual(await rows(db, `SELECT ROW(1, 'a b', NULL, '', 'q"\\', '(x,y)')`),
    [['(1,"a b",,"","q""\\\\","(x,y)")']]);
  await db.close();
});

test('whole-row references and composite columns', async () => {
  const db = await fixture();
  assert.deepEqual(await rows(db, 'SELECT t FROM t ORDER BY x, y LIMIT 1'), [['(1,one)']]);
  assert.deepEqual(await rows(db, 'SELECT (t).x, (t).*, (t.*).y FROM t WHERE x = 1'), [[1, 1, 'one', 'one']]);
  // A composite column of a subquery keeps its fields.
  assert.deepEqual(await rows(db, 'SELECT (r).y, (s.r).x FROM (SELECT t AS r FROM t WHERE x = 1) s'), [['one', 1]]);
  // Records order fieldwise and group by value.
  assert.deepEqual(await rows(db, 'SELECT DISTINCT t FROM t ORDER BY t DESC'), [['(2,two)'], ['(1,one)']]);
  assert.deepEqual(await rows(db, 'SELECT t, count(*) FROM t GROUP BY t ORDER BY 2, 1'), [['(1,one)', 1], ['(2,two)', 2]]);
  assert.deepEqual(await rows(db, 'SELECT count(t.*) FROM t'), [[3]]);
  assert.deepEqual(await rows(db, 'SELECT row_to_json(t), to_jsonb(t) FROM t WHERE x = 1'), [[{ x: 1, y: 'one' }, { x: 1, y: 'one' }]]);
  assert.equal((await errorOf(db, 'SELECT row_to_json(1)')).code, '42883');
  await db.close();
});

test('information_schema._pg_expandarray in FROM and in the select list', async () => {
  const db = await fixture();
  assert.deepEqual(await rows(db, 'SELECT * FROM information_schema._pg_expandarray(ARRAY[30, 10, 20])'),
    [[30, 1], [10, 2], [20, 3]]);
  assert.deepEqual(await rows(db, "SELECT information_schema._pg_expandarray(ARRAY['a', 'b c'])"),
    [['(a,1)'], ['("b c",2)']]);
  // Two calls run in lockstep; (f(...)).n selects from each row's composite.
  assert.deepEqual(await rows(db,
    'SELECT (information_schema._pg_expandarray(ARRAY[7, 8])).n, (information_schema._pg_expandarray(ARRAY[7, 8])).x'),
  [[1, 7], [2, 8]]);
  assert.deepEqual(await rows(db, 'SELECT (information_schema._pg_expandarray(ARRAY[5, 6])).*'), [[5, 1], [6, 2]]);
  assert.deepEqual(await rows(db, "SELECT information_schema._pg_expandarray('{}'::int[])"), []);
  assert.deepEqual(await rows(db, 'SELECT information_schema._pg_expandarray(NULL::int[])'), []);
  // Through a subquery column, as pgjdbc's getPrimaryKeys reads it.
  assert.deepEqual(await rows(db,
    'SELECT (k).x, (k).n FROM (SELECT information_schema._pg_expandarray(ARRAY[4, 5]) AS k) s WHERE (k).n > 1'), [[5, 2]]);
  const e = await errorOf(db, 'SELECT _pg_expandarray(ARRAY[1])');
  assert.equal(e.code, '42883');
  await db.close();
});

test('user functions with OUT parameters or RETURNS TABLE yield composites in a select list', async () => {
  const db = await fixture();
  await db.query("CREATE FUNCTION pair(a int, OUT lo int, OUT hi int) LANGUAGE sql AS 'SELECT a - 1, a + 1'");
  await db.query("CREATE FUNCTION squares(n int) RETURNS TABLE(i int, sq int) LANGUAGE sql AS 'SELECT g, g * g FROM generate_series(1, n) g'");
  assert.deepEqual(await rows(db, 'SELECT pair(5), (pair(5)).hi'), [['(4,6)', 6]]);
  assert.deepEqual(await rows(db, 'SELECT (pair(x)).* FROM t WHERE x = 1'), [[0, 2]]);
  assert.deepEqual(await rows(db, 'SELECT squares(2), (squares(2)).sq'), [['(1,1)', 1], ['(2,4)', 4]]);
  await db.close();
});

test("pgjdbc's getPrimaryKeys query orders a composite key by KEY_SEQ", async () => {
  const db = await fixture();
  await db.query('CREATE TABLE accounts (a int, b text, c int, PRIMARY KEY (c, a))');
  const sql = 'SELECT result.TABLE_CAT, result.TABLE_SCHEM, result.TABLE_NAME, result.COLUMN_NAME, result.KEY_SEQ, result.PK_NAME FROM ' +
    '(SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME, ' +
    '(information_schema._pg_expandarray(i.indkey)).n AS KEY_SEQ, ci.relname AS PK_NAME, ' +
    'information_schema._pg_expandarray(i.indkey) AS KEYS, a.attnum AS A_ATTNUM ' +
    'FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid) ' +
    'JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN pg_catalog.pg_index i ON ( a.attrelid = i.indrelid) ' +
    "JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid) WHERE true AND ct.relname = E'accounts' AND i.indisprimary ) result " +
    'where result.A_ATTNUM = (result.KEYS).x ORDER BY result.table_name, result.pk_name, result.key_seq';
  const r = await db.queryArrays(sql);
  assert.deepEqual(r.fields.map((f) => f.name), ['table_cat', 'table_schem', 'table_name', 'column_name', 'key_seq', 'pk_name']);
  assert.deepEqual(r.rows, [[null, 'public', 'accounts', 'c', 1, 'accounts_pkey'], [null, 'public', 'accounts', 'a', 2, 'accounts_pkey']]);
  // The variant that joins a subquery over pg_index (getPrimaryUniqueKeys).
  assert.deepEqual(await rows(db, 'SELECT a.attname FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid) ' +
    'JOIN (SELECT i.indexrelid, i.indrelid, i.indisprimary, information_schema._pg_expandarray(i.indkey) AS keys FROM pg_catalog.pg_index i) i ' +
    "ON (a.attnum = (i.keys).x AND a.attrelid = i.indrelid) WHERE ct.relname = 'accounts' AND i.indisprimary ORDER BY a.attnum"),
  [['a'], ['c']]);
  await db.close();
});

test('field selection errors follow PostgreSQL', async () => {
  const db = await fixture();
  const cases: [string, string, string, number | undefined][] = [
    ['SELECT (ROW(1, 2)).zz', '42703', 'could not identify column "zz" in record data type', 9],
    ['SELECT (t).zz FROM t', '42703', 'column t.zz does not exist', 9],
    ['SELECT (r).zz FROM (SELECT t AS r FROM t) s', '42703', 'column "zz" not found in data type t', 9],
    ['SELECT (1).x', '42809', 'column notation .x applied to type integer, which is not a composite type', 9],
    // Without parentheses, a.b.c is schema.table.column (and r.x table.column) only.
    ['SELECT  t.x.y FROM t', '42P01', 'missing FROM-clause entry for table "x"', 9],
    ['SELECT r.x FROM (SELECT t AS r FROM t) s', '42P01', 'missing FROM-clause entry for table "r"', 8],
    ['SELECT (x).* FROM t', '42809', 'type integer is not composite', undefined],
    ['SELECT nosuch.x FROM t', '42P01', 'missing FROM-clause entry for table "nosuch"', 8],
  ];
  for (const [sql, code, message, position] of cases) {
    const e = await errorOf(db, sql);
    assert.deepEqual([e.code, e.message, e.position], [code, message, position], sql);
  }
  await db.close();
});
