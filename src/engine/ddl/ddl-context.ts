/**
 * What DDL statements work with: the transaction's private catalog copy (edited in place, installed
 * at commit), the session's search path and owner, and undo hooks for the runtime structures DDL
 * touches outside the catalog (index sets of table stores).
 */
import { DbError } from '../../errors/index.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { IndexDef, TableDef } from '../../catalog/objects.ts';
import type { Txn } from '../../txn/txn.ts';
import type { BindContext } from '../../plan/binder/bind-context.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import type { UniqueIndexInfo } from '../../storage/table-store.ts';
import type { Database } from '../database.ts';
import { outputFunction } from '../../types/text-io.ts';

export interface DdlContext {
  readonly db: Database;
  readonly catalog: Catalog;
  readonly txn: Txn;
  readonly searchPath: readonly string[];
  readonly user: string;
  readonly bc: BindContext;
  readonly ctx: ExecContext;
  /** Registers an action that undoes a runtime change if the statement or transaction rolls back. */
  onUndo(fn: () => void): void;
  /** Raises a NOTICE; `detail` is PostgreSQL's DETAIL line (e.g. the objects a DROP cascaded to). */
  notice(message: string, detail?: string): void;
}

/** Makes a table's store maintain exactly the table's indexes (undone on rollback). */
export function syncStoreIndexes(dc: DdlContext, table: TableDef): void {
  const store = table.store;
  const prevIndexes = store.indexes;
  const prevUniques = store.uniques;
  const uniques: UniqueIndexInfo[] = table.indexes.filter((i) => i.unique).map((i) => ({
    index: i.runtime,
    constraintName: i.constraint ?? i.name,
    describe: describeKeyFor(table, i),
  }));
  store.setIndexes(table.indexes.map((i) => i.runtime), uniques);
  dc.onUndo(() => store.setIndexes(prevIndexes, prevUniques));
}

/** Renders an index key of a row as PostgreSQL's "(a, b)=(1, 2)" (unique-violation details). */
export function describeKeyFor(table: TableDef, index: IndexDef): (row: unknown[]) => string {
  const cols = index.keys.map((k) => (typeof k === 'number' ? table.columns.find((c) => c.attnum === k) : undefined));
  const names = cols.map((c, i) => c?.name ?? (index.keys[i] as { text: string }).text).join(', ');
  return (row) => {
    const vals = cols.map((c) => {
      if (!c) return '?';
      const v = row[c.attnum];
      return v === null || v === undefined ? 'null' : outputFunction(c.type)(v, { timeZone: 'UTC', nowMicros: 0, extraFloatDigits: 1, intervalStyle: 'postgres' });
    });
    return `(${names})=(${vals.join(', ')})`;
  };
}

/** PostgreSQL-style unique object name within a schema: base, base1, base2 ... */
export function chooseName(catalog: Catalog, schema: string, base: string): string {
  const trimmed = base.slice(0, 63);
  if (!catalog.getRelation(schema, trimmed)) return trimmed;
  for (let i = 1; ; i++) {
    const cand = `${base.slice(0, 63 - String(i).length)}${i}`;
    if (!catalog.getRelation(schema, cand)) return cand;
  }
}

export function relationExists(kind: string, name: string): DbError {
  return new DbError('duplicate_table', `relation "${name}" already exists`);
  void kind;
}
