/**
 * Storing values into variables: assignment coercion to the declared type, NOT NULL and
 * CONSTANT rules, record field assignment, and INTO (a row spread over targets, or a whole row
 * into a record) with STRICT's NO_DATA_FOUND / TOO_MANY_ROWS.
 */
import { DbError } from '../errors/index.ts';
import type { FieldInfo, HostQueryResult } from '../scripting/language.ts';
import { Types, type SqlType } from '../types/sql-type.ts';
import { SqlArray } from '../types/array.ts';
import type { IntoClause, SqlExpr, Target, VarDef } from './ast.ts';
import type { Frame } from './frame.ts';
import { evalExpr, recordOf } from './run-sql.ts';
import { coerceValue, RecordValue } from './values.ts';
import { newRow } from '../exec/new-row.ts';

/** Assigns a scalar value of type `from` to a variable. */
export function assignVar(f: Frame, v: VarDef, value: unknown, from: SqlType): void {
  if (v.kind === 'record') {
    if (value === null) {
      f.values[v.slot] = v.rowFields !== null ? RecordValue.nulls(v.rowFields) : null;
      return;
    }
    if (value instanceof RecordValue) {
      assignRecord(f, v, value.fields, value.values);
      return;
    }
    throw new DbError('datatype_mismatch', `cannot assign a non-composite value to a record variable "${v.name}"`);
  }
  if (value === null && v.notNull) {
    throw new DbError('null_value_not_allowed', `null value cannot be assigned to variable "${v.name}" declared NOT NULL`);
  }
  const to = v.type;
  f.values[v.slot] = to === null ? value : coerceValue(value, from, to, f.host.types);
}

/** Assigns a row to a record variable (a %ROWTYPE one keeps its own field types). */
export function assignRecord(f: Frame, v: VarDef, fields: readonly FieldInfo[], row: readonly unknown[] | null): void {
  const own = v.rowFields;
  if (own === null) {
    f.values[v.slot] = row === null ? RecordValue.nulls(fields) : new RecordValue(fields, row.slice());
    return;
  }
  const values = newRow(own.length);
  if (row !== null) {
    for (let i = 0; i < own.length && i < row.length; i++) {
      values[i] = coerceValue(row[i] ?? null, fields[i]!.type, own[i]!.type, f.host.types);
    }
  }
  f.values[v.slot] = new RecordValue(own, values);
}

/** Assigns to a target (variable or record field). */
export function assignTarget(f: Frame, t: Target, value: unknown, from: SqlType): void {
  if (t.k === 'var') {
    assignVar(f, t.v, value, from);
    return;
  }
  if (t.k === 'elem') {
    assignElement(f, t.v, t.index, value, from);
    return;
  }
  const r = recordOf(f, t.v);
  const i = r.fieldIndex(t.field);
  if (i < 0) throw new DbError('undefined_column', `record "${t.v.name}" has no field "${t.field}"`);
  r.values[i] = coerceValue(value, from, r.fields[i]!.type, f.host.types);
}

/**
 * `arr[i] := value`: a new array with element i set; a NULL array becomes one starting at i,
 * and assigning outside the bounds extends the array with NULLs, as PostgreSQL does.
 */
function assignElement(f: Frame, v: VarDef, index: SqlExpr, value: unknown, from: SqlType): void {
  const type = v.type;
  if (type === null || type.elem === null) throw new DbError('datatype_mismatch', `subscripted object "${v.name}" is not an array`);
  const elem = coerceValue(value, from, type.elem, f.host.types);
  const r = evalExpr(f, index);
  if (r.value === null) throw new DbError('null_value_not_allowed', 'array subscript in assignment must not be null');
  const idx = coerceValue(r.value, r.type, Types.int4, f.host.types) as number;
  const cur = f.values[v.slot];
  if (cur === null) {
    f.values[v.slot] = new SqlArray([elem], [1], [idx]);
    return;
  }
  const arr = cur as SqlArray;
  if (arr.ndim > 1) throw new DbError('feature_not_supported', 'assignment to elements of multidimensional arrays is not supported');
  const lower = arr.ndim === 0 ? idx : arr.lbounds[0]!;
  const elems = arr.elems.slice();
  let lb = lower;
  if (idx < lower) {
    elems.unshift(...new Array<unknown>(lower - idx).fill(null));
    lb = idx;
  }
  while (elems.length <= idx - lb) elems.push(null);
  elems[idx - lb] = elem;
  f.values[v.slot] = new SqlArray(elems, [elems.length], [lb]);
}

/** Spreads a row over targets: one record target takes the whole row. */
export function assignRow(f: Frame, targets: readonly Target[], fields: readonly FieldInfo[], row: readonly unknown[] | null): void {
  const first = targets[0]!;
  if (targets.length === 1 && first.k === 'var' && first.v.kind === 'record') {
    assignRecord(f, first.v, fields, row);
    return;
  }
  for (let i = 0; i < targets.length; i++) {
    const field = fields[i];
    const value = row === null || field === undefined ? null : (row[i] ?? null);
    assignTarget(f, targets[i]!, value, field?.type ?? targetType(f, targets[i]!));
  }
}

function targetType(f: Frame, t: Target): SqlType {
  if (t.k === 'elem') return t.v.type?.elem ?? Types.text;
  if (t.k === 'var') return t.v.type ?? { oid: 25, typmod: -1, elem: null };
  const r = recordOf(f, t.v);
  return r.fields[Math.max(0, r.fieldIndex(t.field))]?.type ?? { oid: 25, typmod: -1, elem: null };
}

const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** SELECT/RETURNING ... INTO: STRICT demands exactly one row; DML RETURNING at most one. */
export function assignInto(f: Frame, into: IntoClause, res: HostQueryResult): void {
  const n = res.rows.length;
  if (into.strict && n === 0) throw new DbError('no_data_found', 'query returned no rows');
  if (n > 1 && (into.strict || DML.has(res.command))) {
    throw new DbError('too_many_rows', 'query returned more than one row',
      { hint: 'Make sure the query returns a single row, or use LIMIT 1.' });
  }
  assignRow(f, into.targets, res.fields, res.rows[0] ?? null);
}
