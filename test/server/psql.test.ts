/**
 * psql and pgbench (Debian postgresql-client) against the server. Skipped when the binaries are
 * not installed. Plain SQL, COPY and error reporting are checked here (the \d family is in
 * psql-describe.test.ts); pgbench runs its built-in scripts against tables created here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer } from './helpers.ts';
import { skipUnless } from './tools.ts';

const hasPsql = spawnSync('psql', ['--version']).status === 0;
const hasPgbench = spawnSync('pgbench', ['--version']).status === 0;

function run(cmd: string, args: string[], port: number, input?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'oxibase', PGDATABASE: 'oxibase', PGCONNECT_TIMEOUT: '5' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}

test('psql: statements, COPY, errors with position', { skip: skipUnless(hasPsql, 'psql') }, async () => {
  const r = await startServer();
  try {
    const a = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-At',
      '-c', 'create table t(id int primary key, v text)',
      '-c', "insert into t values (1, 'a'), (2, 'b')",
      '-c', 'select id, v from t order by id'], r.port);
    assert.equal(a.code, 0, a.err);
    assert.equal(a.out, 'CREATE TABLE\nINSERT 0 2\n1|a\n2|b\n');
    const c = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-At', '-f', '-'], r.port,
      "copy t from stdin;\n3\tc\n4\t\\N\n\\.\nselect count(*), count(v) from t;\n\\copy t to stdout with (format csv)\n");
    assert.equal(c.code, 0, c.err);
    assert.equal(c.out, 'COPY 2\n4|3\n1,a\n2,b\n3,c\n4,\n');
    const e = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', 'select nosuch from t'], r.port);
    assert.equal(e.code, 1);
    assert.match(e.err, /ERROR: {2}column "nosuch" does not exist\nLINE 1: select nosuch from t\n {15}\^/);
  } finally {
    await r.stop();
  }
});

test('pgbench: -i -s 1, then the built-in scripts in simple, extended and prepared modes', { skip: skipUnless(hasPgbench, 'pgbench') }, async () => {
  const r = await startServer();
  try {
    // The full default initialization: drop, create (with fillfactor), client-side COPY of
    // 100,000 accounts, vacuum, primary keys.
    const init = await run('pgbench', ['-i', '-s', '1'], r.port);
    assert.equal(init.code, 0, init.err);
    assert.match(init.err, /100000 of 100000 tuples \(100%\) done/);
    assert.equal((await r.db.query('select count(*)::int as n from pgbench_accounts')).rows[0]!.n, 100000);
    for (const mode of ['simple', 'extended', 'prepared']) {
      for (const script of ['tpcb-like', 'simple-update', 'select-only']) {
        const b = await run('pgbench', ['-n', '-M', mode, '-b', script, '-c', '2', '-t', '20'], r.port);
        assert.equal(b.code, 0, `${mode} ${script}: ${b.err}`);
        assert.match(b.out, /number of transactions actually processed: 40\/40/);
      }
    }
  } finally {
    await r.stop();
  }
});
