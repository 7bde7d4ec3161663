/**
 * The cluster's roles, role memberships and access control lists: PostgreSQL's pg_authid,
 * pg_auth_members, the *acl columns and pg_default_acl, kept as one immutable value hanging off
 * the catalog (`Catalog.auth`). Role DDL and GRANT / REVOKE build a new AuthState in the
 * statement's private catalog copy, so they are transactional like all DDL and reach the WAL
 * catalog image (toImage / fromImage) like any catalog change.
 *
 * Invariants:
 * - Role names and oids are unique; the bootstrap superuser has oid 10 and cannot be dropped.
 * - ACLs are keyed by `objectKey(type, oid)`; a missing key means the default ACL (acl.ts).
 * - Memberships never form a cycle (checked at GRANT).
 * - Passwords are stored only as SCRAM-SHA-256 verifiers (scram.ts), never in clear.
 */
import { Priv, PUBLIC_OID, type Acl, type AclObjectType } from './acl.ts';

/** pg_catalog, public, information_schema (catalog.ts Catalog.initial). */
const BUILTIN_SCHEMA_OIDS = [11, 2200, 13000];

export const BOOTSTRAP_SUPERUSER_OID = 10;

/**
 * PostgreSQL's predefined roles that Oxibase gives a meaning (oids as in PostgreSQL 15):
 * pg_signal_backend may cancel and terminate other roles' (non-superuser) backends. Like the
 * bootstrap superuser they are pinned: DROP ROLE refuses them.
 */
export const PG_SIGNAL_BACKEND_OID = 4200;
const PREDEFINED_ROLES: readonly RoleDef[] = [newRole(PG_SIGNAL_BACKEND_OID, 'pg_signal_backend')];

/** Oids below PostgreSQL's FirstNormalObjectId belong to the system (pinned roles). */
export function isSystemRole(oid: number): boolean {
  return oid < 16384;
}

/** One role (pg_authid row). */
export interface RoleDef {
  readonly oid: number;
  readonly name: string;
  readonly superuser: boolean;
  readonly inherit: boolean;
  readonly createRole: boolean;
  readonly createDb: boolean;
  readonly login: boolean;
  readonly replication: boolean;
  readonly bypassRls: boolean;
  /** -1 = unlimited. */
  readonly connectionLimit: number;
  /** SCRAM-SHA-256 verifier, or null (no password: password logins fail). */
  readonly password: string | null;
  /** Microseconds since the epoch after which the password is invalid; null = forever. */
  readonly validUntil: number | null;
  /** ALTER ROLE ... SET: `name=value` entries applied at login (pg_db_role_setting). */
  readonly config: readonly string[];
}

/** `member` is a member of `role` (pg_auth_members row). */
export interface Membership {
  readonly role: number;
  readonly member: number;
  readonly grantor: number;
  readonly admin: boolean;
}

/** ALTER DEFAULT PRIVILEGES entry (pg_default_acl row). */
export interface DefaultAcl {
  /** The role whose future objects it applies to. */
  readonly role: number;
  /** Schema oid, or 0 for all schemas. */
  readonly schema: number;
  readonly objType: 'table' | 'sequence' | 'function' | 'schema';
  readonly acl: Acl;
  /** pg_default_acl row oid (orders dependency listings like PostgreSQL's). */
  readonly oid?: number;
}

/** Key of an object's ACL: type letter and oid; columns add their attnum. */
export function objectKey(type: AclObjectType, oid: number, attnum?: number): string {
  return attnum === undefined ? `${type}:${oid}` : `${type}:${oid}:${attnum}`;
}

export class AuthState {
  readonly roles: ReadonlyMap<number, RoleDef>;
  readonly byName: ReadonlyMap<string, RoleDef>;
  readonly members: readonly Membership[];
  readonly acls: ReadonlyMap<string, Acl>;
  readonly defaultAcls: readonly DefaultAcl[];
  private memberCache: Map<string, ReadonlySet<number>> | null = null;

  constructor(roles: Iterable<RoleDef>, members: readonly Membership[], acls: ReadonlyMap<string, Acl>, defaultAcls: readonly DefaultAcl[]) {
    const byOid = new Map<number, RoleDef>();
    const byName = new Map<string, RoleDef>();
    for (const r of roles) { byOid.set(r.oid, r); byName.set(r.name, r); }
    this.roles = byOid;
    this.byName = byName;
    this.members = members;
    this.acls = acls;
    this.defaultAcls = defaultAcls;
  }

  /** A cluster with only the bootstrap superuser. */
  static bootstrap(superuser: string): AuthState {
    // pg_catalog, public and information_schema: USAGE for everyone (PostgreSQL 15 also leaves
    // CREATE on public to its owner only).
    const acls = new Map<string, Acl>();
    for (const oid of BUILTIN_SCHEMA_OIDS) {
      acls.set(objectKey('schema', oid), [
        { grantee: BOOTSTRAP_SUPERUSER_OID, grantor: BOOTSTRAP_SUPERUSER_OID, privs: Priv.usage | Priv.create, grantable: 0 },
        { grantee: PUBLIC_OID, grantor: BOOTSTRAP_SUPERUSER_OID, privs: Priv.usage, grantable: 0 },
      ]);
    }
    return new AuthState([newRole(BOOTSTRAP_SUPERUSER_OID, superuser, {
      superuser: true, createRole: true, createDb: true, login: true, replication: true, bypassRls: true,
    }), ...PREDEFINED_ROLES], [], acls, []);
  }

  role(name: string): RoleDef | undefined {
    return this.byName.get(name);
  }

  roleName(oid: number): string {
    return this.roles.get(oid)?.name ?? `unknown (OID=${oid})`;
  }

  get bootstrapName(): string {
    return this.roles.get(BOOTSTRAP_SUPERUSER_OID)?.name ?? 'oxibase';
  }

  /**
   * Roles whose privileges `oid` holds: itself and, through memberships, the roles it is a
   * member of, following only INHERIT roles (PostgreSQL 15's roles_is_member_of for privileges).
   * `all` follows every membership (what SET ROLE may switch to).
   */
  effectiveRoles(oid: number, all = false): ReadonlySet<number> {
    const key = `${oid}:${all ? 1 : 0}`;
    this.memberCache ??= new Map();
    const hit = this.memberCache.get(key);
    if (hit !== undefined) return hit;
    const out = new Set<number>([oid]);
    const todo = [oid];
    while (todo.length > 0) {
      const cur = todo.pop()!;
      if (!all && !(this.roles.get(cur)?.inherit ?? false)) continue;
      for (const m of this.members) {
        if (m.member === cur && !out.has(m.role)) { out.add(m.role); todo.push(m.role); }
      }
    }
    this.memberCache.set(key, out);
    return out;
  }

  /** Does `member` hold ADMIN OPTION on `role` (directly or through an inherited membership)? */
  hasAdmin(member: number, role: number): boolean {
    const mine = this.effectiveRoles(member);
    return this.members.some((m) => m.role === role && m.admin && mine.has(m.member));
  }

  acl(key: string): Acl | undefined {
    return this.acls.get(key);
  }

  /** A copy with edits applied (the builder DDL uses). */
  with(edit: { roles?: Iterable<RoleDef>; members?: readonly Membership[]; acls?: ReadonlyMap<string, Acl>; defaultAcls?: readonly DefaultAcl[] }): AuthState {
    return new AuthState(edit.roles ?? this.roles.values(), edit.members ?? this.members, edit.acls ?? this.acls,
      edit.defaultAcls ?? this.defaultAcls);
  }

  withRole(role: RoleDef): AuthState {
    const roles = new Map(this.roles);
    roles.set(role.oid, role);
    return this.with({ roles: roles.values() });
  }

  withAcl(key: string, acl: Acl | null): AuthState {
    const acls = new Map(this.acls);
    if (acl === null) acls.delete(key);
    else acls.set(key, acl);
    return this.with({ acls });
  }

  /** Plain JSON data for the WAL catalog image. */
  toImage(): AuthImage {
    return {
      roles: [...this.roles.values()],
      members: this.members,
      acls: [...this.acls.entries()],
      defaultAcls: this.defaultAcls,
    };
  }

  static fromImage(image: AuthImage): AuthState {
    // Images written before a predefined role existed get it on load.
    const missing = PREDEFINED_ROLES.filter((p) => !image.roles.some((r) => r.oid === p.oid));
    return new AuthState([...image.roles, ...missing], image.members, new Map(image.acls), image.defaultAcls);
  }
}

export interface AuthImage {
  readonly roles: readonly RoleDef[];
  readonly members: readonly Membership[];
  readonly acls: readonly (readonly [string, Acl])[];
  readonly defaultAcls: readonly DefaultAcl[];
}

/** A role with PostgreSQL's CREATE ROLE defaults (NOLOGIN, INHERIT, no password). */
export function newRole(oid: number, name: string, opts: Partial<RoleDef> = {}): RoleDef {
  return {
    oid, name, superuser: false, inherit: true, createRole: false, createDb: false, login: false,
    replication: false, bypassRls: false, connectionLimit: -1, password: null, validUntil: null, config: [],
    ...opts,
  };
}
