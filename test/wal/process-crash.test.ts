/**
 * Crash test with real processes: a child runs a write workload on a temp directory and prints
 * each acknowledged commit; the parent SIGKILLs it at a seeded random moment, reopens the
 * directory (taking over the stale lock), and verifies every acknowledged commit, atomicity and
 * integrity. OXIBASE_CRASH_KILLS sets the number of kills (scripts/crash-long.ts runs 1,000).
 */
import { test } from 'node:test';
import { runCrashLoop } from './process-crash-lib.ts';

const KILLS = Number(process.env['OXIBASE_CRASH_KILLS'] ?? 30);

test(`real-process crash test: ${KILLS} SIGKILLs`, { timeout: 180_000 }, async () => {
  const summary = await runCrashLoop({ kills: KILLS, seed: 4242 });
  if (summary.acked === 0) throw new Error('the child never acknowledged a commit');
});
