/**
 * SQL lexer following PostgreSQL's scan.l: turns SQL text into an array of tokens in one pass.
 *
 * Invariants:
 * - Every token records `start`/`end` (0-based, end exclusive) in the original text; errors report
 *   `start + 1` as PostgreSQL's 1-based position. Offsets count UTF-16 code units.
 * - Ident tokens are normalized (ASCII folded to lower case, truncated to 63 bytes); the parser
 *   recognizes keywords by comparing `value` of Ident tokens, so quoted identifiers (QIdent) are
 *   never keywords.
 * - String tokens carry the unescaped value; adjacent literals separated by a newline are already
 *   concatenated into one token.
 * - Operators are split with scan.l's rule (a run of operator characters, cut at comment starts,
 *   trailing + / - dropped unless the run has a non-SQL-standard operator character). `!=` is
 *   reported as `<>`.
 * - Hot loop: switch on char codes and lookup tables only; no regular expressions per character.
 */
import { DbError } from '../errors/index.ts';
import {
  isDigit, isIdentCont, isIdentStart, isNonSqlOpChar, isOpChar, isSpace, singleCharStrings,
  truncateIdentifier,
} from './chars.ts';
import { identifierValue, spellingHash } from './identifier-cache.ts';
import { Tok, Token, TokenStream, type TokType } from './token.ts';

export { Tok, Token, TokenStream, type TokType };

export function syntaxError(message: string, position: number): DbError {
  return new DbError('syntax_error', message, { position });
}

/** `at or near "..."` text for errors raised at `start`: the rest of the input (scan.l style). */
function nearRest(sql: string, start: number): string {
  return sql.slice(start);
}

type StringMode = 'plain' | 'escape' | 'unicode';

/** Scanner state; `lex` drives it. A class so V8 keeps one shape for the hot fields. */
class Scanner {
  readonly sql: string;
  readonly len: number;
  pos: number;
  /** Out-parameter of scanStringBody (avoids allocating a result object per literal). */
  bodyEnd: number;
  readonly tokens: TokenStream;

  constructor(sql: string) {
    this.sql = sql;
    this.len = sql.length;
    this.pos = 0;
    this.bodyEnd = 0;
    // A script of short INSERT lines runs about 7-8 characters per token: sized for 6, it
    // rarely grows (a growth allocates and copies every array).
    this.tokens = TokenStream.take(Math.max(16, Math.ceil(sql.length / 6)));
  }

  run(): TokenStream {
    const sql = this.sql;
    const len = this.len;
    while (true) {
      this.skipSpaceAndComments();
      if (this.pos >= len) break;
      const start = this.pos;
      const c = sql.charCodeAt(start);
      const next = start + 1 < len ? sql.charCodeAt(start + 1) : 0;
      if (c === 39) { // '
        this.scanString(start, start, 'plain');
      } else if (c === 34) { // "
        this.scanQuotedIdent(start, start + 1, false);
      } else if ((c === 69 || c === 101) && next === 39) { // E'
        this.scanString(start, start + 1, 'escape');
      } else if ((c === 78 || c === 110) && next === 39) { // N'
        this.scanString(start, start + 1, 'plain');
      } else if ((c === 66 || c === 98) && next === 39) { // B'
        this.scanBitString(start, false);
      } else if ((c === 88 || c === 120) && next === 39) { // X'
        this.scanBitString(start, true);
      } else if ((c === 85 || c === 117) && next === 38 && start + 2 < len &&
        (sql.charCodeAt(start + 2) === 39 || sql.charCodeAt(start + 2) === 34)) { // U&' U&"
        if (sql.charCodeAt(start + 2) === 39) this.scanString(start, start + 2, 'unicode');
        else this.scanQuotedIdent(start, start + 3, true);
      } else if (isIdentStart(c)) {
        this.scanIdent(start);
      } else if (isDigit(c) || (c === 46 && isDigit(next))) {
        this.scanNumber(start);
      } else if (c === 36) { // $
        if (isDigit(next)) this.scanParam(start);
        else this.scanDollar(start);
      } else if (isOpChar(c)) {
        this.scanOperator(start);
      } else {
        this.scanPunct(start, c, next);
      }
    }
    this.tokens.push(Tok.EOF, len, len, '');
    return this.tokens;
  }

  skipSpaceAndComments(): void {
    const sql = this.sql;
    const len = this.len;
    let pos = this.pos;
    while (pos < len) {
      const c = sql.charCodeAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c === 45 && sql.charCodeAt(pos + 1) === 45) { // --
        pos += 2;
        while (pos < len) {
          const d = sql.charCodeAt(pos);
          if (d === 10 || d === 13) break;
          pos++;
        }
      } else if (c === 47 && sql.charCodeAt(pos + 1) === 42) { // /*
        pos = this.skipBlockComment(pos);
      } else {
        break;
      }
    }
    this.pos = pos;
  }

  /** Nested block comments, as PostgreSQL (unlike the SQL standard) allows. */
  skipBlockComment(start: number): number {
    const sql = this.sql;
    let depth = 1;
    let pos = start + 2;
    while (pos < this.len) {
      const c = sql.charCodeAt(pos);
      if (c === 42 && sql.charCodeAt(pos + 1) === 47) {
        pos += 2;
        if (--depth === 0) return pos;
      } else if (c === 47 && sql.charCodeAt(pos + 1) === 42) {
        pos += 2;
        depth++;
      } else {
        pos++;
      }
    }
    throw syntaxError(`unterminated /* comment at or near "${nearRest(sql, start)}"`, start + 1);
  }

  scanIdent(start: number): void {
    const sql = this.sql;
    let pos = start + 1;
    let h = sql.charCodeAt(start);
    while (pos < this.len) {
      const c = sql.charCodeAt(pos);
      if (!isIdentCont(c)) break;
      h = spellingHash(h, c);
      pos++;
    }
    this.pos = pos;
    this.tokens.push(Tok.Ident, start, pos, identifierValue(sql, start, pos, h));
  }

  scanQuotedIdent(start: number, bodyStart: number, unicode: boolean): void {
    const sql = this.sql;
    let pos = bodyStart;
    let value = '';
    let segStart = pos;
    while (true) {
      if (pos >= this.len) {
        throw syntaxError(
          `unterminated quoted identifier at or near "${nearRest(sql, start)}"`, start + 1);
      }
      if (sql.charCodeAt(pos) === 34) {
        if (sql.charCodeAt(pos + 1) === 34) {
          value += sql.slice(segStart, pos + 1);
          pos += 2;
          segStart = pos;
          continue;
        }
        value += sql.slice(segStart, pos);
        pos++;
        break;
      }
      pos++;
    }
    if (value.length === 0) {
      throw syntaxError(`zero-length delimited identifier at or near """"`, start + 1);
    }
    this.pos = pos;
    if (unicode) value = this.applyUnicodeEscapes(value, start);
    this.tokens.push(Tok.QIdent, start, pos, truncateIdentifier(value));
  }

  /** Scans '...' (plus continuations); `quotePos` is the opening quote. */
  scanString(start: number, quotePos: number, mode: StringMode): void {
    let value = '';
    let pos = quotePos;
    while (true) {
      value += this.scanStringBody(start, pos + 1, mode);
      pos = this.bodyEnd;
      const cont = this.continuationQuote(pos);
      if (cont < 0) break;
      pos = cont;
    }
    this.pos = pos;
    if (mode === 'unicode') value = this.applyUnicodeEscapes(value, start);
    this.tokens.push(Tok.String, start, pos, value);
  }

  /**
   * After a string literal: if only whitespace containing a newline (and `--` comments) separates
   * it from another quote, the literals concatenate (SQL standard); returns that quote's offset.
   */
  continuationQuote(pos: number): number {
    const sql = this.sql;
    let sawNewline = false;
    while (pos < this.len) {
      const c = sql.charCodeAt(pos);
      if (c === 10 || c === 13) {
        sawNewline = true;
        pos++;
      } else if (isSpace(c)) {
        pos++;
      } else if (c === 45 && sql.charCodeAt(pos + 1) === 45 && sawNewline) {
        while (pos < this.len && sql.charCodeAt(pos) !== 10 && sql.charCodeAt(pos) !== 13) pos++;
      } else {
        break;
      }
    }
    return sawNewline && pos < this.len && sql.charCodeAt(pos) === 39 ? pos : -1;
  }

  /** Returns the body's value and sets `bodyEnd` to the offset after the closing quote. */
  scanStringBody(start: number, bodyStart: number, mode: StringMode): string {
    const sql = this.sql;
    const len = this.len;
    if (mode !== 'escape') {
      // Fast path: no doubled quote inside, so the body is one slice.
      const close = sql.indexOf("'", bodyStart);
      if (close >= 0 && sql.charCodeAt(close + 1) !== 39) {
        this.bodyEnd = close + 1;
        return sql.slice(bodyStart, close);
      }
    }
    let pos = bodyStart;
    let segStart = pos;
    let value = '';
    while (true) {
      if (pos >= len) {
        throw syntaxError(
          `unterminated quoted string at or near "${nearRest(sql, start)}"`, start + 1);
      }
      const c = sql.charCodeAt(pos);
      if (c === 39) {
        if (pos + 1 < len && sql.charCodeAt(pos + 1) === 39) {
          value += sql.slice(segStart, pos + 1);
          pos += 2;
          segStart = pos;
          continue;
        }
        value += sql.slice(segStart, pos);
        this.bodyEnd = pos + 1;
        return value;
      }
      if (c === 92 && mode === 'escape') {
        value += sql.slice(segStart, pos) + this.scanEscape(pos, start);
        pos = this.bodyEnd;
        segStart = pos;
        continue;
      }
      pos++;
    }
  }

  /** One backslash escape in an E'' string at `pos`: returns its text, sets `bodyEnd` after it. */
  scanEscape(pos: number, start: number): string {
    const sql = this.sql;
    if (pos + 1 >= this.len) {
      throw syntaxError(
        `unterminated quoted string at or near "${nearRest(sql, start)}"`, start + 1);
    }
    const e = sql[pos + 1]!;
    switch (e) {
      case 'b': return this.escaped('\b', pos + 2);
      case 'f': return this.escaped('\f', pos + 2);
      case 'n': return this.escaped('\n', pos + 2);
      case 'r': return this.escaped('\r', pos + 2);
      case 't': return this.escaped('\t', pos + 2);
      case 'x': {
        let end = pos + 2;
        while (end < pos + 4 && end < this.len && isHex(sql.charCodeAt(end))) end++;
        if (end === pos + 2) return this.escaped('x', end);
        return this.escaped(String.fromCharCode(parseInt(sql.slice(pos + 2, end), 16)), end);
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const hex = sql.slice(pos + 2, pos + 2 + n);
        if (hex.length !== n || !isAllHex(hex)) {
          throw new DbError('syntax_error', 'invalid Unicode escape',
            { position: pos + 1, hint: 'Unicode escapes must be \\uXXXX or \\UXXXXXXXX.' });
        }
        return this.escaped(codePointToString(parseInt(hex, 16), pos), pos + 2 + n);
      }
      default: {
        const d = sql.charCodeAt(pos + 1);
        if (d >= 48 && d <= 55) {
          let end = pos + 2;
          while (end < pos + 4 && end < this.len &&
            sql.charCodeAt(end) >= 48 && sql.charCodeAt(end) <= 55) end++;
          const code = parseInt(sql.slice(pos + 1, end), 8) & 0xff;
          return this.escaped(String.fromCharCode(code), end);
        }
        return this.escaped(e, pos + 2);
      }
    }
  }

  private escaped(text: string, end: number): string {
    this.bodyEnd = end;
    return text;
  }

  /** U&'...' / U&"..." escapes (\XXXX, \+XXXXXX, \\), with an optional UESCAPE 'c' after. */
  applyUnicodeEscapes(value: string, start: number): string {
    let esc = '\\';
    const save = this.pos;
    this.skipSpaceAndComments();
    const sql = this.sql;
    if (this.sql.slice(this.pos, this.pos + 7).toLowerCase() === 'uescape') {
      this.pos += 7;
      this.skipSpaceAndComments();
      const q = this.pos;
      if (sql.charCodeAt(q) !== 39 || sql.charCodeAt(q + 2) !== 39) {
        throw syntaxError('invalid Unicode escape character', q + 1);
      }
      esc = sql[q + 1]!;
      this.pos = q + 3;
    } else {
      this.pos = save;
    }
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      if (ch !== esc) { out += ch; continue; }
      if (value[i + 1] === esc) { out += esc; i++; continue; }
      const plus = value[i + 1] === '+';
      const n = plus ? 6 : 4;
      const hex = value.slice(i + (plus ? 2 : 1), i + (plus ? 2 : 1) + n);
      if (hex.length !== n || !isAllHex(hex)) {
        throw new DbError('syntax_error', 'invalid Unicode escape', {
          position: start + 1, hint: 'Unicode escapes must be \\XXXX or \\+XXXXXX.' });
      }
      out += codePointToString(parseInt(hex, 16), start);
      i += (plus ? 1 : 0) + n;
    }
    return out;
  }

  scanBitString(start: number, hex: boolean): void {
    const sql = this.sql;
    let pos = start + 2;
    while (pos < this.len && sql.charCodeAt(pos) !== 39) pos++;
    if (pos >= this.len) {
      const what = hex ? 'hexadecimal string literal' : 'bit string literal';
      throw syntaxError(`unterminated ${what} at or near "${nearRest(sql, start)}"`, start + 1);
    }
    const body = sql.slice(start + 2, pos);
    let bits = '';
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (hex) {
        if (!isHex(c)) {
          throw syntaxError(`"${body[i]}" is not a valid hexadecimal digit`, start + 1);
        }
        bits += parseInt(body[i]!, 16).toString(2).padStart(4, '0');
      } else {
        if (c !== 48 && c !== 49) {
          throw syntaxError(`"${body[i]}" is not a valid binary digit`, start + 1);
        }
        bits += body[i];
      }
    }
    this.pos = pos + 1;
    this.tokens.push(Tok.BitString, start, pos + 1, bits);
  }

  scanNumber(start: number): void {
    const sql = this.sql;
    const len = this.len;
    let pos = start;
    const c0 = sql.charCodeAt(pos);
    const c1 = pos + 1 < len ? sql.charCodeAt(pos + 1) | 0x20 : 0;
    if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) { // 0x 0o 0b
      const radix = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
      pos += 2;
      const digitsStart = pos;
      while (pos < len) {
        const c = sql.charCodeAt(pos);
        if (c === 95 && pos > digitsStart && pos + 1 < len &&
          isRadixDigit(sql.charCodeAt(pos + 1), radix)) { pos++; continue; }
        if (!isRadixDigit(c, radix)) break;
        pos++;
      }
      if (pos === digitsStart) this.trailingJunk(start, pos + 1);
      this.checkJunk(start, pos);
      const digits = sql.slice(digitsStart, pos).replaceAll('_', '');
      const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '0b';
      this.pos = pos;
      this.tokens.push(Tok.Integer, start, pos, BigInt(prefix + digits).toString());
      return;
    }
    let isNumeric = false;
    pos = this.scanDigits(pos);
    // "1..5": the integer ends before the range operator.
    if (pos < len && sql.charCodeAt(pos) === 46 && sql.charCodeAt(pos + 1) !== 46) {
      isNumeric = true;
      pos = this.scanDigits(pos + 1);
    }
    const e = pos < len ? sql.charCodeAt(pos) | 0x20 : 0;
    if (e === 101) { // e / E
      let p = pos + 1;
      const s = sql.charCodeAt(p);
      if (s === 43 || s === 45) p++;
      if (p < len && isDigit(sql.charCodeAt(p))) {
        isNumeric = true;
        pos = this.scanDigits(p);
      } else {
        this.trailingJunk(start, pos + 1);
      }
    }
    this.checkJunk(start, pos);
    this.pos = pos;
    let text = sql.slice(start, pos);
    if (text.includes('_')) text = text.replaceAll('_', '');
    this.tokens.push(isNumeric ? Tok.Numeric : Tok.Integer, start, pos, text);
  }

  /** Decimal digits with single `_` separators between digits (PG16 syntax). */
  scanDigits(pos: number): number {
    const sql = this.sql;
    while (pos < this.len) {
      const c = sql.charCodeAt(pos);
      if (isDigit(c)) { pos++; continue; }
      if (c === 95 && pos > 0 && isDigit(sql.charCodeAt(pos - 1)) &&
        isDigit(sql.charCodeAt(pos + 1))) { pos++; continue; }
      break;
    }
    return pos;
  }

  /** A number immediately followed by identifier characters is an error since PostgreSQL 15. */
  checkJunk(start: number, pos: number): void {
    if (pos < this.len && isIdentStart(this.sql.charCodeAt(pos))) this.trailingJunk(start, pos + 1);
  }

  trailingJunk(start: number, end: number): never {
    throw syntaxError(
      `trailing junk after numeric literal at or near "${this.sql.slice(start, end)}"`, start + 1);
  }

  scanParam(start: number): void {
    const sql = this.sql;
    let pos = start + 1;
    while (pos < this.len && isDigit(sql.charCodeAt(pos))) pos++;
    if (pos < this.len && isIdentCont(sql.charCodeAt(pos))) {
      throw syntaxError(
        `trailing junk after parameter at or near "${sql.slice(start, pos + 1)}"`, start + 1);
    }
    this.pos = pos;
    this.tokens.push(Tok.Param, start, pos, sql.slice(start + 1, pos));
  }

  /** `$tag$ ... $tag$` / `$$ ... $$`. A lone `$` is a syntax error, as in PostgreSQL. */
  scanDollar(start: number): void {
    const sql = this.sql;
    let pos = start + 1;
    if (pos < this.len && sql.charCodeAt(pos) !== 36) {
      if (!isIdentStart(sql.charCodeAt(pos))) {
        throw syntaxError(`syntax error at or near "$"`, start + 1);
      }
      while (pos < this.len && isIdentCont(sql.charCodeAt(pos)) && sql.charCodeAt(pos) !== 36) {
        pos++;
      }
      if (pos >= this.len || sql.charCodeAt(pos) !== 36) {
        throw syntaxError(`syntax error at or near "$"`, start + 1);
      }
    }
    if (pos >= this.len) throw syntaxError(`syntax error at or near "$"`, start + 1);
    const delim = sql.slice(start, pos + 1);
    const bodyStart = pos + 1;
    const close = sql.indexOf(delim, bodyStart);
    if (close < 0) {
      throw syntaxError(
        `unterminated dollar-quoted string at or near "${nearRest(sql, start)}"`, start + 1);
    }
    this.pos = close + delim.length;
    this.tokens.push(Tok.String, start, this.pos, sql.slice(bodyStart, close));
  }

  scanOperator(start: number): void {
    const sql = this.sql;
    let end = start + 1;
    while (end < this.len && isOpChar(sql.charCodeAt(end))) end++;
    // A comment start inside the run ends the operator.
    for (let i = start + 1; i < end - 1; i++) {
      const c = sql.charCodeAt(i);
      const d = sql.charCodeAt(i + 1);
      if ((c === 47 && d === 42) || (c === 45 && d === 45)) { end = i; break; }
    }
    let n = end - start;
    const last = sql.charCodeAt(start + n - 1);
    if (n > 1 && (last === 43 || last === 45)) {
      let qualifying = false;
      for (let i = start + n - 2; i >= start; i--) {
        if (isNonSqlOpChar(sql.charCodeAt(i))) { qualifying = true; break; }
      }
      if (!qualifying) {
        do {
          n--;
        } while (n > 1 && (sql.charCodeAt(start + n - 1) === 43 ||
          sql.charCodeAt(start + n - 1) === 45));
      }
    }
    let text = n === 1 ? singleCharStrings[sql.charCodeAt(start)]! : sql.slice(start, start + n);
    if (text === '!=') text = '<>';
    if (n >= 64) {
      throw new DbError('name_too_long', `operator too long at or near "${text}"`,
        { position: start + 1 });
    }
    this.pos = start + n;
    this.tokens.push(Tok.Op, start, start + n, text);
  }

  scanPunct(start: number, c: number, next: number): void {
    let n = 1;
    switch (c) {
      case 40: case 41: case 91: case 93: case 44: case 59: // ( ) [ ] , ;
        break;
      case 46: // .
        if (next === 46) n = 2;
        break;
      case 58: // :
        if (next === 58 || next === 61) n = 2;
        break;
      default:
        throw syntaxError(`syntax error at or near "${this.sql[start]}"`, start + 1);
    }
    this.pos = start + n;
    const text = n === 1 ? singleCharStrings[c]! : c === 46 ? '..' : next === 58 ? '::' : ':=';
    this.tokens.push(Tok.Punct, start, start + n, text);
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isAllHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}
function isRadixDigit(c: number, radix: number): boolean {
  if (radix === 16) return isHex(c);
  if (radix === 8) return c >= 48 && c <= 55;
  return c === 48 || c === 49;
}

function codePointToString(cp: number, pos: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    throw new DbError('syntax_error', 'invalid Unicode escape value', { position: pos + 1 });
  }
  return String.fromCodePoint(cp);
}

/**
 * Tokenizes `sql`. The result always ends with one EOF token whose start is sql.length.
 * Throws DbError (42601) for malformed literals, comments and stray characters.
 */
export function lex(sql: string): TokenStream {
  return new Scanner(sql).run();
}

/** Convenience form of `lex` returning token objects (tests, tools); the parser uses `lex`. */
export function tokenize(sql: string): Token[] {
  const stream = lex(sql);
  const out: Token[] = [];
  for (let i = 0; i < stream.count; i++) out.push(stream.token(i));
  return out;
}
