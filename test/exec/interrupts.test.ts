/**
 * Statement interruption under the deterministic environment: statement_timeout stops CPU-bound
 * queries (a clock that advances 1 ms per read makes the cut-off reproducible), pg_sleep waits on
 * the Env's timers and is ended by the timeout or a cancel, and a query run in time slices
 * yields to the event loop, sees one snapshot across its turns and returns the same rows as an
 * uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv, type SimEnv } from '../../src/env/sim-env.ts';
import type { Env } from '../../src/env/index.ts';
import { Interrupts, PENDING } from '../../src/exec/interrupts.ts';
import type { TableDef } from '../../src/catalog/objects.ts';

/** A SimEnv whose monotonic clock moves 1 ms forward each time it is read. */
function tickingEnv(): { env: Env; sim: SimEnv; reads: () => number } {
  const sim = createSimEnv({ seed: 7 });
  let reads = 0;
  const clock = {
    nowMs: () => sim.clock.nowMs(),
    nowMicros: () => sim.clock.nowMicros(),
    monotonicMs: () => { reads++; sim.clock.micros += 1000; return sim.clock.monotonicMs(); },
  };
  return { env: { ...sim, clock }, sim, reads: () => reads };
}

function sqlState(code: string, message?: string) {
  return (e: unknown) => {
    const err = e as { code?: string; message?: string };
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  };
}

/** Settles `p` while firing the SimEnv's due timers (nextTurn is a 0 ms timer there). */
async function drive<T>(sim: SimEnv, p: Promise<T>, stepMs = 0): Promise<T> {
  let done = false;
  const out = p.finally(() => { done = true; });
  out.catch(() => undefined);
  for (let i = 0; i < 100_000 && !done; i++) {
    sim.timers.advance(stepMs);
    await new Promise((r) => setImmediate(r));
  }
  return out;
}

test('Interrupts: countdown polling, deadline, cancel, slices and noYield', () => {
  const { env } = tickingEnv();
  const ix = new Interrupts(env.clock);
  ix.beginStatement(0, false);
  for (let i = 0; i < 5000; i++) ix.tick(); // no deadline, no slice: never throws
  ix.beginStatement(10, false);
  assert.throws(() => { for (let i = 0; i < 100_000; i++) ix.tick(); },
    sqlState('57014', 'canceling statement due to statement timeout'));
  ix.endStatement();
  ix.sliceMs = 5;
  ix.beginStatement(0, true);
  let polls = 0;
  while (!ix.poll()) polls++;
  assert.ok(polls >= 3 && polls <= 6, `slice reached after ${polls} polls`);
  ix.noYield++;
  assert.equal(ix.takeYield(), false, 'no yield inside executeAll');
  ix.noYield--;
  assert.equal(ix.takeYield(), true);
  assert.equal(ix.takeYield(), false, 'a leaf yields once per slice');
  ix.interrupt('cancel');
  assert.throws(() => ix.poll(), sqlState('57014', 'canceling statement due to user request'));
  ix.endStatement();
  ix.beginStatement(0, false);
  ix.poll(); // a cancel does not outlive its statement
  ix.interrupt('terminate');
  ix.endStatement();
  ix.beginStatement(0, false);
  assert.throws(() => ix.poll(), sqlState('57P01'));
  assert.equal(PENDING.length, 0);
});

test('statement_timeout stops scans, joins, sorts, aggregates and recursive CTEs', async () => {
  const { env } = tickingEnv();
  const db = await Oxibase.open('memory://', { env });
  try {
    await db.exec('create table t as select g as id, g % 10 as k from generate_series(1, 20000) g');
    await db.exec("set statement_timeout = '20ms'");
    const long = [
      'select count(*) from generate_series(1, 100000000)',
      'select count(*) from t a, t b where a.k = b.id',
      'select count(*) from t a join t b on a.k = b.k',
      'select * from t a, t b order by a.id limit 1',
      'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r',
    ];
    for (const q of long) {
      await assert.rejects(db.query(q), sqlState('57014', 'canceling statement due to statement timeout'), q);
    }
    // The session is usable and short statements are unaffected.
    assert.equal((await db.query('select count(*)::int as n from t')).rows[0]!.n, 20000);
    await db.exec('set statement_timeout = 0');
    assert.equal((await db.query('select count(*)::int as n from generate_series(1, 100000)')).rows[0]!.n, 100000);
  } finally {
    await db.close();
  }
});

test('pg_sleep waits on the Env timers; statement_timeout and pg_cancel_backend end it', async () => {
  const sim = createSimEnv({ seed: 3 });
  const db = await Oxibase.open('memory://', { env: sim });
  try {
    const t0 = sim.clock.monotonicMs();
    const r = await drive(sim, db.query('select pg_sleep(2.5) as s'), 100);
    assert.equal(r.rows[0]!.s, '');
    assert.ok(sim.clock.monotonicMs() - t0 >= 2500);
    await db.exec("set statement_timeout = '1s'");
    const t1 = sim.clock.monotonicMs();
    await assert.rejects(drive(sim, db.query("select pg_sleep_for('1 hour')"), 100), sqlState('57014', 'canceling statement due to statement timeout'));
    assert.ok(sim.clock.monotonicMs() - t1 < 1500);
    await db.exec('set statement_timeout = 0');
    // An embedded session can cancel itself: the sleep ends with 57014 "user request".
    await assert.rejects(drive(sim, db.query('select pg_sleep(60) from (select pg_cancel_backend(pg_backend_pid())) s'), 100),
      sqlState('57014', 'canceling statement due to user request'));
    const act = await db.query('select pid, usename, state from pg_stat_activity');
    assert.equal(act.rows.length, 1);
    assert.equal(act.rows[0]!.pid, (await db.query('select pg_backend_pid() as p')).rows[0]!.p);
  } finally {
    await db.close();
  }
});

test('a query run in time slices yields, keeps its snapshot, and returns the uninterrupted result', async () => {
  const { env, sim, reads } = tickingEnv();
  const db = await Oxibase.open('memory://', { env });
  try {
    await db.exec('create table t as select g as id, g % 7 as k from generate_series(1, 50000) g');
    const expected = (await db.query('select k, count(*)::int as n, sum(id)::int8 as s from t where id % 3 <> 0 group by k order by k')).rows;
    // The load packed its rows (storage/packed-chunk.ts): the query starts in them, and the
    // writer's DELETE below unpacks them under it, so the query goes on in slots by row id.
    const store = (db.engine.catalog.getRelation('public', 't') as TableDef).store;
    assert.equal(store.packedRows, 49152);
    const reader = db.engine.newSession();
    reader.interrupts.sliceMs = 2;
    let turns = 0;
    const timers = env.timers;
    const counting = { ...timers, nextTurn: (cb: () => void) => { turns++; return timers.nextTurn(cb); } };
    (db.engine as unknown as { env: Env }).env = { ...env, timers: counting };
    const writer = db.engine.newSession();
    const readsBefore = reads();
    const running = reader.execute('select k, count(*)::int as n, sum(id)::int8 as s from t where id % 3 <> 0 group by k order by k');
    // While the query is between turns another session changes the table; the query must not see it.
    let finished = false;
    let wrote = false;
    const settled = running.finally(() => { finished = true; });
    for (let i = 0; i < 10_000 && !finished; i++) {
      if (turns > 0 && !wrote) {
        wrote = true;
        await writer.execute('delete from t where id <= 10000');
        assert.equal(store.packedRows, 0);
        await writer.execute('insert into t select g, 0 from generate_series(60001, 61000) g');
        await writer.execute('update t set k = k + 1 where id > 40000');
        // Garbage collection must keep every version the suspended query's snapshot sees.
        await writer.execute('vacuum t');
      }
      sim.timers.advance(0);
      await new Promise((r) => setImmediate(r));
    }
    const [result] = await settled;
    assert.ok(turns > 1, `the query yielded ${turns} times`);
    assert.ok(wrote, 'the writer ran while the query was suspended');
    assert.equal((await writer.execute('select count(*)::int from t'))[0]!.rows![0]![0], 41000);
    assert.ok(reads() > readsBefore);
    assert.deepEqual(result!.rows!.map((r) => ({ k: r[0], n: r[1], s: r[2] })), expected.map((r) => ({ k: r.k, n: r.n, s: r.s })));
  } finally {
    await db.close();
  }
});
