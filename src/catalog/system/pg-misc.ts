/**
 * pg_catalog relations about the cluster and session (pg_roles, pg_user, pg_authid, pg_database,
 * pg_tablespace, pg_settings) and the convenience views pg_tables, pg_views, pg_indexes,
 * pg_sequences. Role rows come from the catalog's AuthState (src/auth/sys-roles.ts).
 */
import { SETTINGS } from '../../engine/settings.ts';
import { formatType } from '../../types/sql-type.ts';
import { indexDef, viewDef } from './definitions.ts';
import { aclArray, pgAuthidRows, pgAuthMembersRows, pgRolesRows, pgUserRows } from '../../auth/sys-roles.ts';
import { T, cols, relationsByOid, SUPERUSER_OID, DATABASE_OID, DEFAULT_TABLESPACE_OID, type SystemRelation } from './sys-relation.ts';

export const pgRoles: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_roles',
  columns: cols([
    ['rolname', T.name], ['rolsuper', T.bool], ['rolinherit', T.bool], ['rolcreaterole', T.bool], ['rolcreatedb', T.bool],
    ['rolcanlogin', T.bool], ['rolreplication', T.bool], ['rolconnlimit', T.int4], ['rolpassword', T.text],
    ['rolvaliduntil', T.text], ['rolbypassrls', T.bool], ['rolconfig', T.textArr], ['oid', T.oid],
  ]),
  rows: ({ catalog, eval: e }) => pgRolesRows(catalog, e),
};

export const pgAuthid: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_authid',
  columns: cols([
    ['oid', T.oid], ['rolname', T.name], ['rolsuper', T.bool], ['rolinherit', T.bool], ['rolcreaterole', T.bool],
    ['rolcreatedb', T.bool], ['rolcanlogin', T.bool], ['rolreplication', T.bool], ['rolbypassrls', T.bool],
    ['rolconnlimit', T.int4], ['rolpassword', T.text], ['rolvaliduntil', T.text],
  ]),
  rows: ({ catalog, eval: e }) => pgAuthidRows(catalog, e),
};

export const pgUser: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_user',
  columns: cols([
    ['usename', T.name], ['usesysid', T.oid], ['usecreatedb', T.bool], ['usesuper', T.bool], ['userepl', T.bool],
    ['usebypassrls', T.bool], ['passwd', T.text], ['valuntil', T.text], ['useconfig', T.textArr],
  ]),
  rows: ({ catalog, eval: e }) => pgUserRows(catalog, e),
};

export const pgAuthMembers: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_auth_members',
  columns: cols([['roleid', T.oid], ['member', T.oid], ['grantor', T.oid], ['admin_option', T.bool]]),
  rows: ({ catalog }) => pgAuthMembersRows(catalog),
};

export const pgDatabase: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_database',
  columns: cols([
    ['oid', T.oid], ['datname', T.name], ['datdba', T.oid], ['encoding', T.int4], ['datlocprovider', T.char],
    ['datistemplate', T.bool], ['datallowconn', T.bool], ['datconnlimit', T.int4], ['datfrozenxid', T.int8],
    ['datminmxid', T.int8], ['dattablespace', T.oid], ['datcollate', T.text], ['datctype', T.text],
    ['daticulocale', T.text], ['datcollversion', T.text], ['datacl', T.textArr],
  ]),
  rows: ({ catalog, eval: e }) => [[DATABASE_OID, e.database, SUPERUSER_OID, 6, 'c', false, true, -1, 0, 1,
    DEFAULT_TABLESPACE_OID, 'C', 'C', null, null, aclArray(catalog, 'database', DATABASE_OID)]],
};

export const pgTablespace: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_tablespace',
  columns: cols([['oid', T.oid], ['spcname', T.name], ['spcowner', T.oid], ['spcacl', T.textArr], ['spcoptions', T.textArr]]),
  rows: () => [[DEFAULT_TABLESPACE_OID, 'pg_default', SUPERUSER_OID, null, null], [1664, 'pg_global', SUPERUSER_OID, null, null]],
};

export const pgSettings: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_settings',
  columns: cols([
    ['name', T.text], ['setting', T.text], ['unit', T.text], ['category', T.text], ['short_desc', T.text],
    ['extra_desc', T.text], ['context', T.text], ['vartype', T.text], ['source', T.text], ['min_val', T.text],
    ['max_val', T.text], ['enumvals', T.textArr], ['boot_val', T.text], ['reset_val', T.text], ['sourcefile', T.text],
    ['sourceline', T.int4], ['pending_restart', T.bool],
  ]),
  rows: ({ eval: e }) => [...SETTINGS.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((d) => {
    const v = e.setting(d.name) ?? d.defaultValue;
    const vartype = /^(on|off)$/.test(d.defaultValue) ? 'bool' : /^-?\d+$/.test(d.defaultValue) ? 'integer' : 'string';
    return [d.name, v, d.unit ?? null, 'Ungrouped', d.description, null, d.readOnly ? 'internal' : 'user', vartype,
      v === d.defaultValue ? 'default' : 'session', null, null, null, d.defaultValue, d.defaultValue, null, null, false];
  }),
};

export const pgTables: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_tables',
  columns: cols([['schemaname', T.name], ['tablename', T.name], ['tableowner', T.name], ['tablespace', T.name],
    ['hasindexes', T.bool], ['hasrules', T.bool], ['hastriggers', T.bool], ['rowsecurity', T.bool]]),
  rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'table'
    ? [[r.schema, r.name, r.owner, null, r.indexes.length > 0, false, false, false]] : [])),
};

export const pgViews: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_views',
  columns: cols([['schemaname', T.name], ['viewname', T.name], ['viewowner', T.name], ['definition', T.text]]),
  rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'view'
    ? [[r.schema, r.name, r.owner, viewDef(r.text)]] : [])),
};

export const pgIndexes: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_indexes',
  columns: cols([['schemaname', T.name], ['tablename', T.name], ['indexname', T.name], ['tablespace', T.name], ['indexdef', T.text]]),
  rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => {
    if (r.kind !== 'index') return [];
    const t = catalog.byOid.get(r.tableOid);
    return [[r.schema, t?.name ?? '?', r.name, null, indexDef(catalog, r, [])]];
  }),
};

export const pgSequences: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_sequences',
  columns: cols([['schemaname', T.name], ['sequencename', T.name], ['sequenceowner', T.name], ['data_type', T.text],
    ['start_value', T.int8], ['min_value', T.int8], ['max_value', T.int8], ['increment_by', T.int8], ['cycle', T.bool],
    ['cache_size', T.int8], ['last_value', T.int8]]),
  rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'sequence'
    ? [[r.schema, r.name, r.owner, formatType(r.dataType), int8(r.start), int8(r.min), int8(r.max), int8(r.increment),
      r.cycle, int8(r.cache), r.state.isCalled ? int8(r.state.last) : null]] : [])),
};

/** pg_sequence (the raw catalog psql's \d SEQUENCE reads). */
export const pgSequence: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_sequence',
  columns: cols([['seqrelid', T.oid], ['seqtypid', T.oid], ['seqstart', T.int8], ['seqincrement', T.int8],
    ['seqmax', T.int8], ['seqmin', T.int8], ['seqcache', T.int8], ['seqcycle', T.bool]]),
  rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'sequence'
    ? [[r.oid, r.dataType.oid, int8(r.start), int8(r.increment), int8(r.max), int8(r.min), int8(r.cache), r.cycle]] : [])),
};

/** int8 runtime form: a number when it is a safe integer, else a bigint. */
function int8(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
