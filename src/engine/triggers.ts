/**
 * Firing table triggers. RowWriter calls in here for every row change (so INSERT, UPDATE, DELETE,
 * ON CONFLICT and foreign-key cascades all fire row triggers); the DML statements bracket their
 * rows with beginStatement / endStatement for statement-level triggers and the AFTER ROW queue.
 *
 * Invariants (PostgreSQL's):
 * - Triggers of one timing fire in name order. BEFORE ROW triggers see NEW and may replace it
 *   (the returned row) or skip the row (NULL); the next trigger sees the previous one's result.
 * - AFTER ROW triggers are queued and fire when the statement's rows are all written, in order.
 * - An error in a trigger aborts the statement (the session rolls its writes back).
 * - Recursion (a trigger writing to its own table) is bounded by the routine call depth (54001).
 * - Disabled triggers (ALTER TABLE ... DISABLE TRIGGER) do not fire.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { TableDef, ViewDef } from '../catalog/objects.ts';
import { tableTriggers, type TriggerDef, type TriggerEvent, type RoutineDef } from '../catalog/routines.ts';
import type { FunctionRegistry } from '../functions/registry.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import { coerce } from '../plan/binder/coerce-expr.ts';
import { Scope } from '../plan/binder/scope.ts';
import { compileExpr, type Evaluator } from '../exec/compile-expr.ts';
import type { ExecContext } from '../exec/exec-context.ts';
import type { Row } from '../storage/version.ts';
import { Types } from '../types/sql-type.ts';
import type { FieldInfo, TriggerCall } from '../scripting/language.ts';
import { invokeTrigger } from '../routines/invoke.ts';
import { newRow as nullRow } from '../exec/new-row.ts';

type Timing = TriggerDef['timing'];

interface BoundTrigger {
  readonly def: TriggerDef;
  readonly fn: RoutineDef;
  readonly when: Evaluator | null;
}

/** The enabled triggers of one table or view, ready to fire. */
export class TableTriggers {
  readonly rel: TableDef | ViewDef;
  readonly fields: readonly FieldInfo[];
  /** Positions of the live columns in stored rows (attnums; a view's column index). */
  private readonly positions: readonly number[];
  private readonly width: number;
  private readonly triggers: readonly BoundTrigger[];

  constructor(rel: TableDef | ViewDef, triggers: readonly BoundTrigger[]) {
    this.rel = rel;
    this.triggers = triggers;
    this.fields = rel.columns.map((c) => ({ name: c.name, type: c.type }));
    this.positions = rel.kind === 'table' ? rel.columns.map((c) => c.attnum) : rel.columns.map((_c, i) => i);
    this.width = rel.kind === 'table' ? rel.nextAttnum : rel.columns.length;
  }

  has(timing: Timing, level: 'row' | 'statement', op: TriggerEvent): boolean {
    return this.triggers.some((t) => t.def.timing === timing && t.def.level === level && t.def.events.includes(op));
  }

  /**
   * BEFORE / INSTEAD OF row triggers: returns the row to write (possibly changed, in place into a
   * copy of `newRow`) or null to skip it. For DELETE the returned value only signals skip/proceed.
   */
  fireBeforeRow(timing: 'before' | 'instead_of', op: TriggerEvent, oldRow: Row | null, newRow: Row | null, ctx: ExecContext): Row | null | 'proceed' {
    let current = newRow;
    for (const t of this.triggers) {
      if (t.def.timing !== timing || t.def.level !== 'row' || !t.def.events.includes(op)) continue;
      if (!this.columnsMatch(t.def, op, oldRow, current)) continue;
      if (t.when !== null && t.when(this.combined(oldRow, current), ctx) !== true) continue;
      const out = invokeTrigger(t.fn, this.call(t.def, op, oldRow, current), ctx);
      if (out === null) return null;
      if (op !== 'delete') current = this.fromFields(out, current ?? oldRow!, t.fn);
    }
    return op === 'delete' ? 'proceed' : current;
  }

  /** Fires AFTER ROW triggers for one change (called when the statement's rows are written). */
  fireAfterRow(op: TriggerEvent, oldRow: Row | null, newRow: Row | null, ctx: ExecContext): void {
    for (const t of this.triggers) {
      if (t.def.timing !== 'after' || t.def.level !== 'row' || !t.def.events.includes(op)) continue;
      if (!this.columnsMatch(t.def, op, oldRow, newRow)) continue;
      if (t.when !== null && t.when(this.combined(oldRow, newRow), ctx) !== true) continue;
      invokeTrigger(t.fn, this.call(t.def, op, oldRow, newRow), ctx);
    }
  }

  fireStatement(timing: 'before' | 'after', op: TriggerEvent, ctx: ExecContext): void {
    for (const t of this.triggers) {
      if (t.def.timing !== timing || t.def.level !== 'statement' || !t.def.events.includes(op)) continue;
      if (t.when !== null && t.when(nullRow(this.width * 2), ctx) !== true) continue;
      invokeTrigger(t.fn, this.call(t.def, op, null, null), ctx);
    }
  }

  /** UPDATE OF cols: fires only when one of them changed. */
  private columnsMatch(def: TriggerDef, op: TriggerEvent, oldRow: Row | null, newRow: Row | null): boolean {
    if (op !== 'update' || def.updateColumns.length === 0 || oldRow === null || newRow === null) return true;
    return def.updateColumns.some((a) => !Object.is(oldRow[a] ?? null, newRow[a] ?? null));
  }

  private combined(oldRow: Row | null, newRow: Row | null): Row {
    const out: unknown[] = nullRow(this.width * 2);
    if (oldRow !== null) for (let i = 0; i < this.width; i++) out[i] = oldRow[i] ?? null;
    if (newRow !== null) for (let i = 0; i < this.width; i++) out[this.width + i] = newRow[i] ?? null;
    return out;
  }

  private call(def: TriggerDef, op: TriggerEvent, oldRow: Row | null, newRow: Row | null): TriggerCall {
    return {
      name: def.name,
      when: def.timing === 'before' ? 'BEFORE' : def.timing === 'after' ? 'AFTER' : 'INSTEAD OF',
      level: def.level === 'row' ? 'ROW' : 'STATEMENT',
      op: op === 'insert' ? 'INSERT' : op === 'update' ? 'UPDATE' : op === 'delete' ? 'DELETE' : 'TRUNCATE',
      tableSchema: this.rel.schema,
      tableName: this.rel.name,
      columns: this.fields,
      oldRow: oldRow === null ? null : this.toFields(oldRow),
      newRow: newRow === null ? null : this.toFields(newRow),
      args: def.args,
    };
  }

  private toFields(row: Row): unknown[] {
    return this.positions.map((p) => row[p] ?? null);
  }

  private fromFields(values: readonly unknown[], base: Row, fn: RoutineDef): Row {
    if (values.length !== this.positions.length) {
      throw new DbError('trigger_protocol_violated',
        `trigger function ${fn.name} returned a row with ${values.length} columns; table "${this.rel.name}" has ${this.positions.length}`);
    }
    const out = base.slice();
    this.positions.forEach((p, i) => { out[p] = values[i] ?? null; });
    return out;
  }
}

const cache = new WeakMap<Catalog, Map<number, TableTriggers | null>>();

/** The enabled triggers of `rel` in `catalog`, or null when it has none (the common, fast case). */
export function triggersFor(
  catalog: Catalog, rel: TableDef | ViewDef, registry: FunctionRegistry, searchPath: readonly string[], ctx: ExecContext,
): TableTriggers | null {
  if (catalog.triggers.size === 0) return null;
  let per = cache.get(catalog);
  if (per === undefined) cache.set(catalog, (per = new Map()));
  const hit = per.get(rel.oid);
  if (hit !== undefined) return hit;
  const defs = tableTriggers(catalog, rel.oid).filter((t) => t.enabled);
  let built: TableTriggers | null = null;
  if (defs.length > 0) {
    built = new TableTriggers(rel, defs.map((def) => {
      const fn = catalog.routines.get(def.functionOid);
      if (fn === undefined) throw new DbError('undefined_function', `trigger "${def.name}" has no function`);
      return { def, fn, when: def.when === null ? null : bindWhen(def, rel, catalog, registry, searchPath, ctx) };
    }));
  }
  per.set(rel.oid, built);
  return built;
}

/** WHEN (cond) over OLD and NEW: the evaluated row is [old columns..., new columns...]. */
function bindWhen(
  def: TriggerDef, rel: TableDef | ViewDef, catalog: Catalog, registry: FunctionRegistry, searchPath: readonly string[], ctx: ExecContext,
): Evaluator {
  const width = rel.kind === 'table' ? rel.nextAttnum : rel.columns.length;
  const cols = (offset: number) => rel.columns.map((c, i) => ({
    name: c.name, type: c.type, index: (rel.kind === 'table' ? (c as TableDef['columns'][number]).attnum : i) + offset,
  }));
  const scope = new Scope(null);
  scope.add({ alias: 'old', schema: null, table: null, columns: cols(0) }, 0);
  scope.add({ alias: 'new', schema: null, table: null, columns: cols(width) }, 0);
  scope.width = width * 2;
  const bc = new BindContext({ catalog, searchPath, registry, paramTypes: [], types: ctx.types });
  const b = coerce(bindExpr(def.when!.expr, scope, bc, new QueryState()), Types.bool, 'implicit', bc, def.when!.expr.loc);
  return compileExpr(b);
}

/** TRUNCATE's statement-level triggers (src/engine/ddl/misc-ddl.ts). */
export function fireTruncateTriggers(
  catalog: Catalog, table: TableDef, registry: FunctionRegistry, searchPath: readonly string[], ctx: ExecContext, timing: 'before' | 'after',
): void {
  triggersFor(catalog, table, registry, searchPath, ctx)?.fireStatement(timing, 'truncate', ctx);
}

/** Per-statement trigger state a RowWriter keeps: the AFTER ROW queue. */
export interface AfterEvent {
  readonly triggers: TableTriggers;
  readonly op: TriggerEvent;
  readonly oldRow: Row | null;
  readonly newRow: Row | null;
}
