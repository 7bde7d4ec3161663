/**
 * EXCEPTION blocks: the protected block runs in a subtransaction (its writes are undone when a
 * handler runs), condition names / class names / SQLSTATE / OTHERS, SQLSTATE and SQLERRM,
 * GET STACKED DIAGNOSTICS, RAISE; to rethrow, and error context lines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from '../../src/types/sql-type.ts';
import { DbError } from '../../src/errors/index.ts';
import { SessionHost, compile, throwsCode } from './session-host.ts';

const int4 = Types.int4;
const text = Types.text;
const SCHEMA = `CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE NOT NULL);
CREATE TABLE log (msg text)`;

test('unique_violation is caught and the failed block\'s writes are rolled back', async () => {
  const host = await SessionHost.open(SCHEMA);
  const upsert = compile(`BEGIN
  INSERT INTO log VALUES ('trying ' || e);
  INSERT INTO users VALUES (k, e);
  RETURN 'inserted';
EXCEPTION WHEN unique_violation THEN
  RAISE NOTICE 'duplicate: % (%)', SQLERRM, SQLSTATE;
  UPDATE users SET email = e WHERE id = k;
  RETURN 'updated';
END`, { argNames: ['k', 'e'], argTypes: [int4, text], returnType: text });
  assert.equal(upsert.call([1, 'a@x'], host), 'inserted');
  assert.equal(upsert.call([1, 'b@x'], host), 'updated');
  assert.deepEqual(host.rows('SELECT * FROM users'), [{ id: 1, email: 'b@x' }]);
  assert.deepEqual(host.rows('SELECT msg FROM log'), [{ msg: 'trying a@x' }]);
  assert.deepEqual(host.logs, [{ level: 'notice', message: 'duplicate: duplicate key value violates unique constraint "users_pkey" (23505)' }]);
});

test('handlers match condition names, class names, SQLSTATE codes and OTHERS, first match wins', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`BEGIN
  CASE what
    WHEN 'div' THEN PERFORM 1 / 0;
    WHEN 'null' THEN INSERT INTO users VALUES (1, NULL);
    WHEN 'cast' THEN PERFORM 'x'::int;
    WHEN 'custom' THEN RAISE SQLSTATE 'XY001';
    ELSE RAISE 'other';
  END CASE;
  RETURN 'no error';
EXCEPTION
  WHEN division_by_zero OR numeric_value_out_of_range THEN RETURN 'arith ' || SQLSTATE;
  WHEN integrity_constraint_violation THEN RETURN 'integrity ' || SQLSTATE;
  WHEN SQLSTATE '22P02' THEN RETURN 'bad text ' || SQLERRM;
  WHEN SQLSTATE 'XY001' THEN RETURN 'custom';
  WHEN OTHERS THEN RETURN 'others ' || SQLSTATE || ' ' || SQLERRM;
END`, { argNames: ['what'], argTypes: [text], returnType: text });
  assert.deepEqual(['div', 'null', 'cast', 'custom', 'x'].map((w) => f.call([w], host)), [
    'arith 22012', 'integrity 23502', 'bad text invalid input syntax for type integer: "x"', 'custom', 'others P0001 other',
  ]);
});

test('an unmatched error propagates; RAISE; rethrows the caught error', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`BEGIN
  PERFORM 1 / 0;
  RETURN 1;
EXCEPTION WHEN unique_violation THEN RETURN 2;
END`, { returnType: int4 });
  throwsCode(() => f.call([], host), '22012', 'division by zero');
  const re = compile(`BEGIN
  BEGIN
    PERFORM 1 / 0;
  EXCEPTION WHEN OTHERS THEN
    INSERT INTO log VALUES ('saw ' || SQLSTATE);
    RAISE;
  END;
  RETURN 1;
END`, { returnType: int4 });
  throwsCode(() => re.call([], host), '22012', 'division by zero');
  assert.deepEqual(host.rows('SELECT msg FROM log'), [{ msg: 'saw 22012' }]);
});

test('variables keep their values after a rolled-back block; nested blocks roll back independently', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE steps text := ''; BEGIN
  BEGIN
    INSERT INTO log VALUES ('outer');
    BEGIN
      INSERT INTO log VALUES ('inner');
      steps := steps || 'i';
      RAISE EXCEPTION 'inner failure';
    EXCEPTION WHEN raise_exception THEN
      steps := steps || 'c';
    END;
    steps := steps || 'o';
  END;
  RETURN steps;
END`, { returnType: text });
  assert.equal(f.call([], host), 'ico');
  assert.deepEqual(host.rows('SELECT msg FROM log'), [{ msg: 'outer' }]);
});

test('GET STACKED DIAGNOSTICS reads the caught error\'s fields', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE st text; msg text; det text; hnt text; ctx text; con text; tbl text; BEGIN
  INSERT INTO users VALUES (1, 'a');
  INSERT INTO users VALUES (1, 'b');
  RETURN 'none';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
    hnt = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT, con = CONSTRAINT_NAME;
  RETURN concat_ws('|', st, msg, det, hnt, ctx, con);
END`, { returnType: text });
  assert.equal(f.call([], host), '23505|duplicate key value violates unique constraint "users_pkey"|Key (id)=(1) already exists.||'
    + 'SQL statement "INSERT INTO users VALUES (1, \'b\')"\nPL/pgSQL function f() line 3 at SQL statement|users_pkey');
  const custom = compile(`DECLARE d text; h text; BEGIN
  RAISE 'boom' USING DETAIL = 'the detail', HINT = 'the hint';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  RETURN d || '/' || h;
END`, { returnType: text });
  assert.equal(custom.call([], host), 'the detail/the hint');
});

test('errors carry PL/pgSQL context lines with the line number and statement', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE
  x int;
BEGIN
  x := 1;
  IF x = 1 THEN
    x := x / 0;
  END IF;
  RETURN x;
END`, { name: 'public.divide_it', argNames: ['a', null], argTypes: [int4, text], returnType: int4 });
  const e = throwsCode(() => f.call([1, 'x'], host), '22012', 'division by zero');
  assert.equal(e.where, 'PL/pgSQL function divide_it(integer,text) line 6 at assignment');
});

test('OTHERS does not catch query_canceled or assert_failure', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`BEGIN
  ASSERT false, 'must fail';
  RETURN 1;
EXCEPTION WHEN OTHERS THEN RETURN 2;
END`, { returnType: int4 });
  throwsCode(() => f.call([], host), 'P0004', 'must fail');
  const loop = compile(`BEGIN LOOP PERFORM 1; END LOOP; EXCEPTION WHEN OTHERS THEN RETURN 2; END`, { returnType: int4 });
  let checks = 0;
  host.checkInterrupt = () => {
    if (++checks > 3) throw new DbError('query_canceled', 'canceling statement due to user request');
  };
  throwsCode(() => loop.call([], host), '57014', 'canceling statement due to user request');
  assert.equal(checks, 4);
  const explicit = compile(`BEGIN RAISE query_canceled; EXCEPTION WHEN query_canceled THEN RETURN 3; END`, { returnType: int4 });
  assert.equal(explicit.call([], host), 3);
});

test('COMMIT and ROLLBACK: only in procedures, outside EXCEPTION blocks, and only when the host allows it', async () => {
  const host = await SessionHost.open(SCHEMA);
  const fn = compile(`BEGIN COMMIT; RETURN 1; END`, { returnType: int4 });
  throwsCode(() => fn.call([], host), '2D000', 'invalid transaction termination');
  const proc = compile(`BEGIN INSERT INTO log VALUES ('a'); COMMIT; INSERT INTO log VALUES ('b'); ROLLBACK AND CHAIN; END`, { isProcedure: true });
  throwsCode(() => proc.call([], host), '2D000', 'invalid transaction termination');
  const calls: string[] = [];
  const txHost = Object.assign(Object.create(host) as SessionHost, {
    commit: (chain: boolean) => calls.push(`commit ${chain}`),
    rollback: (chain: boolean) => calls.push(`rollback ${chain}`),
  });
  proc.call([], txHost);
  assert.deepEqual(calls, ['commit false', 'rollback true']);
  const inBlock = compile(`BEGIN BEGIN COMMIT; EXCEPTION WHEN OTHERS THEN RAISE; END; END`, { isProcedure: true });
  throwsCode(() => inBlock.call([], txHost), '2D000', 'cannot commit while a subtransaction is active');
});

test('a routine time limit cancels a runaway loop with 57014', async () => {
  const host = await SessionHost.open(SCHEMA);
  let now = 0;
  const clock = { ...host.env.clock, monotonicMs: () => (now += 1) };
  const timed = Object.create(host, { env: { value: { ...host.env, clock } } }) as SessionHost;
  const f = compile('DECLARE i int := 0; BEGIN LOOP i := i + 1; END LOOP; END', {
    returnType: int4, limits: { cpuMillis: 50, memoryBytes: 0 },
  });
  const e = throwsCode(() => f.call([], timed), '57014');
  assert.match(e.message, /time limit of PL\/pgSQL function f\(\) \(50 ms\)/);
  assert.match(e.where ?? '', /line 1 at LOOP/);
});
