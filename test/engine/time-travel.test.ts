/**
 * AS OF TIMESTAMP / AS OF TRANSACTION on any table reference — alone, inside joins (including a
 * self-join of two points in time) and inside subqueries — and the clear error outside the
 * retained history. Runs on the deterministic environment so commit times are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase, createSimEnv, type DbError } from '../../src/index.ts';

async function setup(): Promise<{ db: Oxibase; env: ReturnType<typeof createSimEnv>; xid1: number; t1: string; t2: string }> {
  const env = createSimEnv({ seed: 3 });
  const db = await Oxibase.open('memory://', { env });
  await db.query("SET history_retention = '1h'");
  await db.query('CREATE TABLE price (item text PRIMARY KEY, amount int)');
  env.timers.advance(1000);
  const xid1 = await db.transaction(async (tx) => {
    await tx.query("INSERT INTO price VALUES ('apple', 10), ('pear', 20)");
    return Number((await tx.query<{ x: number }>('SELECT txid_current() AS x')).rows[0]!.x);
  });
  const t1 = (await db.query<{ t: string }>('SELECT now()::text AS t')).rows[0]!.t;
  env.timers.advance(1000);
  await db.query("UPDATE price SET amount = amount * 2 WHERE item = 'apple'");
  await db.query("DELETE FROM price WHERE item = 'pear'");
  const t2 = (await db.query<{ t: string }>('SELECT now()::text AS t')).rows[0]!.t;
  env.timers.advance(1000);
  return { db, env, xid1, t1, t2 };
}

test('AS OF TIMESTAMP on a table, in a join with the present, and in a subquery', async () => {
  const { db, t1, t2 } = await setup();
  const then = await db.query(`SELECT item, amount FROM price AS OF TIMESTAMP '${t1}' ORDER BY item`);
  assert.deepEqual(then.rows, [{ item: 'apple', amount: 10 }, { item: 'pear', amount: 20 }]);
  const now = await db.query('SELECT item, amount FROM price ORDER BY item');
  assert.deepEqual(now.rows, [{ item: 'apple', amount: 20 }]);
  const joined = await db.query(`
    SELECT o.item, o.amount AS old, n.amount AS new
    FROM price AS OF TIMESTAMP '${t1}' o LEFT JOIN price n ON n.item = o.item ORDER BY o.item`);
  assert.deepEqual(joined.rows, [{ item: 'apple', old: 10, new: 20 }, { item: 'pear', old: 20, new: null }]);
  const sub = await db.query(`
    SELECT (SELECT sum(amount) FROM price AS OF TIMESTAMP '${t1}') AS before,
           (SELECT sum(amount) FROM price AS OF TIMESTAMP '${t2}') AS after`);
  assert.deepEqual(sub.rows, [{ before: 30, after: 20 }]);
  const inWhere = await db.query(`
    SELECT item FROM price WHERE amount > (SELECT max(amount) FROM price AS OF TIMESTAMP '${t1}' p WHERE p.item = price.item)`);
  assert.deepEqual(inWhere.rows, [{ item: 'apple' }]);
  await db.close();
});

test('AS OF TRANSACTION and the error outside the retained history', async () => {
  const { db, xid1 } = await setup();
  const atInsert = await db.query(`SELECT item, amount FROM price AS OF TRANSACTION ${xid1} ORDER BY item`);
  assert.deepEqual(atInsert.rows, [{ item: 'apple', amount: 10 }, { item: 'pear', amount: 20 }]);
  // Far in the future: the present state.
  const history = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM price AS OF TIMESTAMP '2100-01-01'`);
  assert.equal(history.rows[0]!.n, 1);
  await assert.rejects(db.query(`SELECT * FROM price AS OF TIMESTAMP '2000-01-01'`),
    (e: DbError) => e.code === '22023' && /retained history/.test(e.message));
  await assert.rejects(db.query('SELECT * FROM price AS OF TRANSACTION 999999'),
    (e: DbError) => e.code === '22023' && /not in the retained history/.test(e.message));
  await db.close();
});
