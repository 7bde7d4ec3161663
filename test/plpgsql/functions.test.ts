/**
 * Functions over the session-backed host: expressions and assignment coercion, control flow,
 * loops with labels, set-returning functions (RETURN NEXT / RETURN QUERY), SQL statements with
 * INTO, FOUND and ROW_COUNT, dynamic EXECUTE, RAISE levels.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayOf, Types, numericTypmod, withTypmod } from '../../src/types/sql-type.ts';
import { SessionHost, compile, throwsCode } from './session-host.ts';

const int4 = Types.int4;
const text = Types.text;

test('arguments by name and by $n, declarations with defaults, assignment coercion', async () => {
  const host = await SessionHost.open();
  const f = compile(`
DECLARE
  total numeric(6,2) := $1;
  label varchar(3) = 'abc'::varchar(6);
  n CONSTANT int := 2;
  big bigint DEFAULT 9007199254740993;
BEGIN
  total := total / 3;
  RETURN total::text || ' ' || label || ' ' || (a * n) || ' ' || big;
END`, { argNames: ['a'], argTypes: [int4], returnType: text });
  assert.equal(f.call([10], host), '3.33 abc 20 9007199254740993');
  const long = compile(`DECLARE s varchar(3) := 'abcdef'; BEGIN RETURN s; END`, { returnType: text });
  throwsCode(() => long.call([], host), '22001', 'value too long for type character varying(3)');
});

test('assignment converts through text when no assignment cast exists, with PostgreSQL errors', async () => {
  const host = await SessionHost.open();
  const ok = compile(`DECLARE d date; BEGIN d := '2024-02-29' || ''; RETURN d + 1; END`, { returnType: Types.date });
  assert.equal(ok.call([], host), host.query("SELECT '2024-03-01'::date").rows[0]![0]);
  const bad = compile(`DECLARE i int; BEGIN i := 'x' || 'y'; RETURN i; END`, { returnType: int4 });
  throwsCode(() => bad.call([], host), '22P02', 'invalid input syntax for type integer: "xy"');
  const overflow = compile(`DECLARE i smallint; BEGIN i := 70000; RETURN i; END`, { returnType: Types.int2 });
  throwsCode(() => overflow.call([], host), '22003');
  const notNull = compile(`DECLARE i int NOT NULL := 1; BEGIN i := NULL; RETURN i; END`, { returnType: int4 });
  throwsCode(() => notNull.call([], host), '22004', 'null value cannot be assigned to variable "i" declared NOT NULL');
});

test('the function result is coerced to the declared return type', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN RETURN 2.5; END`, { returnType: withTypmod(Types.numeric, numericTypmod(5, 0)) });
  assert.equal(String(f.call([], host)), '3');
  const missing = compile(`BEGIN IF false THEN RETURN 1; END IF; END`, { returnType: int4 });
  throwsCode(() => missing.call([], host), '2F005', 'control reached end of function without RETURN');
  const v = compile(`BEGIN PERFORM 1; END`, { returnType: Types.void });
  assert.equal(v.call([], host), null);
});

test('IF / ELSIF / ELSE and searched and simple CASE', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN
  IF x IS NULL THEN RETURN 'null';
  ELSIF x < 0 THEN RETURN 'negative';
  ELSEIF x = 0 THEN RETURN 'zero';
  ELSE
    CASE
      WHEN x < 10 THEN RETURN 'small';
      ELSE
        CASE x % 2 WHEN 0 THEN RETURN 'big even'; WHEN 1, -1 THEN RETURN 'big odd'; END CASE;
    END CASE;
  END IF;
END`, { argNames: ['x'], argTypes: [int4], returnType: text });
  assert.deepEqual([null, -5, 0, 3, 12, 13].map((x) => f.call([x], host)), ['null', 'negative', 'zero', 'small', 'big even', 'big odd']);
  const nf = compile(`BEGIN CASE x WHEN 1 THEN RETURN 'one'; END CASE; END`, { argNames: ['x'], argTypes: [int4], returnType: text });
  throwsCode(() => nf.call([2], host), '20000', 'case not found');
});

test('LOOP with EXIT WHEN, CONTINUE WHEN and labels; WHILE', async () => {
  const host = await SessionHost.open();
  const f = compile(`
DECLARE
  i int := 0;
  hits int := 0;
  w int := 0;
BEGIN
  <<outer>>
  LOOP
    i := i + 1;
    EXIT outer WHEN i > 5;
    CONTINUE WHEN i % 2 = 0;
    <<inner>>
    FOR j IN 1..10 LOOP
      CONTINUE outer WHEN j > i;
      hits := hits + 1;
    END LOOP inner;
  END LOOP outer;
  WHILE w < 100 LOOP w := w * 2 + 1; END LOOP;
  RETURN hits || ' ' || w;
END`, { returnType: text });
  assert.equal(f.call([], host), '9 127');
});

test('EXIT from a labelled block leaves the block', async () => {
  const host = await SessionHost.open();
  const f = compile(`DECLARE r text := 'start'; BEGIN
  <<blk>> BEGIN
    r := r || ' in';
    EXIT blk;
    r := r || ' unreachable';
  END;
  RETURN r || ' out';
END`, { returnType: text });
  assert.equal(f.call([], host), 'start in out');
});

test('integer FOR: REVERSE, BY, empty ranges and FOUND', async () => {
  const host = await SessionHost.open();
  const f = compile(`DECLARE s text := ''; BEGIN
  FOR i IN REVERSE 10..1 BY 4 LOOP s := s || i || ','; END LOOP;
  FOR i IN 5..1 LOOP s := s || 'never'; END LOOP;
  s := s || FOUND;
  FOR i IN 1..2 LOOP NULL; END LOOP;
  RETURN s || FOUND;
END`, { returnType: text });
  assert.equal(f.call([], host), '10,6,2,falsetrue');
  const bad = compile(`BEGIN FOR i IN 1..3 BY 0 LOOP END LOOP; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => bad.call([], host), '22023', 'BY value of FOR loop must be greater than zero');
  const nul = compile(`BEGIN FOR i IN NULL..3 LOOP END LOOP; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => nul.call([], host), '22004', 'lower bound of FOR loop cannot be null');
});

test('FOR over query rows into a record or a list of scalars, and FOREACH over an array', async () => {
  const host = await SessionHost.open(`CREATE TABLE t (id int, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
  const f = compile(`DECLARE r record; k int; s text := ''; x text; BEGIN
  FOR r IN SELECT * FROM t WHERE id >= lo ORDER BY id LOOP s := s || r.id || r.v; END LOOP;
  FOR k, x IN SELECT id, v FROM t ORDER BY id DESC LOOP s := s || ' ' || k || x; EXIT WHEN k = 2; END LOOP;
  FOREACH x IN ARRAY ARRAY['p', 'q'] LOOP s := s || x; END LOOP;
  RETURN s;
END`, { argNames: ['lo'], argTypes: [int4], returnType: text });
  assert.equal(f.call([2], host), '2b3c 3c 2bpq');
  const arr = compile(`DECLARE n int; t int := 0; BEGIN FOREACH n IN ARRAY xs LOOP t := t + n; END LOOP; RETURN t; END`,
    { argNames: ['xs'], argTypes: [arrayOf(int4)], returnType: int4 });
  assert.equal(arr.call([host.query('SELECT ARRAY[1,2,3,4]').rows[0]![0]], host), 10);
});

test('RETURN QUERY builds a table result; loops with RETURN NEXT build SETOF results', async () => {
  const host = await SessionHost.open(`CREATE TABLE users (id int, email text, name text);
INSERT INTO users VALUES (1, 'a@x.org', 'Ann'), (2, 'b@x.org', 'Bob'), (3, 'c@y.org', 'Cy')`);
  const byDomain = compile(`BEGIN
  RETURN QUERY SELECT u.id, u.name FROM users u WHERE u.email LIKE '%@' || domain ORDER BY u.id;
  RETURN QUERY SELECT 0, 'total: ' || count(*) FROM users u WHERE u.email LIKE '%@' || domain;
END`, { argNames: ['domain'], argTypes: [text], returnsSet: true, returnType: Types.record,
    outColumns: [{ name: 'id', type: int4 }, { name: 'name', type: text }] });
  assert.deepEqual(byDomain.call(['x.org'], host), [[1, 'Ann'], [2, 'Bob'], [0, 'total: 2']]);
  const squares = compile(`BEGIN FOR i IN 1..n LOOP x := i; sq := i * i; RETURN NEXT; END LOOP; END`,
    { argNames: ['n'], argTypes: [int4], returnsSet: true, returnType: Types.record,
      outColumns: [{ name: 'x', type: int4 }, { name: 'sq', type: Types.int8 }] });
  assert.deepEqual(squares.call([3], host), [[1, 1], [2, 4], [3, 9]]);
  const evens = compile(`BEGIN FOR i IN 1..10 LOOP CONTINUE WHEN i % 2 = 1; RETURN NEXT i * 10; END LOOP; RETURN; RETURN NEXT 0; END`,
    { returnsSet: true, returnType: Types.int8 });
  assert.deepEqual(evens.call([], host), [20, 40, 60, 80, 100]);
  const mismatch = compile(`BEGIN RETURN QUERY SELECT 1; END`, { returnsSet: true, returnType: Types.record,
    outColumns: [{ name: 'a', type: int4 }, { name: 'b', type: int4 }] });
  throwsCode(() => mismatch.call([], host), '42804', 'structure of query does not match function result type');
});

test('OUT parameters form the result row; a procedure returns its INOUT values', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN total := a + b; product := a * b; END`, {
    argNames: ['a', 'b'], argTypes: [int4, int4], returnType: Types.record,
    outColumns: [{ name: 'total', type: int4 }, { name: 'product', type: int4 }],
  });
  assert.deepEqual(f.call([3, 4], host), [7, 12]);
  const p = compile(`BEGIN counter := counter + step; END`, {
    argNames: ['counter', 'step'], argTypes: [int4, int4], returnType: Types.record, isProcedure: true,
    outColumns: [{ name: 'counter', type: int4 }],
  });
  assert.deepEqual(p.call([10, 5], host), [15]);
});

test('assignment to array elements extends the array like PostgreSQL', async () => {
  const host = await SessionHost.open();
  const f = compile(`DECLARE a int[]; b text[] := ARRAY['x', 'y']; BEGIN
  a[3] := 30; a[1] := '10'; a[5] := 50;
  b[2] := 'Y'; b[0] := 'w';
  RETURN a::text || ' ' || b::text || ' ' || array_lower(b, 1);
END`, { returnType: text });
  assert.equal(f.call([], host), '{10,NULL,30,NULL,50} [0:2]={w,x,Y} 0');
  const nul = compile(`DECLARE a int[]; BEGIN a[NULL] := 1; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => nul.call([], host), '22004', 'array subscript in assignment must not be null');
});

test('callBatch returns one result per argument row', async () => {
  const host = await SessionHost.open();
  const f = compile('BEGIN RETURN x * 2 + coalesce(y, 0); END', { argNames: ['x', 'y'], argTypes: [int4, int4], returnType: int4 });
  assert.deepEqual(f.callBatch!([[1, null], [2, 10], [3, 100]], host), [2, 14, 106]);
});

test('RETURNS [SETOF] table_name: the columns type the result rows but are not variables', async () => {
  const host = await SessionHost.open(`CREATE TABLE users (id int, name text);
INSERT INTO users VALUES (1, 'Ann'), (2, 'Bob'), (3, 'Cy')`);
  // The engine describes a table's row type by a type of its own (not `record`).
  const rowType = { oid: 90001, typmod: -1, elem: null };
  const outColumns = [{ name: 'id', type: int4 }, { name: 'name', type: text }];
  const setof = compile(`DECLARE r users%ROWTYPE; BEGIN
  RETURN QUERY SELECT * FROM users WHERE id > min_id ORDER BY id;
  FOR r IN SELECT * FROM users WHERE id = 1 LOOP RETURN NEXT r; END LOOP;
END`, { argNames: ['min_id'], argTypes: [int4], returnsSet: true, returnType: rowType, outColumns });
  assert.deepEqual(setof.call([1], host), [[2, 'Bob'], [3, 'Cy'], [1, 'Ann']]);
  const one = compile(`DECLARE r record; BEGIN SELECT * INTO r FROM users WHERE id = k; RETURN r; END`,
    { argNames: ['k'], argTypes: [int4], returnType: rowType, outColumns });
  assert.deepEqual(one.call([3], host), [3, 'Cy']);
  assert.deepEqual(one.call([9], host), [null, null]);
  const single = compile(`BEGIN doubled := x * 2; END`,
    { argNames: ['x'], argTypes: [int4], returnType: int4, outColumns: [{ name: 'doubled', type: int4 }] });
  assert.equal(single.call([21], host), 42);
});

test('conditions must be boolean and FOREACH needs an array', async () => {
  const host = await SessionHost.open();
  const f = compile(`BEGIN IF 1 THEN RETURN 1; END IF; RETURN 0; END`, { returnType: int4 });
  throwsCode(() => f.call([], host), '42804', 'query "SELECT 1" returned type integer where a boolean was expected');
  const g = compile(`DECLARE x int; BEGIN FOREACH x IN ARRAY 5 LOOP END LOOP; RETURN 0; END`, { returnType: int4 });
  throwsCode(() => g.call([], host), '42804', 'FOREACH expression must yield an array, not type integer');
});
