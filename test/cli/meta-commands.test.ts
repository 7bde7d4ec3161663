import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  indexMethodAndColumns, normalizeName, parseNamePattern,
} from '../../src/cli/describe.ts';
import { parseMetaCommand, runMetaCommand, type MetaHost } from '../../src/cli/meta-commands.ts';
import { createBufferOutput, defaultSettings } from '../../src/cli/output.ts';
import { FakeSession, relation } from './fake-session.ts';

function host(session = new FakeSession()) {
  const output = createBufferOutput();
  const settings = defaultSettings();
  const executed: string[] = [];
  const included: string[] = [];
  const h: MetaHost = {
    session, settings, output,
    executeSql: async (sql) => { executed.push(sql); return true; },
    includeFile: async (path) => { included.push(path); return 'ok'; },
  };
  return { h, output, settings, executed, included, session };
}

const users = relation({
  name: 'users',
  columns: [
    { name: 'id', type: 'integer', nullable: false, default: null, identity: 'always', generated: null },
    { name: 'email', type: 'text', nullable: false, default: null, identity: null, generated: null },
    { name: 'team_id', type: 'integer', nullable: true, default: null, identity: null, generated: null },
    { name: 'created', type: 'timestamp with time zone', nullable: true, default: 'now()', identity: null, generated: null },
  ],
  indexes: [
    { name: 'users_email_key', definition: 'CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email)', primary: false, unique: true },
    { name: 'users_pkey', definition: 'CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)', primary: true, unique: true },
    { name: 'users_team_idx', definition: 'CREATE INDEX users_team_idx ON public.users USING btree (team_id)', primary: false, unique: false },
  ],
  constraints: [
    { name: 'users_pkey', type: 'p', definition: 'PRIMARY KEY (id)' },
    { name: 'users_email_key', type: 'u', definition: 'UNIQUE (email)' },
    { name: 'users_email_check', type: 'c', definition: "CHECK (email <> ''::text)" },
    { name: 'users_team_id_fkey', type: 'f', definition: 'FOREIGN KEY (team_id) REFERENCES teams(id)' },
  ],
  referencedBy: [
    { table: 'orders', constraint: 'orders_user_id_fkey', definition: 'FOREIGN KEY (user_id) REFERENCES users(id)' },
  ],
});

const relations = [
  users,
  relation({ name: 'teams' }),
  relation({ name: 'active_users', kind: 'view', viewDefinition: 'SELECT id FROM users;' }),
  relation({ name: 'users_pkey', kind: 'index', columns: [{ name: 'id', type: 'integer', nullable: false, default: null, identity: null, generated: null }] }),
  relation({ name: 'users_team_idx', kind: 'index' }),
  relation({ name: 'order_seq', kind: 'sequence' }),
  relation({ schema: 'audit', name: 'log', owner: 'auditor' }),
];

test('meta-command arguments: quotes as psql', () => {
  assert.deepEqual(parseMetaCommand('\\d+   "My Table"'), { name: 'd+', args: ['"My Table"'], rest: '"My Table"' });
  assert.deepEqual(parseMetaCommand("\\i 'my file.sql' x").args, ['my file.sql', 'x']);
  assert.deepEqual(parseMetaCommand("\\echo 'it''s' ok").args, ["it's", 'ok']);
  assert.equal(parseMetaCommand('\\q').name, 'q');
});

test('name patterns and psql case folding', () => {
  const p = parseNamePattern('public.user*');
  assert.ok(p !== null && p.wildcard);
  assert.ok(p.name.test('users') && !p.name.test('teams') && p.schema?.test('public'));
  const q = parseNamePattern('"MyTab"');
  assert.ok(q !== null && !q.wildcard && q.name.test('MyTab') && !q.name.test('mytab'));
  assert.ok(parseNamePattern('Users')?.name.test('users'));
  assert.equal(normalizeName('Public."MyTab"'), 'public.MyTab');
  assert.equal(indexMethodAndColumns('CREATE INDEX i ON public.t USING btree (a, b)'), 'btree (a, b)');
});

test('\\d lists tables, views and sequences as psql does', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  assert.deepEqual(await runMetaCommand('\\d', '', h), { outcome: 'ok', discardPending: false });
  assert.equal(output.stdout, [
    '             List of relations',
    ' Schema |     Name     |   Type   |  Owner  ',
    '--------+--------------+----------+---------',
    ' audit  | log          | table    | auditor',
    ' public | active_users | view     | oxibase',
    ' public | order_seq    | sequence | oxibase',
    ' public | teams        | table    | oxibase',
    ' public | users        | table    | oxibase',
    '(5 rows)',
    '', '',
  ].join('\n'));
});

test('\\dt, \\dv, \\ds filter by kind and pattern; \\di shows the table', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  await runMetaCommand('\\dt t*', '', h);
  assert.match(output.stdout, / public \| teams \| table \| oxibase\n\(1 row\)/);
  await runMetaCommand('\\dv', '', h);
  assert.match(output.stdout, /active_users \| view/);
  await runMetaCommand('\\ds', '', h);
  assert.match(output.stdout, /order_seq \| sequence/);
  await runMetaCommand('\\di', '', h);
  assert.match(output.stdout, / Schema \|      Name      \| Type  \|  Owner  \| Table \n/);
  assert.match(output.stdout, / public \| users_team_idx \| index \| oxibase \| users\n/);
});

test('empty listings say so on stderr', async () => {
  const { h, output } = host();
  await runMetaCommand('\\dt', '', h);
  assert.equal(output.stderr, 'Did not find any tables.\n');
  await runMetaCommand('\\d', '', h);
  assert.equal(output.stderr, 'Did not find any tables.\nDid not find any relations.\n');
});

test('\\d TABLE: columns, indexes, checks, foreign keys, referenced by', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  assert.equal((await runMetaCommand('\\d users', '', h)).outcome, 'ok');
  assert.equal(output.stdout, [
    '                             Table "public.users"',
    ' Column  |           Type           | Nullable |           Default            ',
    '---------+--------------------------+----------+------------------------------',
    ' id      | integer                  | not null | generated always as identity',
    ' email   | text                     | not null | ',
    ' team_id | integer                  |          | ',
    ' created | timestamp with time zone |          | now()',
    'Indexes:',
    '    "users_pkey" PRIMARY KEY, btree (id)',
    '    "users_email_key" UNIQUE CONSTRAINT, btree (email)',
    '    "users_team_idx" btree (team_id)',
    'Check constraints:',
    '    "users_email_check" CHECK (email <> \'\'::text)',
    'Foreign-key constraints:',
    '    "users_team_id_fkey" FOREIGN KEY (team_id) REFERENCES teams(id)',
    'Referenced by:',
    '    TABLE "orders" CONSTRAINT "orders_user_id_fkey" FOREIGN KEY (user_id) REFERENCES users(id)',
    '', '',
  ].join('\n'));
});

test('\\d NAME folds case like psql and reports unknown names as errors', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  await runMetaCommand('\\d USERS', '', h);
  assert.match(output.stdout, /Table "public.users"/);
  const r = await runMetaCommand('\\d nope', '', h);
  assert.equal(r.outcome, 'error');
  assert.equal(output.stderr, 'Did not find any relation named "nope".\n');
});

test('\\d+ VIEW shows the definition; \\d INDEX names its table', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  await runMetaCommand('\\d+ active_users', '', h);
  assert.match(output.stdout, /View "public.active_users"\n/);
  assert.match(output.stdout, /View definition:\n SELECT id FROM users;\n/);
  await runMetaCommand('\\d users_pkey', '', h);
  assert.match(output.stdout, /Index "public.users_pkey"\n Column \|  Type   \n--------\+---------\n id     \| integer\nprimary key, btree, for table "public.users"\n/);
});

test('\\d with a wildcard describes every match', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  await runMetaCommand('\\d t*', '', h);
  assert.match(output.stdout, /Table "public.teams"/);
  assert.doesNotMatch(output.stdout, /users/);
});

test('\\dn lists schemas that hold relations, plus public', async () => {
  const { h, output, session } = host();
  session.relations = relations;
  await runMetaCommand('\\dn', '', h);
  assert.equal(output.stdout, ' List of schemas\n  Name  |  Owner  \n--------+---------\n audit  | auditor\n public | oxibase\n(2 rows)\n\n');
});

test('\\timing, \\x and \\pset change settings and say so', async () => {
  const { h, output, settings } = host();
  await runMetaCommand('\\timing', '', h);
  assert.equal(settings.timing, true);
  await runMetaCommand('\\timing off', '', h);
  assert.equal(settings.timing, false);
  await runMetaCommand('\\x on', '', h);
  assert.equal(settings.expanded, true);
  await runMetaCommand('\\x', '', h);
  assert.equal(settings.expanded, false);
  await runMetaCommand('\\pset format csv', '', h);
  assert.equal(settings.format, 'csv');
  await runMetaCommand('\\pset null (null)', '', h);
  assert.equal(settings.nullDisplay, '(null)');
  assert.equal(output.stderr, [
    'Timing is on.', 'Timing is off.', 'Expanded display is on.', 'Expanded display is off.',
    'Output format is csv.', 'Null display is "(null)".', '',
  ].join('\n'));
  assert.equal((await runMetaCommand('\\timing maybe', '', h)).outcome, 'error');
  assert.equal((await runMetaCommand('\\pset format xml', '', h)).outcome, 'error');
});

test('\\q quits, \\? helps, unknown commands fail', async () => {
  const { h, output } = host();
  assert.equal((await runMetaCommand('\\q', '', h)).outcome, 'quit');
  await runMetaCommand('\\?', '', h);
  assert.match(output.stdout, /\\timing \[on\|off\]/);
  assert.match(output.stdout, /\\d\[\+\]  NAME/);
  assert.equal((await runMetaCommand('\\frob', '', h)).outcome, 'error');
  assert.equal(output.stderr, 'invalid command \\frob\nTry \\? for help.\n');
});

test('query buffer commands: \\g sends it, \\p prints it, \\r clears it', async () => {
  const { h, output, executed } = host();
  assert.deepEqual(await runMetaCommand('\\g', 'select 1', h), { outcome: 'ok', discardPending: true });
  assert.deepEqual(executed, ['select 1']);
  await runMetaCommand('\\p', 'select 2', h);
  assert.equal(output.stdout, 'select 2\n');
  assert.deepEqual(await runMetaCommand('\\r', 'select 2', h), { outcome: 'ok', discardPending: true });
});

test('\\i hands the file to the host; \\echo prints', async () => {
  const { h, output, included } = host();
  await runMetaCommand("\\i 'setup file.sql'", '', h);
  assert.deepEqual(included, ['setup file.sql']);
  assert.equal((await runMetaCommand('\\i', '', h)).outcome, 'error');
  await runMetaCommand('\\echo hello   world', '', h);
  assert.equal(output.stdout, 'hello world\n');
});
