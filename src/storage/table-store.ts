/**
 * TableStore: the in-memory row store of one table — its row slots (version chains) and the indexes
 * it keeps in step with them. Writes check for conflicts with concurrent transactions:
 * - a row (or unique key) held by another active transaction raises a LockWait (see txn/lock-wait);
 * - a row changed by a transaction that committed after the reader's snapshot raises 40001.
 * Every write is appended to the writer's log so abort / ROLLBACK TO SAVEPOINT can undo it and a
 * durable log can replay it.
 *
 * Invariant: a write either completes all its effects (new version, index entries, log entry) or
 * throws before changing anything.
 */
import { DbError } from '../errors/index.ts';
import { LockWait } from '../txn/lock-wait.ts';
import { FROZEN_TXN, type Snapshot, type Txn, WriteEntry, WriteKind } from '../txn/txn.ts';
import { chainHasKey, storedEntryOf, type IndexKey, type RowIndex } from './row-index.ts';
import { PackedChunk } from './packed-chunk.ts';
import type { TableStats } from './table-stats.ts';
import { type Row, type RowSlot, type Version, committedBy, newInsertedSlot, newVersion, resolveVersion, restoredSlot, visibleVersion } from './version.ts';
import { VisibilityMap } from './visibility-map.ts';

/** Describes a unique key for error messages: `(id)=(1)`. Provided by the catalog. */
export type KeyDescriber = (row: Row) => string;

export interface UniqueIndexInfo {
  readonly index: RowIndex;
  readonly constraintName: string;
  readonly describe: KeyDescriber;
}

export class TableStore {
  /** Identity of the table's storage (changes only when the table is rewritten). */
  readonly storageId: number;
  /**
   * The slots of the rows not packed, in row-id order (see restoreSlot), all after every packed
   * row. Readers that handle packed rows use it through `hot`; the rest through `slots`.
   */
  private hotSlots: RowSlot[] = [];
  /**
   * The table's cold rows in compact form (packed-chunk.ts), in row-id order, before every hot
   * slot. Replaced, never changed in place: a reader may keep the array it got.
   */
  packed: readonly PackedChunk[] = NO_CHUNKS;
  /** Rows in `packed`. */
  packedRows = 0;
  /**
   * Bumped whenever rows move between the packed and the slot form or the slot array is
   * compacted: a scan that paused finds its place again by row id (seq-scan.ts).
   */
  layoutEpoch = 0;
  /** Which chunks of rows every snapshot sees whole (visibility-map.ts); writes forget theirs. */
  readonly vm = new VisibilityMap();
  private nextRowId = 0;
  /** Slots whose head became null; compacted away once they are a large share. */
  deadSlots = 0;
  /** Live-row estimate for the planner (inserts minus deletes, committed or not). */
  rowEstimate = 0;
  /** Count of changes since the last statistics refresh (issue 5 uses it for auto-ANALYZE). */
  changesSinceAnalyze = 0;
  /**
   * Auto-analyze does not look at this table again before changesSinceAnalyze reaches this: set
   * when an analysis was due but too recent (autovacuum_naptime), so busy tables do not read the
   * clock on every commit.
   */
  analyzeRecheckAt = 0;
  /** Planner statistics from the last ANALYZE / auto-analyze (null = never analyzed). */
  stats: TableStats | null = null;
  /**
   * An automatic ANALYZE a commit found due, run the next time the statistics are read
   * (currentStats): a bulk load's commit does not wait for it, and a table no statement uses
   * before its next change is not analyzed for nothing (src/engine/analyze.ts).
   */
  analyzePending: (() => void) | null = null;
  indexes: RowIndex[] = [];
  uniques: UniqueIndexInfo[] = [];
  /** The active transaction holding an exclusive (DDL) lock, if any. */
  ddlOwner: Txn | null = null;
  /**
   * Active transactions that have written rows here (DDL waits for them). An array, not a Set: a
   * Set that empties on every autocommit write reallocates its table each time (V8 shrinks it).
   */
  readonly writers: Txn[] = [];

  constructor(storageId: number) {
    this.storageId = storageId;
  }

  /**
   * Every row slot, in row-id order. Unpacks the packed rows first: what asks for slots is about
   * to write, lock, index or rewrite rows, and those need every row to have one.
   */
  get slots(): RowSlot[] {
    if (this.packed.length !== 0) this.unpack();
    return this.hotSlots;
  }

  /** The slots of the rows not packed (readers that read `packed` themselves). */
  get hot(): readonly RowSlot[] {
    return this.hotSlots;
  }

  /** Rows stored, live or not, packed or not (a size, which unpacks nothing). */
  get storedRows(): number {
    return this.packedRows + this.hotSlots.length;
  }

  /** Turns every packed row back into a frozen slot of its own. */
  private unpack(): void {
    const chunks = this.packed;
    const slots: RowSlot[] = new Array(this.packedRows + this.hotSlots.length);
    let at = 0;
    for (const chunk of chunks) at = chunk.unpackInto(slots, at);
    const hot = this.hotSlots;
    for (let i = 0; i < hot.length; i++) slots[at++] = hot[i]!;
    this.hotSlots = slots;
    // The unpacked rows are frozen, live and unlocked: their chunks count whole for COUNT(*).
    for (const chunk of chunks) this.vm.setAllVisible(VisibilityMap.chunkOf(chunk.firstRowId), chunk.length);
    this.packed = NO_CHUNKS;
    this.packedRows = 0;
    this.layoutEpoch++;
  }

  /**
   * Packs the leading hot rows, one visibility-map chunk at a time, while each chunk is complete
   * (no later insert can land in it) and all its live rows are one frozen, unlocked version of
   * one width, committed at or before `horizon`; dead slots in it are dropped. Stops at the first
   * chunk that does not qualify. Only for a table without indexes (index entries point at slots),
   * and only when the caller knows no statement holds a slot of this table (TxnManager: no other
   * transaction is active). Returns the rows packed.
   */
  packCold(horizon: number): number {
    if (this.indexes.length !== 0) return 0;
    const hot = this.hotSlots;
    let at = 0;
    const chunks: PackedChunk[] = [];
    let packedNow = 0;
    let dropped = 0;
    while (at < hot.length) {
      const chunk = VisibilityMap.chunkOf(hot[at]!.rowId);
      // Complete: row ids only grow, so once nextRowId is past the chunk nothing joins it.
      if (VisibilityMap.chunkOf(this.nextRowId) <= chunk) break;
      let end = at;
      let live = 0;
      let width = -1;
      let ok = true;
      for (; end < hot.length; end++) {
        const slot = hot[end]!;
        if (VisibilityMap.chunkOf(slot.rowId) !== chunk) break;
        const h = slot.head;
        if (h === null) continue;
        if (h.prev !== null || h.xmax !== null || (h.xmin !== FROZEN_TXN && !committedBy(h.xmin, horizon))
          || (width >= 0 && h.values.length !== width)) { ok = false; break; }
        width = h.values.length;
        live++;
      }
      if (!ok) break;
      if (live > 0) {
        const liveSlots = new Array<RowSlot>(live);
        let k = 0;
        for (let i = at; i < end; i++) if (hot[i]!.head !== null) liveSlots[k++] = hot[i]!;
        chunks.push(PackedChunk.pack(liveSlots));
        packedNow += live;
      }
      dropped += end - at - live;
      this.vm.forget(chunk);
      at = end;
    }
    if (at === 0) return 0;
    hot.splice(0, at);
    this.deadSlots -= dropped;
    this.packed = this.packed.length === 0 ? chunks : [...this.packed, ...chunks];
    this.packedRows += packedNow;
    this.layoutEpoch++;
    return packedNow;
  }

  /** The statistics, after running a pending automatic ANALYZE (what planning and pg_stats read). */
  currentStats(): TableStats | null {
    const pending = this.analyzePending;
    if (pending !== null) {
      this.analyzePending = null;
      pending();
    }
    return this.stats;
  }

  /** Registers `txn` as a writer, waiting if another transaction holds the table for DDL. */
  enterWrite(txn: Txn): void {
    const owner = this.ddlOwner;
    if (owner !== null && owner !== txn && owner.isActive) throw new LockWait(owner, 'table');
    if (!this.writers.includes(txn)) {
      this.writers.push(txn);
      txn.addWrittenTable(this);
    }
  }

  /** Takes the exclusive DDL lock: waits for other writers and other DDL. */
  enterDdl(txn: Txn): void {
    const owner = this.ddlOwner;
    if (owner !== null && owner !== txn && owner.isActive) throw new LockWait(owner, 'table');
    for (const w of this.writers) {
      if (w !== txn && w.isActive) throw new LockWait(w, 'table');
    }
    this.ddlOwner = txn;
    txn.addWrittenTable(this);
  }

  /** Forgets a finished transaction's table-level locks, and files the index entries it held back. */
  release(txn: Txn): void {
    const indexes = this.indexes;
    for (let i = 0; i < indexes.length; i++) indexes[i]!.flush?.();
    const w = this.writers;
    const i = w.indexOf(txn);
    if (i >= 0) {
      w[i] = w[w.length - 1]!;
      w.pop();
    }
    if (this.ddlOwner === txn) this.ddlOwner = null;
  }

  insert(txn: Txn, cmdId: number, values: Row): RowSlot {
    this.enterWrite(txn);
    this.checkUniques(txn, values, null, null);
    const keys = this.entryKeys(values);
    const slot = newInsertedSlot(this.nextRowId++, values, txn, cmdId);
    this.hotSlots.push(slot);
    this.vm.touch(slot);
    this.addIndexEntries(slot, values, null, keys);
    txn.log(new WriteEntry(WriteKind.INSERT, this, slot, slot));
    this.rowEstimate++;
    this.changesSinceAnalyze++;
    return slot;
  }

  /**
   * Replaces the version `seen` (the one `snap` sees) with `values`. Returns the new version, or
   * null when this same command already changed the row (PostgreSQL then skips it).
   */
  update(txn: Txn, snap: Snapshot, slot: RowSlot, seen: Version, values: Row): Version | null {
    seen = resolveVersion(seen);
    this.enterWrite(txn);
    if (!this.checkWritable(txn, snap, slot, seen, 'update')) return null;
    this.checkUniques(txn, values, slot, seen.values);
    const keys = this.entryKeys(values);
    const version = newVersion(values, txn, snap.cmdId, seen);
    const priorLock = ownLockCmax(txn, seen);
    this.vm.touch(slot);
    seen.xmax = txn;
    seen.cmax = snap.cmdId;
    seen.lockOnly = false;
    slot.head = version;
    this.addIndexEntries(slot, values, seen.values, keys);
    txn.log(new WriteEntry(WriteKind.UPDATE, this, slot, version, priorLock));
    this.changesSinceAnalyze++;
    return version;
  }

  /** Deletes the version `seen`. Returns false when this command already changed the row. */
  delete(txn: Txn, snap: Snapshot, slot: RowSlot, seen: Version): boolean {
    seen = resolveVersion(seen);
    this.enterWrite(txn);
    if (!this.checkWritable(txn, snap, slot, seen, 'delete')) return false;
    const priorLock = ownLockCmax(txn, seen);
    this.vm.touch(slot);
    seen.xmax = txn;
    seen.cmax = snap.cmdId;
    seen.lockOnly = false;
    txn.log(new WriteEntry(WriteKind.DELETE, this, slot, seen, priorLock));
    this.rowEstimate--;
    this.changesSinceAnalyze++;
    return true;
  }

  /** SELECT ... FOR UPDATE / FOR SHARE (treated as exclusive): marks the row as locked by txn. */
  lock(txn: Txn, snap: Snapshot, slot: RowSlot, seen: Version): boolean {
    seen = resolveVersion(seen);
    if (!this.checkWritable(txn, snap, slot, seen, 'lock')) return false;
    if (seen.xmax === txn) return true;
    this.vm.touch(slot);
    seen.xmax = txn;
    seen.cmax = snap.cmdId;
    seen.lockOnly = true;
    txn.log(new WriteEntry(WriteKind.LOCK, this, slot, seen));
    return true;
  }

  /**
   * Recovery (src/wal): appends a slot with a known row id and version chain, outside any
   * transaction. Indexes are rebuilt afterwards with setIndexes.
   */
  restoreSlot(rowId: number, head: Version): RowSlot {
    const slot = restoredSlot(rowId, head);
    // Commits replay in commit order, so a row inserted by a transaction that committed later
    // can come first; keep row-id order (usually a step or two from the end).
    const slots = this.slots;
    let at = slots.length;
    while (at > 0 && slots[at - 1]!.rowId > rowId) at--;
    if (at === slots.length) slots.push(slot);
    else slots.splice(at, 0, slot);
    this.vm.touch(slot);
    if (rowId >= this.nextRowId) this.nextRowId = rowId + 1;
    this.rowEstimate++;
    return slot;
  }

  /** Undoes one write of an aborting transaction (or one rolled back to a savepoint). */
  undo(entry: WriteEntry): void {
    const v = entry.version;
    const slot = entry.slot;
    this.vm.touch(slot);
    switch (entry.kind) {
      case WriteKind.INSERT:
        slot.head = null;
        this.deadSlots++;
        this.rowEstimate--;
        this.removeIndexEntries(slot, v.values, null);
        break;
      case WriteKind.UPDATE: {
        const prev = v.prev!;
        slot.head = prev;
        restoreLock(prev, entry.priorLockCmax);
        this.removeIndexEntries(slot, v.values, prev.values);
        break;
      }
      case WriteKind.DELETE:
        restoreLock(v, entry.priorLockCmax);
        this.rowEstimate++;
        break;
      case WriteKind.LOCK:
        v.xmax = null;
        v.cmax = 0;
        v.lockOnly = false;
        break;
    }
  }

  /**
   * The number of rows `snap` sees (COUNT(*) without a filter). Chunks the visibility map knows
   * to be all-visible count whole; the others are walked row by row, and recorded when every row
   * turns out all-visible. `walked` hears of each walked chunk's rows (statement interrupts).
   *
   * The walk freezes what vacuum would freeze at `horizon` (at most snap.seq; the caller's
   * TxnManager.horizon()): a row's newest version, committed at or before the horizon and not
   * deleted, is what every snapshot that can still be taken sees (the versions below it stay
   * until vacuum cuts them). Like PostgreSQL setting hint bits as it reads, this spares the next
   * reader the check, and lets a bulk load that no later commit has collected yet count by chunks
   * from its second COUNT(*) on.
   */
  countVisible(snap: Snapshot, horizon: number, walked: (rows: number) => void): number {
    const slots = this.hotSlots;
    const vm = this.vm;
    const end = slots.length;
    // Packed rows are what every snapshot sees.
    let n = this.packedRows;
    let i = 0;
    while (i < end) {
      const chunk = VisibilityMap.chunkOf(slots[i]!.rowId);
      const known = vm.allVisibleCount(chunk);
      // The chunk's run of slots must be exactly `known` long (a cheap check of the invariant).
      if (known > 0 && i + known <= end && VisibilityMap.chunkOf(slots[i + known - 1]!.rowId) === chunk
        && (i + known === end || VisibilityMap.chunkOf(slots[i + known]!.rowId) !== chunk)) {
        n += known;
        i += known;
        continue;
      }
      const start = i;
      let all = true;
      for (; i < end; i++) {
        const slot = slots[i]!;
        if (VisibilityMap.chunkOf(slot.rowId) !== chunk) break;
        const h = slot.head;
        if (h !== null && h.xmax === null) {
          const x = h.xmin;
          if (x === FROZEN_TXN) { n++; continue; }
          if (committedBy(x, horizon)) {
            h.xmin = FROZEN_TXN;
            n++;
            continue;
          }
        }
        all = false;
        if (visibleVersion(slot, snap) !== null) n++;
      }
      if (all) vm.setAllVisible(chunk, i - start);
      walked(i - start);
    }
    return n;
  }

  /** The version of a slot visible to `snap` (convenience for point access). */
  visible(slot: RowSlot, snap: Snapshot): Version | null {
    return visibleVersion(slot, snap);
  }

  /** Replaces the index set (after CREATE/DROP INDEX or a constraint change) and rebuilds them. */
  setIndexes(indexes: RowIndex[], uniques: UniqueIndexInfo[]): void {
    // An index this store already maintains is current (every write since it was set updated
    // it): only the others are built from the rows. A CREATE INDEX then builds one index, not all.
    const current = new Set(this.indexes);
    this.indexes = indexes;
    this.uniques = uniques;
    for (const index of indexes) if (!current.has(index)) this.buildIndex(index);
  }

  private buildIndex(index: RowIndex): void {
    index.clear();
    // Sized for one version a row (more just extend them): pushing grows them a step at a time.
    const n = this.slots.length;
    const keys = new Array<IndexKey>(n);
    const slots = new Array<RowSlot>(n);
    const rows = new Array<Row>(n);
    let k = 0;
    for (const slot of this.slots) {
      for (let v = slot.head; v !== null; v = v.prev) {
        // A key expression failing on an old version gives no entry (CREATE INDEX checked the
        // visible rows first, so only versions no new snapshot sees can fail here).
        const key = storedEntryOf(index, v.values);
        if (key === null) continue;
        keys[k] = key;
        slots[k] = slot;
        rows[k] = v.values;
        k++;
      }
    }
    keys.length = slots.length = rows.length = k;
    if (index.addAll !== undefined) {
      index.addAll(keys, slots, rows);
      return;
    }
    for (let i = 0; i < keys.length; i++) index.add(keys[i]!, slots[i]!, rows[i]!);
  }

  /** Removes dead slots from the slot array (indexes hold slot references, not positions). */
  compact(): void {
    if (this.deadSlots === 0) return;
    const slots = this.hotSlots;
    let w = 0;
    for (let r = 0; r < slots.length; r++) {
      const s = slots[r]!;
      if (s.head !== null) slots[w++] = s;
    }
    slots.length = w;
    this.deadSlots = 0;
    this.layoutEpoch++;
  }

  private checkWritable(
    txn: Txn, snap: Snapshot, slot: RowSlot, seen: Version, what: 'update' | 'delete' | 'lock',
  ): boolean {
    const head = slot.head;
    if (head !== seen) {
      if (head === null) throw concurrentChange(what);
      if (head.xmin === txn) return false;
      if (head.xmin.isActive) throw new LockWait(head.xmin, 'row', slot);
      throw concurrentChange(what);
    }
    const x = seen.xmax;
    if (x === null) return true;
    if (x === txn) return seen.lockOnly;
    if (x.isActive) throw new LockWait(x, 'row', slot);
    if (seen.lockOnly) return true;
    // Deleted by a transaction that committed after our snapshot.
    void snap;
    throw concurrentChange(what);
  }

  /** Checks every unique index for `values` (ignoring `self`, the row being updated). */
  private checkUniques(txn: Txn, values: Row, self: RowSlot | null, old: Row | null): void {
    const uniques = this.uniques;
    for (let i = 0; i < uniques.length; i++) {
      const u = uniques[i]!;
      const key = u.index.keyOf(values);
      if (key === null) continue;
      if (old !== null && u.index.keyOf(old) === key) continue;
      const hit = u.index.lookup(key);
      if (hit === undefined) continue;
      if (Array.isArray(hit)) {
        for (const s of hit as RowSlot[]) this.checkUniqueSlot(txn, u, key, s, self, values);
      } else {
        this.checkUniqueSlot(txn, u, key, hit as RowSlot, self, values);
      }
    }
  }

  private checkUniqueSlot(
    txn: Txn, u: UniqueIndexInfo, key: IndexKey, slot: RowSlot, self: RowSlot | null, values: Row,
  ): void {
    if (slot === self) return;
    const head = slot.head;
    if (head === null) return;
    if (head.xmin !== txn && head.xmin.isActive) throw new LockWait(head.xmin, 'unique key');
    const x = head.xmax;
    if (x !== null && !head.lockOnly) {
      if (x === txn) return;
      if (x.isActive) throw new LockWait(x, 'unique key');
      return;
    }
    if (u.index.keyOf(head.values) !== key) return;
    throw new DbError('unique_violation',
      `duplicate key value violates unique constraint "${u.constraintName}"`,
      { detail: `Key ${u.describe(values)} already exists.`, constraint: u.constraintName });
  }

  /**
   * Entry keys of `values` for every index, computed before any change so a key expression that
   * fails (division by zero in an expression index) aborts the write with nothing changed.
   */
  private entryKeys(values: Row): (IndexKey | null)[] | null {
    const indexes = this.indexes;
    if (indexes.length === 0) return null;
    const keys = new Array<IndexKey | null>(indexes.length);
    for (let i = 0; i < indexes.length; i++) keys[i] = indexes[i]!.entryOf(values);
    return keys;
  }

  private addIndexEntries(slot: RowSlot, values: Row, old: Row | null, keys: (IndexKey | null)[] | null): void {
    if (keys === null) return;
    const indexes = this.indexes;
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i]!;
      const key = keys[i] ?? null;
      if (key === null) continue;
      if (old !== null && storedEntryOf(index, old) === key) continue;
      index.add(key, slot, values);
    }
  }

  private removeIndexEntries(slot: RowSlot, values: Row, keep: Row | null): void {
    for (const index of this.indexes) {
      const key = storedEntryOf(index, values);
      if (key === null) continue;
      if (keep !== null && storedEntryOf(index, keep) === key) continue;
      if (!chainHasKey(slot, index, key)) index.remove(key, slot, values);
    }
  }
}

/** The cmax of `txn`'s own row lock on `seen`, or -1 (see WriteEntry.priorLockCmax). */
function ownLockCmax(txn: Txn, seen: Version): number {
  return seen.xmax === txn && seen.lockOnly ? seen.cmax : -1;
}

/**
 * Undoes the xmax an UPDATE/DELETE set on `v`: back to none, or back to the row lock it replaced.
 * Undo runs newest first, so `v.xmax` is still the undoing transaction, which also owned the lock.
 */
function restoreLock(v: Version, priorLockCmax: number): void {
  if (priorLockCmax >= 0) {
    v.cmax = priorLockCmax;
    v.lockOnly = true;
  } else {
    v.xmax = null;
    v.cmax = 0;
    v.lockOnly = false;
  }
}

const NO_CHUNKS: readonly PackedChunk[] = Object.freeze([]);

function concurrentChange(what: 'update' | 'delete' | 'lock'): DbError {
  return new DbError('serialization_failure',
    `could not serialize access due to concurrent ${what === 'delete' ? 'delete' : 'update'}`);
}
