/**
 * psql's describe commands (\d, \d+, \df) and pgbench -i against the server: their catalog
 * queries exercise the pg_catalog emulation, reg* types and catalog functions end to end.
 * Skipped when the binaries are not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startServer } from './helpers.ts';

const hasPsql = spawnSync('psql', ['--version']).status === 0;
const hasPgbench = spawnSync('pgbench', ['--version']).status === 0;

function run(cmd: string, args: string[], port: number): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'oxibase', PGDATABASE: 'oxibase', PGCONNECT_TIMEOUT: '5' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

const SCHEMA = `create table p(id int primary key, name text unique);
  create table t(id int primary key, a int not null default 5, b varchar(20) unique,
    c numeric(10,2) check (c > 0), pid int references p(id));
  create index t_a_idx on t(a);
  comment on table t is 'tbl';
  comment on column t.a is 'col a';
  create table r(x int references t(id))`;

test('psql \\d and \\d+ describe a table with every constraint kind', { skip: !hasPsql && 'psql not installed' }, async () => {
  const r = await startServer();
  try {
    await r.db.exec(SCHEMA);
    const d = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', '\\d t'], r.port);
    assert.equal(d.code, 0, d.err);
    assert.equal(d.err, '');
    const expected = [
      '                        Table "public.t"',
      ' Column |         Type          | Collation | Nullable | Default ',
      '--------+-----------------------+-----------+----------+---------',
      ' id     | integer               |           | not null | ',
      ' a      | integer               |           | not null | 5',
      ' b      | character varying(20) |           |          | ',
      ' c      | numeric(10,2)         |           |          | ',
      ' pid    | integer               |           |          | ',
      'Indexes:',
      '    "t_pkey" PRIMARY KEY, btree (id)',
      '    "t_a_idx" btree (a)',
      '    "t_b_key" UNIQUE CONSTRAINT, btree (b)',
      'Check constraints:',
      '    "t_c_check" CHECK (c > 0)',
      'Foreign-key constraints:',
      '    "t_pid_fkey" FOREIGN KEY (pid) REFERENCES p(id)',
      'Referenced by:',
      '    TABLE "r" CONSTRAINT "r_x_fkey" FOREIGN KEY (x) REFERENCES t(id)',
      '',
      '',
    ].join('\n');
    assert.equal(d.out, expected);
    const plus = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', '\\d+ t'], r.port);
    assert.equal(plus.code, 0, plus.err);
    assert.match(plus.out, /\n a {6}\| integer {15}\| {11}\| not null \| 5 {7}\| plain {4}\| {13}\| {14}\| col a\n/);
    assert.match(plus.out, /Referenced by:\n {4}TABLE "r" CONSTRAINT "r_x_fkey"/);
    assert.match(plus.out, /Access method: heap\n/);
  } finally {
    await r.stop();
  }
});

test('psql \\df lists registry functions with result and argument types', { skip: !hasPsql && 'psql not installed' }, async () => {
  const r = await startServer();
  try {
    const f = await run('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-c', '\\df upper|concat'], r.port);
    assert.equal(f.code, 0, f.err);
    assert.match(f.out, /pg_catalog \| concat +\| text +\| VARIADIC "any" +\| func/);
    assert.match(f.out, /pg_catalog \| upper +\| text +\| text +\| func/);
  } finally {
    await r.stop();
  }
});

test('pgbench -i initializes (CREATE TABLE ... WITH (fillfactor=...))', { skip: !hasPgbench && 'pgbench not installed' }, async () => {
  const r = await startServer();
  try {
    const init = await run('pgbench', ['-i', '-s', '1', '-q'], r.port);
    assert.equal(init.code, 0, init.err);
    const n = await r.db.query('select count(*) as n from pgbench_accounts');
    assert.deepEqual(n.rows, [{ n: 100000 }]);
  } finally {
    await r.stop();
  }
});
