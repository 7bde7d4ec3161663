/**
 * Builds index definitions with their runtime structures. Every index method currently has a hash
 * implementation (equality lookups, uniqueness); ordered B-tree scans and bitmaps arrive with the
 * indexing issue behind the same RowIndex interface.
 */
import type { Catalog } from '../../catalog/catalog.ts';
import type { IndexDef, TableDef } from '../../catalog/objects.ts';
import { indexKeyCodec } from '../../catalog/index-keys.ts';
import { HashIndex } from '../../storage/row-index.ts';

export interface IndexSpec {
  readonly name: string;
  readonly keys: readonly number[];
  readonly include?: readonly number[];
  readonly unique: boolean;
  readonly primary: boolean;
  readonly method: 'btree' | 'hash' | 'bitmap';
  readonly constraint: string | null;
  readonly nullsNotDistinct: boolean;
}

export function buildIndexDef(catalog: Catalog, table: TableDef, spec: IndexSpec, oid?: number): IndexDef {
  const cols = spec.keys.map((a) => table.columns.find((c) => c.attnum === a)!);
  const codec = indexKeyCodec(spec.keys, cols.map((c) => c.type), cols.map((c) => c.missing), spec.nullsNotDistinct);
  const runtime = new HashIndex(spec.name, spec.unique, (row) => codec.ofRow(row));
  return {
    kind: 'index', oid: oid ?? catalog.allocOid(), schema: table.schema, name: spec.name, tableOid: table.oid,
    unique: spec.unique, primary: spec.primary, method: spec.method, keys: spec.keys, include: spec.include ?? [],
    predicate: null, nullsNotDistinct: spec.nullsNotDistinct, constraint: spec.constraint, runtime, codec, comment: null,
  };
}

/** Rebuilds an index definition for a changed table (renamed/retyped columns keep attnums). */
export function rebuildIndexDef(catalog: Catalog, table: TableDef, index: IndexDef): IndexDef {
  return {
    ...buildIndexDef(catalog, table, {
      name: index.name, keys: index.keys as number[], include: index.include, unique: index.unique,
      primary: index.primary, method: index.method, constraint: index.constraint, nullsNotDistinct: index.nullsNotDistinct,
    }, index.oid),
    comment: index.comment,
  };
}
