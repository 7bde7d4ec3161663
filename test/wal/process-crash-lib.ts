/** The kill-and-verify loop shared by process-crash.test.ts and scripts/crash-long.ts. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Oxibase } from '../../src/api/database.ts';
import { prng, verifyRecovered, type TxnKind } from './helpers.ts';

const CHILD = new URL('./fixtures/crash-child.ts', import.meta.url).pathname;

export interface CrashSummary {
  readonly kills: number;
  readonly acked: number;
  readonly verifyMsTotal: number;
}

function runChild(dir: string, seed: number, first: number, killAfterMs: number, acked: Map<number, TxnKind>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(seed), String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY' && timer === null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const m = /^ACK (\d+) (\w+)$/.exec(line);
        if (m) acked.set(Number(m[1]), m[2] as TxnKind);
      }
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

export async function runCrashLoop(options: { kills: number; seed: number; log?: (s: string) => void }): Promise<CrashSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-crash-'));
  const rnd = prng(options.seed);
  const acked = new Map<number, TxnKind>();
  let verifyMsTotal = 0;
  try {
    for (let k = 0; k < options.kills; k++) {
      const killAfterMs = 5 + Math.floor(rnd() * 250);
      await runChild(dir, options.seed + k, (k + 1) * 1_000_000, killAfterMs, acked);
      const t0 = performance.now();
      const db = await Oxibase.open(dir, { checkpointEveryBytes: 64 * 1024, segmentBytes: 32 * 1024 });
      try {
        await verifyRecovered(db, acked, `kill ${k + 1} (after ${killAfterMs} ms)`);
      } finally {
        // Leave the WAL for the next child to replay half the time (exercise both paths).
        (db.engine.durability as unknown as { options: { checkpointOnClose: boolean } }).options.checkpointOnClose = k % 2 === 0;
        await db.close();
      }
      verifyMsTotal += performance.now() - t0;
      options.log?.(`kill ${k + 1}: ${acked.size} acknowledged commits verified`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { kills: options.kills, acked: acked.size, verifyMsTotal };
}
