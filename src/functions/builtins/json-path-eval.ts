/**
 * SQL/JSON path evaluation over jsonb trees, with PostgreSQL's lax/strict semantics:
 * - lax (default): member access on an array applies to its elements, array access on a
 *   non-array treats it as a one-element array, missing keys and out-of-range subscripts yield
 *   nothing, and structural errors inside filters make the predicate unknown;
 * - strict: those situations raise SQL/JSON errors (2203A/2203B/2203C/22033).
 * Predicates are three-valued (true / false / unknown = null). Comparisons between items of
 * different types are unknown, except that null equals only null.
 *
 * Errors raised here carry PostgreSQL's SQL/JSON SQLSTATEs; codes missing from the central
 * table are set on a data_exception DbError (see pathError). `silent` callers catch them.
 */
import { DbError } from '../../errors/index.ts';
import {
  compareCodePoints, compareNumberText, Jsonb, JsonbNumber, JsonbObject, normalizeNumber,
  type JsonbValue,
} from '../../types/json.ts';
import { jsonbTypeofValue } from '../../types/jsonb-ops.ts';
import {
  formatNumeric, numericAbs, numericAdd, numericCeil, numericDiv, numericFloor, numericMod,
  numericMul, numericNeg, numericSub, parseNumeric, type NumericValue,
} from '../../types/numeric.ts';
import { parseJsonPath, type PathNode } from './json-path.ts';

/** A DbError with a SQL/JSON SQLSTATE (codes 2203x/2203x/22033/22038 of errcodes.txt). */
export function pathError(code: string, message: string): DbError {
  const e = new DbError('data_exception', message);
  Object.defineProperty(e, 'code', { value: code });
  return e;
}

class Ctx {
  readonly root: JsonbValue;
  readonly vars: JsonbValue;
  readonly strict: boolean;
  /** Length of the innermost array being subscripted, for `last`. */
  last = -1;
  constructor(root: JsonbValue, vars: JsonbValue, strict: boolean) {
    this.root = root;
    this.vars = vars;
    this.strict = strict;
  }
}

type Tri = boolean | null;

const PREDICATES = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||', 'starts']);

function isPredicate(n: PathNode): boolean {
  if (n.k === 'binary') return PREDICATES.has(n.op);
  return n.k === 'exists' || n.k === 'isUnknown' || (n.k === 'unary' && n.op === '!');
}

function num(v: NumericValue): JsonbNumber {
  return new JsonbNumber(normalizeNumber(formatNumeric(v)));
}

function unwrap(items: JsonbValue[], cx: Ctx): JsonbValue[] {
  if (cx.strict) return items;
  const out: JsonbValue[] = [];
  for (const it of items) {
    if (Array.isArray(it)) out.push(...it);
    else out.push(it);
  }
  return out;
}

function evalKey(items: JsonbValue[], key: string, cx: Ctx): JsonbValue[] {
  const out: JsonbValue[] = [];
  for (const it of unwrap(items, cx)) {
    if (it instanceof JsonbObject) {
      const i = it.keys.indexOf(key);
      if (i >= 0) out.push(it.values[i] as JsonbValue);
      else if (cx.strict) throw pathError('2203A', `JSON object does not contain key "${key}"`);
    } else if (cx.strict) {
      throw pathError('2203A', 'jsonpath member accessor can only be applied to an object');
    }
  }
  return out;
}

function evalAnyKey(items: JsonbValue[], cx: Ctx): JsonbValue[] {
  const out: JsonbValue[] = [];
  for (const it of unwrap(items, cx)) {
    if (it instanceof JsonbObject) out.push(...it.values);
    else if (cx.strict) {
      throw pathError('2203C', 'jsonpath wildcard member accessor can only be applied to an object');
    }
  }
  return out;
}

function evalAnyIndex(items: JsonbValue[], cx: Ctx): JsonbValue[] {
  const out: JsonbValue[] = [];
  for (const it of items) {
    if (Array.isArray(it)) out.push(...it);
    else if (cx.strict) {
      throw pathError('2203B', 'jsonpath wildcard array accessor can only be applied to an array');
    } else out.push(it);
  }
  return out;
}

function subscriptValue(n: PathNode, cx: Ctx, item: JsonbValue): number {
  const vals = evalNode(n, cx, item);
  const v = vals[0];
  if (vals.length !== 1 || !(v instanceof JsonbNumber)) {
    throw pathError('22033', 'jsonpath array subscript is not a single numeric value');
  }
  return Math.trunc(Number(v.text));
}

function evalIndex(items: JsonbValue[], n: Extract<PathNode, { k: 'index' }>, cx: Ctx): JsonbValue[] {
  const out: JsonbValue[] = [];
  for (const it of items) {
    if (!Array.isArray(it) && cx.strict) {
      throw pathError('2203B', 'jsonpath array accessor can only be applied to an array');
    }
    const arr = Array.isArray(it) ? it : [it];
    const saved = cx.last;
    cx.last = arr.length - 1;
    for (const sub of n.subs) {
      let from = subscriptValue(sub.from, cx, it);
      let to = sub.to === null ? from : subscriptValue(sub.to, cx, it);
      if (from < 0 || to >= arr.length || from > to) {
        if (cx.strict) throw pathError('22033', 'jsonpath array subscript is out of bounds');
        from = Math.max(from, 0);
        to = Math.min(to, arr.length - 1);
      }
      for (let i = from; i <= to; i++) out.push(arr[i] as JsonbValue);
    }
    cx.last = saved;
  }
  return out;
}

function numericOf(v: JsonbValue | undefined, what: string): NumericValue {
  if (!(v instanceof JsonbNumber)) throw pathError('22038', what);
  return parseNumeric(v.text);
}

const ARITH: Record<string, (a: NumericValue, b: NumericValue) => NumericValue> = {
  '+': numericAdd, '-': numericSub, '*': numericMul, '/': numericDiv, '%': numericMod,
};

function evalArith(n: Extract<PathNode, { k: 'binary' }>, cx: Ctx, cur: JsonbValue): JsonbValue[] {
  const l = unwrap(evalNode(n.left, cx, cur), cx);
  const r = unwrap(evalNode(n.right, cx, cur), cx);
  const op = ARITH[n.op];
  if (op === undefined) return [];
  if (l.length !== 1) throw pathError('22038', `left operand of jsonpath operator ${n.op} is not a single numeric value`);
  if (r.length !== 1) throw pathError('22038', `right operand of jsonpath operator ${n.op} is not a single numeric value`);
  const a = numericOf(l[0], `left operand of jsonpath operator ${n.op} is not a single numeric value`);
  const b = numericOf(r[0], `right operand of jsonpath operator ${n.op} is not a single numeric value`);
  return [num(op(a, b))];
}

function evalMethod(items: JsonbValue[], name: string, cx: Ctx): JsonbValue[] {
  if (name === 'size') {
    return items.map((it) => {
      if (Array.isArray(it)) return num(parseNumeric(String(it.length)));
      if (cx.strict) throw pathError('2203B', 'jsonpath item method .size() can only be applied to an array');
      return num(parseNumeric('1'));
    });
  }
  if (name === 'type') return items.map((it) => jsonbTypeofValue(it));
  return unwrap(items, cx).map((it) => {
    if (name === 'double' && typeof it === 'string') {
      const x = Number(it);
      if (it.trim() === '' || !Number.isFinite(x)) {
        throw pathError('22038', 'string argument of jsonpath item method .double() is not a valid representation of a double precision number');
      }
      return num(parseNumeric(String(x)));
    }
    const v = numericOf(it, `jsonpath item method .${name}() can only be applied to a numeric value`);
    switch (name) {
      case 'abs': return num(numericAbs(v));
      case 'floor': return num(numericFloor(v));
      case 'ceiling': return num(numericCeil(v));
      default: return it;
    }
  });
}

function lookupVar(name: string, cx: Ctx): JsonbValue[] {
  if (cx.vars instanceof JsonbObject) {
    const i = cx.vars.keys.indexOf(name);
    if (i >= 0) return [cx.vars.values[i] as JsonbValue];
  }
  throw new DbError('undefined_object', `could not find jsonpath variable "${name}"`);
}

/** Evaluates a value expression to a sequence of items. */
function evalNode(n: PathNode, cx: Ctx, cur: JsonbValue): JsonbValue[] {
  switch (n.k) {
    case 'root': return [cx.root];
    case 'current': return [cur];
    case 'last':
      if (cx.last < -1) throw new DbError('syntax_error', 'LAST is allowed only in array subscripts');
      return [num(parseNumeric(String(cx.last)))];
    case 'var': return lookupVar(n.name, cx);
    case 'literal': {
      const v = n.value;
      return [v !== null && typeof v === 'object' ? new JsonbNumber(normalizeNumber(v.num)) : v];
    }
    case 'key': return evalKey(evalNode(n.base, cx, cur), n.key, cx);
    case 'anyKey': return evalAnyKey(evalNode(n.base, cx, cur), cx);
    case 'anyIndex': return evalAnyIndex(evalNode(n.base, cx, cur), cx);
    case 'index': return evalIndex(evalNode(n.base, cx, cur), n, cx);
    case 'filter':
      return unwrap(evalNode(n.base, cx, cur), cx).filter((it) => evalPred(n.pred, cx, it) === true);
    case 'method': return evalMethod(evalNode(n.base, cx, cur), n.name, cx);
    case 'unary': {
      if (n.op === '!') return [evalPred(n, cx, cur)];
      return unwrap(evalNode(n.arg, cx, cur), cx).map((it) => {
        const v = numericOf(it, `operand of unary jsonpath operator ${n.op} is not a numeric value`);
        return n.op === '-' ? num(numericNeg(v)) : it;
      });
    }
    case 'binary':
      return PREDICATES.has(n.op) ? [evalPred(n, cx, cur)] : evalArith(n, cx, cur);
    case 'exists': case 'isUnknown': return [evalPred(n, cx, cur)];
  }
}

/** Compares two items: true/false, or null when they are not comparable. */
function compareItems(op: string, a: JsonbValue, b: JsonbValue): Tri {
  if (a === null || b === null) {
    if (a === null && b === null) return op === '==' || op === '<=' || op === '>=';
    return op === '!=';
  }
  let c: number;
  if (a instanceof JsonbNumber && b instanceof JsonbNumber) c = compareNumberText(a.text, b.text);
  else if (typeof a === 'string' && typeof b === 'string') {
    if (op === 'starts') return a.startsWith(b);
    c = compareCodePoints(a, b);
  } else if (typeof a === 'boolean' && typeof b === 'boolean') c = a === b ? 0 : a ? 1 : -1;
  else return null;
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    default: return null;
  }
}

/** Evaluates operand sequences, turning errors into `unknown` (as predicates do). */
function tryEval(n: PathNode, cx: Ctx, cur: JsonbValue): JsonbValue[] | null {
  try {
    return unwrap(evalNode(n, cx, cur), cx);
  } catch (e) {
    if (e instanceof DbError && e.code.startsWith('22')) return null;
    throw e;
  }
}

function evalComparison(n: Extract<PathNode, { k: 'binary' }>, cx: Ctx, cur: JsonbValue): Tri {
  const l = tryEval(n.left, cx, cur);
  const r = tryEval(n.right, cx, cur);
  if (l === null || r === null) return null;
  let found = false;
  let unknown = false;
  for (const a of l) {
    for (const b of r) {
      const res = compareItems(n.op, a, b);
      if (res === null) {
        if (cx.strict) return null;
        unknown = true;
      } else if (res) {
        if (!cx.strict) return true;
        found = true;
      }
    }
  }
  if (found && !unknown) return true;
  return unknown ? null : false;
}

function evalPred(n: PathNode, cx: Ctx, cur: JsonbValue): Tri {
  switch (n.k) {
    case 'binary': {
      if (n.op === '&&') {
        const a = evalPred(n.left, cx, cur);
        if (a === false) return false;
        const b = evalPred(n.right, cx, cur);
        return b === false ? false : a === null || b === null ? null : true;
      }
      if (n.op === '||') {
        const a = evalPred(n.left, cx, cur);
        if (a === true) return true;
        const b = evalPred(n.right, cx, cur);
        return b === true ? true : a === null || b === null ? null : false;
      }
      if (PREDICATES.has(n.op)) return evalComparison(n, cx, cur);
      return null;
    }
    case 'unary': {
      if (n.op !== '!') return null;
      const a = evalPred(n.arg, cx, cur);
      return a === null ? null : !a;
    }
    case 'exists': {
      const items = tryEval(n.arg, cx, cur);
      return items === null ? null : items.length > 0;
    }
    case 'isUnknown': return evalPred(n.arg, cx, cur) === null;
    default: return null;
  }
}

/** Runs a path; returns the result items (predicate paths yield one boolean or JSON null). */
export function jsonPathQuery(target: Jsonb, pathText: string, vars: Jsonb | null): JsonbValue[] {
  const path = parseJsonPath(pathText);
  const cx = new Ctx(target.root, vars === null ? null : vars.root, path.strict);
  cx.last = -2;
  if (isPredicate(path.expr)) return [evalPred(path.expr, cx, target.root)];
  return evalNode(path.expr, cx, target.root);
}

/** Runs a path; with `silent`, SQL/JSON data errors give `null` instead of raising. */
export function runJsonPath(
  target: Jsonb, pathText: string, vars: Jsonb | null, silent: boolean,
): JsonbValue[] | null {
  if (vars !== null && !(vars.root instanceof JsonbObject)) {
    throw new DbError('invalid_parameter_value', '"vars" argument is not an object', {
      detail: 'Jsonpath parameters should be encoded as key-value pairs of "vars" object.',
    });
  }
  try {
    return jsonPathQuery(target, pathText, vars);
  } catch (e) {
    if (silent && e instanceof DbError && e.code.startsWith('22')) return null;
    throw e;
  }
}

/** jsonb_path_match: the single boolean the path returns (null for unknown). */
export function jsonPathMatch(
  target: Jsonb, pathText: string, vars: Jsonb | null, silent: boolean,
): boolean | null {
  const items = runJsonPath(target, pathText, vars, silent);
  if (items === null) return null;
  const v = items[0];
  if (items.length === 1 && (typeof v === 'boolean' || v === null)) return v;
  if (silent) return null;
  throw pathError('22038', 'single boolean result is expected');
}
