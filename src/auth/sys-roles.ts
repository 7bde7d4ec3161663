/**
 * Rows of the role-related system catalogs (pg_roles, pg_user, pg_authid, pg_auth_members) and
 * the aclitem[] text arrays shown in relacl / nspacl / datacl / attacl, computed from the
 * catalog's AuthState. pg_authid (it holds password verifiers) is readable by superusers only.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { EvalContext } from '../functions/registry.ts';
import { SqlArray } from '../types/array.ts';
import { formatTimestamptz } from '../types/datetime-format.ts';
import { formatAclItem, type AclObjectType } from './acl.ts';
import { objectKey, type RoleDef } from './auth-state.ts';
import { isSuperuser, ownerOid } from './privileges.ts';

function validUntil(r: RoleDef, e: EvalContext): string | null {
  return r.validUntil === null ? null : formatTimestamptz(r.validUntil, e.types);
}

function config(r: RoleDef): SqlArray | null {
  return r.config.length === 0 ? null : new SqlArray([...r.config]);
}

function sorted(catalog: Catalog): RoleDef[] {
  return [...catalog.auth.roles.values()].sort((a, b) => a.oid - b.oid);
}

/** pg_roles: rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolconnlimit, rolpassword, rolvaliduntil, rolbypassrls, rolconfig, oid. */
export function pgRolesRows(catalog: Catalog, e: EvalContext): unknown[][] {
  return sorted(catalog).map((r) => [r.name, r.superuser, r.inherit, r.createRole, r.createDb, r.login, r.replication,
    r.connectionLimit, '********', validUntil(r, e), r.bypassRls, config(r), r.oid]);
}

/** pg_authid: oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolpassword, rolvaliduntil. */
export function pgAuthidRows(catalog: Catalog, e: EvalContext): unknown[][] {
  if (!isSuperuser(catalog, e.user)) throw new DbError('insufficient_privilege', 'permission denied for table pg_authid');
  return sorted(catalog).map((r) => [r.oid, r.name, r.superuser, r.inherit, r.createRole, r.createDb, r.login, r.replication,
    r.bypassRls, r.connectionLimit, r.password, validUntil(r, e)]);
}

/** pg_user: usename, usesysid, usecreatedb, usesuper, userepl, usebypassrls, passwd, valuntil, useconfig. */
export function pgUserRows(catalog: Catalog, e: EvalContext): unknown[][] {
  return sorted(catalog).filter((r) => r.login).map((r) => [r.name, r.oid, r.createDb, r.superuser, r.replication,
    r.bypassRls, '********', validUntil(r, e), config(r)]);
}

/** pg_auth_members: roleid, member, grantor, admin_option. */
export function pgAuthMembersRows(catalog: Catalog): unknown[][] {
  return catalog.auth.members.map((m) => [m.role, m.member, m.grantor, m.admin]);
}

/** An object's ACL as aclitem text (null while it has the default ACL, like PostgreSQL). */
export function aclArray(catalog: Catalog, type: AclObjectType, oid: number, attnum?: number): SqlArray | null {
  const acl = catalog.auth.acl(objectKey(type, oid, attnum));
  if (acl === undefined) return null;
  return new SqlArray(acl.map((it) => formatAclItem(it, (o) => catalog.auth.roleName(o))));
}

export function roleOidByName(catalog: Catalog, name: string): number {
  return ownerOid(catalog.auth, name);
}
