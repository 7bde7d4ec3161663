/**
 * End-to-end: the real `oxibase` command (src/cli/main.ts, run by this Node) against the real
 * engine. Skipped, with the reason shown, while the engine (src/index.ts) is not in the tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const engineMissing = existsSync(join(root, 'src/index.ts')) ? false : 'engine (src/index.ts) not present yet';

function oxibase(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd: root, input: input ?? '', encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, OXIBASE_HISTORY: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('help, version and usage errors need no engine', () => {
  const help = oxibase([]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /oxibase sql \[OPTIONS\]/);
  assert.match(oxibase(['--version']).stdout, /^oxibase \d+\.\d+\.\d+\n$/);
  const serve = oxibase(['serve', '--pg-port', 'x']);
  assert.equal(serve.status, 2);
  assert.match(serve.stderr, /--pg-port must be a port number/);
  const bad = oxibase(['sql', '--format', 'xml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format must be one of table, csv, json/);
});

test('on an old Node the launcher runs the build, and without one refuses clearly', { skip: process.platform === 'win32' }, () => {
  // Simulate an old Node by overriding process.versions before the launcher runs.
  const oldNode = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.1.0"})';
  // A launcher with no dist/ beside it (a copy in a temporary folder) must refuse with advice.
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-launcher-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'oxibase.js'), readFileSync(join(root, 'bin/oxibase.js')));
    const r = spawnSync(process.execPath, ['--import', oldNode, join(bin, 'oxibase.js'), '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs Node\.js 22\.18 or newer.*\n.*npx oxibase/s);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // With the compiled build present (npm install makes it), an old Node runs it.
  if (existsSync(join(root, 'dist/cli/main.js'))) {
    const r = spawnSync(process.execPath, ['--import', oldNode, join(root, 'bin/oxibase.js'), '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^oxibase /);
  }
});

test('the launcher runs the CLI', () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/oxibase.js'), '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^oxibase /);
});

test('-c prints a psql table', { skip: engineMissing }, () => {
  const r = oxibase(['sql', '-c', 'select 1 as x']);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, ' x \n---\n 1\n(1 row)\n\n');
  assert.equal(r.status, 0);
});

test('-c in order: tags for DDL/DML, rows for queries', { skip: engineMissing }, () => {
  const r = oxibase(['sql',
    '-c', 'create table t (id int primary key, name text)',
    '-c', "insert into t values (1, 'ann'), (2, null); update t set name = 'bo' where id = 2",
    '-c', 'select * from t order by id',
    '-c', 'delete from t where id = 1 returning id']);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, [
    'CREATE TABLE',
    'INSERT 0 2',
    'UPDATE 1',
    ' id | name ',
    '----+------',
    '  1 | ann',
    '  2 | bo',
    '(2 rows)',
    '',
    ' id ',
    '----',
    '  1',
    '(1 row)',
    '',
    'DELETE 1',
    '',
  ].join('\n'));
  assert.equal(r.status, 0);
});

test('a syntax error prints ERROR with SQLSTATE, LINE and caret, exit 1', { skip: engineMissing }, () => {
  const r = oxibase(['sql', '-c', 'select * FORM t', '-c', 'select 1']);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^ERROR: {2}42601: syntax error at or near "FORM"\nLINE 1: select \* FORM t\n {17}\^\n/);
});

test('stdin is a script: stops at the first error with <stdin>:line', { skip: engineMissing }, () => {
  const r = oxibase(['sql'], 'create table a (x int);\ninsert into a values (1);\n\nselect nope from a;\nselect 2;\n');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'CREATE TABLE\nINSERT 0 1\n');
  assert.match(r.stderr, /^oxibase:<stdin>:4: ERROR: {2}42703: column "nope" does not exist\nLINE 1: select nope from a\n {15}\^\n/);
});

test('csv and json formats', { skip: engineMissing }, () => {
  const csv = oxibase(['sql', '--format', 'csv', '-c', "select 1 as id, 'a,b' as v, null::text as n, true as ok"]);
  assert.equal(csv.stdout, 'id,v,n,ok\r\n1,"a,b",,t\r\n');
  const json = oxibase(['sql', '--format', 'json', '-c', "select 1 as id, 'x' as v, 9007199254740993::bigint as big, 1.50::numeric as price"]);
  assert.equal(json.stdout, '[\n{"id":1,"v":"x","big":9007199254740993,"price":1.50}\n]\n');
  assert.equal(json.status, 0);
});

test('-f with meta-commands: \\d describes a table', { skip: engineMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-cli-'));
  try {
    const file = join(dir, 'schema.sql');
    writeFileSync(file, [
      'create table teams (id int primary key);',
      'create table users (',
      '  id int primary key,',
      "  email text not null unique check (email <> ''),",
      '  team_id int references teams(id)',
      ');',
      '\\d users',
      '\\dt',
    ].join('\n'));
    const r = oxibase(['sql', '-q', '-f', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Table "public\.users"\n/);
    assert.match(r.stdout, / Column +\| +Type +\| Nullable \| Default \n/);
    assert.match(r.stdout, / id +\| integer +\| not null \| \n/);
    assert.match(r.stdout, /Indexes:\n {4}"users_pkey" PRIMARY KEY, btree \(id\)\n/);
    assert.match(r.stdout, /Check constraints:\n {4}"users_email_check" CHECK/);
    assert.match(r.stdout, /Foreign-key constraints:\n {4}"users_team_id_fkey" FOREIGN KEY \(team_id\) REFERENCES teams\(id\)/);
    assert.match(r.stdout, /List of relations\n/);
    assert.match(r.stdout, / public \| teams +\| table \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--single-transaction: BEGIN/COMMIT are silent; an error stops the run with status 1', { skip: engineMissing }, () => {
  const ok = oxibase(['sql', '-1', '-c', 'create table a (x int)', '-c', 'insert into a values (1)']);
  assert.equal(ok.stdout, 'CREATE TABLE\nINSERT 0 1\n');
  assert.equal(ok.status, 0);
  // (A memory database ends with the process; the ROLLBACK itself is checked in sql-runner.test.ts.)
  const bad = oxibase(['sql', '-1', '-c', 'create table a (x int)', '-c', 'select 1/0', '-c', 'select 2']);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, 'CREATE TABLE\n');
  assert.match(bad.stderr, /ERROR: {2}22012: division by zero/);
});

test('notices print on stderr; \\timing prints Time:', { skip: engineMissing }, () => {
  const r = oxibase(['sql', '-c', 'drop table if exists nope', '-c', '\\timing on', '-c', 'select 1 as x']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, 'NOTICE:  table "nope" does not exist, skipping\nTiming is on.\n');
  assert.match(r.stdout, /^DROP TABLE\n x \n---\n 1\n\(1 row\)\n\nTime: \d+\.\d{3} ms\n$/);
});

test('the shell over the real engine: prompts follow the transaction state', { skip: engineMissing }, async () => {
  const { Oxibase } = await import('../../src/index.ts');
  const { createNodeEnv } = await import('../../src/env/index.ts');
  const { defaultSettings } = await import('../../src/cli/output.ts');
  const { Runner } = await import('../../src/cli/sql-runner.ts');
  const { runShell } = await import('../../src/cli/shell.ts');
  const db = await Oxibase.open('memory://');
  const session = db.session();
  let transcript = '';
  const output = { out: (t: string) => { transcript += t; }, err: (t: string) => { transcript += t; } };
  const runner = new Runner({
    session, env: createNodeEnv(), output, settings: defaultSettings(),
    readFile: async () => { throw new Error('no files'); },
  });
  const input = new PassThrough();
  const out = new PassThrough();
  out.on('data', (c: Buffer) => { transcript += c.toString(); });
  const done = runShell({ runner, input, output: out, terminal: false, history: null, banner: '' });
  input.end(['begin;', 'select 1/0;', 'rollback;', 'select', '  42 as answer;', '\\q', ''].join('\n'));
  assert.equal(await done, 0);
  await session.close();
  await db.close();
  assert.equal(transcript, [
    'oxibase=> BEGIN',
    'oxibase=*> ERROR:  22012: division by zero',
    'oxibase=!> ROLLBACK',
    'oxibase=> oxibase->  answer ',
    '--------',
    '     42',
    '(1 row)',
    '',
    'oxibase=> ',
  ].join('\n'));
});
