/**
 * Statements beyond control flow: the RETURN family, RAISE, EXECUTE, GET DIAGNOSTICS, ASSERT
 * and transaction control in procedures.
 */
import { DbError, type DbErrorFields } from '../errors/index.ts';
import type { HostQueryResult, RoutineHost } from '../scripting/language.ts';
import { Oid, Types, type SqlType } from '../types/sql-type.ts';
import type { DiagItem, DynamicSql, SqlExpr, Stmt } from './ast.ts';
import { assignInto, assignTarget } from './assign.ts';
import { conditionCode, errorWithCode, isValidSqlState } from './conditions.ts';
import { NORMAL, RETURN, type Frame } from './frame.ts';
import { evalBool, evalExpr, recordOf, runSql, wholeRecord } from './run-sql.ts';
import { coerceValue, recordText, valueText } from './values.ts';

/**
 * Optional transaction control a host may offer to procedures (COMMIT / ROLLBACK inside CALL).
 * Proposed as an optional addition to RoutineHost; absent, the statements raise 2D000.
 */
export interface TransactionControlHost extends RoutineHost {
  commit?(chain: boolean): void;
  rollback?(chain: boolean): void;
}

export function execReturn(f: Frame, s: Extract<Stmt, { k: 'return' }>): number {
  if (s.expr === null) return RETURN;
  const rec = wholeRecord(f, s.expr);
  if (rec !== undefined) {
    f.returnValue = rec;
    return RETURN;
  }
  const r = evalExpr(f, s.expr);
  const rt = f.info.returnType;
  if (f.info.isTrigger) {
    if (r.value !== null) throw new DbError('datatype_mismatch', 'trigger function can only return NEW, OLD or NULL');
    f.returnValue = null;
  } else {
    f.returnValue = rt === null ? r.value : coerceValue(r.value, r.type, rt, f.host.types);
  }
  return RETURN;
}

/** The OUT / TABLE column values as a row. */
function outRow(f: Frame): unknown[] {
  return f.info.ast.outs.map((v) => f.values[v.slot] ?? null);
}

export function execReturnNext(f: Frame, s: Extract<Stmt, { k: 'return_next' }>): number {
  const outs = f.info.ast.outs;
  const vars = f.info.ast.outsAreVars;
  if (s.expr === null) {
    if (outs.length === 0 || !vars) throw new DbError('syntax_error', 'RETURN NEXT must have a parameter');
    f.results.push(outRow(f));
    return NORMAL;
  }
  const rec = wholeRecord(f, s.expr);
  if (rec !== undefined) {
    if (rec === null) throw new DbError('object_not_in_prerequisite_state', 'record is not assigned yet');
    f.results.push(outs.length === 0 ? rec.values.slice() : conformRow(f, rec.fields.map((x) => x.type), rec.values));
    return NORMAL;
  }
  if (outs.length > 0) {
    throw new DbError('syntax_error', vars ? 'RETURN NEXT cannot have a parameter in function with OUT parameters'
      : 'RETURN NEXT of a row-typed function takes a record variable');
  }
  const r = evalExpr(f, s.expr);
  const rt = f.info.returnType;
  f.results.push(rt === null ? r.value : coerceValue(r.value, r.type, rt, f.host.types));
  return NORMAL;
}

/** Converts a row to the function's OUT column types (column counts must agree). */
export function conformRow(f: Frame, types: readonly SqlType[], row: readonly unknown[]): unknown[] {
  const outs = f.info.ast.outs;
  if (types.length !== outs.length) {
    throw new DbError('datatype_mismatch', 'structure of query does not match function result type',
      { detail: `Number of returned columns (${types.length}) does not match expected column count (${outs.length}).` });
  }
  const out = new Array<unknown>(outs.length);
  for (let i = 0; i < outs.length; i++) out[i] = coerceValue(row[i] ?? null, types[i]!, outs[i]!.type!, f.host.types);
  return out;
}

export function execReturnQuery(f: Frame, s: Extract<Stmt, { k: 'return_query' }>): number {
  const res = s.query !== null ? runSql(f, s.query) : runDynamic(f, s.dynamic!);
  const types = res.fields.map((x) => x.type);
  if (f.info.ast.outs.length > 0) {
    for (const row of res.rows) f.results.push(conformRow(f, types, row));
  } else {
    if (types.length !== 1) {
      throw new DbError('datatype_mismatch', 'structure of query does not match function result type',
        { detail: `Number of returned columns (${types.length}) does not match expected column count (1).` });
    }
    const rt = f.info.returnType;
    for (const row of res.rows) f.results.push(rt === null ? row[0] : coerceValue(row[0] ?? null, types[0]!, rt, f.host.types));
  }
  f.rowCount = res.rows.length;
  f.values[f.info.ast.found.slot] = res.rows.length > 0;
  return NORMAL;
}

/** EXECUTE's query string and USING arguments, run through the host. */
export function runDynamic(f: Frame, d: DynamicSql): HostQueryResult {
  const q = evalExpr(f, d.query);
  if (q.value === null) throw new DbError('null_value_not_allowed', 'query string argument of EXECUTE is null');
  const sql = typeof q.value === 'string' ? q.value : valueText(q.value, q.type, f.host.types);
  const values: unknown[] = [];
  const types: SqlType[] = [];
  for (const u of d.using) {
    const r = evalExpr(f, u);
    values.push(r.value);
    types.push(r.type.oid === Oid.unknown ? Types.text : r.type);
  }
  return f.host.query(sql, values, types);
}

export function execDynamic(f: Frame, s: Extract<Stmt, { k: 'dynexec' }>): number {
  const res = runDynamic(f, s.dynamic);
  f.rowCount = res.rowCount;
  if (s.into !== null) assignInto(f, s.into, res);
  return NORMAL;
}

function textOf(f: Frame, e: SqlExpr): string | null {
  const rec = wholeRecord(f, e);
  if (rec !== undefined) return rec === null || rec.isNull ? null : recordText(rec, f.host.types);
  const r = evalExpr(f, e);
  if (r.value === null) return null;
  return typeof r.value === 'string' ? r.value : valueText(r.value, r.type, f.host.types);
}

function formatMessage(f: Frame, format: string, args: readonly SqlExpr[]): string {
  let out = '';
  let argIdx = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    if (format[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const text = textOf(f, args[argIdx++]!);
    out += text ?? '<NULL>';
  }
  return out;
}

export function execRaise(f: Frame, s: Extract<Stmt, { k: 'raise' }>): number {
  if (s.reraise) throw f.caught[f.caught.length - 1]!;
  let message = s.format !== null ? formatMessage(f, s.format, s.args) : null;
  let code = s.condition?.code ?? null;
  const fields: DbErrorFields = {};
  for (const opt of s.options) {
    const text = textOf(f, opt.expr);
    if (text === null) throw new DbError('null_value_not_allowed', 'RAISE statement option cannot be null');
    switch (opt.name) {
      case 'message':
        if (message !== null) throw new DbError('syntax_error', 'RAISE option already specified: MESSAGE');
        message = text;
        break;
      case 'errcode': {
        if (code !== null && s.condition !== null) throw new DbError('syntax_error', 'RAISE option already specified: ERRCODE');
        const c = isValidSqlState(text) ? text : conditionCode(text);
        if (c === null) throw new DbError('undefined_object', `unrecognized exception condition "${text}"`);
        code = c;
        break;
      }
      case 'detail': fields.detail = text; break;
      case 'hint': fields.hint = text; break;
      case 'column': fields.column = text; break;
      case 'constraint': fields.constraint = text; break;
      case 'table': fields.table = text; break;
      case 'schema': fields.schema = text; break;
      case 'datatype': break;
    }
  }
  message ??= s.condition?.text ?? code ?? 'P0001';
  if (s.level === 'exception') throw errorWithCode(code ?? 'P0001', message, fields);
  const detail: { sqlstate?: string; hint?: string; detail?: string } = {};
  if (code !== null) detail.sqlstate = code;
  if (fields.hint !== undefined) detail.hint = fields.hint;
  if (fields.detail !== undefined) detail.detail = fields.detail;
  f.host.log(s.level, message, detail);
  return NORMAL;
}

export function execAssert(f: Frame, s: Extract<Stmt, { k: 'assert' }>): number {
  if (evalBool(f, s.cond)) return NORMAL;
  const message = s.message === null ? null : textOf(f, s.message);
  throw new DbError('assert_failure', message ?? 'assertion failed');
}

function diagValue(f: Frame, item: DiagItem, s: Stmt): { value: unknown; type: SqlType } {
  if (item === 'row_count') return { value: f.rowCount, type: Types.int8 };
  if (item === 'pg_context') return { value: f.contextLine(s), type: Types.text };
  const e = f.caught[f.caught.length - 1]!;
  const text = (v: string | undefined): { value: unknown; type: SqlType } => ({ value: v ?? '', type: Types.text });
  switch (item) {
    case 'returned_sqlstate': return text(e.code);
    case 'message_text': return text(e.message);
    case 'pg_exception_detail': return text(e.detail);
    case 'pg_exception_hint': return text(e.hint);
    case 'pg_exception_context': return text(e.where);
    case 'column_name': return text(e.column);
    case 'constraint_name': return text(e.constraint);
    case 'table_name': return text(e.table);
    case 'schema_name': return text(e.schema);
    default: return text('');
  }
}

export function execGetDiagnostics(f: Frame, s: Extract<Stmt, { k: 'getdiag' }>): number {
  for (const it of s.items) {
    const r = diagValue(f, it.item, s);
    assignTarget(f, it.target, r.value, r.type);
  }
  return NORMAL;
}

export function execTxn(f: Frame, s: Extract<Stmt, { k: 'txn' }>): number {
  const what = s.commit ? 'commit' : 'roll back';
  if (!f.info.isProcedure) throw new DbError('invalid_transaction_termination', 'invalid transaction termination');
  if (f.subtxnDepth > 0) {
    throw new DbError('invalid_transaction_termination', `cannot ${what} while a subtransaction is active`);
  }
  const host = f.host as TransactionControlHost;
  const fn = s.commit ? host.commit : host.rollback;
  if (fn === undefined) {
    throw new DbError('invalid_transaction_termination', 'invalid transaction termination',
      { hint: 'This host runs procedures inside the caller\'s transaction; COMMIT/ROLLBACK need a CALL outside a transaction block.' });
  }
  fn.call(host, s.chain);
  return NORMAL;
}

export { recordOf };
