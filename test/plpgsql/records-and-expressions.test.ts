/**
 * Record variables (RECORD, %ROWTYPE) as whole values, and expression evaluation: the direct
 * path for simple expressions must behave exactly like the host path (same errors, same types),
 * while anything reading session state still goes through the host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayOf, Types } from '../../src/types/sql-type.ts';
import type { HostPrepared } from '../../src/scripting/language.ts';
import { SessionHost, compile, throwsCode } from './session-host.ts';

const int4 = Types.int4;
const text = Types.text;
const SCHEMA = `CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b c')`;

test('records copy by assignment, print as row literals, and return from SETOF functions', async () => {
  const host = await SessionHost.open(SCHEMA);
  const copy = compile(`DECLARE r record; r2 record; BEGIN
  SELECT * INTO r FROM t WHERE id = 2;
  r2 := r;
  r.v := 'changed';
  RAISE NOTICE 'r=% r2=%', r, r2;
  RETURN r2.v;
END`, { returnType: text });
  assert.equal(copy.call([], host), 'b c');
  assert.deepEqual(host.logs.map((l) => l.message), ['r=(2,changed) r2=(2,"b c")']);
  const rows = compile(`DECLARE r t%ROWTYPE; BEGIN FOR r IN SELECT * FROM t ORDER BY 1 LOOP RETURN NEXT r; END LOOP; END`,
    { returnsSet: true, returnType: Types.record, outColumns: [{ name: 'id', type: int4 }, { name: 'v', type: text }] });
  assert.deepEqual(rows.call([], host), [[1, 'a'], [2, 'b c']]);
  const one = compile(`DECLARE r record; BEGIN SELECT * INTO r FROM t WHERE id = 1; RETURN r; END`, { returnType: Types.record });
  assert.deepEqual(one.call([], host), [1, 'a']);
});

test('an unassigned RECORD has no fields; a %ROWTYPE variable starts as NULL fields', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE r record; BEGIN RETURN r.id; END`, { returnType: int4 });
  const e = throwsCode(() => f.call([], host), '55000', 'record "r" is not assigned yet');
  assert.equal(e.detail, 'The tuple structure of a not-yet-assigned record is indeterminate.');
  const g = compile(`DECLARE r t%ROWTYPE; BEGIN SELECT * INTO r FROM t WHERE id = 9; RETURN r.v IS NULL AND NOT FOUND; END`,
    { returnType: Types.bool });
  assert.equal(g.call([], host), true);
});

test('errors in declarations carry the initialization context', async () => {
  const host = await SessionHost.open();
  const f = compile('DECLARE\n  x int := 1 / 0;\nBEGIN\n  RETURN x;\nEND', { returnType: int4 });
  const e = throwsCode(() => f.call([], host), '22012', 'division by zero');
  assert.equal(e.where, 'PL/pgSQL function f() line 2 during statement block local variable initialization');
});

/** Counts statements that reach the host. */
function countingHost(host: SessionHost): { runs: () => number } {
  let runs = 0;
  const prepare = host.prepare.bind(host);
  host.prepare = (sql, types): HostPrepared => {
    const p = prepare(sql, types);
    return { get fields() { return p.fields; }, paramTypes: p.paramTypes, run: (params) => { runs++; return p.run(params); } };
  };
  return { runs: () => runs };
}

test('simple expressions are evaluated without the host, with the same errors and types', async () => {
  const host = await SessionHost.open();
  const counter = countingHost(host);
  const f = compile(`DECLARE a int[] := ARRAY[1, 2]; s text := ''; BEGIN
  FOR i IN 1..3 LOOP
    s := s || CASE WHEN i % 2 = 0 THEN 'e' ELSE 'o' END || coalesce(a[i]::text, '-') || upper('x');
  END LOOP;
  RETURN s || (x::bigint * 3)::text || round(2.5)::text || (0.1::numeric + 0.2)::text;
END`, { argNames: ['x'], argTypes: [int4], returnType: text });
  assert.equal(f.call([2000000000], host), 'o1Xe2Xo-X600000000030.3');
  assert.equal(counter.runs(), 0);
  throwsCode(() => compile('BEGIN RETURN x * 2; END', { argNames: ['x'], argTypes: [int4], returnType: int4 }).call([2000000000], host),
    '22003', 'integer out of range');
  throwsCode(() => compile('BEGIN RETURN x / 0; END', { argNames: ['x'], argTypes: [int4], returnType: int4 }).call([1], host),
    '22012', 'division by zero');
  throwsCode(() => compile(`BEGIN RETURN x::int; END`, { argNames: ['x'], argTypes: [text], returnType: int4 }).call(['1.5'], host),
    '22P02', 'invalid input syntax for type integer: "1.5"');
  assert.equal(counter.runs(), 0);
});

test('expressions reading tables, the clock or settings go through the host', async () => {
  const host = await SessionHost.open(SCHEMA);
  const counter = countingHost(host);
  const f = compile(`DECLARE n int; ts timestamptz; tz text; BEGIN
  n := (SELECT count(*) FROM t);
  ts := now();
  tz := current_setting('TimeZone');
  RETURN n || ' ' || (ts IS NOT NULL) || ' ' || tz || ' ' || (random() < 1);
END`, { returnType: text });
  assert.equal(f.call([], host), '2 true UTC true');
  assert.ok(counter.runs() >= 4, `host runs: ${counter.runs()}`);
});

test('array arguments, array functions and subscripts', async () => {
  const host = await SessionHost.open();
  assert.throws(() => compile(`DECLARE acc int[]; BEGIN FOREACH x IN ARRAY xs LOOP END LOOP; RETURN ''; END`,
    { argNames: ['xs'], argTypes: [arrayOf(int4)], returnType: text }), /"x" is not a known variable/);
  const g = compile(`DECLARE acc int[] := '{}'; x int; BEGIN
  FOREACH x IN ARRAY xs LOOP acc := array_append(acc, x * x); END LOOP;
  RETURN array_to_string(acc, ',') || ' ' || acc[2] || ' ' || cardinality(acc);
END`, { argNames: ['xs'], argTypes: [arrayOf(int4)], returnType: text });
  const xs = host.query('SELECT ARRAY[1, 2, 3]').rows[0]![0];
  assert.equal(g.call([xs], host), '1,4,9 4 3');
  throwsCode(() => g.call([null], host), '22004', 'FOREACH expression must not be null');
});
