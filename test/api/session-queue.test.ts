/**
 * Calls on one session run one at a time, in call order, whether a statement completes
 * synchronously (the common case: no promise hop inside the engine) or has to wait (a lock held
 * by another session); a failing call rejects its own promise only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

test('calls issued without awaiting run in order; a waiting call holds back the calls after it', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0)');
  const s = db.session();
  const other = db.session();
  await other.query('BEGIN');
  await other.query('UPDATE t SET v = 100 WHERE id = 1');
  const done: string[] = [];
  const log = <T>(name: string, p: Promise<T>): Promise<T> => p.then((r) => { done.push(name); return r; }, (e: unknown) => { done.push(`${name}!`); throw e; });
  const first = log('insert 2', s.query('INSERT INTO t VALUES (2, 0)'));
  const blocked = log('update 1', s.query('UPDATE t SET v = v + 1 WHERE id = 1'));
  const failing = log('duplicate', s.query('INSERT INTO t VALUES (2, 0)'));
  const after = log('select', s.queryArrays('SELECT id, v FROM t ORDER BY id'));
  failing.catch(() => undefined);
  await first;
  // The UPDATE waits for `other`; everything issued after it waits too.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(done, ['insert 2']);
  await other.query('COMMIT');
  await assert.rejects(failing, (e: { code?: string }) => e.code === '23505');
  assert.deepEqual((await after).rows, [[1, 101], [2, 0]], 'the update applied on top of the committed 100');
  await blocked;
  assert.deepEqual(done, ['insert 2', 'update 1', 'duplicate!', 'select']);
  await db.close();
});
