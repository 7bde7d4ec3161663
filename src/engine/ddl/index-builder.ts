/**
 * Builds index definitions with their runtime structures: binds and compiles key expressions and
 * the partial-index predicate, derives the key codec, and instantiates the structure of the
 * index's method (B-tree, hash or bitmap). Also picks the default method of CREATE INDEX without
 * USING.
 */
import type { Catalog } from '../../catalog/catalog.ts';
import type { IndexDef, IndexKeyOption, StoredExpr, TableDef } from '../../catalog/objects.ts';
import { keyCodec, type KeyPartFn } from '../../catalog/index-keys.ts';
import { HashIndex, type RowIndex } from '../../storage/row-index.ts';
import { BTreeIndex } from '../../storage/btree-index.ts';
import { BitmapIndex } from '../../storage/bitmap-index.ts';
import { bindIndexShape, registerIndexShape } from '../../plan/binder/index-shape.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import { comparatorFor, hasOrdering, ordersByCodePoint } from '../../types/compare.ts';
import { defaultTypeContext } from '../../types/context.ts';
import type { SqlType } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';

export type IndexMethod = 'btree' | 'hash' | 'bitmap';

export interface IndexSpec {
  readonly name: string;
  readonly keys: readonly (number | StoredExpr)[];
  readonly include?: readonly number[];
  readonly unique: boolean;
  readonly primary: boolean;
  readonly method: IndexMethod;
  readonly constraint: string | null;
  readonly nullsNotDistinct: boolean;
  readonly predicate?: StoredExpr | null;
  readonly keyOptions?: readonly IndexKeyOption[];
}

/**
 * Index expressions are immutable (checked when bound), so they never read the session,
 * parameters or the environment; this context is all their evaluation needs.
 */
const indexEvalContext = {
  get env(): never { throw new Error('index expression used the environment'); },
  types: defaultTypeContext,
  txnStartMicros: 0,
  statementStartMicros: 0,
  setting: () => null,
  user: '',
  database: '',
  searchPath: [],
  catalog: null,
  params: [],
  outer: [],
} as unknown as ExecContext;

/** Default method without USING: B-tree (PostgreSQL's default) when the key types are ordered. */
export function defaultIndexMethod(types: readonly SqlType[]): IndexMethod {
  return types.every((t) => hasOrdering(t)) ? 'btree' : 'hash';
}

export function buildIndexDef(catalog: Catalog, table: TableDef, spec: IndexSpec, oid?: number): IndexDef {
  const predicate = spec.predicate ?? null;
  const include = spec.include ?? [];
  const shape = bindIndexShape(catalog, table, spec.keys, include, predicate);
  const width = table.nextAttnum;
  const missing = new Array<unknown>(width).fill(null);
  for (const c of table.columns) missing[c.attnum] = c.missing ?? null;
  // Versions stored before ADD COLUMN are shorter than the table: widen before evaluating.
  const widen = (row: Row): Row => {
    if (row.length >= width) return row;
    const out = row.slice();
    for (let i = row.length; i < width; i++) out.push(missing[i]);
    return out;
  };
  const compiled = (ev: Evaluator): KeyPartFn => (row) => ev(widen(row), indexEvalContext) ?? null;
  const parts: KeyPartFn[] = shape.keys.map((k) => {
    if (k.k === 'col' && k.levelsUp === 0) {
      const a = k.index;
      const miss = missing[a] ?? null;
      return (row: Row) => (a < row.length ? (row[a] ?? null) : miss);
    }
    return compiled(compileExpr(k));
  });
  let covers: ((row: Row) => boolean) | null = null;
  if (shape.predicate !== null) {
    const ev = compileExpr(shape.predicate);
    covers = (row) => ev(widen(row), indexEvalContext) === true;
  }
  const codec = keyCodec(parts, shape.types, spec.nullsNotDistinct, covers);
  const keyOf = (row: Row) => codec.ofRow(row);
  const entryOf = (row: Row) => codec.entryOf(row);
  const options = spec.keyOptions ?? spec.keys.map(() => ({ desc: false, nullsFirst: false }));
  let runtime: RowIndex;
  if (spec.method === 'btree' && shape.types.every((t) => hasOrdering(t))) {
    const columns = shape.types.map((t, i) => ({
      cmp: comparatorFor(t), desc: options[i]?.desc ?? false, nullsFirst: options[i]?.nullsFirst ?? false,
      codePoint: ordersByCodePoint(t),
    }));
    // Entries carry the INCLUDE columns after the key parts (not compared; index-only scans read
    // them). A one-column key without them is stored as the value itself, not a tuple.
    const incl = include.map((a) => ({ a, miss: missing[a] ?? null }));
    if (incl.length === 0 && parts.length === 1) {
      runtime = new BTreeIndex(spec.name, spec.unique, keyOf, entryOf, parts[0]!, columns, true);
    } else {
      const valuesOf = incl.length === 0 ? (row: Row) => codec.valuesOf(row) : (row: Row) => {
        const vals = codec.valuesOf(row);
        for (const { a, miss } of incl) vals.push(a < row.length ? (row[a] ?? null) : miss);
        return vals;
      };
      runtime = new BTreeIndex(spec.name, spec.unique, keyOf, entryOf, valuesOf, columns);
    }
  } else if (spec.method === 'bitmap') {
    runtime = new BitmapIndex(spec.name, spec.unique, keyOf, entryOf);
  } else {
    runtime = new HashIndex(spec.name, spec.unique, keyOf, entryOf);
  }
  const def: IndexDef = {
    kind: 'index', oid: oid ?? catalog.allocOid(), schema: table.schema, name: spec.name, tableOid: table.oid,
    unique: spec.unique, primary: spec.primary, method: spec.method, keys: spec.keys, include,
    predicate, nullsNotDistinct: spec.nullsNotDistinct, constraint: spec.constraint, runtime, codec, comment: null,
    ...(spec.keyOptions !== undefined && spec.keyOptions.some((o) => o.desc || o.nullsFirst) ? { keyOptions: spec.keyOptions } : {}),
  };
  registerIndexShape(def, shape);
  return def;
}

/** Rebuilds an index definition for a changed table (renamed/retyped columns keep attnums). */
export function rebuildIndexDef(catalog: Catalog, table: TableDef, index: IndexDef): IndexDef {
  return {
    ...buildIndexDef(catalog, table, {
      name: index.name, keys: index.keys, include: index.include, unique: index.unique,
      primary: index.primary, method: index.method, constraint: index.constraint, nullsNotDistinct: index.nullsNotDistinct,
      predicate: index.predicate, ...(index.keyOptions !== undefined ? { keyOptions: index.keyOptions } : {}),
    }, index.oid),
    comment: index.comment,
  };
}
