/**
 * RowWriter: every row change goes through here, so INSERT, UPDATE, DELETE, ON CONFLICT and
 * foreign-key cascades share one implementation of constraint checking (NOT NULL, CHECK, foreign
 * keys in both directions, uniqueness in the store) and of the referential actions.
 */
import { DbError } from '../../errors/index.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { TableDef, ViewDef } from '../../catalog/objects.ts';
import type { TriggerEvent } from '../../catalog/routines.ts';
import { triggersFor, type AfterEvent, type TableTriggers } from '../triggers.ts';
import type { FunctionRegistry } from '../../functions/registry.ts';
import { outputFunction } from '../../types/text-io.ts';
import type { Row, RowSlot, Version } from '../../storage/version.ts';
import { visibleVersion } from '../../storage/version.ts';
import { LockWait } from '../../txn/lock-wait.ts';
import { Snapshot } from '../../txn/txn.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import { tableRuntime, type ForeignKeyRuntime, type TableRuntime } from './table-runtime.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { indexKeyCodec } from '../../catalog/index-keys.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { ownedString } from '../../types/text.ts';

const CASCADE_DEPTH_MAX = 64;

export class RowWriter {
  readonly catalog: Catalog;
  readonly registry: FunctionRegistry;
  readonly ctx: ExecContext;
  private depth = 0;
  /** AFTER ROW trigger events of the running statement, fired by endStatement (null until the first). */
  private afterQueue: AfterEvent[] | null = null;

  constructor(catalog: Catalog, registry: FunctionRegistry, ctx: ExecContext) {
    this.catalog = catalog;
    this.registry = registry;
    this.ctx = ctx;
  }

  runtime(table: TableDef): TableRuntime {
    return tableRuntime(this.catalog, table, this.registry, this.ctx.searchPath, this.ctx.types);
  }

  /** A snapshot seeing the latest committed state and this command's own writes (FK checks). */
  private currentSnapshot(): Snapshot {
    const s = this.ctx.snapshot;
    return new Snapshot(this.ctx.txnManager.currentSeq, s.txn, s.cmdId + 1);
  }

  /**
   * Computes generated columns, checks NOT NULL / CHECK for a new row version and gives its
   * strings storage of their own (ownedString). `assigned` lists the columns an UPDATE set (the
   * others, generated columns aside, hold the old version's values, already owned); null = every
   * text column. Testing an untouched value's type would fetch it from memory, a cache miss per
   * row on a random update.
   */
  prepareRow(rt: TableRuntime, row: Row, assigned: readonly number[] | null = null): void {
    for (const g of rt.generated) {
      const v = g.eval(row, this.ctx);
      row[g.attnum] = typeof v === 'string' ? ownedString(v) : v;
    }
    const cols = assigned ?? rt.textAttnums;
    for (let j = 0; j < cols.length; j++) {
      const i = cols[j]!;
      const v = row[i];
      if (typeof v === 'string') row[i] = ownedString(v);
    }
    for (const c of rt.notNull) {
      const v = row[c.attnum];
      if (v === null || v === undefined) {
        throw new DbError('not_null_violation',
          `null value in column "${c.name}" of relation "${rt.table.name}" violates not-null constraint`,
          { detail: `Failing row contains ${describeRow(rt.table, row, this.ctx)}.`, table: rt.table.name, column: c.name, schema: rt.table.schema });
      }
    }
    for (const chk of rt.checks) {
      if (chk.eval(row, this.ctx) === false) {
        throw new DbError('check_violation',
          `new row for relation "${rt.table.name}" violates check constraint "${chk.name}"`,
          { detail: `Failing row contains ${describeRow(rt.table, row, this.ctx)}.`, table: rt.table.name, constraint: chk.name, schema: rt.table.schema });
      }
    }
  }

  /** The table's triggers (src/engine/triggers.ts), or null when it has none. */
  triggers(table: TableDef | ViewDef): TableTriggers | null {
    if (this.catalog.triggers.size === 0) return null;
    return triggersFor(this.catalog, table, this.registry, this.ctx.searchPath, this.ctx);
  }

  /** Fires BEFORE STATEMENT triggers; call once before the statement's first row. */
  beginStatement(table: TableDef, op: TriggerEvent): void {
    this.triggers(table)?.fireStatement('before', op, this.ctx);
  }

  /** Fires the queued AFTER ROW triggers, then AFTER STATEMENT ones; call after the last row. */
  endStatement(table: TableDef, op: TriggerEvent): void {
    const queue = this.afterQueue;
    if (queue !== null) {
      this.afterQueue = null;
      for (const e of queue) e.triggers.fireAfterRow(e.op, e.oldRow, e.newRow, this.ctx);
    }
    this.triggers(table)?.fireStatement('after', op, this.ctx);
  }

  /**
   * Writes a new row (BEFORE ROW triggers may change `row` in place); null when a trigger skipped
   * it. `rt`: the table's runtime, when the caller holds it (one lookup per statement, not per row).
   */
  insert(table: TableDef, row: Row, rt: TableRuntime = this.runtime(table)): RowSlot | null {
    const trg = this.triggers(table);
    if (trg !== null && !this.applyBefore(trg, 'insert', null, row)) return null;
    this.prepareRow(rt, row);
    for (const fk of rt.outgoing) this.checkParentExists(fk, row);
    const slot = table.store.insert(this.ctx.txn, this.ctx.snapshot.cmdId, row);
    if (trg !== null && trg.has('after', 'row', 'insert')) (this.afterQueue ??= []).push({ triggers: trg, op: 'insert', oldRow: null, newRow: row.slice() });
    return slot;
  }

  /** Runs BEFORE ROW triggers; copies a changed NEW into `row`. False = skip the row. */
  private applyBefore(trg: TableTriggers, op: TriggerEvent, oldRow: Row | null, row: Row | null): boolean {
    if (!trg.has('before', 'row', op)) return true;
    const out = trg.fireBeforeRow('before', op, oldRow, row, this.ctx);
    if (out === null) return false;
    if (out !== 'proceed' && row !== null && out !== row) for (let i = 0; i < out.length; i++) row[i] = out[i];
    return true;
  }

  /**
   * Returns the new version, or null when this command already changed the row (or a trigger
   * skipped it). `assigned`: the attnums the statement set, when it knows them (see prepareRow).
   */
  update(table: TableDef, slot: RowSlot, seen: Version, row: Row, assigned: readonly number[] | null = null): Version | null {
    const trg = this.triggers(table);
    const before = trg === null ? null : (seen.values.length < table.nextAttnum ? widenRow(seen.values, table) : seen.values);
    if (trg !== null && !this.applyBefore(trg, 'update', before, row)) return null;
    const rt = this.runtime(table);
    // A BEFORE trigger may have changed any column.
    this.prepareRow(rt, row, trg === null ? assigned : null);
    const oldRow = seen.values.length < table.nextAttnum ? widenRow(seen.values, table) : seen.values;
    for (const fk of rt.outgoing) {
      if (keyChanged(table, fk.constraint.columns, oldRow, row)) this.checkParentExists(fk, row);
    }
    const nv = table.store.update(this.ctx.txn, this.ctx.snapshot, slot, seen, row);
    if (nv === null) return null;
    for (const fk of rt.incoming) {
      if (keyChanged(table, fk.constraint.fk!.refColumns, oldRow, row)) this.onParentChange(fk, oldRow, row);
    }
    if (trg !== null && trg.has('after', 'row', 'update')) (this.afterQueue ??= []).push({ triggers: trg, op: 'update', oldRow, newRow: row.slice() });
    return nv;
  }

  delete(table: TableDef, slot: RowSlot, seen: Version): boolean {
    const trg = this.triggers(table);
    const oldRow = seen.values.length < table.nextAttnum ? widenRow(seen.values, table) : seen.values;
    if (trg !== null && !this.applyBefore(trg, 'delete', oldRow, null)) return false;
    const rt = this.runtime(table);
    if (!table.store.delete(this.ctx.txn, this.ctx.snapshot, slot, seen)) return false;
    for (const fk of rt.incoming) this.onParentChange(fk, oldRow, null);
    if (trg !== null && trg.has('after', 'row', 'delete')) (this.afterQueue ??= []).push({ triggers: trg, op: 'delete', oldRow, newRow: null });
    return true;
  }

  private checkParentExists(fk: ForeignKeyRuntime, row: Row): void {
    const con = fk.constraint;
    const fkDef = con.fk!;
    const values = con.columns.map((a) => row[a] ?? null);
    if (fkDef.match === 'full') {
      const nulls = values.filter((v) => v === null).length;
      if (nulls === values.length) return;
      if (nulls > 0) {
        throw new DbError('foreign_key_violation',
          `insert or update on table "${fk.child.name}" violates foreign key constraint "${con.name}"`,
          { detail: 'MATCH FULL does not allow mixing of null and nonnull key values.', constraint: con.name });
      }
    } else if (values.some((v) => v === null)) {
      return;
    }
    const parent = fk.parent;
    const index = parent.indexes.find((i) => i.unique && sameColumns(i.keys, fkDef.refColumns));
    let found = false;
    if (index) {
      const key = index.codec.ofValues(values);
      const hit = key === null ? undefined : index.runtime.lookup(key);
      const slots: RowSlot[] = hit === undefined ? [] : Array.isArray(hit) ? hit as RowSlot[] : [hit as RowSlot];
      found = slots.some((s) => this.parentRowLive(s, (r) => index.runtime.keyOf(r) === key));
    } else {
      const codecParent = indexKeyCodec(fkDef.refColumns, fkDef.refColumns.map((a) => colType(parent, a)), []);
      const key = codecParent.ofValues(values);
      found = parent.store.slots.some((s) => this.parentRowLive(s, (r) => codecParent.ofRow(r) === key));
    }
    if (!found) {
      throw new DbError('foreign_key_violation',
        `insert or update on table "${fk.child.name}" violates foreign key constraint "${con.name}"`,
        { detail: `Key (${colNames(fk.child, con.columns)})=(${fmtValues(fk.child, con.columns, values, this.ctx)}) is not present in table "${parent.name}".`, constraint: con.name, table: fk.child.name });
    }
  }

  /** Is the newest version of a parent slot live and matching? Waits on uncommitted changes. */
  private parentRowLive(slot: RowSlot, matches: (r: Row) => boolean): boolean {
    const head = slot.head;
    if (head === null) return false;
    const txn = this.ctx.txn;
    if (head.xmin !== txn && head.xmin.isActive) {
      if (matches(head.values) || (head.prev !== null && matches(head.prev.values))) throw new LockWait(head.xmin, 'row');
      return false;
    }
    if (!matches(head.values)) return false;
    const x = head.xmax;
    if (x === null || head.lockOnly) return true;
    if (x === txn) return false;
    if (x.isActive) throw new LockWait(x, 'row');
    return false;
  }

  /** Applies the referential action of `fk` for a parent row that was deleted or re-keyed. */
  private onParentChange(fk: ForeignKeyRuntime, oldRow: Row, newRow: Row | null): void {
    const con = fk.constraint;
    const fkDef = con.fk!;
    const oldKey = fkDef.refColumns.map((a) => oldRow[a] ?? null);
    if (oldKey.some((v) => v === null)) return;
    const child = fk.child;
    const childCodec = indexKeyCodec(con.columns, con.columns.map((a) => colType(child, a)), []);
    const target = childCodec.ofValues(oldKey);
    const snap = this.currentSnapshot();
    const matches: { slot: RowSlot; version: Version }[] = [];
    for (const slot of child.store.slots) {
      const head = slot.head;
      if (head === null) continue;
      if (head.xmin !== this.ctx.txn && head.xmin.isActive && childCodec.ofRow(head.values) === target) {
        throw new LockWait(head.xmin, 'row');
      }
      const v = visibleVersion(slot, snap);
      if (v === null) continue;
      const row = v.values.length < child.nextAttnum ? widenRow(v.values, child) : v.values;
      if (childCodec.ofRow(row) !== target) continue;
      matches.push({ slot, version: v });
    }
    if (matches.length === 0) return;
    const action = newRow === null ? fkDef.onDelete : fkDef.onUpdate;
    if (action === 'no_action' || action === 'restrict') {
      throw new DbError('foreign_key_violation',
        `update or delete on table "${fk.parent.name}" violates foreign key constraint "${con.name}" on table "${child.name}"`,
        { detail: `Key (${colNames(fk.parent, fkDef.refColumns)})=(${fmtValues(fk.parent, fkDef.refColumns, oldKey, this.ctx)}) is still referenced from table "${child.name}".`, constraint: con.name, table: child.name });
    }
    if (++this.depth > CASCADE_DEPTH_MAX) {
      throw new DbError('statement_too_complex', 'foreign key cascades are nested too deeply');
    }
    try {
      const childRt = this.runtime(child);
      for (const m of matches) {
        if (action === 'cascade' && newRow === null) {
          this.delete(child, m.slot, m.version);
          continue;
        }
        const row = (m.version.values.length < child.nextAttnum ? widenRow(m.version.values, child) : m.version.values).slice();
        const setCols = newRow === null && fkDef.onDeleteColumns ? fkDef.onDeleteColumns : con.columns;
        con.columns.forEach((a, i) => {
          if (!setCols.includes(a)) return;
          if (action === 'cascade') row[a] = newRow![fkDef.refColumns[i]!] ?? null;
          else if (action === 'set_null') row[a] = null;
          else row[a] = childRt.defaults[a] ? childRt.defaults[a]!(row, this.ctx) : null;
        });
        // A SET DEFAULT row must still reference an existing parent, even when the default equals
        // the old key (update() only re-checks changed keys): PostgreSQL rejects it then too.
        if (action === 'set_default') this.checkParentExists(fk, row);
        this.update(child, m.slot, m.version, row);
      }
    } finally {
      this.depth--;
    }
  }
}

function sameColumns(keys: readonly (number | unknown)[], cols: readonly number[]): boolean {
  return keys.length === cols.length && keys.every((k, i) => k === cols[i]);
}

function keyChanged(table: TableDef, cols: readonly number[], a: Row, b: Row): boolean {
  for (const c of cols) {
    const x = a[c] ?? null;
    const y = b[c] ?? null;
    if (x === y) continue;
    if (x === null || y === null) return true;
    const key = hashKeyFor(colType(table, c));
    if (key(x) !== key(y)) return true;
  }
  return false;
}

function colType(table: TableDef, attnum: number) {
  return table.columns.find((c) => c.attnum === attnum)!.type;
}

function colNames(table: TableDef, attnums: readonly number[]): string {
  return attnums.map((a) => table.columns.find((c) => c.attnum === a)?.name ?? '?').join(', ');
}

function fmtValues(table: TableDef, attnums: readonly number[], values: readonly unknown[], ctx: ExecContext): string {
  return attnums.map((a, i) => {
    const v = values[i];
    if (v === null || v === undefined) return 'null';
    return outputFunction(colType(table, a))(v, ctx.types);
  }).join(', ');
}

/** PostgreSQL's "Failing row contains (...)" rendering. */
export function describeRow(table: TableDef, row: Row, ctx: ExecContext): string {
  const parts = table.columns.map((c) => {
    const v = row[c.attnum];
    if (v === null || v === undefined) return 'null';
    return outputFunction(c.type)(v, ctx.types);
  });
  return `(${parts.join(', ')})`;
}
