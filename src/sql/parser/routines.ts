/**
 * Routines and miscellany: CREATE FUNCTION / PROCEDURE, CREATE TRIGGER, DO, CALL, COPY, LISTEN /
 * UNLISTEN / NOTIFY.
 *
 * Invariants: function bodies given as strings are kept verbatim (the body language is not parsed
 * here); a SQL-standard body (`RETURN expr` / `BEGIN ATOMIC ... END`) is parsed into statements,
 * `RETURN expr` becoming `SELECT expr`.
 */
import { Tok } from '../lexer.ts';
import type {
  CallStmt, ColumnDef, CopyOption, CopyStmt, CreateFunctionStmt, CreateTriggerStmt, DoStmt,
  Expr, ListenStmt, NotifyStmt, RoutineOption, Statement, TypeName, UnlistenStmt,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr } from './expressions.ts';
import { parsePrimary } from './primary.ts';
import { parseFunctionParams } from './ddl-objects.ts';
import { parseTypeName } from './types.ts';
import { parseStatement } from './statement.ts';
import { parseSelectQuery } from './select.ts';

export function parseCreateFunction(p: Parser, orReplace: boolean, isProcedure: boolean,
  loc: number): CreateFunctionStmt {
  const name = p.objectName();
  const params = parseFunctionParams(p, true);
  let returns: TypeName | null = null;
  let returnsTable: ColumnDef[] | null = null;
  if (!isProcedure && p.acceptKw('returns')) {
    if (p.acceptKw('table')) {
      p.expectPunct('(');
      returnsTable = [];
      do {
        const cloc = p.loc;
        const cname = p.colId();
        returnsTable.push({ kind: 'ColumnDef', name: cname, type: parseTypeName(p),
          collation: null, constraints: [], loc: cloc });
      } while (p.acceptPunct(','));
      p.expectPunct(')');
    } else {
      returns = parseTypeName(p, true);
    }
  }
  const options: RoutineOption[] = [];
  let sqlBody: Statement[] | null = null;
  let sqlBodySource: string | undefined;
  while (true) {
    const oloc = p.loc;
    const opt = (name: string, value: RoutineOption['value']): void => {
      options.push({ kind: 'RoutineOption', name, value, loc: oloc });
    };
    if (p.acceptKw('language')) opt('language', p.nonReservedWord().toLowerCase());
    else if (p.acceptKw('as')) {
      const values = [p.stringConst()];
      if (p.acceptPunct(',')) values.push(p.stringConst());
      opt('as', values.length === 1 ? values[0]! : values);
    } else if (p.acceptKw('immutable') || p.acceptKw('stable') || p.acceptKw('volatile')) {
      opt('volatility', p.value(-1));
    } else if (p.acceptKws('not', 'leakproof')) opt('leakproof', false);
    else if (p.acceptKw('leakproof')) opt('leakproof', true);
    else if (p.acceptKw('strict') || p.acceptKws('returns', 'null', 'on', 'null', 'input')) {
      opt('strict', true);
    } else if (p.acceptKws('called', 'on', 'null', 'input')) opt('strict', false);
    else if (p.acceptKw('security') || p.acceptKws('external', 'security')) {
      if (p.acceptKw('definer')) opt('security', 'definer');
      else { p.expectKw('invoker'); opt('security', 'invoker'); }
    } else if (p.acceptKw('parallel')) opt('parallel', p.nonReservedWord());
    else if (p.acceptKw('cost')) opt('cost', p.signedNumber());
    else if (p.acceptKw('rows')) opt('rows', p.signedNumber());
    else if (p.acceptKw('window')) opt('window', true);
    else if (p.isKw('set')) {
      const s = parseStatement(p);
      if (s.kind !== 'Set') throw p.error();
      opt('set', [s.name, ...(s.values ?? []).map((v) => v.value)]);
    } else if (p.acceptKw('return')) {
      const start = p.loc;
      const expr = parseExpr(p);
      sqlBodySource = `SELECT ${p.source(start, p.prevEnd).text}`;
      sqlBody = [{ kind: 'Select', with: null, orderBy: [], limit: null, limitWithTies: false,
        offset: null, locking: [], distinct: false, distinctOn: null,
        targets: [{ kind: 'ResTarget', expr, alias: null, loc: start }], into: null, from: [],
        where: null, groupBy: [], groupByDistinct: false, having: null, windows: [],
        loc: start }];
    } else if (p.acceptKws('begin', 'atomic')) {
      sqlBody = [];
      const start = p.loc;
      let end = start;
      while (true) {
        while (p.acceptPunct(';')) { /* skip */ }
        if (p.isKw('end')) { end = p.loc; p.pos++; break; }
        sqlBody.push(parseStatement(p));
      }
      sqlBodySource = p.source(start, end).text;
    } else break;
  }
  return { kind: 'CreateFunction', isProcedure, orReplace, name, params, returns, returnsTable,
    options, sqlBody, ...(sqlBodySource !== undefined ? { sqlBodySource } : {}), loc };
}

/** CREATE [OR REPLACE] [CONSTRAINT] TRIGGER; current token is CONSTRAINT or TRIGGER. */
export function parseCreateTrigger(p: Parser, orReplace: boolean, loc: number):
  CreateTriggerStmt {
  const constraint = p.acceptKw('constraint');
  p.expectKw('trigger');
  const name = p.colId();
  let timing: CreateTriggerStmt['timing'];
  if (p.acceptKw('before')) timing = 'before';
  else if (p.acceptKw('after')) timing = 'after';
  else if (p.acceptKws('instead', 'of')) timing = 'instead_of';
  else throw p.error();
  const events: CreateTriggerStmt['events'][number][] = [];
  let updateColumns: string[] = [];
  do {
    const t = p.next();
    if (t.value !== 'insert' && t.value !== 'update' && t.value !== 'delete' &&
      t.value !== 'truncate') throw p.error(t);
    events.push(t.value);
    if (t.value === 'update' && p.acceptKw('of')) updateColumns = p.nameList();
  } while (p.acceptKw('or'));
  p.expectKw('on');
  const table = p.objectName();
  if (p.acceptKw('from')) p.objectName();
  while (p.acceptKw('deferrable') || p.acceptKws('not', 'deferrable') ||
    p.acceptKws('initially', 'deferred') || p.acceptKws('initially', 'immediate')) { /* skip */ }
  let oldTable: string | null = null;
  let newTable: string | null = null;
  if (p.acceptKw('referencing')) {
    while (p.isKw('old') || p.isKw('new')) {
      const which = p.next().value;
      if (!p.acceptKw('table')) p.expectKw('row');
      p.acceptKw('as');
      const n = p.colId();
      if (which === 'old') oldTable = n; else newTable = n;
    }
  }
  let forEach: CreateTriggerStmt['forEach'] = 'statement';
  if (p.acceptKw('for')) {
    p.acceptKw('each');
    if (p.acceptKw('row')) forEach = 'row';
    else p.expectKw('statement');
  }
  let when: Expr | null = null;
  let whenSource: string | undefined;
  if (p.acceptKw('when')) {
    p.expectPunct('(');
    const start = p.loc;
    when = parseExpr(p);
    whenSource = p.source(start, p.prevEnd).text;
    p.expectPunct(')');
  }
  p.expectKw('execute');
  if (!p.acceptKw('function')) p.expectKw('procedure');
  const fn = p.objectName();
  p.expectPunct('(');
  const args: string[] = [];
  if (!p.isPunct(')')) {
    do {
      const t = p.next();
      if (t.type === Tok.EOF || t.type === Tok.Punct || t.type === Tok.Op) throw p.error(t);
      args.push(t.value);
    } while (p.acceptPunct(','));
  }
  p.expectPunct(')');
  return { kind: 'CreateTrigger', orReplace, constraint, name, timing, events, updateColumns,
    table, forEach, oldTable, newTable, when, ...(whenSource !== undefined ? { whenSource } : {}), function: fn, args, loc };
}

export function parseDo(p: Parser, loc: number): DoStmt {
  let language: string | null = null;
  if (p.acceptKw('language')) language = p.nonReservedWord();
  const code = p.stringConst();
  if (language === null && p.acceptKw('language')) language = p.nonReservedWord();
  return { kind: 'Do', code, language, loc };
}

export function parseCall(p: Parser, loc: number): CallStmt {
  const call = parsePrimary(p);
  if (call.kind !== 'FuncCall') throw p.error();
  return { kind: 'Call', call, loc };
}

export function parseCopy(p: Parser, loc: number): CopyStmt {
  let table: CopyStmt['table'] = null;
  let columns: string[] | null = null;
  let query: Statement | null = null;
  if (p.acceptPunct('(')) {
    query = p.isKw('insert') || p.isKw('update') || p.isKw('delete') ? parseStatement(p)
      : parseSelectQuery(p);
    p.expectPunct(')');
  } else {
    table = p.objectName();
    if (p.isPunct('(')) columns = p.parenNameList();
  }
  let isFrom: boolean;
  if (p.acceptKw('from')) isFrom = true;
  else { p.expectKw('to'); isFrom = false; }
  let target: CopyStmt['target'] = 'stdio';
  let filename: string | null = null;
  if (p.acceptKw('stdin') || p.acceptKw('stdout')) target = 'stdio';
  else if (p.acceptKw('program')) { target = 'program'; filename = p.stringConst(); }
  else { target = 'file'; filename = p.stringConst(); }
  const options: CopyOption[] = [];
  p.acceptKw('with');
  if (p.acceptPunct('(')) {
    do {
      const oloc = p.loc;
      const name = p.colLabel();
      let value: CopyOption['value'] = null;
      const t = p.peek();
      if (p.isPunct('(')) value = p.parenNameList();
      else if (t.type === Tok.String || t.type === Tok.Ident || t.type === Tok.QIdent ||
        t.type === Tok.Integer) {
        p.pos++;
        value = t.value;
      }
      options.push({ kind: 'CopyOption', name, value, loc: oloc });
    } while (p.acceptPunct(','));
    p.expectPunct(')');
  } else {
    // Legacy option syntax (pre-9.0): BINARY, CSV, HEADER, DELIMITER [AS] 'c', NULL [AS] 's'.
    while (true) {
      const oloc = p.loc;
      const push = (name: string, value: string | null): void => {
        options.push({ kind: 'CopyOption', name, value, loc: oloc });
      };
      if (p.acceptKw('binary')) push('format', 'binary');
      else if (p.acceptKw('csv')) push('format', 'csv');
      else if (p.acceptKw('header')) push('header', null);
      else if (p.acceptKw('delimiter') || p.acceptKw('null') || p.acceptKw('quote') ||
        p.acceptKw('escape')) {
        const name = p.value(-1);
        p.acceptKw('as');
        push(name, p.stringConst());
      } else break;
    }
  }
  const where = isFrom && p.acceptKw('where') ? parseExpr(p) : null;
  return { kind: 'Copy', table, columns, query, isFrom, target, filename, options, where, loc };
}

export function parseListen(p: Parser, loc: number): ListenStmt {
  return { kind: 'Listen', channel: p.colId(), loc };
}

export function parseUnlisten(p: Parser, loc: number): UnlistenStmt {
  if (p.acceptOp('*')) return { kind: 'Unlisten', channel: null, loc };
  return { kind: 'Unlisten', channel: p.colId(), loc };
}

export function parseNotify(p: Parser, loc: number): NotifyStmt {
  const channel = p.colId();
  const payload = p.acceptPunct(',') ? p.stringConst() : null;
  return { kind: 'Notify', channel, payload, loc };
}
