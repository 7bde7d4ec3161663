/**
 * pg_catalog relations describing schemas and relations: pg_namespace, pg_class, pg_attribute,
 * pg_index, pg_constraint, pg_attrdef and pg_description. Column lists follow PostgreSQL 15.
 */
import type { TableDef } from '../objects.ts';
import { typeInfo } from '../../types/sql-type.ts';
import { aclArray, roleOidByName } from '../../auth/sys-roles.ts';
import { ownerOf } from '../../auth/privileges.ts';
import {
  T, cols, arr, attrdefOid, constraintOid, logicalAttnum, relationsByOid, schemaOid, SUPERUSER_OID,
  BITMAP_AM_OID, BTREE_AM_OID, HASH_AM_OID, HEAP_AM_OID, PG_CLASS_OID, PG_NAMESPACE_OID, PG_CONSTRAINT_OID, type SystemRelation,
} from './sys-relation.ts';

const RELKIND = { table: 'r', view: 'v', sequence: 'S', index: 'i' } as const;

/** reltype: PostgreSQL gives every table a composite type; we have none, so 0. */
export const pgNamespace: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_namespace',
  columns: cols([['oid', T.oid], ['nspname', T.name], ['nspowner', T.oid], ['nspacl', T.textArr]]),
  rows: ({ catalog }) => [...catalog.schemas.values()].sort((a, b) => a.oid - b.oid)
    .map((s) => [s.oid, s.name, roleOidByName(catalog, s.owner), aclArray(catalog, 'schema', s.oid)]),
};

export const pgClass: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_class',
  columns: cols([
    ['oid', T.oid], ['relname', T.name], ['relnamespace', T.oid], ['reltype', T.oid], ['reloftype', T.oid],
    ['relowner', T.oid], ['relam', T.oid], ['relfilenode', T.oid], ['reltablespace', T.oid], ['relpages', T.int4],
    ['reltuples', T.float4], ['relallvisible', T.int4], ['reltoastrelid', T.oid], ['relhasindex', T.bool],
    ['relisshared', T.bool], ['relpersistence', T.char], ['relkind', T.char], ['relnatts', T.int2],
    ['relchecks', T.int2], ['relhasrules', T.bool], ['relhastriggers', T.bool], ['relhassubclass', T.bool],
    ['relrowsecurity', T.bool], ['relforcerowsecurity', T.bool], ['relispopulated', T.bool],
    ['relreplident', T.char], ['relispartition', T.bool], ['relrewrite', T.oid], ['relfrozenxid', T.int8],
    ['relminmxid', T.int8], ['relacl', T.textArr], ['reloptions', T.textArr], ['relpartbound', T.text],
  ]),
  rows: ({ catalog }) => {
    // PostgreSQL implements foreign keys with triggers on both tables, and psql only looks for
    // FK constraints (either direction) when relhastriggers is set.
    const fkTables = new Set<number>();
    for (const r of catalog.byOid.values()) {
      if (r.kind !== 'table') continue;
      for (const k of r.constraints) {
        if (k.type === 'f' && k.fk) { fkTables.add(r.oid); fkTables.add(k.fk.refTableOid); }
      }
    }
    // User triggers (src/catalog/routines.ts): psql then lists them under "Triggers:".
    for (const t of catalog.triggers.values()) fkTables.add(t.tableOid);
    return relationsByOid(catalog).map((r) => {
      const t = r.kind === 'table' ? r : null;
      const natts = r.kind === 'table' || r.kind === 'view' ? r.columns.length
        : r.kind === 'index' ? r.keys.length + r.include.length : 3;
      const tuples = t ? t.store.rowEstimate : r.kind === 'sequence' ? 1 : r.kind === 'index' ? -1 : -1;
      const pages = t ? Math.ceil(t.store.rowEstimate / 100) : 0;
      const am = r.kind === 'table' ? HEAP_AM_OID : r.kind === 'index' ? (r.method === 'hash' ? HASH_AM_OID : r.method === 'bitmap' ? BITMAP_AM_OID : BTREE_AM_OID) : 0;
      const persistence = t ? (t.persistence === 'temp' ? 't' : t.persistence === 'unlogged' ? 'u' : 'p') : 'p';
      return [
        r.oid, r.name, schemaOid(catalog, r.schema), 0, 0, roleOidByName(catalog, ownerOf(catalog, r)), am, r.oid, 0, pages,
        tuples, 0, 0, t ? t.indexes.length > 0 : false, false, persistence, RELKIND[r.kind], natts,
        t ? t.constraints.filter((k) => k.type === 'c').length : 0, r.kind === 'view', fkTables.has(r.oid), false, false, false, true,
        'd', false, 0, 0, 0, r.kind === 'index' ? null : aclArray(catalog, r.kind === 'sequence' ? 'sequence' : 'table', r.oid), null, null,
      ];
    });
  },
};

export const pgAttribute: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_attribute',
  columns: cols([
    ['attrelid', T.oid], ['attname', T.name], ['atttypid', T.oid], ['attstattarget', T.int4], ['attlen', T.int2],
    ['attnum', T.int2], ['attndims', T.int4], ['attcacheoff', T.int4], ['atttypmod', T.int4], ['attbyval', T.bool],
    ['attalign', T.char], ['attstorage', T.char], ['attcompression', T.char], ['attnotnull', T.bool],
    ['atthasdef', T.bool], ['atthasmissing', T.bool], ['attidentity', T.char], ['attgenerated', T.char],
    ['attisdropped', T.bool], ['attislocal', T.bool], ['attinhcount', T.int4], ['attcollation', T.oid],
    ['attacl', T.textArr], ['attoptions', T.textArr], ['attfdwoptions', T.textArr], ['attmissingval', T.textArr],
  ]),
  rows: ({ catalog }) => {
    const out: unknown[][] = [];
    for (const r of relationsByOid(catalog)) {
      if (r.kind !== 'table' && r.kind !== 'view' && r.kind !== 'index') continue;
      const list = r.kind === 'index' ? indexColumns(catalog.byOid.get(r.tableOid), r.keys, r.include) : r.columns.map((c) => ({
        name: c.name, type: c.type, notNull: 'notNull' in c ? c.notNull : false,
        hasDef: 'default' in c ? (c.default !== null || c.generated !== null) && c.identity === null : false,
        identity: 'identity' in c ? (c.identity === 'always' ? 'a' : c.identity === 'by default' ? 'd' : '') : '',
        generated: 'generated' in c && c.generated ? 's' : '',
      }));
      list.forEach((c, i) => {
        const info = typeInfo(c.type.oid);
        const collatable = info?.category === 'S' ? 100 : 0;
        out.push([
          r.oid, c.name, c.type.oid, -1, info?.len ?? -1, i + 1, c.type.elem ? 1 : 0, -1, c.type.typmod,
          (info?.len ?? -1) > 0 && (info?.len ?? 0) <= 8, 'i', (info?.len ?? -1) < 0 ? 'x' : 'p', '', c.notNull,
          c.hasDef, false, c.identity, c.generated, false, true, 0, collatable,
          r.kind === 'table' ? aclArray(catalog, 'column', r.oid, r.columns[i]!.attnum) : null, null, null, null,
        ]);
      });
    }
    return out;
  },
};

function indexColumns(rel: unknown, keys: readonly (number | { text: string })[], include: readonly number[]) {
  const t = (rel as TableDef | undefined)?.kind === 'table' ? rel as TableDef : null;
  return [...keys, ...include].map((k) => {
    const c = typeof k === 'number' ? t?.columns.find((x) => x.attnum === k) : undefined;
    return { name: c?.name ?? 'expr', type: c?.type ?? { oid: 25, typmod: -1, elem: null }, notNull: false, hasDef: false, identity: '', generated: '' };
  });
}

export const pgIndex: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_index',
  columns: cols([
    ['indexrelid', T.oid], ['indrelid', T.oid], ['indnatts', T.int2], ['indnkeyatts', T.int2], ['indisunique', T.bool],
    ['indnullsnotdistinct', T.bool], ['indisprimary', T.bool], ['indisexclusion', T.bool], ['indimmediate', T.bool],
    ['indisclustered', T.bool], ['indisvalid', T.bool], ['indcheckxmin', T.bool], ['indisready', T.bool],
    ['indislive', T.bool], ['indisreplident', T.bool], ['indkey', T.int2v], ['indcollation', T.oidv],
    ['indclass', T.oidv], ['indoption', T.int2v], ['indexprs', T.text], ['indpred', T.text],
  ]),
  rows: ({ catalog }) => {
    const out: unknown[][] = [];
    for (const r of relationsByOid(catalog)) {
      if (r.kind !== 'index') continue;
      const t = catalog.byOid.get(r.tableOid);
      if (t?.kind !== 'table') continue;
      const keys = r.keys.map((k) => (typeof k === 'number' ? logicalAttnum(t, k) : 0));
      const inc = r.include.map((a) => logicalAttnum(t, a));
      const exprs = r.keys.filter((k) => typeof k !== 'number').map((k) => (k as { text: string }).text);
      out.push([
        r.oid, t.oid, keys.length + inc.length, keys.length, r.unique, r.nullsNotDistinct, r.primary, false, true,
        false, true, false, true, true, false, arr([...keys, ...inc]), arr(keys.map(() => 0)), arr(keys.map(() => 0)),
        arr(keys.map((_, i) => (r.keyOptions?.[i]?.desc ? 1 : 0) | (r.keyOptions?.[i]?.nullsFirst ? 2 : 0))), exprs.length > 0 ? exprs.join(', ') : null, r.predicate?.text ?? null,
      ]);
    }
    return out;
  },
};

const FK_ACTION = { no_action: 'a', restrict: 'r', cascade: 'c', set_null: 'n', set_default: 'd' } as const;

export const pgConstraint: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_constraint',
  columns: cols([
    ['oid', T.oid], ['conname', T.name], ['connamespace', T.oid], ['contype', T.char], ['condeferrable', T.bool],
    ['condeferred', T.bool], ['convalidated', T.bool], ['conrelid', T.oid], ['contypid', T.oid], ['conindid', T.oid],
    ['conparentid', T.oid], ['confrelid', T.oid], ['confupdtype', T.char], ['confdeltype', T.char],
    ['confmatchtype', T.char], ['conislocal', T.bool], ['coninhcount', T.int4], ['connoinherit', T.bool],
    ['conkey', T.int2v], ['confkey', T.int2v], ['conpfeqop', T.oidv], ['conppeqop', T.oidv], ['conffeqop', T.oidv],
    ['confdelsetcols', T.int2v], ['conexclop', T.oidv], ['conbin', T.text],
  ]),
  rows: ({ catalog }) => {
    const out: unknown[][] = [];
    for (const t of relationsByOid(catalog)) {
      if (t.kind !== 'table') continue;
      t.constraints.forEach((k, i) => {
        const ix = k.type === 'p' || k.type === 'u' ? t.indexes.find((x) => x.constraint === k.name) : undefined;
        const parent = k.fk ? catalog.byOid.get(k.fk.refTableOid) : undefined;
        const pt = parent?.kind === 'table' ? parent : null;
        const refIx = k.fk && pt ? pt.indexes.find((x) => x.unique && x.keys.length === k.fk!.refColumns.length
          && x.keys.every((a) => typeof a === 'number' && k.fk!.refColumns.includes(a))) : undefined;
        out.push([
          constraintOid(t.oid, i), k.name, schemaOid(catalog, t.schema), k.type, false, false, true, t.oid, 0,
          ix?.oid ?? refIx?.oid ?? 0, 0, k.fk?.refTableOid ?? 0, k.fk ? FK_ACTION[k.fk.onUpdate] : ' ',
          k.fk ? FK_ACTION[k.fk.onDelete] : ' ', k.fk ? (k.fk.match === 'full' ? 'f' : 's') : ' ', true, 0, false,
          k.type === 'c' ? null : arr(k.columns.map((a) => logicalAttnum(t, a))),
          k.fk && pt ? arr(k.fk.refColumns.map((a) => logicalAttnum(pt, a))) : null, null, null, null,
          k.fk?.onDeleteColumns ? arr(k.fk.onDeleteColumns.map((a) => logicalAttnum(t, a))) : null, null,
          k.check?.text ?? null,
        ]);
      });
    }
    return out;
  },
};

/** adbin holds the expression text (pg_get_expr returns it unchanged). */
export const pgAttrdef: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_attrdef',
  columns: cols([['oid', T.oid], ['adrelid', T.oid], ['adnum', T.int2], ['adbin', T.text]]),
  rows: ({ catalog }) => {
    const out: unknown[][] = [];
    for (const t of relationsByOid(catalog)) {
      if (t.kind !== 'table') continue;
      t.columns.forEach((c, i) => {
        const e = c.identity ? null : c.generated ?? c.default;
        if (e) out.push([attrdefOid(t.oid, c.attnum), t.oid, i + 1, e.text]);
      });
    }
    return out;
  },
};

export const pgDescription: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_description',
  columns: cols([['objoid', T.oid], ['classoid', T.oid], ['objsubid', T.int4], ['description', T.text]]),
  rows: ({ catalog }) => {
    const out: unknown[][] = [];
    for (const s of catalog.schemas.values()) if (s.comment !== null) out.push([s.oid, PG_NAMESPACE_OID, 0, s.comment]);
    // User routines (pg_proc's oid is 1255).
    for (const r of catalog.routines.values()) if (r.comment !== null) out.push([r.oid, 1255, 0, r.comment]);
    for (const r of relationsByOid(catalog)) {
      if (r.comment !== null) out.push([r.oid, PG_CLASS_OID, 0, r.comment]);
      if (r.kind === 'table') {
        r.columns.forEach((c, i) => { if (c.comment !== null) out.push([r.oid, PG_CLASS_OID, i + 1, c.comment]); });
      }
    }
    return out;
  },
};

export { PG_CONSTRAINT_OID };
