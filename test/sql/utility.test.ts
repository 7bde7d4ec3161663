import { test } from 'node:test';
import assert from 'node:assert/strict';
import { one, sx } from './helpers.ts';

test('transaction statements', () => {
  const b = one('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY NOT DEFERRABLE', 'Transaction');
  assert.equal(b.action, 'begin');
  assert.deepEqual([b.modes?.isolation, b.modes?.readOnly, b.modes?.deferrable],
    ['repeatable_read', true, false]);
  assert.equal(one('BEGIN WORK', 'Transaction').modes, null);
  assert.equal(one('BEGIN TRANSACTION', 'Transaction').action, 'begin');
  const s = one('START TRANSACTION READ WRITE, ISOLATION LEVEL READ UNCOMMITTED', 'Transaction');
  assert.deepEqual([s.action, s.modes?.readOnly, s.modes?.isolation],
    ['start', false, 'read_uncommitted']);
  assert.deepEqual([one('COMMIT AND CHAIN', 'Transaction').chain], [true]);
  assert.deepEqual(['END WORK', 'END', 'COMMIT TRANSACTION AND NO CHAIN'].map((q) =>
    one(q, 'Transaction').action), ['commit', 'commit', 'commit']);
  assert.deepEqual(['ROLLBACK', 'ABORT TRANSACTION'].map((q) => one(q, 'Transaction').action),
    ['rollback', 'rollback']);
  const rt = one('ROLLBACK WORK TO SAVEPOINT sp', 'Transaction');
  assert.deepEqual([rt.action, rt.savepoint], ['rollback_to', 'sp']);
  assert.equal(one('ROLLBACK TO sp', 'Transaction').savepoint, 'sp');
  assert.deepEqual([one('SAVEPOINT sp', 'Transaction').action,
    one('RELEASE SAVEPOINT sp', 'Transaction').action, one('RELEASE sp', 'Transaction').savepoint],
  ['savepoint', 'release', 'sp']);
  const st = one('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'SetTransaction');
  assert.deepEqual([st.session, st.modes.isolation], [false, 'serializable']);
  const sc = one('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY', 'SetTransaction');
  assert.deepEqual([sc.session, sc.modes.readOnly], [true, true]);
});

test('SET, SHOW, RESET', () => {
  const s = one('SET LOCAL search_path TO a, "B", public', 'Set');
  assert.deepEqual([s.local, s.name, s.values?.map((v) => `${v.type}:${v.value}`)],
    [true, 'search_path', ['word:a', 'word:B', 'word:public']]);
  const n = one('SET SESSION statement_timeout = 5000', 'Set');
  assert.deepEqual([n.local, n.name, n.values?.[0]?.type, n.values?.[0]?.value],
    [false, 'statement_timeout', 'number', '5000']);
  assert.deepEqual(one("SET extra_float_digits = -1", 'Set').values?.[0]?.value, '-1');
  assert.equal(one('SET x.y TO DEFAULT', 'Set').values, null);
  assert.equal(one('SET x.y TO DEFAULT', 'Set').name, 'x.y');
  assert.equal(one('SET enable_seqscan = off', 'Set').values?.[0]?.value, 'off');
  assert.equal(one('SET enable_seqscan = on', 'Set').values?.[0]?.value, 'on');
  const tz = one("SET TIME ZONE 'UTC'", 'Set');
  assert.deepEqual([tz.name, tz.values?.[0]?.value], ['timezone', 'UTC']);
  assert.equal(one('SET TIME ZONE LOCAL', 'Set').values, null);
  assert.equal(one('SET TIME ZONE DEFAULT', 'Set').values, null);
  assert.equal(one('SET ROLE admin', 'Set').name, 'role');
  assert.equal(one('SET SESSION AUTHORIZATION DEFAULT', 'Set').name, 'session_authorization');
  assert.deepEqual(['SHOW ALL', 'SHOW TIME ZONE', 'SHOW TRANSACTION ISOLATION LEVEL',
    'SHOW search_path'].map((q) => one(q, 'Show').name),
  ['all', 'timezone', 'transaction_isolation', 'search_path']);
  assert.deepEqual(['RESET ALL', 'RESET search_path', 'RESET TIME ZONE'].map((q) =>
    one(q, 'Reset').name), ['all', 'search_path', 'timezone']);
});

test('PREPARE, EXECUTE, DEALLOCATE', () => {
  const sql = 'PREPARE p (int, text) AS SELECT $1, $2';
  const p = one(sql, 'Prepare');
  assert.deepEqual([p.name, p.paramTypes.map((t) => t.name), p.statement.kind, p.source.text],
    ['p', ['int4', 'text'], 'Select', 'SELECT $1, $2']);
  const e = one("EXECUTE p (1, 'a')", 'Execute');
  assert.deepEqual([e.name, e.params.map(sx)], ['p', ['1', "'a'"]]);
  assert.equal(one('EXECUTE p', 'Execute').params.length, 0);
  assert.equal(one('DEALLOCATE PREPARE ALL', 'Deallocate').name, null);
  assert.equal(one('DEALLOCATE p', 'Deallocate').name, 'p');
});

test('EXPLAIN, ANALYZE, VACUUM, CHECKPOINT', () => {
  const e = one('EXPLAIN ANALYZE VERBOSE SELECT 1', 'Explain');
  assert.deepEqual(e.options.map((o) => o.name), ['analyze', 'verbose']);
  assert.equal(e.statement.kind, 'Select');
  const o = one('EXPLAIN (ANALYZE, COSTS off, BUFFERS true, TIMING, SUMMARY, FORMAT JSON) ' +
    'INSERT INTO t VALUES (1)', 'Explain');
  assert.deepEqual(o.options.map((x) => [x.name, x.value]), [['analyze', null],
    ['costs', 'off'], ['buffers', 'true'], ['timing', null], ['summary', null],
    ['format', 'json']]);
  assert.equal(o.statement.kind, 'Insert');
  const a = one('ANALYZE VERBOSE t (a, b), u', 'Analyze');
  assert.deepEqual([a.verbose, a.tables.map((t) => [t.name.name, t.columns])],
    [true, [['t', ['a', 'b']], ['u', null]]]);
  assert.equal(one('ANALYZE', 'Analyze').tables.length, 0);
  const v = one('VACUUM FULL ANALYZE t', 'Vacuum');
  assert.deepEqual([v.full, v.analyze, v.tables.length], [true, true, 1]);
  assert.equal(one('CHECKPOINT', 'Checkpoint').kind, 'Checkpoint');
});

test('roles and privileges', () => {
  const r = one("CREATE ROLE r WITH LOGIN PASSWORD 'x' SUPERUSER NOCREATEDB CONNECTION LIMIT 5 " +
    "VALID UNTIL '2030-01-01' IN ROLE a, b", 'CreateRole');
  assert.deepEqual(r.options.map((o) => [o.name, o.value]), [['login', true], ['password', 'x'],
    ['superuser', true], ['createdb', false], ['connection_limit', '5'],
    ['valid_until', '2030-01-01'], ['in_role', ['a', 'b']]]);
  assert.equal(one('CREATE USER u', 'CreateRole').roleType, 'user');
  assert.deepEqual(one('ALTER ROLE r NOLOGIN', 'AlterRole').options[0]?.value, false);
  assert.equal(one('ALTER USER u RENAME TO v', 'Rename').newName, 'v');
  assert.equal(one('ALTER ROLE r SET search_path = a', 'AlterRole').set?.kind, 'Set');
  const g = one('GRANT SELECT, UPDATE (a, b) ON TABLE t, u TO r, PUBLIC WITH GRANT OPTION',
    'Grant');
  assert.deepEqual([g.isGrant, g.privileges?.map((p) => [p.name, p.columns]), g.objectType,
    g.objects.map((o) => o.name), g.grantees, g.grantOption],
  [true, [['select', null], ['update', ['a', 'b']]], 'table', ['t', 'u'], ['r', 'public'], true]);
  const all = one('GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA s TO r', 'Grant');
  assert.deepEqual([all.privileges, all.allInSchema, all.objectType], [null, true, 'table']);
  const rv = one('REVOKE GRANT OPTION FOR INSERT ON t FROM r CASCADE', 'Grant');
  assert.deepEqual([rv.isGrant, rv.grantOption, rv.behavior], [false, true, 'cascade']);
  const fn = one('GRANT EXECUTE ON FUNCTION f(int) TO r', 'Grant');
  assert.equal(fn.functionParams?.[0]?.[0]?.type.name, 'int4');
  const gr = one('GRANT r1, r2 TO u WITH ADMIN OPTION', 'GrantRole');
  assert.deepEqual([gr.roles, gr.grantees, gr.adminOption], [['r1', 'r2'], ['u'], true]);
  assert.equal(one('REVOKE r1 FROM u', 'GrantRole').isGrant, false);
});

test('functions, triggers, DO, CALL', () => {
  const f = one('CREATE OR REPLACE FUNCTION f(a int, b text DEFAULT \'x\', OUT c int) ' +
    'RETURNS SETOF int LANGUAGE sql IMMUTABLE STRICT AS $$ select 1 $$', 'CreateFunction');
  assert.deepEqual([f.orReplace, f.params.map((p) => [p.name, p.mode, p.type.name,
    p.default !== null]), f.returns?.name, f.returns?.setof],
  [true, [['a', 'in', 'int4', false], ['b', 'in', 'text', true], ['c', 'out', 'int4', false]],
    'int4', true]);
  assert.deepEqual(f.options.map((o) => [o.name, o.value]), [['language', 'sql'],
    ['volatility', 'immutable'], ['strict', true], ['as', ' select 1 ']]);
  const g = one('CREATE FUNCTION g(int) RETURNS int RETURN $1 + 1', 'CreateFunction');
  assert.equal(g.params[0]?.name, null);
  assert.equal(g.sqlBody?.[0]?.kind, 'Select');
  const h = one("CREATE FUNCTION h() RETURNS TABLE (a int, b text) AS 'select 1' LANGUAGE sql",
    'CreateFunction');
  assert.deepEqual(h.returnsTable?.map((c) => c.name), ['a', 'b']);
  assert.equal(one('CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ begin end $$',
    'CreateFunction').isProcedure, true);
  const t = one('CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF a, b ON t FOR EACH ROW ' +
    "WHEN (new.a > 0) EXECUTE FUNCTION trg('x', 1)", 'CreateTrigger');
  assert.deepEqual([t.timing, t.events, t.updateColumns, t.forEach, t.function.name, t.args],
    ['before', ['insert', 'update'], ['a', 'b'], 'row', 'trg', ['x', '1']]);
  assert.deepEqual([one('DO $$ begin end $$', 'Do').code, one("DO LANGUAGE plpgsql 'x'", 'Do')
    .language], [' begin end ', 'plpgsql']);
  assert.equal(one('CALL p(1, 2)', 'Call').call.args.length, 2);
});

test('COPY, LISTEN, NOTIFY', () => {
  const c = one("COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',')", 'Copy');
  assert.deepEqual([c.table?.name, c.columns, c.isFrom, c.target, c.options.map((o) => [o.name,
    o.value])], ['t', ['a', 'b'], true, 'stdio', [['format', 'csv'], ['header', 'true'],
    ['delimiter', ',']]]);
  const q = one('COPY (SELECT 1) TO STDOUT', 'Copy');
  assert.deepEqual([q.query?.kind, q.isFrom], ['Select', false]);
  const l = one("COPY t TO '/tmp/x' CSV HEADER", 'Copy');
  assert.deepEqual([l.target, l.filename, l.options.map((o) => o.name)],
    ['file', '/tmp/x', ['format', 'header']]);
  assert.equal(one('LISTEN ch', 'Listen').channel, 'ch');
  assert.equal(one('UNLISTEN *', 'Unlisten').channel, null);
  const n = one("NOTIFY ch, 'payload'", 'Notify');
  assert.deepEqual([n.channel, n.payload], ['ch', 'payload']);
});
