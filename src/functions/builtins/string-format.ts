/**
 * Variadic string builders and quoting: concat, concat_ws, format, quote_ident, quote_literal,
 * quote_nullable.
 *
 * Invariants:
 *  - Non-text arguments are converted with their type's output function (so they print exactly
 *    as in a query result); these functions are therefore STABLE, not IMMUTABLE.
 *  - concat/concat_ws skip NULL arguments; format's %s prints NULL as '', %L as NULL, and %I
 *    rejects it (22004).
 *  - quote_ident quotes unless the name is a lower-case identifier that is not a reserved,
 *    type/function-name or column-name keyword (PostgreSQL leaves unreserved keywords bare).
 */
import { defineScalar, type EvalContext, type FunctionRegistry } from '../registry.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { DbError } from '../../errors/index.ts';
import { outputFunction } from '../../types/text-io.ts';
import { reservedKeywords, typeFuncNameKeywords, colNameKeywords } from '../../sql/keywords.ts';

const { text } = Types;

/** The text form of a non-NULL value of type `t`. */
export function valueText(v: unknown, t: SqlType | undefined, ctx: EvalContext): string {
  if (typeof v === 'string') return v;
  if (t === undefined) return String(v);
  return outputFunction(t)(v, ctx.types);
}

function concat(args: unknown[], types: readonly SqlType[], from: number, sep: string | null,
  ctx: EvalContext): string {
  let out = '';
  let first = true;
  for (let i = from; i < args.length; i++) {
    const v = args[i];
    if (v === null || v === undefined) continue;
    if (!first && sep !== null) out += sep;
    out += valueText(v, types[i], ctx);
    first = false;
  }
  return out;
}

const SAFE_IDENT = /^[a-z_][a-z0-9_$]*$/;

export function quoteIdent(s: string): string {
  if (SAFE_IDENT.test(s) && !reservedKeywords.has(s) && !typeFuncNameKeywords.has(s) &&
    !colNameKeywords.has(s)) {
    return s;
  }
  return '"' + s.replaceAll('"', '""') + '"';
}

export function quoteLiteral(s: string): string {
  const body = s.replaceAll("'", "''");
  if (!s.includes('\\')) return "'" + body + "'";
  return "E'" + body.replaceAll('\\', '\\\\') + "'";
}

// ---------------------------------------------------------------------------------------------
// format()
// ---------------------------------------------------------------------------------------------

function badSpec(c: string): DbError {
  return new DbError('invalid_parameter_value', `unrecognized format() type specifier "${c}"`, {
    hint: 'For a single "%" use "%%".',
  });
}
function unterminated(): DbError {
  return new DbError('invalid_parameter_value', 'unterminated format() type specifier', {
    hint: 'For a single "%" use "%%".',
  });
}
function tooFew(): DbError {
  return new DbError('invalid_parameter_value', 'too few arguments for format()');
}

class FormatState {
  readonly fmt: string;
  pos = 0;
  /** Next implicit argument index into the variadic args (0-based, after the format string). */
  nextArg = 0;
  constructor(fmt: string) {
    this.fmt = fmt;
  }
  /** Reads digits at pos; returns -1 if none. */
  digits(): number {
    const m = /^\d+/.exec(this.fmt.slice(this.pos, this.pos + 12));
    if (m === null) return -1;
    this.pos += m[0].length;
    return Number(m[0]);
  }
  peek(): string {
    if (this.pos >= this.fmt.length) throw unterminated();
    return this.fmt[this.pos] as string;
  }
}

function argNumber(n: number): number {
  if (n === 0) {
    throw new DbError('invalid_parameter_value',
      'format specifies argument 0, but arguments are numbered from 1');
  }
  return n - 1;
}

/** Parses `[n$]` or `*[n$]` for a width; returns the explicit position or -1. */
function readPosition(st: FormatState): number {
  const save = st.pos;
  const n = st.digits();
  if (n >= 0 && st.pos < st.fmt.length && st.fmt[st.pos] === '$') {
    st.pos++;
    return argNumber(n);
  }
  st.pos = save;
  return -1;
}

interface Spec { argIndex: number; leftAlign: boolean; width: number; type: string }

function takeArg(st: FormatState, explicit: number, nargs: number): number {
  const idx = explicit >= 0 ? explicit : st.nextArg;
  if (idx >= nargs) throw tooFew();
  st.nextArg = idx + 1;
  return idx;
}

function widthFromArg(v: unknown, t: SqlType | undefined, ctx: EvalContext): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(valueText(v, t, ctx));
  if (!Number.isInteger(n) || Math.abs(n) > 2147483647) {
    throw new DbError('numeric_value_out_of_range', 'number is out of range');
  }
  return n;
}

function parseSpec(st: FormatState, args: unknown[], types: readonly SqlType[], ctx: EvalContext): Spec {
  const nargs = args.length - 1;
  let argIndex = readPosition(st);
  let leftAlign = false;
  while (st.peek() === '-') { leftAlign = true; st.pos++; }
  let width = 0;
  if (st.peek() === '*') {
    st.pos++;
    const wi = takeArg(st, readPosition(st), nargs);
    width = widthFromArg(args[wi + 1], types[wi + 1], ctx);
    if (width < 0) { leftAlign = true; width = -width; }
  } else {
    const w = st.digits();
    if (w >= 0) width = w;
  }
  const type = st.peek();
  st.pos++;
  if (type !== 's' && type !== 'I' && type !== 'L') throw badSpec(type);
  argIndex = takeArg(st, argIndex, nargs);
  return { argIndex, leftAlign, width, type };
}

function formatValue(spec: Spec, v: unknown, t: SqlType | undefined, ctx: EvalContext): string {
  if (spec.type === 's') return v === null || v === undefined ? '' : valueText(v, t, ctx);
  if (spec.type === 'L') return v === null || v === undefined ? 'NULL' : quoteLiteral(valueText(v, t, ctx));
  if (v === null || v === undefined) {
    throw new DbError('null_value_not_allowed', 'null values cannot be formatted as an SQL identifier');
  }
  return quoteIdent(valueText(v, t, ctx));
}

function pad(s: string, spec: Spec): string {
  const len = Array.from(s).length;
  if (len >= spec.width) return s;
  const fill = ' '.repeat(spec.width - len);
  return spec.leftAlign ? s + fill : fill + s;
}

export function format(args: unknown[], types: readonly SqlType[], ctx: EvalContext): string {
  const st = new FormatState(args[0] as string);
  const fmt = st.fmt;
  let out = '';
  while (st.pos < fmt.length) {
    const pct = fmt.indexOf('%', st.pos);
    if (pct < 0) { out += fmt.slice(st.pos); break; }
    out += fmt.slice(st.pos, pct);
    st.pos = pct + 1;
    if (st.peek() === '%') { out += '%'; st.pos++; continue; }
    const spec = parseSpec(st, args, types, ctx);
    out += pad(formatValue(spec, args[spec.argIndex + 1], types[spec.argIndex + 1], ctx), spec);
  }
  return out;
}

export function registerStringFormat(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'concat', args: ['any'], variadic: true, minArgs: 1, returns: text, strict: false,
    volatility: 'stable', impl: (a, ctx, t) => concat(a, t, 0, null, ctx),
  }));
  reg.add(defineScalar({
    name: 'concat_ws', args: [text, 'any'], variadic: true, minArgs: 2, returns: text,
    strict: false, volatility: 'stable',
    impl: (a, ctx, t) => (a[0] === null ? null : concat(a, t, 1, a[0] as string, ctx)),
  }));
  reg.add(defineScalar({
    name: 'format', args: [text, 'any'], variadic: true, minArgs: 1, returns: text, strict: false,
    volatility: 'stable', impl: (a, ctx, t) => (a[0] === null ? null : format(a, t, ctx)),
  }));
  reg.add(defineScalar({
    name: 'quote_ident', args: [text], returns: text, impl: (a) => quoteIdent(a[0] as string),
  }));
  reg.add(defineScalar({
    name: 'quote_literal', args: [text], returns: text, impl: (a) => quoteLiteral(a[0] as string),
  }));
  reg.add(defineScalar({
    name: 'quote_literal', args: ['anyelement'], returns: text, volatility: 'stable',
    impl: (a, ctx, t) => quoteLiteral(valueText(a[0], t[0], ctx)),
  }));
  reg.add(defineScalar({
    name: 'quote_nullable', args: [text], returns: text, strict: false,
    impl: (a) => (a[0] === null ? 'NULL' : quoteLiteral(a[0] as string)),
  }));
  reg.add(defineScalar({
    name: 'quote_nullable', args: ['anyelement'], returns: text, strict: false, volatility: 'stable',
    impl: (a, ctx, t) => (a[0] === null ? 'NULL' : quoteLiteral(valueText(a[0], t[0], ctx))),
  }));
}
