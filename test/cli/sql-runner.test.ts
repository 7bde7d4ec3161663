import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimEnv } from '../../src/env/index.ts';
import { DbError } from '../../src/errors/index.ts';
import { createBufferOutput, defaultSettings, type ShellSettings } from '../../src/cli/output.ts';
import { formatTiming, Runner } from '../../src/cli/sql-runner.ts';
import {
  defaultHandler, FakeSession, field, rowsResult, tagResult, type Handler,
} from './fake-session.ts';

function setup(handler: Handler = defaultHandler, settings: Partial<ShellSettings> = {}, files: Record<string, string> = {}) {
  const env = createSimEnv({ seed: 1 });
  const session = new FakeSession(handler);
  const output = createBufferOutput();
  const runner = new Runner({
    session, env, output, settings: defaultSettings(settings),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error('No such file or directory');
      return text;
    },
  });
  return { env, session, output, runner };
}

const people: Handler = (sql, s) => {
  if (sql.startsWith('select')) {
    return rowsResult([field('id', 23, 'integer'), field('name')], [{ id: 1, name: 'ann' }, { id: 2, name: null }]);
  }
  if (sql.startsWith('insert') && sql.includes('returning')) {
    return { ...rowsResult([field('id', 23, 'integer')], [{ id: 3 }], 'INSERT'), commandTag: 'INSERT 0 1' };
  }
  if (sql.startsWith('insert')) return tagResult('INSERT', 'INSERT 0 1', 1);
  if (sql.startsWith('do')) {
    return tagResult('DO', 'DO', 0, [{ severity: 'NOTICE', code: '00000', message: 'hello', hint: 'be nice' }]);
  }
  return defaultHandler(sql, s);
};

test('rows as a psql table, command tags for the rest', async () => {
  const { runner, output } = setup(people);
  assert.equal(await runner.runScript('create table t (id int); insert into t values (1); select * from t;', null), 'ok');
  assert.equal(output.stdout, 'CREATE\nINSERT 0 1\n id | name \n----+------\n  1 | ann\n  2 | \n(2 rows)\n\n');
});

test('RETURNING prints the rows and then the tag', async () => {
  const { runner, output } = setup(people);
  await runner.runStatement('insert into t values (3) returning id');
  assert.equal(output.stdout, ' id \n----\n  3\n(1 row)\n\nINSERT 0 1\n');
});

test('notices go to stderr as NOTICE:  ...', async () => {
  const { runner, output } = setup(people);
  await runner.runStatement('do $$ begin raise notice $$hello$$; end $$');
  assert.equal(output.stderr, 'NOTICE:  hello\nHINT:  be nice\n');
  assert.equal(output.stdout, 'DO\n');
});

test('csv and json formats print only data', async () => {
  const csv = setup(people, { format: 'csv' });
  await csv.runner.runScript('insert into t values (1); select * from t', null);
  assert.equal(csv.output.stdout, 'id,name\r\n1,ann\r\n2,\r\n');
  const json = setup(people, { format: 'json' });
  await json.runner.runScript('select * from t', null);
  assert.deepEqual(JSON.parse(json.output.stdout), [{ id: 1, name: 'ann' }, { id: 2, name: null }]);
});

test('quiet drops tags; echo prints each statement first', async () => {
  const q = setup(people, { quiet: true });
  await q.runner.runScript('insert into t values (1)', null);
  assert.equal(q.output.stdout, '');
  const e = setup(people, { echo: true });
  await e.runner.runScript('insert into t values (1);', null);
  assert.equal(e.output.stdout, 'insert into t values (1);\nINSERT 0 1\n');
});

test('timing uses the environment clock', async () => {
  const { runner, output, env } = setup((sql, s) => { env.timers.advance(1.5); return defaultHandler(sql, s); }, { timing: true });
  await runner.runStatement('select 1');
  assert.match(output.stdout, /\(1 row\)\n\nTime: 1\.500 ms\n$/);
});

test('formatTiming adds psql\'s clock form from one second on', () => {
  assert.equal(formatTiming(0.25), 'Time: 0.250 ms');
  assert.equal(formatTiming(1234.5678), 'Time: 1234.568 ms (00:01.235)');
  assert.equal(formatTiming(3_723_000), 'Time: 3723000.000 ms (01:02:03.000)');
  assert.equal(formatTiming(90_000_000), 'Time: 90000000.000 ms (1 d 01:00:00.000)');
});

test('a script stops at the first error, with file:line and the caret', async () => {
  const { runner, output, session } = setup(defaultHandler, {}, { 'setup.sql': 'begin;\n\nFAIL now;\nselect 1;\n' });
  assert.equal(await runner.runFile('setup.sql'), 'error');
  assert.deepEqual(session.sent, ['begin', 'FAIL now']);
  assert.equal(output.stderr, [
    'oxibase:setup.sql:3: ERROR:  42601: syntax error at or near "FAIL"',
    'LINE 1: FAIL now',
    '        ^',
    '',
  ].join('\n'));
});

test('missing files are reported', async () => {
  const { runner, output } = setup();
  assert.equal(await runner.runFile('nope.sql'), 'error');
  assert.equal(output.stderr, 'oxibase: error: nope.sql: No such file or directory\n');
});

test('\\i runs a file in place; self-inclusion stops at the depth limit', async () => {
  const { runner, session, output } = setup(defaultHandler, {}, { 'a.sql': 'create table a();\n', 'loop.sql': '\\i loop.sql\n' });
  assert.equal(await runner.runScript('\\i a.sql\nselect 1;', null), 'ok');
  assert.deepEqual(session.sent, ['create table a()', 'select 1']);
  assert.equal(await runner.runScript('\\i loop.sql', null), 'error');
  assert.match(output.stderr, /nested too deeply/);
});

test('\\q ends a script early', async () => {
  const { runner, session } = setup();
  assert.equal(await runner.runScript('select 1;\n\\q\nselect 2;', null), 'quit');
  assert.deepEqual(session.sent, ['select 1']);
});

test('\\g sends the pending statement exactly once', async () => {
  const { runner, session } = setup();
  await runner.runScript('select 1 \\g\nselect 2;', null);
  assert.deepEqual(session.sent, ['select 1', 'select 2']);
});

test('batch: -c and -f in order; single transaction commits or rolls back silently', async () => {
  const ok = setup(defaultHandler, {}, { 'b.sql': 'create table b();' });
  assert.equal(await ok.runner.runBatch([{ kind: 'command', text: 'create table a()' }, { kind: 'file', path: 'b.sql' }], true), 'ok');
  assert.deepEqual(ok.session.sent, ['BEGIN', 'create table a()', 'create table b()', 'COMMIT']);
  assert.equal(ok.output.stdout, 'CREATE\nCREATE\n');

  const bad = setup();
  assert.equal(await bad.runner.runBatch([{ kind: 'command', text: 'FAIL' }, { kind: 'command', text: 'select 1' }], true), 'error');
  assert.deepEqual(bad.session.sent, ['BEGIN', 'FAIL', 'ROLLBACK']);
});

test('a meta-command given to -c runs as such', async () => {
  const { runner, output } = setup();
  await runner.runBatch([{ kind: 'command', text: '\\echo hi' }], false);
  assert.equal(output.stdout, 'hi\n');
});

test('errors without a position and internal failures both print', async () => {
  const { runner, output } = setup(() => { throw new DbError('division_by_zero', 'division by zero'); });
  assert.equal(await runner.runStatement('select 1/0'), false);
  assert.equal(output.stderr, 'ERROR:  22012: division by zero\n');
  const bug = setup(() => { throw new TypeError('oops'); });
  await bug.runner.runStatement('select 1');
  assert.equal(bug.output.stderr, 'ERROR:  XX000: internal error: oops\n');
});
