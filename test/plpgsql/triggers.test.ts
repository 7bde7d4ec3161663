/**
 * Trigger functions through callTrigger: NEW/OLD records, field assignment, TG_* variables,
 * RETURN NEW / OLD / NULL, and the two trigger functions every application has (updated_at and
 * an audit log writing to_jsonb(OLD/NEW)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionHost, compile, throwsCode, triggerCall } from './session-host.ts';

const SCHEMA = `CREATE TABLE users (id int primary key, email text, name text, updated_at timestamptz);
CREATE TABLE audit (id serial, op text, tbl text, old_data jsonb, new_data jsonb)`;

test('an updated_at trigger sets NEW.updated_at and returns the modified row', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile('BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND', { isTrigger: true });
  const row = fn.callTrigger!(triggerCall(host, 'users', 'UPDATE', { old: [1, 'a@x', 'A', null], new: [1, 'a@x', 'B', null] }), host);
  assert.ok(row !== null);
  assert.deepEqual(row.slice(0, 3), [1, 'a@x', 'B']);
  const now = host.query('SELECT now()').rows[0]![0];
  assert.equal(row[3], now);
});

test('an audit trigger records TG_OP, TG_TABLE_NAME and to_jsonb(OLD/NEW)', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO audit (op, tbl, old_data) VALUES (TG_OP, TG_TABLE_NAME, to_jsonb(OLD));
    RETURN OLD;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO audit (op, tbl, old_data, new_data) VALUES (TG_OP, TG_TABLE_NAME, to_jsonb(OLD), to_jsonb(NEW));
    RETURN NEW;
  END IF;
  INSERT INTO audit (op, tbl, new_data) VALUES (TG_OP, TG_TABLE_NAME, to_jsonb(NEW));
  RETURN NEW;
END`, { isTrigger: true });
  const after = { when: 'AFTER' as const };
  fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a@x', 'A', null] }, after), host);
  fn.callTrigger!(triggerCall(host, 'users', 'UPDATE', { old: [1, 'a@x', 'A', null], new: [1, 'a@x', 'B', null] }, after), host);
  const deleted = fn.callTrigger!(triggerCall(host, 'users', 'DELETE', { old: [1, 'a@x', 'B', null] }, after), host);
  assert.deepEqual(deleted, [1, 'a@x', 'B', null]);
  assert.deepEqual(host.rows('SELECT op, tbl, old_data::text AS o, new_data->>\'name\' AS n FROM audit ORDER BY id'), [
    { op: 'INSERT', tbl: 'users', o: null, n: 'A' },
    { op: 'UPDATE', tbl: 'users', o: '{"id": 1, "name": "A", "email": "a@x", "updated_at": null}', n: 'B' },
    { op: 'DELETE', tbl: 'users', o: '{"id": 1, "name": "B", "email": "a@x", "updated_at": null}', n: null },
  ]);
});

test('RETURN NULL skips the row; RETURN OLD keeps the old image', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN
  IF NEW.email IS NULL THEN RETURN NULL; END IF;
  IF NEW.name = 'keep' THEN RETURN OLD; END IF;
  RETURN NEW;
END`, { isTrigger: true });
  const call = (newRow: unknown[]): unknown => fn.callTrigger!(triggerCall(host, 'users', 'UPDATE', { old: [1, 'o@x', 'old', null], new: newRow }), host);
  assert.equal(call([1, null, 'x', null]), null);
  assert.deepEqual(call([1, 'n@x', 'keep', null]), [1, 'o@x', 'old', null]);
  assert.deepEqual(call([1, 'n@x', 'new', null]), [1, 'n@x', 'new', null]);
});

test('field assignment coerces to the column type and unknown fields are errors', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN NEW.id := '42'; NEW.name := NEW.name || '!'; RETURN NEW; END`, { isTrigger: true });
  assert.deepEqual(fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }), host), [42, 'a', 'n!', null]);
  const bad = compile('BEGIN NEW.nope := 1; RETURN NEW; END', { isTrigger: true });
  throwsCode(() => bad.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }), host), '42703',
    'record "new" has no field "nope"');
  const badRead = compile('BEGIN IF NEW.nope > 1 THEN RETURN NULL; END IF; RETURN NEW; END', { isTrigger: true });
  throwsCode(() => badRead.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }), host), '42703');
});

test('TG_WHEN, TG_LEVEL, TG_NAME, TG_TABLE_SCHEMA, TG_NARGS and TG_ARGV are visible', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN
  RAISE NOTICE '% % % % % % % %', TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, TG_TABLE_SCHEMA, TG_NARGS, TG_ARGV[0], TG_ARGV[1];
  RETURN NULL;
END`, { isTrigger: true });
  fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }, { name: 'users_log', when: 'AFTER', args: ['first', 'second'] }), host);
  assert.deepEqual(host.logs, [{ level: 'notice', message: 'users_log AFTER ROW INSERT public 2 first second' }]);
});

test('NEW is NULL in a DELETE trigger and OLD in an INSERT trigger', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN
  RAISE NOTICE 'new is null: %, old is null: %', NEW IS NULL, OLD IS NULL;
  RETURN COALESCE(NULL, NULL);
END`, { isTrigger: true });
  fn.callTrigger!(triggerCall(host, 'users', 'DELETE', { old: [1, 'a', 'n', null] }), host);
  fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }), host);
  assert.deepEqual(host.logs.map((l) => l.message), ['new is null: t, old is null: f', 'new is null: f, old is null: t']);
});

test('a trigger function that falls off the end is an error', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile('BEGIN NULL; END', { isTrigger: true });
  throwsCode(() => fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a', 'n', null] }), host), '2F005',
    'control reached end of trigger procedure without RETURN');
});

test('IS DISTINCT FROM between OLD and NEW compares whole rows', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN
  IF NEW IS DISTINCT FROM OLD THEN RAISE NOTICE 'changed'; ELSE RAISE NOTICE 'same'; END IF;
  RETURN NEW;
END`, { isTrigger: true });
  fn.callTrigger!(triggerCall(host, 'users', 'UPDATE', { old: [1, 'a', 'n', null], new: [1, 'a', 'n', null] }), host);
  fn.callTrigger!(triggerCall(host, 'users', 'UPDATE', { old: [1, 'a', 'n', null], new: [1, 'a', 'm', null] }), host);
  assert.deepEqual(host.logs.map((l) => l.message), ['same', 'changed']);
});

test('one trigger function attached to tables of different shapes prepares SQL per shape', async () => {
  const host = await SessionHost.open(`${SCHEMA}; CREATE TABLE items (sku text, name text, qty int)`);
  const fn = compile(`BEGIN
  INSERT INTO audit (op, tbl, new_data) VALUES (TG_OP, TG_TABLE_NAME, to_jsonb(NEW));
  NEW.name := upper(NEW.name);
  RETURN NEW;
END`, { isTrigger: true });
  const users = (name: string): unknown => fn.callTrigger!(triggerCall(host, 'users', 'INSERT', { new: [1, 'a@x', name, null] }), host);
  const items = (name: string): unknown => fn.callTrigger!(triggerCall(host, 'items', 'INSERT', { new: ['s1', name, 3] }), host);
  assert.deepEqual(users('ann'), [1, 'a@x', 'ANN', null]);
  assert.deepEqual(items('bolt'), ['s1', 'BOLT', 3]);
  assert.deepEqual(users('bob'), [1, 'a@x', 'BOB', null]);
  assert.deepEqual(host.rows("SELECT tbl, new_data->>'name' AS n FROM audit ORDER BY id"),
    [{ tbl: 'users', n: 'ann' }, { tbl: 'items', n: 'bolt' }, { tbl: 'users', n: 'bob' }]);
});
