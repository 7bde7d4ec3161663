/**
 * Binds AST expressions into typed BoundExprs: resolves names against scopes, types literals,
 * infers parameter types, resolves operators and functions, and collects aggregates / window
 * functions into the query state. Special operator families (comparison, boolean logic, IS,
 * IN, BETWEEN, LIKE, CASE, COALESCE ...) are bound here; everything else goes through the
 * function registry.
 */
import { DbError, withPosition } from '../../errors/index.ts';
import type { Expr } from '../../sql/ast.ts';
import { Limits } from '../../limits.ts';
import { commonType } from '../../types/coerce.ts';
import { comparatorFor } from '../../types/compare.ts';
import { parseNumeric } from '../../types/numeric.ts';
import { canonInt8 } from '../../types/int.ts';
import { inputFunction } from '../../types/text-io.ts';
import { SqlArray } from '../../types/array.ts';
import { arrayOf, formatType, Oid, recordType, type SqlType, Types } from '../../types/sql-type.ts';
import { containsSrf, type BoundExpr, type CompareOp } from '../bound-expr.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { coerce, coerceBoolean, isUnknown, resolveUnknown } from './coerce-expr.ts';
import { resolveColumn, type Scope } from './scope.ts';
import { resolveTypeName } from './type-names.ts';
import { bindFuncCall, bindOperator, bindSqlValueFunc, SRF_HINT } from './bind-call.ts';
import { bindSubqueryExpr } from './bind-subquery-expr.ts';
import { noteGroupingCall } from './grouping.ts';
import { bindFieldSelect, bindWholeRow } from './bind-field.ts';

const COMPARE_OPS = new Set(['=', '<>', '<', '>', '<=', '>=']);

export function isCompareOp(op: string): op is CompareOp {
  return COMPARE_OPS.has(op);
}

let depth = 0;

export function bindExpr(ast: Expr, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (++depth > Limits.expressionDepthMax) {
    depth = 0;
    throw new DbError('statement_too_complex', 'stack depth limit exceeded', {
      hint: 'The expression is nested too deeply.', position: ast.loc + 1,
    });
  }
  try {
    return bindInner(ast, scope, bc, qs);
  } finally {
    depth--;
  }
}

function bindInner(ast: Expr, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  switch (ast.kind) {
    case 'IntegerLiteral':
      return integerLiteral(ast.value, false);
    case 'NumericLiteral':
      return { k: 'const', type: Types.numeric, value: parseNumeric(ast.value) };
    case 'StringLiteral':
      return { k: 'const', type: Types.unknown, value: ast.value };
    case 'BooleanLiteral':
      return { k: 'const', type: Types.bool, value: ast.value };
    case 'NullLiteral':
      return { k: 'const', type: Types.unknown, value: null };
    case 'BitStringLiteral':
      throw new DbError('feature_not_supported', 'bit string constants are not supported', { position: ast.loc + 1 });
    case 'TypedLiteral': {
      const type = resolveTypeName(ast.type);
      try {
        return { k: 'const', type, value: inputFunction(type)(ast.value, bc.types) };
      } catch (e) {
        throw withPosition(e, ast.loc + 1);
      }
    }
    case 'Param': {
      const i = ast.index - 1;
      if (i < 0 || i >= Limits.parametersMax) {
        throw new DbError('undefined_parameter', `there is no parameter $${ast.index}`, { position: ast.loc + 1 });
      }
      while (bc.paramTypes.length <= i) bc.paramTypes.push(null);
      const t = bc.paramTypes[i];
      return { k: 'param', type: t ?? Types.unknown, index: i };
    }
    case 'ColumnRef':
      return bindColumnRef(ast.names, ast.star, ast.loc, scope, bc);
    case 'UnaryOp':
      if (ast.op === '-' && ast.operand.kind === 'IntegerLiteral') return integerLiteral(ast.operand.value, true);
      if (ast.op === '-' && ast.operand.kind === 'NumericLiteral') {
        return { k: 'const', type: Types.numeric, value: parseNumeric('-' + ast.operand.value) };
      }
      return bindOperator(ast.op, [bindExpr(ast.operand, scope, bc, qs)], bc, ast.loc);
    case 'BinaryOp': {
      if (isCompareOp(ast.op) && ast.left.kind === 'RowExpr' && ast.right.kind === 'RowExpr') {
        // Fields compare pairwise, so an untyped field (NULL, 'x') takes its partner's type
        // instead of being resolved to text as a stand-alone row value would be.
        const fields = (r: typeof ast.left & { kind: 'RowExpr' }): BoundExpr[] => r.fields.map((f) => bindExpr(f, scope, bc, qs));
        return bindRowComparison(ast.op, fields(ast.left), fields(ast.right), bc, ast.loc);
      }
      const left = bindExpr(ast.left, scope, bc, qs);
      const right = bindExpr(ast.right, scope, bc, qs);
      if (isCompareOp(ast.op)) return bindComparison(ast.op, left, right, bc, ast.loc);
      return bindOperator(ast.op, [left, right], bc, ast.loc);
    }
    case 'BoolOp':
      return {
        k: ast.op,
        type: Types.bool,
        args: ast.args.map((a) => coerceBoolean(bindExpr(a, scope, bc, qs), bc, a.loc, ast.op.toUpperCase())),
      };
    case 'Not':
      return { k: 'not', type: Types.bool, arg: coerceBoolean(bindExpr(ast.arg, scope, bc, qs), bc, ast.arg.loc, 'NOT') };
    case 'IsTest': {
      let arg = bindExpr(ast.arg, scope, bc, qs);
      if (ast.test === 'null') arg = resolveUnknown(arg, bc, ast.arg.loc);
      else arg = coerceBoolean(arg, bc, ast.arg.loc, `IS ${ast.test.toUpperCase()}`);
      return { k: 'istest', type: Types.bool, test: ast.test, negated: ast.negated, arg };
    }
    case 'IsDistinctFrom': {
      const [l, r, t] = unify(bindExpr(ast.left, scope, bc, qs), bindExpr(ast.right, scope, bc, qs), bc, ast.loc, 'IS DISTINCT FROM');
      return { k: 'distinct', type: Types.bool, negated: ast.negated, left: l, right: r, cmp: comparatorFor(t) };
    }
    case 'Between':
      return bindBetween(ast, scope, bc, qs);
    case 'InList':
      return bindInList(ast.arg, ast.list, ast.negated, ast.loc, scope, bc, qs);
    case 'Like':
      return bindLike(ast, scope, bc, qs);
    case 'NamedArg':
      throw new DbError('syntax_error', 'named arguments are only allowed in function calls', { position: ast.loc + 1 });
    case 'FuncCall':
      return bindFuncCall(ast, scope, bc, qs);
    case 'Case':
      return bindCase(ast, scope, bc, qs);
    case 'Cast': {
      const target = resolveTypeName(ast.type);
      // ARRAY[] takes its type from a directly applied cast (PostgreSQL passes the cast's target
      // type into the empty array constructor): ARRAY[]::int[] is an empty int4[].
      if (ast.expr.kind === 'ArrayExpr' && ast.expr.elements.length === 0 && target.elem !== null) {
        return { k: 'const', type: target, value: new SqlArray([]) };
      }
      return coerce(bindExpr(ast.expr, scope, bc, qs), target, 'explicit', bc, ast.loc);
    }
    case 'Collate':
      return bindExpr(ast.expr, scope, bc, qs);
    case 'AtTimeZone': {
      const value = bindExpr(ast.expr, scope, bc, qs);
      const zone: BoundExpr = ast.zone ? bindExpr(ast.zone, scope, bc, qs)
        : { k: 'const', type: Types.text, value: bc.types.timeZone };
      return bindCallByName('timezone', [zone, value], bc, ast.loc);
    }
    case 'Subscript':
      return bindSubscript(ast, scope, bc, qs);
    case 'FieldSelect':
      return bindFieldSelect(ast, scope, bc, qs);
    case 'ArrayExpr':
      return bindArray(ast.elements, ast.loc, scope, bc, qs);
    case 'RowExpr': {
      const args = ast.fields.map((f) => resolveUnknown(bindExpr(f, scope, bc, qs), bc, f.loc));
      return { k: 'row', type: recordType(args.map((a, i) => ({ name: `f${i + 1}`, type: a.type }))), args };
    }
    case 'Exists':
    case 'ScalarSubquery':
    case 'ArraySubquery':
    case 'InSubquery':
    case 'QuantifiedSubquery':
      return bindSubqueryExpr(ast, scope, bc, qs);
    case 'QuantifiedArray':
      return bindQuantifiedArray(ast, scope, bc, qs);
    case 'ConditionalFunc':
      return bindConditional(ast, scope, bc, qs);
    case 'SqlValueFunc':
      return bindSqlValueFunc(ast, bc);
    case 'DefaultExpr':
      throw new DbError('syntax_error', 'DEFAULT is not allowed in this context', { position: ast.loc + 1 });
    case 'GroupingFunc':
      return bindGroupingFunc(ast, scope, bc, qs);
  }
}

/**
 * GROUPING(a, b, ...): bound here with its arguments read from the input row; the grouped-query
 * rewrite (grouping.ts) checks the arguments are GROUP BY expressions and points the call at the
 * Aggregate's grouping bitmask. The query state is remembered so the rewrite can tell where that
 * bitmask column sits (after the aggregates collected for this query level).
 */
function bindGroupingFunc(ast: Extract<Expr, { kind: 'GroupingFunc' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (qs.noAggClause !== null) {
    throw new DbError('grouping_error', `grouping operations are not allowed in ${qs.noAggClause}`, { position: ast.loc + 1 });
  }
  if (ast.args.length > 31) {
    throw new DbError('too_many_arguments', 'GROUPING must have fewer than 32 arguments', { position: ast.loc + 1 });
  }
  const args = ast.args.map((a) => resolveUnknown(bindExpr(a, scope, bc, qs), bc, a.loc));
  const e: BoundExpr = { k: 'grouping', type: Types.int4, args, mask: null, bits: [], nKeys: 0, loc: ast.loc };
  noteGroupingCall(e, qs);
  return e;
}

/**
 * Integer literal typing: int4 if it fits, else int8, else numeric (PostgreSQL's rule). The type is
 * chosen by the UNSIGNED digits, as PostgreSQL's lexer does before the grammar folds a leading
 * minus in: -2147483648 is bigint there (so -(-2147483648) does not overflow).
 */
function integerLiteral(digits: string, negative: boolean): BoundExpr {
  const text = negative ? '-' + digits : digits;
  if (digits.length <= 10) {
    const n = Number(digits);
    if (n <= 2147483647) return { k: 'const', type: Types.int4, value: negative ? (n === 0 ? 0 : -n) : n };
  }
  if (digits.length <= 19) {
    const b = BigInt(digits);
    if (b <= 9223372036854775807n) {
      return { k: 'const', type: Types.int8, value: canonInt8(negative ? -b : b) };
    }
  }
  return { k: 'const', type: Types.numeric, value: parseNumeric(text) };
}

function bindColumnRef(names: readonly string[], star: boolean, loc: number, scope: Scope | null, bc: BindContext): BoundExpr {
  if (star) {
    // t.* as a value (not a select-list item, which expands): the row of t.
    const whole = names.length > 0 ? bindWholeRow(scope, names) : null;
    if (whole !== null) return whole;
    throw new DbError('syntax_error', '"*" is not allowed here', { position: loc + 1 });
  }
  const found = resolveColumn(scope, names, loc);
  if (found !== null) return found.expr;
  const arg = bc.paramNames === null ? undefined : routineArgument(names, bc.paramNames);
  if (arg !== undefined) {
    while (bc.paramTypes.length <= arg) bc.paramTypes.push(null);
    return { k: 'param', type: bc.paramTypes[arg] ?? Types.unknown, index: arg };
  }
  const whole = names.length === 1 ? bindWholeRow(scope, names) : null;
  if (whole !== null) return whole;
  if (names.length > 1) {
    const table = names[names.length - 2]!;
    throw new DbError('undefined_table', `missing FROM-clause entry for table "${table}"`, { position: loc + 1 });
  }
  throw new DbError('undefined_column', `column "${names[0]}" does not exist`, { position: loc + 1 });
}

/** A routine argument named by `names` (arg or routine.arg), as a 0-based parameter index. */
function routineArgument(names: readonly string[], p: NonNullable<BindContext['paramNames']>): number | undefined {
  if (names.length === 1) return p.names.get(names[0]!);
  if (names.length === 2 && names[0] === p.routine) return p.names.get(names[1]!);
  return undefined;
}

/**
 * Brings two operands to one type for comparison: unknowns take the other side's type; otherwise
 * the common type by PostgreSQL's resolution rules.
 */
export function unify(
  l: BoundExpr, r: BoundExpr, bc: BindContext, loc: number, what: string,
): [BoundExpr, BoundExpr, SqlType] {
  if (isUnknown(l) && isUnknown(r)) {
    return [coerce(l, Types.text, 'implicit', bc, loc), coerce(r, Types.text, 'implicit', bc, loc), Types.text];
  }
  if (isUnknown(l)) return [coerce(l, r.type, 'implicit', bc, loc), r, r.type];
  if (isUnknown(r)) return [l, coerce(r, l.type, 'implicit', bc, loc), l.type];
  if (l.type.oid === r.type.oid && sameElem(l.type, r.type)) return [l, r, l.type.typmod === r.type.typmod ? l.type : { ...l.type, typmod: -1 }];
  const t = commonType([l.type, r.type], null);
  if (t === null) {
    throw new DbError('undefined_function',
      `operator does not exist: ${formatType(l.type)} ${what} ${formatType(r.type)}`, {
        position: loc + 1,
        hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
      });
  }
  return [coerce(l, t, 'implicit', bc, loc), coerce(r, t, 'implicit', bc, loc), t];
}

function sameElem(a: SqlType, b: SqlType): boolean {
  if (a.elem === null || b.elem === null) return a.elem === b.elem;
  return a.elem.oid === b.elem.oid;
}

export function bindComparison(op: CompareOp, left: BoundExpr, right: BoundExpr, bc: BindContext, loc: number): BoundExpr {
  if (left.k === 'row' && right.k === 'row') return bindRowComparison(op, left.args, right.args, bc, loc);
  const [l, r, t] = unify(left, right, bc, loc, op);
  return foldIfConstant({ k: 'cmp', type: Types.bool, op, left: l, right: r, cmp: comparatorFor(t) });
}

function bindRowComparison(op: CompareOp, ls: readonly BoundExpr[], rs: readonly BoundExpr[], bc: BindContext, loc: number): BoundExpr {
  if (ls.length !== rs.length) {
    throw new DbError('syntax_error', 'unequal number of entries in row expressions', { position: loc + 1 });
  }
  if (op !== '=' && op !== '<>') return rowOrdering(op, ls, rs, 0, bc, loc);
  const parts = ls.map((l, i) => bindComparison('=', l, rs[i]!, bc, loc));
  const all: BoundExpr = parts.length === 1 ? parts[0]! : { k: 'and', type: Types.bool, args: parts };
  return op === '=' ? all : { k: 'not', type: Types.bool, arg: all };
}

/**
 * Lexicographic row ordering, (a1, a2) < (b1, b2) as a1 < b1 OR (a1 = b1 AND a2 < b2): under
 * three-valued logic this is exactly PostgreSQL's RowCompareExpr (the first unequal pair decides;
 * a NULL before that makes the result NULL), with the last pair compared by the operator itself.
 */
function rowOrdering(op: CompareOp, ls: readonly BoundExpr[], rs: readonly BoundExpr[], i: number, bc: BindContext, loc: number): BoundExpr {
  if (i === ls.length - 1) return bindComparison(op, ls[i]!, rs[i]!, bc, loc);
  const strict: CompareOp = op === '<=' ? '<' : op === '>=' ? '>' : op;
  return {
    k: 'or', type: Types.bool,
    args: [
      bindComparison(strict, ls[i]!, rs[i]!, bc, loc),
      { k: 'and', type: Types.bool, args: [bindComparison('=', ls[i]!, rs[i]!, bc, loc), rowOrdering(op, ls, rs, i + 1, bc, loc)] },
    ],
  };
}

function bindBetween(ast: Extract<Expr, { kind: 'Between' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const arg = bindExpr(ast.arg, scope, bc, qs);
  const low = bindExpr(ast.low, scope, bc, qs);
  const high = bindExpr(ast.high, scope, bc, qs);
  const t = commonType([arg.type, low.type, high.type].filter((x) => x.oid !== Oid.unknown).length > 0
    ? [arg.type, low.type, high.type] : [Types.text], 'BETWEEN');
  const a = coerce(arg, t, 'implicit', bc, ast.arg.loc);
  const lo = coerce(low, t, 'implicit', bc, ast.low.loc);
  const hi = coerce(high, t, 'implicit', bc, ast.high.loc);
  const cmp = comparatorFor(t);
  const range = (x: BoundExpr, y: BoundExpr): BoundExpr => ({
    k: 'and', type: Types.bool,
    args: [
      { k: 'cmp', type: Types.bool, op: '>=', left: a, right: x, cmp },
      { k: 'cmp', type: Types.bool, op: '<=', left: a, right: y, cmp },
    ],
  });
  let e: BoundExpr = range(lo, hi);
  if (ast.symmetric) e = { k: 'or', type: Types.bool, args: [e, range(hi, lo)] };
  return ast.negated ? { k: 'not', type: Types.bool, arg: e } : e;
}

function bindInList(
  argAst: Expr, listAst: readonly Expr[], negated: boolean, loc: number,
  scope: Scope | null, bc: BindContext, qs: QueryState,
): BoundExpr {
  const arg = bindExpr(argAst, scope, bc, qs);
  const list = listAst.map((e) => bindExpr(e, scope, bc, qs));
  if (arg.k === 'row') {
    const eqs = list.map((item) => bindComparison('=', arg, item, bc, loc));
    const any: BoundExpr = { k: 'or', type: Types.bool, args: eqs };
    return negated ? { k: 'not', type: Types.bool, arg: any } : any;
  }
  const types = [arg.type, ...list.map((l) => l.type)];
  const t = commonType(types, 'IN');
  return {
    k: 'inlist', type: Types.bool, negated,
    arg: coerce(arg, t, 'implicit', bc, argAst.loc),
    list: list.map((l, i) => coerce(l, t, 'implicit', bc, listAst[i]!.loc)),
    cmp: comparatorFor(t),
  };
}

function bindLike(ast: Extract<Expr, { kind: 'Like' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const arg = bindExpr(ast.arg, scope, bc, qs);
  let pattern = bindExpr(ast.pattern, scope, bc, qs);
  if (ast.op === 'similar') {
    const args = [pattern];
    if (ast.escape) args.push(bindExpr(ast.escape, scope, bc, qs));
    pattern = bindCallByName('similar_to_escape', args, bc, ast.loc);
    return bindOperator(ast.negated ? '!~' : '~', [arg, pattern], bc, ast.loc);
  }
  if (ast.escape) {
    pattern = bindCallByName('like_escape', [pattern, bindExpr(ast.escape, scope, bc, qs)], bc, ast.loc);
  }
  const op = ast.op === 'like' ? (ast.negated ? '!~~' : '~~') : (ast.negated ? '!~~*' : '~~*');
  return bindOperator(op, [arg, pattern], bc, ast.loc);
}

function bindCase(ast: Extract<Expr, { kind: 'Case' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const subject = ast.arg ? bindExpr(ast.arg, scope, bc, qs) : null;
  const conds = ast.whens.map((w) => {
    const c = bindExpr(w.condition, scope, bc, qs);
    if (subject !== null) return bindComparison('=', subject, c, bc, w.condition.loc);
    return coerceBoolean(c, bc, w.condition.loc, 'CASE/WHEN');
  });
  const results = ast.whens.map((w) => bindExpr(w.result, scope, bc, qs));
  const otherwise: BoundExpr = ast.else ? bindExpr(ast.else, scope, bc, qs) : { k: 'const', type: Types.unknown, value: null };
  rejectSrf([...(subject ? [subject] : []), ...conds, ...results, otherwise], 'CASE', ast.loc);
  const t = commonType([...results.map((r) => r.type), otherwise.type], 'CASE');
  return {
    k: 'case', type: t,
    whens: conds.map((cond, i) => ({ cond, result: coerce(results[i]!, t, 'implicit', bc, ast.whens[i]!.result.loc) })),
    else: coerce(otherwise, t, 'implicit', bc, ast.else?.loc ?? ast.loc),
  };
}

/**
 * CASE and COALESCE evaluate their arms conditionally, which a set-returning function cannot be
 * (PostgreSQL 10+): 0A000, as check_srf_call_placement words it.
 */
function rejectSrf(parts: readonly BoundExpr[], what: string, loc: number): void {
  if (parts.some(containsSrf)) {
    throw new DbError('feature_not_supported', `set-returning functions are not allowed in ${what}`,
      { position: loc + 1, hint: SRF_HINT });
  }
}

function bindConditional(ast: Extract<Expr, { kind: 'ConditionalFunc' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const args = ast.args.map((a) => bindExpr(a, scope, bc, qs));
  const name = ast.fn.toUpperCase();
  if (ast.fn === 'nullif') {
    const [l, r, t] = unify(args[0]!, args[1]!, bc, ast.loc, '=');
    return { k: 'nullif', type: t, left: l, right: r, cmp: comparatorFor(t) };
  }
  if (ast.fn === 'coalesce') rejectSrf(args, 'COALESCE', ast.loc);
  const t = commonType(args.map((a) => a.type), name);
  const coerced = args.map((a, i) => coerce(a, t, 'implicit', bc, ast.args[i]!.loc));
  if (ast.fn === 'coalesce') return { k: 'coalesce', type: t, args: coerced };
  return { k: 'minmax', type: t, greatest: ast.fn === 'greatest', args: coerced, cmp: comparatorFor(t) };
}

function bindSubscript(ast: Extract<Expr, { kind: 'Subscript' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const arg = bindExpr(ast.expr, scope, bc, qs);
  if (arg.type.elem === null) {
    throw new DbError('datatype_mismatch',
      `cannot subscript type ${formatType(arg.type)} because it does not support subscripting`, { position: ast.loc + 1 });
  }
  const idx = (e: Expr | null): BoundExpr | null => e === null ? null
    : coerce(bindExpr(e, scope, bc, qs), Types.int4, 'implicit', bc, e.loc);
  return {
    k: 'subscript', type: ast.slice ? arg.type : arg.type.elem, arg,
    lower: idx(ast.lower), upper: idx(ast.upper), slice: ast.slice,
  };
}

function bindArray(elements: readonly Expr[], loc: number, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const elems = elements.map((e) => bindExpr(e, scope, bc, qs));
  if (elems.length === 0) {
    throw new DbError('indeterminate_datatype', 'cannot determine type of empty array', {
      position: loc + 1, hint: 'Explicitly cast to the desired type, for example ARRAY[]::integer[].',
    });
  }
  const t = commonType(elems.map((e) => e.type), 'ARRAY');
  return { k: 'array', type: arrayOf(t), elems: elems.map((e, i) => coerce(e, t, 'implicit', bc, elements[i]!.loc)) };
}

function bindQuantifiedArray(ast: Extract<Expr, { kind: 'QuantifiedArray' }>, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (!isCompareOp(ast.op)) {
    throw new DbError('feature_not_supported', `operator ${ast.op} with ANY/ALL is not supported`, { position: ast.loc + 1 });
  }
  let left = bindExpr(ast.left, scope, bc, qs);
  let array = bindExpr(ast.array, scope, bc, qs);
  if (isUnknown(array)) array = coerce(array, arrayOf(isUnknown(left) ? Types.text : left.type), 'implicit', bc, ast.array.loc);
  if (array.type.elem === null) {
    throw new DbError('datatype_mismatch', `op ANY/ALL (array) requires array on right side`, { position: ast.loc + 1 });
  }
  const elemType = array.type.elem;
  if (isUnknown(left)) left = coerce(left, elemType, 'implicit', bc, ast.left.loc);
  const t = commonType([left.type, elemType], null);
  if (t === null) throw new DbError('undefined_function', `operator does not exist: ${formatType(left.type)} ${ast.op} ${formatType(elemType)}`, { position: ast.loc + 1 });
  left = coerce(left, t, 'implicit', bc, ast.left.loc);
  if (t.oid !== elemType.oid) array = coerce(array, arrayOf(t), 'implicit', bc, ast.array.loc);
  return { k: 'quantarray', type: Types.bool, all: ast.quantifier === 'all', op: ast.op, left, array, cmp: comparatorFor(t) };
}

/** Calls a registry function by name with already-bound arguments. */
export function bindCallByName(name: string, args: BoundExpr[], bc: BindContext, loc: number): BoundExpr {
  return bindOperator(name, args, bc, loc, true);
}

/** Evaluates a comparison of constants at bind time (so WHERE 1 = 0 costs nothing per row). */
function foldIfConstant(e: Extract<BoundExpr, { k: 'cmp' }>): BoundExpr {
  if (e.left.k === 'const' && e.right.k === 'const') {
    const a = e.left.value;
    const b = e.right.value;
    if (a === null || b === null) return { k: 'const', type: Types.bool, value: null };
    const c = e.cmp(a, b);
    const r = e.op === '=' ? c === 0 : e.op === '<>' ? c !== 0 : e.op === '<' ? c < 0
      : e.op === '>' ? c > 0 : e.op === '<=' ? c <= 0 : c >= 0;
    return { k: 'const', type: Types.bool, value: r };
  }
  return e;
}
