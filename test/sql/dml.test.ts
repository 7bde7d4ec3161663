import { test } from 'node:test';
import assert from 'node:assert/strict';
import { one, sx } from './helpers.ts';

test('INSERT ... VALUES with DEFAULT, columns with indirection, OVERRIDING, RETURNING', () => {
  const s = one('INSERT INTO s.t AS x (a, b[1], c.d) OVERRIDING SYSTEM VALUE ' +
    'VALUES (1, DEFAULT, 3), (4, 5, 6) RETURNING a, b AS bb', 'Insert');
  assert.deepEqual([s.table.schema, s.table.name, s.alias], ['s', 't', 'x']);
  assert.deepEqual(s.columns.map((c) => [c.name, c.indirection.map((i) => i.kind)]),
    [['a', []], ['b', ['IndexIndirection']], ['c', ['FieldIndirection']]]);
  assert.equal(s.overriding, 'system');
  assert.ok(s.source?.kind === 'Values');
  assert.equal(s.source.rows.length, 2);
  assert.equal(s.source.rows[0]![1]!.kind, 'DefaultExpr');
  assert.deepEqual(s.returning.map((r) => r.alias), [null, 'bb']);
});

test('INSERT DEFAULT VALUES, INSERT ... SELECT, parenthesized query', () => {
  assert.equal(one('INSERT INTO t DEFAULT VALUES', 'Insert').source, null);
  assert.equal(one('INSERT INTO t SELECT * FROM u', 'Insert').source?.kind, 'Select');
  const p = one('INSERT INTO t (a) (SELECT 1)', 'Insert');
  assert.equal(p.columns.length, 1);
  assert.equal(p.source?.kind, 'Select');
  assert.equal(one('INSERT INTO t (SELECT 1)', 'Insert').columns.length, 0);
});

test('ON CONFLICT', () => {
  const a = one('INSERT INTO t VALUES (1) ON CONFLICT (a, (lower(b))) WHERE a > 0 ' +
    'DO UPDATE SET a = excluded.a, (b, c) = (1, 2) WHERE t.a < 5', 'Insert');
  const oc = a.onConflict!;
  assert.equal(oc.action, 'update');
  assert.deepEqual(oc.target?.elements.map((e) => e.column ?? e.source?.text),
    ['a', 'lower(b)']);
  assert.equal(sx(oc.target!.where!), '(> a 0)');
  assert.equal(oc.set.length, 2);
  assert.equal(oc.set[1]!.multi, true);
  assert.equal(sx(oc.where!), '(< t.a 5)');
  const b = one('INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT pk DO NOTHING', 'Insert');
  assert.deepEqual([b.onConflict?.target?.constraint, b.onConflict?.action], ['pk', 'nothing']);
  const c = one('INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING RETURNING *', 'Insert');
  assert.equal(c.onConflict?.target, null);
  assert.equal(c.returning.length, 1);
});

test('UPDATE', () => {
  const u = one('UPDATE ONLY t AS x SET a = 1, b = DEFAULT, c[2] = 3, (d, e) = (1, 2), ' +
    '(f, g) = (SELECT 1, 2) FROM u WHERE x.id = u.id RETURNING x.*', 'Update');
  assert.deepEqual([u.only, u.alias], [true, 'x']);
  assert.deepEqual(u.set.map((s) => [s.targets.map((t) => t.name).join(','), s.multi,
    s.value.kind]), [
    ['a', false, 'IntegerLiteral'], ['b', false, 'DefaultExpr'], ['c', false, 'IntegerLiteral'],
    ['d,e', true, 'RowExpr'], ['f,g', true, 'ScalarSubquery'],
  ]);
  assert.equal(u.set[2]!.targets[0]!.indirection.length, 1);
  assert.equal(u.from.length, 1);
  assert.equal(sx(u.where!), '(= x.id u.id)');
  assert.equal(one('UPDATE t SET a = 1', 'Update').alias, null);
  assert.equal(one('UPDATE t x SET a = 1', 'Update').alias, 'x');
  const c = one('UPDATE t SET a = 1 WHERE CURRENT OF cur', 'Update');
  assert.deepEqual([c.where, c.currentOf], [null, 'cur']);
});

test('DELETE', () => {
  const d = one('DELETE FROM ONLY t x USING u, v WHERE t.id = u.id RETURNING *', 'Delete');
  assert.deepEqual([d.only, d.alias, d.using.length], [true, 'x', 2]);
  assert.equal(d.returning.length, 1);
  assert.equal(one('DELETE FROM t', 'Delete').where, null);
});

test('TRUNCATE', () => {
  const t = one('TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE', 'Truncate');
  assert.deepEqual(t.tables.map((r) => [r.name.name, r.only]), [['a', true], ['b', false]]);
  assert.deepEqual([t.restartIdentity, t.behavior], [true, 'cascade']);
  const u = one('TRUNCATE t CONTINUE IDENTITY RESTRICT', 'Truncate');
  assert.deepEqual([u.restartIdentity, u.behavior], [false, 'restrict']);
});

test('VALUES items: a lone literal or parameter is an atom; anything after it joins the expression', () => {
  const s = one("INSERT INTO t VALUES (1, 'x', 2.5, $1), (1::int, 'x' || 'y', 2.5 * 2, $1[1]), (-1, 'a'\n'b', (3), 4 IS NULL)", 'Insert');
  assert.ok(s.source?.kind === 'Values');
  const kinds = s.source.rows.map((r) => r.map((e) => e.kind));
  assert.deepEqual(kinds, [
    ['IntegerLiteral', 'StringLiteral', 'NumericLiteral', 'Param'],
    ['Cast', 'BinaryOp', 'BinaryOp', 'Subscript'],
    ['UnaryOp', 'StringLiteral', 'IntegerLiteral', 'IsTest'],
  ]);
  const first = s.source.rows[0]!;
  assert.deepEqual(first.map((e) => e.loc), [22, 25, 30, 35]);
  assert.deepEqual(first.map((e) => ('value' in e ? e.value : 'index' in e ? e.index : null)), ['1', 'x', '2.5', 1]);
  assert.equal(s.source.rows[2]![1]!.kind === 'StringLiteral' && s.source.rows[2]![1]!.value, 'ab');
});
