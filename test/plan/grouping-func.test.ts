/**
 * GROUPING(...) in grouped queries (src/plan/binder/grouping.ts, bind-expr.ts): bit per argument
 * not grouped in the row's grouping set, leftmost argument most significant; the 42803 errors
 * PostgreSQL raises for misuse.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t(a int, b int, c int)');
  await db.query('INSERT INTO t VALUES (1, 1, 10), (1, 2, 20), (2, 1, 30)');
  return db;
}

async function rows(db: Oxibase, sql: string): Promise<unknown[][]> {
  return (await db.queryArrays(sql)).rows;
}

test('GROUPING with ROLLUP: select list, ORDER BY, argument order', async () => {
  const db = await setup();
  const r = await rows(db, `SELECT a, b, grouping(a), grouping(b), grouping(a, b), grouping(b, a), sum(c)
    FROM t GROUP BY ROLLUP (a, b) ORDER BY grouping(a, b), a, b`);
  assert.deepEqual(r, [
    [1, 1, 0, 0, 0, 0, 10], [1, 2, 0, 0, 0, 0, 20], [2, 1, 0, 0, 0, 0, 30],
    [1, null, 0, 1, 1, 2, 30], [2, null, 0, 1, 1, 2, 30],
    [null, null, 1, 1, 3, 3, 60],
  ]);
  await db.close();
});

test('GROUPING with CUBE in HAVING and with GROUPING SETS', async () => {
  const db = await setup();
  assert.deepEqual(await rows(db, `SELECT a, b, grouping(a, b) AS g FROM t GROUP BY CUBE (a, b)
    HAVING grouping(a, b) <> 1 ORDER BY g, a, b`),
  [[1, 1, 0], [1, 2, 0], [2, 1, 0], [null, 1, 2], [null, 2, 2], [null, null, 3]]);
  assert.deepEqual(await rows(db, 'SELECT a, grouping(a), count(*) FROM t GROUP BY GROUPING SETS ((a), ()) ORDER BY 2, 1'),
    [[1, 0, 2], [2, 0, 1], [null, 1, 3]]);
  // An expression key, and GROUPING inside a larger expression.
  assert.deepEqual(await rows(db, 'SELECT a + 1, 10 * grouping(a + 1) FROM t GROUP BY ROLLUP (a + 1) ORDER BY 2, 1'),
    [[2, 0], [3, 0], [null, 10]]);
  await db.close();
});

test('GROUPING with a plain GROUP BY is 0', async () => {
  const db = await setup();
  assert.deepEqual(await rows(db, 'SELECT a, grouping(a) FROM t GROUP BY a ORDER BY a'), [[1, 0], [2, 0]]);
  await db.close();
});

test('GROUPING misuse is 42803', async () => {
  const db = await setup();
  const expectErr = async (sql: string, message: string): Promise<void> => {
    await assert.rejects(db.query(sql), (e: { code?: string; message?: string }) => {
      assert.equal(e.code, '42803', sql);
      assert.equal(e.message, message, sql);
      return true;
    });
  };
  const args = 'arguments to GROUPING must be grouping expressions of the associated query level';
  await expectErr('SELECT grouping(a) FROM t', args);
  await expectErr('SELECT count(*), grouping(a) FROM t', args);
  await expectErr('SELECT a, grouping(b) FROM t GROUP BY a', args);
  await expectErr('SELECT a FROM t GROUP BY ROLLUP (a) ORDER BY grouping(c)', args);
  await expectErr('SELECT a FROM t WHERE grouping(a) = 0', 'grouping operations are not allowed in WHERE');
  await db.close();
});
