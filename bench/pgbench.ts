/**
 * `node bench/pgbench.ts`: pgbench against PostgreSQL 15 and against Oxibase's wire server, one
 * after the other on the same machine, and the Oxibase/PostgreSQL throughput ratio per script.
 *
 * PostgreSQL: a fresh cluster (initdb in a temp dir, default settings — fsync and synchronous
 * commit on — listening on a free loopback port; run as the `postgres` OS user when we are root).
 * Oxibase: `oxibase serve --auth trust` (initdb's local default is trust too) in its own process
 * over a fresh data directory (durable commits), or
 * `--oxibase-db memory://`. Both get `pgbench -i -s SCALE`, then each script runs for --time
 * seconds with -c CLIENTS -j THREADS -M MODE. Results: stdout and bench/results/pgbench-<ts>.json.
 *
 * Options: --time 10 --clients 8 --threads 2 --mode prepared --scale 1 --rounds 3
 *          --scripts tpcb-like,select-only --oxibase-db DIR|memory:// --engines postgres,oxibase
 * Each script runs --rounds times per engine, alternating engines; the medians are compared.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

interface Target {
  readonly name: 'postgres' | 'oxibase';
  readonly port: number;
  readonly user: string;
  readonly database: string;
  stop(): Promise<void>;
}

interface RunResult {
  readonly script: string;
  readonly tps: number;
  readonly latencyMs: number;
  readonly transactions: number;
  readonly failed: number;
}

const { values } = parseArgs({
  options: {
    time: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    mode: { type: 'string', default: 'prepared' },
    scale: { type: 'string', default: '1' },
    scripts: { type: 'string', default: 'tpcb-like,select-only' },
    'oxibase-db': { type: 'string' },
    engines: { type: 'string', default: 'postgres,oxibase' },
    rounds: { type: 'string', default: '3' },
  },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

function pgUser(): { uid: number; gid: number } | null {
  const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout), gid: Number(g.stdout) } : null;
}

function runPg(bin: string, args: string[]): { status: number | null; out: string } {
  const exe = join(PG_BIN, bin);
  const r = isRoot ? spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], { encoding: 'utf8' }) : spawnSync(exe, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

async function startPostgres(): Promise<Target> {
  if (!existsSync(join(PG_BIN, 'postgres'))) throw new Error(`PostgreSQL 15 not found in ${PG_BIN} (apt-get install postgresql)`);
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-pgbench-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  if (isRoot) {
    const u = pgUser();
    if (u === null) throw new Error('running as root without a postgres OS user');
    chownSync(dir, u.uid, u.gid);
    chownSync(sock, u.uid, u.gid);
  }
  const init = runPg('initdb', ['-D', data, '-A', 'trust', '-E', 'UTF8', '--locale=C', '-U', 'postgres']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.out}`);
  const port = await freePort();
  const start = runPg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1`, 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.out}`);
  return {
    name: 'postgres', port, user: 'postgres', database: 'postgres',
    async stop() {
      runPg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startOxibase(dsnOption: string | undefined): Promise<Target> {
  const dir = dsnOption === undefined ? mkdtempSync(join(tmpdir(), 'oxibase-pgbench-ox-')) : null;
  const dsn = dsnOption ?? join(dir!, 'data');
  // Trust, like the PostgreSQL cluster initdb makes for local connections: both sides equal.
  const proc: ChildProcess = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'serve', '--db', dsn, '--pg-port', '0', '--auth', 'trust'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const port = await new Promise<number>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on [^:]+:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`oxibase serve exited (${code}): ${err}`)));
  });
  return {
    name: 'oxibase', port, user: 'oxibase', database: 'oxibase',
    async stop() {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await exited;
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgbench(t: Target, args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync('pgbench', ['-h', '127.0.0.1', '-p', String(t.port), '-U', t.user, ...args, t.database], {
    encoding: 'utf8', env: { ...process.env, PGCONNECT_TIMEOUT: '10' }, maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function parseRun(script: string, out: string): RunResult {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return {
    script,
    tps: num(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/) || 0,
  };
}

function initTarget(t: Target): number {
  const t0 = performance.now();
  const init = pgbench(t, ['-i', '-s', values.scale!, '-q']);
  if (init.status !== 0) throw new Error(`${t.name}: pgbench -i failed: ${init.err}`);
  const initSeconds = (performance.now() - t0) / 1000;
  process.stderr.write(`${t.name}: pgbench -i -s ${values.scale} in ${initSeconds.toFixed(1)} s\n`);
  return initSeconds;
}

/** CHECKPOINT first, so no run inherits the other server's (or its own) pending disk writes. */
function checkpoint(t: Target): void {
  const r = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(t.port), '-U', t.user, '-d', t.database, '-qc', 'CHECKPOINT'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${t.name}: CHECKPOINT failed: ${r.stderr}`);
}

function runScript(t: Target, script: string): RunResult {
  checkpoint(t);
  const r = pgbench(t, ['-n', '-b', script, '-M', values.mode!, '-c', values.clients!, '-j', values.threads!, '-T', values.time!]);
  if (r.status !== 0) throw new Error(`${t.name} ${script}: pgbench failed: ${r.err}`);
  const parsed = parseRun(script, r.out);
  process.stderr.write(`${t.name}: ${script}: ${parsed.tps.toFixed(0)} tps, ${parsed.latencyMs} ms average latency\n`);
  return parsed;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// Both servers are started and initialized first; then every script runs `rounds` times on each,
// the engines alternating (and swapping who goes first each round), so slow drifts of the machine
// (fsync latency on a shared disk varies by 2x over minutes) hit both alike. Medians are reported.
const scripts = values.scripts!.split(',');
const engines = values.engines!.split(',');
const rounds = Math.max(1, Number(values.rounds));
const targets: Target[] = [];
const results: Record<string, { initSeconds: number; runs: RunResult[] }> = {};
try {
  for (const engine of engines) {
    const t = engine === 'postgres' ? await startPostgres() : await startOxibase(values['oxibase-db']);
    targets.push(t);
    results[engine] = { initSeconds: initTarget(t), runs: [] };
  }
  for (let round = 0; round < rounds; round++) {
    for (const script of scripts) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) results[t.name]!.runs.push(runScript(t, script));
    }
  }
} finally {
  for (const t of targets) await t.stop();
}
const medianTps = (engine: string, script: string): number =>
  median((results[engine]?.runs ?? []).filter((r) => r.script === script).map((r) => r.tps));

const ratios: Record<string, number> = {};
console.log(`pgbench -s ${values.scale} -c ${values.clients} -j ${values.threads} -M ${values.mode} -T ${values.time}, median of ${rounds} alternating rounds`);
console.log(`${'script'.padEnd(16)}${engines.map((e) => `${e} tps`.padStart(16)).join('')}${'oxibase/postgres'.padStart(20)}`);
for (const s of scripts) {
  const tps = engines.map((e) => medianTps(e, s));
  const ratio = medianTps('oxibase', s) / medianTps('postgres', s);
  ratios[s] = ratio;
  console.log(`${s.padEnd(16)}${tps.map((v) => v.toFixed(0).padStart(16)).join('')}${(Number.isNaN(ratio) ? '-' : `${ratio.toFixed(2)}x`).padStart(20)}`);
}
const outDir = join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = join(outDir, `pgbench-${stamp}.json`);
writeFileSync(file, JSON.stringify({
  when: new Date().toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model, load: readLoad() },
  options: values, results, ratios,
}, null, 2));
console.log(`results: ${file}`);

function readLoad(): string | null {
  try { return readFileSync('/proc/loadavg', 'utf8').trim(); } catch { return null; }
}
