/**
 * The PL/pgSQL parser: statement shapes, how variables inside SQL become parameters (and where
 * they do not: qualified names, relation names, column lists, SET targets), and compile-time
 * errors (42601 with the line and column inside the body).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFunction } from '../../src/plpgsql/index.ts';
import type { SqlExpr, Stmt } from '../../src/plpgsql/ast.ts';
import { DbError } from '../../src/errors/index.ts';
import { Types } from '../../src/types/sql-type.ts';
import { source } from './session-host.ts';

/** The SQL of an expression with each reference written as {name} / {rec.field} / {rec}. */
function render(e: SqlExpr): string {
  return e.parts.map((p) => {
    if (typeof p === 'string') return p;
    if (p.k === 'var') return `{${p.v.name}}`;
    if (p.k === 'field') return `{${p.v.name}.${p.field}}`;
    if (p.k === 'rec') return p.wrap === null ? `{${p.v.name}}` : `{${p.wrap}:${p.v.name}}`;
    return `{${p.v.name} distinct ${p.other.name}}`;
  }).join('');
}

function body(text: string, over = {}): readonly Stmt[] {
  return parseFunction(source(text, { argNames: ['a', 'b'], argTypes: [Types.int4, Types.text], returnType: Types.int4, ...over })).block.body;
}

function firstSql(text: string): string {
  const s = body(text)[0]!;
  if (s.k === 'sql') return render(s.query);
  if (s.k === 'assign') return render(s.expr);
  if (s.k === 'return') return render(s.expr!);
  throw new Error(`unexpected ${s.k}`);
}

function compileError(text: string, over = {}): DbError {
  try {
    body(text, over);
  } catch (e) {
    assert.ok(e instanceof DbError);
    return e;
  }
  assert.fail('expected a compile error');
}

test('variables in SQL become references; names that can only be columns or tables do not', () => {
  assert.equal(firstSql('BEGIN RETURN a + 1; END'), 'SELECT {a} + 1');
  assert.equal(firstSql('BEGIN RETURN $1 * length($2); END'), 'SELECT {a} * length({b})');
  assert.equal(firstSql('DECLARE x int; BEGIN SELECT t.a, a INTO x FROM a AS a WHERE a.b = b; END'),
    'SELECT t.a, {a} FROM a AS a WHERE a.b = {b}');
  assert.equal(firstSql('BEGIN INSERT INTO t (a, b) VALUES (a, b) ON CONFLICT (a) DO UPDATE SET b = b; END'),
    'INSERT INTO t (a, b) VALUES ({a}, {b}) ON CONFLICT (a) DO UPDATE SET b = {b}');
  assert.equal(firstSql('BEGIN UPDATE t SET a = a + 1, b = upper(b) WHERE t.a = a; END'),
    'UPDATE t SET a = {a} + 1, b = upper({b}) WHERE t.a = {a}');
  assert.equal(firstSql('BEGIN RETURN extract(year FROM a::timestamp) + count(a => 1)::int; END'),
    'SELECT extract(year FROM {a}::timestamp) + count(a => 1)::int');
  assert.equal(firstSql('BEGIN PERFORM a FROM b JOIN b ON true; END'), 'SELECT {a} FROM b JOIN b ON true');
  assert.equal(firstSql('BEGIN PERFORM g(a := a, b => b) FROM unnest(ARRAY[a]) u WHERE u = ANY(ARRAY[b]); END'),
    'SELECT g(a := {a}, b => {b}) FROM unnest(ARRAY[{a}]) u WHERE u = ANY(ARRAY[{b}])');
});

test('record fields, whole records, to_jsonb(record) and label-qualified names', () => {
  const trig = parseFunction(source(`BEGIN
  INSERT INTO audit VALUES (to_jsonb(NEW), NEW.id, f.new.id, TG_OP);
  IF NEW IS NOT DISTINCT FROM OLD THEN RETURN NULL; END IF;
  RETURN NEW;
END`, { isTrigger: true })).block.body;
  const ins = trig[0]!;
  assert.ok(ins.k === 'sql');
  assert.equal(render(ins.query), 'INSERT INTO audit VALUES ({jsonb:new}, {new.id}, {new.id}, {tg_op})');
  assert.equal(ins.query.isStatic, false);
  const iff = trig[1]!;
  assert.ok(iff.k === 'if');
  assert.equal(render(iff.branches[0]!.cond), 'SELECT {new distinct old}');
});

test('SELECT ... INTO STRICT targets are cut out of the statement', () => {
  const [s] = body('DECLARE x int; y text; BEGIN SELECT 1, \'a\' INTO STRICT x, y FROM t WHERE id = a; END');
  assert.ok(s !== undefined && s.k === 'sql' && s.into !== null);
  assert.equal(s.into.strict, true);
  assert.deepEqual(s.into.targets.map((t) => (t.k === 'var' ? t.v.name : '')), ['x', 'y']);
  assert.equal(render(s.query), "SELECT 1, 'a' FROM t WHERE id = {a}");
  const [r] = body('DECLARE x int; BEGIN INSERT INTO t VALUES (a) RETURNING id INTO x; END');
  assert.ok(r !== undefined && r.k === 'sql' && r.into !== null);
  assert.equal(render(r.query), 'INSERT INTO t VALUES ({a}) RETURNING id ');
});

test('statement kinds and their parts', () => {
  const stmts = body(`DECLARE r record; BEGIN
  <<l>> FOR i IN REVERSE a..1 BY 2 LOOP EXIT l WHEN i < 0; END LOOP;
  FOR r IN SELECT * FROM t LOOP CONTINUE; END LOOP;
  WHILE a > 0 LOOP a := a - 1; END LOOP;
  EXECUTE 'x' INTO r USING a, b;
  GET DIAGNOSTICS a = ROW_COUNT;
  RAISE NOTICE 'x % %', a, b USING HINT = 'h';
  NULL;
  RETURN 1;
END`);
  assert.deepEqual(stmts.map((s) => s.k), ['fori', 'forq', 'while', 'dynexec', 'getdiag', 'raise', 'null', 'return']);
  assert.deepEqual(stmts.map((s) => s.line), [2, 3, 4, 5, 6, 7, 8, 9]);
  const fori = stmts[0]!;
  assert.ok(fori.k === 'fori');
  assert.equal(fori.reverse, true);
  assert.equal(fori.label, 'l');
  assert.equal(render(fori.lower), 'SELECT {a}');
  assert.equal(render(fori.step!), 'SELECT 2');
});

test('syntax errors are 42601 with the line and column in the body', () => {
  const e = compileError('BEGIN\n  x := 1;\nEND');
  assert.equal(e.code, '42601');
  assert.equal(e.message, '"x" is not a known variable (line 2, column 3 of the function body)');
  const e2 = compileError('BEGIN\n  IF a > 1 THEN\n    RETURN 1;\n  END;\nEND');
  assert.equal(e2.code, '42601');
  assert.match(e2.message, /syntax error at or near ";" \(line 4, column 6/);
  assert.match(compileError('BEGIN RETURN 1').message, /syntax error at end of input/);
  assert.match(compileError("BEGIN RAISE NOTICE '% %', a; END").message, /too few parameters specified for RAISE/);
  assert.match(compileError("BEGIN RAISE NOTICE '%', a, b; END").message, /too many parameters specified for RAISE/);
  assert.match(compileError('BEGIN EXIT; END').message, /EXIT cannot be used outside a loop/);
  assert.match(compileError('BEGIN LOOP EXIT nope; END LOOP; END').message, /there is no label "nope"/);
  assert.match(compileError('DECLARE c CONSTANT int := 1; BEGIN c := 2; END').message, /variable "c" is declared CONSTANT/);
  assert.match(compileError('DECLARE c CONSTANT int; BEGIN END').message, /must have a default value/);
  assert.match(compileError('DECLARE x int; x int; BEGIN END').message, /duplicate declaration of "x"/);
  assert.match(compileError('BEGIN RAISE; END').message, /RAISE without parameters cannot be used outside an exception handler/);
  assert.match(compileError("BEGIN RAISE 'x' USING COLOUR = 'red'; END").message, /unrecognized RAISE statement option "colour"/);
  assert.match(compileError('<<a>> BEGIN END b').message, /end label "b" differs from block's label "a"/);
  assert.match(compileError("BEGIN x := 'unterminated; END").message, /unterminated quoted string/);
  assert.equal(compileError('BEGIN NULL; EXCEPTION WHEN no_such_thing THEN NULL; END').code, '42704');
});

test('SQL inside the body is syntax-checked at compile time, with the position in the body', () => {
  const e = compileError('DECLARE x int; BEGIN\n  SELECT a INTO x FORM t;\nEND');
  assert.equal(e.code, '42601');
  assert.equal(e.message, 'syntax error at or near "t" (line 2, column 24 of the function body)');
  assert.equal(compileError('BEGIN\n  UPDATE t SET a = WHERE b;\nEND').message,
    'syntax error at or near "WHERE" (line 2, column 20 of the function body)');
  assert.match(compileError('BEGIN\n  RETURN 1 +;\nEND').message, /syntax error at or near ";"|at end of input/);
});

test('RETURN forms are checked against the function kind', () => {
  assert.match(compileError('BEGIN RETURN 1; END', { returnsSet: true }).message, /RETURN cannot have a parameter in function returning set/);
  assert.match(compileError('BEGIN RETURN NEXT 1; END').message, /cannot use RETURN NEXT in a non-SETOF function/);
  assert.match(compileError('BEGIN RETURN 1; END', { isProcedure: true, returnType: null }).message, /RETURN cannot have a parameter in a procedure/);
  assert.match(compileError('BEGIN RETURN; END').message, /missing expression/);
  assert.match(compileError('BEGIN OPEN c; END').message, /"c" is not a known variable/);
  assert.match(compileError('DECLARE n int; BEGIN OPEN n; END').message, /variable "n" must be of type cursor or refcursor/);
});

test('comments, dollar quotes, directives and a trailing semicolon are accepted', () => {
  const stmts = body(`#variable_conflict use_variable
-- a comment
/* block comment */ BEGIN
  RETURN length($x$ it's ; END $x$); -- END;
END;`);
  assert.equal(stmts.length, 1);
  assert.equal(firstSql('BEGIN RETURN 1; END;'), 'SELECT 1');
});
