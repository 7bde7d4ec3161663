/**
 * Name scopes for binding. A Scope describes the row a query level produces from its FROM clause:
 * range entries (tables, subqueries, functions, joins) with their columns at positions in the
 * combined row. Column references resolve in the innermost scope first, then outward (correlated
 * subqueries), giving PostgreSQL's errors for unknown and ambiguous names.
 */
import { DbError } from '../../errors/index.ts';
import type { SqlType } from '../../types/sql-type.ts';
import type { TableDef } from '../../catalog/objects.ts';
import type { BoundExpr } from '../bound-expr.ts';

export interface ScopeColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Position in the scope's row. */
  readonly index: number;
  /** The table column's attnum when the entry is a table (column privileges). */
  readonly attnum?: number;
}

export interface RangeEntry {
  readonly alias: string;
  /** Schema of the table when the entry is a table (for schema-qualified references). */
  readonly schema: string | null;
  readonly columns: readonly ScopeColumn[];
  readonly table: TableDef | null;
  /** Attnums of the table's columns the statement references (column privileges, auth/needs.ts). */
  readonly used?: Set<number>;
}

/** Records that every column of an entry is referenced (`*`, whole-row and aliased joins). */
export function useAllColumns(e: RangeEntry): void {
  if (e.used === undefined) return;
  for (const c of e.columns) if (c.attnum !== undefined) e.used.add(c.attnum);
}

/** A column merged by JOIN ... USING / NATURAL JOIN: unqualified references mean this. */
export interface MergedColumn {
  readonly name: string;
  readonly expr: BoundExpr;
  readonly type: SqlType;
  /** Positions (in the combined row) of the joined columns it replaces in `*` expansion. */
  readonly hides: readonly number[];
}

export class Scope {
  readonly entries: RangeEntry[] = [];
  readonly merged: MergedColumn[] = [];
  readonly parent: Scope | null;
  /** Width of the row this scope describes. */
  width = 0;

  constructor(parent: Scope | null) {
    this.parent = parent;
  }

  add(entry: RangeEntry, loc: number): void {
    for (const e of this.entries) {
      if (e.alias === entry.alias && e.schema === entry.schema && entry.alias !== '') {
        throw new DbError('duplicate_alias', `table name "${entry.alias}" specified more than once`,
          { position: loc + 1 });
      }
    }
    this.entries.push(entry);
  }

  /** Finds an entry by (schema-qualified) alias in this scope only. */
  findEntry(names: readonly string[]): RangeEntry | undefined {
    const alias = names[names.length - 1]!;
    const schema = names.length > 1 ? names[names.length - 2]! : null;
    for (const e of this.entries) {
      if (e.alias !== alias) continue;
      if (schema !== null && e.schema !== schema) continue;
      return e;
    }
    return undefined;
  }
}

export interface ResolvedColumn {
  readonly expr: BoundExpr;
  readonly type: SqlType;
}

/**
 * Resolves a column reference (`c`, `t.c`, `s.t.c`) starting at `scope`. Returns null when no
 * scope has it (the caller raises 42703 with its own context).
 */
export function resolveColumn(scope: Scope | null, names: readonly string[], loc: number): ResolvedColumn | null {
  let levelsUp = 0;
  for (let s = scope; s !== null; s = s.parent, levelsUp++) {
    const found = resolveInScope(s, names, loc, levelsUp);
    if (found !== null) return found;
  }
  return null;
}

function resolveInScope(s: Scope, names: readonly string[], loc: number, levelsUp: number): ResolvedColumn | null {
  const col = names[names.length - 1]!;
  if (names.length === 1) {
    for (const m of s.merged) {
      if (m.name === col) return { expr: shift(m.expr, levelsUp), type: m.type };
    }
    let hit: ScopeColumn | null = null;
    let hitEntry: RangeEntry | null = null;
    for (const e of s.entries) {
      for (const c of e.columns) {
        if (c.name !== col) continue;
        if (hit !== null) {
          throw new DbError('ambiguous_column', `column reference "${col}" is ambiguous`, { position: loc + 1 });
        }
        hit = c;
        hitEntry = e;
      }
    }
    if (hit !== null && hit.attnum !== undefined) hitEntry?.used?.add(hit.attnum);
    return hit === null ? null : { expr: { k: 'col', type: hit.type, index: hit.index, levelsUp }, type: hit.type };
  }
  const entry = s.findEntry(names.slice(0, -1));
  if (entry === undefined) return null;
  for (const c of entry.columns) {
    if (c.name === col && c.attnum !== undefined) entry.used?.add(c.attnum);
    if (c.name === col) return { expr: { k: 'col', type: c.type, index: c.index, levelsUp }, type: c.type };
  }
  throw new DbError('undefined_column', `column ${names.slice(-2).join('.')} does not exist`, { position: loc + 1 });
}

/** Re-targets a merged-column expression (built at level 0) to be read `levelsUp` levels out. */
function shift(e: BoundExpr, levelsUp: number): BoundExpr {
  if (levelsUp === 0) return e;
  if (e.k === 'col') return { ...e, levelsUp: e.levelsUp + levelsUp };
  if (e.k === 'coalesce') return { ...e, args: e.args.map((a) => shift(a, levelsUp)) };
  return e;
}

/** Is `names[0]` (for `t.*`) the alias of an entry in some scope? */
export function hasEntry(scope: Scope | null, names: readonly string[]): boolean {
  for (let s = scope; s !== null; s = s.parent) if (s.findEntry(names)) return true;
  return false;
}
