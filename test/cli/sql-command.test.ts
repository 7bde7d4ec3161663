import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { parseCliArgs, type SqlCommandOptions } from '../../src/cli/args.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { createBufferOutput } from '../../src/cli/output.ts';
import { runSqlCommand, type SqlCommandDeps } from '../../src/cli/sql-command.ts';
import { FakeSession } from './fake-session.ts';

function options(argv: string[]): SqlCommandOptions {
  const cmd = parseCliArgs(['sql', ...argv]);
  if (cmd.kind !== 'sql') throw new Error(`not a sql command: ${JSON.stringify(cmd)}`);
  return cmd.options;
}

function deps(overrides: Partial<SqlCommandDeps> & { stdin?: string } = {}) {
  const session = new FakeSession();
  const output = createBufferOutput();
  const opened: string[] = [];
  let closed = false;
  const d: SqlCommandDeps = {
    env: createSimEnv({ seed: 1 }),
    output,
    openDatabase: async (dsn) => {
      opened.push(dsn);
      return { session: () => session, close: async () => { closed = true; } };
    },
    readFile: async (path) => {
      if (path === '-') return overrides.stdin ?? '';
      throw new Error('No such file or directory');
    },
    stdinIsTTY: false,
    shell: { input: new PassThrough(), output: new PassThrough(), terminal: false, history: null },
    version: '9.9.9',
    ...overrides,
  };
  return { d, session, output, opened, isClosed: () => closed };
}

test('-c runs and exits 0; the database and session are closed', async () => {
  const t = deps();
  assert.equal(await runSqlCommand(options(['-c', 'select 1']), t.d), 0);
  assert.deepEqual(t.opened, ['memory://']);
  assert.match(t.output.stdout, /\(1 row\)/);
  assert.ok(t.session.closed && t.isClosed());
});

test('exit status 1 at the first error; later commands do not run', async () => {
  const t = deps();
  assert.equal(await runSqlCommand(options(['-c', 'FAIL', '-c', 'select 1']), t.d), 1);
  assert.deepEqual(t.session.sent, ['FAIL']);
  assert.match(t.output.stderr, /^ERROR: {2}42601: /);
});

test('--db is passed through as is', async () => {
  const t = deps();
  await runSqlCommand(options(['--db', '/var/lib/oxibase', '-c', 'select 1']), t.d);
  await runSqlCommand(options(['--db', 'file:///data/x', '-c', 'select 1']), t.d);
  assert.deepEqual(t.opened, ['/var/lib/oxibase', 'file:///data/x']);
});

test('a database that cannot be opened exits 2', async () => {
  const t = deps({ openDatabase: async () => { throw new Error('unsupported DSN'); } });
  assert.equal(await runSqlCommand(options(['--db', 'bogus://', '-c', 'select 1']), t.d), 2);
  assert.equal(t.output.stderr, 'oxibase: error: could not open database "bogus://"\nERROR:  XX000: internal error: unsupported DSN\n');
});

test('stdin that is not a TTY runs as a script, errors prefixed <stdin>', async () => {
  const t = deps({ stdin: 'select 1;\n\nFAIL;\nselect 1;\n' });
  assert.equal(await runSqlCommand(options([]), t.d), 1);
  assert.deepEqual(t.session.sent, ['select 1', 'FAIL']);
  assert.match(t.output.stderr, /^oxibase:<stdin>:3: ERROR: {2}42601/);
});

test('--single-transaction wraps the stdin script too', async () => {
  const t = deps({ stdin: 'create table a();\n' });
  assert.equal(await runSqlCommand(options(['-1']), t.d), 0);
  assert.deepEqual(t.session.sent, ['BEGIN', 'create table a()', 'COMMIT']);
});

test('a TTY without -c/-f starts the shell', async () => {
  const input = new PassThrough();
  const out = new PassThrough();
  let transcript = '';
  out.on('data', (c: Buffer) => { transcript += c.toString(); });
  const t = deps({ stdinIsTTY: true, shell: { input, output: out, terminal: false, history: null } });
  const done = runSqlCommand(options([]), t.d);
  input.end('select 1;\n');
  assert.equal(await done, 0);
  assert.match(transcript, /^oxibase 9\.9\.9 \(memory:\/\/\)\nType "\\\?" for help, "\\q" to quit\.\n\noxibase=> /);
  assert.deepEqual(t.session.sent, ['select 1']);
});
