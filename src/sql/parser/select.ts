/**
 * Queries: WITH, SELECT, VALUES, TABLE, set operations with SQL precedence (INTERSECT binds
 * tighter than UNION / EXCEPT; all left-associative), and the ORDER BY / LIMIT / OFFSET / FETCH /
 * FOR UPDATE tail.
 *
 * Invariants:
 * - parseSelectQuery is the single entry for any nested query; it counts query depth.
 * - A tail written after a set operation attaches to the SetOperation node; writing a second
 *   ORDER BY / LIMIT / OFFSET on an already-parenthesized query is an error, as in PostgreSQL.
 */
import { DbError } from '../../errors/index.ts';
import { Tok } from '../lexer.ts';
import { notBareLabel, reservedKeywords } from '../keywords.ts';
import type {
  CommonTableExpr, Expr, GroupByItem, IntoClause, LockingClause, ObjectName, QueryTail,
  ResTarget, SelectQuery, SelectStmt, SortBy, ValuesStmt, WindowDef, WithClause,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr, parseExprList, parseRestrictedExpr } from './expressions.ts';
import { parseSortList, parseWindowSpec } from './primary.ts';
import { parseFromList } from './from.ts';
import { parseDelete, parseInsert, parseUpdate } from './dml.ts';

const queryKeywords: ReadonlySet<string> = new Set(['select', 'values', 'with', 'table']);

/** True when the tokens at `offset` begin a query (optionally behind opening parentheses). */
export function isQueryStart(p: Parser, offset = 0, allowParen = true): boolean {
  while (true) {
    const t = p.peek(offset);
    if (t.type === Tok.Ident && queryKeywords.has(t.value)) {
      return t.value !== 'values' || p.isPunct('(', offset + 1);
    }
    if (!allowParen || t.type !== Tok.Punct || t.value !== '(') return false;
    offset++;
  }
}

const emptyTail: QueryTail = {
  with: null, orderBy: [], limit: null, limitWithTies: false, offset: null, locking: [],
};

/** A complete query: [WITH] body [ORDER BY] [LIMIT/OFFSET/FETCH] [FOR UPDATE ...]. */
export function parseSelectQuery(p: Parser, withClause: WithClause | null = null): SelectQuery {
  p.enterQuery();
  const w = withClause ?? (p.isKw('with') ? parseWithClause(p) : null);
  const body = parseSetOpExpr(p, null);
  const result = parseTail(p, body, w);
  p.queryDepth--;
  return result;
}

/** Continues a query whose first (parenthesized) operand is already parsed. */
export function continueSetOperation(p: Parser, first: SelectQuery): SelectQuery {
  p.enterQuery();
  const body = parseSetOpExpr(p, first);
  const result = parseTail(p, body, null);
  p.queryDepth--;
  return result;
}

function parseSetOpExpr(p: Parser, first: SelectQuery | null): SelectQuery {
  let left = parseIntersectExpr(p, first);
  while (p.isKw('union') || p.isKw('except')) {
    const op = p.next().value as 'union' | 'except';
    const all = p.acceptKw('all');
    if (!all) p.acceptKw('distinct');
    const right = parseIntersectExpr(p, null);
    left = { kind: 'SetOperation', op, all, left, right, ...emptyTail, loc: left.loc };
  }
  return left;
}

function parseIntersectExpr(p: Parser, first: SelectQuery | null): SelectQuery {
  let left = first ?? parseSimpleQuery(p);
  while (p.isKw('intersect')) {
    p.pos++;
    const all = p.acceptKw('all');
    if (!all) p.acceptKw('distinct');
    const right = parseSimpleQuery(p);
    left = { kind: 'SetOperation', op: 'intersect', all, left, right, ...emptyTail,
      loc: left.loc };
  }
  return left;
}

function parseSimpleQuery(p: Parser): SelectQuery {
  const t = p.peek();
  if (t.type === Tok.Punct && t.value === '(') {
    p.pos++;
    const q = parseSelectQuery(p);
    p.expectPunct(')');
    return q;
  }
  if (t.type === Tok.Ident) {
    if (t.value === 'select') return parseSelectCore(p);
    if (t.value === 'values') return parseValues(p);
    if (t.value === 'table') {
      p.pos++;
      const loc = p.loc;
      const only = p.acceptKw('only');
      const name = p.objectName();
      p.acceptOp('*');
      return {
        ...selectDefaults(t.start),
        targets: [{ kind: 'ResTarget', expr: { kind: 'ColumnRef', names: [], star: true, loc },
          alias: null, loc }],
        from: [{ kind: 'RangeVar', name, only, asOf: null, alias: null, loc }],
      };
    }
  }
  throw p.error();
}

function selectDefaults(loc: number): SelectStmt {
  return {
    kind: 'Select', ...emptyTail, distinct: false, distinctOn: null, targets: [], into: null,
    from: [], where: null, groupBy: [], groupByDistinct: false, having: null, windows: [], loc,
  };
}

export function parseValues(p: Parser): ValuesStmt {
  const loc = p.expectKw('values').start;
  const rows: Expr[][] = [];
  do {
    p.expectPunct('(');
    rows.push(parseExprList(p));
    p.expectPunct(')');
  } while (p.acceptPunct(','));
  return { kind: 'Values', ...emptyTail, rows, loc };
}

const afterTargets: ReadonlySet<string> = new Set([
  'from', 'where', 'group', 'having', 'window', 'union', 'intersect', 'except', 'order', 'limit',
  'offset', 'fetch', 'for', 'into',
]);

/** True when the select list is empty (`SELECT FROM t`, `SELECT;`). */
function endsTargetList(p: Parser): boolean {
  const t = p.peek();
  if (t.type === Tok.EOF) return true;
  if (t.type === Tok.Punct) return t.value === ')' || t.value === ';';
  return t.type === Tok.Ident && afterTargets.has(t.value);
}

function parseSelectCore(p: Parser): SelectStmt {
  const loc = p.expectKw('select').start;
  let distinct = false;
  let distinctOn: Expr[] | null = null;
  if (p.acceptKw('distinct')) {
    distinct = true;
    if (p.acceptKw('on')) {
      p.expectPunct('(');
      distinctOn = parseExprList(p);
      p.expectPunct(')');
    }
  } else {
    p.acceptKw('all');
  }
  const targets = endsTargetList(p) ? [] : parseTargetList(p);
  const into = p.isKw('into') ? parseInto(p) : null;
  const from = p.acceptKw('from') ? parseFromList(p) : [];
  const where = p.acceptKw('where') ? parseExpr(p) : null;
  let groupBy: GroupByItem[] = [];
  let groupByDistinct = false;
  if (p.isKw('group') && p.isKw('by', 1)) {
    p.pos += 2;
    if (p.acceptKw('distinct')) groupByDistinct = true;
    else p.acceptKw('all');
    groupBy = parseGroupByList(p);
  }
  const having = p.acceptKw('having') ? parseExpr(p) : null;
  const windows: WindowDef[] = [];
  if (p.acceptKw('window')) {
    do {
      const name = p.colId();
      p.expectKw('as');
      windows.push(parseWindowSpec(p, name));
    } while (p.acceptPunct(','));
  }
  return { ...selectDefaults(loc), distinct, distinctOn, targets, into, from, where, groupBy,
    groupByDistinct, having, windows };
}

function parseInto(p: Parser): IntoClause {
  const loc = p.expectKw('into').start;
  let persistence: IntoClause['persistence'] = 'permanent';
  if (p.acceptKw('temp') || p.acceptKw('temporary')) persistence = 'temp';
  else if (p.acceptKw('unlogged')) persistence = 'unlogged';
  p.acceptKw('table');
  return { kind: 'IntoClause', name: p.objectName(), persistence, loc };
}

/** Select list / RETURNING list. */
export function parseTargetList(p: Parser): ResTarget[] {
  const targets: ResTarget[] = [];
  do {
    const loc = p.loc;
    if (p.isOp('*')) {
      p.pos++;
      targets.push({ kind: 'ResTarget', expr: { kind: 'ColumnRef', names: [], star: true, loc },
        alias: null, loc });
      continue;
    }
    const expr = parseExpr(p);
    let alias: string | null = null;
    if (p.acceptKw('as')) {
      alias = p.colLabel();
    } else {
      const t = p.peek();
      if (t.type === Tok.QIdent ||
        (t.type === Tok.Ident && !reservedKeywords.has(t.value) && !notBareLabel.has(t.value))) {
        alias = p.next().value;
      }
    }
    targets.push({ kind: 'ResTarget', expr, alias, loc });
  } while (p.acceptPunct(','));
  return targets;
}

function parseGroupByList(p: Parser): GroupByItem[] {
  const items: GroupByItem[] = [];
  do items.push(parseGroupByItem(p)); while (p.acceptPunct(','));
  return items;
}

function parseGroupByItem(p: Parser): GroupByItem {
  const loc = p.loc;
  if (p.isPunct('(') && p.isPunct(')', 1)) {
    p.pos += 2;
    return { kind: 'GroupingSet', type: 'empty', items: [], loc };
  }
  if ((p.isKw('rollup') || p.isKw('cube')) && p.isPunct('(', 1)) {
    const type = p.next().value as 'rollup' | 'cube';
    p.pos++;
    const items = parseExprList(p);
    p.expectPunct(')');
    return { kind: 'GroupingSet', type, items, loc };
  }
  if (p.isKw('grouping') && p.isKw('sets', 1)) {
    p.pos += 2;
    p.expectPunct('(');
    const items = parseGroupByList(p);
    p.expectPunct(')');
    return { kind: 'GroupingSet', type: 'sets', items, loc };
  }
  return parseExpr(p);
}

export function parseWithClause(p: Parser): WithClause {
  const loc = p.expectKw('with').start;
  const recursive = p.acceptKw('recursive');
  const ctes: CommonTableExpr[] = [];
  do {
    const cloc = p.loc;
    const name = p.colId();
    const columns = p.isPunct('(') ? p.parenNameList() : null;
    p.expectKw('as');
    let materialized: CommonTableExpr['materialized'] = 'default';
    if (p.acceptKw('materialized')) materialized = 'materialized';
    else if (p.acceptKws('not', 'materialized')) materialized = 'not_materialized';
    p.expectPunct('(');
    let query: CommonTableExpr['query'];
    if (p.isKw('insert')) query = parseInsert(p, null);
    else if (p.isKw('update')) query = parseUpdate(p, null);
    else if (p.isKw('delete')) query = parseDelete(p, null);
    else query = parseSelectQuery(p);
    p.expectPunct(')');
    ctes.push({ kind: 'CommonTableExpr', name, columns, materialized, query, loc: cloc });
  } while (p.acceptPunct(','));
  return { kind: 'WithClause', recursive, ctes, loc };
}

function parseTail(p: Parser, body: SelectQuery, w: WithClause | null): SelectQuery {
  let orderBy: SortBy[] | null = null;
  let limit: Expr | null | undefined;
  let offset: Expr | null = null;
  let withTies = false;
  const locking: LockingClause[] = [];
  if (p.isKw('order') && p.isKw('by', 1)) {
    p.pos += 2;
    orderBy = parseSortList(p);
  }
  while (true) {
    if (p.isKw('limit') && limit === undefined) {
      p.pos++;
      limit = p.acceptKw('all') ? null : parseExpr(p);
    } else if (p.isKw('offset') && offset === null) {
      p.pos++;
      offset = parseRestrictedExpr(p);
      if (!p.acceptKw('rows')) p.acceptKw('row');
    } else if (p.isKw('fetch') && limit === undefined) {
      p.pos++;
      if (!p.acceptKw('first')) p.expectKw('next');
      limit = p.isKw('row') || p.isKw('rows') ? { kind: 'IntegerLiteral', value: '1', loc: p.loc }
        : parseRestrictedExpr(p);
      if (!p.acceptKw('rows')) p.expectKw('row');
      if (p.acceptKws('with', 'ties')) withTies = true;
      else p.expectKw('only');
    } else if (p.isKw('for') && !p.isKw('each', 1)) {
      locking.push(parseLocking(p));
    } else {
      break;
    }
  }
  if (orderBy === null && limit === undefined && offset === null && locking.length === 0 &&
    w === null) {
    return body;
  }
  const conflict = (what: string): never => {
    throw new DbError('syntax_error', `multiple ${what} clauses not allowed`,
      { position: p.loc + 1 });
  };
  if (orderBy !== null && body.orderBy.length > 0) conflict('ORDER BY');
  if (limit !== undefined && body.limit !== null) conflict('LIMIT');
  if (offset !== null && body.offset !== null) conflict('OFFSET');
  if (w !== null && body.with !== null) conflict('WITH');
  return {
    ...body,
    with: w ?? body.with,
    orderBy: orderBy ?? body.orderBy,
    limit: limit === undefined ? body.limit : limit,
    limitWithTies: limit === undefined ? body.limitWithTies : withTies,
    offset: offset ?? body.offset,
    locking: locking.length > 0 ? [...body.locking, ...locking] : body.locking,
  };
}

function parseLocking(p: Parser): LockingClause {
  const loc = p.expectKw('for').start;
  let strength: LockingClause['strength'];
  if (p.acceptKw('update')) strength = 'update';
  else if (p.acceptKw('share')) strength = 'share';
  else if (p.acceptKws('no', 'key', 'update')) strength = 'no_key_update';
  else if (p.acceptKws('key', 'share')) strength = 'key_share';
  else throw p.error();
  const of: ObjectName[] = [];
  if (p.acceptKw('of')) {
    do of.push(p.objectName()); while (p.acceptPunct(','));
  }
  let waitPolicy: LockingClause['waitPolicy'] = 'block';
  if (p.acceptKw('nowait')) waitPolicy = 'nowait';
  else if (p.acceptKws('skip', 'locked')) waitPolicy = 'skip_locked';
  return { kind: 'LockingClause', strength, of, waitPolicy, loc };
}
