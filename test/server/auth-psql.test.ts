/**
 * psql against authenticated connections: PGPASSWORD over SCRAM-SHA-256, a wrong password, and
 * the role / privilege describe commands \du and \dp (their catalog queries read pg_roles,
 * pg_auth_members and relacl). Skipped when psql is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { Oxibase } from '../../src/index.ts';
import { PgServer } from '../../src/server/pg/index.ts';

const hasPsql = spawnSync('psql', ['--version']).status === 0;

function psql(port: number, user: string, password: string, command: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', command], {
      env: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: 'oxibase', PGCONNECT_TIMEOUT: '5' },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

test('psql: SCRAM login with PGPASSWORD, wrong password, \\du and \\dp', { skip: !hasPsql && 'psql not installed' }, async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`ALTER ROLE oxibase PASSWORD 'root-pw'; CREATE ROLE alice LOGIN PASSWORD 'a-pw' CREATEDB; CREATE ROLE team NOLOGIN;
    GRANT team TO alice; CREATE TABLE t (id int, secret text); GRANT SELECT ON t TO team; GRANT UPDATE (secret) ON t TO alice`);
  const server = new PgServer(db, { hba: 'host all all all scram-sha-256', loginDelay: { baseMs: 1, maxMs: 2 } });
  const { port } = await server.listen('127.0.0.1', 0);
  try {
    const who = await psql(port, 'alice', 'a-pw', 'SELECT current_user');
    assert.equal(who.code, 0, who.err);
    assert.match(who.out, /alice/);
    const bad = await psql(port, 'alice', 'nope', 'SELECT 1');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /password authentication failed for user "alice"/);
    const du = await psql(port, 'oxibase', 'root-pw', '\\du');
    assert.equal(du.code, 0, du.err);
    assert.match(du.out, /alice\s+\| Create DB\s+\| \{team\}/);
    assert.match(du.out, /oxibase\s+\| Superuser, Create role, Create DB, Replication, Bypass RLS/);
    assert.match(du.out, /team\s+\| Cannot login/);
    const dp = await psql(port, 'oxibase', 'root-pw', '\\dp t');
    assert.equal(dp.code, 0, dp.err);
    assert.match(dp.out, /oxibase=arwdDxt\/oxibase/);
    assert.match(dp.out, /team=r\/oxibase/);
    assert.match(dp.out, /\| secret: +\+\|/);
    assert.match(dp.out, /\|   alice=w\/oxibase \|/);
  } finally {
    await server.close();
    await db.close();
  }
});
