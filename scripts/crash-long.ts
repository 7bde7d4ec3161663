/**
 * The long real-process crash test: 1,000 SIGKILLs of a child running a write workload, each
 * followed by recovery and full verification (see test/wal/process-crash-lib.ts).
 * Usage: node scripts/crash-long.ts [kills=1000] [seed=1]
 */
import { runCrashLoop } from '../test/wal/process-crash-lib.ts';

const kills = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
const t0 = performance.now();
const summary = await runCrashLoop({
  kills, seed, log: (s) => { if (/^kill \d*00:/.test(s)) process.stdout.write(s + '\n'); },
});
const s = ((performance.now() - t0) / 1000).toFixed(1);
process.stdout.write(`crash-long: ${summary.kills} kills, ${summary.acked} acknowledged commits, all present; ` +
  `no partial transaction; integrity OK; ${s} s total, ${(summary.verifyMsTotal / summary.kills).toFixed(0)} ms per recovery+verify\n`);
