import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DSN, parseCliArgs } from '../../src/cli/args.ts';

test('no command, help and version', () => {
  assert.deepEqual(parseCliArgs([]), { kind: 'help', topic: 'main' });
  assert.deepEqual(parseCliArgs(['--help']), { kind: 'help', topic: 'main' });
  assert.deepEqual(parseCliArgs(['help', 'sql']), { kind: 'help', topic: 'sql' });
  assert.deepEqual(parseCliArgs(['sql', '--help']), { kind: 'help', topic: 'sql' });
  assert.deepEqual(parseCliArgs(['--version']), { kind: 'version' });
  assert.deepEqual(parseCliArgs(['serve', '--pg-port', '5432']),
    { kind: 'serve', options: { dsn: 'oxibase-data', host: '127.0.0.1', pgPort: 5432, httpPort: null, tlsCert: null, tlsKey: null } });
  assert.deepEqual(parseCliArgs(['serve', '--http-port', '8080', '--tls-cert', 'c.pem', '--tls-key', 'k.pem']),
    { kind: 'serve', options: { dsn: 'oxibase-data', host: '127.0.0.1', pgPort: 5432, httpPort: 8080, tlsCert: 'c.pem', tlsKey: 'k.pem' } });
  assert.equal(parseCliArgs(['serve', '--tls-cert', 'c.pem']).kind, 'usage-error');
  assert.equal(parseCliArgs(['serve', '--http-port', '99999']).kind, 'usage-error');
  assert.equal(parseCliArgs(['serve', '--pg-port', 'x']).kind, 'usage-error');
});

test('sql defaults', () => {
  assert.deepEqual(parseCliArgs(['sql']), {
    kind: 'sql',
    options: { dsn: DEFAULT_DSN, actions: [], format: 'table', echo: false, singleTransaction: false, quiet: false },
  });
  assert.equal(DEFAULT_DSN, 'memory://');
});

test('-c and -f keep their command-line order', () => {
  const cmd = parseCliArgs(['sql', '-c', 'select 1', '--file', 'a.sql', '--command=select 2', '-f', '-']);
  assert.equal(cmd.kind, 'sql');
  assert.deepEqual(cmd.kind === 'sql' && cmd.options.actions, [
    { kind: 'command', text: 'select 1' }, { kind: 'file', path: 'a.sql' },
    { kind: 'command', text: 'select 2' }, { kind: 'file', path: '-' },
  ]);
});

test('all sql options, long and short', () => {
  const long = parseCliArgs(['sql', '--db', 'file:///tmp/x', '--format', 'csv', '--echo', '--single-transaction', '--quiet']);
  const short = parseCliArgs(['sql', '-d', 'file:///tmp/x', '--format=csv', '-e', '-1', '-q']);
  const expected = {
    kind: 'sql',
    options: { dsn: 'file:///tmp/x', actions: [], format: 'csv', echo: true, singleTransaction: true, quiet: true },
  };
  assert.deepEqual(long, expected);
  assert.deepEqual(short, expected);
  assert.equal(parseCliArgs(['sql', '--format', 'aligned']).kind === 'sql', true);
});

test('usage errors are reported, not thrown', () => {
  assert.equal(parseCliArgs(['frobnicate']).kind, 'usage-error');
  assert.equal(parseCliArgs(['sql', '--format', 'xml']).kind, 'usage-error');
  assert.equal(parseCliArgs(['sql', '--nope']).kind, 'usage-error');
  assert.equal(parseCliArgs(['sql', 'stray']).kind, 'usage-error');
  assert.equal(parseCliArgs(['sql', '-c']).kind, 'usage-error');
  assert.equal(parseCliArgs(['sql', '--db', '']).kind, 'usage-error');
});
