/**
 * Subquery decorrelation (src/plan/binder/decorrelate.ts): EXISTS / NOT EXISTS / IN / NOT IN in
 * WHERE become semi and anti joins (EXPLAIN shows them), and every result equals the naive
 * per-row evaluation, which `(...) IS TRUE` forces (the rewrite applies to bare conjuncts only),
 * including NOT IN's NULL semantics.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE o (id int PRIMARY KEY, x int, nn int NOT NULL);
    CREATE TABLE i (oid int, y int, z int NOT NULL);
    INSERT INTO o SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE g % 7 END, g % 4 FROM generate_series(1, 200) g;
    INSERT INTO i SELECT g % 50, CASE WHEN g % 13 = 0 THEN NULL ELSE g % 5 END, g % 3 FROM generate_series(1, 300) g`);
  return db;
}

async function plan(db: Oxibase, sql: string): Promise<string> {
  return (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0])).join('\n');
}

async function count(db: Oxibase, sql: string): Promise<number> {
  return Number((await db.queryArrays(sql)).rows[0]![0]);
}

/** The query with the condition as a join, and the same condition evaluated per row. */
async function sameAsNaive(db: Oxibase, cond: string, join: RegExp | null): Promise<number> {
  const fast = `SELECT count(*) FROM o WHERE ${cond}`;
  const naive = `SELECT count(*) FROM o WHERE (${cond}) IS TRUE`;
  const text = await plan(db, fast);
  if (join === null) assert.doesNotMatch(text, /Semi|Anti/, text);
  else assert.match(text, join, text);
  assert.doesNotMatch(await plan(db, naive), /Semi|Anti/);
  const n = await count(db, fast);
  assert.equal(n, await count(db, naive), cond);
  return n;
}

test('EXISTS and NOT EXISTS become hash semi and anti joins', async () => {
  const db = await setup();
  assert.equal(await sameAsNaive(db, 'EXISTS (SELECT 1 FROM i WHERE i.oid = o.id)', /Hash Semi Join/), 49);
  assert.equal(await sameAsNaive(db, 'NOT EXISTS (SELECT 1 FROM i WHERE i.oid = o.id)', /Hash Anti Join/), 151);
  // A correlated non-equality becomes the join filter.
  const text = await plan(db, 'SELECT * FROM o WHERE NOT EXISTS (SELECT 1 FROM i WHERE i.oid = o.id AND i.y > o.x)');
  assert.match(text, /Hash Anti Join\n {2}Hash Cond: \(o\.id = i\.oid\)\n {2}Join Filter: \(i\.y > o\.x\)/, text);
  assert.equal(await sameAsNaive(db, 'NOT EXISTS (SELECT 1 FROM i WHERE i.oid = o.id AND i.y > o.x)', /Hash Anti Join/), 186);
  // Inner-only conditions stay on the inner scan; DISTINCT and ORDER BY inside do not matter.
  assert.equal(await sameAsNaive(db, 'EXISTS (SELECT DISTINCT i.y FROM i WHERE i.oid = o.id AND i.z = 1 ORDER BY 1)', /Hash Semi Join/), 49);
  await db.close();
});

test('IN and = ANY with a subquery are semi joins, correlated or not', async () => {
  const db = await setup();
  assert.equal(await sameAsNaive(db, 'x IN (SELECT y FROM i)', /Hash Semi Join/), 130);
  assert.equal(await sameAsNaive(db, 'x = ANY (SELECT y FROM i)', /Hash Semi Join/), 130);
  assert.equal(await sameAsNaive(db, 'x IN (SELECT z FROM i WHERE i.oid = o.id)', /Hash Semi Join/), 20);
  // Two-column IN.
  assert.equal(await sameAsNaive(db, '(id, nn) IN (SELECT oid, z FROM i)', /Hash Semi Join/), await count(db,
    'SELECT count(*) FROM o WHERE EXISTS (SELECT 1 FROM i WHERE i.oid = o.id AND i.z = o.nn)'));
  await db.close();
});

test('NOT IN keeps its NULL semantics', async () => {
  const db = await setup();
  // The subquery yields a NULL: NOT IN is never true.
  assert.equal(await sameAsNaive(db, 'x NOT IN (SELECT y FROM i)', /Hash Anti Join/), 0);
  // No NULL inside, but NULL x rows are not "not in" a non-empty set.
  assert.equal(await sameAsNaive(db, 'x NOT IN (SELECT y FROM i WHERE y IS NOT NULL)', /Hash Anti Join/), 50);
  assert.equal(await sameAsNaive(db, 'x NOT IN (SELECT z FROM i)', /Hash Anti Join/), 102);
  // An empty set: every row, NULL x included.
  assert.equal(await sameAsNaive(db, 'x NOT IN (SELECT y FROM i WHERE i.oid > 1000)', /Hash Anti Join/), 200);
  assert.equal(await sameAsNaive(db, 'x <> ALL (SELECT y FROM i WHERE y IS NOT NULL)', /Hash Anti Join/), 50);
  // Correlated NOT IN: a plain anti join only when both sides are NOT NULL.
  assert.equal(await sameAsNaive(db, 'nn NOT IN (SELECT z FROM i WHERE i.oid = o.id)', /Hash Anti Join/), await count(db,
    'SELECT count(*) FROM o WHERE NOT EXISTS (SELECT 1 FROM i WHERE i.oid = o.id AND i.z = o.nn)'));
  assert.equal(await sameAsNaive(db, 'id NOT IN (SELECT oid FROM i WHERE i.z = o.x)', null), 180);
  await db.close();
});

test('decorrelation inside joins and shapes left alone', async () => {
  const db = await setup();
  const sql = 'SELECT count(*) FROM o a, o b WHERE a.id = b.x AND EXISTS (SELECT 1 FROM i WHERE i.oid = a.id AND i.z = b.id % 3)';
  assert.match(await plan(db, sql), /Semi Join/);
  assert.equal(await count(db, sql), 154);
  assert.equal(await count(db, sql.replace('AND EXISTS', 'AND (EXISTS').replace('% 3)', '% 3)) IS TRUE')), 154);
  // An aggregate decides the subquery's rows: not a semi join.
  assert.equal(await sameAsNaive(db, 'EXISTS (SELECT count(*) FROM i WHERE i.oid = o.id)', null), 200);
  assert.equal(await sameAsNaive(db, 'x IN (SELECT max(y) FROM i WHERE i.oid = o.id)', null), await count(db,
    'SELECT count(*) FROM o WHERE x = (SELECT max(y) FROM i WHERE i.oid = o.id)'));
  // Under OR the subquery stays a per-row test.
  assert.equal(await sameAsNaive(db, 'x = 1 OR EXISTS (SELECT 1 FROM i WHERE i.oid = o.id)', null), await count(db,
    'SELECT count(*) FROM o WHERE x = 1 OR id IN (SELECT oid FROM i)'));
  await db.close();
});
