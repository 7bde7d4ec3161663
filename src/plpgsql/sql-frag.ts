/**
 * SQL fragments inside a PL/pgSQL body: finding where one ends, and replacing the variables it
 * mentions by references that become $n parameters when the SQL is built (PostgreSQL substitutes
 * variables as parameters the same way, through parser hooks).
 *
 * An identifier that names a visible variable is the variable, except where SQL's grammar only
 * allows a column or table name (after `.` or `::` or AS, before `(` or `=>`, relation names
 * after FROM/JOIN/UPDATE/INTO/TABLE and their aliases, INSERT column lists, UPDATE SET targets,
 * ON CONFLICT column lists). A bare variable name that is also a column of a relation the
 * statement uses is checked when the SQL is built (run-sql.ts): 42702 under PostgreSQL's default
 * `#variable_conflict error`, the column under `use_column`, the variable under `use_variable`.
 */
import { DbError } from '../errors/index.ts';
import { parse, Tok } from '../sql/index.ts';
import type { SqlExpr, SqlRef, VarDef } from './ast.ts';
import type { Namespace } from './namespace.ts';
import type { Tokens } from './tokens.ts';

const RELATION_KW = new Set(['from', 'join', 'update', 'into', 'table', 'only']);
const JSON_WRAP: Record<string, 'jsonb' | 'json'> = { to_jsonb: 'jsonb', to_json: 'json', row_to_json: 'json' };

/**
 * Index of the first token at nesting depth 0 (parentheses, brackets, CASE ... END) for which
 * `stop` holds, scanning from `from`. EOF is an error: every fragment has a terminator.
 */
export function scanUntil(t: Tokens, from: number, stop: (i: number) => boolean): number {
  let depth = 0;
  let caseDepth = 0;
  for (let i = from; ; i++) {
    const type = t.type(i);
    if (type === Tok.EOF) throw t.syntaxError(i);
    if (depth === 0 && caseDepth === 0 && stop(i)) return i;
    if (type === Tok.Punct) {
      const v = t.value(i);
      if (v === '(' || v === '[') depth++;
      else if (v === ')' || v === ']') {
        if (depth === 0) throw t.syntaxError(i);
        depth--;
      } else if (v === ';' && depth === 0 && caseDepth === 0) throw t.syntaxError(i);
    } else if (type === Tok.Ident) {
      const v = t.value(i);
      if (v === 'case') caseDepth++;
      else if (v === 'end' && caseDepth > 0) caseDepth--;
    }
  }
}

export interface FragmentOptions {
  /** Text put before the fragment ("SELECT " for expressions). */
  readonly prefix: string;
  /** A token range [from, to) left out of the SQL (the INTO clause). */
  readonly omit?: readonly [number, number] | null;
  /** False for pieces that are not SQL on their own (a CASE statement's WHEN list). */
  readonly check?: boolean;
}

/** Builds the SqlExpr for tokens [from, to). */
export function buildFragment(t: Tokens, ns: Namespace, from: number, to: number, opts: FragmentOptions): SqlExpr {
  if (from >= to) throw t.syntaxError(from);
  if (opts.check !== false) checkSyntax(t, from, to, opts);
  const b = new FragmentBuilder(t, ns, from, to, opts);
  return b.build();
}

/**
 * Parses the fragment as SQL at compile time, as PostgreSQL does when a function is created, so
 * a syntax error is reported by CREATE FUNCTION with its line and column in the body. Variables
 * read as column names here, which is syntactically the same; the INTO clause is blanked out.
 */
function checkSyntax(t: Tokens, from: number, to: number, opts: FragmentOptions): void {
  const start = t.start(from);
  let body = t.text.slice(start, t.end(to - 1));
  const omit = opts.omit ?? null;
  if (omit !== null) {
    const a = t.start(omit[0]) - start;
    const b = t.end(omit[1] - 1) - start;
    body = body.slice(0, a) + ' '.repeat(b - a) + body.slice(b);
  }
  try {
    parse(opts.prefix + body);
  } catch (e) {
    if (!(e instanceof DbError) || e.code !== '42601') return;
    const at = e.position === undefined ? t.end(to - 1) : start + Math.max(0, e.position - 1 - opts.prefix.length);
    throw t.errorAt(Math.min(at, t.end(to - 1)), e.message);
  }
}

class FragmentBuilder {
  private readonly t: Tokens;
  private readonly ns: Namespace;
  private readonly from: number;
  private readonly to: number;
  private readonly opts: FragmentOptions;
  private readonly parts: (string | SqlRef)[] = [];
  private buf: string;
  private copied: number;
  private isStatic = true;
  /** One entry per open parenthesis: true when it opened a function call's argument list. */
  private readonly parens: boolean[] = [];
  /** Paren depth of a column list whose identifiers are never variables, or -1. */
  private nameListDepth = -1;
  private setList = false;
  private lastSkippedRelation = -2;
  private lastRelationKw = '';
  private readonly relations: string[] = [];

  constructor(t: Tokens, ns: Namespace, from: number, to: number, opts: FragmentOptions) {
    this.t = t;
    this.ns = ns;
    this.from = from;
    this.to = to;
    this.opts = opts;
    this.buf = opts.prefix;
    this.copied = t.start(from);
  }

  build(): SqlExpr {
    const t = this.t;
    const omit = this.opts.omit ?? null;
    for (let i = this.from; i < this.to; i++) {
      if (omit !== null && i === omit[0]) {
        this.flushTo(t.start(i));
        this.buf = `${this.buf.trimEnd()} `;
        this.copied = t.start(omit[1]);
        i = omit[1] - 1;
        continue;
      }
      i = this.visit(i);
    }
    this.flushTo(t.end(this.to - 1));
    if (this.buf !== '') this.parts.push(this.buf);
    const text = this.opts.prefix + t.text.slice(t.start(this.from), t.end(this.to - 1));
    return {
      id: this.ns.nextExprId(), text, parts: this.parts, isStatic: this.isStatic, line: t.line(this.from),
      relations: this.relations,
    };
  }

  /** Handles token i; returns the last token index it consumed. */
  private visit(i: number): number {
    const t = this.t;
    const type = t.type(i);
    if (type === Tok.Punct) {
      this.punct(i);
      return i;
    }
    if (type === Tok.Param) {
      const v = this.ns.lookup(`$${t.value(i)}`);
      if (v !== null) this.replace(i, i, v.kind === 'record' ? { k: 'rec', v, wrap: null } : { k: 'var', v });
      return i;
    }
    if (type !== Tok.Ident && type !== Tok.QIdent) return i;
    const name = t.value(i);
    if (type === Tok.Ident) this.keyword(i, name);
    if (this.isNamePosition(i)) return i;
    const wrap = type === Tok.Ident ? JSON_WRAP[name] : undefined;
    if (wrap !== undefined && t.isPunct('(', i + 1) && t.isIdent(i + 2) && t.isPunct(')', i + 3) && i + 3 < this.to) {
      const v = this.ns.lookup(t.value(i + 2));
      if (v !== null && v.kind === 'record') return this.replace(i, i + 3, { k: 'rec', v, wrap });
    }
    if (t.isPunct('(', i + 1) || t.isPunct('=>', i + 1) || (t.isPunct(':=', i + 1) && this.inCall())) return i;
    if (t.isPunct('.', i + 1) && t.isIdent(i + 2) && i + 2 < this.to) {
      const v = this.ns.lookup(name);
      if (v !== null && v.kind === 'record') return this.replace(i, i + 2, { k: 'field', v, field: t.value(i + 2) });
      if (this.ns.isLabel(name)) {
        const q = this.ns.lookupQualified(name, t.value(i + 2));
        if (q !== null) return this.reference(i, i + 2, q);
      }
      return i;
    }
    const v = this.ns.lookup(name);
    if (v === null) return i;
    if (v.kind !== 'record') return this.replace(i, i, { k: 'var', v, written: t.text.slice(t.start(i), t.end(i)) });
    return this.reference(i, i, v);
  }

  /** A variable reference spanning tokens [i, j] (a record may continue with `.field`). */
  private reference(i: number, j: number, v: VarDef): number {
    const t = this.t;
    if (v.kind === 'record') {
      if (t.isPunct('.', j + 1) && t.isIdent(j + 2) && j + 2 < this.to) {
        return this.replace(i, j + 2, { k: 'field', v, field: t.value(j + 2) });
      }
      const other = this.distinctFrom(j + 1);
      if (other !== null) return this.replace(i, other.end, { k: 'recdistinct', v, other: other.v, negated: other.negated });
      return this.replace(i, j, { k: 'rec', v, wrap: null });
    }
    return this.replace(i, j, { k: 'var', v });
  }

  /** `IS [NOT] DISTINCT FROM record` starting at token i (the engine has no row IS DISTINCT). */
  private distinctFrom(i: number): { v: VarDef; negated: boolean; end: number } | null {
    const t = this.t;
    if (!t.isKw('is', i)) return null;
    const negated = t.isKw('not', i + 1);
    const d = negated ? i + 2 : i + 1;
    if (!t.isKw('distinct', d) || !t.isKw('from', d + 1) || !t.isIdent(d + 2) || d + 2 >= this.to) return null;
    if (t.isPunct('.', d + 3)) return null;
    const v = this.ns.lookup(t.value(d + 2));
    return v !== null && v.kind === 'record' ? { v, negated, end: d + 2 } : null;
  }

  private replace(i: number, j: number, ref: SqlRef): number {
    this.flushTo(this.t.start(i));
    if (this.buf !== '') this.parts.push(this.buf);
    this.buf = '';
    this.parts.push(ref);
    if (ref.k !== 'var') this.isStatic = false;
    this.copied = this.t.end(j);
    return j;
  }

  private flushTo(offset: number): void {
    if (offset > this.copied) this.buf += this.t.text.slice(this.copied, offset);
    this.copied = Math.max(this.copied, offset);
  }

  private punct(i: number): void {
    const t = this.t;
    const v = t.value(i);
    if (v === '(') {
      const call = t.isIdent(i - 1) && i - 1 >= this.from && !isSqlKeywordBeforeParen(t.value(i - 1));
      this.parens.push(call);
      // INSERT INTO t (cols) / ON CONFLICT (cols): a list of column names.
      const intoList = this.lastSkippedRelation === i - 1 && this.lastRelationKw === 'into';
      if (this.nameListDepth < 0 && (intoList || t.isKw('conflict', i - 1)) && t.isKw('insert', this.from)) {
        this.nameListDepth = this.parens.length;
      }
    } else if (v === ')') {
      if (this.nameListDepth === this.parens.length) this.nameListDepth = -1;
      this.parens.pop();
    }
  }

  private keyword(i: number, name: string): void {
    if (this.inCall()) return;
    if (name === 'set') this.setList = true;
    else if (name === 'where' || name === 'from' || name === 'returning') this.setList = false;
  }

  private inCall(): boolean {
    return this.parens.length > 0 && this.parens[this.parens.length - 1] === true;
  }

  /** Where SQL's grammar allows only a column, table or type name. */
  private isNamePosition(i: number): boolean {
    const t = this.t;
    if (this.nameListDepth >= 0) return true;
    if (i > this.from) {
      if (t.isPunct('.', i - 1) || t.isPunct('::', i - 1) || t.isKw('as', i - 1)) return true;
      if (t.isKw('constraint', i - 1)) return true;
      if (!this.inCall() && t.type(i - 1) === Tok.Ident && RELATION_KW.has(t.value(i - 1)) && !t.isKw('distinct', i - 2)) {
        this.lastSkippedRelation = this.relationEnd(i);
        this.lastRelationKw = t.value(i - 1);
        this.noteRelation(i, this.lastSkippedRelation);
        return true;
      }
      // A bare alias right after a relation name.
      if (this.lastSkippedRelation === i - 1 && !t.isPunct('.', i + 1)) return true;
      if (this.setList && (t.isKw('set', i - 1) || t.isPunct(',', i - 1)) && t.isPunct('=', i + 1)) return true;
    }
    return false;
  }

  /**
   * Records a relation whose columns are in scope for the statement's expressions: not INSERT's
   * target (VALUES cannot see it), not a function in FROM, not the ONLY keyword.
   */
  private noteRelation(i: number, end: number): void {
    const t = this.t;
    const kw = t.value(i - 1);
    if (kw === 'into' || kw === 'table' || t.isPunct('(', end + 1) || (t.isKw('only', i) && t.isIdent(i + 1))) return;
    const name = t.text.slice(t.start(i), t.end(end));
    if (!this.relations.includes(name)) this.relations.push(name);
  }

  /** Last token of a possibly schema-qualified relation name starting at i. */
  private relationEnd(i: number): number {
    const t = this.t;
    let j = i;
    while (t.isPunct('.', j + 1) && t.isIdent(j + 2)) j += 2;
    return j;
  }
}

/** Words that take a parenthesized operand without being function calls. */
function isSqlKeywordBeforeParen(word: string): boolean {
  return word === 'in' || word === 'exists' || word === 'any' || word === 'all' || word === 'some'
    || word === 'select' || word === 'values' || word === 'as' || word === 'from' || word === 'join'
    || word === 'where' || word === 'and' || word === 'or' || word === 'not' || word === 'on'
    || word === 'using' || word === 'conflict' || word === 'returning' || word === 'then' || word === 'else'
    || word === 'when' || word === 'lateral' || word === 'into' || word === 'set' || word === 'by' || word === 'is';
}
