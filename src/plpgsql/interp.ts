/**
 * The statement interpreter: walks the (immutable) AST with a Frame. Control flow travels as
 * small-integer outcomes (NORMAL / EXIT / CONTINUE / RETURN), never as exceptions; errors are
 * DbErrors, annotated with the statement's context line as they leave it.
 */
import { DbError } from '../errors/index.ts';
import { formatType, Types } from '../types/sql-type.ts';
import type { Block, Stmt, VarDef } from './ast.ts';
import { assignInto, assignRecord, assignRow, assignTarget, assignVar } from './assign.ts';
import { conditionMatches } from './conditions.ts';
import { CONTINUE, EXIT, NORMAL, type Frame } from './frame.ts';
import { evalBool, evalExpr, runSql, wholeRecord } from './run-sql.ts';
import {
  execAssert, execDynamic, execGetDiagnostics, execRaise, execReturn, execReturnNext, execReturnQuery, execTxn,
  runDynamic,
} from './statements.ts';
import { coerceValue, RecordValue } from './values.ts';
import { closeForLoop, execClose, execFetch, execOpen, openForLoop } from './cursors.ts';
import { SqlArray } from '../types/array.ts';

export function execList(f: Frame, stmts: readonly Stmt[]): number {
  for (let i = 0; i < stmts.length; i++) {
    const r = execStmt(f, stmts[i]!);
    if (r !== NORMAL) return r;
  }
  return NORMAL;
}

function execStmt(f: Frame, s: Stmt): number {
  try {
    return dispatch(f, s);
  } catch (e) {
    if (e instanceof DbError) f.annotate(e, s);
    throw e;
  }
}

function dispatch(f: Frame, s: Stmt): number {
  switch (s.k) {
    case 'assign': {
      const rec = wholeRecord(f, s.expr);
      if (rec !== undefined && s.target.k === 'var' && s.target.v.kind === 'record') {
        if (rec === null || rec.isNull) assignVar(f, s.target.v, null, Types.record);
        else assignRecord(f, s.target.v, rec.fields, rec.values);
        return NORMAL;
      }
      const r = evalExpr(f, s.expr);
      assignTarget(f, s.target, r.value, r.type);
      return NORMAL;
    }
    case 'sql': {
      const res = runSql(f, s.query);
      f.rowCount = res.rowCount;
      if (s.into !== null) assignInto(f, s.into, res);
      else if (s.verb !== 'PERFORM' && res.fields.length > 0 && res.command === 'SELECT') {
        throw new DbError('syntax_error', 'query has no destination for result data',
          { hint: 'If you want to discard the results of a SELECT, use PERFORM instead.' });
      }
      f.values[f.info.ast.found.slot] = res.rowCount > 0;
      return NORMAL;
    }
    case 'if':
      for (const b of s.branches) if (evalBool(f, b.cond)) return execList(f, b.body);
      return s.elseBody === null ? NORMAL : execList(f, s.elseBody);
    case 'block': return execBlock(f, s.block);
    case 'return': return execReturn(f, s);
    case 'return_next': return execReturnNext(f, s);
    case 'return_query': return execReturnQuery(f, s);
    case 'raise': return execRaise(f, s);
    case 'null': return NORMAL;
    case 'exit':
      if (s.cond !== null && !evalBool(f, s.cond)) return NORMAL;
      f.label = s.label;
      return s.isContinue ? CONTINUE : EXIT;
    case 'case': return execCase(f, s);
    case 'loop': return execLoop(f, s);
    case 'while': return execWhile(f, s);
    case 'fori': return execForInt(f, s);
    case 'forq': return execForQuery(f, s);
    case 'foreach': return execForeach(f, s);
    case 'dynexec': return execDynamic(f, s);
    case 'getdiag': return execGetDiagnostics(f, s);
    case 'assert': return execAssert(f, s);
    case 'txn': return execTxn(f, s);
    case 'open': return execOpen(f, s);
    case 'fetch': return execFetch(f, s);
    case 'close': return execClose(f, s);
    case 'forc': return execForCursor(f, s);
  }
}

/** Initializes a block's declarations (defaults evaluated in order), then runs it. */
export function execBlock(f: Frame, b: Block): number {
  if (b.decls.length > 0) initDecls(f, b);
  const r = b.handlers === null ? execList(f, b.body) : execProtected(f, b);
  if (r === EXIT && f.label !== null && f.label === b.label) {
    f.label = null;
    return NORMAL;
  }
  return r;
}

function initDecls(f: Frame, b: Block): void {
  let line = 0;
  try {
    for (const v of b.decls) {
      line = v.line;
      initDecl(f, v);
    }
  } catch (e) {
    if (e instanceof DbError) f.annotateLine(e, line, 'during statement block local variable initialization');
    throw e;
  }
}

function initDecl(f: Frame, v: VarDef): void {
  {
    if (v.kind === 'record') {
      f.values[v.slot] = v.rowFields !== null ? RecordValue.nulls(v.rowFields) : null;
    } else {
      f.values[v.slot] = null;
    }
    if (v.defaultExpr !== null) {
      const r = evalExpr(f, v.defaultExpr);
      assignVar(f, v, r.value, r.type);
    } else if (v.notNull) {
      throw new DbError('null_value_not_allowed', `null value cannot be assigned to variable "${v.name}" declared NOT NULL`);
    }
  }
}

/** A block with EXCEPTION handlers: the body runs in a subtransaction. */
function execProtected(f: Frame, b: Block): number {
  let err: DbError;
  try {
    f.subtxnDepth++;
    try {
      return f.host.subtransaction(() => execList(f, b.body));
    } finally {
      f.subtxnDepth--;
    }
  } catch (e) {
    // Only SQL errors are catchable: engine signals (lock waits) and internal failures pass.
    if (!(e instanceof DbError)) throw e;
    err = e;
  }
  const handler = b.handlers!.find((h) => h.conditions.some((c) => conditionMatches(c, err.code)));
  if (handler === undefined) throw err;
  const vars = b.errVars!;
  f.values[vars.state.slot] = err.code;
  f.values[vars.message.slot] = err.message;
  f.caught.push(err);
  try {
    return execList(f, handler.body);
  } finally {
    f.caught.pop();
  }
}

/** Applies a loop body's outcome: null to go on, or the outcome the loop itself returns. */
function afterBody(f: Frame, r: number, label: string | null): number | null {
  if (r === NORMAL) return null;
  if (r === EXIT) {
    if (f.label === null || f.label === label) {
      f.label = null;
      return NORMAL;
    }
    return r;
  }
  if (r === CONTINUE) {
    if (f.label === null || f.label === label) {
      f.label = null;
      return null;
    }
    return r;
  }
  return r;
}

function execLoop(f: Frame, s: Extract<Stmt, { k: 'loop' }>): number {
  for (;;) {
    f.tick();
    const out = afterBody(f, execList(f, s.body), s.label);
    if (out !== null) return out;
  }
}

function execWhile(f: Frame, s: Extract<Stmt, { k: 'while' }>): number {
  while (evalBool(f, s.cond)) {
    f.tick();
    const out = afterBody(f, execList(f, s.body), s.label);
    if (out !== null) return out;
  }
  return NORMAL;
}

function intBound(f: Frame, e: Extract<Stmt, { k: 'fori' }>['lower'], what: string): number {
  const r = evalExpr(f, e);
  if (r.value === null) throw new DbError('null_value_not_allowed', `${what} of FOR loop cannot be null`);
  return coerceValue(r.value, r.type, Types.int4, f.host.types) as number;
}

function execForInt(f: Frame, s: Extract<Stmt, { k: 'fori' }>): number {
  const lower = intBound(f, s.lower, 'lower bound');
  const upper = intBound(f, s.upper, 'upper bound');
  const step = s.step === null ? 1 : intBound(f, s.step, 'BY value');
  if (step <= 0) throw new DbError('invalid_parameter_value', 'BY value of FOR loop must be greater than zero');
  let found = false;
  const slot = s.v.slot;
  let result = NORMAL;
  for (let i = lower; s.reverse ? i >= upper : i <= upper; i = s.reverse ? i - step : i + step) {
    f.tick();
    found = true;
    f.values[slot] = i;
    const out = afterBody(f, execList(f, s.body), s.label);
    if (out !== null) {
      result = out;
      break;
    }
  }
  f.values[f.info.ast.found.slot] = found;
  return result;
}

function execForQuery(f: Frame, s: Extract<Stmt, { k: 'forq' }>): number {
  const res = s.query !== null ? runSql(f, s.query) : runDynamic(f, s.dynamic!);
  let result = NORMAL;
  for (const row of res.rows) {
    f.tick();
    assignRow(f, s.targets, res.fields, row);
    const out = afterBody(f, execList(f, s.body), s.label);
    if (out !== null) {
      result = out;
      break;
    }
  }
  f.rowCount = res.rows.length;
  f.values[f.info.ast.found.slot] = res.rows.length > 0;
  return result;
}

function execForCursor(f: Frame, s: Extract<Stmt, { k: 'forc' }>): number {
  const c = openForLoop(f, s);
  let result = NORMAL;
  try {
    for (const row of c.rows) {
      f.tick();
      assignRow(f, [s.target], c.fields, row);
      const out = afterBody(f, execList(f, s.body), s.label);
      if (out !== null) {
        result = out;
        break;
      }
    }
  } finally {
    closeForLoop(f, s);
  }
  f.values[f.info.ast.found.slot] = c.rows.length > 0;
  return result;
}

function execForeach(f: Frame, s: Extract<Stmt, { k: 'foreach' }>): number {
  const r = evalExpr(f, s.array);
  if (r.value === null) throw new DbError('null_value_not_allowed', 'FOREACH expression must not be null');
  if (!(r.value instanceof SqlArray) || r.type.elem === null) {
    throw new DbError('datatype_mismatch', `FOREACH expression must yield an array, not type ${formatType(r.type)}`);
  }
  const arr = r.value;
  if (s.slice > 0) {
    if (s.slice > 1 || arr.ndim > 1) {
      throw new DbError('feature_not_supported', 'FOREACH ... SLICE is supported only for one-dimensional arrays with SLICE 1');
    }
    assignTarget(f, s.target, r.value, r.type);
    f.values[f.info.ast.found.slot] = arr.elems.length > 0;
    return runForeachBody(f, s);
  }
  const elemType = r.type.elem;
  let result = NORMAL;
  for (const el of arr.elems) {
    f.tick();
    assignTarget(f, s.target, el, elemType);
    const out = afterBody(f, execList(f, s.body), s.label);
    if (out !== null) {
      result = out;
      break;
    }
  }
  f.values[f.info.ast.found.slot] = arr.elems.length > 0;
  return result;
}

function runForeachBody(f: Frame, s: Extract<Stmt, { k: 'foreach' }>): number {
  const out = afterBody(f, execList(f, s.body), s.label);
  return out ?? NORMAL;
}

function execCase(f: Frame, s: Extract<Stmt, { k: 'case' }>): number {
  if (s.subject !== null) {
    const r = evalExpr(f, s.subject);
    const v = s.subjectVar!;
    if (v.type === null) v.type = r.type;
    f.values[v.slot] = coerceValue(r.value, r.type, v.type, f.host.types);
  }
  for (const w of s.whens) if (evalBool(f, w.cond)) return execList(f, w.body);
  if (s.elseBody !== null) return execList(f, s.elseBody);
  throw new DbError('case_not_found', 'case not found', { hint: 'CASE statement is missing ELSE part.' });
}
