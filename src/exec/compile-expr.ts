/**
 * Compiles bound expressions into closures, so evaluation per row is a chain of direct calls with
 * no AST walking or type dispatch. NULL is `null`; SQL's three-valued logic maps UNKNOWN to null.
 *
 * Invariant: a compiled closure holds no state of its own (everything mutable lives in the
 * ExecContext passed per call), and bound expressions are immutable; so the closure for a node is
 * memoized by node identity. Correlated subqueries re-instantiate their plan per outer row, and
 * without the memo every instantiation would recompile every expression in it.
 */
import { DbError, withPosition } from '../errors/index.ts';
import type { BoundExpr, Comparator } from '../plan/bound-expr.ts';
import type { Row } from '../storage/version.ts';
import type { ExecContext } from './exec-context.ts';
import { runSubquery } from './subquery.ts';
import { arraySubscript, SqlArray } from '../types/array.ts';
import { columnCompareOf, compareTest, compileColumnCompare } from './compile-compare.ts';

export type Evaluator = (row: Row, ctx: ExecContext) => unknown;

const compiledByNode = new WeakMap<BoundExpr, Evaluator>();

export function compileExpr(e: BoundExpr): Evaluator {
  // Leaves compile to one small closure, cheaper than the cache lookup (and a multi-row VALUES
  // list would put every one of its constants in the WeakMap).
  if (e.k === 'const' || e.k === 'param' || e.k === 'col') return compileUncached(e);
  let f = compiledByNode.get(e);
  if (f === undefined) {
    f = compileUncached(e);
    compiledByNode.set(e, f);
  }
  return f;
}

/**
 * Evaluates an expression once, outside any row (index-scan keys, LIMIT, function arguments): a
 * constant or parameter is read directly instead of compiling a closure for a single call.
 */
export function evaluateOnce(e: BoundExpr, ctx: ExecContext): unknown {
  if (e.k === 'const') return e.value;
  if (e.k === 'param') return ctx.params[e.index] ?? null;
  return compileExpr(e)(EMPTY_ROW, ctx);
}

const EMPTY_ROW: Row = [];

function compileUncached(e: BoundExpr): Evaluator {
  switch (e.k) {
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const i = e.index;
      return (_row, ctx) => ctx.params[i] ?? null;
    }
    case 'col': {
      const i = e.index;
      if (e.levelsUp === 0) return (row) => row[i] ?? null;
      const up = e.levelsUp;
      return (_row, ctx) => ctx.outer[ctx.outer.length - up]![i] ?? null;
    }
    case 'aggref':
      throw new DbError('internal_error', 'aggregate reference outside an aggregate context');
    case 'call':
      return compileCall(e);
    case 'cast': {
      const arg = compileExpr(e.arg);
      const fn = e.fn;
      const loc = e.loc;
      return (row, ctx) => {
        const v = arg(row, ctx);
        if (v === null) return null;
        try {
          return fn(v, ctx.types);
        } catch (err) {
          throw withPosition(err, loc >= 0 ? loc + 1 : undefined);
        }
      };
    }
    case 'cmp': {
      const c = columnCompareOf(e);
      if (c !== null) return compileColumnCompare(c);
      return compileCompare(compileExpr(e.left), compileExpr(e.right), e.cmp, compareTest(e.op));
    }
    case 'and':
      return compileAnd(e.args.map(compileExpr));
    case 'or':
      return compileOr(e.args.map(compileExpr));
    case 'not': {
      const arg = compileExpr(e.arg);
      return (row, ctx) => {
        const v = arg(row, ctx);
        return v === null ? null : !v;
      };
    }
    case 'istest':
      return compileIsTest(compileExpr(e.arg), e.test, e.negated);
    case 'distinct': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      const cmp = e.cmp;
      const negated = e.negated;
      return (row, ctx) => {
        const a = l(row, ctx);
        const b = r(row, ctx);
        let distinct: boolean;
        if (a === null || b === null) distinct = a !== b;
        else distinct = cmp(a, b) !== 0;
        return negated ? !distinct : distinct;
      };
    }
    case 'case':
      return compileCase(e.whens.map((w) => [compileExpr(w.cond), compileExpr(w.result)] as const),
        compileExpr(e.else));
    case 'coalesce': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => {
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row, ctx);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'nullif': {
      const l = compileExpr(e.left);
      const r = compileExpr(e.right);
      const cmp = e.cmp;
      return (row, ctx) => {
        const a = l(row, ctx);
        if (a === null) return null;
        const b = r(row, ctx);
        return b !== null && cmp(a, b) === 0 ? null : a;
      };
    }
    case 'minmax': {
      const args = e.args.map(compileExpr);
      const cmp = e.cmp;
      const sign = e.greatest ? 1 : -1;
      return (row, ctx) => {
        let best: unknown = null;
        for (let i = 0; i < args.length; i++) {
          const v = args[i]!(row, ctx);
          if (v !== null && (best === null || sign * cmp(v, best) > 0)) best = v;
        }
        return best;
      };
    }
    case 'inlist':
      return compileInList(compileExpr(e.arg), e.list.map(compileExpr), e.cmp, e.negated);
    case 'subquery':
      return (row, ctx) => runSubquery(e, row, ctx);
    case 'quantarray':
      return compileQuantArray(e);
    case 'row': {
      const args = e.args.map(compileExpr);
      return (row, ctx) => args.map((a) => a(row, ctx));
    }
    case 'array': {
      const elems = e.elems.map(compileExpr);
      return (row, ctx) => new SqlArray(elems.map((el) => el(row, ctx)));
    }
    case 'subscript':
      return compileSubscript(e);
    case 'field': {
      const arg = compileExpr(e.arg);
      const i = e.index;
      return (row, ctx) => {
        const v = arg(row, ctx) as unknown[] | null;
        return v === null ? null : v[i] ?? null;
      };
    }
    case 'srf': {
      // The Project operator puts the function's current element here (project-set.ts); anywhere
      // else the call has no row to expand.
      return (_row, ctx) => {
        const v = ctx.srfValues.get(e);
        if (v === undefined) {
          throw new DbError('feature_not_supported', 'set-returning functions are not allowed in this context');
        }
        return v;
      };
    }
    case 'runtime': {
      const args = e.args.map(compileExpr);
      const fn = e.fn;
      return (row, ctx) => fn(args.map((a) => a(row, ctx)), ctx);
    }
    case 'grouping':
      return compileGrouping(e);
  }
}

/**
 * GROUPING(args) over the Aggregate's bitmask (bit set, from the left over all group keys, for
 * each key not in the row's grouping set): argument j's bit becomes bit n-1-j of the result.
 */
function compileGrouping(e: Extract<BoundExpr, { k: 'grouping' }>): Evaluator {
  if (e.mask === null) {
    const loc = e.loc;
    return () => {
      throw new DbError('grouping_error',
        'arguments to GROUPING must be grouping expressions of the associated query level', { position: loc + 1 });
    };
  }
  const mask = compileExpr(e.mask);
  const shifts = e.bits.map((k) => e.nKeys - 1 - k);
  const n = shifts.length;
  return (row, ctx) => {
    const m = Number(mask(row, ctx) ?? 0);
    let out = 0;
    for (let j = 0; j < n; j++) if ((m >> shifts[j]!) & 1) out |= 1 << (n - 1 - j);
    return out;
  };
}

function compileCall(e: Extract<BoundExpr, { k: 'call' }>): Evaluator {
  const fn = e.fn;
  const impl = fn.impl;
  const argTypes = e.argTypes;
  const args = e.args.map(compileExpr);
  const n = args.length;
  const strict = fn.strict;
  if (n === 1) {
    const a0 = args[0]!;
    return (row, ctx) => {
      const v0 = a0(row, ctx);
      if (strict && v0 === null) return null;
      return impl([v0], ctx, argTypes) ?? null;
    };
  }
  if (n === 2 && strict && fn.binary !== undefined) {
    // Arithmetic operators: no argument array per call.
    const a0 = args[0]!;
    const a1 = args[1]!;
    const bin = fn.binary;
    return (row, ctx) => {
      const v0 = a0(row, ctx);
      if (v0 === null) return null;
      const v1 = a1(row, ctx);
      if (v1 === null) return null;
      return bin(v0, v1) ?? null;
    };
  }
  if (n === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (row, ctx) => {
      const v0 = a0(row, ctx);
      if (strict && v0 === null) return null;
      const v1 = a1(row, ctx);
      if (strict && v1 === null) return null;
      return impl([v0, v1], ctx, argTypes) ?? null;
    };
  }
  return (row, ctx) => {
    const vals = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const v = args[i]!(row, ctx);
      if (strict && v === null) return null;
      vals[i] = v;
    }
    return impl(vals, ctx, argTypes) ?? null;
  };
}

function compileCompare(l: Evaluator, r: Evaluator, cmp: Comparator, test: (c: number) => boolean): Evaluator {
  return (row, ctx) => {
    const a = l(row, ctx);
    if (a === null) return null;
    const b = r(row, ctx);
    if (b === null) return null;
    return test(cmp(a, b));
  };
}

function compileAnd(args: Evaluator[]): Evaluator {
  if (args.length === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (row, ctx) => {
      const x = a0(row, ctx);
      if (x === false) return false;
      const y = a1(row, ctx);
      if (y === false) return false;
      return x === null || y === null ? null : true;
    };
  }
  return (row, ctx) => {
    let sawNull = false;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!(row, ctx);
      if (v === false) return false;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : true;
  };
}

function compileOr(args: Evaluator[]): Evaluator {
  return (row, ctx) => {
    let sawNull = false;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!(row, ctx);
      if (v === true) return true;
      if (v === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

function compileIsTest(arg: Evaluator, test: 'null' | 'true' | 'false' | 'unknown', negated: boolean): Evaluator {
  switch (test) {
    case 'null':
      return negated ? (row, ctx) => isNotNullValue(arg(row, ctx)) : (row, ctx) => isNullValue(arg(row, ctx));
    case 'unknown':
      return negated ? (row, ctx) => arg(row, ctx) !== null : (row, ctx) => arg(row, ctx) === null;
    case 'true':
      return negated ? (row, ctx) => arg(row, ctx) !== true : (row, ctx) => arg(row, ctx) === true;
    case 'false':
      return negated ? (row, ctx) => arg(row, ctx) !== false : (row, ctx) => arg(row, ctx) === false;
  }
}

/** A row value IS NULL when all its fields are null (SQL standard), else plain null test. */
function isNullValue(v: unknown): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.every((x) => x === null);
  return false;
}

/**
 * IS NOT NULL of a row is true only when EVERY field is non-null (SQL standard), so it is not the
 * negation of IS NULL for rows with some null fields: ROW(1, NULL) is neither.
 */
function isNotNullValue(v: unknown): boolean {
  if (v === null) return false;
  if (Array.isArray(v)) return v.every((x) => x !== null);
  return true;
}

function compileCase(whens: (readonly [Evaluator, Evaluator])[], otherwise: Evaluator): Evaluator {
  return (row, ctx) => {
    for (let i = 0; i < whens.length; i++) {
      const w = whens[i]!;
      if (w[0](row, ctx) === true) return w[1](row, ctx);
    }
    return otherwise(row, ctx);
  };
}

function compileInList(arg: Evaluator, list: Evaluator[], cmp: Comparator, negated: boolean): Evaluator {
  return (row, ctx) => {
    const a = arg(row, ctx);
    if (a === null) return null;
    let sawNull = false;
    for (let i = 0; i < list.length; i++) {
      const b = list[i]!(row, ctx);
      if (b === null) { sawNull = true; continue; }
      if (cmp(a, b) === 0) return !negated;
    }
    return sawNull ? null : negated;
  };
}

function compileQuantArray(e: Extract<BoundExpr, { k: 'quantarray' }>): Evaluator {
  const left = compileExpr(e.left);
  const arr = compileExpr(e.array);
  const test = compareTest(e.op);
  const cmp = e.cmp;
  const all = e.all;
  return (row, ctx) => {
    const a = left(row, ctx);
    const array = arr(row, ctx);
    if (array === null) return null;
    const elems = (array as SqlArray).elems;
    if (elems.length === 0) return all;
    if (a === null) return null;
    let sawNull = false;
    for (const b of elems) {
      if (b === null) { sawNull = true; continue; }
      const r = test(cmp(a, b));
      if (all && !r) return false;
      if (!all && r) return true;
    }
    return sawNull ? null : all;
  };
}

function compileSubscript(e: Extract<BoundExpr, { k: 'subscript' }>): Evaluator {
  const arg = compileExpr(e.arg);
  const lower = e.lower ? compileExpr(e.lower) : null;
  const upper = e.upper ? compileExpr(e.upper) : null;
  if (!e.slice) {
    return (row, ctx) => {
      const a = arg(row, ctx) as SqlArray | null;
      const i = lower!(row, ctx);
      if (a === null || i === null) return null;
      return arraySubscript(a, [Number(i)]) ?? null;
    };
  }
  return (row, ctx) => {
    const a = arg(row, ctx) as SqlArray | null;
    if (a === null) return null;
    const lo = lower ? lower(row, ctx) : undefined;
    const hi = upper ? upper(row, ctx) : undefined;
    if (lo === null || hi === null) return null;
    return sliceArray(a, lo === undefined ? null : Number(lo), hi === undefined ? null : Number(hi));
  };
}

/** Evaluates a predicate: only TRUE passes (NULL and FALSE filter the row out). */
export function compilePredicate(e: BoundExpr): (row: Row, ctx: ExecContext) => boolean {
  const f = compileExpr(e);
  return (row, ctx) => f(row, ctx) === true;
}

/** One-dimensional slice a[lo:hi] with PostgreSQL's bounds (missing bounds = the array's). */
function sliceArray(a: SqlArray, lo: number | null, hi: number | null): SqlArray {
  if (a.dims.length === 0) return a;
  const lb = a.lbounds[0]!;
  const ub = lb + a.dims[0]! - 1;
  const from = Math.max(lo ?? lb, lb);
  const to = Math.min(hi ?? ub, ub);
  if (from > to) return new SqlArray([]);
  return new SqlArray(a.elems.slice(from - lb, to - lb + 1));
}
