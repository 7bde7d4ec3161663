/**
 * Names behind the OID-alias types (regclass, regproc, regnamespace, regrole) and the shared
 * synthetic pg_proc oid mapping.
 *
 * Type I/O (src/types/text-io.ts) has no catalog of its own: it passes the statement's catalog
 * scope (TypeContext.catalogScope) to the stateless resolver installed here. Functions come from
 * the shared, immutable built-in registry.
 */
import type { Catalog } from '../catalog.ts';
import type { FunctionDef, FunctionRegistry } from '../../functions/registry.ts';
import { setRegNameResolver } from '../../types/text-io.ts';
import type { CatalogScope } from '../../types/context.ts';
import { builtinRegistry } from '../../functions/index.ts';
import { Oid, formatType, typeOf } from '../../types/sql-type.ts';
import { relName } from './definitions.ts';
import { quoteIdent, SUPERUSER_OID } from './sys-relation.ts';

export interface ProcEntry {
  readonly oid: number;
  readonly def: FunctionDef;
}

/** A built-in's schema and bare name: `schema.name` registrations, else pg_catalog. */
export function procName(def: FunctionDef): { schema: string; name: string } {
  const dot = def.name.indexOf('.');
  return dot < 0 ? { schema: 'pg_catalog', name: def.name } : { schema: def.name.slice(0, dot), name: def.name.slice(dot + 1) };
}

const procCache = new WeakMap<FunctionRegistry, { size: number; entries: ProcEntry[]; byOid: Map<number, ProcEntry> }>();

/**
 * Every registry function with its synthetic oid: 100000 + position in name order (overloads in
 * registration order). Stable for a process as long as no function is registered later; the
 * cache is rebuilt when the number of names changes.
 */
export function procEntries(registry: FunctionRegistry): { entries: readonly ProcEntry[]; byOid: ReadonlyMap<number, ProcEntry> } {
  // Functions and schema-qualified functions (information_schema._pg_expandarray); operators
  // are registered under their symbols and are not pg_proc rows.
  const names = [...registry.names()].filter((n) => /^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$/.test(n)).sort();
  const cached = procCache.get(registry);
  if (cached && cached.size === names.length) return cached;
  const entries: ProcEntry[] = [];
  let oid = 100000;
  for (const name of names) for (const def of registry.lookup(name)) entries.push({ oid: oid++, def });
  const built = { size: names.length, entries, byOid: new Map(entries.map((e) => [e.oid, e])) };
  procCache.set(registry, built);
  return built;
}

/** Splits `a.b` / `"A".b` into unquoted parts (case-folding unquoted ones). */
function splitName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
    if (m[3] === '' || re.lastIndex >= text.length) break;
  }
  return parts;
}

/** PostgreSQL's fixed oids of the system catalogs (for 'pg_class'::regclass and the like). */
const SYSTEM_CATALOG_OIDS = new Map<string, number>([
  ['pg_type', 1247], ['pg_attribute', 1249], ['pg_proc', 1255], ['pg_class', 1259], ['pg_authid', 1260],
  ['pg_database', 1262], ['pg_attrdef', 2604], ['pg_constraint', 2606], ['pg_description', 2609],
  ['pg_index', 2610], ['pg_namespace', 2615], ['pg_am', 2601], ['pg_collation', 3456], ['pg_trigger', 2620],
  ['pg_tablespace', 1213], ['pg_settings', 12051], ['pg_roles', 12001], ['pg_sequence', 2224], ['pg_depend', 2608],
]);

interface Scope {
  readonly catalog: Catalog;
  readonly registry: FunctionRegistry;
  readonly searchPath: readonly string[];
  readonly user: string;
}

function scopeOf(scope: CatalogScope): Scope {
  return { catalog: scope.catalog as Catalog, registry: builtinRegistry(), searchPath: scope.searchPath, user: scope.user };
}

setRegNameResolver({
  name(scope, regType, oid) {
    const c = scopeOf(scope);
    switch (regType) {
      case Oid.regclass: {
        const r = c.catalog.byOid.get(oid);
        return r ? relName(r.schema, r.name, c.searchPath) : null;
      }
      case Oid.regnamespace:
        for (const s of c.catalog.schemas.values()) if (s.oid === oid) return quoteIdent(s.name);
        return null;
      case Oid.regrole:
        return c.catalog.auth.roles.has(oid) ? quoteIdent(c.catalog.auth.roleName(oid)) : null;
      case Oid.regproc: {
        const u = c.catalog.routines.get(oid);
        if (u !== undefined) return c.searchPath.includes(u.schema) ? quoteIdent(u.name) : `${quoteIdent(u.schema)}.${quoteIdent(u.name)}`;
        const e = c.registry ? procEntries(c.registry).byOid.get(oid) : undefined;
        return e ? e.def.name : null;
      }
      default:
        return null;
    }
  },
  lookup(scope, regType, text) {
    const c = scopeOf(scope);
    const parts = splitName(text);
    const name = parts[parts.length - 1];
    if (name === undefined || parts.length > 2) return null;
    switch (regType) {
      case Oid.regclass: {
        const schemas = parts.length === 2 ? [parts[0]!] : c.searchPath;
        for (const s of schemas) {
          const r = c.catalog.getRelation(s, name);
          if (r) return r.oid;
        }
        // pg_catalog is searched implicitly, as in PostgreSQL: drivers write 'pg_class'::regclass.
        if (parts.length === 1 || parts[0] === 'pg_catalog') return SYSTEM_CATALOG_OIDS.get(name) ?? null;
        return null;
      }
      case Oid.regnamespace:
        return c.catalog.schemas.get(name)?.oid ?? null;
      case Oid.regrole:
        return c.catalog.auth.role(name)?.oid ?? null;
      case Oid.regproc: {
        const schemas = parts.length === 2 ? [parts[0]!] : c.searchPath;
        const user = [...c.catalog.routines.values()].filter((r) => r.name === name && schemas.includes(r.schema));
        if (user.length === 1) return user[0]!.oid;
        // A built-in registered in another schema matches only when qualified with it.
        const want = parts.length === 2 && parts[0] !== 'pg_catalog' ? `${parts[0]}.${name}` : name;
        const found = procEntries(c.registry).entries.filter((e) => e.def.name === want);
        return found.length === 1 ? found[0]!.oid : null;
      }
      default:
        return null;
    }
  },
});

// ---------------------------------------------------------------------------------------------
// Function signatures for pg_get_function_result / pg_get_function_arguments (psql's \df).
// ---------------------------------------------------------------------------------------------

/** A built-in function by its synthetic pg_proc oid. */
export function procByOid(oid: number): FunctionDef | null {
  return procEntries(builtinRegistry()).byOid.get(oid)?.def ?? null;
}

function argTypeName(a: FunctionDef['args'][number]): string {
  if (typeof a === 'string') return a === 'any' ? '"any"' : a;
  return formatType(a);
}

/** pg_get_function_arguments: `text, integer`, `VARIADIC "any"`, with names where registered. */
export function functionArguments(d: FunctionDef): string {
  const names = 'argNames' in d && Array.isArray(d.argNames) ? (d.argNames as readonly string[]) : [];
  return d.args.map((a, i) => {
    const variadic = d.variadic && i === d.args.length - 1 ? 'VARIADIC ' : '';
    const name = names[i] ? `${quoteIdent(names[i])} ` : '';
    return `${variadic}${name}${argTypeName(a)}`;
  }).join(', ');
}

/** pg_get_function_result: the return type; set-returning functions print `SETOF ...`. */
export function functionResult(d: FunctionDef): string {
  if (d.kind === 'table') {
    try {
      const cols = d.columns(d.args.map((a) => (typeof a === 'string' ? typeOf(Oid.text) : a)));
      return cols.length === 1 ? `SETOF ${formatType(cols[0]!.type)}` : `TABLE(${cols.map((c) => `${quoteIdent(c.name)} ${formatType(c.type)}`).join(', ')})`;
    } catch {
      return 'SETOF record';
    }
  }
  if (typeof d.returns !== 'function') return formatType(d.returns);
  const poly = d.args.find((a) => typeof a === 'string');
  return typeof poly === 'string' ? argTypeName(poly) : 'anyelement';
}
