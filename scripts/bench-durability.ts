/**
 * Durability measurements (numbers go in docs/durability.md):
 *  - single-row autocommit insert throughput, 1 and 16 concurrent sessions, sync modes full/normal;
 *  - batched inserts (1,000 rows per transaction), full/normal;
 *  - recovery time for a WAL of 1M rows (no checkpoint) and from a checkpoint of 1M rows;
 *  - the longest checkpoint pause while writers run.
 * Usage: node scripts/bench-durability.ts [rows=1000000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Oxibase } from '../src/api/database.ts';
import type { DurableStore } from '../src/engine/durable.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const quiet = { env: undefined };
void quiet;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'oxibase-bench-'));
}

async function autocommit(mode: 'full' | 'normal', sessions: number, seconds: number): Promise<string> {
  const dir = tmp();
  const db = await Oxibase.open(dir, { syncMode: mode });
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: sessions }, async (_, s) => {
    const q = db.session();
    let k = 0;
    while (performance.now() < end) {
      await q.query('INSERT INTO t VALUES ($1, $2)', [s * 10_000_000 + k++, 'x']);
      n++;
    }
  }));
  const store = db.engine.durability as DurableStore;
  const fsyncs = store.writer.fsyncCount;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return `autocommit ${mode.padEnd(6)} sessions=${String(sessions).padStart(2)}: ${(n / seconds).toFixed(0).padStart(7)} commits/s (${fsyncs} fsyncs, ${(n / Math.max(1, fsyncs)).toFixed(1)} commits/fsync)`;
}

async function batched(mode: 'full' | 'normal', rows: number): Promise<string> {
  const dir = tmp();
  const db = await Oxibase.open(dir, { syncMode: mode });
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
  const t0 = performance.now();
  for (let b = 0; b < rows; b += 1000) {
    await db.transaction(async (tx) => {
      for (let i = b; i < b + 1000; i++) await tx.query('INSERT INTO t VALUES ($1, $2)', [i, 'row']);
    });
  }
  const s = (performance.now() - t0) / 1000;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return `batched    ${mode.padEnd(6)} 1000 rows/txn: ${(rows / s).toFixed(0).padStart(7)} rows/s`;
}

async function recovery(rows: number): Promise<string[]> {
  const dir = tmp();
  let db = await Oxibase.open(dir, { syncMode: 'off', checkpointEveryBytes: 1e12 });
  await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text, n int)');
  const t0 = performance.now();
  for (let b = 0; b < rows; b += 10_000) {
    await db.query(`INSERT INTO t SELECT g, 'row ' || g, g % 97 FROM generate_series(${b}, ${b + 9999}) g`);
  }
  const loadS = (performance.now() - t0) / 1000;
  (db.engine.durability as unknown as { options: { checkpointOnClose: boolean } }).options.checkpointOnClose = false;
  await db.close();
  let t1 = performance.now();
  db = await Oxibase.open(dir);
  const walMs = performance.now() - t1;
  const count = (await db.query<{ c: number }>('SELECT count(*)::int AS c FROM t')).rows[0]!.c;
  // Checkpoint pause while a writer runs.
  let stop = false;
  let writes = 0;
  const writer = (async () => {
    const s = db.session();
    let k = rows;
    while (!stop) { await s.query('INSERT INTO t VALUES ($1, $2, 0)', [k++, 'w']); writes++; }
  })();
  const tc = performance.now();
  await db.query('CHECKPOINT');
  const ckptMs = performance.now() - tc;
  stop = true;
  await writer;
  const store = db.engine.durability as DurableStore;
  const pause = store.longestCheckpointPauseMs;
  await db.close();
  t1 = performance.now();
  db = await Oxibase.open(dir);
  const ckMs = performance.now() - t1;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    `load ${rows} rows (10k-row transactions, sync off): ${loadS.toFixed(1)} s`,
    `recovery from WAL only, ${count} rows: ${walMs.toFixed(0)} ms`,
    `checkpoint of ${count} rows with a concurrent writer: ${ckptMs.toFixed(0)} ms total, longest writer pause ${pause.toFixed(1)} ms, ${writes} concurrent commits meanwhile`,
    `recovery from checkpoint, ${count}+ rows: ${ckMs.toFixed(0)} ms`,
  ];
}

const out: string[] = [];
for (const mode of (process.env["ONLY_NORMAL"] ? ["normal"] : ["full", "normal"]) as ("full" | "normal")[]) {
  out.push(await autocommit(mode, 1, 3));
  out.push(await autocommit(mode, 16, 3));
  out.push(await batched(mode, 100_000));
}
out.push(...await recovery(ROWS));
for (const line of out) process.stdout.write(line + '\n');
