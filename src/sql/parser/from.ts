/**
 * FROM items: tables (with ONLY, `*`, Oxibase time travel `AS OF TIMESTAMP|TRANSACTION expr`),
 * subqueries, LATERAL, table functions (WITH ORDINALITY, ROWS FROM, column definition lists),
 * parenthesized joins, and the join operators.
 *
 * Invariants:
 * - `AS OF` directly after a table name is time travel only when followed by TIMESTAMP or
 *   TRANSACTION; otherwise AS starts an alias (so a table may still be aliased `of`).
 * - Joins are left-associative; `a JOIN b JOIN c ON x ON y` nests the inner join on the right,
 *   as gram.y does.
 */
import { Tok } from '../lexer.ts';
import type {
  Alias, AsOf, ColumnDefItem, Expr, JoinExpr, ObjectName, RangeFunction, TableRef,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr } from './expressions.ts';
import { parsePrimary } from './primary.ts';
import { isQueryStart, parseSelectQuery } from './select.ts';
import { parseTypeName } from './types.ts';

export function parseFromList(p: Parser): TableRef[] {
  const items: TableRef[] = [];
  do items.push(parseTableRef(p)); while (p.acceptPunct(','));
  return items;
}

export function parseTableRef(p: Parser): TableRef {
  return parseJoins(p, parseTablePrimary(p));
}

function isJoinStart(p: Parser): boolean {
  const t = p.peek();
  if (t.type !== Tok.Ident) return false;
  switch (t.value) {
    case 'join': case 'cross': case 'natural': case 'inner': case 'left': case 'right':
    case 'full':
      return true;
    default:
      return false;
  }
}

function parseJoins(p: Parser, left: TableRef): TableRef {
  while (isJoinStart(p)) {
    const loc = left.loc;
    if (p.acceptKw('cross')) {
      p.expectKw('join');
      const right = parseTablePrimary(p);
      left = join(left, right, 'cross', false, null, null, null, loc);
      continue;
    }
    const natural = p.acceptKw('natural');
    let joinType: JoinExpr['joinType'] = 'inner';
    if (p.acceptKw('left')) joinType = 'left';
    else if (p.acceptKw('right')) joinType = 'right';
    else if (p.acceptKw('full')) joinType = 'full';
    else p.acceptKw('inner');
    if (joinType !== 'inner') p.acceptKw('outer');
    p.expectKw('join');
    let right = parseTablePrimary(p);
    if (natural) {
      left = join(left, right, joinType, true, null, null, null, loc);
      continue;
    }
    if (isJoinStart(p)) right = parseJoins(p, right);
    if (p.acceptKw('on')) {
      left = join(left, right, joinType, false, parseExpr(p), null, null, loc);
    } else if (p.acceptKw('using')) {
      const cols = p.parenNameList();
      const usingAlias = p.acceptKw('as') ? p.colId() : null;
      left = join(left, right, joinType, false, null, cols, usingAlias, loc);
    } else {
      throw p.error();
    }
  }
  return left;
}

function join(left: TableRef, right: TableRef, joinType: JoinExpr['joinType'], natural: boolean,
  on: Expr | null, using: string[] | null, usingAlias: string | null, loc: number): JoinExpr {
  return { kind: 'JoinExpr', joinType, natural, left, right, on, using, usingAlias, alias: null,
    loc };
}

function parseTablePrimary(p: Parser): TableRef {
  const loc = p.loc;
  if (p.isPunct('(')) return parseParenFromItem(p, false);
  if (p.acceptKw('lateral')) {
    if (p.isPunct('(')) return parseParenFromItem(p, true);
    return parseFunctionItem(p, true, loc);
  }
  if (p.isKw('rows') && p.isKw('from', 1)) return parseFunctionItem(p, false, loc);
  if (p.acceptKw('only')) {
    const paren = p.acceptPunct('(');
    const name = p.objectName();
    if (paren) p.expectPunct(')');
    return finishRangeVar(p, name, true, loc);
  }
  if (isFunctionStart(p)) return parseFunctionItem(p, false, loc);
  const name = p.objectName();
  p.acceptOp('*');
  return finishRangeVar(p, name, false, loc);
}

/** name '(' or name.name '(' (also special-syntax functions like unnest, coalesce ...). */
function isFunctionStart(p: Parser): boolean {
  let i = 0;
  while (true) {
    const t = p.peek(i);
    if (t.type !== Tok.Ident && t.type !== Tok.QIdent) return false;
    if (p.isPunct('(', i + 1)) return true;
    if (!p.isPunct('.', i + 1)) return false;
    i += 2;
  }
}

function finishRangeVar(p: Parser, name: ObjectName, only: boolean, loc: number): TableRef {
  let asOf: AsOf | null = null;
  if (p.isKw('as') && p.isKw('of', 1) && (p.isKw('timestamp', 2) || p.isKw('transaction', 2))) {
    const aloc = p.loc;
    p.pos += 2;
    const type = p.next().value as AsOf['type'];
    asOf = { kind: 'AsOf', type, expr: parseExpr(p), loc: aloc };
  }
  return { kind: 'RangeVar', name, only, asOf, alias: parseOptAlias(p, false), loc };
}

function parseParenFromItem(p: Parser, lateral: boolean): TableRef {
  const loc = p.expectPunct('(').start;
  if (isQueryStart(p)) {
    const save = p.pos;
    const depth = p.queryDepth;
    const query = parseSelectQuery(p);
    if (p.acceptPunct(')')) {
      return { kind: 'RangeSubquery', lateral, query, alias: parseOptAlias(p, false), loc };
    }
    // `((SELECT ...) AS s JOIN t ON ...)`: not a subquery after all; reparse as a join.
    p.pos = save;
    p.queryDepth = depth;
  }
  if (lateral) throw p.error();
  const inner = parseTableRef(p);
  p.expectPunct(')');
  const alias = parseOptAlias(p, false);
  if (alias === null) return inner;
  if (inner.kind === 'JoinExpr') return { ...inner, alias };
  throw p.error();
}

function parseFunctionItem(p: Parser, lateral: boolean, loc: number): RangeFunction {
  let rowsFrom = false;
  const functions: Expr[] = [];
  if (p.isKw('rows') && p.isKw('from', 1)) {
    rowsFrom = true;
    p.pos += 2;
    p.expectPunct('(');
    do functions.push(parsePrimary(p)); while (p.acceptPunct(','));
    p.expectPunct(')');
  } else {
    functions.push(parsePrimary(p));
  }
  const ordinality = p.acceptKws('with', 'ordinality');
  let alias: Alias | null = null;
  let columnDefs: ColumnDefItem[] | null = null;
  if (p.isKw('as') && p.isPunct('(', 1)) {
    p.pos++;
    columnDefs = parseColumnDefList(p);
  } else {
    const aloc = p.loc;
    const hasAs = p.acceptKw('as');
    if (hasAs || p.isColId()) {
      const name = p.colId();
      let columns: string[] | null = null;
      if (p.isPunct('(')) {
        // AS t(a int, b text) is a column definition list; AS t(a, b) renames columns.
        if (p.peek(2).type === Tok.Punct) {
          columns = p.parenNameList();
        } else {
          columnDefs = parseColumnDefList(p);
        }
      }
      alias = { kind: 'Alias', name, columns, loc: aloc };
    }
  }
  return { kind: 'RangeFunction', lateral, rowsFrom, functions, ordinality, alias, columnDefs,
    loc };
}

function parseColumnDefList(p: Parser): ColumnDefItem[] {
  p.expectPunct('(');
  const defs: ColumnDefItem[] = [];
  do {
    const loc = p.loc;
    const name = p.colId();
    defs.push({ kind: 'ColumnDefItem', name, type: parseTypeName(p), loc });
  } while (p.acceptPunct(','));
  p.expectPunct(')');
  return defs;
}

/** [AS] alias [(col, ...)]; `requireAs` for contexts where a bare word would be ambiguous. */
export function parseOptAlias(p: Parser, requireAs: boolean): Alias | null {
  const loc = p.loc;
  if (p.acceptKw('as')) {
    const name = p.colId();
    return { kind: 'Alias', name, columns: p.isPunct('(') ? p.parenNameList() : null, loc };
  }
  if (requireAs || !p.isColId()) return null;
  const name = p.colId();
  return { kind: 'Alias', name, columns: p.isPunct('(') ? p.parenNameList() : null, loc };
}
