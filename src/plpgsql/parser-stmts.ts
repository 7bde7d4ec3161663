/**
 * PL/pgSQL statements (pl_gram.y's proc_stmt): control flow, RETURN variants, RAISE, PERFORM,
 * EXECUTE, GET DIAGNOSTICS and plain SQL statements with an optional INTO clause.
 */
import { Tok } from '../sql/index.ts';
import { Types } from '../types/sql-type.ts';
import type {
  DiagItem, DynamicSql, IntoClause, RaiseLevel, RaiseOption, SqlExpr, Stmt, Target,
} from './ast.ts';
import { conditionCode, isValidSqlState } from './conditions.ts';
import { parseBlock, parseStmtList } from './parser-block.ts';
import type { Parser } from './parser-core.ts';
import { buildFragment, scanUntil } from './sql-frag.ts';
import { cursorArgsOf, isCursorLoop, parseClose, parseFetch, parseOpen } from './parser-cursors.ts';

const SQL_STARTERS = new Set([
  'select', 'insert', 'update', 'delete', 'with', 'values', 'create', 'drop', 'alter', 'truncate', 'call',
  'lock', 'grant', 'revoke', 'set', 'reset', 'notify', 'listen', 'unlisten', 'comment', 'analyze',
  'vacuum', 'refresh', 'merge', 'discard', 'explain', 'table', 'savepoint', 'release',
]);
/** Statements that are planned (and so prepared once); everything else is a utility statement. */
const PLANNABLE = new Set(['select', 'insert', 'update', 'delete', 'with', 'values', 'table', 'merge']);
const RAISE_LEVELS = new Set(['debug', 'log', 'info', 'notice', 'warning', 'exception']);
const RAISE_OPTIONS = new Set(['message', 'detail', 'hint', 'errcode', 'column', 'constraint', 'datatype', 'table', 'schema']);
const DIAG_ITEMS = new Set<string>([
  'row_count', 'pg_context', 'returned_sqlstate', 'message_text', 'pg_exception_detail', 'pg_exception_hint',
  'pg_exception_context', 'column_name', 'constraint_name', 'table_name', 'schema_name', 'pg_datatype_name',
]);
const STACKED_ONLY = new Set(['returned_sqlstate', 'message_text', 'pg_exception_detail', 'pg_exception_hint',
  'pg_exception_context', 'column_name', 'constraint_name', 'table_name', 'schema_name', 'pg_datatype_name']);

export function parseStatement(p: Parser): Stmt {
  const t = p.t;
  const line = t.line();
  const labelAt = t.pos;
  const label = p.label();
  if (label !== null) {
    if (!['declare', 'begin', 'loop', 'while', 'for', 'foreach'].some((k) => t.isKw(k))) throw t.syntaxError();
  }
  if (t.isIdent() && isAssignment(p)) return parseAssignment(p, line);
  const kw = t.type() === Tok.Ident ? t.value() : '';
  switch (kw) {
    case 'declare':
    case 'begin': {
      const block = parseBlock(p, label);
      t.expectPunct(';');
      return { k: 'block', line, block };
    }
    case 'if': return parseIf(p, line);
    case 'case': return parseCase(p, line);
    case 'loop':
    case 'while':
    case 'for':
    case 'foreach':
      return parseLoop(p, line, label, kw);
    case 'exit':
    case 'continue':
      return parseExit(p, line, kw === 'continue');
    case 'return': return parseReturn(p, line);
    case 'raise': return parseRaise(p, line);
    case 'perform': {
      const from = ++t.pos;
      const end = scanUntil(t, from, (i) => t.isPunct(';', i));
      t.pos = end + 1;
      return { k: 'sql', line, query: buildFragment(t, p.ns, from, end, { prefix: 'SELECT ' }), into: null, verb: 'PERFORM' };
    }
    case 'execute': {
      t.pos++;
      const { dynamic, into } = parseDynamic(p, true);
      t.expectPunct(';');
      return { k: 'dynexec', line, dynamic, into };
    }
    case 'get': return parseGetDiagnostics(p, line);
    case 'null':
      t.pos++;
      t.expectPunct(';');
      return { k: 'null', line };
    case 'commit':
    case 'rollback':
      return parseTxn(p, line, kw === 'commit');
    case 'assert': {
      t.pos++;
      const cond = p.exprUntil((i) => t.isPunct(';', i) || t.isPunct(',', i));
      const message = t.acceptPunct(',') ? p.exprUntil((i) => t.isPunct(';', i)) : null;
      t.expectPunct(';');
      return { k: 'assert', line, cond, message };
    }
    case 'open': return parseOpen(p, line);
    case 'fetch':
    case 'move':
      return parseFetch(p, line, kw === 'move');
    case 'close': return parseClose(p, line);
    default:
      if (SQL_STARTERS.has(kw)) return parseSqlStatement(p, line);
      throw t.syntaxError(label !== null ? labelAt : t.pos);
  }
}

function isAssignment(p: Parser): boolean {
  const t = p.t;
  let i = t.pos + 1;
  while (t.isPunct('.', i) && t.isIdent(i + 1)) i += 2;
  if (t.isPunct(':=', i) || t.isPunct('=', i)) return true;
  // `arr[i] := ...`: only a known variable can be a subscripted target.
  return i === t.pos + 1 && t.isPunct('[', i) && p.ns.lookup(t.value()) !== null;
}

function parseAssignment(p: Parser, line: number): Stmt {
  const t = p.t;
  const target = p.target();
  if (!t.acceptPunct(':=')) t.expectPunct('=');
  return { k: 'assign', line, target, expr: p.exprToSemi() };
}

function parseIf(p: Parser, line: number): Stmt {
  const t = p.t;
  t.pos++;
  const branches: { cond: SqlExpr; body: Stmt[] }[] = [];
  let elseBody: Stmt[] | null = null;
  for (;;) {
    const cond = p.exprBefore(['then']);
    t.expectKw('then');
    branches.push({ cond, body: parseStmtList(p, ['elsif', 'elseif', 'else', 'end']) });
    if (t.acceptKw('elsif') || t.acceptKw('elseif')) continue;
    if (t.acceptKw('else')) elseBody = parseStmtList(p, ['end']);
    break;
  }
  t.expectKw('end');
  t.expectKw('if');
  t.expectPunct(';');
  return { k: 'if', line, branches, elseBody };
}

function parseCase(p: Parser, line: number): Stmt {
  const t = p.t;
  t.pos++;
  let subject: SqlExpr | null = null;
  let subjectVar = null;
  if (!t.isKw('when')) {
    subject = p.exprBefore(['when']);
    subjectVar = p.ns.declare({ name: `\u0000case${subject.id}`, kind: 'scalar', spec: { k: 'named', text: '' }, line });
  }
  const whens: { cond: SqlExpr; body: Stmt[] }[] = [];
  while (t.acceptKw('when')) {
    const from = t.pos;
    const end = scanUntil(t, from, (i) => t.isKw('then', i));
    t.pos = end + 1;
    let cond: SqlExpr;
    if (subjectVar === null) cond = buildFragment(t, p.ns, from, end, { prefix: 'SELECT ' });
    else {
      // PostgreSQL evaluates `subject IN (when-list)` with the subject computed once.
      const inner = buildFragment(t, p.ns, from, end, { prefix: '', check: false });
      cond = {
        id: p.ns.nextExprId(), text: inner.text, parts: ['SELECT ', { k: 'var', v: subjectVar }, ' IN (', ...inner.parts, ')'],
        isStatic: inner.isStatic, line: inner.line, relations: inner.relations,
      };
    }
    whens.push({ cond, body: parseStmtList(p, ['when', 'else', 'end']) });
  }
  if (whens.length === 0) throw t.syntaxError();
  const elseBody = t.acceptKw('else') ? parseStmtList(p, ['end']) : null;
  t.expectKw('end');
  t.expectKw('case');
  t.expectPunct(';');
  return { k: 'case', line, subject, subjectVar, whens, elseBody };
}

function loopBody(p: Parser, label: string | null): Stmt[] {
  const t = p.t;
  t.expectKw('loop');
  const body = parseStmtList(p, ['end']);
  t.expectKw('end');
  t.expectKw('loop');
  p.endLabel(label);
  t.expectPunct(';');
  return body;
}

function parseLoop(p: Parser, line: number, label: string | null, kw: string): Stmt {
  const t = p.t;
  t.pos++;
  if (kw === 'loop') {
    t.pos--;
    p.ns.push(label, true);
    const body = loopBody(p, label);
    p.ns.pop();
    return { k: 'loop', line, label, body };
  }
  if (kw === 'while') {
    const cond = p.exprBefore(['loop']);
    p.ns.push(label, true);
    const body = loopBody(p, label);
    p.ns.pop();
    return { k: 'while', line, label, cond, body };
  }
  if (kw === 'foreach') return parseForeach(p, line, label);
  return parseFor(p, line, label);
}

function parseFor(p: Parser, line: number, label: string | null): Stmt {
  const t = p.t;
  const targetAt = t.pos;
  let afterTargets = targetAt;
  while (!t.isKw('in', afterTargets) && (t.isIdent(afterTargets) || t.isPunct(',', afterTargets) || t.isPunct('.', afterTargets))) {
    afterTargets++;
  }
  if (!t.isKw('in', afterTargets)) throw t.syntaxError(afterTargets);
  t.pos = afterTargets + 1;
  if (t.acceptKw('execute')) {
    const { dynamic } = parseDynamic(p, false);
    const targets = forTargets(p, targetAt);
    p.ns.push(label, true);
    const body = loopBody(p, label);
    p.ns.pop();
    return { k: 'forq', line, label, targets, query: null, dynamic, body };
  }
  if (afterTargets === targetAt + 1 && isCursorLoop(p)) return parseForCursor(p, line, label, targetAt);
  const reverse = t.acceptKw('reverse');
  const exprStart = t.pos;
  const stop = scanUntil(t, exprStart, (i) => t.isPunct('..', i) || t.isKw('loop', i));
  if (t.isPunct('..', stop)) {
    if (afterTargets !== targetAt + 1) throw t.error('integer FOR loop must have just one target variable', targetAt);
    const lower = p.exprUntil((i) => t.isPunct('..', i));
    t.pos++;
    const upper = p.exprBefore(['by', 'loop']);
    const step = t.acceptKw('by') ? p.exprBefore(['loop']) : null;
    p.ns.push(label, true);
    const v = p.ns.declare({ name: t.value(targetAt), kind: 'scalar', spec: { k: 'type', type: Types.int4 }, line });
    const body = loopBody(p, label);
    p.ns.pop();
    return { k: 'fori', line, label, v, reverse, lower, upper, step, body };
  }
  if (reverse) throw t.syntaxError(exprStart - 1);
  const query = buildFragment(t, p.ns, exprStart, stop, { prefix: '' });
  t.pos = stop;
  const targets = forTargets(p, targetAt);
  p.ns.push(label, true);
  const body = loopBody(p, label);
  p.ns.pop();
  return { k: 'forq', line, label, targets, query, dynamic: null, body };
}

/** `FOR rec IN cursor [(args)] LOOP`: rec is a new record variable of the loop. */
function parseForCursor(p: Parser, line: number, label: string | null, targetAt: number): Stmt {
  const t = p.t;
  const at = t.pos;
  const cursor = p.variable();
  if (cursor.cursor === null || cursor.cursor.query === null) {
    throw t.error('cursor FOR loop must use a bound cursor variable', at);
  }
  const args = cursorArgsOf(p, cursor);
  p.ns.push(label, true);
  const v = p.ns.declare({ name: t.value(targetAt), kind: 'record', spec: { k: 'record' }, line });
  const body = loopBody(p, label);
  p.ns.pop();
  return { k: 'forc', line, label, target: { k: 'var', v }, cursor, args, body };
}

/** Resolves the targets of FOR ... IN query (already scanned) without moving the cursor. */
function forTargets(p: Parser, at: number): Target[] {
  const t = p.t;
  const save = t.pos;
  t.pos = at;
  const targets = p.targets();
  t.pos = save;
  if (targets.length > 1 && targets.some((x) => x.k === 'var' && x.v.kind === 'record')) {
    throw t.error('loop variable of loop over rows must be a record variable or list of scalar variables', at);
  }
  return targets;
}

function parseForeach(p: Parser, line: number, label: string | null): Stmt {
  const t = p.t;
  const target = p.target();
  let slice = 0;
  if (t.acceptKw('slice')) {
    if (t.type() !== Tok.Integer) throw t.syntaxError();
    slice = Number(t.value());
    t.pos++;
  }
  t.expectKw('in');
  t.expectKw('array');
  const array = p.exprBefore(['loop']);
  p.ns.push(label, true);
  const body = loopBody(p, label);
  p.ns.pop();
  return { k: 'foreach', line, label, target, slice, array, body };
}

function parseExit(p: Parser, line: number, isContinue: boolean): Stmt {
  const t = p.t;
  const at = t.pos++;
  let label: string | null = null;
  if (t.isIdent() && !t.isKw('when')) {
    label = t.expectIdent();
    if (!p.ns.hasLabel(label, isContinue)) {
      throw t.error(`there is no label "${label}" attached to any block or loop enclosing this statement`, at + 1);
    }
  } else if (!p.ns.inLoop()) {
    throw t.error(isContinue ? 'CONTINUE cannot be used outside a loop' : 'EXIT cannot be used outside a loop, unless it has a label', at);
  }
  const cond = t.acceptKw('when') ? p.exprUntil((i) => t.isPunct(';', i)) : null;
  t.expectPunct(';');
  return { k: 'exit', line, isContinue, label, cond };
}

function parseReturn(p: Parser, line: number): Stmt {
  const t = p.t;
  const at = t.pos++;
  if (t.acceptKw('next')) {
    if (!p.returnsSet) throw t.error('cannot use RETURN NEXT in a non-SETOF function', at);
    const expr = t.isPunct(';') ? null : p.exprUntil((i) => t.isPunct(';', i));
    t.expectPunct(';');
    return { k: 'return_next', line, expr };
  }
  if (t.acceptKw('query')) {
    if (!p.returnsSet) throw t.error('cannot use RETURN QUERY in a non-SETOF function', at);
    if (t.acceptKw('execute')) {
      const { dynamic } = parseDynamic(p, false);
      t.expectPunct(';');
      return { k: 'return_query', line, query: null, dynamic };
    }
    const from = t.pos;
    const end = scanUntil(t, from, (i) => t.isPunct(';', i));
    t.pos = end + 1;
    return { k: 'return_query', line, query: buildFragment(t, p.ns, from, end, { prefix: '' }), dynamic: null };
  }
  if (t.acceptPunct(';')) {
    if (p.returnsValue && !p.returnsSet) throw t.error('missing expression at or near ";"', t.pos - 1);
    return { k: 'return', line, expr: null };
  }
  if (p.returnsSet) throw t.error('RETURN cannot have a parameter in function returning set', t.pos);
  if (p.isProcedure) throw t.error('RETURN cannot have a parameter in a procedure', t.pos);
  if (!p.returnsValue && !p.isTrigger) {
    throw t.error('RETURN cannot have a parameter in function with OUT parameters or returning void', t.pos);
  }
  return { k: 'return', line, expr: p.exprToSemi() };
}

function parseRaise(p: Parser, line: number): Stmt {
  const t = p.t;
  const at = t.pos++;
  if (t.acceptPunct(';')) {
    if (p.handlerDepth === 0) throw t.error('RAISE without parameters cannot be used outside an exception handler', at);
    return { k: 'raise', line, level: 'exception', condition: null, format: null, args: [], options: [], reraise: true };
  }
  let level: RaiseLevel = 'exception';
  if (t.type() === Tok.Ident && RAISE_LEVELS.has(t.value()) && !t.isPunct('=', t.pos + 1)) level = t.value() as RaiseLevel;
  if (t.isKw(level)) t.pos++;
  let condition: { code: string; text: string } | null = null;
  let format: string | null = null;
  const args: SqlExpr[] = [];
  if (t.type() === Tok.String) {
    format = t.value();
    t.pos++;
    while (t.acceptPunct(',')) args.push(p.exprUntil((i) => t.isPunct(',', i) || t.isPunct(';', i) || t.isKw('using', i)));
    const wanted = countPlaceholders(format);
    if (wanted > args.length) throw t.error('too few parameters specified for RAISE', at);
    if (wanted < args.length) throw t.error('too many parameters specified for RAISE', at);
  } else if (t.acceptKw('sqlstate')) {
    if (t.type() !== Tok.String || !isValidSqlState(t.value())) throw t.error(`invalid SQLSTATE code "${t.value()}"`);
    condition = { code: t.value(), text: t.value() };
    t.pos++;
  } else if (t.isIdent() && !t.isKw('using')) {
    const name = t.expectIdent();
    const code = conditionCode(name);
    if (code === null) throw t.error(`unrecognized exception condition "${name}"`, t.pos - 1);
    condition = { code, text: name };
  }
  const options: RaiseOption[] = [];
  if (t.acceptKw('using')) {
    do {
      const name = t.expectIdent();
      if (!RAISE_OPTIONS.has(name)) throw t.error(`unrecognized RAISE statement option "${name}"`, t.pos - 1);
      if (!t.acceptPunct('=')) t.expectPunct(':=');
      options.push({ name: name as RaiseOption['name'], expr: p.exprUntil((i) => t.isPunct(',', i) || t.isPunct(';', i)) });
    } while (t.acceptPunct(','));
  }
  t.expectPunct(';');
  if (format === null && condition === null && options.length === 0) throw t.syntaxError(t.pos - 1);
  return { k: 'raise', line, level, condition, format, args, options, reraise: false };
}

/** `%` placeholders of a RAISE format (`%%` is a literal percent sign). */
function countPlaceholders(format: string): number {
  let n = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    if (format[i + 1] === '%') i++;
    else n++;
  }
  return n;
}

/** `expr [INTO [STRICT] targets] [USING args]` after EXECUTE (INTO only when `allowInto`). */
function parseDynamic(p: Parser, allowInto: boolean): { dynamic: DynamicSql; into: IntoClause | null } {
  const t = p.t;
  const query = p.exprUntil((i) => t.isPunct(';', i) || t.isKw('into', i) || t.isKw('using', i) || t.isKw('loop', i));
  let into: IntoClause | null = null;
  const using: SqlExpr[] = [];
  for (;;) {
    if (allowInto && into === null && t.acceptKw('into')) {
      const strict = t.acceptKw('strict');
      into = { targets: p.targets(), strict };
      continue;
    }
    if (using.length === 0 && t.acceptKw('using')) {
      do {
        using.push(p.exprUntil((i) => t.isPunct(',', i) || t.isPunct(';', i) || t.isKw('into', i) || t.isKw('loop', i)));
      } while (t.acceptPunct(','));
      continue;
    }
    break;
  }
  return { dynamic: { query, using }, into };
}

function parseGetDiagnostics(p: Parser, line: number): Stmt {
  const t = p.t;
  t.pos++;
  let stacked = false;
  if (t.acceptKw('stacked')) stacked = true;
  else t.acceptKw('current');
  t.expectKw('diagnostics');
  if (stacked && p.handlerDepth === 0) throw t.error('GET STACKED DIAGNOSTICS cannot be used outside an exception handler');
  const items: { target: Target; item: DiagItem }[] = [];
  do {
    const target = p.target();
    if (!t.acceptPunct('=')) t.expectPunct(':=');
    const at = t.pos;
    const item = t.expectIdent();
    if (!DIAG_ITEMS.has(item)) throw t.error(`unrecognized GET DIAGNOSTICS item "${item}"`, at);
    if (stacked !== STACKED_ONLY.has(item)) {
      throw t.error(`diagnostics item ${item.toUpperCase()} is not allowed in GET ${stacked ? 'STACKED' : 'CURRENT'} DIAGNOSTICS`, at);
    }
    items.push({ target, item: item as DiagItem });
  } while (t.acceptPunct(','));
  t.expectPunct(';');
  return { k: 'getdiag', line, stacked, items };
}

function parseTxn(p: Parser, line: number, commit: boolean): Stmt {
  const t = p.t;
  t.pos++;
  let chain = false;
  if (t.acceptKw('and')) {
    chain = !t.acceptKw('no');
    t.expectKw('chain');
  }
  t.expectPunct(';');
  return { k: 'txn', line, commit, chain };
}

/** A plain SQL statement; INTO targets are cut out of the text as PostgreSQL does. */
function parseSqlStatement(p: Parser, line: number): Stmt {
  const t = p.t;
  const from = t.pos;
  const end = scanUntil(t, from, (i) => t.isPunct(';', i));
  const intoAt = findInto(p, from, end);
  let into: IntoClause | null = null;
  let omit: [number, number] | null = null;
  if (intoAt >= 0) {
    t.pos = intoAt + 1;
    const strict = t.acceptKw('strict');
    into = { targets: p.targets(), strict };
    omit = [intoAt, t.pos];
  }
  t.pos = end + 1;
  const query = buildFragment(t, p.ns, from, end, { prefix: '', omit });
  const utility = !PLANNABLE.has(t.value(from));
  return { k: 'sql', line, query: utility ? { ...query, utility } : query, into, verb: 'SQL statement' };
}

/** The depth-0 INTO that names PL/pgSQL targets, or -1 (INSERT INTO's own INTO excluded). */
function findInto(p: Parser, from: number, end: number): number {
  const t = p.t;
  let depth = 0;
  for (let i = from; i < end; i++) {
    if (t.isPunct('(', i) || t.isPunct('[', i)) depth++;
    else if (t.isPunct(')', i) || t.isPunct(']', i)) depth--;
    else if (depth === 0 && t.isKw('into', i)) {
      if (t.isKw('insert', i - 1) || t.isKw('merge', i - 1)) continue;
      return i;
    }
  }
  return -1;
}
