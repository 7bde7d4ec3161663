/**
 * Function-call binding errors (src/plan/binder/bind-call.ts) follow PostgreSQL's lookup order:
 * an unknown function or signature is 42883 even with DISTINCT/ORDER BY/FILTER; only a function
 * that exists but is not an aggregate gets 42809.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { DbError, Oxibase } from '../../src/index.ts';

async function errorOf(db: Oxibase, sql: string): Promise<DbError> {
  try {
    await db.query(sql);
  } catch (e) {
    assert.ok(e instanceof DbError);
    return e;
  }
  assert.fail(`expected an error from ${sql}`);
}

test('DISTINCT on an unknown function reports the missing function', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t1(x INTEGER)');
  const e = await errorOf(db, "SELECT group_concat(DISTINCT x, ':') FROM t1");
  assert.equal(e.code, '42883');
  assert.equal(e.message, 'function group_concat(integer, unknown) does not exist');
  assert.equal(e.position, 8);
  const wrongArgs = await errorOf(db, 'SELECT lower(DISTINCT 1)');
  assert.equal(wrongArgs.code, '42883');
  assert.equal(wrongArgs.message, 'function lower(integer) does not exist');
  await db.close();
});

test('DISTINCT on an existing non-aggregate function is 42809', async () => {
  const db = await Oxibase.open('memory://');
  const e = await errorOf(db, "SELECT lower(DISTINCT 'a')");
  assert.equal(e.code, '42809');
  assert.equal(e.message, 'DISTINCT specified, but lower is not an aggregate function');
  assert.equal(e.position, 8);
  await db.close();
});
