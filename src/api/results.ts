/**
 * Converts engine statement results into the API's QueryResult shape (objects keyed by column
 * name, JS values per the documented mapping, PostgreSQL command tags).
 */
import type { StatementResult } from '../engine/dml/statement-env.ts';
import { toJs } from '../engine/js-values.ts';
import type { Session as EngineSession } from '../engine/session.ts';
import { formatType } from '../types/sql-type.ts';
import type { FieldInfo, Notice, QueryResult } from './types.ts';

/** Field lists by result column list: a cached plan returns the same columns on every run. */
const fieldsByColumns = new WeakMap<NonNullable<StatementResult['columns']>, readonly FieldInfo[]>();
const NO_FIELDS: readonly FieldInfo[] = [];

export function fieldsOf(r: StatementResult): readonly FieldInfo[] {
  const cols = r.columns;
  if (cols === null) return NO_FIELDS;
  let fields = fieldsByColumns.get(cols);
  if (fields === undefined) {
    fields = cols.map((c) => ({ name: c.name, typeOid: c.type.oid, type: formatType(c.type) }));
    fieldsByColumns.set(cols, fields);
  }
  return fields;
}

export function toArrays(r: StatementResult, session: EngineSession): unknown[][] {
  if (r.rows === null || r.columns === null) return [];
  const rows = r.rows;
  if (rows.length === 0) return [];
  const ctx = session.typeContext(session.txn);
  const cols = r.columns;
  const n = cols.length;
  // Plain loops: this runs for every row of every API result (one row for point lookups).
  const out: unknown[][] = new Array(rows.length);
  for (let j = 0; j < rows.length; j++) {
    const row = rows[j]!;
    const o: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) o[i] = toJs(row[i] ?? null, cols[i]!.type, ctx);
    out[j] = o;
  }
  return out;
}

/** The notices of a statement that raised none (most): one shared, frozen list. */
const NO_NOTICES: readonly Notice[] = Object.freeze([]);

export function toQueryResult<R>(r: StatementResult, session: EngineSession, notices: readonly Notice[]): QueryResult<R> {
  const fields = fieldsOf(r);
  // A script's exec keeps one result per statement until it ends (25,000 for a script of
  // INSERTs): a statement without rows or notices allocates nothing beyond its result.
  const rows: R[] = r.rows === null || r.rows.length === 0 ? [] : toArrays(r, session).map((a) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) o[fields[i]!.name] = a[i];
    return o as R;
  });
  return { rows, fields, rowCount: r.rowCount, command: r.command, commandTag: r.tag, notices: notices.length === 0 ? NO_NOTICES : [...notices] };
}
