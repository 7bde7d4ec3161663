/**
 * Expression operators by precedence climbing, following gram.y's precedence table (lowest first):
 *   OR < AND < NOT < IS/ISNULL/NOTNULL < comparison < BETWEEN/IN/LIKE/ILIKE/SIMILAR
 *   < generic operators < + - < * / % < ^ < AT TIME ZONE < COLLATE < unary minus
 *   < [ ] subscripts, :: casts, . field selection (postfix, in primary.ts).
 *
 * Invariants:
 * - Every recursion into parseExpr passes through Parser.enterExpr, bounding nesting depth.
 * - Comparison and pattern levels are non-associative like gram.y (`a < b < c` is an error).
 * - AND/OR chains are built flat (one BoolOp per run of the same operator).
 */
import { DbError } from '../../errors/index.ts';
import { Tok } from '../lexer.ts';
import type { Expr, SelectQuery } from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseLoneAtom, parsePrimary } from './primary.ts';
import { isQueryStart, parseSelectQuery } from './select.ts';

const P_OR = 1;
const P_AND = 2;
const P_NOT = 3;
const P_IS = 4;
const P_CMP = 5;
const P_PATTERN = 6;
const P_OP = 7;
const P_ADD = 8;
const P_MUL = 9;
const P_EXP = 10;
const P_AT = 11;
const P_COLLATE = 12;
const P_UNARY = 13;

/** Parses a full expression (a_expr). */
export function parseExpr(p: Parser): Expr {
  return parseExprPrec(p, P_OR);
}

/**
 * Parses an expression at "b_expr"-like strength: stops at AND/OR/NOT/IS/LIKE/BETWEEN/IN, as
 * needed for BETWEEN bounds and other contexts where AND has another meaning.
 */
export function parseRestrictedExpr(p: Parser): Expr {
  return parseExprPrec(p, P_OP);
}

/** Comma-separated expressions (at least one). */
export function parseExprList(p: Parser): Expr[] {
  const list = [parseLoneAtom(p) ?? parseExpr(p)];
  while (p.acceptPunct(',')) list.push(parseLoneAtom(p) ?? parseExpr(p));
  return list;
}

const nonPrefixOps: ReadonlySet<string> = new Set([
  '=', '<', '>', '<=', '>=', '<>', '*', '/', '%', '^', '=>',
]);

const comparisonOps: ReadonlySet<string> = new Set(['<', '>', '=', '<=', '>=', '<>']);

/** Precedence of the infix/postfix operator at the current token, or 0 if there is none. */
function infixPrec(p: Parser): number {
  const type = p.type();
  if (type === Tok.Op) {
    const v = p.value();
    if (comparisonOps.has(v)) return P_CMP;
    if (v === '+' || v === '-') return P_ADD;
    if (v === '*' || v === '/' || v === '%') return P_MUL;
    if (v === '^') return P_EXP;
    return P_OP;
  }
  if (type !== Tok.Ident) return 0;
  switch (p.value()) {
    case 'or': return P_OR;
    case 'and': return P_AND;
    case 'is': case 'isnull': case 'notnull': return P_IS;
    case 'between': case 'in': case 'like': case 'ilike': return P_PATTERN;
    case 'similar': return p.isKw('to', 1) ? P_PATTERN : 0;
    case 'not': {
      if (p.type(1) !== Tok.Ident) return 0;
      const n = p.value(1);
      if (n === 'between' || n === 'in' || n === 'like' || n === 'ilike') return P_PATTERN;
      return n === 'similar' && p.isKw('to', 2) ? P_PATTERN : 0;
    }
    case 'at':
      return (p.isKw('time', 1) && p.isKw('zone', 2)) || p.isKw('local', 1) ? P_AT : 0;
    case 'collate': return P_COLLATE;
    case 'overlaps': return P_AT;
    case 'operator': return p.isPunct('(', 1) ? P_OP : 0;
    default: return 0;
  }
}

export function parseExprPrec(p: Parser, minPrec: number): Expr {
  p.enterExpr();
  let left = parsePrefix(p);
  while (true) {
    const prec = infixPrec(p);
    if (prec === 0 || prec < minPrec) break;
    left = parseInfix(p, left, prec);
    // Non-associative levels: a second operator of the same level is a syntax error.
    if ((prec === P_CMP || prec === P_PATTERN) && infixPrec(p) === prec) throw p.error();
  }
  p.exprDepth--;
  return left;
}

function parsePrefix(p: Parser): Expr {
  const type = p.type();
  if (type !== Tok.Op && type !== Tok.Ident) return parsePrimary(p);
  const t = p.peek();
  if (t.type === Tok.Ident && t.value === 'not') {
    p.pos++;
    return { kind: 'Not', arg: parseExprPrec(p, P_NOT), loc: t.start };
  }
  if (t.type === Tok.Op) {
    p.pos++;
    if (t.value === '-' || t.value === '+') {
      return { kind: 'UnaryOp', op: t.value, schema: null, operand: parseExprPrec(p, P_UNARY),
        loc: t.start };
    }
    // Single-character SQL operators and comparisons are not prefix operators in gram.y.
    if (nonPrefixOps.has(t.value)) throw p.error(t);
    return { kind: 'UnaryOp', op: t.value, schema: null, operand: parseExprPrec(p, P_OP + 1),
      loc: t.start };
  }
  if (t.type === Tok.Ident && t.value === 'operator' && p.isPunct('(', 1)) {
    p.pos++;
    const { schema, op } = parseQualifiedOperator(p);
    return { kind: 'UnaryOp', op, schema, operand: parseExprPrec(p, P_OP + 1), loc: t.start };
  }
  return parsePrimary(p);
}

/** OPERATOR(schema.op) after the OPERATOR keyword. */
function parseQualifiedOperator(p: Parser): { schema: string | null; op: string } {
  p.expectPunct('(');
  let schema: string | null = null;
  if (p.isColId() && p.isPunct('.', 1)) {
    schema = p.next().value;
    p.pos++;
  }
  const t = p.peek();
  if (t.type !== Tok.Op) throw p.error();
  p.pos++;
  p.expectPunct(')');
  return { schema, op: t.value };
}

function parseInfix(p: Parser, left: Expr, prec: number): Expr {
  const t = p.peek();
  const loc = left.loc;
  switch (prec) {
    case P_OR:
    case P_AND: {
      const op = prec === P_OR ? 'or' : 'and';
      const args: Expr[] = [left];
      while (p.isKw(op)) {
        p.pos++;
        args.push(parseExprPrec(p, prec + 1));
      }
      return { kind: 'BoolOp', op, args, loc };
    }
    case P_IS:
      return parseIs(p, left);
    case P_PATTERN:
      return parsePattern(p, left);
    case P_AT: {
      if (t.type === Tok.Ident && t.value === 'overlaps') return parseOverlaps(p, left, loc);
      p.pos++;
      if (p.acceptKw('local')) return { kind: 'AtTimeZone', expr: left, zone: null, loc };
      p.pos += 2;
      return { kind: 'AtTimeZone', expr: left, zone: parseExprPrec(p, P_AT + 1), loc };
    }
    case P_COLLATE: {
      p.pos++;
      return { kind: 'Collate', expr: left, collation: p.anyName(), loc };
    }
    default: {
      let op: string;
      let schema: string | null = null;
      if (t.type === Tok.Ident) { // OPERATOR(...)
        p.pos++;
        ({ schema, op } = parseQualifiedOperator(p));
      } else {
        p.pos++;
        op = t.value;
      }
      const quantified = parseQuantified(p, op, left, loc);
      if (quantified !== null) return quantified;
      // Left-associative: the right operand binds strictly tighter.
      const right = parseExprPrec(p, prec + 1);
      return { kind: 'BinaryOp', op, schema, left, right, loc };
    }
  }
}

/**
 * `row OVERLAPS row` (gram.y): both sides are two-element rows; it becomes the function call
 * overlaps(s1, e1, s2, e2), as PostgreSQL's parser builds it.
 */
function parseOverlaps(p: Parser, left: Expr, loc: number): Expr {
  if (left.kind !== 'RowExpr') throw p.error();
  p.pos++;
  const right = parsePrimary(p);
  if (right.kind !== 'RowExpr') throw p.error();
  const side = (r: typeof left, what: string): Expr[] => {
    if (r.fields.length !== 2) {
      throw new DbError('syntax_error', `wrong number of parameters on ${what} side of OVERLAPS expression`, { position: r.loc + 1 });
    }
    return [...r.fields];
  };
  return {
    kind: 'FuncCall', name: ['overlaps'], args: [...side(left, 'left'), ...side(right, 'right')],
    distinct: false, star: false, orderBy: [], filter: null, withinGroup: null, over: null, variadic: false,
    special: true, loc,
  };
}

/** `op ANY|SOME|ALL (subquery | array)` after the operator; null when not quantified. */
function parseQuantified(p: Parser, op: string, left: Expr, loc: number): Expr | null {
  const t = p.peek();
  if (t.type !== Tok.Ident || !p.isPunct('(', 1)) return null;
  const quantifier = t.value === 'any' || t.value === 'some' ? 'any' : t.value === 'all' ? 'all'
    : null;
  if (quantifier === null) return null;
  p.pos += 2;
  if (isQueryStart(p)) {
    const query = parseSubqueryBody(p);
    p.expectPunct(')');
    return { kind: 'QuantifiedSubquery', op, quantifier, left, query, loc };
  }
  const array = parseExpr(p);
  p.expectPunct(')');
  return { kind: 'QuantifiedArray', op, quantifier, left, array, loc };
}

/** Parses a query inside parentheses that are already open (the `(` is consumed). */
export function parseSubqueryBody(p: Parser): SelectQuery {
  return parseSelectQuery(p);
}

function parseIs(p: Parser, left: Expr): Expr {
  const loc = left.loc;
  const t = p.next();
  if (t.value === 'isnull') return { kind: 'IsTest', test: 'null', negated: false, arg: left, loc };
  if (t.value === 'notnull') return { kind: 'IsTest', test: 'null', negated: true, arg: left, loc };
  const negated = p.acceptKw('not');
  const w = p.peek();
  if (w.type === Tok.Ident) {
    switch (w.value) {
      case 'null': case 'true': case 'false': case 'unknown':
        p.pos++;
        return { kind: 'IsTest', test: w.value, negated, arg: left, loc };
      case 'distinct': {
        p.pos++;
        p.expectKw('from');
        const right = parseExprPrec(p, P_IS + 1);
        return { kind: 'IsDistinctFrom', negated, left, right, loc };
      }
      default:
        break;
    }
  }
  throw p.error();
}

function parsePattern(p: Parser, left: Expr): Expr {
  const loc = left.loc;
  const negated = p.acceptKw('not');
  const t = p.next();
  switch (t.value) {
    case 'between': {
      let symmetric = false;
      if (p.acceptKw('symmetric')) symmetric = true;
      else p.acceptKw('asymmetric');
      const low = parseExprPrec(p, P_PATTERN + 1);
      p.expectKw('and');
      const high = parseExprPrec(p, P_PATTERN + 1);
      return { kind: 'Between', negated, symmetric, arg: left, low, high, loc };
    }
    case 'in':
      return parseIn(p, left, negated);
    case 'like': case 'ilike': case 'similar': {
      if (t.value === 'similar') p.expectKw('to');
      const op = t.value;
      if (!negated && op !== 'similar') {
        // LIKE ANY (array) is PostgreSQL's subquery_Op form over the ~~ operator.
        const q = parseQuantified(p, op === 'like' ? '~~' : '~~*', left, loc);
        if (q !== null) return q;
      }
      const pattern = parseExprPrec(p, P_PATTERN + 1);
      const escape = p.acceptKw('escape') ? parseExprPrec(p, P_PATTERN + 1) : null;
      return { kind: 'Like', op, negated, arg: left, pattern, escape, loc };
    }
    default:
      throw p.error(t);
  }
}

function parseIn(p: Parser, arg: Expr, negated: boolean): Expr {
  const loc = arg.loc;
  p.expectPunct('(');
  if (isQueryStart(p)) {
    const query = parseSubqueryBody(p);
    p.expectPunct(')');
    return { kind: 'InSubquery', negated, arg, query, loc };
  }
  const list = parseExprList(p);
  p.expectPunct(')');
  // `x IN ((SELECT ...))`: gram.y reads the doubly parenthesized query as the subquery form.
  const only = list[0]!;
  if (list.length === 1 && only.kind === 'ScalarSubquery') {
    return { kind: 'InSubquery', negated, arg, query: only.query, loc };
  }
  return { kind: 'InList', negated, arg, list, loc };
}
