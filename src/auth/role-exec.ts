/**
 * Role statements: CREATE / ALTER / DROP ROLE (USER, GROUP), ALTER ROLE ... RENAME / SET, GRANT /
 * REVOKE role membership, SET ROLE, SET SESSION AUTHORIZATION. Roles live in the catalog's
 * AuthState, so these edit the statement's private catalog copy (transactional, WAL-logged).
 *
 * Rules follow PostgreSQL 15: CREATEROLE may create, alter and drop non-superuser roles;
 * only superusers touch superusers; a role may change its own password; DROP ROLE fails (2BP01)
 * while the role owns objects or holds privileges, and for the current or session user (55006).
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { AlterRoleStmt, CreateRoleStmt, DropRoleStmt, GrantRoleStmt, RoleOption } from '../sql/ast.ts';
import type { TypeContext } from '../types/context.ts';
import { parseTimestamptz } from '../types/datetime-parse.ts';
import { makeVerifier, parseVerifier } from './scram.ts';
import { BOOTSTRAP_SUPERUSER_OID, isSystemRole, newRole, type AuthState, type Membership, type RoleDef } from './auth-state.ts';
import { PUBLIC_OID } from './acl.ts';
import { roleDependencies, routinesOf } from './dependencies.ts';

/** What role statements need from the session. */
export interface RoleContext {
  readonly catalog: Catalog;
  readonly user: string;
  readonly sessionUser: string;
  readonly types: TypeContext;
  /** Randomness for password salts (Env). */
  readonly randomBytes: (n: number) => Uint8Array;
  notice(message: string): void;
}

export function undefinedRole(name: string, loc?: number): DbError {
  return new DbError('undefined_object', `role "${name}" does not exist`, loc === undefined ? {} : { position: loc + 1 });
}

/** Resolves a RoleSpec word (current_user, session_user, current_role) to a role. */
export function resolveRole(auth: AuthState, name: string, user: string, sessionUser: string, loc?: number): RoleDef {
  const n = name === 'current_user' || name === 'current_role' ? user : name === 'session_user' ? sessionUser : name;
  const r = auth.role(n);
  if (r === undefined) throw undefinedRole(n, loc);
  return r;
}

function me(rc: RoleContext): RoleDef {
  const r = rc.catalog.auth.role(rc.user);
  if (r === undefined) throw undefinedRole(rc.user);
  return r;
}

function checkReservedName(name: string, loc: number): void {
  if (name.startsWith('pg_') || name === 'public' || name === 'none') {
    throw new DbError('reserved_name', `role name "${name}" is reserved`,
      { detail: name.startsWith('pg_') ? 'Role names starting with "pg_" are reserved.' : undefined, position: loc + 1 });
  }
}

/** PASSWORD 'x': a SCRAM verifier is stored as given; clear text is hashed with a fresh salt. */
function passwordVerifier(value: string | null, rc: RoleContext, roleName: string): string | null {
  if (value === null || value === '') {
    if (value === '') rc.notice(`empty string is not a valid password, clearing password`);
    return null;
  }
  if (value.startsWith('SCRAM-SHA-256$')) {
    if (parseVerifier(value) === null) throw new DbError('invalid_parameter_value', 'invalid SCRAM-SHA-256 verifier');
    return value;
  }
  if (/^md5[0-9a-f]{32}$/.test(value)) {
    throw new DbError('feature_not_supported', `MD5-hashed passwords are not supported (role "${roleName}"); give the password in clear or as a SCRAM-SHA-256 verifier`);
  }
  return makeVerifier(value, rc.randomBytes(16));
}

function applyOptions(role: RoleDef, options: readonly RoleOption[], rc: RoleContext): RoleDef {
  let r = role;
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.name)) throw new DbError('syntax_error', 'conflicting or redundant options', { position: o.loc + 1 });
    seen.add(o.name);
    switch (o.name) {
      case 'superuser': r = { ...r, superuser: o.value === true }; break;
      case 'createdb': r = { ...r, createDb: o.value === true }; break;
      case 'createrole': r = { ...r, createRole: o.value === true }; break;
      case 'inherit': r = { ...r, inherit: o.value === true }; break;
      case 'login': r = { ...r, login: o.value === true }; break;
      case 'replication': r = { ...r, replication: o.value === true }; break;
      case 'bypassrls': r = { ...r, bypassRls: o.value === true }; break;
      case 'connection_limit': {
        const n = Number(o.value);
        if (!Number.isInteger(n) || n < -1) throw new DbError('invalid_parameter_value', `invalid connection limit: ${String(o.value)}`, { position: o.loc + 1 });
        r = { ...r, connectionLimit: n };
        break;
      }
      case 'password': r = { ...r, password: passwordVerifier(o.value as string | null, rc, role.name) }; break;
      case 'valid_until': {
        const text = String(o.value);
        r = { ...r, validUntil: text.trim().toLowerCase() === 'infinity' ? null : parseTimestamptz(text, rc.types) };
        break;
      }
      case 'sysid': break;
      case 'in_role': case 'role': case 'admin': break;
      default: throw new DbError('syntax_error', `unrecognized role option "${o.name}"`, { position: o.loc + 1 });
    }
  }
  return r;
}

/** CREATEROLE may manage non-superusers; superuser-ness and REPLICATION/BYPASSRLS need a superuser. */
function checkCanManage(rc: RoleContext, target: RoleDef | null, options: readonly RoleOption[], verb: string): void {
  const actor = me(rc);
  if (actor.superuser) return;
  const needsSuper = options.some((o) => (o.name === 'superuser' || o.name === 'replication' || o.name === 'bypassrls')) ||
    (target?.superuser ?? false);
  if (needsSuper) throw new DbError('insufficient_privilege', `must be superuser to ${verb} superusers`);
  // PostgreSQL 15's wording: ALTER says only "permission denied".
  if (!actor.createRole) throw new DbError('insufficient_privilege', verb === 'alter' ? 'permission denied' : `permission denied to ${verb} role`);
}

export function createRole(stmt: CreateRoleStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  checkReservedName(stmt.name, stmt.loc);
  checkCanManage(rc, null, stmt.options, 'create');
  if (cat.auth.role(stmt.name) !== undefined) {
    throw new DbError('duplicate_object', `role "${stmt.name}" already exists`, { position: stmt.loc + 1 });
  }
  // CREATE USER is CREATE ROLE ... LOGIN.
  let role = newRole(cat.allocOid(), stmt.name, { login: stmt.roleType === 'user' });
  role = applyOptions(role, stmt.options, rc);
  let auth = cat.auth.withRole(role);
  const grantor = me(rc).oid;
  const members: Membership[] = [...auth.members];
  for (const o of stmt.options) {
    const names = (o.value ?? []) as readonly string[];
    if (o.name === 'in_role') {
      for (const n of names) members.push({ role: resolveRole(auth, n, rc.user, rc.sessionUser, o.loc).oid, member: role.oid, grantor, admin: false });
    } else if (o.name === 'role' || o.name === 'admin') {
      for (const n of names) members.push({ role: role.oid, member: resolveRole(auth, n, rc.user, rc.sessionUser, o.loc).oid, grantor, admin: o.name === 'admin' });
    }
  }
  auth = auth.with({ members });
  cat.auth = auth;
}

export function alterRole(stmt: AlterRoleStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  const target = resolveRole(cat.auth, stmt.name, rc.user, rc.sessionUser, stmt.loc);
  const actor = me(rc);
  const onlyOwnPassword = target.oid === actor.oid && stmt.set === null &&
    stmt.options.every((o) => o.name === 'password');
  if (!onlyOwnPassword) checkCanManage(rc, target, stmt.options, 'alter');
  if (target.oid === BOOTSTRAP_SUPERUSER_OID && stmt.options.some((o) => o.name === 'superuser' && o.value === false)) {
    throw new DbError('feature_not_supported', 'the bootstrap superuser must remain a superuser');
  }
  let next = applyOptions(target, stmt.options, rc);
  if (stmt.set !== null) {
    const name = stmt.set.name;
    const config = next.config.filter((c) => name === 'all' ? false : !c.startsWith(`${name}=`));
    if (stmt.set.kind === 'Set' && stmt.set.values !== null) config.push(`${name}=${stmt.set.values.map((v) => v.value).join(', ')}`);
    next = { ...next, config };
  }
  cat.auth = cat.auth.withRole(next);
}

export function renameRole(oldName: string, newName: string, loc: number, rc: RoleContext): void {
  const cat = rc.catalog;
  const target = resolveRole(cat.auth, oldName, rc.user, rc.sessionUser, loc);
  checkCanManage(rc, target, [], 'rename');
  if (target.name === rc.sessionUser || target.name === rc.user) {
    throw new DbError('feature_not_supported', 'session user cannot be renamed');
  }
  checkReservedName(newName, loc);
  if (cat.auth.role(newName) !== undefined) throw new DbError('duplicate_object', `role "${newName}" already exists`);
  // Owners are recorded by name: move every object the role owns to the new name.
  for (const rel of [...cat.byOid.values()]) {
    if (rel.kind !== 'index' && rel.owner === target.name) cat.putRelation({ ...rel, owner: newName });
  }
  for (const s of [...cat.schemas.values()]) if (s.owner === target.name) cat.schemas.set(s.name, { ...s, owner: newName });
  const routines = routinesOf(cat);
  for (const [oid, r] of [...routines]) if (r.owner === target.name) routines.set(oid, { ...r, owner: newName });
  cat.auth = cat.auth.withRole({ ...target, name: newName, password: null });
  if (target.password !== null) rc.notice('MD5 password cleared because of role rename');
}

export function dropRoles(stmt: DropRoleStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  const actor = me(rc);
  if (!actor.superuser && !actor.createRole) throw new DbError('insufficient_privilege', 'permission denied to drop role');
  for (const name of stmt.names) {
    const target = cat.auth.role(name);
    if (target === undefined) {
      if (stmt.ifExists) { rc.notice(`role "${name}" does not exist, skipping`); continue; }
      throw undefinedRole(name, stmt.loc);
    }
    checkCanManage(rc, target, [], 'drop');
    if (target.name === rc.user) throw new DbError('object_in_use', 'current user cannot be dropped');
    if (target.name === rc.sessionUser) throw new DbError('object_in_use', 'session user cannot be dropped');
    if (isSystemRole(target.oid)) {
      throw new DbError('dependent_objects_still_exist', `cannot drop role ${target.name} because it is required by the database system`);
    }
    const deps = roleDependencies(cat, target);
    if (deps.length > 0) {
      throw new DbError('dependent_objects_still_exist', `role "${target.name}" cannot be dropped because some objects depend on it`,
        { detail: deps.slice(0, 100).join('\n') });
    }
    const roles = new Map(cat.auth.roles);
    roles.delete(target.oid);
    cat.auth = cat.auth.with({
      roles: roles.values(),
      members: cat.auth.members.filter((m) => m.role !== target.oid && m.member !== target.oid),
      defaultAcls: cat.auth.defaultAcls.filter((d) => d.role !== target.oid),
    });
  }
}

export function grantRole(stmt: GrantRoleStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  const auth = cat.auth;
  const actor = me(rc);
  let members = [...auth.members];
  for (const rn of stmt.roles) {
    const role = resolveRole(auth, rn, rc.user, rc.sessionUser, stmt.loc);
    if (!actor.superuser) {
      const ok = role.superuser ? false : actor.createRole || auth.hasAdmin(actor.oid, role.oid);
      if (!ok) {
        throw new DbError('insufficient_privilege', role.superuser ? 'must be superuser to alter superusers'
          : `must have admin option on role "${role.name}"`);
      }
    }
    for (const gn of stmt.grantees) {
      if (gn === 'public') throw new DbError('invalid_grant_operation', 'role "public" cannot have explicit members');
      const member = resolveRole(auth, gn, rc.user, rc.sessionUser, stmt.loc);
      const existing = members.find((m) => m.role === role.oid && m.member === member.oid);
      if (stmt.isGrant) {
        if (member.oid === role.oid || auth.effectiveRoles(role.oid, true).has(member.oid)) {
          throw new DbError('invalid_grant_operation', `role "${role.name}" is a member of role "${member.name}"`);
        }
        if (existing !== undefined) {
          if (stmt.adminOption && !existing.admin) {
            members = members.map((m) => (m === existing ? { ...m, admin: true } : m));
          } else {
            rc.notice(`role "${member.name}" is already a member of role "${role.name}"`);
          }
          continue;
        }
        members.push({ role: role.oid, member: member.oid, grantor: actor.oid, admin: stmt.adminOption });
      } else {
        if (existing === undefined) {
          rc.notice(`role "${member.name}" is not a member of role "${role.name}"`);
          continue;
        }
        members = stmt.adminOption
          ? members.map((m) => (m === existing ? { ...m, admin: false } : m))
          : members.filter((m) => m !== existing);
      }
    }
  }
  cat.auth = auth.with({ members });
}

/** SET ROLE target: must be a member (any membership, INHERIT or not) or a superuser. */
export function checkSetRole(catalog: Catalog, sessionUser: string, target: string): void {
  const auth = catalog.auth;
  const t = auth.role(target);
  if (t === undefined) throw new DbError('invalid_parameter_value', `role "${target}" does not exist`);
  const s = auth.role(sessionUser);
  if (s === undefined) throw undefinedRole(sessionUser);
  if (s.superuser || auth.effectiveRoles(s.oid, true).has(t.oid)) return;
  throw new DbError('insufficient_privilege', `permission denied to set role "${target}"`);
}

/** SET SESSION AUTHORIZATION: only a session that authenticated as a superuser. */
export function checkSetSessionAuthorization(catalog: Catalog, loginUser: string, target: string): void {
  const auth = catalog.auth;
  if (auth.role(target) === undefined) throw new DbError('invalid_parameter_value', `role "${target}" does not exist`);
  if (target === loginUser) return;
  if (!(auth.role(loginUser)?.superuser ?? false)) {
    throw new DbError('insufficient_privilege', `permission denied to set session authorization`);
  }
}

export { PUBLIC_OID };
