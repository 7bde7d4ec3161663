import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultSettings, type Output } from '../../src/cli/output.ts';
import { fileHistory, runShell, type HistoryStore } from '../../src/cli/shell.ts';
import { Runner } from '../../src/cli/sql-runner.ts';
import { FakeSession } from './fake-session.ts';

/** Runs the shell over `lines` (non-terminal streams) and returns everything it printed. */
async function shell(lines: string[], history: HistoryStore | null = null) {
  const session = new FakeSession();
  let transcript = '';
  const output: Output = { out: (t) => { transcript += t; }, err: (t) => { transcript += t; } };
  const runner = new Runner({
    session, env: createSimEnv({ seed: 1 }), output, settings: defaultSettings(),
    readFile: async () => { throw new Error('no files'); },
  });
  const input = new PassThrough();
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => { transcript += chunk.toString(); });
  const done = runShell({ runner, input, output: out, terminal: false, history, banner: 'banner\n' });
  input.end(lines.map((l) => `${l}\n`).join(''));
  const status = await done;
  return { status, transcript, session };
}

test('prompts show continuation and transaction state', async () => {
  const { status, transcript, session } = await shell([
    'select', '1;', 'begin;', 'FAIL;', 'rollback;', "select 'a", "';",
  ]);
  assert.equal(status, 0);
  assert.deepEqual(session.sent, ['select\n1', 'begin', 'FAIL', 'rollback', "select 'a\n'"]);
  assert.equal(transcript, [
    'banner',
    'oxibase=> oxibase->  ?column? ',
    '----------',
    '        1',
    '(1 row)',
    '',
    'oxibase=> BEGIN',
    'oxibase=*> ERROR:  42601: syntax error at or near "FAIL"',
    'LINE 1: FAIL',
    '        ^',
    "oxibase=!> ROLLBACK",
    "oxibase=> oxibase'> SELECT",
    'oxibase=> ',
  ].join('\n'));
});

test('errors do not end the shell; \\q does', async () => {
  const { transcript, session } = await shell(['FAIL;', 'select 1;', '\\q', 'select 2;']);
  assert.deepEqual(session.sent, ['FAIL', 'select 1']);
  assert.match(transcript, /\(1 row\)\n\noxibase=> $/);
});

test('meta-commands work at the prompt and inside a statement', async () => {
  const { transcript, session } = await shell(['\\timing on', 'select', '\\p', '1;']);
  // The meta-command's line leaves only its line break in the statement.
  assert.deepEqual(session.sent, ['select\n\n1']);
  assert.match(transcript, /Timing is on\./);
  assert.match(transcript, /oxibase-> select\noxibase-> /);
  assert.match(transcript, /Time: \d+\.\d{3} ms/);
});

test('history is loaded and saved through the store, bounded', async () => {
  let saved: readonly string[] = [];
  const store: HistoryStore = { load: async () => ['old 1', 'old 2'], save: async (l) => { saved = l; } };
  await shell(['select 1;'], store);
  // Non-terminal input keeps no new history, but the loaded history is written back intact.
  assert.deepEqual(saved, ['old 1', 'old 2']);

  const env = createSimEnv({ seed: 2 });
  const file = fileHistory(env, '/h', 3);
  assert.deepEqual(await file.load(), []);
  await file.save(['a', 'b', 'c', 'd']);
  assert.equal(new TextDecoder().decode(await env.fs.readFile('/h')), 'b\nc\nd\n');
  assert.deepEqual(await file.load(), ['b', 'c', 'd']);
});
