/**
 * CREATE INDEX and REINDEX. CREATE INDEX binds key expressions and the partial-index predicate
 * (immutable functions only), picks the default method (B-tree for ordered key types, else hash),
 * checks uniqueness and evaluates every key over the visible rows (so a failing expression fails
 * the statement, as in PostgreSQL), then installs the index transactionally. CONCURRENTLY is
 * accepted: builds are in-memory and take the table's DDL lock for their (short) duration.
 */
import { DbError } from '../../errors/index.ts';
import type { CreateIndexStmt, ReindexStmt } from '../../sql/ast.ts';
import type { IndexDef, IndexKeyOption, StoredExpr, TableDef } from '../../catalog/objects.ts';
import { visibleVersion } from '../../storage/version.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { bindIndexShape } from '../../plan/binder/index-shape.ts';
import { chooseName, describeKeyFor, syncStoreIndexes, type DdlContext } from './ddl-context.ts';
import { buildIndexDef, defaultIndexMethod, rebuildIndexDef, type IndexMethod } from './index-builder.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import { hasOrdering, hashKeyFor } from '../../types/compare.ts';
import { formatType, type SqlType } from '../../types/sql-type.ts';

/** Whether values of `t` can be compared for equality (json cannot, in PostgreSQL). */
function hasEquality(t: SqlType): boolean {
  try {
    hashKeyFor(t);
    return true;
  } catch {
    return false;
  }
}

const METHODS: readonly string[] = ['btree', 'hash', 'bitmap'];

export function runCreateIndex(stmt: CreateIndexStmt, dc: DdlContext): StatementResult {
  const table = dc.catalog.requireTable(stmt.table, dc.searchPath);
  const keys: (number | StoredExpr)[] = stmt.elements.map((e) => {
    if (e.expr !== null) return { text: e.source?.text ?? '', expr: e.expr };
    const c = table.columns.find((x) => x.name === e.column);
    if (!c) throw new DbError('undefined_column', `column "${e.column}" does not exist`, { position: e.loc + 1 });
    return c.attnum;
  });
  const keyOptions: IndexKeyOption[] = stmt.elements.map((e) => {
    const desc = e.direction === 'desc';
    return { desc, nullsFirst: e.nulls === 'default' ? desc : e.nulls === 'first' };
  });
  const include = stmt.include.map((n) => {
    const c = table.columns.find((x) => x.name === n);
    if (!c) throw new DbError('undefined_column', `column "${n}" does not exist`, { position: stmt.loc + 1 });
    return c.attnum;
  });
  const predicate: StoredExpr | null = stmt.where === null ? null : { text: stmt.whereSource?.text ?? '', expr: stmt.where };
  const shape = bindIndexShape(dc.catalog, table, keys, include, predicate);
  let method: IndexMethod;
  if (stmt.method === null) {
    method = defaultIndexMethod(shape.types);
  } else {
    const m = stmt.method.toLowerCase();
    if (!METHODS.includes(m)) {
      throw new DbError('undefined_object', `access method "${m}" does not exist`, { position: stmt.loc + 1 });
    }
    method = m as IndexMethod;
  }
  if (method !== 'btree' && keys.length > 1 && method === 'hash') {
    throw new DbError('feature_not_supported', 'access method "hash" does not support multicolumn indexes', { position: stmt.loc + 1 });
  }
  shape.types.forEach((t, i) => {
    const ok = method === 'btree' ? hasOrdering(t) : hasEquality(t);
    if (ok) return;
    throw new DbError('undefined_object', `data type ${formatType(t)} has no default operator class for access method "${method}"`, {
      hint: 'You must specify an operator class for the index or define a default operator class for the data type.',
      position: (stmt.elements[i]?.loc ?? stmt.loc) + 1,
    });
  });
  if (stmt.unique && method !== 'btree') {
    throw new DbError('feature_not_supported', `access method "${method}" does not support unique indexes`, { position: stmt.loc + 1 });
  }
  const name = stmt.name ?? chooseName(dc.catalog, table.schema, `${table.name}_${autoNamePart(table, stmt, keys)}_idx`);
  if (dc.catalog.getRelation(table.schema, name)) {
    if (stmt.ifNotExists) { dc.notice(`relation "${name}" already exists, skipping`); return resultOf('CREATE INDEX', 0); }
    throw new DbError('duplicate_table', `relation "${name}" already exists`, { position: stmt.loc + 1 });
  }
  table.store.enterDdl(dc.txn);
  const index = buildIndexDef(dc.catalog, table, {
    name, keys, include, unique: stmt.unique, primary: false, method, constraint: null,
    nullsNotDistinct: stmt.nullsNotDistinct, predicate, keyOptions,
  });
  // Only an expression or a predicate can fail on a row, and only a unique index can find a
  // duplicate: a plain-column index has nothing to check (the scan was a fifth of its build).
  if (index.unique || predicate !== null || keys.some((k) => typeof k !== 'number')) checkExisting(dc, table, index);
  const next: TableDef = { ...table, indexes: [...table.indexes, index] };
  dc.catalog.replaceRelation(table, next);
  dc.catalog.putRelation(index);
  syncStoreIndexes(dc, next);
  return resultOf('CREATE INDEX', 0);
}

/** PostgreSQL's generated name part: the column names, or "expr" for expressions. */
function autoNamePart(table: TableDef, stmt: CreateIndexStmt, keys: readonly (number | StoredExpr)[]): string {
  const parts = keys.map((k) => (typeof k === 'number' ? table.columns.find((c) => c.attnum === k)!.name : 'expr'));
  void stmt;
  return parts.join('_');
}

/** Evaluates the index's keys over the visible rows; for a unique index, rejects duplicates. */
function checkExisting(dc: DdlContext, table: TableDef, index: IndexDef): void {
  const seen = new Set<unknown>();
  for (const slot of table.store.slots) {
    const v = visibleVersion(slot, dc.ctx.snapshot);
    if (v === null) continue;
    const row = v.values.length < table.nextAttnum ? widenRow(v.values, table) : v.values;
    index.runtime.entryOf(row);
    if (!index.unique) continue;
    const key = index.runtime.keyOf(row);
    if (key === null) continue;
    if (seen.has(key)) {
      throw new DbError('unique_violation', `could not create unique index "${index.name}"`, { detail: `Key ${describeKeyFor(table, index)(row)} is duplicated.`, constraint: index.name });
    }
    seen.add(key);
  }
}

/** REINDEX INDEX / TABLE / SCHEMA / DATABASE: rebuilds the runtime structures from the rows. */
export function runReindex(stmt: ReindexStmt, dc: DdlContext): StatementResult {
  const tables: TableDef[] = [];
  if (stmt.target === 'index') {
    const rel = dc.catalog.findRelation(stmt.name!, dc.searchPath);
    if (rel?.kind !== 'index') {
      throw new DbError('undefined_object', `index "${stmt.name!.name}" does not exist`, { position: stmt.loc + 1 });
    }
    const t = dc.catalog.byOid.get(rel.tableOid);
    if (t?.kind === 'table') tables.push(t);
  } else if (stmt.target === 'table') {
    tables.push(dc.catalog.requireTable(stmt.name!, dc.searchPath));
  } else {
    const schema = stmt.target === 'schema' ? stmt.name?.name ?? null : null;
    for (const t of dc.catalog.tables()) if (schema === null || t.schema === schema) tables.push(t);
  }
  for (const table of tables) {
    table.store.enterDdl(dc.txn);
    const indexes = table.indexes.map((i) => rebuildIndexDef(dc.catalog, table, i));
    const next: TableDef = { ...table, indexes };
    dc.catalog.replaceRelation(table, next);
    for (const idx of indexes) {
      const old = dc.catalog.byOid.get(idx.oid);
      if (old !== undefined) dc.catalog.removeRelation(old);
      dc.catalog.putRelation(idx);
    }
    syncStoreIndexes(dc, next);
  }
  return resultOf('REINDEX', 0);
}
