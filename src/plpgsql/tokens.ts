/**
 * A cursor over the SQL lexer's tokens of a PL/pgSQL body. PL/pgSQL shares SQL's lexical rules
 * (PostgreSQL's pl_scanner.c wraps the core scanner too), so the body is lexed once with
 * src/sql/lexer.ts and SQL fragments are later cut out of the original text by token offsets.
 *
 * Errors raised here are 42601 with the line and column inside the body in the message.
 */
import { DbError, isDbError } from '../errors/index.ts';
import { lex, Tok, type TokenStream } from '../sql/index.ts';

export class Tokens {
  readonly text: string;
  readonly ts: TokenStream;
  /** Character offsets where each line starts. */
  private readonly lineStarts: number[];
  /** Routine name for compile-time error context. */
  readonly routine: string;
  pos = 0;

  constructor(text: string, routine: string) {
    this.text = text;
    this.routine = routine;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    try {
      this.ts = lex(text);
    } catch (e) {
      if (isDbError(e) && e.position !== undefined) throw this.errorAt(e.position - 1, e.message);
      throw e;
    }
  }

  get count(): number {
    return this.ts.count;
  }

  type(i = this.pos): number {
    return i < this.ts.count ? this.ts.types[i]! : Tok.EOF;
  }

  value(i = this.pos): string {
    return i < this.ts.count ? this.ts.values[i]! : '';
  }

  start(i = this.pos): number {
    return i < this.ts.count ? this.ts.starts[i]! : this.text.length;
  }

  end(i = this.pos): number {
    return i < this.ts.count ? this.ts.ends[i]! : this.text.length;
  }

  /** True when token i is the unquoted word `kw` (lower case). */
  isKw(kw: string, i = this.pos): boolean {
    return this.type(i) === Tok.Ident && this.ts.values[i] === kw;
  }

  isPunct(p: string, i = this.pos): boolean {
    const t = this.type(i);
    return (t === Tok.Punct || t === Tok.Op) && this.ts.values[i] === p;
  }

  isIdent(i = this.pos): boolean {
    const t = this.type(i);
    return t === Tok.Ident || t === Tok.QIdent;
  }

  atEof(): boolean {
    return this.type() === Tok.EOF;
  }

  /** Consumes the keyword when present. */
  acceptKw(kw: string): boolean {
    if (!this.isKw(kw)) return false;
    this.pos++;
    return true;
  }

  acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.pos++;
    return true;
  }

  expectKw(kw: string): void {
    if (!this.acceptKw(kw)) throw this.syntaxError();
  }

  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) throw this.syntaxError();
  }

  /** An identifier (quoted or not); keywords count, as in PL/pgSQL's unreserved words. */
  expectIdent(): string {
    if (!this.isIdent()) throw this.syntaxError();
    return this.ts.values[this.pos++]!;
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  line(i = this.pos): number {
    return this.lineOf(this.start(i));
  }

  /** `syntax error at or near "tok"` at token i (or at end of input). */
  syntaxError(i = this.pos): DbError {
    if (this.type(i) === Tok.EOF) return this.errorAt(this.text.length, 'syntax error at end of input');
    return this.errorAt(this.start(i), `syntax error at or near "${this.text.slice(this.start(i), this.end(i))}"`);
  }

  /** A 42601 whose message ends with the line and column inside the body. */
  errorAt(offset: number, message: string): DbError {
    const line = this.lineOf(offset);
    const column = offset - this.lineStarts[line - 1]! + 1;
    return new DbError('syntax_error', `${message} (line ${line}, column ${column} of the function body)`, {
      where: `compilation of PL/pgSQL function "${this.routine}" near line ${line}`,
    });
  }

  error(message: string, i = this.pos): DbError {
    return this.errorAt(this.start(i), message);
  }
}
