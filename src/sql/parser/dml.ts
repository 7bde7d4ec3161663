/**
 * INSERT / UPDATE / DELETE / TRUNCATE.
 *
 * Invariants:
 * - The caller has parsed a leading WITH clause (if any) and passes it in.
 * - UPDATE's optional alias may not be the word SET (gram.y resolves `UPDATE t SET` the same way).
 */
import type {
  DeleteStmt, DropBehavior, Expr, IndexElem, Indirection, InsertStmt, OnConflict, RelationRef,
  ResTarget, SetClause, SetTarget, TruncateStmt, UpdateStmt, WithClause,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr } from './expressions.ts';
import { parseFromList } from './from.ts';
import { parseSelectQuery, parseTargetList } from './select.ts';
import { parseIndexElems } from './ddl-objects.ts';
import { parseSubscriptBounds } from './primary.ts';

export function parseInsert(p: Parser, w: WithClause | null): InsertStmt {
  const loc = w?.loc ?? p.loc;
  p.expectKw('insert');
  p.expectKw('into');
  const table = p.objectName();
  const alias = p.acceptKw('as') ? p.colId() : null;
  let columns: SetTarget[] = [];
  if (p.isPunct('(') && !isQueryAfterParen(p)) {
    p.pos++;
    do columns.push(parseSetTarget(p)); while (p.acceptPunct(','));
    p.expectPunct(')');
  }
  let overriding: InsertStmt['overriding'] = null;
  if (p.acceptKw('overriding')) {
    if (p.acceptKw('system')) overriding = 'system';
    else { p.expectKw('user'); overriding = 'user'; }
    p.expectKw('value');
  }
  let source: InsertStmt['source'] = null;
  if (!p.acceptKws('default', 'values')) source = parseSelectQuery(p);
  let onConflict: OnConflict | null = null;
  if (p.isKw('on') && p.isKw('conflict', 1)) onConflict = parseOnConflict(p);
  const returning = parseReturning(p);
  return { kind: 'Insert', with: w, table, alias, columns, overriding, source, onConflict,
    returning, loc };
}

function isQueryAfterParen(p: Parser): boolean {
  let i = 0;
  while (p.isPunct('(', i)) i++;
  return p.isKw('select', i) || p.isKw('values', i) || p.isKw('with', i) || p.isKw('table', i);
}

function parseOnConflict(p: Parser): OnConflict {
  const loc = p.loc;
  p.pos += 2;
  let target: OnConflict['target'] = null;
  if (p.isPunct('(')) {
    const tloc = p.loc;
    const elements: IndexElem[] = parseIndexElems(p);
    const where = p.acceptKw('where') ? parseExpr(p) : null;
    target = { kind: 'ConflictTarget', elements, where, constraint: null, loc: tloc };
  } else if (p.isKw('on') && p.isKw('constraint', 1)) {
    const tloc = p.loc;
    p.pos += 2;
    target = { kind: 'ConflictTarget', elements: [], where: null, constraint: p.colId(),
      loc: tloc };
  }
  p.expectKw('do');
  if (p.acceptKw('nothing')) {
    return { kind: 'OnConflict', target, action: 'nothing', set: [], where: null, loc };
  }
  p.expectKw('update');
  p.expectKw('set');
  const set = parseSetClauses(p);
  const where = p.acceptKw('where') ? parseExpr(p) : null;
  return { kind: 'OnConflict', target, action: 'update', set, where, loc };
}

export function parseReturning(p: Parser): ResTarget[] {
  return p.acceptKw('returning') ? parseTargetList(p) : [];
}

/** column [ '[' sub ']' | '.' field ]* */
function parseSetTarget(p: Parser): SetTarget {
  const loc = p.loc;
  const name = p.colId();
  const indirection: Indirection[] = [];
  while (true) {
    const iloc = p.loc;
    if (p.acceptPunct('[')) {
      const { lower, upper, slice } = parseSubscriptBounds(p);
      indirection.push({ kind: 'IndexIndirection', slice, lower, upper, loc: iloc });
    } else if (p.acceptPunct('.')) {
      indirection.push({ kind: 'FieldIndirection', name: p.colLabel(), loc: iloc });
    } else {
      break;
    }
  }
  return { kind: 'SetTarget', name, indirection, loc };
}

export function parseSetClauses(p: Parser): SetClause[] {
  const clauses: SetClause[] = [];
  do {
    const loc = p.loc;
    if (p.acceptPunct('(')) {
      const targets: SetTarget[] = [];
      do targets.push(parseSetTarget(p)); while (p.acceptPunct(','));
      p.expectPunct(')');
      p.expectOp('=');
      clauses.push({ kind: 'SetClause', targets, multi: true, value: parseExpr(p), loc });
    } else {
      const target = parseSetTarget(p);
      p.expectOp('=');
      clauses.push({ kind: 'SetClause', targets: [target], multi: false, value: parseExpr(p),
        loc });
    }
  } while (p.acceptPunct(','));
  return clauses;
}

/** WHERE expr | WHERE CURRENT OF cursor */
function parseWhereOrCurrent(p: Parser): { where: Expr | null; currentOf: string | null } {
  if (!p.acceptKw('where')) return { where: null, currentOf: null };
  if (p.isKw('current') && p.isKw('of', 1)) {
    p.pos += 2;
    return { where: null, currentOf: p.colId() };
  }
  return { where: parseExpr(p), currentOf: null };
}

export function parseUpdate(p: Parser, w: WithClause | null): UpdateStmt {
  const loc = w?.loc ?? p.loc;
  p.expectKw('update');
  const only = p.acceptKw('only');
  const table = p.objectName();
  p.acceptOp('*');
  let alias: string | null = null;
  if (p.acceptKw('as')) alias = p.colId();
  else if (p.isColId() && !p.isKw('set')) alias = p.colId();
  p.expectKw('set');
  const set = parseSetClauses(p);
  const from = p.acceptKw('from') ? parseFromList(p) : [];
  const { where, currentOf } = parseWhereOrCurrent(p);
  const returning = parseReturning(p);
  return { kind: 'Update', with: w, table, only, alias, set, from, where, currentOf, returning,
    loc };
}

export function parseDelete(p: Parser, w: WithClause | null): DeleteStmt {
  const loc = w?.loc ?? p.loc;
  p.expectKw('delete');
  p.expectKw('from');
  const only = p.acceptKw('only');
  const table = p.objectName();
  p.acceptOp('*');
  let alias: string | null = null;
  if (p.acceptKw('as')) alias = p.colId();
  else if (p.isColId()) alias = p.colId();
  const using = p.acceptKw('using') ? parseFromList(p) : [];
  const { where, currentOf } = parseWhereOrCurrent(p);
  const returning = parseReturning(p);
  return { kind: 'Delete', with: w, table, only, alias, using, where, currentOf, returning, loc };
}

export function parseDropBehavior(p: Parser): DropBehavior {
  if (p.acceptKw('cascade')) return 'cascade';
  if (p.acceptKw('restrict')) return 'restrict';
  return 'default';
}

export function parseTruncate(p: Parser): TruncateStmt {
  const loc = p.expectKw('truncate').start;
  p.acceptKw('table');
  const tables: RelationRef[] = [];
  do {
    const tloc = p.loc;
    const only = p.acceptKw('only');
    const name = p.objectName();
    p.acceptOp('*');
    tables.push({ kind: 'RelationRef', name, only, loc: tloc });
  } while (p.acceptPunct(','));
  let restartIdentity = false;
  if (p.acceptKws('restart', 'identity')) restartIdentity = true;
  else p.acceptKws('continue', 'identity');
  return { kind: 'Truncate', tables, restartIdentity, behavior: parseDropBehavior(p), loc };
}
