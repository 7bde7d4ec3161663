/**
 * Set-returning functions in the select list (src/exec/operators/project-set.ts) and the binder
 * fixes that came with them: lockstep expansion padded with NULL, placement errors (0A000), named
 * arguments, row ordering comparisons and chained JOIN ... USING.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function rows(db: Oxibase, sql: string): Promise<unknown[][]> {
  return (await db.queryArrays(sql)).rows as unknown[][];
}

async function code(db: Oxibase, sql: string): Promise<string | undefined> {
  try {
    await db.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

test('SRFs in the select list expand in lockstep', async () => {
  const db = await Oxibase.open('memory://');
  assert.deepEqual(await rows(db, 'SELECT generate_series(1, 3) AS a, generate_series(1, 2) AS b'),
    [[1, 1], [2, 2], [3, null]]);
  assert.deepEqual(await rows(db, 'SELECT unnest(ARRAY[10, 20]) + 1 AS x, 7 AS y'), [[11, 7], [21, 7]]);
  assert.deepEqual(await rows(db, 'SELECT unnest(ARRAY[]::int[])'), []);
  assert.equal(await code(db, 'SELECT 1 WHERE generate_series(1, 2) > 1'), '0A000');
  assert.equal(await code(db, 'SELECT CASE WHEN true THEN generate_series(1, 2) END'), '0A000');
  assert.equal(await code(db, 'SELECT coalesce(unnest(ARRAY[1]), 2)'), '0A000');
  assert.equal(await code(db, 'SELECT sum(generate_series(1, 3))'), '0A000');
});

test('named arguments bind by parameter name', async () => {
  const db = await Oxibase.open('memory://');
  assert.deepEqual(await rows(db, "SELECT make_interval(years => 1, days => 2, hours => 3)::text"),
    [['1 year 2 days 03:00:00']]);
  assert.deepEqual(await rows(db, "SELECT make_interval(1, days => 2)::text"), [['1 year 2 days']]);
  assert.equal(await code(db, 'SELECT make_interval(days => 1, days => 2)'), '42601');
  assert.equal(await code(db, 'SELECT make_interval(nope => 1)'), '42883');
});

test('row ordering comparisons follow PostgreSQL NULL rules', async () => {
  const db = await Oxibase.open('memory://');
  assert.deepEqual(await rows(db, 'SELECT ROW(1, 2) < ROW(1, 3), ROW(1, NULL) < ROW(1, 3), ROW(2, NULL) > ROW(1, 5), (1, 2, 3) <= (1, 2, 3)'),
    [[true, null, true, true]]);
  assert.deepEqual(await rows(db, 'SELECT ROW(1, NULL) IS NOT NULL, ROW(1, NULL) IS NULL'), [[false, false]]);
});

test('chained JOIN ... USING sees the merged column', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE a(id int, x int)');
  await db.query('CREATE TABLE b(id int)');
  await db.query('CREATE TABLE c(id int, z int)');
  await db.query('INSERT INTO a VALUES (1, 10), (2, 20)');
  await db.query('INSERT INTO b VALUES (1), (2), (3)');
  await db.query('INSERT INTO c VALUES (2, 200), (3, 300)');
  assert.deepEqual(await rows(db, 'SELECT * FROM a JOIN b USING (id) JOIN c USING (id)'), [[2, 20, 200]]);
});
