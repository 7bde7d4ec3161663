/**
 * Write-write conflicts between concurrent sessions: lost updates (READ COMMITTED re-runs on the
 * new version; REPEATABLE READ / SERIALIZABLE fail with 40001), unique-key races, row locks,
 * deadlocks (40P01), lock_timeout (55P03, on a virtual clock) and table-level DDL exclusion.
 *
 * Pattern: the blocked statement is started without awaiting (tracked), `assertBlocked` proves it
 * waits, the holder then commits or rolls back, and only then is the blocked statement awaited.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase, createSimEnv } from '../../src/index.ts';
import { assertBlocked, column, openDb, rejectsWith, scalar, settle, track } from './helpers.ts';

const SETUP = 'CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)';

test('READ COMMITTED: concurrent increments are not lost (second waits, then applies on top)', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
  await b.query('BEGIN');
  const second = track(b.query('UPDATE t SET v = v + 1 WHERE id = 1'));
  await assertBlocked(second);
  await a.query('COMMIT');
  assert.equal((await second.promise).rowCount, 1);
  assert.equal(await scalar(b, 'SELECT v FROM t WHERE id = 1'), 2);
  await b.query('COMMIT');
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 2);
  await db.close();
});

test('waiters for one row queue behind the first to take it, without re-running their statements', async () => {
  const db = await openDb(SETUP + '; CREATE SEQUENCE probes');
  const [a, b, c] = [db.session(), db.session(), db.session()];
  // nextval is not transactional: it counts every evaluation of the WHERE clause, re-runs included.
  const bump = "UPDATE t SET v = v + 1 WHERE id = 1 AND nextval('probes') > 0";
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
  await b.query('BEGIN');
  await c.query('BEGIN');
  const second = track(b.query(bump));
  await assertBlocked(second);
  const third = track(c.query(bump));
  await assertBlocked(third);
  await a.query('COMMIT');
  assert.equal((await second.promise).rowCount, 1);
  await assertBlocked(third);
  assert.equal(await scalar(db, 'SELECT last_value FROM pg_sequences WHERE sequencename = \'probes\''), 3, 'b ran twice, c once: c did not re-run yet');
  await b.query('COMMIT');
  assert.equal((await third.promise).rowCount, 1);
  await c.query('COMMIT');
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 3);
  assert.equal(await scalar(db, 'SELECT last_value FROM pg_sequences WHERE sequencename = \'probes\''), 4);
  await db.close();
});

test('READ COMMITTED: implicit (autocommit) increments from two sessions both apply', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = v + 10 WHERE id = 1');
  const second = track(b.query('UPDATE t SET v = v + 1 WHERE id = 1'));
  await assertBlocked(second);
  await a.query('ROLLBACK');
  await second.promise;
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 1);
  await db.close();
});

test('READ COMMITTED: the re-run re-checks WHERE against the committed version', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 5 WHERE id = 1');
  const second = track(b.query('UPDATE t SET v = 100 WHERE id = 1 AND v = 0'));
  await assertBlocked(second);
  await a.query('COMMIT');
  assert.equal((await second.promise).rowCount, 0, 'the row no longer matches');
  const del = db.session();
  await a.query('BEGIN');
  await a.query('DELETE FROM t WHERE id = 2');
  const upd = track(del.query('UPDATE t SET v = 7 WHERE id = 2'));
  await assertBlocked(upd);
  await a.query('COMMIT');
  assert.equal((await upd.promise).rowCount, 0, 'a concurrently deleted row is skipped');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [5]);
  await db.close();
});

for (const level of ['REPEATABLE READ', 'SERIALIZABLE'] as const) {
  test(`${level}: the second updater fails with 40001 once the first commits`, async () => {
    const db = await openDb(SETUP);
    const a = db.session();
    const b = db.session();
    await a.query('BEGIN');
    await b.query(`BEGIN ISOLATION LEVEL ${level}`);
    assert.equal(await scalar(b, 'SELECT v FROM t WHERE id = 1'), 0);
    await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
    const second = track(b.query('UPDATE t SET v = v + 1 WHERE id = 1'));
    await assertBlocked(second);
    await a.query('COMMIT');
    await rejectsWith(second.promise, '40001', /could not serialize access due to concurrent update/);
    assert.equal(b.transactionStatus, 'in failed transaction');
    await b.query('ROLLBACK');
    assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 1);
    await db.close();
  });

  test(`${level}: the second updater succeeds when the first rolls back`, async () => {
    const db = await openDb(SETUP);
    const a = db.session();
    const b = db.session();
    await a.query('BEGIN');
    await b.query(`BEGIN ISOLATION LEVEL ${level}`);
    assert.equal(await scalar(b, 'SELECT v FROM t WHERE id = 1'), 0);
    await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
    const second = track(b.query('UPDATE t SET v = v + 1 WHERE id = 1'));
    await assertBlocked(second);
    await a.query('ROLLBACK');
    assert.equal((await second.promise).rowCount, 1);
    await b.query('COMMIT');
    assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 1);
    await db.close();
  });

  test(`${level}: updating a row changed and committed after the snapshot fails at once`, async () => {
    const db = await openDb(SETUP);
    const a = db.session();
    await a.query(`BEGIN ISOLATION LEVEL ${level}`);
    assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 2'), 0);
    await db.query('UPDATE t SET v = 9 WHERE id = 2');
    await rejectsWith(a.query('UPDATE t SET v = 1 WHERE id = 2'), '40001');
    await a.query('ROLLBACK');
    await a.query(`BEGIN ISOLATION LEVEL ${level}`);
    assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 2'), 9);
    await db.query('DELETE FROM t WHERE id = 2');
    await rejectsWith(a.query('DELETE FROM t WHERE id = 2'), '40001', /concurrent delete/);
    await a.query('ROLLBACK');
    await db.close();
  });
}

test('unique key: a concurrent insert of the same key waits, then fails with 23505 on commit', async () => {
  const db = await openDb('CREATE TABLE u (k int PRIMARY KEY, who text)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query("INSERT INTO u VALUES (1, 'a')");
  await b.query('BEGIN');
  const second = track(b.query("INSERT INTO u VALUES (1, 'b')"));
  await assertBlocked(second);
  await a.query('COMMIT');
  const err = await rejectsWith(second.promise, '23505', /duplicate key value violates unique constraint "u_pkey"/);
  assert.equal(err.detail, 'Key (k)=(1) already exists.');
  await b.query('ROLLBACK');
  assert.deepEqual(await column(db, 'SELECT who FROM u'), ['a']);
  await db.close();
});

test('unique key: a concurrent insert of the same key succeeds when the first rolls back', async () => {
  const db = await openDb('CREATE TABLE u (k int PRIMARY KEY, who text)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query("INSERT INTO u VALUES (1, 'a')");
  const second = track(b.query("INSERT INTO u VALUES (1, 'b')"));
  await assertBlocked(second);
  await a.query('ROLLBACK');
  assert.equal((await second.promise).rowCount, 1);
  assert.deepEqual(await column(db, 'SELECT who FROM u'), ['b']);
  await db.close();
});

test('unique key: re-inserting a key whose delete is uncommitted waits for the deleter', async () => {
  const db = await openDb("CREATE TABLE u (k int PRIMARY KEY, who text); INSERT INTO u VALUES (1, 'old')");
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('DELETE FROM u WHERE k = 1');
  const ins = track(b.query("INSERT INTO u VALUES (1, 'new')"));
  await assertBlocked(ins);
  await a.query('COMMIT');
  await ins.promise;
  assert.deepEqual(await column(db, 'SELECT who FROM u'), ['new']);
  // And when the deleter rolls back, the waiting insert is a duplicate.
  await a.query('BEGIN');
  await a.query('DELETE FROM u WHERE k = 1');
  const dup = track(b.query("INSERT INTO u VALUES (1, 'dup')"));
  await assertBlocked(dup);
  await a.query('ROLLBACK');
  await rejectsWith(dup.promise, '23505');
  assert.deepEqual(await column(db, 'SELECT who FROM u'), ['new']);
  await db.close();
});

test('unique key: a key freed by a committed update can be reused; the old key stays unique', async () => {
  const db = await openDb("CREATE TABLE u (k int PRIMARY KEY); INSERT INTO u VALUES (1)");
  await db.query('UPDATE u SET k = 2 WHERE k = 1');
  await db.query('INSERT INTO u VALUES (1)');
  await rejectsWith(db.query('INSERT INTO u VALUES (2)'), '23505');
  await rejectsWith(db.query('UPDATE u SET k = 2 WHERE k = 1'), '23505');
  assert.deepEqual(await column(db, 'SELECT k FROM u ORDER BY k'), [1, 2]);
  await db.close();
});

test('deadlock: one session gets 40P01, the other proceeds', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await b.query('BEGIN');
  await a.query('UPDATE t SET v = 1 WHERE id = 1');
  await b.query('UPDATE t SET v = 2 WHERE id = 2');
  const aWaits = track(a.query('UPDATE t SET v = 1 WHERE id = 2'));
  await assertBlocked(aWaits);
  const err = await rejectsWith(b.query('UPDATE t SET v = 2 WHERE id = 1'), '40P01', /deadlock detected/);
  assert.match(err.detail ?? '', /waits for transaction/);
  assert.equal(b.transactionStatus, 'in failed transaction');
  // b still holds row 2 until it ends its block.
  await assertBlocked(aWaits);
  await b.query('ROLLBACK');
  assert.equal((await aWaits.promise).rowCount, 1);
  await a.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [1, 1]);
  await db.close();
});

test('deadlock across three sessions is detected along the wait-for chain', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0), (3, 0)');
  const [a, b, c] = [db.session(), db.session(), db.session()];
  for (const [s, id] of [[a, 1], [b, 2], [c, 3]] as const) {
    await s.query('BEGIN');
    await s.query(`UPDATE t SET v = ${id} WHERE id = ${id}`);
  }
  const aw = track(a.query('UPDATE t SET v = 10 WHERE id = 2'));
  const bw = track(b.query('UPDATE t SET v = 20 WHERE id = 3'));
  await assertBlocked(aw);
  await assertBlocked(bw);
  await rejectsWith(c.query('UPDATE t SET v = 30 WHERE id = 1'), '40P01');
  await c.query('ROLLBACK');
  await bw.promise;
  await b.query('COMMIT');
  await aw.promise;
  await a.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [1, 10, 20]);
  await db.close();
});

test('an autocommit statement that deadlocks is rolled back and releases its locks', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 1 WHERE id = 1');
  await b.query('BEGIN');
  await b.query('UPDATE t SET v = 2 WHERE id = 2');
  const aWaits = track(a.query('UPDATE t SET v = 1 WHERE id = 2'));
  await assertBlocked(aWaits);
  await rejectsWith(b.query('UPDATE t SET v = 2 WHERE id = 1'), '40P01');
  await b.query('ROLLBACK');
  await aWaits.promise;
  await a.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [1, 1]);
  await db.close();
});

test('lock_timeout: a blocked statement fails with 55P03 on the virtual clock', async () => {
  const env = createSimEnv({ seed: 7 });
  const db = await Oxibase.open('memory://', { env });
  await db.exec(SETUP);
  const a = db.session();
  const b = db.session();
  await b.query("SET lock_timeout = '50ms'");
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 1 WHERE id = 1');
  const blocked = track(b.query('UPDATE t SET v = 2 WHERE id = 1'));
  await assertBlocked(blocked);
  env.timers.advance(49);
  await assertBlocked(blocked, 'statement before the timeout');
  env.timers.advance(1);
  await rejectsWith(blocked.promise, '55P03', /canceling statement due to lock timeout/);
  assert.equal(b.transactionStatus, 'idle');
  // The timed-out statement left nothing behind and no longer waits.
  await a.query('COMMIT');
  assert.equal(await scalar(b, 'SELECT v FROM t WHERE id = 1'), 1);
  // Inside a block the timeout fails the block; a wait that ends in time leaves no timer behind.
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 3 WHERE id = 2');
  await b.query('BEGIN');
  const again = track(b.query('UPDATE t SET v = 4 WHERE id = 2'));
  await assertBlocked(again);
  await a.query('COMMIT');
  await again.promise;
  assert.equal(env.timers.pendingCount, 0);
  await b.query('COMMIT');
  await a.query('BEGIN');
  await a.query('UPDATE t SET v = 5 WHERE id = 2');
  await b.query('BEGIN');
  const timesOut = track(b.query('UPDATE t SET v = 6 WHERE id = 2'));
  await assertBlocked(timesOut);
  env.timers.advance(50);
  await rejectsWith(timesOut.promise, '55P03');
  assert.equal(b.transactionStatus, 'in failed transaction');
  await b.query('ROLLBACK');
  await a.query('COMMIT');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [1, 5]);
  await db.close();
});

test('SELECT ... FOR UPDATE blocks writers until the locker ends', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  assert.equal(await scalar(a, 'SELECT v FROM t WHERE id = 1 FOR UPDATE'), 0);
  const upd = track(b.query('UPDATE t SET v = 5 WHERE id = 1'));
  await assertBlocked(upd);
  // Plain readers are not blocked by row locks.
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 0);
  await a.query('UPDATE t SET v = v + 1 WHERE id = 1');
  await a.query('COMMIT');
  await upd.promise;
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 5);
  await db.close();
});

test('a row lock taken and rolled back leaves the row writable', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  await a.query('BEGIN');
  await a.query('SELECT * FROM t FOR UPDATE');
  await a.query('ROLLBACK');
  await db.query('UPDATE t SET v = 3');
  assert.deepEqual(await column(db, 'SELECT v FROM t ORDER BY id'), [3, 3]);
  await db.close();
});

test('DDL waits for open writers of the table, and writers wait for open DDL', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('INSERT INTO t VALUES (3, 0)');
  const alter = track(b.query('ALTER TABLE t ADD COLUMN w int DEFAULT 7'));
  await assertBlocked(alter, 'ALTER TABLE');
  await a.query('COMMIT');
  await alter.promise;
  assert.deepEqual(await column(db, 'SELECT w FROM t ORDER BY id'), [7, 7, 7]);
  await a.query('BEGIN');
  await a.query('CREATE INDEX t_v ON t (v)');
  const ins = track(b.query('INSERT INTO t VALUES (4, 0, 0)'));
  await assertBlocked(ins, 'INSERT');
  await a.query('ROLLBACK');
  await ins.promise;
  assert.equal(await scalar(db, 'SELECT count(*)::int FROM t'), 4);
  await db.close();
});

test('concurrent DDL on the same table: the second waits and then sees the first', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('ALTER TABLE t ADD COLUMN x int');
  const second = track(b.query('ALTER TABLE t ADD COLUMN x int'));
  await assertBlocked(second);
  await a.query('COMMIT');
  await rejectsWith(second.promise, '42701', /column "x" of relation "t" already exists/);
  await db.close();
});

test('many sessions incrementing one counter under READ COMMITTED lose nothing', async () => {
  const db = await openDb('CREATE TABLE c (id int PRIMARY KEY, n int); INSERT INTO c VALUES (1, 0)');
  const sessions = Array.from({ length: 8 }, () => db.session());
  const work = sessions.map(async (s) => {
    for (let i = 0; i < 5; i++) {
      await s.query('BEGIN');
      await s.query('UPDATE c SET n = n + 1 WHERE id = 1');
      await settle();
      await s.query('COMMIT');
    }
  });
  await Promise.all(work);
  assert.equal(await scalar(db, 'SELECT n FROM c'), 40);
  await db.close();
});

test('INSERT ... ON CONFLICT waits for an uncommitted conflicting insert', async () => {
  const db = await openDb('CREATE TABLE t (id int PRIMARY KEY, v int)');
  const a = db.session();
  const b = db.session();
  await a.query('BEGIN');
  await a.query('INSERT INTO t VALUES (1, 1)');
  const upsert = track(b.query('INSERT INTO t VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET v = t.v + excluded.v'));
  await assertBlocked(upsert);
  await a.query('COMMIT');
  await upsert.promise;
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 1'), 3);
  await a.query('BEGIN');
  await a.query('INSERT INTO t VALUES (2, 1)');
  const nothing = track(b.query('INSERT INTO t VALUES (2, 2) ON CONFLICT DO NOTHING'));
  await assertBlocked(nothing);
  await a.query('ROLLBACK');
  assert.equal((await nothing.promise).rowCount, 1);
  assert.equal(await scalar(db, 'SELECT v FROM t WHERE id = 2'), 2);
  await db.close();
});

test('REPEATABLE READ: SELECT FOR UPDATE of a row changed after the snapshot fails with 40001', async () => {
  const db = await openDb(SETUP);
  const a = db.session();
  await a.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await a.query('SELECT 1');
  await db.query('UPDATE t SET v = 1 WHERE id = 1');
  await rejectsWith(a.query('SELECT * FROM t WHERE id = 1 FOR UPDATE'), '40001');
  await a.query('ROLLBACK');
  await db.close();
});

test('SERIALIZABLE validation sees a writer whose commit is still being logged', async () => {
  const db = await openDb(`
    CREATE TABLE x (id int PRIMARY KEY, v int); CREATE TABLE y (id int PRIMARY KEY, v int);
    INSERT INTO x VALUES (1, 0); INSERT INTO y VALUES (1, 0);`);
  const txns = db.engine.txns;
  let release: () => void = () => undefined;
  const logged = new Promise<void>((resolve) => { release = resolve; });
  const ser = db.session();
  await ser.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  assert.equal(await scalar(ser, 'SELECT v FROM x'), 0);
  await ser.query('UPDATE y SET v = 1');
  // The writer of x gets its commit seq, then waits for the (simulated) log.
  txns.commitLog = { logCommit: () => logged };
  const w = db.session();
  const writer = track(w.query('UPDATE x SET v = 1'));
  await assertBlocked(writer, 'commit waiting for the log');
  txns.commitLog = null;
  // ser read x before the writer's commit, and commits after it: not serializable.
  await rejectsWith(ser.query('COMMIT'), '40001');
  release();
  await writer.promise;
  assert.equal(await scalar(db, 'SELECT v FROM x'), 1);
  assert.equal(await scalar(db, 'SELECT v FROM y'), 0);
  await db.close();
});
