/**
 * Statement shapes: literal statements that differ only in their constants run as one
 * parameterized statement, so a script of 25,000 `INSERT INTO t VALUES (1, 2, 'three');` lines
 * (or an application that builds its SQL by concatenation) is parsed, bound and planned once.
 *
 * A statement's shape is its tokens with every number and string literal replaced by `$n`. The first
 * statement of a shape is parsed on its own and runs as written; if each of its literals sits
 * where a parameter means exactly the same thing (see paramSlots), the shape's text is parsed once
 * into a parameterized statement, and every later statement of that shape skips parsing and, through
 * the plan cache, binding: its literals become the parameter values.
 *
 * What a literal means never changes. A number's parameter is declared with the literal's own
 * type (int4, int8 or numeric by its digits, as the binder types them), so it binds like the
 * literal wherever it is, except where the binder reads the literal itself or matches expressions
 * by their text:
 * - ORDER BY / GROUP BY / DISTINCT ON items (positions, and expressions matched to the select
 *   list);
 * - LIMIT / OFFSET (a constant limit makes the sort top-N);
 * - window frames;
 * - ON CONFLICT targets (matched to index expressions);
 * - a unary minus (folded into the literal).
 * A number there keeps its statement as written, and so does one in a type modifier.
 *
 * A string's parameter is left for the binder to infer, as it infers an untyped literal's type.
 * Inference gives the same answer only in a whole VALUES item of INSERT, a whole
 * `SET col = value`, and one side of a comparison whose other side is a column, under AND / OR in
 * WHERE, so a string anywhere else (function arguments, LIKE, typed literals such as DATE '...')
 * makes the shape ineligible.
 *
 * Errors: a shape statement that fails with an error carrying a position (binding) or a data
 * exception (class 22: a literal that does not convert) has its effects rolled back like any
 * failed statement. The session then runs the statement as written, so the error the client sees
 * is the one parse and bind would raise, with its position in the script (shaped-script.ts).
 */
import type { Expr, ParsedStatement, Statement } from '../sql/ast.ts';
import { lexScript, parse, parseStatementAt, Tok, TokenStream } from '../sql/index.ts';
import { Types, type SqlType } from '../types/sql-type.ts';

/** A parameterized statement standing for every statement of one shape. */
export interface ShapeEntry {
  readonly stmt: Statement;
  /** The shape's text (literals as `$n`). */
  readonly text: string;
  /** Declared parameter types: the literal's type for numbers, null (inferred) for strings. */
  readonly types: readonly (SqlType | null)[];
}

/** One statement of a planned script, with its span in the script. */
export type ScriptItem =
  | { readonly kind: 'parsed'; readonly stmt: Statement; readonly start: number; readonly end: number; readonly from: number; readonly to: number }
  | { readonly kind: 'shape'; readonly entry: ShapeEntry; readonly params: ShapeParam[]; readonly start: number; readonly end: number; readonly from: number; readonly to: number };

/**
 * A literal's parameter value: its text, or for an int4 literal the number itself (the text
 * would only be parsed back into it).
 */
export type ShapeParam = string | number;

function paramValue(t: number, v: string, cls: string | null): ShapeParam {
  return t === Tok.Integer && cls === 'i' ? Number(v) : v;
}

/** A script split into statements, ready to run. */
export interface ScriptPlan {
  /**
   * The script's tokens; null when it was parsed whole (no statement runs through a shape), and
   * once the run is over (releaseScript in shaped-script.ts hands them to the next script).
   */
  tokens: TokenStream | null;
  readonly items: ScriptItem[];
}

/** Shapes remembered per session (eligible and ineligible ones alike). */
const SHAPES_MAX = 256;
/** Statements with more literals or tokens than this are not shaped (long multi-row VALUES). */
const LITERALS_MAX = 64;
const TOKENS_MAX = 512;

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const SHAPED_KINDS = new Set(['insert', 'update', 'delete', 'select']);

export class StatementShapes {
  /** Shape key -> its parameterized statement and token pattern, or null when not eligible. */
  private readonly entries = new Map<string, Pattern | null>();

  /** Statements planned to run through a shape, counted for tests. */
  hits = 0;

  /**
   * Splits `sql` into statements and finds each one's shape. Null when the script needs the
   * whole-script parse (a lexing or syntax error, which parse() then reports exactly, BEGIN ATOMIC
   * bodies, or `$n` parameters) or when shapes do not help (no statement of a known shape) and
   * `keepParsed` is false: the caller then parses the script whole, to cache it. With `keepParsed`
   * a script of unshaped statements comes back as parsed here, not lexed and parsed a second time
   * (a 25,000-row VALUES list is most of its own cost).
   */
  plan(sql: string, keepParsed = false): ScriptPlan | null {
    let tokens: TokenStream;
    try {
      tokens = lexScript(sql);
    } catch {
      return null;
    }
    const plan = this.planLexed(sql, tokens, keepParsed);
    // Nothing refers to the tokens when the caller parses the script whole instead.
    if (plan === null) TokenStream.release(tokens);
    return plan;
  }

  private planLexed(sql: string, tokens: TokenStream, keepParsed: boolean): ScriptPlan | null {
    const ranges = splitStatements(tokens);
    if (ranges === null) return null;
    const items: ScriptItem[] = [];
    let shaped = 0;
    // Scripts repeat one shape many times in a row: try the last one's pattern before building a key.
    let last: Pattern | null = null;
    for (let r = 0; r < ranges.length; r += 2) {
      const from = ranges[r]!;
      const to = ranges[r + 1]!;
      const start = tokens.starts[from]!;
      const end = tokens.ends[to - 1]!;
      const repeated = last === null ? null : matchPattern(last, tokens, from, to);
      if (repeated !== null) {
        items.push({ kind: 'shape', entry: last!.entry, params: repeated, from, to, start, end });
        shaped++;
        continue;
      }
      const shape = shapeOf(sql, tokens, from, to);
      const known = shape === null ? null : this.entries.get(shape.key);
      if (shape !== null && known !== undefined && known !== null) {
        items.push({ kind: 'shape', entry: known.entry, params: shape.params, from, to, start, end });
        last = known;
        shaped++;
        continue;
      }
      let parsed: ParsedStatement | null;
      try {
        parsed = parseStatementAt(sql, tokens, from, to);
      } catch {
        return null;
      }
      if (parsed === null) return null;
      if (shape !== null && known === undefined) this.remember(shape, parsed.stmt, tokens, from, to);
      items.push({ kind: 'parsed', stmt: parsed.stmt, start, end, from, to });
    }
    if (shaped === 0 && !keepParsed) return null;
    this.hits += shaped;
    return { tokens, items };
  }

  /** Records a new shape: eligible when every literal of `stmt` sits where a parameter means the same. */
  private remember(shape: Shape, stmt: Statement, tokens: TokenStream, from: number, to: number): void {
    let pattern: Pattern | null = null;
    const slots = paramSlots(stmt);
    if (slots !== null && everyLiteralIn(tokens, from, to, slots)) {
      try {
        const parsed = parse(shape.text);
        if (parsed.length === 1) {
          const entry: ShapeEntry = { stmt: parsed[0]!.stmt, text: shape.text, types: shape.types };
          pattern = patternOf(entry, tokens, from, to);
        }
      } catch {
        pattern = null;
      }
    }
    if (this.entries.size >= SHAPES_MAX) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(shape.key, pattern);
  }
}

/**
 * Token ranges [from, to) of the statements, as a flat array of pairs (split at `;` outside
 * brackets; empty statements skipped). Null for scripts the split cannot be trusted on or whose
 * statements must not be shaped: `$n` parameters, and BEGIN ATOMIC bodies, whose `;` are inside.
 */
function splitStatements(tokens: TokenStream): number[] | null {
  const out: number[] = [];
  const types = tokens.types;
  const values = tokens.values;
  const eof = tokens.count - 1;
  let depth = 0;
  let from = 0;
  for (let i = 0; i <= eof; i++) {
    const t = types[i]!;
    if (t === Tok.Param) return null;
    if (t === Tok.Ident && values[i] === 'atomic') return null;
    if (t === Tok.Punct) {
      const v = values[i];
      if (v === '(' || v === '[') depth++;
      else if (v === ')' || v === ']') depth--;
      else if (v === ';' && depth === 0) {
        if (i > from) out.push(from, i);
        from = i + 1;
      }
    } else if (t === Tok.EOF && i > from) {
      out.push(from, i);
    }
  }
  return out;
}

/** A shape's token sequence: its tokens' types and, per token, its value or its literal's class. */
interface Pattern {
  readonly entry: ShapeEntry;
  readonly types: Uint8Array;
  readonly words: readonly string[];
}

function patternOf(entry: ShapeEntry, tokens: TokenStream, from: number, to: number): Pattern {
  const types = tokens.types.slice(from, to);
  const words: string[] = [];
  for (let i = from; i < to; i++) words.push(literalClass(tokens.types[i]!, tokens.values[i]!) ?? tokens.values[i]!);
  return { entry, types, words };
}

/** The literals of tokens [from, to) when they follow `p` token for token; else null. */
function matchPattern(p: Pattern, tokens: TokenStream, from: number, to: number): ShapeParam[] | null {
  if (to - from !== p.types.length) return null;
  const types = tokens.types;
  const values = tokens.values;
  // At its final size: grown by push, a statement's three parameters took an array of 17 slots
  // that lives as long as the script runs.
  const params: ShapeParam[] = new Array(p.entry.types.length);
  let n = 0;
  for (let k = 0, i = from; i < to; k++, i++) {
    const t = types[i]!;
    if (t !== p.types[k]) return null;
    const v = values[i]!;
    if (t === Tok.Integer || t === Tok.Numeric || t === Tok.String) {
      const cls = t === Tok.Integer ? literalClass(t, v) : null;
      if (t === Tok.Integer && cls !== p.words[k]) return null;
      params[n++] = paramValue(t, v, cls);
    } else if (t === Tok.BitString || v !== p.words[k]) {
      return null;
    }
  }
  return params;
}

/** A literal token's class in a shape key (its parameter type); null for other tokens. */
function literalClass(t: number, v: string): string | null {
  if (t === Tok.String) return 's';
  if (t === Tok.Numeric) return 'n';
  if (t !== Tok.Integer) return null;
  const type = integerType(v);
  return type === Types.int4 ? 'i' : type === Types.int8 ? 'l' : 'n';
}

interface Shape {
  /** The text plus the literals' type classes (the same text with an int8 literal is another shape). */
  readonly key: string;
  readonly text: string;
  readonly types: (SqlType | null)[];
  /** The literals in order: each parameter's value. */
  readonly params: ShapeParam[];
}

/** The shape of tokens [from, to), or null when the statement is not one shapes apply to. */
function shapeOf(sql: string, tokens: TokenStream, from: number, to: number): Shape | null {
  const types = tokens.types;
  const values = tokens.values;
  if (to - from > TOKENS_MAX || types[from] !== Tok.Ident || !SHAPED_KINDS.has(values[from]!)) return null;
  // Parts joined once: appending to a string builds a rope that the Map lookup must flatten.
  const parts: string[] = [];
  let classes = '';
  const params: ShapeParam[] = [];
  const paramTypes: (SqlType | null)[] = [];
  for (let i = from; i < to; i++) {
    const t = types[i]!;
    const v = values[i]!;
    let part: string;
    if (t === Tok.Integer || t === Tok.Numeric || t === Tok.String) {
      if (params.length === LITERALS_MAX) return null;
      const cls = literalClass(t, v)!;
      params.push(paramValue(t, v, cls));
      paramTypes.push(t === Tok.String ? null : t === Tok.Numeric ? Types.numeric : integerType(v));
      classes += cls;
      part = `$${params.length}`;
    } else if (t === Tok.QIdent) {
      part = `"${v.replaceAll('"', '""')}"`;
    } else if (t === Tok.BitString) {
      part = sql.slice(tokens.starts[i]!, tokens.ends[i]!);
    } else {
      part = v;
    }
    parts.push(part);
  }
  if (params.length === 0) return null;
  parts.push('\u0000', classes);
  const key = parts.join(' ');
  return { key, text: key.slice(0, key.length - classes.length - 3), types: paramTypes, params };
}

/** The type the binder gives an unsigned integer literal (bind-expr.ts integerLiteral). */
function integerType(digits: string): SqlType {
  if (digits.length <= 10 && Number(digits) <= 2147483647) return Types.int4;
  if (digits.length <= 19 && BigInt(digits) <= 9223372036854775807n) return Types.int8;
  return Types.numeric;
}

function isLiteral(e: Expr): boolean {
  return e.kind === 'IntegerLiteral' || e.kind === 'NumericLiteral' || e.kind === 'StringLiteral';
}

/** Source offsets of the literals that may become parameters; null for an ineligible statement. */
function paramSlots(stmt: Statement): Set<number> | null {
  const out = new Set<number>();
  switch (stmt.kind) {
    case 'Insert': {
      const src = stmt.source;
      if (stmt.with !== null || src === null || src.kind !== 'Values') return null;
      if (src.with !== null || src.orderBy.length > 0 || src.limit !== null || src.offset !== null) return null;
      for (const row of src.rows) for (const e of row) if (isLiteral(e)) out.add(e.loc);
      break;
    }
    case 'Update':
      if (stmt.with !== null) return null;
      for (const s of stmt.set) if (!s.multi && isLiteral(s.value)) out.add(s.value.loc);
      addComparisons(stmt.where, out);
      break;
    case 'Delete':
      if (stmt.with !== null) return null;
      addComparisons(stmt.where, out);
      break;
    case 'Select':
      if (stmt.with !== null || stmt.into !== null) return null;
      addComparisons(stmt.where, out);
      break;
    default:
      return null;
  }
  addNumbers(stmt, out);
  return out;
}

/** AST fields whose numbers the binder reads as written or matches by text (see the file comment). */
const VERBATIM_FIELDS = new Set(['orderBy', 'groupBy', 'distinctOn', 'limit', 'offset', 'frame', 'onConflict', 'withinGroup']);

/** Every number literal outside VERBATIM_FIELDS and not under a unary minus. */
function addNumbers(node: unknown, out: Set<number>): void {
  if (Array.isArray(node)) {
    for (const x of node) addNumbers(x, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as { kind?: unknown; loc?: number; op?: unknown };
  if (n.kind === 'IntegerLiteral' || n.kind === 'NumericLiteral') {
    out.add(n.loc!);
    return;
  }
  if (n.kind === 'UnaryOp' && n.op === '-') return;
  for (const [field, value] of Object.entries(node)) {
    if (!VERBATIM_FIELDS.has(field)) addNumbers(value, out);
  }
}

/** Literals compared with a plain column, at the top of WHERE or under its AND / OR. */
function addComparisons(e: Expr | null, out: Set<number>): void {
  if (e === null) return;
  if (e.kind === 'BoolOp') {
    for (const a of e.args) addComparisons(a, out);
    return;
  }
  if (e.kind !== 'BinaryOp' || e.schema !== null || !COMPARISONS.has(e.op)) return;
  if (e.left.kind === 'ColumnRef' && !e.left.star && isLiteral(e.right)) out.add(e.right.loc);
  else if (e.right.kind === 'ColumnRef' && !e.right.star && isLiteral(e.left)) out.add(e.left.loc);
}

function everyLiteralIn(tokens: TokenStream, from: number, to: number, slots: Set<number>): boolean {
  for (let i = from; i < to; i++) {
    const t = tokens.types[i];
    if ((t === Tok.Integer || t === Tok.Numeric || t === Tok.String) && !slots.has(tokens.starts[i]!)) return false;
  }
  return true;
}
