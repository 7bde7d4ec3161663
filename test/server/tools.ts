/**
 * Helpers for tests that drive external clients (psql, pgbench, psycopg2, JDBC, openssl): running
 * a command, and deciding whether a missing tool skips a test. In CI (OXIBASE_DIFF_REQUIRE_PG set)
 * a missing tool is a failure, not a skip, so client coverage cannot silently disappear.
 */
import { spawn, spawnSync } from 'node:child_process';

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export function commandExists(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

/**
 * The `skip` option of a test needing `what`: false when available; the reason when not (and not
 * in CI). In CI a missing tool throws when the file loads, failing the run loudly.
 */
export function skipUnless(available: boolean, what: string): false | string {
  if (available) return false;
  if (process.env.OXIBASE_DIFF_REQUIRE_PG) {
    throw new Error(`${what} is required (OXIBASE_DIFF_REQUIRE_PG is set) but not installed; see .ci/run`);
  }
  return `${what} not installed`;
}

/** Runs a command with PG* variables pointing at the server on `port`. */
export function run(cmd: string, args: string[], opts: { port?: number; input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, ...opts.env };
    if (opts.port !== undefined) {
      Object.assign(env, { PGHOST: '127.0.0.1', PGPORT: String(opts.port), PGUSER: 'oxibase', PGDATABASE: 'oxibase', PGCONNECT_TIMEOUT: '5' });
    }
    const p = spawn(cmd, args, { env, cwd: opts.cwd });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, out, err }); });
    p.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, out, err: err + String(e) }); });
    if (opts.input !== undefined) p.stdin.end(opts.input);
    else p.stdin.end();
  });
}
