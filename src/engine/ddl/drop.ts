/**
 * DROP TABLE / VIEW / SEQUENCE / INDEX / SCHEMA with IF EXISTS and RESTRICT / CASCADE. Dependencies
 * tracked: foreign keys referencing a table, sequences owned by a table's columns, indexes of a
 * table, views reading a relation (found by re-binding stored view queries), objects in a schema.
 */
import { dropRoutineInCatalog } from '../../catalog/routines.ts';
import { DbError } from '../../errors/index.ts';
import type { DropStmt, ObjectName } from '../../sql/ast.ts';
import type { RelationDef, TableDef, ViewDef } from '../../catalog/objects.ts';
import { BindContext } from '../../plan/binder/bind-context.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { syncStoreIndexes, type DdlContext } from './ddl-context.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';

const TAGS: Record<DropStmt['objectType'], string> = {
  table: 'DROP TABLE', view: 'DROP VIEW', materialized_view: 'DROP MATERIALIZED VIEW', sequence: 'DROP SEQUENCE',
  schema: 'DROP SCHEMA', index: 'DROP INDEX', type: 'DROP TYPE', domain: 'DROP DOMAIN', extension: 'DROP EXTENSION',
};

const KIND_NAMES: Record<string, string> = { table: 'table', view: 'view', sequence: 'sequence', index: 'index' };

/** Every relation a view's query reads, through other views too (empty if it no longer binds). */
function relationsRead(dc: DdlContext, view: ViewDef): ReadonlySet<number> {
  const bc = new BindContext({ catalog: dc.catalog, searchPath: [view.schema, ...dc.searchPath], registry: dc.db.registry, paramTypes: [], types: dc.ctx.types });
  try {
    bindQuery(view.query, new Scope(null), bc);
  } catch {
    return new Set();
  }
  return bc.relationsUsed;
}

/**
 * Views whose stored query reads relation `oid` directly (not only through another view), the
 * way pg_depend records a view's dependencies.
 */
function viewsUsing(dc: DdlContext, oid: number): ViewDef[] {
  const out: ViewDef[] = [];
  for (const rel of dc.catalog.relations.values()) {
    if (rel.kind !== 'view' || rel.oid === oid) continue;
    const used = relationsRead(dc, rel);
    if (!used.has(oid)) continue;
    const viaOtherView = [...used].some((u) => {
      const w = dc.catalog.byOid.get(u);
      return w?.kind === 'view' && w.oid !== rel.oid && w.oid !== oid && relationsRead(dc, w).has(oid);
    });
    if (!viaOtherView) out.push(rel);
  }
  return out;
}

/** "view v depends on table t" lines for every view depending on `rel`, transitively. */
function viewDependencyLines(dc: DdlContext, rel: RelationDef, dropping: ReadonlySet<number>, out: string[], depth = 0): void {
  if (depth > 32) return;
  for (const v of viewsUsing(dc, rel.oid)) {
    if (dropping.has(v.oid)) continue;
    out.push(`view ${relLabel(dc, v)} depends on ${KIND_NAMES[rel.kind] ?? rel.kind} ${relLabel(dc, rel)}`);
    viewDependencyLines(dc, v, dropping, out, depth + 1);
  }
}

/**
 * Views that depend on column `attnum` of `table`: they read the table and either no longer bind
 * without the column or would change shape (a view's `*` was expanded when it was created, so in
 * PostgreSQL it depends on every column it listed).
 */
export function viewsUsingColumn(dc: DdlContext, table: TableDef, attnum: number): ViewDef[] {
  const without = dc.catalog.mutable();
  without.replaceRelation(table, { ...table, columns: table.columns.filter((c) => c.attnum !== attnum) });
  return viewsUsing(dc, table.oid).filter((v) => {
    const bc = new BindContext({ catalog: without, searchPath: [v.schema, ...dc.searchPath], registry: dc.db.registry, paramTypes: [], types: dc.ctx.types });
    try {
      const q = bindQuery(v.query, new Scope(null), bc);
      return q.columns.length !== v.columns.length;
    } catch {
      return true;
    }
  });
}

/** Drops views as a cascade from another object (ALTER TABLE DROP COLUMN ... CASCADE). */
export function dropViewsCascade(dc: DdlContext, views: readonly ViewDef[]): void {
  for (const v of views) {
    if (!dc.catalog.byOid.has(v.oid)) continue;
    dc.notice(`drop cascades to view ${relLabel(dc, v)}`);
    dropRelation(dc, v, true, 0, new Set());
  }
}

/** A relation's name as PostgreSQL's object descriptions print it: qualified when not visible. */
export function relLabel(dc: DdlContext, rel: RelationDef): string {
  for (const schema of dc.searchPath) {
    const hit = dc.catalog.getRelation(schema, rel.name);
    if (hit) return hit.oid === rel.oid ? rel.name : `${rel.schema}.${rel.name}`;
  }
  return `${rel.schema}.${rel.name}`;
}

/**
 * Runs a drop with its "drop cascades to ..." notices gathered into PostgreSQL's single notice
 * ("drop cascades to N other objects" with one detail line each when there are several).
 */
function withCascadeNotices(dc: DdlContext, fn: (inner: DdlContext) => void): void {
  const messages: string[] = [];
  fn({ ...dc, notice: (m) => messages.push(m) });
  if (messages.length === 1) dc.notice(messages[0]!);
  else if (messages.length > 1) dc.notice(`drop cascades to ${messages.length} other objects`, messages.join('\n'));
}

/** Removes foreign keys of other tables that reference `table` (optionally only via `attnum`). */
export function dropTableDependents(dc: DdlContext, table: TableDef, attnum?: number, dropping: ReadonlySet<number> = new Set()): void {
  for (const other of dc.catalog.tables()) {
    if (other.oid === table.oid || dropping.has(other.oid)) continue;
    const keep = other.constraints.filter((k) => !(k.fk?.refTableOid === table.oid && (attnum === undefined || k.fk.refColumns.includes(attnum))));
    if (keep.length !== other.constraints.length) {
      for (const k of other.constraints) if (!keep.includes(k)) dc.notice(`drop cascades to constraint ${k.name} on table ${relLabel(dc, other)}`);
      dc.catalog.replaceRelation(other, { ...other, constraints: keep });
    }
  }
}

/**
 * Drops one relation. `dropping` holds the oids named by the same DROP statement: objects among
 * them do not count as dependents (DROP TABLE parent, child needs no CASCADE).
 */
function dropRelation(dc: DdlContext, rel: RelationDef, cascade: boolean, loc: number, dropping: ReadonlySet<number>): void {
  const dependents: string[] = [];
  const label = relLabel(dc, rel);
  const views = viewsUsing(dc, rel.oid);
  viewDependencyLines(dc, rel, dropping, dependents);
  if (rel.kind === 'table') {
    for (const other of dc.catalog.tables()) {
      if (other.oid === rel.oid || dropping.has(other.oid)) continue;
      for (const k of other.constraints) {
        if (k.fk?.refTableOid === rel.oid) dependents.push(`constraint ${k.name} on table ${relLabel(dc, other)} depends on table ${label}`);
      }
    }
  }
  if (rel.kind === 'index' && rel.constraint) {
    const table = dc.catalog.byOid.get(rel.tableOid);
    throw new DbError('dependent_objects_still_exist', `cannot drop index ${rel.name} because constraint ${rel.constraint} on table ${table?.name ?? '?'} requires it`,
      { hint: `You can drop constraint ${rel.constraint} on table ${table?.name ?? '?'} instead.`, position: loc + 1 });
  }
  if (dependents.length > 0 && !cascade) {
    throw new DbError('dependent_objects_still_exist', `cannot drop ${KIND_NAMES[rel.kind] ?? rel.kind} ${label} because other objects depend on it`,
      { detail: dependents.join('\n'), hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
  }
  for (const v of views) {
    if (dc.catalog.byOid.has(v.oid) && !dropping.has(v.oid)) {
      dc.notice(`drop cascades to view ${relLabel(dc, v)}`);
      dropRelation(dc, v, true, loc, dropping);
    }
  }
  switch (rel.kind) {
    case 'table':
      rel.store.enterDdl(dc.txn);
      dropTableDependents(dc, rel, undefined, dropping);
      for (const idx of rel.indexes) dc.catalog.removeRelation(idx);
      for (const seq of [...dc.catalog.relations.values()]) {
        if (seq.kind === 'sequence' && seq.ownedBy?.tableOid === rel.oid) dc.catalog.removeRelation(seq);
      }
      break;
    case 'index': {
      const table = dc.catalog.byOid.get(rel.tableOid);
      if (table?.kind === 'table') {
        table.store.enterDdl(dc.txn);
        const next = { ...table, indexes: table.indexes.filter((i) => i.oid !== rel.oid) };
        dc.catalog.replaceRelation(table, next);
        syncStoreIndexes(dc, next);
      }
      break;
    }
    case 'sequence':
      for (const t of dc.catalog.tables()) {
        if (t.columns.some((c) => c.sequence === `${rel.schema}.${rel.name}`) && !cascade) {
          throw new DbError('dependent_objects_still_exist', `cannot drop sequence ${rel.name} because other objects depend on it`,
            { detail: `default value for column ${t.columns.find((c) => c.sequence === `${rel.schema}.${rel.name}`)!.name} of table ${relLabel(dc, t)} depends on sequence ${label}`, hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
        }
      }
      break;
    default:
      break;
  }
  dc.catalog.removeRelation(rel);
  // A table's or view's triggers go with it (src/catalog/routines.ts).
  for (const t of [...dc.catalog.triggers.values()]) if (t.tableOid === rel.oid) dc.catalog.triggers.delete(t.oid);
}

function expectedKind(t: DropStmt['objectType']): RelationDef['kind'] {
  if (t === 'materialized_view') return 'view';
  return t as RelationDef['kind'];
}

export function runDrop(stmt: DropStmt, dc: DdlContext): StatementResult {
  const tag = TAGS[stmt.objectType];
  const cascade = stmt.behavior === 'cascade';
  if (stmt.objectType === 'schema') {
    for (const n of stmt.names) withCascadeNotices(dc, (inner) => dropSchema(inner, n, stmt.ifExists, cascade));
    return resultOf(tag, 0);
  }
  if (stmt.objectType === 'type' || stmt.objectType === 'domain' || stmt.objectType === 'extension') {
    if (stmt.ifExists) {
      for (const n of stmt.names) dc.notice(`${stmt.objectType} "${n.name}" does not exist, skipping`);
      return resultOf(tag, 0);
    }
    throw new DbError('undefined_object', `${stmt.objectType} "${stmt.names[0]!.name}" does not exist`, { position: stmt.names[0]!.loc + 1 });
  }
  const want = expectedKind(stmt.objectType);
  const rels: RelationDef[] = [];
  for (const n of stmt.names) {
    const rel = dc.catalog.findRelation(n, dc.searchPath);
    const label = n.schema ? `${n.schema}.${n.name}` : n.name;
    if (!rel) {
      if (stmt.ifExists) { dc.notice(`${stmt.objectType.replace('_', ' ')} "${label}" does not exist, skipping`); continue; }
      throw new DbError('undefined_table', `${stmt.objectType === 'table' ? 'table' : stmt.objectType.replace('_', ' ')} "${label}" does not exist`, { position: n.loc + 1 });
    }
    if (rel.kind !== want) {
      throw new DbError('wrong_object_type', `"${rel.name}" is not a${want === 'index' ? 'n' : ''} ${want}`,
        { hint: `Use DROP ${rel.kind.toUpperCase()} to remove a ${rel.kind}.`, position: n.loc + 1 });
    }
    rels.push(rel);
  }
  const dropping = new Set(rels.map((r) => r.oid));
  withCascadeNotices(dc, (inner) => {
    for (const rel of rels) if (inner.catalog.byOid.has(rel.oid)) dropRelation(inner, rel, cascade, stmt.loc, dropping);
  });
  return resultOf(tag, 0);
}

function dropSchema(dc: DdlContext, n: ObjectName, ifExists: boolean, cascade: boolean): void {
  const s = dc.catalog.schemas.get(n.name);
  if (!s) {
    if (ifExists) { dc.notice(`schema "${n.name}" does not exist, skipping`); return; }
    throw new DbError('invalid_schema_name', `schema "${n.name}" does not exist`, { position: n.loc + 1 });
  }
  if (s.name === 'pg_catalog' || s.name === 'information_schema') {
    throw new DbError('dependent_objects_still_exist', `cannot drop schema ${s.name} because it is required by the database system`);
  }
  // Indexes and sequences owned by a column go with their table, unlisted (auto dependencies).
  const members = [...dc.catalog.relations.values()].filter((r) => r.schema === s.name && r.kind !== 'index' &&
    !(r.kind === 'sequence' && r.ownedBy !== null && dc.catalog.byOid.has(r.ownedBy.tableOid)));
  if (members.length > 0 && !cascade) {
    throw new DbError('dependent_objects_still_exist', `cannot drop schema ${s.name} because other objects depend on it`, {
      detail: members.map((m) => `${m.kind} ${relLabel(dc, m)} depends on schema ${s.name}`).join('\n'),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
  }
  // User routines in the schema (src/catalog/routines.ts) are members too.
  const routines = [...dc.catalog.routines.values()].filter((r) => r.schema === s.name);
  if (routines.length > 0 && !cascade) {
    throw new DbError('dependent_objects_still_exist', `cannot drop schema ${s.name} because other objects depend on it`, {
      detail: routines.map((r) => `${r.kind} ${r.schema}.${r.name} depends on schema ${s.name}`).join('\n'),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    });
  }
  const dropping = new Set(members.map((m) => m.oid));
  for (const m of members) {
    if (dc.catalog.byOid.has(m.oid)) {
      dc.notice(`drop cascades to ${m.kind} ${relLabel(dc, m)}`);
      dropRelation(dc, m, true, n.loc, dropping);
    }
  }
  for (const r of routines) {
    if (!dc.catalog.routines.has(r.oid)) continue;
    dc.notice(`drop cascades to ${r.kind} ${r.schema}.${r.name}`);
    dropRoutineInCatalog(dc.catalog, r);
  }
  dc.catalog.schemas.delete(s.name);
}
