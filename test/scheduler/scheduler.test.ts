import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/api/database.ts';
import { createSimEnv, type SimEnv } from '../../src/env/sim-env.ts';
import { DbError } from '../../src/errors/index.ts';

const START = Date.UTC(2026, 0, 1, 0, 0, 0);

/** Lets the jobs a timer started finish (they only await promises in a memory database). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function advance(env: SimEnv, ms: number): Promise<void> {
  // Minute by minute, settling in between, as a real clock would let each job run.
  for (let t = 0; t < ms; t += 60_000) {
    env.timers.advance(Math.min(60_000, ms - t));
    await settle();
  }
}

async function runs(db: Oxibase): Promise<Record<string, unknown>[]> {
  return (await db.query(`SELECT schedule, status, sqlstate, scheduled_at::text AS at FROM oxibase.schedule_runs ORDER BY run_id`)).rows;
}

async function setup(): Promise<{ env: SimEnv; db: Oxibase }> {
  const env = createSimEnv({ seed: 7, startMs: START });
  const db = await Oxibase.open('memory://', { env });
  await db.exec(`SET TimeZone = 'UTC'`);
  await db.exec(`CREATE TABLE ticks (at timestamptz)`);
  await db.exec(`CREATE PROCEDURE tick() LANGUAGE sql AS $$ INSERT INTO ticks VALUES (now()) $$`);
  return { env, db };
}

test('a schedule fires at its cron times on the environment clock and records each run', async () => {
  const { env, db } = await setup();
  await db.exec(`CREATE SCHEDULE every_minute CRON '* * * * *' TIME ZONE 'UTC' CALL tick()`);
  await advance(env, 59_000);
  assert.equal((await db.query('SELECT count(*)::int AS n FROM ticks')).rows[0]!['n'], 0, 'nothing before the first minute');
  await advance(env, 1_000);
  await advance(env, 3 * 60_000);
  const ticks = (await db.query(`SELECT at::text AS at FROM ticks ORDER BY at`)).rows.map((r) => r['at']);
  assert.deepEqual(ticks, ['2026-01-01 00:01:00+00', '2026-01-01 00:02:00+00', '2026-01-01 00:03:00+00', '2026-01-01 00:04:00+00']);
  const r = await runs(db);
  assert.equal(r.length, 4);
  assert.deepEqual(r[0], { schedule: 'every_minute', status: 'succeeded', sqlstate: null, at: '2026-01-01 00:01:00+00' });
  await db.close();
});

test('DISABLE stops firings, ENABLE resumes them, DROP removes the schedule', async () => {
  const { env, db } = await setup();
  await db.exec(`CREATE SCHEDULE s CRON '*/2 * * * *' CALL tick()`);
  await advance(env, 2 * 60_000);
  await db.exec(`ALTER SCHEDULE s DISABLE`);
  await advance(env, 10 * 60_000);
  assert.equal((await runs(db)).length, 1);
  await db.exec(`ALTER SCHEDULE s ENABLE`);
  await advance(env, 2 * 60_000);
  assert.equal((await runs(db)).length, 2);
  await db.exec(`DROP SCHEDULE s`);
  await advance(env, 10 * 60_000);
  assert.equal((await runs(db)).length, 2);
  await db.close();
});

test('a failing job is recorded with its SQLSTATE and does not stop the scheduler', async () => {
  const { env, db } = await setup();
  await db.exec(`CREATE SCHEDULE broken CRON '* * * * *' CALL no_such_procedure()`);
  await db.exec(`CREATE SCHEDULE fine CRON '* * * * *' CALL tick()`);
  await advance(env, 2 * 60_000);
  const r = await runs(db);
  const broken = r.filter((x) => x['schedule'] === 'broken');
  assert.equal(broken.length, 2);
  assert.equal(broken[0]!['status'], 'failed');
  assert.equal(broken[0]!['sqlstate'], '42883');
  assert.equal(r.filter((x) => x['schedule'] === 'fine' && x['status'] === 'succeeded').length, 2);
  await db.close();
});

test('schedule DDL is transactional and validated when it runs', async () => {
  const { env, db } = await setup();
  await db.exec('BEGIN');
  await db.exec(`CREATE SCHEDULE later CRON '* * * * *' CALL tick()`);
  await db.exec('ROLLBACK');
  await advance(env, 3 * 60_000);
  assert.equal((await db.query('SELECT count(*)::int AS n FROM pg_catalog.oxibase_schedules')).rows[0]!['n'], 0);
  await assert.rejects(db.exec(`CREATE SCHEDULE bad CRON '* * *' CALL tick()`),
    (e: DbError) => e.code === '22023' && /expected 5 or 6 fields/.test(e.message) && e.position === 1);
  await assert.rejects(db.exec(`CREATE SCHEDULE bad CRON '* * * * *' TIME ZONE 'Mars/Olympus' CALL tick()`),
    (e: DbError) => e.code === '22023' && /time zone "Mars\/Olympus" not recognized/.test(e.message));
  await db.exec(`CREATE SCHEDULE s CRON '0 9 * * mon-fri' TIME ZONE 'America/New_York' CALL tick()`);
  await assert.rejects(db.exec(`CREATE SCHEDULE s CRON '* * * * *' CALL tick()`), (e: DbError) => e.code === '42710');
  await db.exec(`CREATE SCHEDULE IF NOT EXISTS s CRON '* * * * *' CALL tick()`);
  await assert.rejects(db.exec(`DROP SCHEDULE nope`), (e: DbError) => e.code === '42704');
  await db.exec(`DROP SCHEDULE IF EXISTS nope`);
  const row = (await db.query(`SELECT cron, time_zone, command, next_run::text AS next FROM pg_catalog.oxibase_schedules`)).rows[0];
  // 2026-01-01 is a Thursday: 09:00 New York (UTC-5) is 14:00 UTC.
  assert.deepEqual(row, { cron: '0 9 * * mon-fri', time_zone: 'America/New_York', command: 'CALL tick()', next: '2026-01-01 14:00:00+00' });
  await db.exec(`ALTER SCHEDULE s RENAME TO weekdays`);
  await db.exec(`ALTER SCHEDULE weekdays CRON '@hourly'`);
  await db.exec(`ALTER SCHEDULE weekdays CALL tick()`);
  const names = (await db.query(`SELECT name, cron FROM pg_catalog.oxibase_schedules`)).rows;
  assert.deepEqual(names, [{ name: 'weekdays', cron: '@hourly' }]);
  await db.close();
});

test('schedules survive a restart of a file database', async () => {
  const env = createSimEnv({ seed: 3, startMs: START });
  const db = await Oxibase.open('/db', { env });
  await db.exec(`CREATE TABLE ticks (at timestamptz)`);
  await db.exec(`CREATE PROCEDURE tick() LANGUAGE sql AS $$ INSERT INTO ticks VALUES (now()) $$`);
  await db.exec(`CREATE SCHEDULE hourly CRON '@hourly' CALL tick()`);
  await db.close();
  const again = await Oxibase.open('/db', { env });
  assert.equal((await again.query(`SELECT name FROM pg_catalog.oxibase_schedules`)).rows[0]!['name'], 'hourly');
  await advance(env, 60 * 60_000);
  assert.equal((await again.query('SELECT count(*)::int AS n FROM ticks')).rows[0]!['n'], 1);
  await again.close();
});
