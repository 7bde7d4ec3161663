/**
 * Compiled per-table write machinery: default and generated-column evaluators, NOT NULL and CHECK
 * constraints, and the foreign keys the table has (outgoing) and is the target of (incoming).
 * Built from a catalog version once and cached, since TableDefs are immutable.
 */
import type { Catalog } from '../../catalog/catalog.ts';
import type { ColumnDef, ConstraintDef, TableDef } from '../../catalog/objects.ts';
import type { FunctionRegistry } from '../../functions/registry.ts';
import type { TypeContext } from '../../types/context.ts';
import { BindContext, QueryState } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { coerce, coerceBoolean } from '../../plan/binder/coerce-expr.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import { Types, typeInfo } from '../../types/sql-type.ts';

export interface CompiledCheck {
  readonly name: string;
  readonly eval: Evaluator;
}

export interface ForeignKeyRuntime {
  readonly constraint: ConstraintDef;
  /** The referencing (child) table and its FK attnums. */
  readonly child: TableDef;
  /** The referenced (parent) table and its key attnums. */
  readonly parent: TableDef;
}

export interface TableRuntime {
  readonly table: TableDef;
  /** Default evaluator per attnum (null = NULL default). */
  readonly defaults: (Evaluator | null)[];
  readonly generated: { attnum: number; eval: Evaluator }[];
  readonly notNull: ColumnDef[];
  /** Columns whose values are strings, which are stored as copies of their own (ownedString). */
  readonly textAttnums: readonly number[];
  readonly checks: CompiledCheck[];
  readonly outgoing: ForeignKeyRuntime[];
  readonly incoming: ForeignKeyRuntime[];
}

const cache = new WeakMap<Catalog, Map<number, TableRuntime>>();

/** Scope over a table's stored row (attnum positions), with the table name as alias. */
export function tableScope(table: TableDef, alias?: string): Scope {
  const scope = new Scope(null);
  scope.add({
    alias: alias ?? table.name, schema: table.schema, table,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, index: c.attnum })),
  }, 0);
  scope.width = table.nextAttnum;
  return scope;
}

export function tableRuntime(
  catalog: Catalog, table: TableDef, registry: FunctionRegistry, searchPath: readonly string[], types: TypeContext,
): TableRuntime {
  let perCatalog = cache.get(catalog);
  if (!perCatalog) cache.set(catalog, (perCatalog = new Map()));
  const hit = perCatalog.get(table.oid);
  if (hit && hit.table === table) return hit;
  const bc = new BindContext({ catalog, searchPath, registry, paramTypes: [], types });
  const scope = tableScope(table);
  const qs = new QueryState();
  qs.noAggClause = 'check constraints';
  qs.noWindowClause = 'check constraints';
  const defaults: (Evaluator | null)[] = new Array(table.nextAttnum).fill(null);
  const generated: { attnum: number; eval: Evaluator }[] = [];
  for (const c of table.columns) {
    if (c.default) {
      const e = coerce(bindExpr(c.default.expr, null, bc, qs), c.type, 'assignment', bc, 0);
      defaults[c.attnum] = compileExpr(e);
    }
    if (c.generated) {
      const e = coerce(bindExpr(c.generated.expr, scope, bc, qs), c.type, 'assignment', bc, 0);
      generated.push({ attnum: c.attnum, eval: compileExpr(e) });
    }
  }
  const checks: CompiledCheck[] = [];
  for (const con of table.constraints) {
    if (con.type !== 'c' || !con.check) continue;
    const e: BoundExpr = coerceBoolean(bindExpr(con.check.expr, scope, bc, qs), bc, 0, 'CHECK');
    checks.push({ name: con.name, eval: compileExpr(e) });
  }
  const outgoing: ForeignKeyRuntime[] = [];
  const incoming: ForeignKeyRuntime[] = [];
  for (const con of table.constraints) {
    if (con.type !== 'f' || !con.fk) continue;
    const parent = catalog.byOid.get(con.fk.refTableOid);
    if (parent?.kind === 'table') outgoing.push({ constraint: con, child: table, parent });
  }
  for (const other of catalog.tables()) {
    for (const con of other.constraints) {
      if (con.type === 'f' && con.fk && con.fk.refTableOid === table.oid) {
        incoming.push({ constraint: con, child: other.oid === table.oid ? table : other, parent: table });
      }
    }
  }
  const rt: TableRuntime = {
    table, defaults, generated, notNull: table.columns.filter((c) => c.notNull),
    textAttnums: table.columns.filter((c) => c.type.elem === null && typeInfo(c.type.oid)?.category === 'S').map((c) => c.attnum),
    checks, outgoing, incoming,
  };
  perCatalog.set(table.oid, rt);
  void Types;
  return rt;
}
