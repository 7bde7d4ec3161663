/**
 * Privilege checks: does a role hold a privilege on an object, is it the owner, and the 42501
 * errors PostgreSQL raises when not. Superusers pass every check. Privileges of roles a role is
 * an (INHERIT) member of count as its own; ownership too (has_privs_of_role).
 *
 * The model is generic over object oids: relations, columns, schemas, the database and routines
 * all use `objectKey(type, oid)` ACLs, so a new object kind needs only its ACL key and owner.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef, SchemaDef } from '../catalog/objects.ts';
import { aclMask, defaultAcl, Priv, type Acl, type AclObjectType } from './acl.ts';
import { BOOTSTRAP_SUPERUSER_OID, objectKey, PG_SIGNAL_BACKEND_OID, type AuthState, type RoleDef } from './auth-state.ts';
import type { PrivilegeNeed } from './needs.ts';

/** The oid of the single database (pg_database row). */
export const DATABASE_ACL_OID = 16383;

/** The role a name denotes; an unknown name (a dropped role still in use) holds nothing. */
function roleOf(auth: AuthState, name: string): RoleDef | undefined {
  return auth.role(name);
}

export function isSuperuser(catalog: Catalog, user: string): boolean {
  return roleOf(catalog.auth, user)?.superuser ?? false;
}

/** Owner oid of an object owned by `ownerName` (objects of unknown owners belong to bootstrap). */
export function ownerOid(auth: AuthState, ownerName: string): number {
  return auth.role(ownerName)?.oid ?? BOOTSTRAP_SUPERUSER_OID;
}

/** has_privs_of_role: is `user` the role, a superuser, or an INHERIT member of it? */
export function hasPrivsOfRole(catalog: Catalog, user: string, role: string): boolean {
  const auth = catalog.auth;
  const r = auth.role(user);
  const t = auth.role(role);
  if (r === undefined || t === undefined) return false;
  return r.superuser || r.oid === t.oid || auth.effectiveRoles(r.oid).has(t.oid);
}

/**
 * pg_cancel_backend / pg_terminate_backend on a backend logged in as `target` (PostgreSQL 15's
 * pg_signal_backend): only a superuser signals a superuser's backend; others need the privileges
 * of the target role or of pg_signal_backend.
 */
export function checkSignalBackend(catalog: Catalog, user: string, target: string, kind: 'cancel' | 'terminate'): void {
  const cancel = kind === 'cancel';
  if (isSuperuser(catalog, target) && !isSuperuser(catalog, user)) {
    throw new DbError('insufficient_privilege',
      cancel ? 'must be a superuser to cancel superuser query' : 'must be a superuser to terminate superuser process');
  }
  const signaller = catalog.auth.roles.get(PG_SIGNAL_BACKEND_OID)?.name;
  if (!hasPrivsOfRole(catalog, user, target) && !(signaller !== undefined && hasPrivsOfRole(catalog, user, signaller))) {
    throw new DbError('insufficient_privilege', cancel
      ? 'must be a member of the role whose query is being canceled or member of pg_signal_backend'
      : 'must be a member of the role whose process is being terminated or member of pg_signal_backend');
  }
}

/** Does `user` have the privileges of the role named `owner` (is, or inherits, the owner)? */
export function hasOwnership(catalog: Catalog, user: string, owner: string): boolean {
  const auth = catalog.auth;
  const r = roleOf(auth, user);
  if (r === undefined) return false;
  if (r.superuser || r.name === owner) return true;
  return auth.effectiveRoles(r.oid).has(ownerOid(auth, owner));
}

export function relationAclType(rel: RelationDef): AclObjectType {
  return rel.kind === 'sequence' ? 'sequence' : 'table';
}

/** The object's ACL, or its default. */
export function objectAcl(auth: AuthState, type: AclObjectType, oid: number, owner: string): Acl {
  return auth.acl(objectKey(type, oid)) ?? defaultAcl(type, ownerOid(auth, owner));
}

/** Privileges `user` holds on an object (all bits for a superuser). */
export function privilegesOn(catalog: Catalog, user: string, type: AclObjectType, oid: number, owner: string): number {
  const auth = catalog.auth;
  const r = roleOf(auth, user);
  if (r === undefined) return 0;
  if (r.superuser) return ~0;
  return aclMask(objectAcl(auth, type, oid, owner), auth.effectiveRoles(r.oid));
}

export function columnPrivileges(catalog: Catalog, user: string, table: RelationDef, attnum: number): number {
  const auth = catalog.auth;
  const r = roleOf(auth, user);
  if (r === undefined) return 0;
  if (r.superuser) return ~0;
  const acl = auth.acl(objectKey('column', table.oid, attnum));
  return acl === undefined ? 0 : aclMask(acl, auth.effectiveRoles(r.oid));
}

/** PostgreSQL's object-kind word in "permission denied for ..." messages. */
function relWord(rel: RelationDef): string {
  return rel.kind === 'view' ? 'view' : rel.kind === 'sequence' ? 'sequence' : rel.kind === 'index' ? 'index' : 'table';
}

export function permissionDenied(what: string, name: string): DbError {
  return new DbError('insufficient_privilege', `permission denied for ${what} ${name}`);
}

export function mustBeOwner(what: string, name: string): DbError {
  return new DbError('insufficient_privilege', `must be owner of ${what} ${name}`);
}

/** A relation privilege, possibly satisfied column by column (SELECT / INSERT / UPDATE / REFERENCES). */
export function hasRelationPrivilege(catalog: Catalog, user: string, rel: RelationDef, priv: number, cols: ReadonlySet<number> | null, emptyOk = false): boolean {
  const owner = ownerOf(catalog, rel);
  if ((privilegesOn(catalog, user, relationAclType(rel), rel.oid, owner) & priv) === priv) return true;
  if (rel.kind !== 'table' && rel.kind !== 'view') return false;
  if (cols === null) return false;
  if (cols.size === 0) {
    if (emptyOk) return true;
    // No column named (count(*)): any column with the privilege will do, as in PostgreSQL.
    const attnums = rel.kind === 'table' ? rel.columns.map((c) => c.attnum) : rel.columns.map((_, i) => i);
    return attnums.some((a) => (columnPrivileges(catalog, user, rel, a) & priv) === priv);
  }
  for (const a of cols) if ((columnPrivileges(catalog, user, rel, a) & priv) !== priv) return false;
  return true;
}

/** Indexes are owned by their table's owner. */
export function ownerOf(catalog: Catalog, rel: RelationDef): string {
  if (rel.kind === 'index') {
    const t = catalog.byOid.get(rel.tableOid);
    return t !== undefined && t.kind !== 'index' ? t.owner : catalog.auth.bootstrapName;
  }
  return rel.owner;
}

/** Checks every collected need; throws 42501 naming the first relation that fails. */
export function checkNeeds(catalog: Catalog, user: string, needs: readonly PrivilegeNeed[]): void {
  if (needs.length === 0) return;
  const auth = catalog.auth;
  if (roleOf(auth, user)?.superuser === true && !checksAsOwner(needs)) return;
  for (const n of needs) {
    const who = n.as ?? user;
    // Reaching a relation needs USAGE on its schema (PostgreSQL checks it at name lookup).
    const schema = catalog.schemas.get(n.rel.schema);
    if (schema !== undefined && !hasSchemaPrivilege(catalog, who, schema, Priv.usage)) throw permissionDenied('schema', schema.name);
    if (!hasRelationPrivilege(catalog, who, n.rel, n.priv, n.cols, n.emptyOk)) {
      // PostgreSQL (ExecCheckRTPerms) names the relation even when column privileges were missing.
      throw permissionDenied(relWord(n.rel), n.rel.name);
    }
  }
}

/** True when a need is checked as another role (a view's owner): a loop, run on every statement. */
function checksAsOwner(needs: readonly PrivilegeNeed[]): boolean {
  for (let i = 0; i < needs.length; i++) if (needs[i]!.as !== null) return true;
  return false;
}

export function hasSchemaPrivilege(catalog: Catalog, user: string, schema: SchemaDef, priv: number): boolean {
  return (privilegesOn(catalog, user, 'schema', schema.oid, schema.owner) & priv) === priv;
}

/** CREATE in a schema (CREATE TABLE / VIEW / SEQUENCE / INDEX / FUNCTION ...). */
export function checkSchemaCreate(catalog: Catalog, user: string, schemaName: string): void {
  const s = catalog.schemas.get(schemaName);
  if (s === undefined) return;
  if (!hasSchemaPrivilege(catalog, user, s, Priv.create)) throw permissionDenied('schema', s.name);
}

export function hasDatabasePrivilege(catalog: Catalog, user: string, priv: number): boolean {
  return (privilegesOn(catalog, user, 'database', DATABASE_ACL_OID, catalog.auth.bootstrapName) & priv) === priv;
}

/** A routine as the ACL model sees it (user functions, procedures, aggregates). */
export interface RoutineRef {
  readonly oid: number;
  readonly name: string;
  readonly owner: string;
}

/**
 * EXECUTE on a routine: the one-line check for the routines layer (CALL, function calls in
 * bound expressions). Throws 42501 `permission denied for function f` (or procedure).
 */
export function checkRoutineExecute(catalog: Catalog, user: string, routine: RoutineRef, kind: 'function' | 'procedure' = 'function'): void {
  if ((privilegesOn(catalog, user, 'function', routine.oid, routine.owner) & Priv.execute) === 0) {
    throw permissionDenied(kind, routine.name);
  }
}

/** Sequence functions: nextval / setval need USAGE or UPDATE; currval / lastval USAGE or SELECT. */
export function checkSequence(catalog: Catalog, user: string, seq: RelationDef, op: 'nextval' | 'currval' | 'setval'): void {
  const held = privilegesOn(catalog, user, 'sequence', seq.oid, ownerOf(catalog, seq));
  const ok = op === 'nextval' ? (held & (Priv.usage | Priv.update)) !== 0
    : op === 'currval' ? (held & (Priv.usage | Priv.select)) !== 0
      : (held & Priv.update) !== 0;
  if (!ok) throw permissionDenied('sequence', seq.name);
}

/**
 * The sequence-function check as the engine calls it: superusers skip it, and identity columns'
 * sequences are internal (PostgreSQL checks nothing for GENERATED ... AS IDENTITY).
 */
export function checkSequenceCall(catalog: Catalog, user: string, seq: RelationDef, op: 'nextval' | 'currval' | 'setval'): void {
  if (isSuperuser(catalog, user) || seq.kind !== 'sequence') return;
  if (op === 'nextval' && seq.ownedBy !== null) {
    const t = catalog.byOid.get(seq.ownedBy.tableOid);
    if (t?.kind === 'table' && t.columns.some((c) => c.attnum === seq.ownedBy!.attnum && c.identity !== null)) return;
  }
  checkSequence(catalog, user, seq, op);
}
