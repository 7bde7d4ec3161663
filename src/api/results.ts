/**
 * Converts engine statement results into the API's QueryResult shape (objects keyed by column
 * name, JS values per the documented mapping, PostgreSQL command tags).
 */
import type { StatementResult } from '../engine/dml/statement-env.ts';
import { toJs } from '../engine/js-values.ts';
import type { Session as EngineSession } from '../engine/session.ts';
import { formatType } from '../types/sql-type.ts';
import type { FieldInfo, Notice, QueryResult } from './types.ts';

export function fieldsOf(r: StatementResult): FieldInfo[] {
  return (r.columns ?? []).map((c) => ({ name: c.name, typeOid: c.type.oid, type: formatType(c.type) }));
}

export function toArrays(r: StatementResult, session: EngineSession): unknown[][] {
  if (r.rows === null || r.columns === null) return [];
  const ctx = session.typeContext(session.txn);
  const cols = r.columns;
  return r.rows.map((row) => cols.map((c, i) => toJs(row[i] ?? null, c.type, ctx)));
}

export function toQueryResult<R>(r: StatementResult, session: EngineSession, notices: readonly Notice[]): QueryResult<R> {
  const fields = fieldsOf(r);
  const arrays = toArrays(r, session);
  const rows = arrays.map((a) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) o[fields[i]!.name] = a[i];
    return o as R;
  });
  return { rows, fields, rowCount: r.rowCount, command: r.command, commandTag: r.tag, notices: [...notices] };
}
