/**
 * What depends on a role (PostgreSQL's pg_shdepend, computed): objects it owns and ACL entries
 * naming it as grantee or grantor. DROP ROLE lists them in its 2BP01 detail; DROP OWNED and
 * REASSIGN OWNED walk the same objects.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef } from '../catalog/objects.ts';
import type { RoleDef } from './auth-state.ts';
import { DATABASE_ACL_OID } from './privileges.ts';

/** "table t" / "schema s" / "column c of table t" for an ACL key, or null for a vanished object. */
export function describeAclKey(catalog: Catalog, key: string): string | null {
  const [type, oidText, attText] = key.split(':');
  const oid = Number(oidText);
  if (type === 'schema') {
    for (const s of catalog.schemas.values()) if (s.oid === oid) return `schema ${s.name}`;
    return null;
  }
  if (type === 'database') return oid === DATABASE_ACL_OID ? 'database' : null;
  if (type === 'function') {
    const r = routinesOf(catalog).get(oid);
    return r === undefined ? null : `${r.kind === 'procedure' ? 'procedure' : 'function'} ${r.name}`;
  }
  const rel = catalog.byOid.get(oid);
  if (rel === undefined || rel.kind === 'index') return null;
  if (type === 'column') {
    const col = rel.kind === 'table' ? rel.columns.find((c) => c.attnum === Number(attText)) : undefined;
    return col === undefined ? null : `column ${col.name} of table ${rel.name}`;
  }
  return `${relKindWord(rel)} ${rel.name}`;
}

export function relKindWord(rel: RelationDef): string {
  return rel.kind === 'view' ? 'view' : rel.kind === 'sequence' ? 'sequence' : rel.kind === 'index' ? 'index' : 'table';
}

export function roleDependencies(catalog: Catalog, role: RoleDef): string[] {
  // Listed in object (creation) order, as PostgreSQL lists pg_shdepend rows.
  const deps: { oid: number; text: string }[] = [];
  for (const s of catalog.schemas.values()) if (s.owner === role.name) deps.push({ oid: s.oid, text: `owner of schema ${s.name}` });
  for (const rel of catalog.byOid.values()) {
    if (rel.kind !== 'index' && rel.owner === role.name) deps.push({ oid: rel.oid, text: `owner of ${relKindWord(rel)} ${rel.name}` });
  }
  for (const [oid, r] of routinesOf(catalog)) {
    if (r.owner === role.name) deps.push({ oid, text: `owner of ${r.kind === 'procedure' ? 'procedure' : 'function'} ${r.name}` });
  }
  for (const [key, acl] of catalog.auth.acls) {
    if (!acl.some((it) => it.grantee === role.oid || it.grantor === role.oid)) continue;
    const what = describeAclKey(catalog, key);
    if (what !== null) deps.push({ oid: Number(key.split(':')[1]), text: `privileges for ${what}` });
  }
  for (const d of catalog.auth.defaultAcls) {
    const what = `default privileges on new ${d.objType === 'table' ? 'relations' : `${d.objType}s`} belonging to role ${catalog.auth.roleName(d.role)}`;
    if (d.role === role.oid) deps.push({ oid: d.oid ?? 0, text: `owner of ${what}` });
    else if (d.acl.some((it) => it.grantee === role.oid)) deps.push({ oid: d.oid ?? 0, text: `privileges for ${what}` });
  }
  // Stable: an object's ownership line before its privilege lines.
  return deps.map((d, i) => ({ ...d, i })).sort((a, b) => a.oid - b.oid || a.i - b.i).map((d) => d.text);
}

/** User routines (the routines layer's `catalog.routines`, read structurally). */
export function routinesOf(catalog: Catalog): Map<number, { readonly kind: string; readonly name: string; readonly owner: string }> {
  return (catalog as unknown as { routines?: Map<number, { kind: string; name: string; owner: string }> }).routines ?? new Map();
}
