/**
 * Test helpers for the SQL layer: parse shortcuts and a compact S-expression rendering of
 * expressions, so precedence tests can compare one readable string instead of a deep tree.
 */
import assert from 'node:assert/strict';
import { parse, parseExpression, parseOne } from '../../src/sql/index.ts';
import type { Expr, SelectStmt, Statement } from '../../src/sql/index.ts';
import { DbError } from '../../src/errors/index.ts';

/** Renders an expression as a compact prefix form, e.g. `(+ a (* b c))`. */
export function sx(e: Expr): string {
  switch (e.kind) {
    case 'IntegerLiteral': case 'NumericLiteral': return e.value;
    case 'StringLiteral': return `'${e.value}'`;
    case 'BitStringLiteral': return `b'${e.value}'`;
    case 'BooleanLiteral': return String(e.value);
    case 'NullLiteral': return 'null';
    case 'TypedLiteral': return `(${e.type.name} '${e.value}'${e.intervalFields ? ' ' + e.intervalFields : ''})`;
    case 'Param': return `$${e.index}`;
    case 'ColumnRef': return [...e.names, ...(e.star ? ['*'] : [])].join('.');
    case 'BinaryOp': return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'UnaryOp': return `(${e.op} ${sx(e.operand)})`;
    case 'BoolOp': return `(${e.op} ${e.args.map(sx).join(' ')})`;
    case 'Not': return `(not ${sx(e.arg)})`;
    case 'IsTest': return `(is${e.negated ? '-not' : ''}-${e.test} ${sx(e.arg)})`;
    case 'IsDistinctFrom': return `(${e.negated ? 'not-' : ''}distinct ${sx(e.left)} ${sx(e.right)})`;
    case 'Between': return `(${e.negated ? 'not-' : ''}between${e.symmetric ? '-sym' : ''} ${sx(e.arg)} ${sx(e.low)} ${sx(e.high)})`;
    case 'InList': return `(${e.negated ? 'not-' : ''}in ${sx(e.arg)} ${e.list.map(sx).join(' ')})`;
    case 'Like': return `(${e.negated ? 'not-' : ''}${e.op} ${sx(e.arg)} ${sx(e.pattern)}${e.escape ? ' ' + sx(e.escape) : ''})`;
    case 'NamedArg': return `${e.name}=>${sx(e.value)}`;
    case 'FuncCall': return `${e.name.join('.')}(${e.distinct ? 'distinct ' : ''}${e.star ? '*' : e.args.map(sx).join(' ')})`;
    case 'Case': return `(case${e.arg ? ' ' + sx(e.arg) : ''} ${e.whens.map((w) => `[${sx(w.condition)} ${sx(w.result)}]`).join(' ')}${e.else ? ' else ' + sx(e.else) : ''})`;
    case 'Cast': return `(:: ${sx(e.expr)} ${e.type.name}${'[]'.repeat(e.type.arrayDims)})`;
    case 'Collate': return `(collate ${sx(e.expr)} ${e.collation.join('.')})`;
    case 'AtTimeZone': return `(at-tz ${sx(e.expr)} ${e.zone ? sx(e.zone) : 'local'})`;
    case 'Subscript': return `([] ${sx(e.expr)} ${e.lower ? sx(e.lower) : '_'}${e.slice ? ':' + (e.upper ? sx(e.upper) : '_') : ''})`;
    case 'FieldSelect': return `(. ${sx(e.expr)} ${e.field ?? '*'})`;
    case 'ArrayExpr': return `[${e.elements.map(sx).join(' ')}]`;
    case 'RowExpr': return `(row ${e.fields.map(sx).join(' ')})`;
    case 'Exists': return '(exists)';
    case 'ScalarSubquery': return '(subquery)';
    case 'ArraySubquery': return '(array-subquery)';
    case 'InSubquery': return `(${e.negated ? 'not-' : ''}in-subquery ${sx(e.arg)})`;
    case 'QuantifiedSubquery': return `(${e.op} ${e.quantifier} ${sx(e.left)} (subquery))`;
    case 'QuantifiedArray': return `(${e.op} ${e.quantifier} ${sx(e.left)} ${sx(e.array)})`;
    case 'ConditionalFunc': return `${e.fn}(${e.args.map(sx).join(' ')})`;
    case 'SqlValueFunc': return e.precision === null ? e.fn : `${e.fn}(${e.precision})`;
    case 'DefaultExpr': return 'default';
    case 'GroupingFunc': return `grouping(${e.args.map(sx).join(' ')})`;
  }
}

/** Parses an expression and renders it. */
export function ex(sql: string): string {
  return sx(parseExpression(sql));
}

export function one<K extends Statement['kind']>(sql: string, kind: K):
  Extract<Statement, { kind: K }> {
  const stmt = parseOne(sql);
  assert.equal(stmt.kind, kind);
  return stmt as Extract<Statement, { kind: K }>;
}

export function select(sql: string): SelectStmt {
  return one(sql, 'Select');
}

/** Asserts that `fn` throws a DbError with the given SQLSTATE (and position, message). */
export function throwsDb(fn: () => unknown, code: string, position?: number,
  message?: string | RegExp): DbError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DbError, `expected DbError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (position !== undefined) assert.equal(e.position, position, e.message);
    if (message !== undefined) {
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
    }
    return e;
  }
  assert.fail('expected an error');
}

export { parse, parseOne, parseExpression };
