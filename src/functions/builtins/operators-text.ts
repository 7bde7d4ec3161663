/**
 * Text operators: concatenation `||` (text||text, text||anynonarray, anynonarray||text via the
 * type's output function, bytea||bytea), LIKE family `~~ !~~ ~~* !~~*` (text, bpchar, name,
 * bytea) with like_escape(), POSIX regex `~ ~* !~ !~*`, and similar_to_escape() /
 * similar_escape() which the parser's SIMILAR TO expands into (`x ~ similar_to_escape(p, e)`).
 *
 * Invariants:
 *  - Concatenation with a non-text operand is STABLE (the output function may read settings such
 *    as TimeZone), text||text is IMMUTABLE; all are strict.
 *  - bpchar operands of LIKE keep their padding, as PostgreSQL's bpcharlike matches the stored
 *    padded value.
 */
import { defineScalar, type EvalContext, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { outputFunction } from '../../types/text-io.ts';
import { findCast } from '../../types/cast.ts';
import type { TypeContext } from '../../types/context.ts';
import { textLike, textILike, byteaLike, likeEscape } from './operators-like.ts';
import { regexMatches, similarToEscape } from './string-regex.ts';

const { text, bpchar, name, bytea, bool } = Types;

const toTextCache = new WeakMap<SqlType, (v: unknown, ctx: TypeContext) => unknown>();

/**
 * `$1::text` as PostgreSQL's textanycat/anytextcat do it: the explicit cast to text where one
 * exists (bool -> 'true', bpchar loses its padding), otherwise the output function.
 */
function textOf(v: unknown, t: SqlType, ctx: EvalContext): string {
  let f = toTextCache.get(t);
  if (f === undefined) {
    f = findCast(t, text, 'explicit') ?? outputFunction(t);
    toTextCache.set(t, f);
  }
  return f(v, ctx.types) as string;
}

export function byteaConcat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function registerConcat(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: '||', args: [text, text], returns: text,
    impl: (a) => (a[0] as string) + (a[1] as string),
  }));
  reg.add(defineScalar({
    name: '||', args: [text, 'anynonarray'], returns: text, volatility: 'stable',
    impl: (a, ctx, t) => (a[0] as string) + textOf(a[1], t[1] ?? text, ctx),
  }));
  reg.add(defineScalar({
    name: '||', args: ['anynonarray', text], returns: text, volatility: 'stable',
    impl: (a, ctx, t) => textOf(a[0], t[0] ?? text, ctx) + (a[1] as string),
  }));
  reg.add(defineScalar({
    name: '||', args: [bytea, bytea], returns: bytea,
    impl: (a) => byteaConcat(a[0] as Uint8Array, a[1] as Uint8Array),
  }));
}

/** LIKE / NOT LIKE / ILIKE / NOT ILIKE, each with its two-argument form (no argument array per row). */
const LIKE_OPS: readonly (readonly [string, (s: string, pattern: string) => boolean])[] = [
  ['~~', (s, p) => textLike(s, p)],
  ['!~~', (s, p) => !textLike(s, p)],
  ['~~*', (s, p) => textILike(s, p)],
  ['!~~*', (s, p) => !textILike(s, p)],
];

function likeOps(reg: FunctionRegistry, left: SqlType, right: SqlType): void {
  for (const [name, test] of LIKE_OPS) {
    reg.add(defineScalar({
      name, args: [left, right], returns: bool,
      impl: (a) => test(a[0] as string, a[1] as string),
      binary: (a, b) => test(a as string, b as string),
    }));
  }
}

function registerLike(reg: FunctionRegistry): void {
  likeOps(reg, text, text);
  likeOps(reg, bpchar, text);
  likeOps(reg, name, text);
  reg.add(defineScalar({
    name: '~~', args: [bytea, bytea], returns: bool,
    impl: (a) => byteaLike(a[0] as Uint8Array, a[1] as Uint8Array),
  }));
  reg.add(defineScalar({
    name: '!~~', args: [bytea, bytea], returns: bool,
    impl: (a) => !byteaLike(a[0] as Uint8Array, a[1] as Uint8Array),
  }));
  reg.add(defineScalar({
    name: 'like_escape', args: [text, text], returns: text,
    impl: (a) => likeEscape(a[0] as string, a[1] as string),
  }));
  for (const [fn, negate] of [['like', false], ['notlike', true]] as const) {
    reg.add(defineScalar({
      name: fn, args: [text, text], returns: bool,
      impl: (a) => textLike(a[0] as string, a[1] as string) !== negate,
    }));
  }
}

function regexOps(reg: FunctionRegistry, left: SqlType): void {
  const ops = [['~', false, false], ['!~', false, true], ['~*', true, false], ['!~*', true, true]] as const;
  for (const [op, icase, negate] of ops) {
    reg.add(defineScalar({
      name: op, args: [left, text], returns: bool,
      impl: (a) => regexMatches(a[0] as string, a[1] as string, icase) !== negate,
    }));
  }
}

function registerRegex(reg: FunctionRegistry): void {
  regexOps(reg, text);
  regexOps(reg, bpchar);
  regexOps(reg, name);
  reg.add(defineScalar({
    name: 'similar_to_escape', args: [text, text], returns: text,
    impl: (a) => similarToEscape(a[0] as string, a[1] as string),
  }));
  reg.add(defineScalar({
    name: 'similar_to_escape', args: [text], returns: text,
    impl: (a) => similarToEscape(a[0] as string, null),
  }));
  // Legacy, non-strict: a NULL escape selects the default backslash.
  reg.add(defineScalar({
    name: 'similar_escape', args: [text, text], returns: text, strict: false,
    impl: (a) => (a[0] === null ? null : similarToEscape(a[0] as string, a[1] as string | null)),
  }));
}

export function registerTextOperators(reg: FunctionRegistry): void {
  registerConcat(reg);
  registerLike(reg);
  registerRegex(reg);
}
