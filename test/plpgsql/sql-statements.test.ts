/**
 * SQL inside PL/pgSQL: variables as parameters, SELECT/RETURNING ... INTO [STRICT], FOUND and
 * GET DIAGNOSTICS ROW_COUNT, PERFORM, dynamic EXECUTE with USING and format(), RAISE levels,
 * %TYPE / %ROWTYPE declarations, and where variables and columns share a name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from '../../src/types/sql-type.ts';
import { SessionHost, compile, throwsCode } from './session-host.ts';

const int4 = Types.int4;
const text = Types.text;
const SCHEMA = `CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE, name text);
INSERT INTO users (email, name) VALUES ('a@x', 'Ann'), ('b@x', 'Bob'), ('c@y', 'Cy')`;

test('SELECT INTO: scalars, records, missing rows give NULLs, STRICT errors', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE e text; n text; r record; BEGIN
  SELECT email, name INTO e, n FROM users WHERE id = k;
  SELECT * INTO r FROM users WHERE id = k;
  RETURN coalesce(e, '-') || '/' || coalesce(n, '-') || '/' || coalesce(r.name, '-') || '/' || FOUND;
END`, { argNames: ['k'], argTypes: [int4], returnType: text });
  assert.equal(f.call([2], host), 'b@x/Bob/Bob/true');
  assert.equal(f.call([9], host), '-/-/-/false');
  const strict = compile(`DECLARE n text; BEGIN SELECT name INTO STRICT n FROM users WHERE email LIKE pat; RETURN n; END`,
    { argNames: ['pat'], argTypes: [text], returnType: text });
  assert.equal(strict.call(['c@%'], host), 'Cy');
  throwsCode(() => strict.call(['z@%'], host), 'P0002', 'query returned no rows');
  const e = throwsCode(() => strict.call(['%@x'], host), 'P0003', 'query returned more than one row');
  assert.equal(e.where, 'PL/pgSQL function f(text) line 1 at SQL statement');
});

test('INSERT/UPDATE/DELETE ... RETURNING INTO, with FOUND and ROW_COUNT', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE new_id int; c bigint; msg text; BEGIN
  INSERT INTO users (email, name) VALUES (e, 'New') RETURNING id INTO new_id;
  UPDATE users SET name = upper(name) WHERE email LIKE '%@x';
  GET DIAGNOSTICS c = ROW_COUNT;
  msg := new_id || ' ' || c || ' ' || FOUND;
  DELETE FROM users WHERE id = -1;
  GET DIAGNOSTICS c = ROW_COUNT;
  RETURN msg || ' ' || c || ' ' || FOUND;
END`, { argNames: ['e'], argTypes: [text], returnType: text });
  assert.equal(f.call(['d@x'], host), '4 3 true 0 false');
  const many = compile(`DECLARE i int; BEGIN UPDATE users SET name = name RETURNING id INTO i; RETURN i; END`, { returnType: int4 });
  throwsCode(() => many.call([], host), 'P0003', 'query returned more than one row');
});

test('PERFORM discards rows and sets FOUND; a bare SELECT has no destination', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE s text; BEGIN
  PERFORM * FROM users WHERE name = who;
  s := FOUND::text;
  PERFORM upper(who);
  RETURN s || ' ' || FOUND;
END`, { argNames: ['who'], argTypes: [text], returnType: text });
  assert.equal(f.call(['Nobody'], host), 'false true');
  assert.equal(f.call(['Bob'], host), 'true true');
  const bare = compile(`BEGIN SELECT 1; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => bare.call([], host), '42601', 'query has no destination for result data');
});

test('dynamic EXECUTE with format(), USING and INTO; FOR ... IN EXECUTE; RETURN QUERY EXECUTE', async () => {
  const host = await SessionHost.open(SCHEMA);
  const count = compile(`DECLARE n bigint; BEGIN
  EXECUTE format('SELECT count(*) FROM %I WHERE %I <> $1', tbl, col) INTO n USING excluded;
  RETURN n;
END`, { argNames: ['tbl', 'col', 'excluded'], argTypes: [text, text, text], returnType: Types.int8 });
  assert.equal(count.call(['users', 'name', 'Bob'], host), 2);
  const loop = compile(`DECLARE r record; s text := ''; BEGIN
  FOR r IN EXECUTE 'SELECT name FROM users WHERE id > $1 ORDER BY id' USING 1 LOOP s := s || r.name; END LOOP;
  RETURN s;
END`, { returnType: text });
  assert.equal(loop.call([], host), 'BobCy');
  const rq = compile(`BEGIN RETURN QUERY EXECUTE 'SELECT id FROM users WHERE email LIKE $1 ORDER BY id' USING pat; END`,
    { argNames: ['pat'], argTypes: [text], returnsSet: true, returnType: int4 });
  assert.deepEqual(rq.call(['%@x'], host), [1, 2]);
  const ddl = compile(`BEGIN EXECUTE 'CREATE TABLE ' || quote_ident(name) || ' (x int)'; EXECUTE format('INSERT INTO %I VALUES (1), (2)', name); RETURN 1; END`,
    { argNames: ['name'], argTypes: [text], returnType: int4 });
  ddl.call(['Dyn Table'], host);
  assert.deepEqual(host.rows('SELECT count(*)::int AS n FROM "Dyn Table"'), [{ n: 2 }]);
  const nul = compile(`BEGIN EXECUTE NULL; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => nul.call([], host), '22004', 'query string argument of EXECUTE is null');
});

test('RAISE levels go to host.log with their options; RAISE EXCEPTION throws', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN
  RAISE DEBUG 'debug %', 1;
  RAISE LOG 'log';
  RAISE INFO 'info % and %%', NULL;
  RAISE NOTICE 'notice % %', a, a * 2 USING HINT = 'a hint', DETAIL = 'some detail';
  RAISE WARNING USING MESSAGE = 'warned', ERRCODE = '01000';
  RAISE 'default level is EXCEPTION: %', a USING ERRCODE = 'invalid_parameter_value', DETAIL = 'd', HINT = 'h';
END`, { argNames: ['a'], argTypes: [int4], returnType: Types.void });
  const e = throwsCode(() => f.call([21], host), '22023', 'default level is EXCEPTION: 21');
  assert.equal(e.detail, 'd');
  assert.equal(e.hint, 'h');
  assert.equal(e.where, 'PL/pgSQL function f(integer) line 7 at RAISE');
  assert.deepEqual(host.logs, [
    { level: 'debug', message: 'debug 1' },
    { level: 'log', message: 'log' },
    { level: 'info', message: 'info <NULL> and %' },
    { level: 'notice', message: 'notice 21 42', detail: { hint: 'a hint', detail: 'some detail' } },
    { level: 'warning', message: 'warned', detail: { sqlstate: '01000' } },
  ]);
});

test('RAISE condition_name and SQLSTATE, with the default P0001', async () => {
  const host = await SessionHost.open();
  throwsCode(() => compile(`BEGIN RAISE EXCEPTION 'plain'; END`, { returnType: Types.void }).call([], host), 'P0001', 'plain');
  throwsCode(() => compile(`BEGIN RAISE division_by_zero; END`, { returnType: Types.void }).call([], host), '22012', 'division_by_zero');
  throwsCode(() => compile(`BEGIN RAISE SQLSTATE 'AB123' USING MESSAGE = 'custom'; END`, { returnType: Types.void }).call([], host),
    'AB123', 'custom');
  throwsCode(() => compile(`BEGIN RAISE unique_violation USING MESSAGE = 'dup ' || 7; END`, { returnType: Types.void }).call([], host),
    '23505', 'dup 7');
});

test('ASSERT raises P0004 with its message', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN ASSERT x > 0, 'x must be positive, got ' || x; ASSERT x < 100; RETURN x; END`,
    { argNames: ['x'], argTypes: [int4], returnType: int4 });
  assert.equal(f.call([5], host), 5);
  throwsCode(() => f.call([-1], host), 'P0004', 'x must be positive, got -1');
  throwsCode(() => f.call([500], host), 'P0004', 'assertion failed');
});

test('%TYPE and %ROWTYPE declarations take their types from the catalog on the first call', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE
  e users.email%TYPE;
  e2 e%TYPE;
  u users%ROWTYPE;
  r users;
BEGIN
  SELECT * INTO u FROM users WHERE id = 1;
  e := u.email;
  e2 := e || '!';
  SELECT * INTO r FROM users WHERE id = 3;
  RETURN e2 || ' ' || u.name || ' ' || r.name || ' ' || u.id + r.id;
END`, { returnType: text });
  assert.equal(f.call([], host), 'a@x! Ann Cy 4');
});

test('a name that is both a variable and a column is ambiguous (42702), as in PostgreSQL', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE n text; BEGIN SELECT u.name INTO n FROM users u WHERE u.email = email; RETURN n; END`,
    { argNames: ['email'], argTypes: [text], returnType: text });
  const e = throwsCode(() => f.call(['b@x'], host), '42702', 'column reference "email" is ambiguous');
  assert.equal(e.detail, 'It could refer to either a PL/pgSQL variable or a table column.');
  const table = compile(`BEGIN RETURN QUERY SELECT id, name FROM users ORDER BY id; END`, { returnsSet: true, returnType: Types.record,
    outColumns: [{ name: 'id', type: int4 }, { name: 'name', type: text }] });
  throwsCode(() => table.call([], host), '42702', 'column reference "id" is ambiguous');
  const qualified = compile(`BEGIN RETURN QUERY SELECT u.id, u.name FROM users u ORDER BY u.id; END`, { returnsSet: true, returnType: Types.record,
    outColumns: [{ name: 'id', type: int4 }, { name: 'name', type: text }] });
  assert.equal((qualified.call([], host) as unknown[]).length, 3);
  // INSERT's target columns are not in scope in VALUES: no conflict.
  const ins = compile(`BEGIN INSERT INTO users (email, name) VALUES (email, 'New'); RETURN 1; END`,
    { argNames: ['email'], argTypes: [text], returnType: int4 });
  assert.equal(ins.call(['n@x'], host), 1);
});

test('#variable_conflict use_variable and use_column resolve the conflict either way', async () => {
  const host = await SessionHost.open(SCHEMA);
  const useVar = compile(`#variable_conflict use_variable
DECLARE name text; email text := 'b@x'; BEGIN
  SELECT u.name INTO name FROM users u WHERE u.email = email;
  UPDATE users SET name = name || '2' WHERE users.email = email;
  RETURN name;
END`, { returnType: text });
  assert.equal(useVar.call([], host), 'Bob');
  assert.deepEqual(host.rows(`SELECT name FROM users WHERE email = 'b@x'`), [{ name: 'Bob2' }]);
  const useCol = compile(`#variable_conflict use_column
DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM users WHERE email = email; RETURN n; END`,
  { argNames: ['email'], argTypes: [text], returnType: Types.int8 });
  assert.equal(useCol.call(['nobody'], host), 3);
});

test('function-qualified and block-qualified variable names', async () => {
  const host = await SessionHost.open();
  const f = compile(`<<outer>> DECLARE x int := 1; BEGIN
  DECLARE x int := 2; BEGIN
    RETURN outer.x * 100 + x * 10 + f.a;
  END;
END`, { argNames: ['a'], argTypes: [int4], returnType: int4 });
  assert.equal(f.call([3], host), 123);
});

test('a statement prepared once is reused by later calls on the same host', async () => {
  const host = await SessionHost.open(SCHEMA);
  let prepares = 0;
  const inner = host.prepare.bind(host);
  host.prepare = (sql, types) => {
    prepares++;
    return inner(sql, types);
  };
  const f = compile(`DECLARE n text; BEGIN SELECT name INTO n FROM users WHERE id = k; RETURN n; END`,
    { argNames: ['k'], argTypes: [int4], returnType: text });
  assert.equal(f.call([1], host), 'Ann');
  const afterFirst = prepares;
  assert.ok(afterFirst <= 2, 'at most the SELECT and the RETURN expression');
  assert.deepEqual([2, 3, 1].map((k) => f.call([k], host)), ['Bob', 'Cy', 'Ann']);
  assert.equal(prepares, afterFirst);
});

test('utility statements (DDL, SET) run through host.query, not host.prepare', async () => {
  const host = await SessionHost.open();
  const prepared: string[] = [];
  const inner = host.prepare.bind(host);
  host.prepare = (sql, types) => {
    prepared.push(sql);
    return inner(sql, types);
  };
  const f = compile(`BEGIN
  CREATE TABLE made_here (n int);
  INSERT INTO made_here VALUES (k);
  SET LOCAL search_path = public;
  RETURN (SELECT count(*) FROM made_here);
END`, { argNames: ['k'], argTypes: [int4], returnType: int4 });
  assert.equal(f.call([7], host), 1);
  assert.deepEqual(prepared, ['INSERT INTO made_here VALUES ($1)', 'SELECT (SELECT count(*) FROM made_here)']);
});
