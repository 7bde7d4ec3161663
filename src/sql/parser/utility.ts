/**
 * Session and utility statements: transaction control, SET / SHOW / RESET, PREPARE / EXECUTE /
 * DEALLOCATE, EXPLAIN, ANALYZE / VACUUM / CHECKPOINT.
 *
 * Invariants: parameter names follow the mapping documented in ast/utility.ts (TIME ZONE ->
 * 'timezone' ...); END/ABORT are reported as commit/rollback.
 */
import { Tok } from '../lexer.ts';
import type {
  AnalyzeStmt, ExplainOption, IsolationLevel, ResetStmt, SetStmt, SetValue, ShowStmt,
  Statement, TransactionModes, TransactionStmt, TypeName, VacuumStmt, VacuumTarget,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExprList } from './expressions.ts';
import { parseTypeName } from './types.ts';
import { parseStatement } from './statement.ts';

// ---- Transactions ------------------------------------------------------------------------

function parseModes(p: Parser): TransactionModes | null {
  const loc = p.loc;
  let isolation: IsolationLevel | null = null;
  let readOnly: boolean | null = null;
  let deferrable: boolean | null = null;
  let any = false;
  while (true) {
    if (any) p.acceptPunct(',');
    if (p.acceptKws('isolation', 'level')) {
      if (p.acceptKw('serializable')) isolation = 'serializable';
      else if (p.acceptKws('repeatable', 'read')) isolation = 'repeatable_read';
      else if (p.acceptKws('read', 'committed')) isolation = 'read_committed';
      else if (p.acceptKws('read', 'uncommitted')) isolation = 'read_uncommitted';
      else throw p.error();
    } else if (p.acceptKws('read', 'only')) {
      readOnly = true;
    } else if (p.acceptKws('read', 'write')) {
      readOnly = false;
    } else if (p.acceptKw('deferrable')) {
      deferrable = true;
    } else if (p.acceptKws('not', 'deferrable')) {
      deferrable = false;
    } else {
      if (any && p.isPunct(',', -1)) throw p.error();
      break;
    }
    any = true;
  }
  return any ? { kind: 'TransactionModes', isolation, readOnly, deferrable, loc } : null;
}

function tx(action: TransactionStmt['action'], loc: number,
  rest: Partial<Omit<TransactionStmt, 'kind' | 'action' | 'loc'>> = {}): TransactionStmt {
  return { kind: 'Transaction', action, modes: null, chain: false, savepoint: null, gid: null,
    ...rest, loc };
}

function optWork(p: Parser): void {
  if (!p.acceptKw('work')) p.acceptKw('transaction');
}

function parseChain(p: Parser): boolean {
  if (p.acceptKws('and', 'no', 'chain')) return false;
  return p.acceptKws('and', 'chain');
}

/** BEGIN / START / COMMIT / END / ROLLBACK / ABORT / SAVEPOINT / RELEASE; first word current. */
export function parseTransaction(p: Parser): TransactionStmt {
  const t = p.next();
  const loc = t.start;
  switch (t.value) {
    case 'begin':
      optWork(p);
      return tx('begin', loc, { modes: parseModes(p) });
    case 'start':
      p.expectKw('transaction');
      return tx('start', loc, { modes: parseModes(p) });
    case 'commit': case 'end':
      if (t.value === 'commit' && p.acceptKw('prepared')) {
        return tx('commit_prepared', loc, { gid: p.stringConst() });
      }
      optWork(p);
      return tx('commit', loc, { chain: parseChain(p) });
    case 'rollback': case 'abort': {
      if (t.value === 'rollback' && p.acceptKw('prepared')) {
        return tx('rollback_prepared', loc, { gid: p.stringConst() });
      }
      optWork(p);
      if (t.value === 'rollback' && p.acceptKw('to')) {
        p.acceptKw('savepoint');
        return tx('rollback_to', loc, { savepoint: p.colId() });
      }
      return tx('rollback', loc, { chain: parseChain(p) });
    }
    case 'savepoint':
      return tx('savepoint', loc, { savepoint: p.colId() });
    case 'release':
      p.acceptKw('savepoint');
      return tx('release', loc, { savepoint: p.colId() });
    default:
      throw p.error(t);
  }
}

// ---- SET / SHOW / RESET --------------------------------------------------------------------

/** var_name: ColId ('.' ColId)*, joined with dots. */
function varName(p: Parser): string {
  let name = p.colId();
  while (p.acceptPunct('.')) name += '.' + p.colLabel();
  return name;
}

function parseSetValue(p: Parser): SetValue {
  const t = p.peek();
  const loc = t.start;
  if (t.type === Tok.String) {
    p.pos++;
    return { kind: 'SetValue', type: 'string', value: t.value, loc };
  }
  if (t.type === Tok.Integer || t.type === Tok.Numeric || p.isOp('-') || p.isOp('+')) {
    return { kind: 'SetValue', type: 'number', value: p.signedNumber(), loc };
  }
  if (t.type === Tok.Ident || t.type === Tok.QIdent) {
    p.pos++;
    return { kind: 'SetValue', type: 'word', value: t.value, loc };
  }
  throw p.error();
}

/** After SET (and optional SESSION/LOCAL). */
export function parseSet(p: Parser, loc: number): Statement {
  if (p.acceptKw('transaction')) {
    const modes = parseModes(p);
    if (modes === null) throw p.error();
    return { kind: 'SetTransaction', session: false, modes, loc };
  }
  if (p.acceptKws('session', 'characteristics')) {
    p.expectKw('as');
    p.expectKw('transaction');
    const modes = parseModes(p);
    if (modes === null) throw p.error();
    return { kind: 'SetTransaction', session: true, modes, loc };
  }
  let local = false;
  if (p.acceptKw('local')) local = true;
  else if (p.isKw('session') && !p.isKw('authorization', 1)) p.pos++;
  const set = (name: string, values: SetValue[] | null): SetStmt =>
    ({ kind: 'Set', local, name, values, loc });
  if (p.acceptKws('time', 'zone')) {
    if (p.acceptKw('local') || p.acceptKw('default')) return set('timezone', null);
    if (p.isKw('interval')) {
      const vloc = p.loc;
      p.pos++;
      return set('timezone', [{ kind: 'SetValue', type: 'string', value: p.stringConst(),
        loc: vloc }]);
    }
    return set('timezone', [parseSetValue(p)]);
  }
  if (p.acceptKws('session', 'authorization')) {
    if (p.acceptKw('default')) return set('session_authorization', null);
    return set('session_authorization', [parseSetValue(p)]);
  }
  if (p.acceptKw('role')) return set('role', [parseSetValue(p)]);
  if (p.acceptKw('names')) {
    if (p.acceptKw('default') || p.atEnd()) return set('client_encoding', null);
    return set('client_encoding', [parseSetValue(p)]);
  }
  if (p.acceptKw('schema')) return set('search_path', [parseSetValue(p)]);
  const name = varName(p);
  if (!p.acceptKw('to')) p.expectOp('=');
  if (p.acceptKw('default')) return set(name, null);
  const values = [parseSetValue(p)];
  while (p.acceptPunct(',')) values.push(parseSetValue(p));
  return set(name, values);
}

export function parseShow(p: Parser, loc: number): ShowStmt {
  let name: string;
  if (p.acceptKws('time', 'zone')) name = 'timezone';
  else if (p.acceptKws('transaction', 'isolation', 'level')) name = 'transaction_isolation';
  else if (p.acceptKws('session', 'authorization')) name = 'session_authorization';
  else if (p.acceptKw('all')) name = 'all';
  else name = varName(p);
  return { kind: 'Show', name, loc };
}

export function parseReset(p: Parser, loc: number): ResetStmt {
  let name: string;
  if (p.acceptKws('time', 'zone')) name = 'timezone';
  else if (p.acceptKws('transaction', 'isolation', 'level')) name = 'transaction_isolation';
  else if (p.acceptKws('session', 'authorization')) name = 'session_authorization';
  else if (p.acceptKw('all')) name = 'all';
  else name = varName(p);
  return { kind: 'Reset', name, loc };
}

// ---- PREPARE / EXECUTE / DEALLOCATE ----------------------------------------------------------

export function parsePrepare(p: Parser, loc: number): Statement {
  if (p.acceptKw('transaction')) {
    return tx('prepare', loc, { gid: p.stringConst() });
  }
  const name = p.colId();
  const paramTypes: TypeName[] = [];
  if (p.acceptPunct('(')) {
    do paramTypes.push(parseTypeName(p)); while (p.acceptPunct(','));
    p.expectPunct(')');
  }
  p.expectKw('as');
  const start = p.loc;
  const statement = parseStatement(p);
  return { kind: 'Prepare', name, paramTypes, statement, source: p.source(start, p.prevEnd),
    loc };
}

export function parseExecute(p: Parser, loc: number): Statement {
  const name = p.colId();
  let params: ReturnType<typeof parseExprList> = [];
  if (p.acceptPunct('(')) {
    params = parseExprList(p);
    p.expectPunct(')');
  }
  return { kind: 'Execute', name, params, loc };
}

export function parseDeallocate(p: Parser, loc: number): Statement {
  p.acceptKw('prepare');
  if (p.acceptKw('all')) return { kind: 'Deallocate', name: null, loc };
  return { kind: 'Deallocate', name: p.colId(), loc };
}

// ---- EXPLAIN / ANALYZE / VACUUM ------------------------------------------------------------

/** ( name [value], ... ) option list used by EXPLAIN and VACUUM. */
function parseOptionList(p: Parser): ExplainOption[] {
  p.expectPunct('(');
  const options: ExplainOption[] = [];
  do {
    const loc = p.loc;
    const name = p.colLabel();
    let value: string | null = null;
    const t = p.peek();
    if (t.type === Tok.Ident || t.type === Tok.QIdent || t.type === Tok.String) {
      p.pos++;
      value = t.value;
    } else if (t.type === Tok.Integer || t.type === Tok.Numeric || p.isOp('-')) {
      value = p.signedNumber();
    }
    options.push({ kind: 'ExplainOption', name, value, loc });
  } while (p.acceptPunct(','));
  p.expectPunct(')');
  return options;
}

export function parseExplain(p: Parser, loc: number): Statement {
  let options: ExplainOption[] = [];
  if (p.isPunct('(')) {
    options = parseOptionList(p);
  } else {
    const aloc = p.loc;
    if (p.acceptKw('analyze') || p.acceptKw('analyse')) {
      options.push({ kind: 'ExplainOption', name: 'analyze', value: null, loc: aloc });
    }
    const vloc = p.loc;
    if (p.acceptKw('verbose')) {
      options.push({ kind: 'ExplainOption', name: 'verbose', value: null, loc: vloc });
    }
  }
  return { kind: 'Explain', options, statement: parseStatement(p), loc };
}

function parseVacuumTargets(p: Parser): VacuumTarget[] {
  const targets: VacuumTarget[] = [];
  if (p.atEnd()) return targets;
  do {
    const loc = p.loc;
    const name = p.objectName();
    const columns = p.isPunct('(') ? p.parenNameList() : null;
    targets.push({ kind: 'VacuumTarget', name, columns, loc });
  } while (p.acceptPunct(','));
  return targets;
}

export function parseAnalyze(p: Parser, loc: number): AnalyzeStmt {
  let verbose = p.acceptKw('verbose');
  if (!verbose && p.isPunct('(')) {
    verbose = parseOptionList(p).some((o) => o.name === 'verbose' && o.value !== 'false');
  }
  return { kind: 'Analyze', verbose, tables: parseVacuumTargets(p), loc };
}

export function parseVacuum(p: Parser, loc: number): VacuumStmt {
  let options: ExplainOption[] = [];
  let full = false;
  let freeze = false;
  let verbose = false;
  let analyze = false;
  if (p.isPunct('(')) {
    options = parseOptionList(p);
    const on = (n: string): boolean =>
      options.some((o) => o.name === n && o.value !== 'false' && o.value !== 'off');
    full = on('full');
    freeze = on('freeze');
    verbose = on('verbose');
    analyze = on('analyze');
  } else {
    full = p.acceptKw('full');
    freeze = p.acceptKw('freeze');
    verbose = p.acceptKw('verbose');
    analyze = p.acceptKw('analyze') || p.acceptKw('analyse');
  }
  return { kind: 'Vacuum', full, freeze, verbose, analyze, options,
    tables: parseVacuumTargets(p), loc };
}
