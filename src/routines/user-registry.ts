/**
 * The function registry a statement binds with: the built-ins plus the user routines of the
 * statement's catalog visible through its search path, so user functions resolve with exactly the
 * built-in rules (overloads, implicit casts, named arguments, defaults, SETOF in FROM, aggregates).
 *
 * Lookup by `schema.name` (the binder passes qualified calls that way) sees only that schema.
 * Built-ins come first: like PostgreSQL's implicit pg_catalog at the head of the search path, a
 * built-in wins over a user function with the same signature; otherwise user routines follow the
 * search path order, so an earlier schema wins a tie.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { routinesByName, type RoutineDef } from '../catalog/routines.ts';
import { FunctionRegistry, type FunctionDef } from '../functions/registry.ts';
import { routineFunctionDef } from './function-defs.ts';

export class RoutineRegistry extends FunctionRegistry {
  private readonly base: FunctionRegistry;
  private readonly catalog: Catalog;
  private readonly searchPath: readonly string[];
  private readonly memo = new Map<string, readonly FunctionDef[]>();

  constructor(base: FunctionRegistry, catalog: Catalog, searchPath: readonly string[]) {
    super();
    this.base = base;
    this.catalog = catalog;
    this.searchPath = searchPath;
  }

  override lookup(name: string): readonly FunctionDef[] {
    const hit = this.memo.get(name);
    if (hit !== undefined) return hit;
    const dot = name.indexOf('.');
    let out: readonly FunctionDef[];
    if (dot >= 0) {
      const schema = name.slice(0, dot);
      const fn = name.slice(dot + 1);
      const user = routinesByName(this.catalog, fn).filter((r) => r.schema === schema && r.kind !== 'procedure');
      // Built-ins of other system schemas are registered qualified (information_schema._pg_*).
      out = [...this.base.lookup(schema === 'pg_catalog' ? fn : name), ...user.map(routineFunctionDef)];
    } else {
      const base = this.base.lookup(name);
      const user = visibleRoutines(this.catalog, name, this.searchPath).filter((r) => r.kind !== 'procedure');
      out = user.length === 0 ? base : [...base, ...user.map(routineFunctionDef)];
    }
    this.memo.set(name, out);
    return out;
  }

  override names(): IterableIterator<string> {
    return this.base.names();
  }

  override get size(): number {
    return this.base.size;
  }
}

/** Routines named `name` in the search path's schemas, in search path order. */
export function visibleRoutines(catalog: Catalog, name: string, searchPath: readonly string[]): RoutineDef[] {
  const all = routinesByName(catalog, name);
  if (all.length === 0) return [];
  const out: RoutineDef[] = [];
  for (const schema of searchPath) for (const r of all) if (r.schema === schema) out.push(r);
  return out;
}

/** The registry to bind with: the built-ins alone when the catalog has no user routines. */
export function routineRegistry(base: FunctionRegistry, catalog: Catalog, searchPath: readonly string[]): FunctionRegistry {
  if (catalog.routines.size === 0) return base;
  return new RoutineRegistry(base, catalog, searchPath);
}
