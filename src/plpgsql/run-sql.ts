/**
 * Runs the SQL of a PL/pgSQL body through the host: builds the text with $n parameters for the
 * variables it references, prepares it once per host (and per record shape, for references to
 * RECORD fields), and evaluates expressions (exactly one column, at most one row).
 */
import { DbError } from '../errors/index.ts';
import type { FieldInfo, HostPrepared, HostQueryResult } from '../scripting/language.ts';
import { formatType, Types, type SqlType } from '../types/sql-type.ts';
import type { SqlExpr, SqlRef, VarDef } from './ast.ts';
import { tryCompileDirect } from './fast-expr.ts';
import type { Frame, PreparedExpr } from './frame.ts';
import { RecordValue } from './values.ts';

/** The record held by a variable, or the error PostgreSQL gives for an unassigned one. */
export function recordOf(f: Frame, v: VarDef): RecordValue {
  const r = f.values[v.slot];
  if (r instanceof RecordValue) return r;
  throw new DbError('object_not_in_prerequisite_state', `record "${v.name}" is not assigned yet`,
    { detail: 'The tuple structure of a not-yet-assigned record is indeterminate.' });
}

function fieldIndexOf(f: Frame, v: VarDef, field: string): number {
  const r = recordOf(f, v);
  const i = r.fieldIndex(field);
  if (i < 0) throw new DbError('undefined_column', `record "${v.name}" has no field "${field}"`);
  return i;
}

/**
 * The record an expression consisting of one whole-record reference (`RETURN r`, `x := r`,
 * RAISE's `%` of r) stands for, taken directly instead of through SQL; undefined for any other
 * expression, null for an unassigned or NULL record.
 */
export function wholeRecord(f: Frame, e: SqlExpr): RecordValue | null | undefined {
  const p = e.parts;
  if (p.length !== 2 || p[0] !== 'SELECT ') return undefined;
  const ref = p[1]!;
  if (typeof ref === 'string' || ref.k !== 'rec' || ref.wrap !== null) return undefined;
  const v = f.values[ref.v.slot];
  return v instanceof RecordValue ? v : null;
}

/** Signature of the record shapes an expression depends on (cache key for non-static SQL). */
function shapeKey(f: Frame, e: SqlExpr): string {
  let key = '';
  for (const p of e.parts) {
    if (typeof p === 'string' || p.k === 'var') continue;
    if (p.k === 'recdistinct') {
      key += `${p.v.slot}~${p.other.slot}(${shapeOf(recordOf(f, p.v))}/${shapeOf(recordOf(f, p.other))})`;
      continue;
    }
    const r = recordOf(f, p.v);
    if (r.isNull && p.k === 'rec') {
      key += `${p.v.slot}(null)`;
      continue;
    }
    key += `${p.v.slot}(`;
    for (const fi of r.fields) key += `${fi.name}:${fi.type.oid}.${fi.type.typmod},`;
    key += ')';
  }
  return key;
}

function shapeOf(r: RecordValue): string {
  if (r.isNull) return 'null';
  let s = '';
  for (const fi of r.fields) s += `${fi.name}:${fi.type.oid}.${fi.type.typmod},`;
  return s;
}

/** Text, parameter types and value getters of an expression for the frame's current shapes. */
function build(f: Frame, e: SqlExpr): { sql: string; paramTypes: SqlType[]; getters: ((f: Frame) => unknown)[] } {
  let sql = '';
  const paramTypes: SqlType[] = [];
  const getters: ((f: Frame) => unknown)[] = [];
  const seen = new Map<string, number>();
  const param = (id: string, type: SqlType, get: (f: Frame) => unknown): string => {
    let n = seen.get(id);
    if (n === undefined) {
      paramTypes.push(type);
      getters.push(get);
      n = paramTypes.length;
      seen.set(id, n);
    }
    return `$${n}`;
  };
  for (const p of e.parts) {
    if (typeof p === 'string') sql += p;
    else if (p.k === 'var' && p.written !== undefined && e.relations.length > 0 && isColumnToo(f, e, p.written)) {
      if (f.info.ast.conflict === 'error') {
        throw new DbError('ambiguous_column', `column reference "${p.written}" is ambiguous`,
          { detail: 'It could refer to either a PL/pgSQL variable or a table column.' });
      }
      sql += p.written;
    } else sql += refSql(f, p, param);
  }
  return { sql, paramTypes, getters };
}

/**
 * Whether a bare variable name is also a column of a relation the statement uses (PostgreSQL's
 * plpgsql.variable_conflict check; `use_variable` skips it). Column lists are looked up once
 * per host; a name that is no table (a CTE) has none.
 */
function isColumnToo(f: Frame, e: SqlExpr, written: string): boolean {
  if (f.info.ast.conflict === 'use_variable') return false;
  const name = written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : written.toLowerCase();
  for (const rel of e.relations) {
    let cols = f.cache.columns.get(rel);
    if (cols === undefined) {
      cols = probeColumns(f, rel);
      f.cache.columns.set(rel, cols);
    }
    if (cols.includes(name)) return true;
  }
  return false;
}

function probeColumns(f: Frame, rel: string): readonly string[] {
  const host = f.host;
  try {
    return host.subtransaction(() => host.query(`SELECT * FROM ${rel} LIMIT 0`)).fields.map((x) => x.name);
  } catch (e) {
    if (e instanceof DbError) return [];
    throw e;
  }
}

function refSql(f: Frame, p: SqlRef, param: (id: string, type: SqlType, get: (f: Frame) => unknown) => string): string {
  const v = p.v;
  const slot = v.slot;
  if (p.k === 'var') {
    const type = v.type ?? Types.text;
    // A typed parameter keeps PostgreSQL's operator resolution for the variable's declared type.
    return param(`v${slot}`, type, (fr) => fr.values[slot]);
  }
  if (p.k === 'recdistinct') return distinctSql(f, p.v, p.other, p.negated, param);
  const r = recordOf(f, v);
  if (p.k === 'field') {
    const i = fieldIndexOf(f, v, p.field);
    return param(`f${slot}.${i}`, r.fields[i]!.type, (fr) => (fr.values[slot] as RecordValue).values[i]);
  }
  if (r.isNull) return p.wrap === null ? 'NULL' : `NULL::${p.wrap}`;
  const items = r.fields.map((fi, i) => param(`f${slot}.${i}`, fi.type, (fr) => (fr.values[slot] as RecordValue).values[i]));
  if (p.wrap === null) return `ROW(${items.join(', ')})`;
  const pairs = r.fields.map((fi, i) => `'${fi.name.replace(/'/g, "''")}', ${items[i]}`);
  return `${p.wrap}_build_object(${pairs.join(', ')})`;
}

/** Row IS [NOT] DISTINCT FROM row, field by field (NULL rows: only NULL is not distinct from NULL). */
function distinctSql(f: Frame, a: VarDef, b: VarDef, negated: boolean,
  param: (id: string, type: SqlType, get: (f: Frame) => unknown) => string): string {
  const ra = recordOf(f, a);
  const rb = recordOf(f, b);
  if (ra.isNull || rb.isNull) return String((ra.isNull !== rb.isNull) !== negated);
  if (ra.fields.length !== rb.fields.length) {
    throw new DbError('datatype_mismatch', 'cannot compare record types with different numbers of columns');
  }
  const terms = ra.fields.map((fa, i) => {
    const pa = param(`f${a.slot}.${i}`, fa.type, (fr) => (fr.values[a.slot] as RecordValue).values[i]);
    const pb = param(`f${b.slot}.${i}`, rb.fields[i]!.type, (fr) => (fr.values[b.slot] as RecordValue).values[i]);
    return `${pa} IS DISTINCT FROM ${pb}`;
  });
  const any = terms.length === 0 ? 'false' : `(${terms.join(' OR ')})`;
  return negated ? `(NOT ${any})` : any;
}

function prepare(f: Frame, e: SqlExpr): PreparedExpr {
  const slot = f.cache.exprs[e.id];
  if (e.isStatic) return (slot as PreparedExpr | undefined) ?? store(f, e, '', null);
  // Record-dependent SQL: the same field arrays as last time (a trigger on one table, a loop over
  // one query) is the common case and needs no key string.
  const shapes = slot as ShapeCache | undefined;
  if (shapes !== undefined && shapes.last !== null && sameShapes(f, e, shapes.lastFields)) return shapes.last;
  const key = shapeKey(f, e);
  const hit = shapes?.byKey.get(key);
  const entry = hit ?? store(f, e, key, shapes ?? null);
  const cache = f.cache.exprs[e.id] as ShapeCache;
  cache.last = entry;
  cache.lastFields = currentShapes(f, e);
  return entry;
}

/** Prepared variants of one record-dependent expression, by shape. */
interface ShapeCache {
  readonly byKey: Map<string, PreparedExpr>;
  last: PreparedExpr | null;
  /** Field arrays (null: a NULL row) of the records the expression references, in order. */
  lastFields: (readonly FieldInfo[] | null)[];
}

function currentShapes(f: Frame, e: SqlExpr): (readonly FieldInfo[] | null)[] {
  const out: (readonly FieldInfo[] | null)[] = [];
  for (const p of e.parts) {
    if (typeof p === 'string' || p.k === 'var') continue;
    const r = recordOf(f, p.v);
    out.push(r.isNull ? null : r.fields);
    if (p.k === 'recdistinct') {
      const o = recordOf(f, p.other);
      out.push(o.isNull ? null : o.fields);
    }
  }
  return out;
}

function sameShapes(f: Frame, e: SqlExpr, last: readonly (readonly FieldInfo[] | null)[]): boolean {
  let i = 0;
  const same = (v: VarDef): boolean => {
    const r = f.values[v.slot];
    if (!(r instanceof RecordValue)) return false;
    return (r.isNull ? null : r.fields) === last[i++];
  };
  for (const p of e.parts) {
    if (typeof p === 'string' || p.k === 'var') continue;
    if (!same(p.v)) return false;
    if (p.k === 'recdistinct' && !same(p.other)) return false;
  }
  return true;
}

/** Builds, prepares and caches the expression for the frame's current record shapes. */
function store(f: Frame, e: SqlExpr, key: string, shapes: ShapeCache | null): PreparedExpr {
  const b = build(f, e);
  const direct = e.utility === true ? null : tryCompileDirect(f, b.sql, b.paramTypes, b.getters);
  const prepared = direct === null && e.utility !== true ? f.host.prepare(b.sql, b.paramTypes) : null;
  const entry: PreparedExpr = { key, sql: b.sql, paramTypes: b.paramTypes, getters: b.getters, prepared, direct };
  if (e.isStatic) f.cache.exprs[e.id] = entry;
  else {
    const cache = shapes ?? { byKey: new Map(), last: null, lastFields: [] };
    cache.byKey.set(key, entry);
    f.cache.exprs[e.id] = cache;
  }
  return entry;
}

function hostPrepared(f: Frame, pe: PreparedExpr): HostPrepared {
  return pe.prepared ??= f.host.prepare(pe.sql, pe.paramTypes);
}

function params(f: Frame, pe: PreparedExpr): unknown[] {
  const g = pe.getters;
  const out = new Array<unknown>(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i]!(f);
  return out;
}

/** Runs an SQL statement (or expression's SELECT) of the body. */
export function runSql(f: Frame, e: SqlExpr): HostQueryResult {
  const pe = prepare(f, e);
  try {
    // Utility statements have no plan to keep; PostgreSQL runs them afresh each time too.
    if (e.utility === true) return f.host.query(pe.sql, params(f, pe), pe.paramTypes);
    return hostPrepared(f, pe).run(params(f, pe));
  } catch (err) {
    // PostgreSQL's context names the failing statement before the function line.
    if (err instanceof DbError) {
      const line = `SQL statement "${e.text}"`;
      err.where = err.where === undefined || err.where === '' ? line : `${err.where}\n${line}`;
    }
    throw err;
  }
}

/** A scalar expression's value and type. */
export function evalExpr(f: Frame, e: SqlExpr): { value: unknown; type: SqlType } {
  const pe = prepare(f, e);
  if (pe.direct !== null) return pe.direct(f);
  const res = hostPrepared(f, pe).run(params(f, pe));
  return single(f, e, res);
}

/**
 * The value of a one-column, at-most-one-row result, in the frame's reused result object (no
 * allocation per evaluation: callers read it before the next evaluation).
 */
function single(f: Frame, e: SqlExpr, res: HostQueryResult): { value: unknown; type: SqlType } {
  if (res.fields.length !== 1) {
    throw new DbError('syntax_error', `query "${e.text}" returned ${res.fields.length} columns`);
  }
  if (res.rows.length > 1) throw new DbError('cardinality_violation', `query "${e.text}" returned more than one row`);
  const row = res.rows[0];
  const out = f.result;
  out.value = row === undefined ? null : (row[0] ?? null);
  out.type = res.fields[0]!.type;
  return out;
}

/** A condition (IF, WHILE, EXIT WHEN): NULL counts as false. */
export function evalBool(f: Frame, e: SqlExpr): boolean {
  const r = evalExpr(f, e);
  if (r.value === null || r.value === true) return r.value === true;
  if (typeof r.value === 'boolean') return r.value;
  throw new DbError('datatype_mismatch', `query "${e.text}" returned type ${formatType(r.type)} where a boolean was expected`);
}
