import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ex, parseExpression, select } from './helpers.ts';

test('arithmetic and unary precedence', () => {
  assert.equal(ex('a + b * c'), '(+ a (* b c))');
  assert.equal(ex('a - b - c'), '(- (- a b) c)');
  assert.equal(ex('-2 ^ 2'), '(^ (- 2) 2)');
  assert.equal(ex('2 ^ 3 ^ 2'), '(^ (^ 2 3) 2)');
  assert.equal(ex('a * b % c / d'), '(/ (% (* a b) c) d)');
  assert.equal(ex('- - a'), '(- (- a))');
  assert.equal(ex('(a + b) * c'), '(* (+ a b) c)');
});

test('boolean precedence', () => {
  assert.equal(ex('NOT a = b'), '(not (= a b))');
  assert.equal(ex('a IS NOT NULL AND b'), '(and (is-not-null a) b)');
  assert.equal(ex('x BETWEEN 1 AND 2 AND y'), '(and (between x 1 2) y)');
  assert.equal(ex('a OR b AND c OR d'), '(or a (and b c) d)');
  assert.equal(ex('a AND b AND c'), '(and a b c)');
  assert.equal(ex('NOT a AND b'), '(and (not a) b)');
  assert.equal(ex('a = b IS TRUE'), '(is-true (= a b))');
  assert.equal(ex('a < b = false'.replace('= false', 'IS FALSE')), '(is-false (< a b))');
  assert.equal(ex('a || b = c'), '(= (|| a b) c)');
  assert.equal(ex('a + b || c'), '(|| (+ a b) c)');
  assert.equal(ex('a LIKE b || c'), '(like a (|| b c))');
  assert.equal(ex('a = b AND NOT c <> d'), '(and (= a b) (not (<> c d)))');
});

test('generic operators', () => {
  assert.equal(ex("j -> 'a' ->> 'b'"), "(->> (-> j 'a') 'b')");
  assert.equal(ex("j #> '{a}' #>> '{b}'"), "(#>> (#> j '{a}') '{b}')");
  assert.equal(ex('a @> b AND a <@ b'), '(and (@> a b) (<@ a b))');
  assert.equal(ex("j ? 'k' OR j ?| a OR j ?& a"), "(or (? j 'k') (?| j a) (?& j a))");
  assert.equal(ex('a && b'), '(&& a b)');
  assert.equal(ex('a << 1 | b & c # d'), '(# (& (| (<< a 1) b) c) d)');
  assert.equal(ex("s ~ 'x' AND s ~* 'y' AND s !~ 'z' AND s !~* 'w'"),
    "(and (~ s 'x') (~* s 'y') (!~ s 'z') (!~* s 'w'))");
  assert.equal(ex('~ a + b'), '(~ (+ a b))');
  assert.equal(ex('|/ 16'), '(|/ 16)');
  assert.equal(ex('a != b'), '(<> a b)');
  const e = parseExpression('a OPERATOR(pg_catalog.+) b');
  assert.ok(e.kind === 'BinaryOp' && e.schema === 'pg_catalog' && e.op === '+');
});

test('IS forms, ISNULL, NOTNULL, DISTINCT FROM', () => {
  assert.equal(ex('a IS NULL'), '(is-null a)');
  assert.equal(ex('a ISNULL'), '(is-null a)');
  assert.equal(ex('a NOTNULL'), '(is-not-null a)');
  assert.equal(ex('a IS NOT UNKNOWN'), '(is-not-unknown a)');
  assert.equal(ex('a IS DISTINCT FROM b + 1'), '(distinct a (+ b 1))');
  assert.equal(ex('a IS NOT DISTINCT FROM b'), '(not-distinct a b)');
});

test('BETWEEN, IN, LIKE, SIMILAR', () => {
  assert.equal(ex('x NOT BETWEEN SYMMETRIC a + 1 AND b'), '(not-between-sym x (+ a 1) b)');
  assert.equal(ex('x IN (1, 2, 3)'), '(in x 1 2 3)');
  assert.equal(ex('x NOT IN (1)'), '(not-in x 1)');
  assert.equal(ex('x IN (SELECT 1)'), '(in-subquery x)');
  assert.equal(ex('x IN ((SELECT 1))'), '(in-subquery x)');
  assert.equal(ex('(a, b) IN (SELECT 1, 2)'), '(in-subquery (row a b))');
  assert.equal(ex("x LIKE 'a%' ESCAPE '!'"), "(like x 'a%' '!')");
  assert.equal(ex("x NOT ILIKE 'a'"), "(not-ilike x 'a')");
  assert.equal(ex("x SIMILAR TO 'a|b'"), "(similar x 'a|b')");
  assert.equal(ex("x NOT SIMILAR TO 'a'"), "(not-similar x 'a')");
});

test('quantified comparisons', () => {
  assert.equal(ex('x = ANY (SELECT 1)'), '(= any x (subquery))');
  assert.equal(ex('x <> ALL (ARRAY[1, 2])'), '(<> all x [1 2])');
  assert.equal(ex('x = SOME (arr)'), '(= any x arr)');
  assert.equal(ex("x LIKE ANY (ARRAY['a'])"), "(~~ any x ['a'])");
});

test('postfix: casts, subscripts, slices, field selection, COLLATE, AT TIME ZONE', () => {
  assert.equal(ex('a::int'), '(:: a int4)');
  assert.equal(ex('a::text::varchar'), '(:: (:: a text) varchar)');
  assert.equal(ex('-a::int'), '(- (:: a int4))');
  assert.equal(ex("'{1}'::int[]"), "(:: '{1}' int4[])");
  assert.equal(ex('a[1]'), '([] a 1)');
  assert.equal(ex('a[1:2]'), '([] a 1:2)');
  assert.equal(ex('a[:2]'), '([] a _:2)');
  assert.equal(ex('a[1:]'), '([] a 1:_)');
  assert.equal(ex('a[1][2]'), '([] ([] a 1) 2)');
  assert.equal(ex('(r).f'), '(. r f)');
  assert.equal(ex('(r).*'), '(. r *)');
  assert.equal(ex('(f(x)).a.b'), '(. (. f(x) a) b)');
  assert.equal(ex('a COLLATE "C"'), '(collate a C)');
  assert.equal(ex("ts AT TIME ZONE 'UTC'"), "(at-tz ts 'UTC')");
  assert.equal(ex('ts AT LOCAL'), '(at-tz ts local)');
  assert.equal(ex("a || b AT TIME ZONE 'x'"), "(|| a (at-tz b 'x'))");
  assert.equal(ex('CAST(a AS numeric(10, 2))'), '(:: a numeric)');
});

test('column references and stars', () => {
  assert.equal(ex('a'), 'a');
  assert.equal(ex('t.a'), 't.a');
  assert.equal(ex('s.t.a'), 's.t.a');
  assert.equal(ex('"T".*'), 'T.*');
  const s = select('SELECT *, t.* FROM t');
  assert.deepEqual(s.targets.map((t) => t.expr), [
    { kind: 'ColumnRef', names: [], star: true, loc: 7 },
    { kind: 'ColumnRef', names: ['t'], star: true, loc: 10 },
  ]);
});

test('literals', () => {
  const lit = (s: string) => parseExpression(s);
  assert.deepEqual(lit('9223372036854775808'),
    { kind: 'IntegerLiteral', value: '9223372036854775808', loc: 0 });
  assert.deepEqual(lit('1.50'), { kind: 'NumericLiteral', value: '1.50', loc: 0 });
  assert.deepEqual(lit("'x'"), { kind: 'StringLiteral', value: 'x', loc: 0 });
  assert.deepEqual(lit('TRUE'), { kind: 'BooleanLiteral', value: true, loc: 0 });
  assert.deepEqual(lit('null'), { kind: 'NullLiteral', loc: 0 });
  assert.deepEqual(lit("B'101'"), { kind: 'BitStringLiteral', value: '101', loc: 0 });
  assert.deepEqual(lit('$3'), { kind: 'Param', index: 3, loc: 0 });
  assert.equal(ex("DATE '2020-01-01'"), "(date '2020-01-01')");
  assert.equal(ex("TIMESTAMP '2020-01-01'"), "(timestamp '2020-01-01')");
  assert.equal(ex("timestamp with time zone 'x'"), "(timestamptz 'x')");
  assert.equal(ex("INTERVAL '1 day'"), "(interval '1 day')");
  assert.equal(ex("INTERVAL '1' DAY TO SECOND"), "(interval '1' day to second)");
  assert.equal(ex("int '5'"), "(int4 '5')");
  assert.equal(ex("jsonb '{}'"), "(jsonb '{}')");
  assert.equal(ex("double precision '1'"), "(float8 '1')");
});

test('function calls', () => {
  assert.equal(ex('count(*)'), 'count(*)');
  assert.equal(ex('count(DISTINCT a)'), 'count(distinct a)');
  assert.equal(ex('pg_catalog.now()'), 'pg_catalog.now()');
  assert.equal(ex('f(a => 1, b := 2)'), 'f(a=>1 b=>2)');
  assert.equal(ex('left(s, 2)'), 'left(s 2)');
  const agg = parseExpression("string_agg(x, ',' ORDER BY y DESC) FILTER (WHERE x > 0)");
  assert.ok(agg.kind === 'FuncCall');
  assert.equal(agg.orderBy.length, 1);
  assert.equal(agg.orderBy[0]!.direction, 'desc');
  assert.ok(agg.filter !== null);
  const wg = parseExpression('percentile_cont(0.5) WITHIN GROUP (ORDER BY x)');
  assert.ok(wg.kind === 'FuncCall' && wg.withinGroup?.length === 1);
  const v = parseExpression('f(1, VARIADIC arr)');
  assert.ok(v.kind === 'FuncCall' && v.variadic && v.args.length === 2);
});

test('window functions', () => {
  const e = parseExpression(
    'sum(x) OVER (w PARTITION BY a, b ORDER BY c ROWS BETWEEN 2 PRECEDING AND UNBOUNDED ' +
    'FOLLOWING EXCLUDE CURRENT ROW)');
  assert.ok(e.kind === 'FuncCall' && e.over !== null);
  const w = e.over;
  assert.equal(w.refName, 'w');
  assert.equal(w.partitionBy.length, 2);
  assert.equal(w.orderBy.length, 1);
  assert.equal(w.frame?.mode, 'rows');
  assert.equal(w.frame?.start.type, 'preceding');
  assert.equal(w.frame?.end?.type, 'unbounded_following');
  assert.equal(w.frame?.exclusion, 'current_row');
  const named = parseExpression('rank() OVER w');
  assert.ok(named.kind === 'FuncCall' && named.over?.refName === 'w');
  const single = parseExpression('sum(x) OVER (RANGE CURRENT ROW)');
  assert.ok(single.kind === 'FuncCall' && single.over?.frame?.end === null);
  const groups = parseExpression('sum(x) OVER (ORDER BY y GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING EXCLUDE TIES)');
  assert.ok(groups.kind === 'FuncCall' && groups.over?.frame?.mode === 'groups');
});

test('CASE, conditional functions, GROUPING', () => {
  assert.equal(ex('CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END'), '(case [a 1] [b 2] else 3)');
  assert.equal(ex("CASE x WHEN 1 THEN 'a' END"), "(case x [1 'a'])");
  assert.equal(ex('COALESCE(a, b, c)'), 'coalesce(a b c)');
  assert.equal(ex('NULLIF(a, b)'), 'nullif(a b)');
  assert.equal(ex('GREATEST(a, b) + LEAST(c, d)'), '(+ greatest(a b) least(c d))');
  assert.equal(ex('GROUPING(a, b)'), 'grouping(a b)');
});

test('arrays, rows, subqueries', () => {
  assert.equal(ex('ARRAY[1, 2]'), '[1 2]');
  assert.equal(ex('ARRAY[[1, 2], [3]]'), '[[1 2] [3]]');
  assert.equal(ex('ARRAY[]::int[]'), '(:: [] int4[])');
  assert.equal(ex('ARRAY(SELECT 1)'), '(array-subquery)');
  assert.equal(ex('ROW(1, 2)'), '(row 1 2)');
  assert.equal(ex('ROW()'), '(row )');
  assert.equal(ex('(1, 2)'), '(row 1 2)');
  assert.equal(ex('EXISTS (SELECT 1)'), '(exists)');
  assert.equal(ex('(SELECT 1) + 1'), '(+ (subquery) 1)');
  assert.equal(ex('((SELECT 1) UNION (SELECT 2))'), '(subquery)');
});

test('SQL-standard special functions map to function calls', () => {
  assert.equal(ex('EXTRACT(YEAR FROM ts)'), "extract('year' ts)");
  assert.equal(ex('SUBSTRING(s FROM 2 FOR 3)'), 'substring(s 2 3)');
  assert.equal(ex('SUBSTRING(s FROM 2)'), 'substring(s 2)');
  assert.equal(ex('SUBSTRING(s FOR 3)'), 'substring(s 1 3)');
  assert.equal(ex('substring(s, 1, 2)'), 'substring(s 1 2)');
  assert.equal(ex("POSITION('b' IN s)"), "position(s 'b')");
  assert.equal(ex("TRIM(BOTH 'x' FROM s)"), "btrim(s 'x')");
  assert.equal(ex("TRIM(LEADING FROM s)"), 'ltrim(s)');
  assert.equal(ex("TRIM(TRAILING 'x' FROM s)"), "rtrim(s 'x')");
  assert.equal(ex('TRIM(s)'), 'btrim(s)');
  assert.equal(ex("OVERLAY(s PLACING 'x' FROM 2 FOR 3)"), "overlay(s 'x' 2 3)");
  assert.equal(ex("OVERLAY(s PLACING 'x' FROM 2)"), "overlay(s 'x' 2)");
});

test('SQL value functions', () => {
  assert.equal(ex('CURRENT_DATE'), 'current_date');
  assert.equal(ex('CURRENT_TIMESTAMP(3)'), 'current_timestamp(3)');
  assert.equal(ex('CURRENT_TIME'), 'current_time');
  assert.equal(ex('LOCALTIME'), 'localtime');
  assert.equal(ex('LOCALTIMESTAMP'), 'localtimestamp');
  assert.equal(ex('CURRENT_USER'), 'current_user');
  assert.equal(ex('SESSION_USER'), 'session_user');
  assert.equal(ex('USER'), 'user');
  assert.equal(ex('CURRENT_ROLE'), 'current_role');
  assert.equal(ex('CURRENT_SCHEMA'), 'current_schema');
  assert.equal(ex('CURRENT_CATALOG'), 'current_catalog');
});

test('common column names are identifiers; bare aliases work', () => {
  const s = select('SELECT name, value, type, key, data, text, timestamp, date, time, year, ' +
    'month, day, first, last, position, count, level, action, comment, status, "user" FROM t');
  assert.equal(s.targets.length, 21);
  assert.ok(s.targets.every((t) => t.expr.kind === 'ColumnRef' && t.alias === null));
  const a = select('SELECT a b, c AS "D", d name, e value, count(*) count, f AS from FROM t');
  assert.deepEqual(a.targets.map((t) => t.alias), ['b', 'D', 'name', 'value', 'count', 'from']);
});

test('expression locations', () => {
  const e = parseExpression('  a + (b * c)');
  assert.ok(e.kind === 'BinaryOp');
  assert.equal(e.loc, 2);
  assert.equal(e.right.loc, 7);
});
