/**
 * Statement dispatch and the multi-statement entry point.
 *
 * Invariants:
 * - parseStatements returns one ParsedStatement per non-empty statement, with `start`/`end`
 *   covering exactly its tokens (so comments and whitespace around it are trimmed, and the `;`
 *   is excluded).
 * - After each statement the next token must be `;` or end of input; anything else is a syntax
 *   error at that token.
 */
import type { ParsedStatement, Persistence, Statement } from '../ast.ts';
import { Tok } from '../lexer.ts';
import type { Parser } from './parser.ts';
import { parseSelectQuery, parseWithClause } from './select.ts';
import { parseDelete, parseInsert, parseTruncate, parseUpdate } from './dml.ts';
import { parseCreateTable } from './ddl.ts';
import { parseAlter } from './alter.ts';
import {
  parseComment, parseCreateIndex, parseCreateMatView, parseCreateSchema, parseCreateSequence,
  parseCreateView, parseDrop, parseRefresh, parseReindex,
} from './ddl-objects.ts';
import {
  parseAnalyze, parseDeallocate, parseExecute, parseExplain, parsePrepare, parseReset, parseSet,
  parseShow, parseTransaction, parseVacuum,
} from './utility.ts';
import {
  parseAlterDefaultPrivileges, parseAlterRole, parseCreateRole, parseDropOwned, parseGrant, parseReassignOwned,
} from './roles.ts';
import { parseAlterSchedule, parseCreateSchedule, parseDropSchedule } from './schedule.ts';
import {
  parseCall, parseCopy, parseCreateFunction, parseCreateTrigger, parseDo, parseListen,
  parseNotify, parseUnlisten,
} from './routines.ts';
import {
  parseAlterEventTrigger, parseCreateAggregate, parseCreateEventTrigger,
  parseDropEventTrigger, tryParseAlterTableTrigger, parseAlterRoutine,
} from './routines-ext.ts';
import { parseCloseCursor, parseDeclareCursor, parseFetch } from './cursor.ts';

export function parseStatements(p: Parser): ParsedStatement[] {
  const out: ParsedStatement[] = [];
  while (true) {
    while (p.acceptPunct(';')) { /* empty statements are skipped */ }
    if (p.peek().type === Tok.EOF) break;
    const start = p.loc;
    const stmt = parseStatement(p);
    const end = p.prevEnd;
    if (!p.atEnd()) throw p.error();
    out.push({ stmt, start, end });
  }
  return out;
}

export function parseStatement(p: Parser): Statement {
  const t = p.peek();
  if (t.type === Tok.Punct && t.value === '(') return parseSelectQuery(p);
  if (t.type !== Tok.Ident) throw p.error();
  const loc = t.start;
  switch (t.value) {
    case 'select': case 'values': case 'table':
      return parseSelectQuery(p);
    case 'with': {
      const w = parseWithClause(p);
      if (p.isKw('insert')) return parseInsert(p, w);
      if (p.isKw('update')) return parseUpdate(p, w);
      if (p.isKw('delete')) return parseDelete(p, w);
      return parseSelectQuery(p, w);
    }
    case 'insert': return parseInsert(p, null);
    case 'update': return parseUpdate(p, null);
    case 'delete': return parseDelete(p, null);
    case 'truncate': return parseTruncate(p);
    case 'create': p.pos++; return parseCreate(p, loc);
    case 'alter': {
      p.pos++;
      if (p.isKw('role') || p.isKw('user') || p.isKw('group')) return parseAlterRole(p, loc);
      if (p.isKw('event') && p.isKw('trigger', 1)) return parseAlterEventTrigger(p, loc);
      if (p.acceptKw('schedule')) return parseAlterSchedule(p, loc);
      if (p.isKw('default') && p.isKw('privileges', 1)) return parseAlterDefaultPrivileges(p, loc);
      if (p.isKw('function') || p.isKw('procedure') || p.isKw('routine') || p.isKw('aggregate')) return parseAlterRoutine(p, loc);
      return tryParseAlterTableTrigger(p, loc) ?? parseAlter(p, loc);
    }
    case 'drop':
      p.pos++;
      if (p.isKw('event') && p.isKw('trigger', 1)) return parseDropEventTrigger(p, loc);
      if (p.acceptKw('schedule')) return parseDropSchedule(p, loc);
      if (p.isKw('owned') && p.isKw('by', 1)) return parseDropOwned(p, loc);
      return parseDrop(p, loc);
    case 'reassign': return parseReassignOwned(p, loc);
    case 'comment': p.pos++; return parseComment(p, loc);
    case 'refresh': p.pos++; return parseRefresh(p, loc);
    case 'reindex': p.pos++; return parseReindex(p, loc);
    case 'begin': case 'start': case 'commit': case 'end': case 'rollback': case 'abort':
    case 'savepoint': case 'release':
      return parseTransaction(p);
    case 'set': p.pos++; return parseSet(p, loc);
    case 'show': p.pos++; return parseShow(p, loc);
    case 'reset': p.pos++; return parseReset(p, loc);
    case 'prepare': p.pos++; return parsePrepare(p, loc);
    case 'execute': p.pos++; return parseExecute(p, loc);
    case 'deallocate': p.pos++; return parseDeallocate(p, loc);
    case 'explain': p.pos++; return parseExplain(p, loc);
    case 'analyze': case 'analyse': p.pos++; return parseAnalyze(p, loc);
    case 'vacuum': p.pos++; return parseVacuum(p, loc);
    case 'checkpoint': p.pos++; return { kind: 'Checkpoint', loc };
    case 'backup': p.pos++; p.expectKw('to'); return { kind: 'Backup', target: p.stringConst(), loc };
    case 'grant': case 'revoke': return parseGrant(p);
    case 'do': p.pos++; return parseDo(p, loc);
    case 'call': p.pos++; return parseCall(p, loc);
    case 'copy': p.pos++; return parseCopy(p, loc);
    case 'listen': p.pos++; return parseListen(p, loc);
    case 'unlisten': p.pos++; return parseUnlisten(p, loc);
    case 'notify': p.pos++; return parseNotify(p, loc);
    case 'declare': p.pos++; return parseDeclareCursor(p, loc);
    case 'fetch': p.pos++; return parseFetch(p, loc, false);
    case 'move': p.pos++; return parseFetch(p, loc, true);
    case 'close': p.pos++; return parseCloseCursor(p, loc);
    default:
      throw p.error();
  }
}

function parseCreate(p: Parser, loc: number): Statement {
  const orReplace = p.acceptKws('or', 'replace');
  let persistence: Persistence = 'permanent';
  if (p.acceptKw('temp') || p.acceptKw('temporary')) persistence = 'temp';
  else if ((p.isKw('local') || p.isKw('global')) &&
    (p.isKw('temp', 1) || p.isKw('temporary', 1))) {
    p.pos += 2;
    persistence = 'temp';
  } else if (p.acceptKw('unlogged')) persistence = 'unlogged';
  const t = p.peek();
  if (t.type !== Tok.Ident) throw p.error();
  switch (t.value) {
    case 'table':
      if (orReplace) break;
      p.pos++;
      return parseCreateTable(p, persistence, loc);
    case 'recursive':
      p.pos++;
      p.expectKw('view');
      return parseCreateView(p, orReplace, persistence, true, loc);
    case 'view':
      p.pos++;
      return parseCreateView(p, orReplace, persistence, false, loc);
    case 'materialized':
      if (orReplace || persistence !== 'permanent') break;
      p.pos++;
      p.expectKw('view');
      return parseCreateMatView(p, loc);
    case 'sequence':
      if (orReplace) break;
      p.pos++;
      return parseCreateSequence(p, persistence, loc);
    case 'unique':
      if (orReplace || persistence !== 'permanent') break;
      p.pos++;
      p.expectKw('index');
      return parseCreateIndex(p, true, loc);
    case 'index':
      if (orReplace || persistence !== 'permanent') break;
      p.pos++;
      return parseCreateIndex(p, false, loc);
    case 'schema':
      if (orReplace || persistence !== 'permanent') break;
      p.pos++;
      return parseCreateSchema(p, loc);
    case 'function': case 'procedure':
      if (persistence !== 'permanent') break;
      p.pos++;
      return parseCreateFunction(p, orReplace, t.value === 'procedure', loc);
    case 'trigger': case 'constraint':
      if (persistence !== 'permanent') break;
      return parseCreateTrigger(p, orReplace, loc);
    case 'aggregate':
      if (persistence !== 'permanent') break;
      return parseCreateAggregate(p, orReplace, loc);
    case 'event':
      if (orReplace || persistence !== 'permanent') break;
      return parseCreateEventTrigger(p, loc);
    case 'schedule':
      if (persistence !== 'permanent') break;
      p.pos++;
      return parseCreateSchedule(p, orReplace, loc);
    case 'role': case 'user': case 'group':
      if (orReplace || persistence !== 'permanent') break;
      p.pos++;
      return parseCreateRole(p, t.value, loc);
    default:
      break;
  }
  throw p.error();
}
