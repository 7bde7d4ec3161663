/**
 * Matching a scan's WHERE conjuncts against an index: which conjuncts can become index conditions
 * on its leading key parts. Per key part, in index order:
 *   - `key = v` (or `v = key`), `key IN (v, ...)` / `key = ANY(array)`, `key IS NULL` pin the part
 *     (equality), and the next part may be matched too;
 *   - `key < v`, `<=`, `>`, `>=` (BETWEEN arrives as two of them), `key IS NOT NULL` and, on text
 *     keys, `key LIKE 'prefix%'` bound it (a range), and matching stops there.
 * `v` must not read the scanned row (a constant, a parameter, an outer reference, a stable call)
 * and must have the key's type exactly (the binder casts mixed-type comparisons, which then do
 * not match: the scan stays correct, only slower). A key part is a column or an index expression;
 * expressions match structurally (`lower(email)` in the query and in the index).
 *
 * Conditions the index answers exactly are consumed (removed from the filter); LIKE is also kept
 * in the filter, since the prefix range is only a superset.
 */
import { COMMUTED, type BoundExpr } from '../bound-expr.ts';
import type { IndexBound, IndexColumnCond } from '../plan-nodes.ts';
import { columnsUsed } from '../expr-rewrite.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { Oid, Types } from '../../types/sql-type.ts';
import { hashKeyFor } from '../../types/compare.ts';
import type { IndexShape } from './index-shape.ts';

export interface IndexMatch {
  readonly conds: readonly IndexColumnCond[];
  /** Value expressions the conditions read, evaluated once per execution. */
  readonly keys: readonly BoundExpr[];
  readonly keyTypes: readonly SqlType[];
  /** Conjunct positions the conditions answer exactly (dropped from the filter). */
  readonly consumed: ReadonlySet<number>;
  /** Number of leading key parts pinned by equality (eq / in / null). */
  readonly eqParts: number;
  /** Whether an IN list is among the conditions (its values run one probe each). */
  readonly hasIn: boolean;
  /** The conjuncts the conditions came from (selectivity estimation, EXPLAIN). */
  readonly quals: readonly BoundExpr[];
}

type Op = '=' | '<' | '<=' | '>' | '>=';

/** A conjunct seen as `<key part> op <value>` (value side does not read the row). */
interface Comparison {
  readonly part: BoundExpr;
  readonly kind: 'cmp' | 'in' | 'null' | 'notnull' | 'like';
  readonly op: Op;
  readonly values: readonly BoundExpr[];
}

/** True when `e` can be evaluated before the scan (reads no column of the scanned row). */
export function isScanInvariant(e: BoundExpr): boolean {
  return columnsUsed(e).size === 0 && !hasVolatile(e);
}

function hasVolatile(e: BoundExpr): boolean {
  switch (e.k) {
    case 'runtime': return e.volatile;
    case 'call': return e.fn.volatility === 'volatile' || e.args.some(hasVolatile);
    case 'subquery': case 'srf': case 'aggref': return true;
    case 'cast': case 'not': case 'istest': case 'field': return hasVolatile(e.arg);
    case 'array': return e.elems.some(hasVolatile);
    default: return false;
  }
}

function asComparison(c: BoundExpr): Comparison | null {
  switch (c.k) {
    case 'cmp': {
      const op = c.op;
      // An index has no condition for <> (it is not a range).
      if (op === '<>') return null;
      if (isScanInvariant(c.right) && !isScanInvariant(c.left)) return { part: c.left, kind: 'cmp', op, values: [c.right] };
      if (isScanInvariant(c.left) && !isScanInvariant(c.right)) return { part: c.right, kind: 'cmp', op: COMMUTED[op] as Op, values: [c.left] };
      return null;
    }
    case 'inlist':
      if (c.negated || c.list.length === 0 || !c.list.every(isScanInvariant) || isScanInvariant(c.arg)) return null;
      return { part: c.arg, kind: 'in', op: '=', values: c.list };
    case 'quantarray':
      if (c.all || c.op !== '=' || !isScanInvariant(c.array) || isScanInvariant(c.left)) return null;
      if (c.array.k !== 'array' || c.array.elems.length === 0) return null;
      return { part: c.left, kind: 'in', op: '=', values: c.array.elems };
    case 'istest':
      if (c.test !== 'null' || isScanInvariant(c.arg)) return null;
      return { part: c.arg, kind: c.negated ? 'notnull' : 'null', op: '=', values: [] };
    case 'call':
      if (c.fn.name === '~~' && c.args.length === 2 && c.args[1]!.k === 'const' && !isScanInvariant(c.args[0]!)) {
        return { part: c.args[0]!, kind: 'like', op: '=', values: [c.args[1]!] };
      }
      return null;
    default:
      return null;
  }
}

/** Structural equality of bound expressions (what an expression index key is matched by). */
export function sameExpr(a: BoundExpr, b: BoundExpr): boolean {
  if (a.k !== b.k || a.type.oid !== b.type.oid) return false;
  switch (a.k) {
    case 'col': { const y = b as typeof a; return a.index === y.index && a.levelsUp === y.levelsUp; }
    case 'const': { const y = b as typeof a; return a.value === y.value || sameValue(a.type, a.value, y.value); }
    case 'param': { const y = b as typeof a; return a.index === y.index; }
    case 'call': { const y = b as typeof a; return a.fn === y.fn && sameList(a.args, y.args); }
    case 'cast': { const y = b as typeof a; return a.fn === y.fn && sameExpr(a.arg, y.arg); }
    case 'cmp': { const y = b as typeof a; return a.op === y.op && sameExpr(a.left, y.left) && sameExpr(a.right, y.right); }
    case 'and': case 'or': case 'coalesce': { const y = b as typeof a; return sameList(a.args, y.args); }
    case 'not': { const y = b as typeof a; return sameExpr(a.arg, y.arg); }
    case 'field': { const y = b as typeof a; return a.index === y.index && sameExpr(a.arg, y.arg); }
    case 'istest': { const y = b as typeof a; return a.test === y.test && a.negated === y.negated && sameExpr(a.arg, y.arg); }
    default: return false;
  }
}

/** Equal non-null constants of a type whose values are objects (numeric, interval, arrays). */
function sameValue(type: SqlType, x: unknown, y: unknown): boolean {
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  try {
    const key = hashKeyFor(type);
    return key(x) === key(y);
  } catch {
    return false;
  }
}

function sameList(a: readonly BoundExpr[], b: readonly BoundExpr[]): boolean {
  return a.length === b.length && a.every((x, i) => sameExpr(x, b[i]!));
}

/** The first string strictly greater than every string starting with `prefix` (C collation). */
function prefixUpper(prefix: string): string | null {
  const cps = [...prefix];
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

/** The literal prefix of a LIKE pattern (up to the first wildcard), or null when it has none. */
function likePrefix(pattern: string): string | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '%' || ch === '_') break;
    if (ch === '\\') {
      i++;
      if (i < pattern.length) out += pattern[i];
      continue;
    }
    out += ch;
  }
  return out.length > 0 ? out : null;
}

const isText = (t: SqlType): boolean => t.oid === Oid.text || t.oid === Oid.varchar;

/** Matches `parts` (the scan's conjuncts) against an index's key parts. */
export function matchIndex(shape: IndexShape, parts: readonly BoundExpr[]): IndexMatch {
  const comparisons = parts.map(asComparison);
  const conds: IndexColumnCond[] = [];
  const keys: BoundExpr[] = [];
  const keyTypes: SqlType[] = [];
  const consumed = new Set<number>();
  const quals: BoundExpr[] = [];
  let eqParts = 0;
  let hasIn = false;
  const push = (e: BoundExpr, t: SqlType): number => {
    keys.push(e);
    keyTypes.push(t);
    return keys.length - 1;
  };
  for (let k = 0; k < shape.keys.length; k++) {
    const key = shape.keys[k]!;
    const type = shape.types[k]!;
    const mine: { c: Comparison; at: number }[] = [];
    comparisons.forEach((c, at) => {
      if (c === null || !sameExpr(c.part, key)) return;
      if (c.kind !== 'null' && c.kind !== 'notnull' && !c.values.every((v) => v.type.oid === type.oid)) return;
      mine.push({ c, at });
    });
    const eq = mine.find((m) => (m.c.kind === 'cmp' && m.c.op === '=') || m.c.kind === 'null')
      ?? (hasIn ? undefined : mine.find((m) => m.c.kind === 'in'));
    if (eq !== undefined) {
      consumed.add(eq.at);
      quals.push(parts[eq.at]!);
      if (eq.c.kind === 'null') {
        conds.push({ kind: 'null', at: -1, count: 0, lower: null, upper: null, notNull: false });
      } else if (eq.c.kind === 'in') {
        hasIn = true;
        const first = keys.length;
        for (const v of eq.c.values) push(v, type);
        conds.push({ kind: 'in', at: first, count: eq.c.values.length, lower: null, upper: null, notNull: false });
      } else {
        conds.push({ kind: 'eq', at: push(eq.c.values[0]!, type), count: 1, lower: null, upper: null, notNull: false });
      }
      eqParts++;
      continue;
    }
    let lower: IndexBound | null = null;
    let upper: IndexBound | null = null;
    let notNull = false;
    for (const m of mine) {
      const c = m.c;
      if (c.kind === 'notnull') {
        notNull = true;
        consumed.add(m.at);
        quals.push(parts[m.at]!);
      } else if (c.kind === 'cmp' && c.op !== '=') {
        const isLower = c.op === '>' || c.op === '>=';
        if (isLower ? lower !== null : upper !== null) continue;
        const b = { at: push(c.values[0]!, type), inclusive: c.op === '>=' || c.op === '<=' };
        if (isLower) lower = b;
        else upper = b;
        consumed.add(m.at);
        quals.push(parts[m.at]!);
      } else if (c.kind === 'like' && isText(type) && lower === null && upper === null) {
        const pattern = (c.values[0] as { value: unknown }).value;
        const prefix = typeof pattern === 'string' ? likePrefix(pattern) : null;
        if (prefix === null) continue;
        lower = { at: push({ k: 'const', type: Types.text, value: prefix }, type), inclusive: true };
        const up = prefixUpper(prefix);
        if (up !== null) upper = { at: push({ k: 'const', type: Types.text, value: up }, type), inclusive: false };
        quals.push(parts[m.at]!);
      }
    }
    if (lower !== null || upper !== null || notNull) {
      conds.push({ kind: 'range', at: -1, count: 0, lower, upper, notNull: true });
    }
    break;
  }
  return { conds, keys, keyTypes, consumed, eqParts, hasIn, quals };
}
