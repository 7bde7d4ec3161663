/**
 * SQL cursors: DECLARE / FETCH in every direction / MOVE / CLOSE, PostgreSQL's positions and
 * command tags, transaction scoping (WITHOUT HOLD ends with the transaction, WITH HOLD survives
 * the commit but not a rollback), one snapshot for the cursor's rows, and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup() {
  const db = await Oxibase.open('memory://');
  const s = db.engine.newSession();
  const run = async (sql: string) => (await s.execute(sql))[0]!;
  const fetch = async (sql: string) => {
    const r = await run(sql);
    return { tag: r.tag, rows: (r.rows ?? []).map((x) => x[0]) };
  };
  const fails = async (sql: string, code: string) => {
    await assert.rejects(s.execute(sql), (e: { code?: string }) => e.code === code, sql);
  };
  return { db, s, run, fetch, fails };
}

test('FETCH and MOVE directions follow PostgreSQL', async () => {
  const { db, run, fetch, fails } = await setup();
  try {
    await fails('declare c cursor for select 1', '25P01');
    await run('begin');
    assert.equal((await run('declare c scroll cursor for select g from generate_series(1, 5) g')).tag, 'DECLARE CURSOR');
    assert.deepEqual(await fetch('fetch 2 from c'), { tag: 'FETCH 2', rows: [1, 2] });
    assert.deepEqual(await fetch('fetch c'), { tag: 'FETCH 1', rows: [3] });
    assert.deepEqual(await fetch('fetch prior from c'), { tag: 'FETCH 1', rows: [2] });
    assert.deepEqual(await fetch('fetch forward 0 from c'), { tag: 'FETCH 1', rows: [2] });
    assert.deepEqual(await fetch('fetch all in c'), { tag: 'FETCH 3', rows: [3, 4, 5] });
    assert.deepEqual(await fetch('fetch next from c'), { tag: 'FETCH 0', rows: [] });
    assert.deepEqual(await fetch('fetch backward 2 from c'), { tag: 'FETCH 2', rows: [5, 4] });
    assert.deepEqual(await fetch('fetch backward all from c'), { tag: 'FETCH 3', rows: [3, 2, 1] });
    assert.equal((await run('move last in c')).tag, 'MOVE 1');
    assert.deepEqual(await fetch('fetch absolute 2 from c'), { tag: 'FETCH 1', rows: [2] });
    assert.deepEqual(await fetch('fetch absolute -1 from c'), { tag: 'FETCH 1', rows: [5] });
    assert.deepEqual(await fetch('fetch relative -2 c'), { tag: 'FETCH 1', rows: [3] });
    assert.deepEqual(await fetch('fetch first from c'), { tag: 'FETCH 1', rows: [1] });
    assert.deepEqual(await fetch('fetch absolute 9 from c'), { tag: 'FETCH 0', rows: [] });
    assert.deepEqual(await fetch('fetch -1 from c'), { tag: 'FETCH 1', rows: [5] });
    assert.equal((await run('close c')).tag, 'CLOSE CURSOR');
    await fails('fetch c', '34000');
    await run('rollback');
  } finally {
    await db.close();
  }
});

test('cursor scope: transaction, WITH HOLD, snapshot, duplicates', async () => {
  const { db, s, run, fetch, fails } = await setup();
  try {
    await run('create table t(id int)');
    await run('insert into t values (1), (2)');
    await run('begin');
    await run('declare c cursor for select id from t order by id');
    await fails('declare c cursor for select 1', '42P03');
    await run('rollback');
    await run('begin');
    await run('declare c cursor for select id from t order by id');
    // Rows are those of the cursor's snapshot, not later changes.
    await run('insert into t values (3)');
    assert.deepEqual(await fetch('fetch all from c'), { tag: 'FETCH 2', rows: [1, 2] });
    await run('commit');
    await fails('fetch c', '34000');
    await run('declare h cursor with hold for select id from t order by id');
    assert.deepEqual(await fetch('fetch 1 from h'), { tag: 'FETCH 1', rows: [1] });
    await run('begin');
    assert.deepEqual(await fetch('fetch 1 from h'), { tag: 'FETCH 1', rows: [2] });
    await run('commit');
    await run('begin');
    await run('declare r cursor with hold for select 1');
    await run('rollback');
    await fails('fetch r', '34000');
    await run('close all');
    await fails('fetch h', '34000');
    assert.equal(s.transactionStatus, 'idle');
  } finally {
    await db.close();
  }
});
