/**
 * CREATE TABLE (column definitions, column and table constraints, LIKE, CREATE TABLE AS) and the
 * sequence option list shared by CREATE/ALTER SEQUENCE and identity columns.
 *
 * Invariants:
 * - DEFAULT takes a restricted expression (gram.y's b_expr) so that `DEFAULT 0 NOT NULL` reads as
 *   two constraints.
 * - Every persisted expression records its SourceText (first token start .. last token end).
 * - Constraint attributes ([NOT] DEFERRABLE, INITIALLY ...) are folded into the constraint they
 *   follow.
 */
import type {
  ColumnConstraint, ColumnDef, CreateTableAsStmt, CreateTableStmt, Expr, ForeignKeyConstraint,
  IdentityConstraint, ObjectName, Persistence, RefAction, SequenceOption, SourceText,
  TableConstraint, TableElement, TableLike,
} from '../ast.ts';
import { Tok } from '../lexer.ts';
import type { Parser } from './parser.ts';
import { parseExpr, parseRestrictedExpr } from './expressions.ts';
import { parseSelectQuery } from './select.ts';
import { parseTypeName } from './types.ts';

/** After `CREATE [persistence] TABLE`. */
export function parseCreateTable(p: Parser, persistence: Persistence, loc: number):
  CreateTableStmt | CreateTableAsStmt {
  const ifNotExists = p.acceptKws('if', 'not', 'exists');
  const name = p.objectName();
  const isNameList = p.isPunct('(') && p.isColId(1) && (p.isPunct(',', 2) || p.isPunct(')', 2));
  if (p.isKw('as') || isNameList) {
    const columns = isNameList ? p.parenNameList() : null;
    p.expectKw('as');
    return parseCtasRest(p, name, persistence, ifNotExists, columns, loc);
  }
  p.expectPunct('(');
  const elements: TableElement[] = [];
  if (!p.isPunct(')')) {
    do elements.push(parseTableElement(p)); while (p.acceptPunct(','));
  }
  p.expectPunct(')');
  parseStorageParams(p);
  return { kind: 'CreateTable', name, persistence, ifNotExists, elements, loc };
}

/**
 * `WITH ( name [= value] [, ...] )` storage parameters (fillfactor, autovacuum_*, toast.*): parsed
 * for compatibility (pgbench -i, pg_dump output) and ignored — there are no heap pages to tune.
 * `WITHOUT OIDS` is accepted the same way.
 */
function parseStorageParams(p: Parser): void {
  if (p.acceptKws('without', 'oids')) return;
  if (!(p.isKw('with') && p.isPunct('(', 1))) return;
  p.next();
  p.expectPunct('(');
  do {
    p.colLabel();
    while (p.acceptPunct('.')) p.colLabel();
    if (p.acceptOp('=')) {
      if (p.type() === Tok.String) p.stringConst();
      else if (p.isColLabel()) p.colLabel();
      else p.signedNumber();
    }
  } while (p.acceptPunct(','));
  p.expectPunct(')');
}

function parseCtasRest(p: Parser, name: ObjectName, persistence: Persistence,
  ifNotExists: boolean, columns: string[] | null, loc: number): CreateTableAsStmt {
  const query = parseSelectQuery(p);
  const withData = parseWithData(p);
  return { kind: 'CreateTableAs', name, persistence, ifNotExists, columns, query, withData, loc };
}

/** [WITH [NO] DATA]; defaults to WITH DATA. */
export function parseWithData(p: Parser): boolean {
  if (p.acceptKws('with', 'no', 'data')) return false;
  p.acceptKws('with', 'data');
  return true;
}

function parseTableElement(p: Parser): TableElement {
  if (p.isKw('like')) return parseTableLike(p);
  if (p.isKw('constraint') || p.isKw('check') || p.isKw('primary') || p.isKw('unique') ||
    p.isKw('foreign')) {
    return parseTableConstraint(p);
  }
  return parseColumnDef(p);
}

function parseTableLike(p: Parser): TableLike {
  const loc = p.expectKw('like').start;
  const table = p.objectName();
  const including: string[] = [];
  const excluding: string[] = [];
  while (p.isKw('including') || p.isKw('excluding')) {
    const inc = p.next().value === 'including';
    (inc ? including : excluding).push(p.colLabel());
  }
  return { kind: 'TableLike', table, including, excluding, loc };
}

export function parseColumnDef(p: Parser): ColumnDef {
  const loc = p.loc;
  const name = p.colId();
  const type = parseTypeName(p);
  let collation: string[] | null = null;
  const constraints: ColumnConstraint[] = [];
  while (true) {
    if (p.acceptKw('collate')) {
      collation = [...p.anyName()];
      continue;
    }
    const c = parseColumnConstraint(p);
    if (c === null) break;
    constraints.push(c);
  }
  return { kind: 'ColumnDef', name, type, collation, constraints, loc };
}

/** Parses an expression and records its source text. */
function exprWithSource(p: Parser, restricted: boolean): { expr: Expr; source: SourceText } {
  const start = p.loc;
  const expr = restricted ? parseRestrictedExpr(p) : parseExpr(p);
  return { expr, source: p.source(start, p.prevEnd) };
}

function parseColumnConstraint(p: Parser): ColumnConstraint | null {
  const loc = p.loc;
  let name: string | null = null;
  if (p.acceptKw('constraint')) name = p.colId();
  if (p.acceptKws('not', 'null')) return { kind: 'NotNullConstraint', name, loc };
  if (p.acceptKw('null')) return { kind: 'NullConstraint', name, loc };
  if (p.acceptKw('default')) {
    return { kind: 'DefaultConstraint', name, ...exprWithSource(p, true), loc };
  }
  if (p.isKw('check')) return parseCheck(p, name, loc);
  if (p.acceptKws('primary', 'key')) {
    return { kind: 'PrimaryKeyConstraint', name, columns: [], include: [],
      ...parseTiming(p), loc };
  }
  if (p.acceptKw('unique')) {
    const nullsNotDistinct = parseNullsDistinct(p);
    return { kind: 'UniqueConstraint', name, columns: [], include: [], nullsNotDistinct,
      ...parseTiming(p), loc };
  }
  if (p.isKw('references')) return parseReferences(p, name, [], loc);
  if (p.acceptKw('generated')) {
    let always = true;
    if (!p.acceptKw('always')) {
      p.expectKw('by');
      p.expectKw('default');
      always = false;
    }
    p.expectKw('as');
    if (p.acceptKw('identity')) {
      const options = p.isPunct('(') ? parseParenSequenceOptions(p) : [];
      return { kind: 'IdentityConstraint', name, always, options, loc };
    }
    if (!always) throw p.error();
    p.expectPunct('(');
    const { expr, source } = exprWithSource(p, false);
    p.expectPunct(')');
    p.expectKw('stored');
    return { kind: 'GeneratedConstraint', name, expr, source, loc };
  }
  if (name !== null) throw p.error();
  return null;
}

/** Parses `GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]` after ADD. */
export function parseIdentity(p: Parser): IdentityConstraint {
  const c = parseColumnConstraint(p);
  if (c === null || c.kind !== 'IdentityConstraint') throw p.error();
  return c;
}

function parseNullsDistinct(p: Parser): boolean {
  if (p.acceptKws('nulls', 'not', 'distinct')) return true;
  p.acceptKws('nulls', 'distinct');
  return false;
}

function parseCheck(p: Parser, name: string | null, loc: number): TableConstraint {
  p.expectKw('check');
  p.expectPunct('(');
  const { expr, source } = exprWithSource(p, false);
  p.expectPunct(')');
  let noInherit = false;
  let notValid = false;
  while (true) {
    if (p.acceptKws('no', 'inherit')) noInherit = true;
    else if (p.acceptKws('not', 'valid')) notValid = true;
    else break;
  }
  return { kind: 'CheckConstraint', name, expr, source, noInherit, notValid, loc };
}

function parseTiming(p: Parser): { deferrable: boolean; initiallyDeferred: boolean } {
  let deferrable = false;
  let initiallyDeferred = false;
  while (true) {
    if (p.acceptKw('deferrable')) deferrable = true;
    else if (p.acceptKws('not', 'deferrable')) deferrable = false;
    else if (p.acceptKws('initially', 'deferred')) initiallyDeferred = true;
    else if (p.acceptKws('initially', 'immediate')) initiallyDeferred = false;
    else break;
  }
  return { deferrable: deferrable || initiallyDeferred, initiallyDeferred };
}

function parseRefAction(p: Parser): RefAction {
  const loc = p.loc;
  let type: RefAction['type'];
  let columns: string[] | null = null;
  if (p.acceptKws('no', 'action')) type = 'no_action';
  else if (p.acceptKw('restrict')) type = 'restrict';
  else if (p.acceptKw('cascade')) type = 'cascade';
  else if (p.acceptKws('set', 'null')) type = 'set_null';
  else if (p.acceptKws('set', 'default')) type = 'set_default';
  else throw p.error();
  if ((type === 'set_null' || type === 'set_default') && p.isPunct('(')) {
    columns = p.parenNameList();
  }
  return { kind: 'RefAction', type, columns, loc };
}

function parseReferences(p: Parser, name: string | null, columns: string[], loc: number):
  ForeignKeyConstraint {
  p.expectKw('references');
  const refTable = p.objectName();
  const refColumns = p.isPunct('(') ? p.parenNameList() : null;
  let match: ForeignKeyConstraint['match'] = 'simple';
  let onDelete: RefAction | null = null;
  let onUpdate: RefAction | null = null;
  while (true) {
    if (p.acceptKw('match')) {
      if (p.acceptKw('full')) match = 'full';
      else if (p.acceptKw('partial')) match = 'partial';
      else { p.expectKw('simple'); match = 'simple'; }
    } else if (p.acceptKws('on', 'delete')) {
      onDelete = parseRefAction(p);
    } else if (p.acceptKws('on', 'update')) {
      onUpdate = parseRefAction(p);
    } else {
      break;
    }
  }
  const timing = parseTiming(p);
  const notValid = p.acceptKws('not', 'valid');
  return { kind: 'ForeignKeyConstraint', name, columns, refTable, refColumns, match, onDelete,
    onUpdate, notValid, ...timing, loc };
}

function parseInclude(p: Parser): string[] {
  return p.acceptKw('include') ? p.parenNameList() : [];
}

export function parseTableConstraint(p: Parser): TableConstraint {
  const loc = p.loc;
  let name: string | null = null;
  if (p.acceptKw('constraint')) name = p.colId();
  if (p.isKw('check')) return parseCheck(p, name, loc);
  if (p.acceptKws('primary', 'key')) {
    const columns = p.parenNameList();
    const include = parseInclude(p);
    return { kind: 'PrimaryKeyConstraint', name, columns, include, ...parseTiming(p), loc };
  }
  if (p.acceptKw('unique')) {
    const nullsNotDistinct = parseNullsDistinct(p);
    const columns = p.parenNameList();
    const include = parseInclude(p);
    return { kind: 'UniqueConstraint', name, columns, include, nullsNotDistinct,
      ...parseTiming(p), loc };
  }
  if (p.acceptKws('foreign', 'key')) {
    const columns = p.parenNameList();
    return parseReferences(p, name, columns, loc);
  }
  throw p.error();
}

export function parseParenSequenceOptions(p: Parser): SequenceOption[] {
  p.expectPunct('(');
  const options = parseSequenceOptions(p);
  p.expectPunct(')');
  return options;
}

/** Zero or more sequence options (CREATE/ALTER SEQUENCE, identity columns). */
export function parseSequenceOptions(p: Parser): SequenceOption[] {
  const options: SequenceOption[] = [];
  while (true) {
    const loc = p.loc;
    if (p.acceptKw('as')) {
      options.push({ kind: 'SeqOptAs', type: parseTypeName(p), loc });
    } else if (p.acceptKw('increment')) {
      p.acceptKw('by');
      options.push({ kind: 'SeqOptNumber', option: 'increment', value: p.signedNumber(), loc });
    } else if (p.acceptKw('minvalue') || p.acceptKw('maxvalue') || p.acceptKw('cache')) {
      const option = p.value(-1) as 'minvalue' | 'maxvalue' | 'cache';
      options.push({ kind: 'SeqOptNumber', option, value: p.signedNumber(), loc });
    } else if (p.acceptKws('no', 'minvalue') || p.acceptKws('no', 'maxvalue')) {
      const option = p.value(-1) as 'minvalue' | 'maxvalue';
      options.push({ kind: 'SeqOptNumber', option, value: null, loc });
    } else if (p.acceptKw('start')) {
      p.acceptKw('with');
      options.push({ kind: 'SeqOptNumber', option: 'start', value: p.signedNumber(), loc });
    } else if (p.acceptKw('restart')) {
      const hasWith = p.acceptKw('with');
      const t = p.peek();
      const isNum = t.type === Tok.Integer || t.type === Tok.Numeric || p.isOp('-') || p.isOp('+');
      if (hasWith && !isNum) throw p.error();
      options.push({ kind: 'SeqOptNumber', option: 'restart',
        value: isNum ? p.signedNumber() : null, loc });
    } else if (p.acceptKw('cycle')) {
      options.push({ kind: 'SeqOptCycle', cycle: true, loc });
    } else if (p.acceptKws('no', 'cycle')) {
      options.push({ kind: 'SeqOptCycle', cycle: false, loc });
    } else if (p.acceptKws('owned', 'by')) {
      const owner = p.acceptKw('none') ? null : p.anyName();
      options.push({ kind: 'SeqOptOwnedBy', owner, loc });
    } else if (p.acceptKws('sequence', 'name')) {
      options.push({ kind: 'SeqOptName', name: p.objectName(), loc });
    } else {
      return options;
    }
  }
}
