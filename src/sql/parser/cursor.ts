/**
 * DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD]
 * FOR query; FETCH / MOVE [direction] [FROM | IN] name; CLOSE name | ALL (PostgreSQL's grammar).
 */
import type { CloseCursorStmt, DeclareCursorStmt, FetchDirection, FetchStmt } from '../ast.ts';
import type { Parser } from './parser.ts';
import { Tok } from '../lexer.ts';
import { parseSelectQuery } from './select.ts';

export function parseDeclareCursor(p: Parser, loc: number): DeclareCursorStmt {
  const name = p.colId();
  let binary = false;
  let scroll = false;
  for (;;) {
    if (p.acceptKw('binary')) binary = true;
    else if (p.acceptKw('insensitive') || p.acceptKw('asensitive')) continue;
    else if (p.acceptKws('no', 'scroll')) scroll = false;
    else if (p.acceptKw('scroll')) scroll = true;
    else break;
  }
  p.expectKw('cursor');
  let hold = false;
  if (p.acceptKws('with', 'hold')) hold = true;
  else p.acceptKws('without', 'hold');
  p.expectKw('for');
  const query = parseSelectQuery(p);
  return { kind: 'DeclareCursor', name, query, hold, scroll, binary, loc };
}

/** A signed integer count (FETCH -1, FETCH ABSOLUTE -2). */
function signedCount(p: Parser): number {
  const neg = p.acceptOp('-');
  if (!neg) p.acceptOp('+');
  const n = p.intConst();
  return neg ? -n : n;
}

function startsCount(p: Parser): boolean {
  return p.isOp('-') || p.isOp('+') || p.type() === Tok.Integer;
}

function parseDirection(p: Parser): FetchDirection {
  if (p.acceptKw('next')) return { kind: 'forward', count: 1 };
  if (p.acceptKw('prior')) return { kind: 'backward', count: 1 };
  if (p.acceptKw('first')) return { kind: 'first' };
  if (p.acceptKw('last')) return { kind: 'last' };
  if (p.acceptKw('absolute')) return { kind: 'absolute', position: signedCount(p) };
  if (p.acceptKw('relative')) return { kind: 'relative', offset: signedCount(p) };
  if (p.acceptKw('all')) return { kind: 'forward', count: 'all' };
  for (const kind of ['forward', 'backward'] as const) {
    if (p.acceptKw(kind)) {
      if (p.acceptKw('all')) return { kind, count: 'all' };
      if (startsCount(p)) return { kind, count: signedCount(p) };
      return { kind, count: 1 };
    }
  }
  if (startsCount(p)) return { kind: 'forward', count: signedCount(p) };
  return { kind: 'forward', count: 1 };
}

export function parseFetch(p: Parser, loc: number, move: boolean): FetchStmt {
  // FETCH name alone fetches the next row; anything else starts with a direction.
  const direction = p.isKw('from') || p.isKw('in') || (p.isColId() && isEnd(p, 1)) ? { kind: 'forward' as const, count: 1 } : parseDirection(p);
  if (!p.acceptKw('from')) p.acceptKw('in');
  return { kind: 'Fetch', move, name: p.colId(), direction, loc };
}

function isEnd(p: Parser, offset: number): boolean {
  const type = p.type(offset);
  return type === Tok.EOF || (type === Tok.Punct && p.peek(offset).value === ';');
}

export function parseCloseCursor(p: Parser, loc: number): CloseCursorStmt {
  if (p.acceptKw('all')) return { kind: 'CloseCursor', name: null, loc };
  return { kind: 'CloseCursor', name: p.colId(), loc };
}
