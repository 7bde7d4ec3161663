/**
 * information_schema privilege views: table_privileges, role_table_grants and column_privileges,
 * one row per (grantor, grantee, object, privilege) of the effective ACLs (explicit or default),
 * visible when the current user is, or inherits, the grantor or the grantee (or the grantee is
 * PUBLIC), as PostgreSQL's views filter them.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { SystemRelation } from '../catalog/system/sys-relation.ts';
import { T, cols, relationsByOid } from '../catalog/system/sys-relation.ts';
import type { EvalContext } from '../functions/registry.ts';
import { ALL_RIGHTS, PUBLIC_OID, Priv, privNames, type AclItem } from './acl.ts';
import { objectKey } from './auth-state.ts';
import { objectAcl, ownerOid } from './privileges.ts';

function visibleTo(catalog: Catalog, e: EvalContext): (it: AclItem, rolesOnly: boolean) => boolean {
  const me = catalog.auth.role(e.user);
  const mine = me === undefined ? new Set<number>() : catalog.auth.effectiveRoles(me.oid);
  const superuser = me?.superuser ?? false;
  return (it, rolesOnly) => {
    if (rolesOnly && it.grantee === PUBLIC_OID) return superuser || mine.has(it.grantor);
    return superuser || mine.has(it.grantor) || mine.has(it.grantee) || (!rolesOnly && it.grantee === PUBLIC_OID);
  };
}

function tableGrantRows(catalog: Catalog, e: EvalContext, rolesOnly: boolean): unknown[][] {
  const visible = visibleTo(catalog, e);
  const name = (oid: number): string => (oid === PUBLIC_OID ? 'PUBLIC' : catalog.auth.roleName(oid));
  const out: unknown[][] = [];
  for (const r of relationsByOid(catalog)) {
    if (r.kind !== 'table' && r.kind !== 'view') continue;
    for (const it of objectAcl(catalog.auth, 'table', r.oid, r.owner)) {
      if (!visible(it, rolesOnly)) continue;
      for (const p of privNames(it.privs & ALL_RIGHTS.table)) {
        const bit = Priv[p.toLowerCase() as keyof typeof Priv];
        // The owner may always grant (PostgreSQL: pg_has_role(grantee, owner, 'USAGE')).
        const grantable = (it.grantable & bit) !== 0 || it.grantee === ownerOid(catalog.auth, r.owner);
        out.push([name(it.grantor), name(it.grantee), e.database, r.schema, r.name, p,
          grantable ? 'YES' : 'NO', p === 'SELECT' ? 'YES' : 'NO']);
      }
    }
  }
  return out;
}

const GRANT_COLUMNS: [string, typeof T.name][] = [['grantor', T.name], ['grantee', T.name], ['table_catalog', T.name],
  ['table_schema', T.name], ['table_name', T.name], ['privilege_type', T.text], ['is_grantable', T.text], ['with_hierarchy', T.text]];

export const tablePrivileges: SystemRelation = {
  schema: 'information_schema', name: 'table_privileges', columns: cols(GRANT_COLUMNS),
  rows: ({ catalog, eval: e }) => tableGrantRows(catalog, e, false),
};

export const roleTableGrants: SystemRelation = {
  schema: 'information_schema', name: 'role_table_grants', columns: cols(GRANT_COLUMNS),
  rows: ({ catalog, eval: e }) => tableGrantRows(catalog, e, true),
};

export const columnPrivilegesView: SystemRelation = {
  schema: 'information_schema', name: 'column_privileges',
  columns: cols([['grantor', T.name], ['grantee', T.name], ['table_catalog', T.name], ['table_schema', T.name],
    ['table_name', T.name], ['column_name', T.name], ['privilege_type', T.text], ['is_grantable', T.text]]),
  rows: ({ catalog, eval: e }) => {
    const visible = visibleTo(catalog, e);
    const name = (oid: number): string => (oid === PUBLIC_OID ? 'PUBLIC' : catalog.auth.roleName(oid));
    const out: unknown[][] = [];
    for (const r of relationsByOid(catalog)) {
      if (r.kind !== 'table') continue;
      const tableAcl = objectAcl(catalog.auth, 'table', r.oid, r.owner);
      for (const c of r.columns) {
        const items = [...tableAcl, ...(catalog.auth.acl(objectKey('column', r.oid, c.attnum)) ?? [])];
        const seen = new Set<string>();
        for (const it of items) {
          if (!visible(it, false)) continue;
          for (const p of privNames(it.privs & ALL_RIGHTS.column)) {
            const bit = Priv[p.toLowerCase() as keyof typeof Priv];
            const key = `${it.grantor}/${it.grantee}/${p}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const grantable = (it.grantable & bit) !== 0 || it.grantee === ownerOid(catalog.auth, r.owner);
            out.push([name(it.grantor), name(it.grantee), e.database, r.schema, r.name, c.name, p, grantable ? 'YES' : 'NO']);
          }
        }
      }
    }
    return out;
  },
};

export const privilegeViews: SystemRelation[] = [tablePrivileges, roleTableGrants, columnPrivilegesView];
