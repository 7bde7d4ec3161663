import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JoinExpr, RangeFunction, RangeSubquery, RangeVar, SelectQuery, SetOperationStmt } from '../../src/sql/index.ts';
import { one, parse, select, sx } from './helpers.ts';

test('SELECT clauses', () => {
  const s = select('SELECT DISTINCT ON (a) a, b AS x FROM t WHERE a > 1 GROUP BY a, b ' +
    'HAVING count(*) > 1 WINDOW w AS (PARTITION BY a) ORDER BY 1 DESC NULLS LAST, b USING > ' +
    'LIMIT 10 OFFSET 5 ROWS FOR UPDATE OF t SKIP LOCKED');
  assert.equal(s.distinct, true);
  assert.equal(s.distinctOn?.length, 1);
  assert.deepEqual(s.targets.map((t) => t.alias), [null, 'x']);
  assert.equal(sx(s.where!), '(> a 1)');
  assert.equal(s.groupBy.length, 2);
  assert.equal(sx(s.having!), '(> count(*) 1)');
  assert.equal(s.windows[0]?.name, 'w');
  assert.deepEqual(s.orderBy.map((o) => [o.direction, o.nulls, o.usingOp]),
    [['desc', 'last', null], ['default', 'default', '>']]);
  assert.equal(sx(s.limit!), '10');
  assert.equal(sx(s.offset!), '5');
  assert.deepEqual(s.locking.map((l) => [l.strength, l.of.map((o) => o.name), l.waitPolicy]),
    [['update', ['t'], 'skip_locked']]);
});

test('SELECT without FROM, empty target list, LIMIT ALL, FETCH FIRST', () => {
  assert.equal(select('SELECT 1').from.length, 0);
  assert.equal(select('SELECT FROM t').targets.length, 0);
  assert.equal(select('SELECT a FROM t LIMIT ALL').limit, null);
  const f = select('SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES');
  assert.equal(sx(f.limit!), '3');
  assert.equal(f.limitWithTies, true);
  const g = select('SELECT a FROM t OFFSET 2 ROW FETCH NEXT ROW ONLY');
  assert.equal(sx(g.limit!), '1');
  assert.equal(g.limitWithTies, false);
  const lk = select('SELECT 1 FROM t FOR NO KEY UPDATE NOWAIT FOR KEY SHARE FOR SHARE');
  assert.deepEqual(lk.locking.map((l) => [l.strength, l.waitPolicy]),
    [['no_key_update', 'nowait'], ['key_share', 'block'], ['share', 'block']]);
});

test('GROUP BY grouping sets', () => {
  const s = select('SELECT 1 FROM t GROUP BY DISTINCT a, ROLLUP (a, b), CUBE (c), ' +
    'GROUPING SETS ((a, b), a, ()), ()');
  assert.equal(s.groupByDistinct, true);
  const kinds = s.groupBy.map((g) => g.kind === 'GroupingSet' ? g.type : g.kind);
  assert.deepEqual(kinds, ['ColumnRef', 'rollup', 'cube', 'sets', 'empty']);
  const sets = s.groupBy[3];
  assert.ok(sets?.kind === 'GroupingSet');
  assert.deepEqual(sets.items.map((i) => i.kind === 'GroupingSet' ? i.type : i.kind),
    ['RowExpr', 'ColumnRef', 'empty']);
});

function shape(q: SelectQuery): string {
  if (q.kind === 'SetOperation') {
    return `(${q.op}${q.all ? '-all' : ''} ${shape(q.left)} ${shape(q.right)})`;
  }
  if (q.kind === 'Values') return 'values';
  const t = q.targets[0]?.expr;
  return t ? sx(t) : '?';
}

test('set operation precedence: INTERSECT binds tighter, left associative', () => {
  assert.equal(shape(one('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3', 'SetOperation')),
    '(union 1 (intersect 2 3))');
  assert.equal(shape(one('SELECT 1 UNION SELECT 2 EXCEPT ALL SELECT 3', 'SetOperation')),
    '(except-all (union 1 2) 3)');
  assert.equal(shape(one('SELECT 1 INTERSECT SELECT 2 UNION ALL SELECT 3', 'SetOperation')),
    '(union-all (intersect 1 2) 3)');
  assert.equal(shape(one('SELECT 1 UNION (SELECT 2 UNION SELECT 3)', 'SetOperation')),
    '(union 1 (union 2 3))');
  assert.equal(shape(one('VALUES (1) UNION SELECT 2', 'SetOperation')), '(union values 2)');
});

test('ORDER BY / LIMIT after a set operation apply to the whole result', () => {
  const q = one('SELECT 1 UNION (SELECT 2 ORDER BY 1 LIMIT 1) ORDER BY 1 LIMIT 5',
    'SetOperation') as SetOperationStmt;
  assert.equal(q.orderBy.length, 1);
  assert.equal(sx(q.limit!), '5');
  assert.equal(q.left.kind, 'Select');
  assert.equal(q.left.orderBy.length, 0);
  assert.equal(sx(q.right.limit!), '1');
  const p = one('(SELECT 1) UNION (SELECT 2) ORDER BY 1', 'SetOperation');
  assert.equal(p.orderBy.length, 1);
});

test('VALUES and TABLE statements', () => {
  const v = one("VALUES (1, 'a'), (2, DEFAULT) ORDER BY 1", 'Values');
  assert.equal(v.rows.length, 2);
  assert.equal(v.rows[1]![1]!.kind, 'DefaultExpr');
  assert.equal(v.orderBy.length, 1);
  const t = select('TABLE s.foo');
  assert.equal(t.targets[0]!.expr.kind, 'ColumnRef');
  const rv = t.from[0] as RangeVar;
  assert.deepEqual([rv.name.schema, rv.name.name], ['s', 'foo']);
});

test('WITH, RECURSIVE, MATERIALIZED, data-modifying CTEs', () => {
  const s = select('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r), ' +
    'm AS NOT MATERIALIZED (SELECT 2), d AS MATERIALIZED (DELETE FROM x RETURNING *) ' +
    'SELECT * FROM r');
  assert.equal(s.with?.recursive, true);
  assert.deepEqual(s.with?.ctes.map((c) => [c.name, c.columns, c.materialized, c.query.kind]), [
    ['r', ['n'], 'default', 'SetOperation'],
    ['m', null, 'not_materialized', 'Select'],
    ['d', null, 'materialized', 'Delete'],
  ]);
  const ins = one('WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a', 'Insert');
  assert.equal(ins.with?.ctes[0]?.name, 'a');
  const su = one('WITH a AS (SELECT 1) SELECT 1 UNION SELECT 2', 'SetOperation');
  assert.equal(su.with?.ctes.length, 1);
});

test('FROM: tables, aliases, ONLY, time travel', () => {
  const s = select('SELECT * FROM ONLY s.t AS x (a, b), u v, w * , t2 AS OF TIMESTAMP ' +
    "now() - INTERVAL '1 hour' h, t3 AS OF TRANSACTION 42, t4 AS of");
  const [a, b, c, d, e, f] = s.from as RangeVar[];
  assert.deepEqual([a!.only, a!.name.schema, a!.alias?.name, a!.alias?.columns],
    [true, 's', 'x', ['a', 'b']]);
  assert.equal(b!.alias?.name, 'v');
  assert.equal(c!.alias, null);
  assert.equal(d!.asOf?.type, 'timestamp');
  assert.equal(sx(d!.asOf!.expr), "(- now() (interval '1 hour'))");
  assert.equal(d!.alias?.name, 'h');
  assert.equal(e!.asOf?.type, 'transaction');
  assert.equal(f!.asOf, null);
  assert.equal(f!.alias?.name, 'of');
});

test('FROM: subqueries, LATERAL, functions, VALUES', () => {
  const s = select('SELECT * FROM (SELECT 1) AS s (x), LATERAL (SELECT x) l, ' +
    'generate_series(1, 3) WITH ORDINALITY AS g(x, n), LATERAL unnest(a) u, ' +
    '(VALUES (1, 2)) AS v(a, b), ROWS FROM (f(1), g(2)) r, json_to_record(j) AS r2(a int, b text)');
  const [sub, lat, gen, un, vals, rows, rec] = s.from;
  assert.equal((sub as RangeSubquery).alias?.columns?.[0], 'x');
  assert.equal((lat as RangeSubquery).lateral, true);
  const g = gen as RangeFunction;
  assert.deepEqual([g.ordinality, g.alias?.name, g.alias?.columns], [true, 'g', ['x', 'n']]);
  assert.equal((un as RangeFunction).lateral, true);
  assert.equal((vals as RangeSubquery).query.kind, 'Values');
  assert.equal((rows as RangeFunction).functions.length, 2);
  assert.deepEqual((rec as RangeFunction).columnDefs?.map((c) => [c.name, c.type.name]),
    [['a', 'int4'], ['b', 'text']]);
});

test('joins', () => {
  const s = select('SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c USING (id) AS j ' +
    'CROSS JOIN d NATURAL FULL JOIN e RIGHT JOIN f ON true INNER JOIN g ON false');
  let j = s.from[0] as JoinExpr;
  const types: string[] = [];
  while (j.kind === 'JoinExpr') {
    types.push(`${j.natural ? 'natural-' : ''}${j.joinType}`);
    j = j.left as JoinExpr;
  }
  assert.deepEqual(types.reverse(), ['inner', 'left', 'cross', 'natural-full', 'right', 'inner']);
  const top = s.from[0] as JoinExpr;
  assert.equal(sx(top.on!), 'false');
  const left = ((((top.left as JoinExpr).left as JoinExpr).left as JoinExpr).left as JoinExpr);
  assert.deepEqual([left.using, left.usingAlias], [['id'], 'j']);
});

test('parenthesized joins and nested join qualifiers', () => {
  const s = select('SELECT * FROM ((a JOIN b ON true) LEFT JOIN c ON true) AS x, ' +
    'a JOIN b JOIN c ON p ON q');
  const x = s.from[0] as JoinExpr;
  assert.equal(x.alias?.name, 'x');
  assert.equal(x.joinType, 'left');
  const n = s.from[1] as JoinExpr;
  assert.equal(sx(n.on!), 'q');
  assert.equal((n.right as JoinExpr).kind, 'JoinExpr');
  assert.equal(sx((n.right as JoinExpr).on!), 'p');
  const u = select('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) u');
  assert.equal((u.from[0] as RangeSubquery).query.kind, 'SetOperation');
});

test('SELECT INTO', () => {
  const s = select('SELECT a INTO TEMP t2 FROM t');
  assert.deepEqual([s.into?.name.name, s.into?.persistence], ['t2', 'temp']);
});

test('statement spans for multi-statement input', () => {
  const sql = '  SELECT 1 ;;\n-- c\nINSERT INTO t VALUES (1);  /* x */ SELECT ";" ; ';
  const stmts = parse(sql);
  assert.deepEqual(stmts.map((s) => sql.slice(s.start, s.end)),
    ['SELECT 1', 'INSERT INTO t VALUES (1)', 'SELECT ";"']);
  assert.deepEqual(stmts.map((s) => s.stmt.kind), ['Select', 'Insert', 'Select']);
  assert.deepEqual(parse(' ; ; '), []);
});
