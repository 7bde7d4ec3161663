/**
 * Access control lists, as PostgreSQL's aclitem: per object, a list of (grantee, grantor,
 * privileges, grant options). Privileges are bits; their letters and order follow PostgreSQL's
 * ACL_ALL_RIGHTS_STR ("arwdDxtXUCTc") so `relacl` text reads like PostgreSQL's
 * (`{alice=arwdDxt/alice,=r/alice}`).
 *
 * Invariants:
 * - An object without an ACL entry has its type's default ACL (acldefault): the owner holds every
 *   privilege of the type, PUBLIC holds USAGE on pg_catalog-like schemas, EXECUTE on routines and
 *   CONNECT/TEMP on databases.
 * - `grantable` is always a subset of `privs`; an item with no privileges is removed.
 * - Grantee 0 is PUBLIC.
 */
import { DbError } from '../errors/index.ts';

export const PUBLIC_OID = 0;

export const Priv = {
  insert: 1 << 0,
  select: 1 << 1,
  update: 1 << 2,
  delete: 1 << 3,
  truncate: 1 << 4,
  references: 1 << 5,
  trigger: 1 << 6,
  execute: 1 << 7,
  usage: 1 << 8,
  create: 1 << 9,
  temporary: 1 << 10,
  connect: 1 << 11,
} as const;

export type PrivName = keyof typeof Priv;

const LETTERS = 'arwdDxtXUCTc';
const NAMES: readonly PrivName[] = [
  'insert', 'select', 'update', 'delete', 'truncate', 'references', 'trigger', 'execute', 'usage', 'create',
  'temporary', 'connect',
];

/** The kinds of object an ACL can be attached to. */
export type AclObjectType = 'table' | 'sequence' | 'schema' | 'function' | 'database' | 'column';

/** Privileges each object type accepts (PostgreSQL's ACL_ALL_RIGHTS_*). */
export const ALL_RIGHTS: Record<AclObjectType, number> = {
  table: Priv.insert | Priv.select | Priv.update | Priv.delete | Priv.truncate | Priv.references | Priv.trigger,
  column: Priv.insert | Priv.select | Priv.update | Priv.references,
  sequence: Priv.usage | Priv.select | Priv.update,
  schema: Priv.usage | Priv.create,
  function: Priv.execute,
  database: Priv.create | Priv.temporary | Priv.connect,
};

export interface AclItem {
  /** Role oid, or PUBLIC_OID. */
  readonly grantee: number;
  readonly grantor: number;
  readonly privs: number;
  /** Privileges held WITH GRANT OPTION (subset of privs). */
  readonly grantable: number;
}

export type Acl = readonly AclItem[];

/** Bits for one privilege name of GRANT (already lower-cased; 'temp' is 'temporary'). */
export function privBit(name: string, type: AclObjectType, loc?: number): number {
  const n = name === 'temp' ? 'temporary' : name;
  const bit = (Priv as Record<string, number>)[n];
  if (bit === undefined) {
    throw new DbError('syntax_error', `unrecognized privilege type "${name}"`, loc === undefined ? {} : { position: loc + 1 });
  }
  if ((ALL_RIGHTS[type] & bit) === 0) {
    const what = type === 'table' ? 'relation' : type;
    throw new DbError('invalid_grant_operation', `invalid privilege type ${n.toUpperCase()} for ${what}`,
      loc === undefined ? {} : { position: loc + 1 });
  }
  return bit;
}

/** The object's default ACL: everything for the owner, and PostgreSQL's PUBLIC defaults. */
export function defaultAcl(type: AclObjectType, ownerOid: number): Acl {
  if (type === 'column') return [];
  // PUBLIC's entry comes first, as in PostgreSQL's acldefault.
  const items: AclItem[] = [];
  if (type === 'function') items.push({ grantee: PUBLIC_OID, grantor: ownerOid, privs: Priv.execute, grantable: 0 });
  if (type === 'database') {
    items.push({ grantee: PUBLIC_OID, grantor: ownerOid, privs: Priv.temporary | Priv.connect, grantable: 0 });
  }
  items.push({ grantee: ownerOid, grantor: ownerOid, privs: ALL_RIGHTS[type], grantable: 0 });
  return items;
}

/** Privilege letters of a mask, grant options marked with '*' (aclitemout). */
export function privLetters(privs: number, grantable: number): string {
  let s = '';
  for (let i = 0; i < LETTERS.length; i++) {
    const bit = 1 << i;
    if ((privs & bit) === 0) continue;
    s += LETTERS[i]!;
    if ((grantable & bit) !== 0) s += '*';
  }
  return s;
}

/** Privilege names of a mask (information_schema, error details), upper-case. */
export function privNames(privs: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < NAMES.length; i++) if ((privs & (1 << i)) !== 0) out.push(NAMES[i]!.toUpperCase());
  return out;
}

/** aclitem text: `grantee=privs/grantor`, PUBLIC as an empty grantee. */
export function formatAclItem(item: AclItem, roleName: (oid: number) => string): string {
  const grantee = item.grantee === PUBLIC_OID ? '' : quoteRoleName(roleName(item.grantee));
  return `${grantee}=${privLetters(item.privs, item.grantable)}/${quoteRoleName(roleName(item.grantor))}`;
}

function quoteRoleName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Adds privileges (and grant options) for a grantee from a grantor. */
export function aclGrant(acl: Acl, grantee: number, grantor: number, privs: number, withGrant: boolean): Acl {
  const out: AclItem[] = [];
  let merged = false;
  for (const it of acl) {
    if (it.grantee === grantee && it.grantor === grantor) {
      out.push({ ...it, privs: it.privs | privs, grantable: it.grantable | (withGrant ? privs : 0) });
      merged = true;
    } else {
      out.push(it);
    }
  }
  if (!merged) out.push({ grantee, grantor, privs, grantable: withGrant ? privs : 0 });
  return out;
}

/**
 * Removes privileges (or only their grant options) a grantor gave a grantee. Returns the new
 * ACL and the bits whose grant option the grantee lost (for dependent grants).
 */
export function aclRevoke(acl: Acl, grantee: number, grantor: number, privs: number, grantOptionOnly: boolean): { acl: Acl; lostOptions: number } {
  const out: AclItem[] = [];
  let lostOptions = 0;
  for (const it of acl) {
    if (it.grantee !== grantee || it.grantor !== grantor) { out.push(it); continue; }
    lostOptions |= it.grantable & privs;
    const grantable = it.grantable & ~privs;
    const kept = grantOptionOnly ? it.privs : it.privs & ~privs;
    if (kept !== 0) out.push({ ...it, privs: kept, grantable: grantable & kept });
  }
  return { acl: out, lostOptions };
}

/** Union of the privileges `roles` (and PUBLIC) hold in an ACL; `options` = grant options only. */
export function aclMask(acl: Acl, roles: ReadonlySet<number>, options = false): number {
  let mask = 0;
  for (const it of acl) {
    if (it.grantee === PUBLIC_OID || roles.has(it.grantee)) mask |= options ? it.grantable : it.privs;
  }
  return mask;
}
