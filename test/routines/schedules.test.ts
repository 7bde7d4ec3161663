/**
 * CREATE / ALTER / DROP SCHEDULE on the simulated clock: runs at matching minutes in their own
 * transaction, recorded in pg_catalog.oxibase_schedule_runs (failures too); disabled schedules do
 * not run; bad cron expressions are 22023; cron matching rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv, type SimEnv } from '../../src/env/sim-env.ts';
import { cronMatches, parseCron } from '../../src/routines/cron.ts';
import { fails } from '../engine/helpers.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 100; i++) await Promise.resolve();
}

/** Advances the simulated clock minute by minute, letting each minute's runs finish. */
async function minutes(env: SimEnv, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    env.timers.advance(60_000);
    await flush();
  }
}

test('a schedule runs its CALL at matching minutes; runs are recorded; ALTER / DROP', async () => {
  // 2026-01-01 00:00:30 UTC.
  const env = createSimEnv({ seed: 3, startMs: Date.UTC(2026, 0, 1, 0, 0, 30) });
  const db = await Oxibase.open('memory://', { env });
  await db.exec(`
    CREATE TABLE ticks (at timestamptz);
    CREATE PROCEDURE tick() LANGUAGE sql AS $$INSERT INTO ticks VALUES (now())$$;
    CREATE SCHEDULE every_two CRON '*/2 * * * *' CALL tick();
  `);
  await minutes(env, 6);
  const times = (await db.query("SELECT to_char(at, 'HH24:MI') AS t FROM ticks ORDER BY at")).rows.map((r) => r['t']);
  assert.deepEqual(times, ['00:02', '00:04', '00:06']);
  const runs = await db.query("SELECT schedule, status, to_char(scheduled_for, 'HH24:MI') AS due FROM oxibase_schedule_runs ORDER BY scheduled_for");
  assert.deepEqual(runs.rows, [
    { schedule: 'every_two', status: 'succeeded', due: '00:02' },
    { schedule: 'every_two', status: 'succeeded', due: '00:04' },
    { schedule: 'every_two', status: 'succeeded', due: '00:06' },
  ]);
  await db.query('ALTER SCHEDULE every_two DISABLE');
  await minutes(env, 4);
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM ticks')).rows, [{ n: 3 }]);
  await db.query("ALTER SCHEDULE every_two CRON '* * * * *'");
  await db.query('ALTER SCHEDULE every_two ENABLE');
  await minutes(env, 2);
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM ticks')).rows, [{ n: 5 }]);
  assert.deepEqual((await db.query('SELECT name, cron, call, enabled FROM oxibase_schedules')).rows,
    [{ name: 'every_two', cron: '* * * * *', call: 'tick()', enabled: true }]);
  await db.query('DROP SCHEDULE every_two');
  await minutes(env, 2);
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM ticks')).rows, [{ n: 5 }]);
  await fails(db.query('DROP SCHEDULE every_two'), '42704', 'schedule "every_two" does not exist');
  await db.close();
});

test('a failing scheduled call is recorded and rolled back; errors at CREATE', async () => {
  const env = createSimEnv({ seed: 4, startMs: Date.UTC(2026, 0, 1, 0, 0, 0) });
  const db = await Oxibase.open('memory://', { env });
  await db.exec(`
    CREATE TABLE t (id int PRIMARY KEY);
    CREATE PROCEDURE dup() LANGUAGE sql AS $$INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)$$;
    CREATE SCHEDULE bad CRON '@hourly' CALL dup();
  `);
  await minutes(env, 61);
  const runs = await db.query('SELECT status, message FROM oxibase_schedule_runs');
  assert.deepEqual(runs.rows, [{ status: 'failed', message: 'duplicate key value violates unique constraint "t_pkey"' }]);
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM t')).rows, [{ n: 0 }]);
  await fails(db.query("CREATE SCHEDULE x CRON '61 * * * *' CALL dup()"), '22023', /out of range 0-59/);
  await fails(db.query("CREATE SCHEDULE x CRON '* * *' CALL dup()"), '22023', /expected 5 fields/);
  await fails(db.query("CREATE SCHEDULE bad CRON '* * * * *' CALL dup()"), '42710', 'schedule "bad" already exists');
  await db.close();
});

test('cron matching: lists, ranges, steps, names, both day fields', () => {
  const at = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo - 1, d, h, mi);
  const weekdays9to5 = parseCron('0 9-17 * * mon-fri');
  assert.equal(cronMatches(weekdays9to5, at(2026, 1, 5, 9, 0)), true); // Monday
  assert.equal(cronMatches(weekdays9to5, at(2026, 1, 4, 9, 0)), false); // Sunday
  assert.equal(cronMatches(weekdays9to5, at(2026, 1, 5, 18, 0)), false);
  const firstOrFriday = parseCron('30 12 1 * 5');
  assert.equal(cronMatches(firstOrFriday, at(2026, 1, 1, 12, 30)), true); // the 1st (a Thursday)
  assert.equal(cronMatches(firstOrFriday, at(2026, 1, 2, 12, 30)), true); // a Friday
  assert.equal(cronMatches(firstOrFriday, at(2026, 1, 3, 12, 30)), false);
  const lists = parseCron('5,10-20/5 * * jan,jul 0');
  assert.deepEqual([...lists.minutes].sort((a, b) => a - b), [5, 10, 15, 20]);
  assert.deepEqual([...parseCron('0 0 * * 7').weekdays], [0]);
  assert.equal(cronMatches(parseCron('@daily'), at(2026, 3, 3, 0, 0)), true);
});
