/**
 * Cursors: declarations (`c [NO] [SCROLL] CURSOR [(args)] FOR query`, `c refcursor`) and the
 * OPEN / FETCH / MOVE / CLOSE statements and `FOR rec IN cursor [(args)] LOOP`.
 */
import { parseTypeName, Tok } from '../sql/index.ts';
import { resolveTypeName } from '../plan/binder/type-names.ts';
import { Types } from '../types/sql-type.ts';
import type { FetchDirection, SqlExpr, Stmt, VarDef } from './ast.ts';
import type { Parser } from './parser-core.ts';
import { buildFragment, scanUntil } from './sql-frag.ts';

/** After `name [NO] [SCROLL]`, at CURSOR: declares the cursor variable. */
export function parseCursorDecl(p: Parser, name: string, line: number): VarDef {
  const t = p.t;
  t.expectKw('cursor');
  p.ns.push(null);
  const params: VarDef[] = [];
  if (t.acceptPunct('(')) {
    do {
      const argName = t.expectIdent();
      const from = t.pos;
      const end = scanUntil(t, from, (i) => t.isPunct(',', i) || t.isPunct(')', i));
      t.pos = end;
      const text = t.text.slice(t.start(from), t.end(end - 1));
      let type;
      try {
        type = resolveTypeName(parseTypeName(text));
      } catch {
        throw t.error(`type "${text}" of a cursor argument must be a built-in type`, from);
      }
      params.push(p.ns.declare({ name: argName, kind: 'scalar', spec: { k: 'type', type }, line }));
    } while (t.acceptPunct(','));
    t.expectPunct(')');
  }
  if (!t.acceptKw('for')) t.expectKw('is');
  const from = t.pos;
  const end = scanUntil(t, from, (i) => t.isPunct(';', i));
  const query = buildFragment(t, p.ns, from, end, { prefix: '' });
  t.pos = end + 1;
  p.ns.pop();
  return p.ns.declare({ name, kind: 'scalar', spec: { k: 'type', type: Types.text }, line, cursor: { query, params } });
}

/** `c refcursor;` (an unbound cursor variable). */
export function declareRefcursor(p: Parser, name: string, line: number): VarDef {
  return p.ns.declare({ name, kind: 'scalar', spec: { k: 'type', type: Types.text }, line, cursor: { query: null, params: [] } });
}

function cursorVar(p: Parser): VarDef {
  const at = p.t.pos;
  const v = p.variable();
  if (v.cursor === null) throw p.t.error(`variable "${v.name}" must be of type cursor or refcursor`, at);
  return v;
}

/** `(arg, ...)` of a bound cursor, checked against its declaration. */
export function cursorArgsOf(p: Parser, v: VarDef): SqlExpr[] {
  const t = p.t;
  const args: SqlExpr[] = [];
  if (t.acceptPunct('(')) {
    do args.push(p.exprUntil((i) => t.isPunct(',', i) || t.isPunct(')', i)));
    while (t.acceptPunct(','));
    t.expectPunct(')');
  }
  const want = v.cursor!.params.length;
  if (args.length !== want) {
    throw t.error(want === 0 ? `cursor "${v.name}" has no arguments` : `wrong number of arguments for cursor "${v.name}"`);
  }
  return args;
}

export function parseOpen(p: Parser, line: number): Stmt {
  const t = p.t;
  t.pos++;
  const cursor = cursorVar(p);
  if (cursor.cursor!.query !== null) {
    const args = cursorArgsOf(p, cursor);
    t.expectPunct(';');
    return { k: 'open', line, cursor, args, query: null, dynamic: null };
  }
  if (t.acceptKw('no')) t.expectKw('scroll');
  else t.acceptKw('scroll');
  t.expectKw('for');
  if (t.acceptKw('execute')) {
    const query = p.exprUntil((i) => t.isPunct(';', i) || t.isKw('using', i));
    const using: SqlExpr[] = [];
    if (t.acceptKw('using')) {
      do using.push(p.exprUntil((i) => t.isPunct(',', i) || t.isPunct(';', i)));
      while (t.acceptPunct(','));
    }
    t.expectPunct(';');
    return { k: 'open', line, cursor, args: [], query: null, dynamic: { query, using } };
  }
  const from = t.pos;
  const end = scanUntil(t, from, (i) => t.isPunct(';', i));
  const query = buildFragment(t, p.ns, from, end, { prefix: '' });
  t.pos = end + 1;
  return { k: 'open', line, cursor, args: [], query, dynamic: null };
}

/** FETCH [direction] [FROM | IN] c INTO targets; / MOVE [direction] [FROM | IN] c; */
export function parseFetch(p: Parser, line: number, move: boolean): Stmt {
  const t = p.t;
  t.pos++;
  const direction = parseDirection(p);
  if (!t.acceptKw('from')) t.acceptKw('in');
  const cursor = cursorVar(p);
  let into = null;
  if (!move) {
    t.expectKw('into');
    into = p.targets();
  }
  t.expectPunct(';');
  return { k: 'fetch', line, cursor, direction, into };
}

function parseDirection(p: Parser): FetchDirection {
  const t = p.t;
  const countUntilFrom = (): SqlExpr => p.exprUntil((i) => t.isKw('from', i) || t.isKw('in', i));
  for (const kind of ['next', 'prior', 'first', 'last'] as const) if (t.acceptKw(kind)) return { kind, count: null };
  if (t.acceptKw('absolute')) return { kind: 'absolute', count: countUntilFrom() };
  if (t.acceptKw('relative')) return { kind: 'relative', count: countUntilFrom() };
  for (const dir of ['forward', 'backward'] as const) {
    if (!t.acceptKw(dir)) continue;
    if (t.acceptKw('all')) return { kind: dir === 'forward' ? 'forward_all' : 'backward_all', count: null };
    if (t.isKw('from') || t.isKw('in') || (t.isIdent() && p.ns.lookup(t.value())?.cursor != null && !t.isPunct('+', t.pos + 1))) {
      return { kind: dir === 'forward' ? 'next' : 'prior', count: null };
    }
    return { kind: dir, count: countUntilFrom() };
  }
  return { kind: 'next', count: null };
}

export function parseClose(p: Parser, line: number): Stmt {
  const t = p.t;
  t.pos++;
  const cursor = cursorVar(p);
  t.expectPunct(';');
  return { k: 'close', line, cursor };
}

/** Whether `FOR x IN <here>` names a bound cursor (then parseForCursor takes over). */
export function isCursorLoop(p: Parser): boolean {
  const t = p.t;
  if (t.type() !== Tok.Ident && t.type() !== Tok.QIdent) return false;
  const v = p.ns.lookup(t.value());
  return v !== null && v.cursor !== null && (t.isPunct('(', t.pos + 1) || t.isKw('loop', t.pos + 1));
}
