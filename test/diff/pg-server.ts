/**
 * Throwaway PostgreSQL 15 cluster for the differential tests.
 *
 * `startPgServer()` creates a cluster in a fresh temp dir (initdb with trust auth, no fsync, C
 * locale, UTF8 — done once and then copied from a cached pristine template),
 * starts the server on a free loopback port with its socket in the same temp dir, waits until it
 * accepts connections and returns a connected `pg.Client` plus `stop()` (stops the server and
 * removes the dir). When running as root, the dir is chowned to and the binaries run as the
 * `postgres` OS user (`runuser -u postgres --`), since PostgreSQL refuses to run as root.
 *
 * `pgUnavailableReason()` says why no server can be started (binaries missing, no postgres user),
 * so suites can skip with a clear reason instead of silently passing.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian/Ubuntu's `postgresql-15` package puts the server binaries (override: PG_BIN). */
export const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface PgServer {
  /** A client connected to the `postgres` database as superuser `postgres`. */
  readonly client: pg.Client;
  readonly port: number;
  readonly host: string;
  /** Connects another client to database `database`. */
  connect(database: string): Promise<pg.Client>;
  /** Closes the client, stops the server and removes the cluster directory. */
  stop(): Promise<void>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

interface PgUser { uid: number; gid: number }

function postgresUser(): PgUser | null {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Null when a server can be started, else a human-readable reason to skip. */
export function pgUnavailableReason(): string | null {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) {
      return `PostgreSQL 15 server binaries not found (${join(PG_BIN, bin)} is missing; ` +
        `install with: apt-get install -y postgresql-15, or set PG_BIN)`;
    }
  }
  const version = spawnSync(join(PG_BIN, 'postgres'), ['--version'], { encoding: 'utf8' });
  if (version.status !== 0 || !/\b15\./.test(version.stdout)) {
    return `${join(PG_BIN, 'postgres')} is not PostgreSQL 15: ${version.stdout.trim() || version.stderr.trim()}`;
  }
  if (isRoot && postgresUser() === null) return 'running as root but there is no `postgres` OS user to run the server as';
  if (isRoot && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser') && !existsSync('/usr/bin/runuser')) {
    return 'running as root but `runuser` is not available';
  }
  return null;
}

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function runPg(bin: string, args: string[]): { status: number | null; out: string } {
  const exe = join(PG_BIN, bin);
  const r = isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args], { encoding: 'utf8' })
    : spawnSync(exe, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Connection options shared by every client: raw text for every type, fixed session settings. */
function clientConfig(host: string, port: number, database: string): pg.ClientConfig {
  return {
    host, port, database, user: 'postgres',
    // Every value comes back as PostgreSQL's own text output.
    types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig,
    options: '-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=1 -c lc_messages=C',
  };
}

const INITDB_ARGS = ['-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C', '-U', 'postgres'];

/**
 * initdb is the slowest part of a start (~1 s), so one pristine cluster per user and binary dir
 * is kept in the temp dir (created atomically by rename) and copied for every server.
 */
function copyTemplate(dataDir: string): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const key = PG_BIN.replace(/[^A-Za-z0-9]/g, '_');
  const template = join(tmpdir(), `oxibase-pg-template-${uid}-${key}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const staging = mkdtempSync(join(tmpdir(), 'oxibase-pg-initdb-'));
    if (isRoot) {
      const user = postgresUser()!;
      chownSync(staging, user.uid, user.gid);
    }
    const init = runPg('initdb', ['-D', join(staging, 'data'), ...INITDB_ARGS]);
    if (init.status !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`initdb failed:\n${init.out}`);
    }
    try {
      renameSync(join(staging, 'data'), template);
    } catch {
      // Another process won the race; its template is as good as ours.
    }
    rmSync(staging, { recursive: true, force: true });
  }
  const cp = spawnSync('cp', ['-a', template, dataDir], { encoding: 'utf8' });
  if (cp.status !== 0) {
    // A damaged template: fall back to a private initdb.
    rmSync(dataDir, { recursive: true, force: true });
    const init = runPg('initdb', ['-D', dataDir, ...INITDB_ARGS]);
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.out}`);
  }
}

/** Starts a fresh cluster; throws with the server log when it cannot. */
export async function startPgServer(): Promise<PgServer> {
  const reason = pgUnavailableReason();
  if (reason !== null) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-pg-'));
  const dataDir = join(dir, 'data');
  const sockDir = join(dir, 'sock');
  const logFile = join(dir, 'server.log');
  mkdirSync(sockDir);
  if (isRoot) {
    const user = postgresUser()!;
    chownSync(dir, user.uid, user.gid);
    chownSync(sockDir, user.uid, user.gid);
  }
  const cleanupDir = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    copyTemplate(dataDir);
  } catch (e) {
    cleanupDir();
    throw e;
  }
  const port = await freePort();
  const host = '127.0.0.1';
  const serverOpts = [
    `-p ${port}`, `-k ${sockDir}`, `-c listen_addresses=${host}`, '-c fsync=off', '-c synchronous_commit=off',
    '-c full_page_writes=off', '-c TimeZone=UTC', '-c max_connections=20', '-c shared_buffers=32MB',
  ].join(' ');
  const start = runPg('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOpts, 'start']);
  let stopped = false;
  const stopServer = (): void => {
    if (stopped) return;
    stopped = true;
    runPg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    cleanupDir();
  };
  if (start.status !== 0) {
    let log = '';
    try { log = readFileSync(logFile, 'utf8'); } catch { /* no log */ }
    stopServer();
    throw new Error(`pg_ctl start failed:\n${start.out}\n${log}`);
  }
  // Never leave a server behind, even when the test process dies on an assertion.
  process.once('exit', stopServer);

  const connect = async (database: string): Promise<pg.Client> => {
    const c = new pg.Client(clientConfig(host, port, database));
    await c.connect();
    return c;
  };
  let client: pg.Client | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      client = await connect('postgres');
      break;
    } catch (e) {
      if (attempt >= 50) {
        stopServer();
        throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const main = client;
  return {
    client: main, port, host, connect,
    async stop(): Promise<void> {
      try { await main.end(); } catch { /* already closed */ }
      stopServer();
    },
  };
}
