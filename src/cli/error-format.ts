/**
 * Prints errors the way psql does with `\set VERBOSITY verbose`-style SQLSTATEs:
 *
 *   ERROR:  42601: syntax error at or near "FORM"
 *   LINE 1: select * FORM t;
 *                    ^
 *   DETAIL:  ...
 *   HINT:  ...
 *   CONTEXT:  ...
 *
 * The LINE/caret pair appears when the error carries a position: PostgreSQL's 1-based character
 * offset into the statement text (UTF-16 code units here, as the engine's lexer counts them).
 * Long lines are cut to about 60 columns around the caret with "..." (psql's
 * reportErrorPosition). Script errors get psql's `oxibase:FILE:LINE: ` prefix on the first line.
 *
 * Invariant: accepts any thrown value: DbError, a foreign error with the same fields, or a bug
 * (a plain Error, printed as XX000 internal_error) — the shell must never die on what it prints.
 */
import { displayWidth } from './text-width.ts';

/** The fields of a DbError the printer uses (duck-typed, see the invariant above). */
export interface ErrorFields {
  readonly severity: string;
  readonly code: string;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly hint?: string | undefined;
  readonly position?: number | undefined;
  readonly where?: string | undefined;
}

const displaySize = 60; // psql's DISPLAY_SIZE: longest LINE excerpt, in screen columns
const minRightCut = 10; // psql's MIN_RIGHT_CUT: keep this much context right of the caret

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Normalizes anything thrown into the printable fields. */
export function errorFields(error: unknown): ErrorFields {
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    const code = e['code'];
    const message = typeof e['message'] === 'string' ? e['message'] : String(error);
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const severity = e['severity'];
      const position = e['position'];
      return {
        severity: typeof severity === 'string' ? severity : 'ERROR',
        code, message,
        detail: optionalString(e['detail']),
        hint: optionalString(e['hint']),
        position: typeof position === 'number' ? position : undefined,
        where: optionalString(e['where']),
      };
    }
    // Not a database error: a bug or an environment failure. Say so rather than guess a state.
    return { severity: 'ERROR', code: 'XX000', message: `internal error: ${message}` };
  }
  return { severity: 'ERROR', code: 'XX000', message: `internal error: ${String(error)}` };
}

/**
 * The `LINE n: text` and caret lines for a 1-based position in `statement`, or '' when the
 * position does not fall inside it.
 */
export function errorPositionLines(statement: string, position: number): string {
  if (!Number.isInteger(position) || position < 1) return '';
  // Code points with their UTF-16 offsets, so the caret lands on the right character.
  const chars: string[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < statement.length;) {
    const cp = statement.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    chars.push(ch);
    offsets.push(i);
    i += ch.length;
  }
  const utf16 = position - 1;
  if (utf16 > statement.length) return '';
  let loc = offsets.findIndex((o) => o >= utf16);
  if (loc < 0) loc = chars.length; // just past the end: "at end of input"

  // Find the line holding `loc`. A position on a newline belongs to the line it ends.
  let lineNo = 1;
  let begin = 0;
  for (let i = 0; i < loc; i++) {
    if (chars[i] === '\n') { lineNo++; begin = i + 1; }
  }
  let end = begin;
  while (end < chars.length && chars[end] !== '\n' && chars[end] !== '\r') end++;

  // Tabs print as one space each, so the caret stays under its character.
  const widths = chars.map((c) => (c === '\t' ? 1 : displayWidth(c)));
  const col = (from: number, to: number): number => {
    let w = 0;
    for (let i = from; i < to; i++) w += widths[i] ?? 0;
    return w;
  };
  let ibeg = begin;
  let iend = end;
  let lineWidth = col(begin, end);
  let begTrunc = false;
  let endTrunc = false;
  if (lineWidth > displaySize) {
    if (displaySize - minRightCut >= col(begin, loc)) {
      while (lineWidth > displaySize) { iend--; lineWidth -= widths[iend] ?? 0; endTrunc = true; }
    } else {
      while (col(begin, loc) + minRightCut < lineWidth && iend > loc) {
        iend--; lineWidth -= widths[iend] ?? 0; endTrunc = true;
      }
      while (lineWidth > displaySize && ibeg < loc) {
        lineWidth -= widths[ibeg] ?? 0; ibeg++; begTrunc = true;
      }
    }
  }
  const prefix = `LINE ${lineNo}: ${begTrunc ? '...' : ''}`;
  const text = chars.slice(ibeg, iend).join('').replace(/\t/g, ' ');
  const caretColumn = displayWidth(prefix) + col(ibeg, loc);
  return `${prefix}${text}${endTrunc ? '...' : ''}\n${' '.repeat(caretColumn)}^\n`;
}

export interface ErrorFormatOptions {
  /** The statement text the position refers to; null when unknown (meta-commands). */
  readonly statement?: string | null;
  /** psql's script prefix, e.g. `oxibase:setup.sql:12: `. */
  readonly prefix?: string;
}

/** The complete error report, every line ending in "\n". */
export function formatError(error: unknown, options: ErrorFormatOptions = {}): string {
  const f = errorFields(error);
  let out = `${options.prefix ?? ''}${f.severity}:  ${f.code}: ${f.message}\n`;
  if (f.position !== undefined && options.statement) {
    out += errorPositionLines(options.statement, f.position);
  }
  if (f.detail !== undefined) out += `DETAIL:  ${f.detail}\n`;
  if (f.hint !== undefined) out += `HINT:  ${f.hint}\n`;
  if (f.where !== undefined) out += `CONTEXT:  ${f.where}\n`;
  return out;
}
