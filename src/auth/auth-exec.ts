/**
 * Entry points the engine's statement dispatcher calls for role and privilege statements: role
 * DDL, GRANT / REVOKE, ALTER DEFAULT PRIVILEGES, owner changes, REASSIGN / DROP OWNED, and
 * SET / RESET ROLE and SESSION AUTHORIZATION. DDL-like ones edit the transaction's private
 * catalog copy, like all DDL.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef } from '../catalog/objects.ts';
import type { OwnedStmt, Statement } from '../sql/ast.ts';
import type { StatementContext } from '../engine/statement-exec.ts';
import { resultOf, type StatementResult } from '../engine/dml/statement-env.ts';
import { objectKey } from './auth-state.ts';
import { aclNewOwner, runAlterDefaultPrivileges, runGrant } from './grant-exec.ts';
import { hasOwnership, isSuperuser, mustBeOwner, ownerOf, checkSchemaCreate } from './privileges.ts';
import {
  alterRole, checkSetRole, checkSetSessionAuthorization, createRole, dropRoles, grantRole, renameRole, resolveRole,
  type RoleContext,
} from './role-exec.ts';
import { relKindWord, routinesOf } from './dependencies.ts';

function roleContext(sc: StatementContext, catalog: Catalog): RoleContext {
  const s = sc.session;
  return {
    catalog, user: s.user, sessionUser: s.sessionUser, types: s.typeContext(sc.txn),
    randomBytes: (n) => s.db.env.random.bytes(n),
    notice: (message) => s.notice('NOTICE', '00000', message),
  };
}

function ddlCatalog(sc: StatementContext, what: string): Catalog {
  if (sc.txn.readOnly) throw new DbError('read_only_sql_transaction', `cannot execute ${what} in a read-only transaction`);
  return sc.session.catalogForDdl(sc.txn);
}

/** Statement kinds handled here from the utility dispatcher. */
export const AUTH_UTILITY_KINDS: ReadonlySet<string> = new Set([
  'CreateRole', 'AlterRole', 'DropRole', 'Grant', 'GrantRole', 'AlterDefaultPrivileges', 'ReassignOwned', 'DropOwned',
]);

export function runAuthUtility(stmt: Statement, sc: StatementContext): StatementResult {
  const s = sc.session;
  switch (stmt.kind) {
    case 'CreateRole':
      createRole(stmt, roleContext(sc, ddlCatalog(sc, 'CREATE ROLE')));
      return resultOf('CREATE ROLE', 0);
    case 'AlterRole':
      alterRole(stmt, roleContext(sc, ddlCatalog(sc, 'ALTER ROLE')));
      return resultOf('ALTER ROLE', 0);
    case 'DropRole':
      dropRoles(stmt, roleContext(sc, ddlCatalog(sc, 'DROP ROLE')));
      return resultOf('DROP ROLE', 0);
    case 'GrantRole':
      grantRole(stmt, roleContext(sc, ddlCatalog(sc, stmt.isGrant ? 'GRANT' : 'REVOKE')));
      return resultOf(stmt.isGrant ? 'GRANT ROLE' : 'REVOKE ROLE', 0);
    case 'Grant':
      runGrant(stmt, roleContext(sc, ddlCatalog(sc, stmt.isGrant ? 'GRANT' : 'REVOKE')), s.searchPath(), s.db.name);
      return resultOf(stmt.isGrant ? 'GRANT' : 'REVOKE', 0);
    case 'AlterDefaultPrivileges':
      runAlterDefaultPrivileges(stmt, roleContext(sc, ddlCatalog(sc, 'ALTER DEFAULT PRIVILEGES')));
      return resultOf('ALTER DEFAULT PRIVILEGES', 0);
    case 'ReassignOwned':
      reassignOwned(stmt, roleContext(sc, ddlCatalog(sc, 'REASSIGN OWNED')));
      return resultOf('REASSIGN OWNED', 0);
    case 'DropOwned':
      dropOwned(stmt, roleContext(sc, ddlCatalog(sc, 'DROP OWNED')));
      return resultOf('DROP OWNED', 0);
    default:
      throw new DbError('internal_error', `not an auth statement: ${stmt.kind}`);
  }
}

/** SET ROLE / SET SESSION AUTHORIZATION (values null = NONE / DEFAULT) and their RESET forms. */
export function runSetAuthorization(name: 'role' | 'session_authorization', value: string | null, sc: StatementContext): StatementResult {
  const s = sc.session;
  const catalog = s.catalog;
  if (name === 'role') {
    if (value === null || value === 'none') {
      s.setAuthorization('role', null);
    } else {
      checkSetRole(catalog, s.sessionUser, value);
      s.setAuthorization('role', value);
    }
  } else if (value === null) {
    s.setAuthorization('session', null);
  } else {
    checkSetSessionAuthorization(catalog, s.loginUser, value);
    s.setAuthorization('session', value === s.loginUser ? null : value);
  }
  return resultOf(value === null ? 'RESET' : 'SET', 0);
}

/** Handles the DDL-dispatched forms: ALTER ROLE RENAME, ALTER ... OWNER TO. Null: not ours. */
export function runAuthDdl(stmt: Statement, sc: StatementContext): StatementResult | null {
  if (stmt.kind === 'Rename' && stmt.objectType === 'role') {
    renameRole(stmt.name.name, stmt.newName, stmt.loc, roleContext(sc, ddlCatalog(sc, 'ALTER ROLE')));
    return resultOf('ALTER ROLE', 0);
  }
  if (stmt.kind === 'AlterTable' && stmt.actions.length > 0 && stmt.actions.every((a) => a.kind === 'OwnerTo')) {
    const a = stmt.actions[stmt.actions.length - 1] as Extract<typeof stmt.actions[number], { kind: 'OwnerTo' }>;
    const rc = roleContext(sc, ddlCatalog(sc, 'ALTER'));
    const target = resolveRole(rc.catalog.auth, a.role, rc.user, rc.sessionUser, a.loc);
    if (stmt.objectType === 'schema') {
      alterSchemaOwner(rc, stmt.name.name, target.name);
      return resultOf('ALTER SCHEMA', 0);
    }
    const rel = rc.catalog.findRelation(stmt.name, sc.session.searchPath());
    if (rel === undefined) {
      if (stmt.ifExists) return resultOf('ALTER TABLE', 0);
      const full = stmt.name.schema ? `${stmt.name.schema}.${stmt.name.name}` : stmt.name.name;
      throw new DbError('undefined_table', `relation "${full}" does not exist`, { position: stmt.name.loc + 1 });
    }
    alterRelationOwner(rc, rel, target.name);
    return resultOf(`ALTER ${stmt.objectType === 'materialized_view' ? 'MATERIALIZED VIEW' : stmt.objectType.toUpperCase()}`, 0);
  }
  return null;
}

/** PostgreSQL: owner (or superuser), able to SET ROLE to the new owner, which needs CREATE on the schema. */
function checkOwnerChange(rc: RoleContext, currentOwner: string, kind: string, name: string, newOwner: string, schema: string | null): void {
  const cat = rc.catalog;
  if (isSuperuser(cat, rc.user)) return;
  if (!hasOwnership(cat, rc.user, currentOwner)) throw mustBeOwner(kind, name);
  const me = cat.auth.role(rc.user);
  const target = cat.auth.role(newOwner);
  if (me === undefined || target === undefined || !cat.auth.effectiveRoles(me.oid, true).has(target.oid)) {
    throw new DbError('insufficient_privilege', `must be able to SET ROLE "${newOwner}"`);
  }
  if (schema !== null) checkSchemaCreate(cat, newOwner, schema);
}

export function alterRelationOwner(rc: RoleContext, rel: RelationDef, newOwner: string): void {
  const cat = rc.catalog;
  if (rel.kind === 'index') return; // Indexes follow their table (PostgreSQL warns and ignores).
  checkOwnerChange(rc, ownerOf(cat, rel), relKindWord(rel), rel.name, newOwner, rel.schema);
  if (rel.owner === newOwner) return;
  const newOid = cat.auth.role(newOwner)!.oid;
  setRelationOwner(cat, rel, newOwner, newOid);
  // Sequences owned by the table's columns follow it, as in PostgreSQL.
  if (rel.kind === 'table') {
    for (const r of [...cat.byOid.values()]) {
      if (r.kind === 'sequence' && r.ownedBy?.tableOid === rel.oid && r.owner !== newOwner) {
        setRelationOwner(cat, r, newOwner, newOid);
      }
    }
  }
}

/** Gives a relation a new owner, rewriting its table and column ACLs (aclnewowner). */
function setRelationOwner(cat: Catalog, rel: Exclude<RelationDef, { kind: 'index' }>, newOwner: string, newOid: number): void {
  const type = rel.kind === 'sequence' ? 'sequence' : 'table';
  aclNewOwner(cat, objectKey(type, rel.oid), rel.owner, newOid);
  const colPrefix = `${objectKey('column', rel.oid)}:`;
  for (const key of [...cat.auth.acls.keys()]) if (key.startsWith(colPrefix)) aclNewOwner(cat, key, rel.owner, newOid);
  cat.putRelation({ ...rel, owner: newOwner });
}

export function alterSchemaOwner(rc: RoleContext, name: string, newOwner: string): void {
  const cat = rc.catalog;
  const schema = cat.schemas.get(name);
  if (schema === undefined) throw new DbError('invalid_schema_name', `schema "${name}" does not exist`);
  checkOwnerChange(rc, schema.owner, 'schema', name, newOwner, null);
  aclNewOwner(cat, objectKey('schema', schema.oid), schema.owner, cat.auth.role(newOwner)!.oid);
  cat.schemas.set(name, { ...schema, owner: newOwner });
}

function reassignOwned(stmt: OwnedStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  const to = resolveRole(cat.auth, stmt.newOwner!, rc.user, rc.sessionUser, stmt.loc);
  for (const rn of stmt.roles) {
    const from = resolveRole(cat.auth, rn, rc.user, rc.sessionUser, stmt.loc);
    if (!isSuperuser(cat, rc.user) && !(hasOwnership(cat, rc.user, from.name) && hasOwnership(cat, rc.user, to.name))) {
      throw new DbError('insufficient_privilege', 'permission denied to reassign objects');
    }
    for (const rel of [...cat.byOid.values()]) {
      if (rel.kind !== 'index' && rel.owner === from.name) setRelationOwner(cat, rel, to.name, to.oid);
    }
    const routines = routinesOf(cat);
    for (const [oid, r] of [...routines]) {
      if (r.owner !== from.name) continue;
      aclNewOwner(cat, objectKey('function', oid), from.name, to.oid);
      routines.set(oid, { ...r, owner: to.name });
    }
    for (const sc of [...cat.schemas.values()]) {
      if (sc.owner === from.name) {
        aclNewOwner(cat, objectKey('schema', sc.oid), from.name, to.oid);
        cat.schemas.set(sc.name, { ...sc, owner: to.name });
      }
    }
  }
}

/** DROP OWNED: revokes the role's privileges and drops the relations it owns (no CASCADE to others' objects). */
function dropOwned(stmt: OwnedStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  for (const rn of stmt.roles) {
    const role = resolveRole(cat.auth, rn, rc.user, rc.sessionUser, stmt.loc);
    if (!isSuperuser(cat, rc.user) && !hasOwnership(cat, rc.user, role.name)) {
      throw new DbError('insufficient_privilege', 'permission denied to drop objects');
    }
    const acls = new Map(cat.auth.acls);
    for (const [k, acl] of acls) acls.set(k, acl.filter((it) => it.grantee !== role.oid));
    cat.auth = cat.auth.with({ acls, defaultAcls: cat.auth.defaultAcls.filter((d) => d.role !== role.oid) });
    const owned = [...cat.byOid.values()].filter((r) => r.kind !== 'index' && r.owner === role.name);
    for (const rel of owned) {
      const dependents = [...cat.byOid.values()].filter((r) => r.kind === 'table' && r.owner !== role.name &&
        r.constraints.some((k) => k.fk?.refTableOid === rel.oid));
      if (dependents.length > 0 && stmt.behavior !== 'cascade') {
        throw new DbError('dependent_objects_still_exist', `cannot drop desired object(s) because other objects depend on them`,
          { detail: dependents.map((d) => `constraint on table ${d.name} depends on table ${rel.name}`).join('\n'), hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
      }
    }
    for (const rel of owned) {
      cat.removeRelation(rel);
      if (rel.kind === 'table') for (const ix of rel.indexes) cat.removeRelation(ix);
    }
    for (const schema of [...cat.schemas.values()]) {
      if (schema.owner === role.name && ![...cat.byOid.values()].some((r) => r.schema === schema.name)) cat.schemas.delete(schema.name);
    }
  }
}
