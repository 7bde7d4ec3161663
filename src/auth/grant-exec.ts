/**
 * GRANT / REVOKE on objects (tables, views, sequences, columns, schemas, the database, ALL
 * TABLES / SEQUENCES IN SCHEMA), ALTER DEFAULT PRIVILEGES and owner changes (ALTER ... OWNER TO,
 * REASSIGN OWNED, DROP OWNED), with PostgreSQL's rules:
 * - The grantor of a grant made by the owner is the owner; anyone else needs the grant option,
 *   and is recorded as grantor. Holding none of the requested options gives a WARNING when some
 *   privilege is held, else 42501.
 * - REVOKE of a grant option other grants depend on fails with 2BP01 unless CASCADE, which
 *   revokes the dependent grants recursively.
 * - Grant options cannot go to PUBLIC (0LP01).
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef } from '../catalog/objects.ts';
import type { AlterDefaultPrivilegesStmt, FunctionParam, GrantStmt, ObjectName, Privilege } from '../sql/ast.ts';
import { resolveTypeName } from '../plan/binder/type-names.ts';
import {
  ALL_RIGHTS, aclGrant, aclMask, aclRevoke, defaultAcl, privBit, PUBLIC_OID, type Acl, type AclObjectType,
} from './acl.ts';
import { objectKey, type AuthState, type DefaultAcl } from './auth-state.ts';
import { DATABASE_ACL_OID, hasOwnership, isSuperuser, ownerOid, permissionDenied } from './privileges.ts';
import { resolveRole, undefinedRole, type RoleContext } from './role-exec.ts';

/** One object GRANT applies to: its ACL key(s), type and owner. */
interface Target {
  readonly type: AclObjectType;
  readonly oid: number;
  readonly owner: string;
  readonly label: string;
}

function relationTargets(catalog: Catalog, name: ObjectName, searchPath: readonly string[], type: GrantStmt['objectType']): Target {
  const rel = catalog.findRelation(name, searchPath);
  if (rel === undefined || rel.kind === 'index') {
    const full = name.schema ? `${name.schema}.${name.name}` : name.name;
    throw new DbError('undefined_table', `relation "${full}" does not exist`, { position: name.loc + 1 });
  }
  if (type === 'sequence' && rel.kind !== 'sequence') {
    throw new DbError('wrong_object_type', `"${rel.name}" is not a sequence`, { position: name.loc + 1 });
  }
  return { type: rel.kind === 'sequence' ? 'sequence' : 'table', oid: rel.oid, owner: rel.owner, label: rel.name };
}

function resolveTargets(stmt: GrantStmt, catalog: Catalog, searchPath: readonly string[], database: string): Target[] {
  const out: Target[] = [];
  if (stmt.allInSchema) {
    for (const sn of stmt.objects) {
      if (!catalog.schemas.has(sn.name)) throw new DbError('invalid_schema_name', `schema "${sn.name}" does not exist`, { position: sn.loc + 1 });
      const rels: RelationDef[] = [...catalog.byOid.values()].filter((r) => r.schema === sn.name);
      for (const r of rels.sort((a, b) => a.oid - b.oid)) {
        if (stmt.objectType === 'table' && (r.kind === 'table' || r.kind === 'view')) out.push({ type: 'table', oid: r.oid, owner: r.owner, label: r.name });
        if (stmt.objectType === 'sequence' && r.kind === 'sequence') out.push({ type: 'sequence', oid: r.oid, owner: r.owner, label: r.name });
      }
      if (stmt.objectType === 'function' || stmt.objectType === 'procedure' || stmt.objectType === 'routine') {
        const routines = (catalog as unknown as { routines?: ReadonlyMap<number, RoutineLike> }).routines;
        for (const r of [...(routines?.values() ?? [])].sort((a, b) => a.oid - b.oid)) {
          if (r.schema !== sn.name) continue;
          if (stmt.objectType !== 'routine' && (stmt.objectType === 'procedure') !== (r.kind === 'procedure')) continue;
          out.push({ type: 'function', oid: r.oid, owner: r.owner, label: r.name });
        }
      }
    }
    return out;
  }
  for (const n of stmt.objects) {
    switch (stmt.objectType) {
      case 'table': case 'sequence':
        out.push(relationTargets(catalog, n, searchPath, stmt.objectType));
        break;
      case 'schema': {
        const s = catalog.schemas.get(n.name);
        if (s === undefined) throw new DbError('invalid_schema_name', `schema "${n.name}" does not exist`, { position: n.loc + 1 });
        out.push({ type: 'schema', oid: s.oid, owner: s.owner, label: s.name });
        break;
      }
      case 'database':
        if (n.name !== database) throw new DbError('invalid_catalog_name', `database "${n.name}" does not exist`, { position: n.loc + 1 });
        out.push({ type: 'database', oid: DATABASE_ACL_OID, owner: catalog.auth.bootstrapName, label: database });
        break;
      case 'function': case 'procedure': case 'routine':
        out.push(routineTarget(catalog, n, stmt.functionParams?.[out.length] ?? null, stmt.objectType, searchPath));
        break;
      default:
        throw new DbError('feature_not_supported', `GRANT ON ${stmt.objectType.toUpperCase()} is not supported`, { position: stmt.loc + 1 });
    }
  }
  return out;
}

/** What GRANT needs of a user routine (the routines layer's RoutineDef has these fields). */
interface RoutineLike {
  readonly kind: string;
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly owner: string;
  readonly args: readonly { readonly type: { readonly oid: number }; readonly mode: string }[];
}

/**
 * A user routine by name and optional signature. Routines live in `catalog.routines` (added by
 * the routines layer); read structurally so this file does not depend on that layer.
 */
function routineTarget(catalog: Catalog, name: ObjectName, params: readonly FunctionParam[] | null, type: GrantStmt['objectType'], searchPath: readonly string[]): Target {
  const routines = (catalog as unknown as { routines?: ReadonlyMap<number, RoutineLike> }).routines;
  const label = name.schema ? `${name.schema}.${name.name}` : name.name;
  const inArgs = (r: RoutineLike): number[] => r.args.filter((a) => a.mode !== 'out' && a.mode !== 'table').map((a) => a.type.oid);
  const wanted = params?.filter((p) => p.mode !== 'out' && p.mode !== 'table').map((p) => resolveTypeName(p.type).oid) ?? null;
  const schemas = name.schema !== null ? [name.schema] : searchPath;
  for (const schema of schemas) {
    const found = [...(routines?.values() ?? [])].filter((r) => r.schema === schema && r.name === name.name &&
      (type === 'routine' || (type === 'procedure') === (r.kind === 'procedure')) &&
      (wanted === null || (inArgs(r).length === wanted.length && inArgs(r).every((o, i) => o === wanted[i]))));
    if (found.length > 1) throw new DbError('ambiguous_function', `function name "${label}" is not unique`, { hint: 'Specify the argument list to select the function unambiguously.', position: name.loc + 1 });
    if (found.length === 1) return { type: 'function', oid: found[0]!.oid, owner: found[0]!.owner, label: found[0]!.name };
  }
  throw new DbError('undefined_function', `${type === 'procedure' ? 'procedure' : 'function'} ${label}${wanted === null ? '' : '(...)'} does not exist`, { position: name.loc + 1 });
}

/** Privilege bits requested for a target type; per-column privileges separately. */
function requested(privs: readonly Privilege[] | null, type: AclObjectType): { table: number; columns: Map<string, number> } {
  const columns = new Map<string, number>();
  if (privs === null) return { table: ALL_RIGHTS[type], columns };
  let table = 0;
  for (const p of privs) {
    if (p.columns !== null) {
      if (type !== 'table') throw new DbError('invalid_grant_operation', 'column privileges are only valid for relations', { position: p.loc + 1 });
      const bit = p.name === 'all' ? ALL_RIGHTS.column : privBit(p.name, 'column', p.loc);
      for (const c of p.columns) columns.set(c, (columns.get(c) ?? 0) | bit);
      continue;
    }
    if (p.name === 'all') { table |= ALL_RIGHTS[type]; continue; }
    // GRANT ... ON TABLE seq accepts the sequence subset, as PostgreSQL does.
    if (type === 'sequence' && ['insert', 'delete', 'truncate', 'references', 'trigger'].includes(p.name)) continue;
    table |= privBit(p.name, type, p.loc);
  }
  return { table, columns };
}

function currentAcl(auth: AuthState, key: string, type: AclObjectType, owner: string): Acl {
  return auth.acl(key) ?? defaultAcl(type, ownerOid(auth, owner));
}

/** Who the grant is recorded as from, and which bits they may grant. */
function grantorFor(catalog: Catalog, user: string, t: Target, key: string, aclType: AclObjectType): { grantor: number; grantable: number; held: number } {
  const auth = catalog.auth;
  if (isSuperuser(catalog, user) || hasOwnership(catalog, user, t.owner)) {
    return { grantor: ownerOid(auth, t.owner), grantable: ~0, held: ~0 };
  }
  const r = auth.role(user);
  if (r === undefined) throw undefinedRole(user);
  const acl = currentAcl(auth, key, aclType, t.owner);
  const mine = auth.effectiveRoles(r.oid);
  return { grantor: r.oid, grantable: aclMask(acl, mine, true), held: aclMask(acl, mine) };
}

function granteeOids(stmt: GrantStmt, rc: RoleContext): number[] {
  return stmt.grantees.map((g) => {
    if (g === 'public') {
      if (stmt.isGrant && stmt.grantOption) throw new DbError('invalid_grant_operation', 'grant options can only be granted to roles');
      return PUBLIC_OID;
    }
    return resolveRole(rc.catalog.auth, g, rc.user, rc.sessionUser, stmt.loc).oid;
  });
}

/** Revokes, cascading to grants made with the lost grant options. */
function revokeCascade(acl: Acl, grantee: number, grantor: number, bits: number, optionOnly: boolean, cascade: boolean): Acl {
  const { acl: next, lostOptions } = aclRevoke(acl, grantee, grantor, bits, optionOnly);
  if (lostOptions === 0) return next;
  let out = next;
  // Grants the grantee made with the options it lost (unless it still holds them from elsewhere).
  const stillHeld = aclMask(out.filter((it) => it.grantee === grantee), new Set([grantee]), true);
  const lost = lostOptions & ~stillHeld;
  if (lost === 0) return out;
  for (const it of out) {
    if (it.grantor !== grantee || (it.privs & lost) === 0) continue;
    if (!cascade) {
      throw new DbError('dependent_objects_still_exist', 'dependent privileges exist', { hint: 'Use CASCADE to revoke them too.' });
    }
    out = revokeCascade(out, it.grantee, grantee, it.privs & lost, false, true);
  }
  return out;
}

export function runGrant(stmt: GrantStmt, rc: RoleContext, searchPath: readonly string[], database: string): void {
  const cat = rc.catalog;
  const grantees = granteeOids(stmt, rc);
  for (const t of resolveTargets(stmt, cat, searchPath, database)) {
    const req = requested(stmt.privileges, t.type);
    const edits: { key: string; type: AclObjectType; bits: number }[] = [];
    if (req.table !== 0 || req.columns.size === 0) edits.push({ key: objectKey(t.type, t.oid), type: t.type, bits: req.table });
    if (req.columns.size > 0) {
      const rel = cat.byOid.get(t.oid);
      for (const [cname, bits] of req.columns) {
        const col = rel?.kind === 'table' ? rel.columns.find((c) => c.name === cname) : undefined;
        if (col === undefined) throw new DbError('undefined_column', `column "${cname}" of relation "${t.label}" does not exist`);
        edits.push({ key: objectKey('column', t.oid, col.attnum), type: 'column', bits });
      }
    }
    for (const e of edits) {
      const tableKey = objectKey(t.type, t.oid);
      const g = grantorFor(cat, rc.user, t, tableKey, t.type);
      if (e.type === 'column' && g.grantable !== ~0) {
        const colG = grantorFor(cat, rc.user, t, e.key, 'column');
        g.grantable |= colG.grantable;
        g.held |= colG.held;
      }
      const allowed = e.bits & g.grantable;
      if (allowed === 0 && e.bits !== 0) {
        if ((g.held & ALL_RIGHTS[e.type]) === 0) throw permissionDenied(t.type === 'table' ? 'table' : t.type, t.label);
        rc.notice(`no privileges were ${stmt.isGrant ? 'granted' : 'revoked'} for "${t.label}"`);
        continue;
      }
      if (allowed !== e.bits) rc.notice(`not all privileges were ${stmt.isGrant ? 'granted' : 'revoked'} for "${t.label}"`);
      let acl = e.type === 'column' ? (cat.auth.acl(e.key) ?? []) : currentAcl(cat.auth, e.key, e.type, t.owner);
      for (const grantee of grantees) {
        acl = stmt.isGrant
          ? aclGrant(acl, grantee, g.grantor, allowed, stmt.grantOption)
          : revokeCascade(acl, grantee, g.grantor, allowed, stmt.grantOption, stmt.behavior === 'cascade');
      }
      cat.auth = cat.auth.withAcl(e.key, e.type === 'column' && acl.length === 0 ? null : acl);
    }
  }
}

export function runAlterDefaultPrivileges(stmt: AlterDefaultPrivilegesStmt, rc: RoleContext): void {
  const cat = rc.catalog;
  const forRoles = stmt.roles.length === 0 ? [rc.user] : stmt.roles;
  const objType = stmt.grant.objectType === 'procedure' || stmt.grant.objectType === 'routine' ? 'function' : stmt.grant.objectType;
  if (objType !== 'table' && objType !== 'sequence' && objType !== 'function' && objType !== 'schema') {
    throw new DbError('feature_not_supported', `ALTER DEFAULT PRIVILEGES ON ${objType.toUpperCase()}S is not supported`, { position: stmt.loc + 1 });
  }
  const grantees = granteeOids(stmt.grant, rc);
  const bits = requested(stmt.grant.privileges, objType).table;
  const schemaOids = stmt.schemas.map((s) => {
    const def = cat.schemas.get(s);
    if (def === undefined) throw new DbError('invalid_schema_name', `schema "${s}" does not exist`);
    return def.oid;
  });
  for (const rn of forRoles) {
    const role = resolveRole(cat.auth, rn, rc.user, rc.sessionUser, stmt.loc);
    if (!hasOwnership(cat, rc.user, role.name)) throw new DbError('insufficient_privilege', `permission denied to change default privileges`);
    for (const schema of schemaOids.length === 0 ? [0] : schemaOids) {
      const list = [...cat.auth.defaultAcls];
      const i = list.findIndex((d) => d.role === role.oid && d.schema === schema && d.objType === objType);
      // Without an entry, the global default is the type's built-in default; per-schema ones start empty.
      let acl: Acl = i >= 0 ? list[i]!.acl : schema === 0 ? defaultAcl(objType, role.oid) : [];
      for (const g of grantees) {
        acl = stmt.grant.isGrant ? aclGrant(acl, g, role.oid, bits, stmt.grant.grantOption)
          : aclRevoke(acl, g, role.oid, bits, stmt.grant.grantOption).acl;
      }
      const entry: DefaultAcl = { role: role.oid, schema, objType, acl, oid: i >= 0 ? list[i]!.oid ?? cat.allocOid() : cat.allocOid() };
      if (i >= 0) list[i] = entry; else list.push(entry);
      cat.auth = cat.auth.with({ defaultAcls: list });
    }
  }
}

/**
 * The ACL a new object starts with under ALTER DEFAULT PRIVILEGES (null: the built-in default).
 * Called by CREATE TABLE / VIEW / SEQUENCE / SCHEMA (and routines) after the object exists.
 */
export function applyDefaultPrivileges(catalog: Catalog, type: 'table' | 'sequence' | 'function' | 'schema', oid: number, owner: string, schemaName: string | null): void {
  const auth = catalog.auth;
  if (auth.defaultAcls.length === 0) return;
  const role = auth.role(owner);
  if (role === undefined) return;
  const schemaOid = schemaName === null ? -1 : catalog.schemas.get(schemaName)?.oid ?? -1;
  const global = auth.defaultAcls.find((d) => d.role === role.oid && d.schema === 0 && d.objType === type);
  const local = auth.defaultAcls.find((d) => d.role === role.oid && d.schema === schemaOid && d.objType === type);
  if (global === undefined && local === undefined) return;
  let acl: Acl = global?.acl ?? defaultAcl(type, role.oid);
  for (const it of local?.acl ?? []) acl = aclGrant(acl, it.grantee, it.grantor, it.privs, it.grantable !== 0);
  catalog.auth = auth.withAcl(objectKey(type, oid), acl);
}

/** Rewrites an object's ACL for a new owner (PostgreSQL's aclnewowner): old owner oid -> new. */
export function aclNewOwner(catalog: Catalog, key: string, oldOwner: string, newOwner: number): void {
  const auth = catalog.auth;
  const acl = auth.acl(key);
  if (acl === undefined) return;
  const old = ownerOid(auth, oldOwner);
  const swap = (o: number): number => (o === old ? newOwner : o);
  let next: Acl = [];
  for (const it of acl) {
    next = aclGrant(next, swap(it.grantee), swap(it.grantor), it.privs, false);
    if (it.grantable !== 0) next = aclGrant(next, swap(it.grantee), swap(it.grantor), it.grantable, true);
  }
  catalog.auth = auth.withAcl(key, next);
}

/**
 * Runs a DDL statement and gives every relation and schema it created (oids allocated during it)
 * the ACL ALTER DEFAULT PRIVILEGES prescribes for its owner.
 */
export function withDefaultPrivileges<T>(current: () => Catalog, run: () => T): T {
  const before = current().nextOid;
  const result = run();
  const cat = current();
  if (cat.auth.defaultAcls.length === 0 || cat.nextOid === before) return result;
  for (const rel of cat.byOid.values()) {
    if (rel.oid < before || rel.kind === 'index') continue;
    applyDefaultPrivileges(cat, rel.kind === 'sequence' ? 'sequence' : 'table', rel.oid, rel.owner, rel.schema);
  }
  for (const s of cat.schemas.values()) if (s.oid >= before) applyDefaultPrivileges(cat, 'schema', s.oid, s.owner, null);
  return result;
}
