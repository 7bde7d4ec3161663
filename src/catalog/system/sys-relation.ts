/**
 * Virtual system relations (pg_catalog / information_schema): their shape and the helpers every
 * relation family shares. Rows are computed when the statement runs, from the catalog version the
 * statement was bound against, so they are as transactional as the catalog itself.
 */
import type { Catalog } from '../catalog.ts';
import type { ConstraintDef, IndexDef, RelationDef, TableDef } from '../objects.ts';
import type { EvalContext, FunctionRegistry } from '../../functions/registry.ts';
import { SqlArray } from '../../types/array.ts';
import { Oid, typeOf, type SqlType } from '../../types/sql-type.ts';

export interface SysContext {
  readonly catalog: Catalog;
  readonly registry: FunctionRegistry;
  readonly eval: EvalContext;
}

export interface SysColumn {
  readonly name: string;
  readonly type: SqlType;
}

export interface SystemRelation {
  readonly schema: 'pg_catalog' | 'information_schema';
  readonly name: string;
  readonly columns: readonly SysColumn[];
  rows(sc: SysContext): unknown[][];
}

/** Column type shorthands (PostgreSQL 15 spellings). */
export const T = {
  oid: typeOf(Oid.oid),
  name: typeOf(Oid.name),
  text: typeOf(Oid.text),
  bool: typeOf(Oid.bool),
  int2: typeOf(Oid.int2),
  int4: typeOf(Oid.int4),
  int8: typeOf(Oid.int8),
  float4: typeOf(Oid.float4),
  char: typeOf(Oid.char),
  regproc: typeOf(Oid.regproc),
  // int2vector / oidvector are exposed as int2[] / oid[] (documented deviation).
  int2v: typeOf(Oid._int2),
  oidv: typeOf(Oid._oid),
  textArr: typeOf(Oid._text),
  nameArr: typeOf(Oid._name),
};

/** Builds a column list from `name:type` pairs written compactly. */
export function cols(spec: readonly [string, SqlType][]): SysColumn[] {
  return spec.map(([name, type]) => ({ name, type }));
}

export function arr(values: readonly unknown[]): SqlArray {
  return new SqlArray([...values]);
}

/** The single role (PostgreSQL's bootstrap superuser oid): every object is owned by it. */
export const SUPERUSER_OID = 10;
export const PG_CATALOG_OID = 11;
export const BTREE_AM_OID = 403;
export const HASH_AM_OID = 405;
/** Oxibase's bitmap index access method (PostgreSQL has none; an oid outside its range). */
export const BITMAP_AM_OID = 9403;
export const HEAP_AM_OID = 2;
export const DEFAULT_TABLESPACE_OID = 1663;
export const DATABASE_OID = 16383;
/** pg_class / pg_namespace / pg_constraint ... oids (classoid in pg_description). */
export const PG_CLASS_OID = 1259;
export const PG_NAMESPACE_OID = 2615;
export const PG_CONSTRAINT_OID = 2606;

/**
 * Constraints and column defaults have no oid of their own in the catalog; they get a stable
 * synthetic one derived from the table oid (table oids stay far below 2^31 / 1000).
 */
export function constraintOid(tableOid: number, index: number): number {
  return tableOid * 1000 + index;
}

export function attrdefOid(tableOid: number, attnum: number): number {
  return tableOid * 1000 + 500 + attnum;
}

export function findConstraint(catalog: Catalog, oid: number): { table: TableDef; con: ConstraintDef } | null {
  const rel = catalog.byOid.get(Math.floor(oid / 1000));
  if (rel?.kind !== 'table') return null;
  const con = rel.constraints[oid % 1000];
  return con ? { table: rel, con } : null;
}

export function schemaOid(catalog: Catalog, schema: string): number {
  return catalog.schemas.get(schema)?.oid ?? 0;
}

/** All relations in oid order (stable output without ORDER BY). */
export function relationsByOid(catalog: Catalog): RelationDef[] {
  return [...catalog.byOid.values()].sort((a, b) => a.oid - b.oid);
}

/** Logical (1-based) column number of a physical attnum, as pg_attribute.attnum shows it. */
export function logicalAttnum(table: TableDef, attnum: number): number {
  const i = table.columns.findIndex((c) => c.attnum === attnum);
  return i < 0 ? 0 : i + 1;
}

export function columnName(table: TableDef, attnum: number): string {
  return table.columns.find((c) => c.attnum === attnum)?.name ?? '?';
}

export function indexTable(catalog: Catalog, ix: IndexDef): TableDef | null {
  const t = catalog.byOid.get(ix.tableOid);
  return t?.kind === 'table' ? t : null;
}

/** Double-quotes an identifier when PostgreSQL would (quote_ident). */
export function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) && !RESERVED.has(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

const RESERVED = new Set(['all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'both', 'case', 'cast', 'check',
  'collate', 'column', 'constraint', 'create', 'default', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false',
  'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into', 'leading', 'limit',
  'not', 'null', 'offset', 'on', 'only', 'or', 'order', 'primary', 'references', 'returning', 'select', 'table',
  'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'when', 'where', 'with']);
