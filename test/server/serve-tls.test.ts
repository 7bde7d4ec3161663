/**
 * `oxibase serve` as a process: TLS (a self-signed certificate made with openssl; psql with
 * sslmode=require and node-postgres with ssl), 'N' to SSLRequest without a certificate, the
 * reserved --http-port flag, and a clean shutdown on SIGTERM / SIGINT (clients get FATAL 57P01,
 * open transactions roll back, the process exits 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { commandExists, run, skipUnless } from './tools.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const hasOpenssl = commandExists('openssl', ['version']);
const hasPsql = commandExists('psql');
/** The bootstrap superuser's password (serve requires SCRAM by default). */
const PASSWORD = 'tls-test-secret';
const AUTH_ENV = { PGPASSWORD: PASSWORD };

interface Served {
  readonly proc: ChildProcess;
  readonly port: number;
  stderr(): string;
  exit: Promise<number>;
}

async function serve(args: string[]): Promise<Served> {
  const proc = spawn(process.execPath, [main, 'serve', '--pg-port', '0', ...args], {
    cwd: root, env: { ...process.env, OXIBASE_PASSWORD: PASSWORD },
  });
  let err = '';
  const exit = new Promise<number>((resolve) => proc.on('close', (code) => resolve(code ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on [^:]+:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    void exit.then((code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { proc, port, stderr: () => err, exit };
}

function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { cert, key };
}

test('TLS: psql sslmode=require and node-postgres ssl over a self-signed certificate', {
  skip: skipUnless(hasOpenssl, 'openssl') || skipUnless(hasPsql, 'psql'),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-tls-'));
  const { cert, key } = selfSignedCert(dir);
  const s = await serve(['--db', 'memory://', '--tls-cert', cert, '--tls-key', key, '--http-port', '8089']);
  try {
    assert.match(s.stderr(), /TLS available/);
    const p = await run('psql', ['-X', '-At', `host=127.0.0.1 port=${s.port} user=oxibase dbname=oxibase sslmode=require`,
      '-c', 'select 40 + 2', '-c', '\\conninfo'], { env: AUTH_ENV });
    assert.equal(p.code, 0, p.err);
    assert.match(p.out, /^42\n/);
    assert.match(p.out, /SSL connection \(protocol: TLSv1\.[23]/);
    // Printed after the "listening" line serve() waited for; certainly there by now.
    assert.match(s.stderr(), /--http-port 8089 is reserved/);
    const c = new pg.Client({ host: '127.0.0.1', port: s.port, user: 'oxibase', password: PASSWORD, database: 'oxibase', ssl: { rejectUnauthorized: false } });
    await c.connect();
    try {
      assert.equal((await c.query('select $1::int + 1 as n', [41])).rows[0].n, 42);
      await c.query('create table t(id int primary key, v text)');
      await c.query('insert into t select g, repeat(\'x\', 100) from generate_series(1, 2000) g');
      // A large result crosses many TLS records.
      assert.equal((await c.query('select * from t')).rowCount, 2000);
    } finally {
      await c.end();
    }
    // Plain connections still work when TLS is available (sslmode=disable).
    const plain = await run('psql', ['-X', '-At', `host=127.0.0.1 port=${s.port} user=oxibase dbname=oxibase sslmode=disable`, '-c', 'select 1'], { env: AUTH_ENV });
    assert.equal(plain.out, '1\n', plain.err);
  } finally {
    s.proc.kill('SIGTERM');
    assert.equal(await s.exit, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TLS: server.crt / server.key in the data directory are picked up', {
  skip: skipUnless(hasOpenssl, 'openssl') || skipUnless(hasPsql, 'psql'),
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-tls-dir-'));
  selfSignedCert(dir);
  const s = await serve(['--db', dir]);
  try {
    const p = await run('psql', ['-X', '-At', `host=127.0.0.1 port=${s.port} user=oxibase dbname=oxibase sslmode=require`, '-c', 'select 7'], { env: AUTH_ENV });
    assert.equal(p.out, '7\n', p.err);
  } finally {
    s.proc.kill('SIGINT');
    assert.equal(await s.exit, 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a certificate SSLRequest is refused (N); SIGTERM shuts down cleanly', { skip: skipUnless(hasPsql, 'psql') }, async () => {
  const s = await serve(['--db', 'memory://']);
  let exited = false;
  try {
    const p = await run('psql', ['-X', '-At', `host=127.0.0.1 port=${s.port} user=oxibase dbname=oxibase sslmode=require`, '-c', 'select 1'], { env: AUTH_ENV });
    assert.notEqual(p.code, 0);
    assert.match(p.err, /server does not support SSL/);
    const prefer = await run('psql', ['-X', '-At', `host=127.0.0.1 port=${s.port} user=oxibase dbname=oxibase sslmode=prefer`, '-c', 'select 1'], { env: AUTH_ENV });
    assert.equal(prefer.out, '1\n', prefer.err);

    const c = new pg.Client({ host: '127.0.0.1', port: s.port, user: 'oxibase', password: PASSWORD, database: 'oxibase' });
    const errors: pg.DatabaseError[] = [];
    c.on('error', (e) => errors.push(e as pg.DatabaseError));
    await c.connect();
    await c.query('begin');
    await c.query('select 1');
    s.proc.kill('SIGTERM');
    assert.equal(await s.exit, 0);
    exited = true;
    assert.match(s.stderr(), /SIGTERM received, shutting down/);
    assert.match(s.stderr(), /stopped/);
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(errors[0]?.code, '57P01');
    await c.end().catch(() => undefined);
  } finally {
    if (!exited) s.proc.kill('SIGKILL');
  }
});
