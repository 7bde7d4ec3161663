/**
 * Cursors: bound cursors with arguments, refcursor variables opened FOR a query or FOR EXECUTE,
 * FETCH / MOVE in every direction with FOUND, CLOSE, and FOR rec IN cursor loops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Types } from '../../src/types/sql-type.ts';
import { SessionHost, compile, throwsCode } from './session-host.ts';

const text = Types.text;
const SCHEMA = `CREATE TABLE t (id int, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')`;

test('a bound cursor with an argument: OPEN, FETCH until NOT FOUND, CLOSE', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE
  c CURSOR (lo int) FOR SELECT id, v FROM t WHERE id >= lo ORDER BY id;
  r record;
  s text := '';
BEGIN
  OPEN c(2);
  LOOP
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    s := s || r.v;
  END LOOP;
  CLOSE c;
  OPEN c(4);
  FETCH c INTO r;
  CLOSE c;
  RETURN s || r.v;
END`, { returnType: text });
  assert.equal(f.call([], host), 'bcdd');
});

test('FETCH and MOVE directions on a refcursor opened FOR a query and FOR EXECUTE', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE
  c refcursor;
  x int;
  y text;
  s text := '';
BEGIN
  OPEN c FOR SELECT id, v FROM t ORDER BY id;
  FETCH LAST FROM c INTO x, y;          s := s || x;
  FETCH PRIOR FROM c INTO x;            s := s || x;
  FETCH FIRST FROM c INTO x;            s := s || x;
  FETCH ABSOLUTE 3 FROM c INTO x;       s := s || x;
  FETCH RELATIVE -1 FROM c INTO x;      s := s || x;
  MOVE FORWARD 2 FROM c;                s := s || FOUND;
  FETCH NEXT FROM c INTO x;             s := s || FOUND || coalesce(x::text, 'null');
  MOVE BACKWARD ALL FROM c;
  FETCH c INTO x;                       s := s || x;
  CLOSE c;
  OPEN c FOR EXECUTE 'SELECT v FROM t WHERE id = $1' USING 2;
  FETCH c INTO y;
  CLOSE c;
  RETURN s || y;
END`, { returnType: text });
  assert.equal(f.call([], host), '43132truefalsenull1b');
});

test('FOR rec IN cursor loops; cursor errors', async () => {
  const host = await SessionHost.open(SCHEMA);
  const f = compile(`DECLARE
  c CURSOR (hi int) FOR SELECT v FROM t WHERE id <= hi ORDER BY id DESC;
  s text := '';
BEGIN
  FOR r IN c(3) LOOP s := s || r.v; END LOOP;
  FOR r IN c(1) LOOP s := s || r.v; END LOOP;
  RETURN s;
END`, { returnType: text });
  assert.equal(f.call([], host), 'cbaa');
  const twice = compile(`DECLARE c CURSOR FOR SELECT 1; BEGIN OPEN c; OPEN c; RETURN ''; END`, { returnType: text });
  throwsCode(() => twice.call([], host), '42P03', 'cursor "c" already in use');
  const closed = compile(`DECLARE c refcursor; x int; BEGIN FETCH c INTO x; RETURN ''; END`, { returnType: text });
  throwsCode(() => closed.call([], host), '34000', 'cursor "c" is not open');
  assert.throws(() => compile(`DECLARE c CURSOR (a int) FOR SELECT a; BEGIN OPEN c; RETURN ''; END`, { returnType: text }),
    /wrong number of arguments for cursor "c"/);
});
