/**
 * DDL for objects other than tables: schemas, views, materialized views, sequences, indexes,
 * DROP (all forms), COMMENT ON, REINDEX, REFRESH MATERIALIZED VIEW; plus the function parameter
 * and index element grammar that other files share.
 *
 * Invariants: view and index expressions keep their SourceText for the catalog.
 */
import { Tok } from '../lexer.ts';
import type {
  CommentObjectType, CommentStmt, CreateIndexStmt, CreateMaterializedViewStmt,
  CreateSchemaStmt, CreateSequenceStmt, CreateViewStmt, DropObjectType, Expr, FunctionParam,
  FunctionSignature, IndexElem, ObjectName, Persistence, ReindexStmt,
  RefreshMaterializedViewStmt, SortBy, SourceText, Statement,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr } from './expressions.ts';
import { parsePrimary } from './primary.ts';
import { parseSelectQuery } from './select.ts';
import { parseDropBehavior } from './dml.ts';
import { parseSequenceOptions, parseWithData } from './ddl.ts';
import { parseTypeName, typeKeywords } from './types.ts';

export function parseCreateSchema(p: Parser, loc: number): CreateSchemaStmt {
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  let name: string | null = null;
  if (!p.isKw('authorization')) name = p.colId();
  const authorization = p.acceptKw('authorization') ? p.nonReservedWord() : null;
  if (name === null && authorization === null) throw p.error();
  return { kind: 'CreateSchema', name, ifNotExists, authorization, loc };
}

export function parseCreateView(p: Parser, orReplace: boolean, persistence: Persistence,
  recursive: boolean, loc: number): CreateViewStmt {
  const name = p.objectName();
  const columns = p.isPunct('(') ? p.parenNameList() : null;
  p.expectKw('as');
  const start = p.loc;
  const query = parseSelectQuery(p);
  const source = p.source(start, p.prevEnd);
  let checkOption: CreateViewStmt['checkOption'] = 'none';
  if (p.isKw('with') && !p.isKw('data', 1) && !p.isKw('no', 1)) {
    p.pos++;
    if (p.acceptKw('local')) checkOption = 'local';
    else { p.acceptKw('cascaded'); checkOption = 'cascaded'; }
    p.expectKw('check');
    p.expectKw('option');
  }
  return { kind: 'CreateView', name, orReplace, persistence, recursive, columns, query, source,
    checkOption, loc };
}

export function parseCreateMatView(p: Parser, loc: number): CreateMaterializedViewStmt {
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  const name = p.objectName();
  const columns = p.isPunct('(') ? p.parenNameList() : null;
  p.expectKw('as');
  const start = p.loc;
  const query = parseSelectQuery(p);
  const source = p.source(start, p.prevEnd);
  return { kind: 'CreateMaterializedView', name, ifNotExists, columns, query, source,
    withData: parseWithData(p), loc };
}

export function parseRefresh(p: Parser, loc: number): RefreshMaterializedViewStmt {
  p.expectKw('materialized');
  p.expectKw('view');
  const concurrently = p.acceptKw('concurrently');
  const name = p.objectName();
  return { kind: 'RefreshMaterializedView', name, concurrently, withData: parseWithData(p), loc };
}

export function parseCreateSequence(p: Parser, persistence: Persistence, loc: number):
  CreateSequenceStmt {
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  const name = p.objectName();
  return { kind: 'CreateSequence', name, persistence, ifNotExists,
    options: parseSequenceOptions(p), loc };
}

/** After CREATE [UNIQUE] INDEX. */
export function parseCreateIndex(p: Parser, unique: boolean, loc: number): CreateIndexStmt {
  const concurrently = p.acceptKw('concurrently');
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  const name = ifNotExists || !p.isKw('on') ? p.colId() : null;
  p.expectKw('on');
  const only = p.acceptKw('only');
  const table = p.objectName();
  const method = p.acceptKw('using') ? p.nonReservedWord() : null;
  const elements = parseIndexElems(p);
  const include = p.acceptKw('include') ? p.parenNameList() : [];
  let nullsNotDistinct = false;
  if (p.acceptKws('nulls', 'not', 'distinct')) nullsNotDistinct = true;
  else p.acceptKws('nulls', 'distinct');
  let where: Expr | null = null;
  let whereSource: SourceText | null = null;
  if (p.acceptKw('where')) {
    const start = p.loc;
    where = parseExpr(p);
    whereSource = p.source(start, p.prevEnd);
  }
  return { kind: 'CreateIndex', name, unique, concurrently, ifNotExists, table, only, method,
    elements, include, nullsNotDistinct, where, whereSource, loc };
}

/** ( elem, ... ) for CREATE INDEX and ON CONFLICT. */
export function parseIndexElems(p: Parser): IndexElem[] {
  p.expectPunct('(');
  const elems: IndexElem[] = [];
  do elems.push(parseIndexElem(p)); while (p.acceptPunct(','));
  p.expectPunct(')');
  return elems;
}

function parseIndexElem(p: Parser): IndexElem {
  const loc = p.loc;
  let column: string | null = null;
  let expr: Expr | null = null;
  let source: SourceText | null = null;
  if (p.acceptPunct('(')) {
    const start = p.loc;
    expr = parseExpr(p);
    source = p.source(start, p.prevEnd);
    p.expectPunct(')');
  } else if (p.isPunct('(', 1) || (p.isPunct('.', 1) && p.isPunct('(', 3))) {
    expr = parsePrimary(p);
    source = p.source(loc, p.prevEnd);
  } else {
    column = p.colId();
  }
  const collation = p.acceptKw('collate') ? [...p.anyName()] : null;
  const opclass = p.isColId() && !p.isKw('nulls') ? [...p.anyName()] : null;
  let direction: SortBy['direction'] = 'default';
  if (p.acceptKw('asc')) direction = 'asc';
  else if (p.acceptKw('desc')) direction = 'desc';
  let nulls: SortBy['nulls'] = 'default';
  if (p.acceptKws('nulls', 'first')) nulls = 'first';
  else if (p.acceptKws('nulls', 'last')) nulls = 'last';
  return { kind: 'IndexElem', column, expr, source, collation, opclass, direction, nulls, loc };
}

export function parseReindex(p: Parser, loc: number): ReindexStmt {
  let target: ReindexStmt['target'];
  const w = p.peek().value;
  if (w === 'index' || w === 'table' || w === 'schema' || w === 'database' || w === 'system') {
    p.pos++;
    target = w;
  } else {
    throw p.error();
  }
  const concurrently = p.acceptKw('concurrently');
  const name = p.atEnd() ? null : p.objectName();
  return { kind: 'Reindex', target, name, concurrently, loc };
}

const dropTypes: ReadonlyMap<string, DropObjectType> = new Map([
  ['table', 'table'], ['view', 'view'], ['sequence', 'sequence'], ['schema', 'schema'],
  ['index', 'index'], ['type', 'type'], ['domain', 'domain'], ['extension', 'extension'],
]);

export function parseDrop(p: Parser, loc: number): Statement {
  const w = p.peek();
  if (w.type !== Tok.Ident) throw p.error();
  if (w.value === 'function' || w.value === 'procedure' || w.value === 'routine' ||
    w.value === 'aggregate') {
    p.pos++;
    const ifExists = p.acceptKws('if', 'exists');
    const functions: FunctionSignature[] = [];
    do functions.push(parseFunctionSignature(p)); while (p.acceptPunct(','));
    return { kind: 'DropFunction', objectType: w.value, ifExists, functions,
      behavior: parseDropBehavior(p), loc };
  }
  if (w.value === 'trigger') {
    p.pos++;
    const ifExists = p.acceptKws('if', 'exists');
    const name = p.colId();
    p.expectKw('on');
    const table = p.objectName();
    return { kind: 'DropTrigger', ifExists, name, table, behavior: parseDropBehavior(p), loc };
  }
  if (w.value === 'role' || w.value === 'user' || w.value === 'group') {
    p.pos++;
    const ifExists = p.acceptKws('if', 'exists');
    const names = [p.nonReservedWord()];
    while (p.acceptPunct(',')) names.push(p.nonReservedWord());
    return { kind: 'DropRole', roleType: w.value, ifExists, names, loc };
  }
  let objectType: DropObjectType | undefined;
  if (p.acceptKws('materialized', 'view')) objectType = 'materialized_view';
  else {
    objectType = dropTypes.get(w.value);
    if (objectType === undefined) throw p.error();
    p.pos++;
  }
  const concurrently = objectType === 'index' && p.acceptKw('concurrently');
  const ifExists = p.acceptKws('if', 'exists');
  const names: ObjectName[] = [p.objectName()];
  while (p.acceptPunct(',')) names.push(p.objectName());
  return { kind: 'Drop', objectType, ifExists, names, behavior: parseDropBehavior(p),
    concurrently, loc };
}

export function parseFunctionSignature(p: Parser): FunctionSignature {
  const loc = p.loc;
  const name = p.objectName();
  const params = p.isPunct('(') ? parseFunctionParams(p, false) : null;
  return { kind: 'FunctionSignature', name, params, loc };
}

const paramModes: ReadonlySet<string> = new Set(['in', 'out', 'inout', 'variadic']);

/** ( [mode] [name] type [DEFAULT expr], ... ) */
export function parseFunctionParams(p: Parser, allowDefaults: boolean): FunctionParam[] {
  p.expectPunct('(');
  const params: FunctionParam[] = [];
  if (!p.isPunct(')')) {
    do params.push(parseFunctionParam(p, allowDefaults)); while (p.acceptPunct(','));
  }
  p.expectPunct(')');
  return params;
}

function parseFunctionParam(p: Parser, allowDefaults: boolean): FunctionParam {
  const loc = p.loc;
  let mode: FunctionParam['mode'] = 'in';
  const t = p.peek();
  if (t.type === Tok.Ident && paramModes.has(t.value) &&
    (p.peek(1).type === Tok.Ident || p.peek(1).type === Tok.QIdent)) {
    p.pos++;
    mode = t.value as FunctionParam['mode'];
  }
  let name: string | null = null;
  const n = p.peek();
  const after = p.peek(1);
  const namePresent = (n.type === Tok.QIdent ||
    (n.type === Tok.Ident && !typeKeywords.has(n.value))) &&
    (after.type === Tok.Ident || after.type === Tok.QIdent) &&
    !(n.type === Tok.Ident && n.value === 'setof');
  if (namePresent) {
    name = p.next().value;
    const m = p.peek();
    if (m.type === Tok.Ident && paramModes.has(m.value) && p.peek(1).type === Tok.Ident) {
      p.pos++;
      mode = m.value as FunctionParam['mode'];
    }
  }
  const type = parseTypeName(p, false);
  let def: Expr | null = null;
  if (allowDefaults && (p.acceptKw('default') || p.acceptOp('='))) {
    const start = p.loc;
    def = parseExpr(p);
    return { kind: 'FunctionParam', name, mode, type, default: def, defaultSource: p.source(start, p.prevEnd), loc };
  }
  return { kind: 'FunctionParam', name, mode, type, default: def, loc };
}

const commentTypes: ReadonlyMap<string, CommentObjectType> = new Map([
  ['table', 'table'], ['column', 'column'], ['schema', 'schema'], ['view', 'view'],
  ['index', 'index'], ['sequence', 'sequence'], ['function', 'function'],
  ['procedure', 'procedure'], ['type', 'type'], ['role', 'role'], ['constraint', 'constraint'],
  ['trigger', 'trigger'], ['database', 'database'],
]);

export function parseComment(p: Parser, loc: number): CommentStmt {
  p.expectKw('on');
  let objectType: CommentObjectType | undefined;
  if (p.acceptKws('materialized', 'view')) objectType = 'materialized_view';
  else {
    objectType = commentTypes.get(p.peek().value);
    if (objectType === undefined || p.peek().type !== Tok.Ident) throw p.error();
    p.pos++;
  }
  const object = p.anyName();
  let args: FunctionParam[] | null = null;
  let onTable: ObjectName | null = null;
  if ((objectType === 'function' || objectType === 'procedure') && p.isPunct('(')) {
    args = parseFunctionParams(p, false);
  }
  if ((objectType === 'constraint' || objectType === 'trigger') && p.acceptKw('on')) {
    onTable = p.objectName();
  }
  p.expectKw('is');
  const comment = p.acceptKw('null') ? null : p.stringConst();
  return { kind: 'Comment', objectType, object, args, onTable, comment, loc };
}
