/**
 * Parser core: the token cursor, error reporting and name rules shared by every grammar file.
 * The grammar is recursive descent spread over parser/*.ts; each grammar function takes the
 * Parser as its first argument.
 *
 * Invariants:
 * - `toks` always ends with an EOF token, so peeking past the end is safe (it returns EOF).
 * - Keywords are matched only against unquoted identifiers (Tok.Ident) by their folded value.
 * - Syntax errors point at the offending token: `syntax error at or near "<source text>"` with
 *   position = token start + 1, or `syntax error at end of input` with position = length + 1.
 * - exprDepth / queryDepth bound recursion (Limits.expressionDepthMax / queryDepthMax) so that
 *   hostile input fails with 54001 instead of overflowing the JS stack.
 */
import { DbError } from '../../errors/index.ts';
import { Limits } from '../../limits.ts';
import { Tok, type Token, type TokenStream } from '../lexer.ts';
import { colNameKeywords, reservedKeywords, typeFuncNameKeywords } from '../keywords.ts';
import type { ObjectName, QualifiedName, SourceText } from '../ast.ts';

export class Parser {
  readonly sql: string;
  readonly toks: TokenStream;
  /** Index of the EOF token (the last one). */
  readonly last: number;
  pos: number;
  exprDepth: number;
  queryDepth: number;

  constructor(sql: string, toks: TokenStream) {
    this.sql = sql;
    this.toks = toks;
    this.last = toks.count - 1;
    this.pos = 0;
    this.exprDepth = 0;
    this.queryDepth = 0;
  }

  /** Token object at pos + offset (allocates; hot paths use type()/value()/start()). */
  peek(offset = 0): Token {
    return this.toks.token(this.pos + offset);
  }

  private index(offset: number): number {
    const i = this.pos + offset;
    return i < this.last ? (i < 0 ? 0 : i) : this.last;
  }

  type(offset = 0): number {
    return this.toks.types[this.index(offset)]!;
  }

  value(offset = 0): string {
    return this.toks.values[this.index(offset)]!;
  }

  start(offset = 0): number {
    return this.toks.starts[this.index(offset)]!;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.last) this.pos++;
    return t;
  }

  /** Start offset of the current token (the `loc` of a node beginning here). */
  get loc(): number {
    return this.start();
  }

  /** End offset of the last consumed token. */
  get prevEnd(): number {
    return this.pos > 0 ? this.toks.ends[this.pos - 1]! : 0;
  }

  isKw(word: string, offset = 0): boolean {
    const i = this.index(offset);
    return this.toks.types[i] === Tok.Ident && this.toks.values[i] === word;
  }

  acceptKw(word: string): boolean {
    if (this.isKw(word)) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Accepts a sequence of keywords only if all of them are present. */
  acceptKws(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) if (!this.isKw(words[i]!, i)) return false;
    this.pos += words.length;
    return true;
  }

  expectKw(word: string): Token {
    if (!this.isKw(word)) throw this.error();
    return this.next();
  }

  isOp(text: string, offset = 0): boolean {
    const i = this.index(offset);
    return this.toks.types[i] === Tok.Op && this.toks.values[i] === text;
  }

  acceptOp(text: string): boolean {
    if (this.isOp(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectOp(text: string): Token {
    if (!this.isOp(text)) throw this.error();
    return this.next();
  }

  isPunct(text: string, offset = 0): boolean {
    const i = this.index(offset);
    return this.toks.types[i] === Tok.Punct && this.toks.values[i] === text;
  }

  acceptPunct(text: string): boolean {
    if (this.isPunct(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectPunct(text: string): Token {
    if (!this.isPunct(text)) throw this.error();
    return this.next();
  }

  atEnd(): boolean {
    const type = this.type();
    return type === Tok.EOF || (type === Tok.Punct && this.value() === ';');
  }

  /** Syntax error at the current token (or at `tok`). */
  error(tok: Token = this.peek()): DbError {
    if (tok.type === Tok.EOF) {
      return new DbError('syntax_error', 'syntax error at end of input',
        { position: this.sql.length + 1 });
    }
    const text = this.sql.slice(tok.start, tok.end);
    return new DbError('syntax_error', `syntax error at or near "${text}"`,
      { position: tok.start + 1 });
  }

  enterExpr(): void {
    if (++this.exprDepth > Limits.expressionDepthMax) {
      throw new DbError('statement_too_complex',
        `expression nesting depth exceeds the maximum of ${Limits.expressionDepthMax}`,
        { position: this.loc + 1, hint: 'Simplify the expression.' });
    }
  }

  enterQuery(): void {
    if (++this.queryDepth > Limits.queryDepthMax) {
      throw new DbError('statement_too_complex',
        `query nesting depth exceeds the maximum of ${Limits.queryDepthMax}`,
        { position: this.loc + 1, hint: 'Simplify the query.' });
    }
  }

  source(start: number, end: number): SourceText {
    return { start, end, text: this.sql.slice(start, end) };
  }

  // ---- Names -------------------------------------------------------------------------------

  /** ColId: identifier, unreserved keyword or col_name keyword. */
  isColId(offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type === Tok.QIdent) return true;
    return t.type === Tok.Ident && !reservedKeywords.has(t.value) &&
      !typeFuncNameKeywords.has(t.value);
  }

  colId(): string {
    if (!this.isColId()) throw this.error();
    return this.next().value;
  }

  /** type_function_name: identifier, unreserved keyword or type_func_name keyword. */
  isTypeFuncName(offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type === Tok.QIdent) return true;
    return t.type === Tok.Ident && !reservedKeywords.has(t.value) && !colNameKeywords.has(t.value);
  }

  /** ColLabel: any identifier or keyword (after AS, after a dot). */
  isColLabel(offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === Tok.Ident || t.type === Tok.QIdent;
  }

  colLabel(): string {
    if (!this.isColLabel()) throw this.error();
    return this.next().value;
  }

  /** NonReservedWord: identifier or any non-reserved keyword (SET names, options ...). */
  isNonReservedWord(offset = 0): boolean {
    const t = this.peek(offset);
    if (t.type === Tok.QIdent) return true;
    return t.type === Tok.Ident && !reservedKeywords.has(t.value);
  }

  nonReservedWord(): string {
    if (!this.isNonReservedWord()) throw this.error();
    return this.next().value;
  }

  /** any_name: ColId ('.' ColLabel)* */
  anyName(): QualifiedName {
    const names = [this.colId()];
    while (this.isPunct('.') && this.isColLabel(1)) {
      this.pos++;
      names.push(this.next().value);
    }
    return names;
  }

  /** qualified_name for tables, views, sequences, indexes ... (1 to 3 parts). */
  objectName(): ObjectName {
    const loc = this.loc;
    const names = this.anyName();
    return toObjectName(this, names, loc);
  }

  /** (name, name, ...) */
  parenNameList(): string[] {
    this.expectPunct('(');
    const names = this.nameList();
    this.expectPunct(')');
    return names;
  }

  nameList(): string[] {
    const names = [this.colId()];
    while (this.acceptPunct(',')) names.push(this.colId());
    return names;
  }

  /** Signed integer literal text ('-5', '10'), used by sequence options and SET values. */
  signedNumber(): string {
    let sign = '';
    if (this.isOp('-') || this.isOp('+')) sign = this.next().value === '-' ? '-' : '';
    const t = this.peek();
    if (t.type !== Tok.Integer && t.type !== Tok.Numeric) throw this.error();
    this.pos++;
    return sign + t.value;
  }

  /** Unsigned integer constant as a JS number (type modifiers, precisions). */
  intConst(): number {
    const t = this.peek();
    if (t.type !== Tok.Integer) throw this.error();
    this.pos++;
    return Number(t.value);
  }

  stringConst(): string {
    const t = this.peek();
    if (t.type !== Tok.String) throw this.error();
    this.pos++;
    return t.value;
  }
}

export function toObjectName(p: Parser, names: QualifiedName, loc: number): ObjectName {
  if (names.length > 3) {
    throw new DbError('syntax_error',
      `improper qualified name (too many dotted names): ${names.join('.')}`,
      { position: loc + 1 });
  }
  const n = names.length;
  void p;
  return {
    kind: 'ObjectName',
    catalog: n === 3 ? names[0]! : null,
    schema: n >= 2 ? names[n - 2]! : null,
    name: names[n - 1]!,
    loc,
  };
}
