/**
 * CREATE / DROP FUNCTION and calls of user functions: the JS default language, SQL-language
 * bodies (args by name and $n, multi-statement, SETOF / TABLE), overloading, defaults, named
 * arguments, search_path and schema-qualified calls, STRICT, REPLACE, errors with SQLSTATEs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import './test-js.ts';
import { Oxibase } from '../../src/index.ts';
import { fails } from '../engine/helpers.ts';
import { registerLanguage } from '../../src/scripting/registry.ts';

async function open(): Promise<Oxibase> {
  return Oxibase.open('memory://');
}

test('the issue example works as written: no LANGUAGE means JavaScript', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION calculate_total(price INT, tax FLOAT) RETURNS FLOAT AS 'return price * (1 + tax);'");
  const r = await db.query('SELECT calculate_total(100, 0.25) AS total');
  assert.deepEqual(r.rows, [{ total: 125 }]);
  assert.equal(r.fields[0]!.type, 'double precision');
  // Implicit casts reach the declared argument types (numeric literal -> float8).
  assert.deepEqual((await db.query('SELECT calculate_total(10, 0.5::numeric) AS t')).rows, [{ t: 15 }]);
});

test('an unknown language is 42704; a missing function 42883', async () => {
  const db = await open();
  await fails(db.query("CREATE FUNCTION f() RETURNS int LANGUAGE cobol AS 'x'"), '42704', 'language "cobol" does not exist');
  await fails(db.query('SELECT nope(1)'), '42883', /function nope\(integer\) does not exist/);
});

test('SQL functions: args by name and $n, last statement is the result, casts to the declared type', async () => {
  const db = await open();
  await db.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
  await db.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  await db.query("CREATE FUNCTION add(a int, b int) RETURNS bigint LANGUAGE sql AS 'SELECT a + $2'");
  assert.deepEqual((await db.query('SELECT add(2, 3) AS s')).rows, [{ s: 5 }]);
  await db.query(`CREATE FUNCTION bump(k int) RETURNS text LANGUAGE sql AS $$
    UPDATE t SET v = v || '!' WHERE id = k;
    SELECT v FROM t WHERE id = k
  $$`);
  assert.deepEqual((await db.query('SELECT bump(2) AS v')).rows, [{ v: 'b!' }]);
  // A column of the same name wins over the argument (PostgreSQL); fname.arg qualifies.
  await db.query("CREATE FUNCTION pick(id int) RETURNS text LANGUAGE sql AS 'SELECT v FROM t WHERE t.id = pick.id'");
  assert.deepEqual((await db.query('SELECT pick(3) AS v')).rows, [{ v: 'c' }]);
  // No row: NULL.
  assert.deepEqual((await db.query('SELECT pick(99) AS v')).rows, [{ v: null }]);
  // SQL-standard bodies.
  await db.query('CREATE FUNCTION sq(x int) RETURNS int RETURN x * x');
  assert.deepEqual((await db.query('SELECT sq(7) AS v')).rows, [{ v: 49 }]);
  await db.query('CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t; END');
  assert.deepEqual((await db.query('SELECT cnt() AS n')).rows, [{ n: 3 }]);
});

test('SQL function definition errors: syntax (42601) and result mismatch (42P13) at CREATE', async () => {
  const db = await open();
  await fails(db.query("CREATE FUNCTION bad() RETURNS int LANGUAGE sql AS 'SELEC 1'"), '42601', /line 1, column 1/);
  await fails(db.query("CREATE FUNCTION bad() RETURNS int LANGUAGE sql AS 'CREATE TABLE x (a int)'"), '42P13',
    'return type mismatch in function declared to return integer');
  await db.query("CREATE FUNCTION two() RETURNS int LANGUAGE sql AS 'SELECT 1, 2'");
  await fails(db.query('SELECT two()'), '42P13', /return type mismatch/);
  await fails(db.query("CREATE FUNCTION t() RETURNS trigger LANGUAGE sql AS 'SELECT 1'"), '0A000', 'SQL functions cannot return type trigger');
});

test('SETOF and RETURNS TABLE functions in FROM and in the select list', async () => {
  const db = await open();
  await db.query('CREATE TABLE t (id int, v text)');
  await db.query("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  await db.query("CREATE FUNCTION upto(n int) RETURNS TABLE(id int, v text) LANGUAGE sql AS 'SELECT id, v FROM t WHERE id <= n ORDER BY id'");
  assert.deepEqual((await db.query('SELECT * FROM upto(2)')).rows, [{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  assert.deepEqual((await db.query('SELECT u.v FROM upto(3) AS u WHERE u.id > 1 ORDER BY 1 DESC')).rows, [{ v: 'c' }, { v: 'b' }]);
  await db.query("CREATE FUNCTION ids() RETURNS SETOF int LANGUAGE sql AS 'SELECT id FROM t ORDER BY id'");
  assert.deepEqual((await db.query('SELECT ids()')).rows, [{ ids: 1 }, { ids: 2 }, { ids: 3 }]);
  assert.deepEqual((await db.query('SELECT sum(x) AS s FROM ids() AS x')).rows, [{ s: 6 }]);
  // LATERAL: a set-returning user function per outer row.
  assert.deepEqual((await db.query('SELECT t.id, u.v FROM t, LATERAL upto(t.id) u WHERE t.id = 2 ORDER BY u.id')).rows,
    [{ id: 2, v: 'a' }, { id: 2, v: 'b' }]);
  // JS set-returning function.
  await db.query("CREATE FUNCTION evens(n int) RETURNS SETOF int LANGUAGE testjs AS 'const o = []; for (let i = 0; i <= n; i += 2) o.push(i); return o;'");
  assert.deepEqual((await db.query('SELECT * FROM evens(5) e')).rows, [{ e: 0 }, { e: 2 }, { e: 4 }]);
  assert.deepEqual((await db.query('SELECT * FROM evens(2) WITH ORDINALITY AS e(v, n)')).rows, [{ v: 0, n: 1 }, { v: 2, n: 2 }]);
  // OUT parameters: a one-row function with columns.
  await db.query("CREATE FUNCTION divmod(a int, b int, OUT q int, OUT r int) LANGUAGE sql AS 'SELECT a / b, a % b'");
  assert.deepEqual((await db.query('SELECT * FROM divmod(17, 5)')).rows, [{ q: 3, r: 2 }]);
});

test('overloading by argument types, defaults, named and mixed notation', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION kind(x int) RETURNS text LANGUAGE sql AS $$SELECT 'int'$$");
  await db.query("CREATE FUNCTION kind(x text) RETURNS text LANGUAGE sql AS $$SELECT 'text'$$");
  await db.query("CREATE FUNCTION kind(x int, y int) RETURNS text LANGUAGE sql AS $$SELECT 'two'$$");
  assert.deepEqual((await db.query("SELECT kind(1) a, kind('s'::text) b, kind(1, 2) c")).rows, [{ a: 'int', b: 'text', c: 'two' }]);
  await fails(db.query("CREATE FUNCTION kind(x int) RETURNS text LANGUAGE sql AS $$SELECT 'again'$$"), '42723',
    /function "kind\(integer\)" already exists with same argument types/);
  await db.query("CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hello', punct text DEFAULT '!') RETURNS text LANGUAGE sql AS $$SELECT greeting || ', ' || name || punct$$");
  const r = await db.query("SELECT greet('Ann') a, greet('Bob', 'Hi') b, greet(name => 'Cy', punct => '?') c, greet('Di', punct => '.') d");
  assert.deepEqual(r.rows, [{ a: 'Hello, Ann!', b: 'Hi, Bob!', c: 'Hello, Cy?', d: 'Hello, Di.' }]);
  await fails(db.query("SELECT greet(nobody => 'x')"), '42883');
  await fails(db.query('CREATE FUNCTION bad(a int DEFAULT 1, b int) RETURNS int RETURN a'), '42P13',
    'input parameters after one with a default value must also have defaults');
  // VARIADIC packs trailing arguments into an array.
  await db.query("CREATE FUNCTION total(VARIADIC xs int[]) RETURNS int LANGUAGE sql AS 'SELECT sum(x)::int FROM unnest(xs) x'");
  assert.deepEqual((await db.query('SELECT total(1, 2, 3, 4) AS s')).rows, [{ s: 10 }]);
});

test('STRICT returns NULL without calling; volatility; schema-qualified calls and search_path', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION loud(x int) RETURNS int STRICT LANGUAGE testjs AS 'if (x === null) throw new Error(\"called\"); return x;'");
  assert.deepEqual((await db.query('SELECT loud(NULL) AS v')).rows, [{ v: null }]);
  await db.query("CREATE FUNCTION lax(x int) RETURNS int LANGUAGE testjs AS 'return x === null ? -1 : x;'");
  assert.deepEqual((await db.query('SELECT lax(NULL) AS v')).rows, [{ v: -1 }]);
  await db.query('CREATE SCHEMA s1');
  await db.query("CREATE FUNCTION s1.who() RETURNS text LANGUAGE sql AS $$SELECT 's1'$$");
  await db.query("CREATE FUNCTION who() RETURNS text LANGUAGE sql AS $$SELECT 'public'$$");
  assert.deepEqual((await db.query('SELECT who() a, s1.who() b')).rows, [{ a: 'public', b: 's1' }]);
  const s = db.session();
  await s.query('SET search_path = s1, public');
  assert.deepEqual((await s.query('SELECT who() a')).rows, [{ a: 's1' }]);
  await fails(db.query('SELECT s2.who()'), '42883', /function s2\.who\(\) does not exist/);
});

test('CREATE OR REPLACE changes the body (plans are invalidated); the result type cannot change', async () => {
  const db = await open();
  await db.query('CREATE FUNCTION v() RETURNS int RETURN 1');
  assert.deepEqual((await db.query('SELECT v() AS x')).rows, [{ x: 1 }]);
  await db.query('CREATE OR REPLACE FUNCTION v() RETURNS int RETURN 2');
  assert.deepEqual((await db.query('SELECT v() AS x')).rows, [{ x: 2 }]);
  await fails(db.query("CREATE OR REPLACE FUNCTION v() RETURNS text RETURN 'x'"), '42P13', 'cannot change return type of existing function');
  await fails(db.query('CREATE OR REPLACE PROCEDURE v() LANGUAGE sql AS $$SELECT 1$$'), '42809');
});

test('DROP FUNCTION: by signature, IF EXISTS, ambiguity, transactional', async () => {
  const db = await open();
  await db.query('CREATE FUNCTION d(x int) RETURNS int RETURN x');
  await db.query('CREATE FUNCTION d(x text) RETURNS text RETURN x');
  await fails(db.query('DROP FUNCTION d'), '42725', 'function name "d" is not unique');
  await db.query('DROP FUNCTION d(text)');
  await fails(db.query("SELECT d('a'::text)"), '42883');
  await fails(db.query('DROP FUNCTION d(bigint)'), '42883', 'function d(bigint) does not exist');
  const r = await db.query('DROP FUNCTION IF EXISTS d(bigint)');
  assert.match(r.notices?.[0]?.message ?? '', /function d\(bigint\) does not exist, skipping/);
  await db.query('BEGIN');
  await db.query('DROP FUNCTION d(int)');
  await db.query('ROLLBACK');
  assert.deepEqual((await db.query('SELECT d(4) AS v')).rows, [{ v: 4 }]);
  await db.query('DROP FUNCTION d');
  await fails(db.query('SELECT d(4)'), '42883');
});

test('runaway recursion stops at the call depth limit with 54001', async () => {
  const db = await open();
  await db.query('CREATE FUNCTION fact(n int) RETURNS bigint LANGUAGE sql AS $$SELECT CASE WHEN n <= 1 THEN 1 ELSE n * fact(n - 1) END$$');
  assert.deepEqual((await db.query('SELECT fact(10) AS f')).rows, [{ f: 3628800 }]);
  await db.query("CREATE FUNCTION forever(n int) RETURNS int LANGUAGE testjs AS 'return oxibase.query(\"SELECT forever($1) AS x\", [n + 1])[0].x;'");
  await fails(db.query('SELECT forever(1)'), '54001', 'stack depth limit exceeded');
});

test('writes inside a function vanish when the caller rolls back', async () => {
  const db = await open();
  await db.query('CREATE TABLE audit (msg text)');
  await db.query("CREATE FUNCTION note(m text) RETURNS int LANGUAGE testjs AS 'oxibase.query(\"INSERT INTO audit VALUES ($1)\", [m]); return 1;'");
  await db.query('BEGIN');
  await db.query("SELECT note('gone')");
  assert.deepEqual((await db.query('SELECT msg FROM audit')).rows, [{ msg: 'gone' }]);
  await db.query('ROLLBACK');
  assert.deepEqual((await db.query('SELECT msg FROM audit')).rows, []);
  await db.query("SELECT note('kept')");
  assert.deepEqual((await db.query('SELECT msg FROM audit')).rows, [{ msg: 'kept' }]);
  // A failing statement undoes what its functions wrote.
  await fails(db.query("SELECT note('x'), 1 / 0"), '22012');
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM audit')).rows, [{ n: 1 }]);
});

test('subtransactions roll back only their part; log() reaches the client and the routine log', async () => {
  const db = await open();
  await db.query('CREATE TABLE t (id int PRIMARY KEY)');
  await db.query(`CREATE FUNCTION tryins(a int, b int) RETURNS text AS $$
    oxibase.query('INSERT INTO t VALUES ($1)', [a]);
    try { oxibase.subtransaction(() => { oxibase.query('INSERT INTO t VALUES ($1)', [b]); }); }
    catch (e) { oxibase.log('notice', 'skipped ' + b + ': ' + e.sqlstate); return 'partial'; }
    return 'both';
  $$`);
  const r = await db.query('SELECT tryins(1, 1) AS r');
  assert.deepEqual(r.rows, [{ r: 'partial' }]);
  assert.deepEqual(r.notices?.map((n) => [n.severity, n.message]), [['NOTICE', 'skipped 1: 23505']]);
  assert.deepEqual((await db.query('SELECT id FROM t')).rows, [{ id: 1 }]);
  assert.deepEqual((await db.query('SELECT tryins(2, 3) AS r')).rows, [{ r: 'both' }]);
  const log = await db.query("SELECT level, message, routine FROM pg_catalog.oxibase_routine_log WHERE message LIKE 'skipped%'");
  assert.deepEqual(log.rows, [{ level: 'notice', message: 'skipped 1: 23505', routine: 'public.tryins' }]);
});

test('user functions in defaults, CHECK constraints and WHERE clauses', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION positive(x int) RETURNS boolean IMMUTABLE LANGUAGE sql AS 'SELECT x > 0'");
  await db.query('CREATE TABLE p (x int CHECK (positive(x)))');
  await db.query('INSERT INTO p VALUES (1)');
  await fails(db.query('INSERT INTO p VALUES (-1)'), '23514');
  assert.deepEqual((await db.query('SELECT x FROM p WHERE positive(x)')).rows, [{ x: 1 }]);
});

test('STABLE / IMMUTABLE functions cannot write; SET clauses apply per call; SECURITY DEFINER runs as the owner', async () => {
  const db = await open();
  await db.query('CREATE TABLE t (a int)');
  await db.query("CREATE FUNCTION sneaky() RETURNS int STABLE LANGUAGE testjs AS 'oxibase.query(\"INSERT INTO t VALUES (1)\"); return 1;'");
  await fails(db.query('SELECT sneaky()'), '0A000', 'INSERT is not allowed in a non-volatile function');
  await db.query('CREATE SCHEMA other');
  await db.query("CREATE FUNCTION other.where_am_i() RETURNS text LANGUAGE sql AS 'SELECT 1'");
  await db.query("CREATE FUNCTION path() RETURNS text SET search_path = other, public LANGUAGE sql AS $$SELECT current_setting('search_path')$$");
  assert.deepEqual((await db.query('SELECT path() AS p')).rows, [{ p: 'other, public' }]);
  assert.deepEqual((await db.query("SELECT current_setting('search_path') AS p")).rows, [{ p: '"$user", public' }]);
  await fails(db.query("CREATE FUNCTION badset() RETURNS int SET no_such_setting = 1 RETURN 1"), '42704');
  const s = db.session();
  await db.query('CREATE FUNCTION owner_name() RETURNS text SECURITY DEFINER LANGUAGE sql AS $$SELECT current_user::text$$');
  assert.deepEqual((await s.query('SELECT owner_name() AS u, current_user::text AS c')).rows, [{ u: 'oxibase', c: 'oxibase' }]);
  const def = await db.query("SELECT prosecdef, proconfig FROM pg_proc WHERE proname IN ('owner_name', 'path') ORDER BY proname");
  assert.deepEqual(def.rows, [{ prosecdef: true, proconfig: null }, { prosecdef: false, proconfig: ['search_path=other, public'] }]);
});

test('COMMENT ON FUNCTION, pg_get_functiondef, psql \\df-style listing, DROP TABLE drops its triggers', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION add1(x int) RETURNS int IMMUTABLE STRICT LANGUAGE sql AS 'SELECT x + 1'");
  await db.query("COMMENT ON FUNCTION add1(int) IS 'adds one'");
  assert.deepEqual((await db.query("SELECT obj_description('add1'::regproc, 'pg_proc') AS d")).rows, [{ d: 'adds one' }]);
  const fd = await db.query("SELECT pg_get_functiondef('add1'::regproc) AS d");
  assert.equal(fd.rows[0]!['d'], 'CREATE OR REPLACE FUNCTION public.add1(x integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\n STRICT\nAS $function$SELECT x + 1$function$\n');
  // The query psql 15 runs for \df.
  const df = await db.query(`SELECT n.nspname as "Schema", p.proname as "Name",
      pg_catalog.pg_get_function_result(p.oid) as "Result data type",
      pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
      CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc' ELSE 'func' END as "Type"
    FROM pg_catalog.pg_proc p LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE pg_catalog.pg_function_is_visible(p.oid) AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema'
    ORDER BY 1, 2, 4`);
  assert.deepEqual(df.rows, [{ Schema: 'public', Name: 'add1', 'Result data type': 'integer', 'Argument data types': 'x integer', Type: 'func' }]);
  await db.query('CREATE TABLE t (a int)');
  await db.query("CREATE FUNCTION tf() RETURNS trigger LANGUAGE testjs AS 'return TG.NEW;'");
  await db.query('CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()');
  await db.query('DROP TABLE t');
  await db.query('DROP FUNCTION tf()');
  assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM pg_trigger')).rows, [{ n: 0 }]);
});

test('a function that meets a row lock waits for the holder and the statement re-runs', async () => {
  const db = await open();
  await db.query('CREATE TABLE acct (id int PRIMARY KEY, bal int)');
  await db.query('INSERT INTO acct VALUES (1, 100)');
  await db.query("CREATE FUNCTION debit(n int) RETURNS int LANGUAGE testjs AS 'return oxibase.query(\"UPDATE acct SET bal = bal - $1 WHERE id = 1 RETURNING bal\", [n])[0].bal;'");
  await db.query("CREATE FUNCTION debit_sql(n int) RETURNS int LANGUAGE sql AS 'UPDATE acct SET bal = bal - n WHERE id = 1 RETURNING bal'");
  const a = db.session();
  await a.query('BEGIN');
  await a.query('UPDATE acct SET bal = bal + 50 WHERE id = 1');
  const b = db.session();
  const pending = b.query('SELECT debit(30) AS bal');
  const pendingSql = db.session().query('SELECT debit_sql(20) AS bal');
  await a.query('COMMIT');
  const js = (await pending).rows[0]!['bal'];
  const sql = (await pendingSql).rows[0]!['bal'];
  // Both waited for the committed +50, then ran one after the other in either order.
  assert.ok((js === 120 && sql === 100) || (sql === 130 && js === 100), `debit ${String(js)}, debit_sql ${String(sql)}`);
  assert.deepEqual((await db.query('SELECT bal FROM acct')).rows, [{ bal: 100 }]);
});

test('simple SQL functions are inlined without changing results; volatile arguments are not duplicated', async () => {
  const db = await open();
  await db.query('CREATE TABLE t (x int)');
  await db.query('INSERT INTO t SELECT g FROM generate_series(1, 5) g');
  await db.query("CREATE FUNCTION sq(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * a'");
  assert.deepEqual((await db.query('SELECT sum(sq(x))::int AS s FROM t WHERE sq(x) > 4')).rows, [{ s: 50 }]);
  await db.query('CREATE SEQUENCE s');
  await db.query("CREATE FUNCTION twice(a bigint) RETURNS bigint LANGUAGE sql AS 'SELECT a + a'");
  assert.deepEqual((await db.query("SELECT twice(nextval('s')) AS v")).rows, [{ v: 2 }]);
  // The result is converted to the declared type, inlined or not.
  await db.query("CREATE FUNCTION half(a int) RETURNS numeric LANGUAGE sql AS 'SELECT a / 2'");
  const r = await db.query('SELECT half(5) AS v');
  assert.deepEqual(r.rows, [{ v: '2' }]);
  assert.equal(r.fields[0]!.type, 'numeric');
  // Replacing the body changes inlined plans too.
  await db.query("CREATE OR REPLACE FUNCTION sq(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a * a * a'");
  assert.deepEqual((await db.query('SELECT sq(2) AS v')).rows, [{ v: 8 }]);
});

test('results of non-SQL languages are checked against the declared type (42804) and converted where PostgreSQL would', async () => {
  // A raw language that returns whatever the body evaluates to, unconverted.
  registerLanguage({
    names: ['rawtest'], trusted: true,
    compile: (src) => {
      const f = new Function(`return (${src.body});`) as () => unknown;
      return { call: () => f(), dispose: () => undefined };
    },
  });
  const db = await open();
  await db.query("CREATE FUNCTION a() RETURNS int LANGUAGE rawtest AS $$'12'$$");
  await db.query("CREATE FUNCTION b() RETURNS numeric LANGUAGE rawtest AS '1.5'");
  await db.query("CREATE FUNCTION c() RETURNS int LANGUAGE rawtest AS '({})'");
  await db.query("CREATE FUNCTION d() RETURNS int LANGUAGE rawtest AS '3000000000'");
  await db.query("CREATE FUNCTION e() RETURNS SETOF date LANGUAGE rawtest AS $$['2026-01-02']$$");
  assert.deepEqual((await db.query('SELECT a() + 1 AS a, b() AS b')).rows, [{ a: 13, b: '1.5' }]);
  await fails(db.query('SELECT c()'), '42804', 'function c returned a value of JavaScript type Object where integer was expected');
  await fails(db.query('SELECT d()'), '22003');
  assert.deepEqual((await db.query('SELECT * FROM e() AS d')).rows, [{ d: '2026-01-02' }]);
});

test('DROP SCHEMA refuses to drop routines without CASCADE and drops them with it', async () => {
  const db = await open();
  await db.query('CREATE SCHEMA lib');
  await db.query('CREATE FUNCTION lib.one() RETURNS int RETURN 1');
  await fails(db.query('DROP SCHEMA lib'), '2BP01', 'cannot drop schema lib because other objects depend on it', 'function lib.one depends on schema lib');
  const r = await db.query('DROP SCHEMA lib CASCADE');
  assert.match(r.notices?.[0]?.message ?? '', /drop cascades to function lib\.one/);
  assert.deepEqual((await db.query("SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'one'")).rows, [{ n: 0 }]);
});

test('ALTER FUNCTION: RENAME, SET SCHEMA, attributes, SET / RESET, OWNER', async () => {
  const db = await open();
  await db.query("CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a + 1'");
  await db.query('ALTER FUNCTION f(int) RENAME TO g');
  await fails(db.query('SELECT f(1)'), '42883');
  assert.deepEqual((await db.query('SELECT g(1) AS v')).rows, [{ v: 2 }]);
  await db.query('CREATE SCHEMA s');
  await db.query('ALTER FUNCTION g SET SCHEMA s');
  assert.deepEqual((await db.query('SELECT s.g(2) AS v')).rows, [{ v: 3 }]);
  await db.query('ALTER FUNCTION s.g(int) IMMUTABLE STRICT SECURITY DEFINER SET search_path = s');
  const p = await db.query("SELECT provolatile, proisstrict, prosecdef, proconfig FROM pg_proc WHERE proname = 'g'");
  assert.deepEqual(p.rows, [{ provolatile: 'i', proisstrict: true, prosecdef: true, proconfig: ['search_path=s'] }]);
  await db.query('ALTER FUNCTION s.g(int) RESET ALL');
  await db.query('ALTER FUNCTION s.g(int) OWNER TO CURRENT_USER');
  assert.deepEqual((await db.query("SELECT proconfig FROM pg_proc WHERE proname = 'g'")).rows, [{ proconfig: null }]);
  await db.query("CREATE FUNCTION s.h(a int) RETURNS int LANGUAGE sql AS 'SELECT a'");
  await fails(db.query('ALTER FUNCTION s.h(int) RENAME TO g'), '42723');
  await fails(db.query('ALTER PROCEDURE s.h(int) RENAME TO x'), '42883', 'procedure h(integer) does not exist');
});
