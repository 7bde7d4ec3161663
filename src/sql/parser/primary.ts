/**
 * Primary expressions (gram.y's c_expr and func_expr): literals, column references, parameters,
 * function calls with their aggregate/window decorations, CASE, CAST, ARRAY, ROW, subqueries,
 * SQL-standard special forms, and the postfix operators `::`, `[ ]`, `.field`.
 *
 * Invariants:
 * - Special syntax is rewritten to the function call gram.y produces (see README): EXTRACT ->
 *   extract('field', x); SUBSTRING(x FROM a FOR b) -> substring(x, a, b); POSITION(a IN b) ->
 *   position(b, a); TRIM(LEADING c FROM x) -> ltrim(x, c); OVERLAY(x PLACING y FROM a FOR b) ->
 *   overlay(x, y, a, b). Such calls have `special: true`.
 * - A bare name is a column reference only if it is a ColId; a name followed by `(` is a function
 *   call only if it is a type_function_name (or qualified).
 */
import { Tok } from '../lexer.ts';
import { colNameKeywords, reservedKeywords } from '../keywords.ts';
import type {
  CaseWhen, Expr, FrameBound, FuncCall, QualifiedName, SortBy, SqlValueFuncName, TypeName,
  WindowDef, WindowFrame,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr, parseExprList, parseRestrictedExpr, parseSubqueryBody } from './expressions.ts';
import { continueSetOperation, isQueryStart } from './select.ts';
import { parseIntervalFields, parseTypeName, typeKeywords } from './types.ts';

const sqlValueFuncs: ReadonlySet<string> = new Set([
  'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp',
  'current_user', 'session_user', 'user', 'current_role', 'current_schema', 'current_catalog',
  'system_user',
]);
const withPrecision: ReadonlySet<string> = new Set([
  'current_time', 'current_timestamp', 'localtime', 'localtimestamp',
]);

export function parsePrimary(p: Parser): Expr {
  return parsePostfix(p, parseAtom(p));
}

/**
 * The literal or parameter at the current token when it is a whole list item (followed by `,`
 * or `)`), else null. VALUES rows of a bulk INSERT are mostly such items: they skip the
 * precedence climb (parseExprPrec, parsePrefix, parsePostfix), which would build the same node.
 */
export function parseLoneAtom(p: Parser): Expr | null {
  const type = p.type();
  if (type !== Tok.Integer && type !== Tok.String && type !== Tok.Numeric && type !== Tok.Param) return null;
  if (!p.isPunct(',', 1) && !p.isPunct(')', 1)) return null;
  return parseAtom(p);
}

function parseAtom(p: Parser): Expr {
  const type = p.type();
  const loc = p.start();
  switch (type) {
    case Tok.Integer: p.pos++; return { kind: 'IntegerLiteral', value: p.value(-1), loc };
    case Tok.Numeric: p.pos++; return { kind: 'NumericLiteral', value: p.value(-1), loc };
    case Tok.String: p.pos++; return { kind: 'StringLiteral', value: p.value(-1), loc };
    case Tok.BitString: p.pos++; return { kind: 'BitStringLiteral', value: p.value(-1), loc };
    case Tok.Param: p.pos++; return { kind: 'Param', index: Number(p.value(-1)), loc };
    case Tok.Punct:
      if (p.value() === '(') return parseParenExpr(p);
      throw p.error();
    case Tok.QIdent:
      return parseNamePath(p);
    case Tok.Ident:
      return parseKeywordAtom(p);
    default:
      throw p.error();
  }
}

function parseKeywordAtom(p: Parser): Expr {
  const t = p.peek();
  const loc = t.start;
  const w = t.value;
  const call = p.isPunct('(', 1);
  switch (w) {
    case 'true': case 'false':
      p.pos++;
      return { kind: 'BooleanLiteral', value: w === 'true', loc };
    case 'null': p.pos++; return { kind: 'NullLiteral', loc };
    case 'default': p.pos++; return { kind: 'DefaultExpr', loc };
    case 'case': return parseCase(p);
    case 'cast': {
      p.pos++;
      p.expectPunct('(');
      const expr = parseExpr(p);
      p.expectKw('as');
      const type = parseTypeName(p);
      p.expectPunct(')');
      return { kind: 'Cast', expr, type, syntax: 'cast', loc };
    }
    case 'exists':
      if (!call) break;
      p.pos += 2;
      return { kind: 'Exists', query: parseParenQueryRest(p), loc };
    case 'array': {
      p.pos++;
      if (p.acceptPunct('(')) return { kind: 'ArraySubquery', query: parseParenQueryRest(p), loc };
      return parseArrayBrackets(p, loc);
    }
    case 'row':
      if (!call) break;
      p.pos += 2;
      if (p.acceptPunct(')')) return { kind: 'RowExpr', fields: [], explicit: true, loc };
      {
        const fields = parseExprList(p);
        p.expectPunct(')');
        return { kind: 'RowExpr', fields, explicit: true, loc };
      }
    case 'coalesce': case 'nullif': case 'greatest': case 'least': {
      if (!call) break;
      p.pos += 2;
      const args = parseExprList(p);
      p.expectPunct(')');
      if (w === 'nullif' && args.length !== 2) throw p.error(p.peek(-1));
      return { kind: 'ConditionalFunc', fn: w, args, loc };
    }
    case 'grouping': {
      if (!call) break;
      p.pos += 2;
      const args = parseExprList(p);
      p.expectPunct(')');
      return { kind: 'GroupingFunc', args, loc };
    }
    case 'extract': if (call) return parseExtract(p); break;
    case 'substring': if (call) return parseSubstring(p); break;
    case 'position': if (call) return parsePosition(p); break;
    case 'trim': if (call) return parseTrim(p); break;
    case 'overlay': if (call) return parseOverlay(p); break;
    default:
      break;
  }
  if (sqlValueFuncs.has(w)) return parseSqlValueFunc(p);
  if (typeKeywords.has(w)) {
    const lit = tryTypedLiteral(p);
    if (lit !== null) return lit;
  }
  if (reservedKeywords.has(w)) throw p.error();
  return parseNamePath(p);
}

function parseSqlValueFunc(p: Parser): Expr {
  const t = p.next();
  const fn = t.value as SqlValueFuncName;
  let precision: number | null = null;
  if (withPrecision.has(fn) && p.isPunct('(')) {
    p.pos++;
    precision = p.intConst();
    p.expectPunct(')');
  } else if (fn === 'current_schema' && p.isPunct('(') && p.isPunct(')', 1)) {
    p.pos += 2;
  }
  return { kind: 'SqlValueFunc', fn, precision, loc: t.start };
}

/** `type 'string'` for SQL-standard type spellings; null (nothing consumed) if not one. */
function tryTypedLiteral(p: Parser): Expr | null {
  const save = p.pos;
  const loc = p.loc;
  let type: TypeName;
  try {
    type = parseTypeName(p);
  } catch {
    p.pos = save;
    return null;
  }
  if (p.peek().type !== Tok.String) {
    p.pos = save;
    return null;
  }
  return finishTypedLiteral(p, type, loc);
}

function finishTypedLiteral(p: Parser, type: TypeName, loc: number): Expr {
  const value = p.next().value;
  let intervalFields: string | null = null;
  if (type.name === 'interval' && type.schema === null) {
    intervalFields = parseIntervalFields(p);
  }
  return { kind: 'TypedLiteral', type, value, intervalFields, loc };
}

/** Column reference, `t.*`, function call or generic `name 'literal'`. */
function parseNamePath(p: Parser): Expr {
  const first = p.next();
  const loc = first.start;
  const names: string[] = [first.value];
  const quoted = first.type === Tok.QIdent;
  while (p.isPunct('.')) {
    const n = p.peek(1);
    if (n.type === Tok.Op && n.value === '*') {
      p.pos += 2;
      return { kind: 'ColumnRef', names, star: true, loc };
    }
    if (n.type !== Tok.Ident && n.type !== Tok.QIdent) break;
    p.pos += 2;
    names.push(n.value);
  }
  const isKeyword = !quoted && names.length === 1;
  if (p.isPunct('(')) {
    if (isKeyword && (colNameKeywords.has(first.value) || reservedKeywords.has(first.value))) {
      throw p.error(first);
    }
    return parseFuncCall(p, names, loc);
  }
  if (p.peek().type === Tok.String && names.length <= 2 &&
    !(isKeyword && colNameKeywords.has(first.value))) {
    const type: TypeName = {
      kind: 'TypeName', schema: names.length === 2 ? names[0]! : null, name: names.at(-1)!,
      modifiers: [], arrayDims: 0, arrayBounds: [], setof: false, pctType: null, loc,
    };
    return finishTypedLiteral(p, type, loc);
  }
  if (isKeyword && !p.isColId(-1)) throw p.error(first);
  return { kind: 'ColumnRef', names, star: false, loc };
}

/** Function call after its name; the current token is `(`. */
export function parseFuncCall(p: Parser, name: QualifiedName, loc: number): FuncCall {
  p.expectPunct('(');
  let star = false;
  let distinct = false;
  let variadic = false;
  const args: Expr[] = [];
  let orderBy: SortBy[] = [];
  if (p.isOp('*') && p.isPunct(')', 1)) {
    p.pos++;
    star = true;
  } else if (!p.isPunct(')')) {
    if (p.acceptKw('distinct')) distinct = true;
    else p.acceptKw('all');
    do {
      if (variadic) throw p.error();
      if (p.acceptKw('variadic')) variadic = true;
      args.push(parseFuncArg(p));
    } while (p.acceptPunct(','));
    if (p.isKw('order') && p.isKw('by', 1)) {
      p.pos += 2;
      orderBy = parseSortList(p);
    }
  }
  p.expectPunct(')');
  let withinGroup: SortBy[] | null = null;
  if (p.isKw('within') && p.isKw('group', 1)) {
    p.pos += 2;
    p.expectPunct('(');
    p.expectKw('order');
    p.expectKw('by');
    withinGroup = parseSortList(p);
    p.expectPunct(')');
  }
  let filter: Expr | null = null;
  if (p.isKw('filter') && p.isPunct('(', 1)) {
    p.pos += 2;
    p.expectKw('where');
    filter = parseExpr(p);
    p.expectPunct(')');
  }
  let over: WindowDef | null = null;
  if (p.isKw('over')) {
    const overLoc = p.next().start;
    if (p.isPunct('(')) {
      over = parseWindowSpec(p, null);
    } else {
      over = { kind: 'WindowDef', name: null, refName: p.colId(), partitionBy: [], orderBy: [],
        frame: null, loc: overLoc };
    }
  }
  return { kind: 'FuncCall', name, args, star, distinct, variadic, orderBy, withinGroup, filter,
    over, special: false, loc };
}

function parseFuncArg(p: Parser): Expr {
  const t = p.peek();
  if ((t.type === Tok.Ident || t.type === Tok.QIdent) &&
    (p.isOp('=>', 1) || p.isPunct(':=', 1))) {
    p.pos += 2;
    return { kind: 'NamedArg', name: t.value, value: parseExpr(p), loc: t.start };
  }
  return parseExpr(p);
}

/** ORDER BY list items: expr [ASC | DESC | USING op] [NULLS FIRST | LAST]. */
export function parseSortList(p: Parser): SortBy[] {
  const items: SortBy[] = [];
  do {
    const loc = p.loc;
    const expr = parseExpr(p);
    let direction: SortBy['direction'] = 'default';
    let usingOp: string | null = null;
    if (p.acceptKw('asc')) direction = 'asc';
    else if (p.acceptKw('desc')) direction = 'desc';
    else if (p.acceptKw('using')) {
      const op = p.peek();
      if (op.type !== Tok.Op) throw p.error();
      p.pos++;
      usingOp = op.value;
    }
    let nulls: SortBy['nulls'] = 'default';
    if (p.isKw('nulls')) {
      p.pos++;
      if (p.acceptKw('first')) nulls = 'first';
      else { p.expectKw('last'); nulls = 'last'; }
    }
    items.push({ kind: 'SortBy', expr, direction, nulls, usingOp, loc });
  } while (p.acceptPunct(','));
  return items;
}

/** `( [existing] [PARTITION BY ...] [ORDER BY ...] [frame] )`; `name` for WINDOW clauses. */
export function parseWindowSpec(p: Parser, name: string | null): WindowDef {
  const loc = p.expectPunct('(').start;
  let refName: string | null = null;
  if (p.isColId() && !p.isKw('partition') && !p.isKw('order') && !p.isKw('rows') &&
    !p.isKw('range') && !p.isKw('groups')) {
    refName = p.colId();
  }
  let partitionBy: Expr[] = [];
  if (p.isKw('partition') && p.isKw('by', 1)) {
    p.pos += 2;
    partitionBy = parseExprList(p);
  }
  let orderBy: SortBy[] = [];
  if (p.isKw('order') && p.isKw('by', 1)) {
    p.pos += 2;
    orderBy = parseSortList(p);
  }
  let frame: WindowFrame | null = null;
  if (p.isKw('rows') || p.isKw('range') || p.isKw('groups')) frame = parseFrame(p);
  p.expectPunct(')');
  return { kind: 'WindowDef', name, refName, partitionBy, orderBy, frame, loc };
}

function parseFrame(p: Parser): WindowFrame {
  const t = p.next();
  const mode = t.value as WindowFrame['mode'];
  let start: FrameBound;
  let end: FrameBound | null = null;
  if (p.acceptKw('between')) {
    start = parseFrameBound(p);
    p.expectKw('and');
    end = parseFrameBound(p);
  } else {
    start = parseFrameBound(p);
  }
  let exclusion: WindowFrame['exclusion'] = 'no_others';
  if (p.acceptKw('exclude')) {
    if (p.acceptKws('current', 'row')) exclusion = 'current_row';
    else if (p.acceptKw('group')) exclusion = 'group';
    else if (p.acceptKw('ties')) exclusion = 'ties';
    else { p.expectKw('no'); p.expectKw('others'); }
  }
  return { kind: 'WindowFrame', mode, start, end, exclusion, loc: t.start };
}

function parseFrameBound(p: Parser): FrameBound {
  const loc = p.loc;
  if (p.acceptKw('unbounded')) {
    if (p.acceptKw('preceding')) {
      return { kind: 'FrameBound', type: 'unbounded_preceding', offset: null, loc };
    }
    p.expectKw('following');
    return { kind: 'FrameBound', type: 'unbounded_following', offset: null, loc };
  }
  if (p.acceptKws('current', 'row')) {
    return { kind: 'FrameBound', type: 'current_row', offset: null, loc };
  }
  const offset = parseRestrictedExpr(p);
  if (p.acceptKw('preceding')) return { kind: 'FrameBound', type: 'preceding', offset, loc };
  p.expectKw('following');
  return { kind: 'FrameBound', type: 'following', offset, loc };
}

function parseCase(p: Parser): Expr {
  const loc = p.next().start;
  const arg = p.isKw('when') ? null : parseExpr(p);
  const whens: CaseWhen[] = [];
  while (p.isKw('when')) {
    const wloc = p.next().start;
    const condition = parseExpr(p);
    p.expectKw('then');
    whens.push({ kind: 'CaseWhen', condition, result: parseExpr(p), loc: wloc });
  }
  if (whens.length === 0) throw p.error();
  const elseExpr = p.acceptKw('else') ? parseExpr(p) : null;
  p.expectKw('end');
  return { kind: 'Case', arg, whens, else: elseExpr, loc };
}

/** ARRAY[...] after the ARRAY keyword; nested brackets are sub-arrays. */
function parseArrayBrackets(p: Parser, loc: number): Expr {
  p.expectPunct('[');
  p.enterExpr();
  const elements: Expr[] = [];
  if (!p.isPunct(']')) {
    do {
      if (p.isPunct('[')) elements.push(parseArrayBrackets(p, p.loc));
      else elements.push(parseExpr(p));
    } while (p.acceptPunct(','));
  }
  p.expectPunct(']');
  p.exprDepth--;
  return { kind: 'ArrayExpr', elements, loc };
}

/** `query )` where the opening parenthesis is consumed. */
function parseParenQueryRest(p: Parser) {
  const query = parseSubqueryBody(p);
  p.expectPunct(')');
  return query;
}

/** `( ... )`: scalar subquery, row constructor, or a parenthesized expression. */
function parseParenExpr(p: Parser): Expr {
  const loc = p.next().start;
  if (isQueryStart(p, 0, false)) {
    return { kind: 'ScalarSubquery', query: parseParenQueryRest(p), loc };
  }
  const first = parseExpr(p);
  if (first.kind === 'ScalarSubquery' && !p.isPunct(')') && !p.isPunct(',')) {
    // ((SELECT ...) UNION (SELECT ...)): the parenthesized operand continues as a query.
    const query = continueSetOperation(p, first.query);
    p.expectPunct(')');
    return { kind: 'ScalarSubquery', query, loc };
  }
  if (p.acceptPunct(',')) {
    const fields = [first, ...parseExprList(p)];
    p.expectPunct(')');
    return { kind: 'RowExpr', fields, explicit: false, loc };
  }
  p.expectPunct(')');
  return first;
}

/** Postfix `::type`, `[i]`, `[l:u]`, `.field`, `.*`. */
function parsePostfix(p: Parser, expr: Expr): Expr {
  while (true) {
    if (p.type() !== Tok.Punct) return expr;
    const v = p.value();
    if (v === '::') {
      p.pos++;
      expr = { kind: 'Cast', expr, type: parseTypeName(p), syntax: 'colons', loc: expr.loc };
    } else if (v === '[') {
      p.pos++;
      const { lower, upper, slice } = parseSubscriptBounds(p);
      expr = { kind: 'Subscript', expr, slice, lower, upper, loc: expr.loc };
    } else if (v === '.') {
      p.pos++;
      if (p.acceptOp('*')) {
        expr = { kind: 'FieldSelect', expr, field: null, loc: expr.loc };
      } else {
        expr = { kind: 'FieldSelect', expr, field: p.colLabel(), loc: expr.loc };
      }
    } else {
      return expr;
    }
  }
}

function special(name: string, args: Expr[], loc: number): FuncCall {
  return { kind: 'FuncCall', name: [name], args, star: false, distinct: false, variadic: false,
    orderBy: [], withinGroup: null, filter: null, over: null, special: true, loc };
}

function parseExtract(p: Parser): Expr {
  const loc = p.next().start;
  p.expectPunct('(');
  const f = p.peek();
  let field: string;
  if (f.type === Tok.Ident || f.type === Tok.String) field = f.value;
  else throw p.error();
  p.pos++;
  p.expectKw('from');
  const source = parseExpr(p);
  p.expectPunct(')');
  return special('extract', [{ kind: 'StringLiteral', value: field, loc: f.start }, source], loc);
}

function parseSubstring(p: Parser): Expr {
  const loc = p.next().start;
  p.expectPunct('(');
  const str = parseExpr(p);
  let args: Expr[];
  if (p.acceptKw('from')) {
    const from = parseExpr(p);
    args = p.acceptKw('for') ? [str, from, parseExpr(p)] : [str, from];
  } else if (p.acceptKw('for')) {
    const len = parseExpr(p);
    const from: Expr = p.acceptKw('from') ? parseExpr(p)
      : { kind: 'IntegerLiteral', value: '1', loc };
    args = [str, from, len];
  } else if (p.acceptKw('similar')) {
    const pattern = parseExpr(p);
    p.expectKw('escape');
    args = [str, pattern, parseExpr(p)];
  } else {
    const rest = p.acceptPunct(',') ? parseExprList(p) : [];
    p.expectPunct(')');
    return { ...special('substring', [str, ...rest], loc), special: false };
  }
  p.expectPunct(')');
  return special('substring', args, loc);
}

function parsePosition(p: Parser): Expr {
  const loc = p.next().start;
  p.expectPunct('(');
  const needle = parseRestrictedExpr(p);
  p.expectKw('in');
  const haystack = parseRestrictedExpr(p);
  p.expectPunct(')');
  return special('position', [haystack, needle], loc);
}

function parseTrim(p: Parser): Expr {
  const loc = p.next().start;
  p.expectPunct('(');
  let fn = 'btrim';
  if (p.acceptKw('leading')) fn = 'ltrim';
  else if (p.acceptKw('trailing')) fn = 'rtrim';
  else p.acceptKw('both');
  let args: Expr[];
  if (p.acceptKw('from')) {
    args = parseExprList(p);
  } else {
    const first = parseExpr(p);
    if (p.acceptKw('from')) {
      args = [...parseExprList(p), first];
    } else {
      args = [first];
      while (p.acceptPunct(',')) args.push(parseExpr(p));
    }
  }
  p.expectPunct(')');
  return special(fn, args, loc);
}

function parseOverlay(p: Parser): Expr {
  const loc = p.next().start;
  p.expectPunct('(');
  const str = parseExpr(p);
  if (!p.acceptKw('placing')) {
    const rest = p.acceptPunct(',') ? parseExprList(p) : [];
    p.expectPunct(')');
    return { ...special('overlay', [str, ...rest], loc), special: false };
  }
  const placing = parseExpr(p);
  p.expectKw('from');
  const from = parseExpr(p);
  const args = p.acceptKw('for') ? [str, placing, from, parseExpr(p)] : [str, placing, from];
  p.expectPunct(')');
  return special('overlay', args, loc);
}

/**
 * The inside of `[...]` after the opening bracket: `i`, `l:u`, `:u`, `l:` or `:`, through the
 * closing bracket. Shared by subscripts in expressions and in assignment targets.
 */
export function parseSubscriptBounds(p: Parser): { lower: Expr | null; upper: Expr | null; slice: boolean } {
  let lower: Expr | null = null;
  let upper: Expr | null = null;
  let slice = false;
  if (!p.isPunct(':')) lower = parseExpr(p);
  if (p.acceptPunct(':')) {
    slice = true;
    if (!p.isPunct(']')) upper = parseExpr(p);
  }
  p.expectPunct(']');
  return { lower, upper, slice };
}
