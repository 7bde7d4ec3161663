/**
 * The bound form of an index: its key parts as expressions over the table's stored row (a column
 * reference for a plain key, the bound expression for an expression key) and its partial-index
 * predicate. CREATE INDEX binds them to validate and compile the keys; the access-path planner
 * matches query conditions against them. Bound with the built-in functions only: PostgreSQL
 * requires index expressions to be IMMUTABLE, and no user function is.
 */
import { DbError } from '../../errors/index.ts';
import type { IndexDef, StoredExpr, TableDef } from '../../catalog/objects.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { builtinRegistry } from '../../functions/index.ts';
import { defaultTypeContext } from '../../types/context.ts';
import type { SqlType } from '../../types/sql-type.ts';
import type { BoundExpr } from '../bound-expr.ts';
import { BindContext, QueryState } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { coerceBoolean } from './coerce-expr.ts';
import { Scope } from './scope.ts';
import { columnsUsed } from '../expr-rewrite.ts';

export interface IndexShape {
  /** One expression per key part, reading the stored row (column index = attnum). */
  readonly keys: readonly BoundExpr[];
  readonly types: readonly SqlType[];
  /** Covered columns (INCLUDE) by attnum. */
  readonly include: readonly number[];
  readonly predicate: BoundExpr | null;
  /** Every attnum the index can return without reading the row (plain keys + INCLUDE). */
  readonly covered: ReadonlySet<number>;
}

function tableScope(table: TableDef): Scope {
  const scope = new Scope(null);
  scope.add({
    alias: table.name, schema: table.schema, table,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, index: c.attnum })),
  }, 0);
  scope.width = table.nextAttnum;
  return scope;
}

/** Binds key parts and predicate of an index on `table`; raises PostgreSQL's errors for bad ones. */
export function bindIndexShape(
  catalog: Catalog, table: TableDef, keys: readonly (number | StoredExpr)[], include: readonly number[],
  predicate: StoredExpr | null,
): IndexShape {
  const bc = new BindContext({
    catalog, searchPath: [table.schema, 'pg_catalog'], registry: builtinRegistry(), paramTypes: [], types: defaultTypeContext,
  });
  const scope = tableScope(table);
  const qs = new QueryState();
  qs.noAggClause = 'index expressions';
  qs.noWindowClause = 'index expressions';
  const bound = keys.map((k) => {
    if (typeof k === 'number') {
      const c = table.columns.find((x) => x.attnum === k);
      if (c === undefined) throw new DbError('undefined_column', `column with attnum ${k} does not exist`);
      return { k: 'col', type: c.type, index: k, levelsUp: 0 } as BoundExpr;
    }
    const e = bindExpr(k.expr, scope, bc, qs);
    requireImmutable(e, 'index expression');
    return e;
  });
  let pred: BoundExpr | null = null;
  if (predicate !== null) {
    pred = coerceBoolean(bindExpr(predicate.expr, scope, bc, qs), bc, 0, 'WHERE');
    requireImmutable(pred, 'index predicate');
  }
  const covered = new Set<number>(include);
  for (const k of keys) if (typeof k === 'number') covered.add(k);
  return { keys: bound, types: bound.map((b) => b.type), include, predicate: pred, covered };
}

/** Shapes by runtime structure: IndexDef copies (renames, recovery) share their runtime. */
const shapes = new WeakMap<object, IndexShape>();

/** Records the shape an index was built with (index-builder calls it for every index). */
export function registerIndexShape(index: IndexDef, shape: IndexShape): void {
  shapes.set(index.runtime, shape);
}

/** The bound shape of an index (null for an index built without one: never, in practice). */
export function indexShape(index: IndexDef): IndexShape | null {
  return shapes.get(index.runtime) ?? null;
}

/** Every column an index reads (keys, expressions, INCLUDE, predicate): DROP COLUMN drops it. */
export function indexColumns(index: IndexDef): Set<number> {
  const out = new Set<number>(index.include);
  for (const k of index.keys) if (typeof k === 'number') out.add(k);
  const shape = indexShape(index);
  if (shape !== null) {
    for (const k of shape.keys) columnsUsed(k, out);
    if (shape.predicate !== null) columnsUsed(shape.predicate, out);
  }
  return out;
}

/** PostgreSQL: "functions in index expression must be marked IMMUTABLE" (42P17). */
function requireImmutable(e: BoundExpr, what: string): void {
  const bad = (x: BoundExpr): boolean => {
    switch (x.k) {
      case 'call': return x.fn.volatility !== 'immutable' || x.args.some(bad);
      case 'runtime': case 'subquery': case 'srf': case 'aggref': case 'param': return true;
      case 'col': return x.levelsUp !== 0;
      default: return childExprs(x).some(bad);
    }
  };
  if (bad(e)) {
    throw new DbError('invalid_object_definition', `functions in ${what} must be marked IMMUTABLE`);
  }
}

function childExprs(e: BoundExpr): BoundExpr[] {
  switch (e.k) {
    case 'cast': case 'not': case 'istest': case 'field': return [e.arg];
    case 'cmp': case 'distinct': case 'nullif': return [e.left, e.right];
    case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': return [...e.args];
    case 'case': return [...e.whens.flatMap((w) => [w.cond, w.result]), e.else];
    case 'inlist': return [e.arg, ...e.list];
    case 'quantarray': return [e.left, e.array];
    case 'array': return [...e.elems];
    case 'subscript': return [e.arg, ...(e.lower ? [e.lower] : []), ...(e.upper ? [e.upper] : [])];
    case 'grouping': return [...e.args];
    default: return [];
  }
}
