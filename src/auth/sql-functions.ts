/**
 * The privilege inquiry functions: has_table_privilege, has_column_privilege,
 * has_sequence_privilege, has_schema_privilege, has_database_privilege, has_function_privilege
 * and pg_has_role, each with and without a leading role argument (name or oid). Objects are
 * given by name (text) or oid; the privilege text is a comma-separated list, any of which is
 * enough, each optionally `WITH GRANT OPTION` — as PostgreSQL's acl.c.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef } from '../catalog/objects.ts';
import { defineScalar, type EvalContext, type FunctionRegistry } from '../functions/registry.ts';
import { Types } from '../types/sql-type.ts';
import { aclMask, Priv, privBit, type AclObjectType } from './acl.ts';
import { objectKey, type RoleDef } from './auth-state.ts';
import { routinesOf } from './dependencies.ts';
import { columnPrivileges, hasDatabasePrivilege, objectAcl, ownerOf, privilegesOn, relationAclType } from './privileges.ts';

function catalogOf(ctx: EvalContext): Catalog {
  const c = ctx.catalog as Catalog | null;
  if (c === null) throw new DbError('feature_not_supported', 'privilege functions need a running statement');
  return c;
}

function roleArg(c: Catalog, v: unknown): RoleDef {
  const r = typeof v === 'number' ? c.auth.roles.get(v) : c.auth.role(String(v));
  if (r === undefined) throw new DbError('undefined_object', typeof v === 'number' ? `role with OID ${v} does not exist` : `role "${String(v)}" does not exist`);
  return r;
}

function relationArg(c: Catalog, v: unknown, ctx: EvalContext): RelationDef {
  if (typeof v === 'number') {
    const r = c.byOid.get(v);
    if (r === undefined) throw new DbError('undefined_table', `relation with OID ${v} does not exist`);
    return r;
  }
  const text = String(v);
  const parts = text.split('.').map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
  const name = parts[parts.length - 1]!;
  const schemas = parts.length > 1 ? [parts[parts.length - 2]!] : ctx.searchPath;
  for (const s of schemas) {
    const r = c.getRelation(s, name);
    if (r !== undefined) return r;
  }
  throw new DbError('undefined_table', `relation "${text}" does not exist`);
}

/** Parses 'SELECT, UPDATE WITH GRANT OPTION' into [bits, optionBits]. */
function privArg(text: unknown, type: AclObjectType): { bits: number; options: number }[] {
  return String(text).split(',').map((part) => {
    const m = /^\s*([a-z ]+?)(\s+with\s+grant\s+option)?\s*$/i.exec(part);
    if (m === null) throw new DbError('invalid_parameter_value', `unrecognized privilege type: "${part.trim()}"`);
    const name = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    let bit: number;
    try {
      bit = privBit(name, type === 'column' ? 'column' : type);
    } catch {
      throw new DbError('invalid_parameter_value', `unrecognized privilege type: "${m[1]}"`);
    }
    return m[2] ? { bits: 0, options: bit } : { bits: bit, options: 0 };
  });
}

function held(c: Catalog, role: RoleDef, type: AclObjectType, oid: number, owner: string, options: boolean): number {
  if (role.superuser) return ~0;
  if (!options) return privilegesOn(c, role.name, type, oid, owner);
  return aclMask(objectAcl(c.auth, type, oid, owner), c.auth.effectiveRoles(role.oid), true);
}

function anyHeld(wanted: { bits: number; options: number }[], privs: number, options: number): boolean {
  return wanted.some((w) => (w.bits !== 0 && (privs & w.bits) === w.bits) || (w.options !== 0 && (options & w.options) === w.options));
}

type Impl = (c: Catalog, role: RoleDef, args: unknown[], ctx: EvalContext) => boolean;

function register(reg: FunctionRegistry, name: string, nargs: number, impl: Impl): void {
  const stable = { volatility: 'stable' as const };
  reg.add(defineScalar({ name, args: Array(nargs).fill('any'), returns: Types.bool, ...stable,
    impl: (a, ctx) => { const c = catalogOf(ctx); return impl(c, roleArg(c, ctx.user), a, ctx); } }));
  reg.add(defineScalar({ name, args: Array(nargs + 1).fill('any'), returns: Types.bool, ...stable,
    impl: (a, ctx) => { const c = catalogOf(ctx); return impl(c, roleArg(c, a[0]), a.slice(1), ctx); } }));
}

function relationCheck(c: Catalog, role: RoleDef, rel: RelationDef, privText: unknown, want: 'table' | 'sequence'): boolean {
  const type = want === 'sequence' ? 'sequence' : relationAclType(rel);
  if (want === 'sequence' && rel.kind !== 'sequence') throw new DbError('wrong_object_type', `"${rel.name}" is not a sequence`);
  const wanted = privArg(privText, type);
  const owner = ownerOf(c, rel);
  if (anyHeld(wanted, held(c, role, type, rel.oid, owner, false), held(c, role, type, rel.oid, owner, true))) return true;
  return false;
}

export function registerPrivilegeFunctions(reg: FunctionRegistry): void {
  register(reg, 'has_table_privilege', 2, (c, role, [t, p], ctx) => relationCheck(c, role, relationArg(c, t, ctx), p, 'table'));
  register(reg, 'has_sequence_privilege', 2, (c, role, [t, p], ctx) => relationCheck(c, role, relationArg(c, t, ctx), p, 'sequence'));
  register(reg, 'has_column_privilege', 3, (c, role, [t, col, p], ctx) => {
    const rel = relationArg(c, t, ctx);
    if (rel.kind !== 'table' && rel.kind !== 'view') return false;
    const attnum = typeof col === 'number' ? col - 1 : rel.kind === 'table'
      ? rel.columns.find((x) => x.name === String(col))?.attnum : rel.columns.findIndex((x) => x.name === String(col));
    if (attnum === undefined || attnum < 0) throw new DbError('undefined_column', `column "${String(col)}" of relation "${rel.name}" does not exist`);
    if (relationCheck(c, role, rel, p, 'table')) return true;
    const wanted = privArg(p, 'column');
    const mine = c.auth.effectiveRoles(role.oid);
    const colAcl = c.auth.acl(objectKey('column', rel.oid, attnum)) ?? [];
    return anyHeld(wanted, columnPrivileges(c, role.name, rel, attnum), aclMask(colAcl, mine, true));
  });
  register(reg, 'has_schema_privilege', 2, (c, role, [s, p]) => {
    const schema = typeof s === 'number' ? [...c.schemas.values()].find((x) => x.oid === s) : c.schemas.get(String(s));
    if (schema === undefined) throw new DbError('invalid_schema_name', `schema "${String(s)}" does not exist`);
    const wanted = privArg(p, 'schema');
    return anyHeld(wanted, held(c, role, 'schema', schema.oid, schema.owner, false), held(c, role, 'schema', schema.oid, schema.owner, true));
  });
  register(reg, 'has_database_privilege', 2, (c, role, [d, p], ctx) => {
    if (typeof d === 'string' && d !== ctx.database) throw new DbError('invalid_catalog_name', `database "${d}" does not exist`);
    const wanted = privArg(p, 'database');
    return wanted.some((w) => hasDatabasePrivilege(c, role.name, w.bits | w.options));
  });
  // Built-in functions are executable by PUBLIC; user routines arrive with the routines layer
  // and are checked through checkRoutineExecute (privileges.ts).
  register(reg, 'has_function_privilege', 2, (c, role, [f, p]) => {
    const wanted = privArg(p, 'function');
    // User routines (catalog.routines, by oid or by name) have ACLs; built-ins are PUBLIC's.
    const routines = [...routinesOf(c).entries()];
    const name = typeof f === 'string' ? f.replace(/\(.*$/, '').trim().toLowerCase() : null;
    const hit = routines.find(([oid, r]) => (typeof f === 'number' ? oid === f : r.name === name));
    if (hit === undefined) return true;
    const [oid, r] = hit;
    return anyHeld(wanted, held(c, role, 'function', oid, r.owner, false), held(c, role, 'function', oid, r.owner, true));
  });
  register(reg, 'pg_has_role', 2, (c, role, [r, mode]) => {
    const target = roleArg(c, r);
    const m = String(mode).trim().toLowerCase().replace(/\s+/g, ' ');
    if (role.superuser) return true;
    if (m === 'member') return c.auth.effectiveRoles(role.oid, true).has(target.oid);
    if (m === 'usage') return c.auth.effectiveRoles(role.oid).has(target.oid);
    if (m === 'member with admin option' || m === 'usage with admin option' || m === 'member with grant option' || m === 'usage with grant option') {
      return c.auth.hasAdmin(role.oid, target.oid);
    }
    throw new DbError('invalid_parameter_value', `unrecognized privilege type: "${String(mode)}"`);
  });
  void Priv;
}
