/**
 * Public API of the SQL layer (lexer + parser -> AST in ./ast.ts). Other layers import only from
 * here.
 *
 * Invariants:
 * - All failures are DbError: 42601 syntax errors with a 1-based `position`, 54001 for nesting
 *   beyond Limits.expressionDepthMax / queryDepthMax, 54000 for text over
 *   Limits.sqlLengthBytesMax.
 * - The returned AST is plain data and safe to cache and share.
 */
import { DbError } from '../errors/index.ts';
import { Limits } from '../limits.ts';
import type { Expr, ParsedStatement, Statement } from './ast.ts';
import { lex, Tok, TokenStream } from './lexer.ts';
import { parseExpr } from './parser/expressions.ts';
import { Parser } from './parser/parser.ts';
import { parseStatement, parseStatements } from './parser/statement.ts';
import { parseTypeName as parseTypeNameAt } from './parser/types.ts';
import type { TypeName } from './ast.ts';

export type * from './ast.ts';
export { tokenize, lex, Tok, Token, TokenStream, type TokType } from './lexer.ts';
export { reservedKeywords, typeFuncNameKeywords, colNameKeywords } from './keywords.ts';

function checkLength(sql: string): void {
  const max = Limits.sqlLengthBytesMax;
  if (sql.length * 3 <= max) return;
  if (sql.length > max || Buffer.byteLength(sql, 'utf8') > max) {
    throw new DbError('program_limit_exceeded',
      `SQL text exceeds the maximum length of ${max} bytes`);
  }
}

function parser(sql: string): Parser {
  checkLength(sql);
  return new Parser(sql, lex(sql));
}

/**
 * Parses zero or more `;`-separated statements. Each result carries its source span (0-based,
 * end exclusive, trimmed, without the `;`); empty statements are skipped.
 */
export function parse(sql: string): ParsedStatement[] {
  return guardStack(() => {
    const p = parser(sql);
    try {
      return parseStatements(p);
    } finally {
      // The statements hold offsets into the text, never tokens.
      TokenStream.release(p.toks);
    }
  });
}

/**
 * The depth counters bound nesting per construct, but some constructs cost more JS frames than
 * others (nested function calls); a stack overflow is reported the way PostgreSQL reports its
 * own: 54001 "stack depth limit exceeded".
 */
function guardStack<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError && e.message.includes('call stack')) {
      throw new DbError('statement_too_complex', 'stack depth limit exceeded',
        { hint: 'Simplify the statement: it is nested too deeply.' });
    }
    throw e;
  }
}

/**
 * Lexes a script for statement-at-a-time parsing (parseStatementAt), with parse()'s length limit.
 * Lexing errors are the ones parse() would raise.
 */
export function lexScript(sql: string): TokenStream {
  checkLength(sql);
  return lex(sql);
}

/**
 * Parses the one statement of `tokens` (lexScript's) that starts at token `from` and must end just
 * before token `to` (its `;` or the end). Node locations are offsets in the whole script, as
 * parse() gives them. Null when the statement does not end at `to`; a syntax error inside it
 * throws. Either way the caller can parse the whole script to report what parse() reports.
 */
export function parseStatementAt(sql: string, tokens: TokenStream, from: number, to: number): ParsedStatement | null {
  return guardStack(() => {
    const p = new Parser(sql, tokens);
    p.pos = from;
    const start = p.loc;
    const stmt = parseStatement(p);
    if (p.pos !== to || !p.atEnd()) return null;
    return { stmt, start, end: p.prevEnd };
  });
}

/** Parses exactly one statement (a trailing `;` is allowed). */
export function parseOne(sql: string): Statement {
  return onlyStatement(sql, parse(sql)).stmt;
}

/** The one statement of `sql` as parsed; PostgreSQL's errors for none or several. */
export function onlyStatement(sql: string, stmts: readonly ParsedStatement[]): ParsedStatement {
  if (stmts.length !== 1) {
    const second = stmts[1];
    if (second === undefined) {
      throw new DbError('syntax_error', 'syntax error at end of input',
        { position: sql.length + 1 });
    }
    throw new DbError('syntax_error', 'cannot insert multiple commands into a prepared statement',
      { position: second.start + 1 });
  }
  return stmts[0]!;
}

/** Parses a standalone expression (stored defaults, CHECK constraints, index expressions). */
export function parseExpression(sql: string): Expr {
  return guardStack(() => {
    const p = parser(sql);
    const expr = parseExpr(p);
    if (p.type() !== Tok.EOF) throw p.error();
    return expr;
  });
}

/** Parses a standalone type name (`varchar(20)`, `int[]`, `timestamp with time zone`). */
export function parseTypeName(sql: string): TypeName {
  const p = parser(sql);
  const type = parseTypeNameAt(p);
  if (p.type() !== Tok.EOF) throw p.error();
  return type;
}
