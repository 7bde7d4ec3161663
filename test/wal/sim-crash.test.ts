/**
 * Simulated crashes over many seeds with the fault-injecting file system: a concurrent workload
 * runs, the machine "loses power" at a random moment (unsynced writes lost or torn, unsynced
 * renames/creations lost), and the recovered database must hold every acknowledged commit
 * (sync mode full), no partial transaction, and pass the integrity check. Some seeds fail an
 * fsync (the database must refuse writes afterwards), run in `normal` mode, or flip a bit in the
 * crashed image (recovery must either fail with XX001 or produce consistent data).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/api/database.ts';
import { createSimEnv, type SimEnv } from '../../src/env/sim-env.ts';
import { FaultFileSystem } from '../../src/env/fault-fs.ts';
import { DbError } from '../../src/errors/index.ts';
import { SCHEMA, pickKind, prng, runTxn, verifyRecovered, type TxnKind } from './helpers.ts';

const SEEDS = Number(process.env['OXIBASE_SIM_SEEDS'] ?? 200);

function pump(env: SimEnv): () => void {
  const h = setInterval(() => env.timers.advance(1), 0);
  return () => clearInterval(h);
}

type Variant = 'full' | 'fsync-fail' | 'normal' | 'bitflip';

function variantOf(seed: number): Variant {
  const m = seed % 10;
  return m === 7 ? 'fsync-fail' : m === 8 ? 'normal' : m === 9 ? 'bitflip' : 'full';
}

async function runSeed(seed: number): Promise<void> {
  const variant = variantOf(seed);
  const rnd = prng(seed * 7919 + 1);
  const ffs = new FaultFileSystem(seed);
  const env = createSimEnv({ seed, pid: 100, fs: ffs });
  const stop = pump(env);
  const label = `seed ${seed} (${variant})`;
  try {
    const db = await Oxibase.open('/data', {
      env, syncMode: variant === 'normal' ? 'normal' : 'full', syncIntervalMs: 5,
      segmentBytes: 1024 + Math.floor(rnd() * 4096), checkpointEveryBytes: 2048 + Math.floor(rnd() * 8192),
    });
    await db.exec(SCHEMA);
    if (variant === 'fsync-fail') ffs.failSyncAfter(3 + Math.floor(rnd() * 40));
    const acked = new Map<number, TxnKind>();
    let ioFailures = 0;
    let stopped = false;
    let next = 1;
    const worker = async (): Promise<void> => {
      const s = db.session();
      while (!stopped) {
        const i = next++;
        const kind = pickKind(rnd);
        try {
          await runTxn(s, i, kind, rnd);
          if (!stopped) acked.set(i, kind);
        } catch (e) {
          if (e instanceof DbError && e.code === '58030') ioFailures++;
          else if (!(e instanceof DbError && (e.code === '40001' || e.code === '40P01' || e.code === '25P02'))) throw e;
        }
        if (i % 17 === 0) await db.query('CHECKPOINT').catch(() => undefined);
        // Yield a macrotask: a failed database answers in microtasks only and would starve the
        // crash timer.
        await new Promise((r) => setImmediate(r));
      }
    };
    const workers = [worker(), worker(), worker()];
    const turns = 20 + Math.floor(rnd() * 400);
    for (let t = 0; t < turns; t++) await new Promise((r) => setImmediate(r));
    const crashed = ffs.crash();
    const ackedAtCrash = new Map(acked);
    if (process.env["OXIBASE_SIM_DEBUG"]) console.log(label, "acked", acked.size, "ioFailures", ioFailures);
    stopped = true;
    await Promise.allSettled(workers);
    if (variant === 'fsync-fail' && ioFailures > 0) {
      await assert.rejects(db.query('INSERT INTO audit VALUES (-5, 0)'), (e: DbError) => e.code === '58030',
        `${label}: a write after a failed fsync must be refused`);
    }
    const flipped = variant === 'bitflip' ? crashed.flipBit('/data/') : null;
    const env2 = createSimEnv({ seed, pid: 101, fs: crashed });
    const stop2 = pump(env2);
    try {
      let db2: Oxibase;
      try {
        db2 = await Oxibase.open('/data', { env: env2 });
      } catch (e) {
        if (flipped !== null && e instanceof DbError && e.code === 'XX001') return;
        throw e;
      }
      const mustHave = variant === 'full' || variant === 'fsync-fail' ? ackedAtCrash : new Map<number, TxnKind>();
      await verifyRecovered(db2, mustHave, label);
      await db2.close();
      // A second recovery of the closed database is clean too.
      const db3 = await Oxibase.open('/data', { env: env2 });
      await verifyRecovered(db3, mustHave, `${label} (reopened)`);
      await db3.close();
    } finally {
      stop2();
    }
  } finally {
    stop();
  }
}

test(`simulated crashes over ${SEEDS} seeds`, { timeout: 240_000 }, async () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    try {
      await runSeed(seed);
    } catch (e) {
      throw new Error(`seed ${seed} failed: ${(e as Error).message}`, { cause: e });
    }
  }
});
