/**
 * The transaction manager: begins and ends transactions, hands out snapshots, validates
 * SERIALIZABLE transactions at commit, and drives garbage collection of old versions.
 *
 * Commit protocol:
 *   1. validate (SERIALIZABLE: nothing it read was changed by a transaction that committed after
 *      its snapshot — backward OCC validation, which makes the committed history serializable in
 *      commit order);
 *   2. assign the next commit sequence number;
 *   3. append the commit record to the log (framed synchronously, so log order is commit order);
 *   4. publish at once: the commit becomes visible, its row locks are released and waiters wake;
 *   5. acknowledge only once the log says the record is durable.
 * Publishing before the fsync is early lock release (InnoDB does the same): transactions queued
 * on a hot row no longer serialize on one fsync each, they share the next group commit. It is
 * safe because anything that builds on a published commit is logged after it — a crash that
 * loses the commit loses its dependents, and none of them was acknowledged. Readers get the same
 * guarantee from step 5's read-only form: a transaction that saw a commit not yet durable
 * finishes (and its autocommit statement completes) only when that commit is durable. After a
 * log failure, snapshots fall back to the last durable commit and GC never discards what such a
 * snapshot needs (its horizon stays at or below `durableSeq`).
 */
import { DbError, assert } from '../errors/index.ts';
import type { Clock, TimerHandle, Timers } from '../env/index.ts';
import { Limits } from '../limits.ts';
import {
  FROZEN_TXN, type IsolationLevel, NO_WRITES, Snapshot, Txn, TxnState, type WriteEntry, WriteSet, WriteKind,
} from './txn.ts';
import { vacuumSlots, type VacuumStats } from '../storage/vacuum.ts';
import { ALL_GC_KINDS, COMPACT_WRITES, GcKind, GcQueue } from './gc-queue.ts';
import type { RowSlot } from '../storage/version.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { RowIndex } from '../storage/row-index.ts';

/** The durability seam: the WAL (issue 4) implements it; memory databases have none. */
export interface CommitLog {
  /**
   * Appends `txn`'s commit record synchronously (throwing when nothing could be appended) and
   * resolves when an acknowledged commit would survive a crash.
   */
  logCommit(txn: Txn): Promise<void>;
}

/** The part of the transaction manager's state that survives a restart (see durableState). */
export interface DurableTxnState {
  readonly nextXid: number;
  readonly lastSeq: number;
  readonly visibleSeq: number;
  readonly collectedUpTo: number;
  readonly history: readonly { seq: number; xid: number; micros: number }[];
}

interface DurableWaiter {
  readonly seq: number;
  resolve(): void;
  reject(e: Error): void;
}

/** Resolves a catalog index oid to its runtime index, or null when it no longer exists. */
export type IndexResolver = (oid: number) => RowIndex | null;

export interface TxnManagerOptions {
  clock: Clock;
  /** Run GC after this many commits (amortizes horizon computation). */
  gcEveryCommits?: number;
  /**
   * For collecting large updating or deleting write logs (GcKind.LARGE) when the process is
   * idle; without timers they are collected with the regular cadence.
   */
  timers?: Timers;
}

export class TxnManager {
  private nextTxnId = 1;
  /** Highest commit sequence number handed out. */
  private lastCommitSeq = 0;
  /** Every transaction with seq <= visibleSeq has finished committing (it is visible). */
  private visibleSeq = 0;
  /**
   * Every commit with seq <= durableSeq is durable (per the log's sync mode). Only meaningful
   * with a commit log; it trails visibleSeq by the group commit in flight.
   */
  private durableSeq = 0;
  /** Read-only transactions waiting for durableSeq to reach what they saw, in seq order. */
  private durableWaiters: DurableWaiter[] = [];
  /**
   * Running transactions; each knows its slot (Txn.activeIndex) so removal is a swap with the last
   * entry. A Set's delete was a tenth of a point select's time.
   */
  private readonly active: Txn[] = [];
  /** Committed transactions whose write sets serializable transactions may still check. */
  private recentWrites: Txn[] = [];
  private serializableActive = 0;
  private readonly gc = new GcQueue();
  private commitsSinceGc = 0;
  private readonly gcEveryCommits: number;
  private readonly timers: Timers | null;
  /** The pending idle-time collection of LARGE garbage (scheduleIdleGc). */
  private idleGc: TimerHandle | null = null;
  private readonly clock: Clock;
  /** Extra snapshot pins (open cursors, time-travel retention) by seq. */
  private readonly pins = new Map<number, number>();
  commitLog: CommitLog | null = null;
  /**
   * Commit history for time travel: (seq, xid, commit time) of writing transactions, oldest
   * first. Entries older than what vacuum has already discarded are dropped with it.
   */
  private readonly history: { seq: number; xid: number; micros: number }[] = [];
  /** Highest horizon vacuum has used: snapshots below it may miss versions. */
  private collectedUpTo = 0;
  /** How long history is retained for AS OF, in µs (0 = only what live snapshots pin). */
  retentionMicros = 0;
  /** Set when the log failed: the database then refuses writes instead of pretending. */
  failed: Error | null = null;
  lastVacuum: VacuumStats | null = null;

  constructor(options: TxnManagerOptions) {
    this.clock = options.clock;
    this.gcEveryCommits = options.gcEveryCommits ?? 64;
    this.timers = options.timers ?? null;
  }

  /** Cancels the idle-time collection (the database is closing). */
  stop(): void {
    if (this.idleGc !== null) this.timers!.cancel(this.idleGc);
    this.idleGc = null;
  }

  begin(isolation: IsolationLevel, readOnly: boolean): Txn {
    const txn = new Txn(this.nextTxnId++, isolation, readOnly, this.clock.nowMicros());
    txn.activeIndex = this.active.length;
    this.active.push(txn);
    if (isolation === 'serializable') this.serializableActive++;
    return txn;
  }

  /** The snapshot for the next statement of `txn` (and bumps its command id). */
  statementSnapshot(txn: Txn): Snapshot {
    assert(txn.state === TxnState.ACTIVE, 'statement in a finished transaction');
    txn.cmdId++;
    // After a log failure only what reached the log is shown (see the header).
    const seq = this.failed === null ? this.visibleSeq : Math.min(this.visibleSeq, this.durableSeq);
    if (seq > txn.seenSeq) txn.seenSeq = seq;
    if (txn.isolation === 'read committed') return new Snapshot(seq, txn, txn.cmdId);
    if (txn.snapshotSeq < 0) txn.snapshotSeq = seq;
    return new Snapshot(txn.snapshotSeq, txn, txn.cmdId);
  }

  /** A snapshot at an explicit point in the commit order (time travel). */
  snapshotAt(seq: number, txn: Txn): Snapshot {
    return new Snapshot(seq, txn, 0);
  }

  get currentSeq(): number {
    return this.visibleSeq;
  }

  get nextXid(): number {
    return this.nextTxnId;
  }

  /**
   * Commits `txn`. `indexByOid` maps the index oids of SERIALIZABLE index lookups to the runtime
   * indexes (the catalog the transaction used knows them; the transaction manager does not).
   *
   * Completes synchronously (returns undefined) when nothing has to wait for the log: an
   * in-memory database, or a transaction that wrote nothing and saw only durable commits.
   * Otherwise the returned promise settles once the commit (or what it saw) is durable; the
   * commit is visible to others before that (see the header). Validation failures throw
   * synchronously, after aborting `txn`.
   */
  commit(txn: Txn, indexByOid: IndexResolver | null = null): Promise<void> | undefined {
    assert(txn.state === TxnState.ACTIVE, 'commit of a finished transaction');
    if (txn.writes.length === 0 && txn.writtenTables.length === 0 && !txn.catalogChanged) {
      this.finish(txn, TxnState.COMMITTED);
      return this.commitLog !== null && txn.seenSeq > this.durableSeq ? this.waitDurable(txn.seenSeq) : undefined;
    }
    if (this.failed) {
      this.abort(txn);
      throw new DbError('io_error', `cannot commit: the database log failed earlier (${this.failed.message})`);
    }
    if (txn.reads !== null) {
      try {
        this.validateSerializable(txn, indexByOid);
      } catch (e) {
        this.abort(txn);
        throw e;
      }
    }
    txn.state = TxnState.COMMITTING;
    txn.commitSeq = ++this.lastCommitSeq;
    txn.commitMicros = this.clock.nowMicros();
    // The append and the publish below run in this same call, so no other commit is in between.
    assert(txn.commitSeq === this.visibleSeq + 1, 'commit seqs are contiguous');
    const log = this.commitLog;
    if (log === null) {
      this.publish(txn);
      return undefined;
    }
    let durable: Promise<void>;
    try {
      durable = log.logCommit(txn);
    } catch (e) {
      // Nothing reached the log: take the seq back and roll the transaction back.
      this.lastCommitSeq--;
      txn.commitSeq = 0;
      txn.state = TxnState.ACTIVE;
      this.abort(txn);
      throw this.logFailed(e);
    }
    this.publish(txn);
    return this.acknowledge(durable, txn.commitSeq);
  }

  /** Resolves once the commit at `seq` is durable, advancing durableSeq and waking readers. */
  private async acknowledge(durable: Promise<void>, seq: number): Promise<void> {
    try {
      await durable;
    } catch (e) {
      throw this.logFailed(e);
    }
    if (seq <= this.durableSeq) return;
    this.durableSeq = seq;
    const waiters = this.durableWaiters;
    let n = 0;
    while (n < waiters.length && waiters[n]!.seq <= seq) waiters[n++]!.resolve();
    if (n > 0) waiters.splice(0, n);
    if (this.gc.hasBulkLoads) this.collect(null, GcKind.BULK_LOAD);
  }

  /** A read-only transaction's acknowledgement: once every commit up to `seq` is durable. */
  private waitDurable(seq: number): Promise<void> {
    if (this.failed !== null) return Promise.reject(this.durabilityError());
    return new Promise<void>((resolve, reject) => {
      const waiters = this.durableWaiters;
      let at = waiters.length;
      while (at > 0 && waiters[at - 1]!.seq > seq) at--;
      waiters.splice(at, 0, { seq, resolve, reject });
    });
  }

  /** Marks the database failed (first failure wins) and fails every waiting reader. */
  private logFailed(e: unknown): DbError {
    if (this.failed === null) this.failed = e instanceof Error ? e : new Error(String(e));
    const err = this.durabilityError();
    const waiters = this.durableWaiters;
    this.durableWaiters = [];
    for (const w of waiters) w.reject(err);
    return err;
  }

  private durabilityError(): DbError {
    return new DbError('io_error', `could not make the commit durable: ${this.failed!.message}`);
  }

  /** Rolls back every write of `txn` and ends it. Safe to call on an already aborted txn. */
  abort(txn: Txn): void {
    if (txn.state === TxnState.ABORTED || txn.state === TxnState.COMMITTED) return;
    this.rollbackTo(txn, 0);
    this.finish(txn, TxnState.ABORTED);
  }

  /** Undoes the writes of `txn` made after its write log had `mark` entries (savepoints). */
  rollbackTo(txn: Txn, mark: number): void {
    const writes = txn.writes;
    if (mark >= writes.length) return;
    for (let i = writes.length - 1; i >= mark; i--) {
      const w = writes[i]!;
      w.table.undo(w);
    }
    writes.length = mark;
  }

  /** Pins a snapshot seq so GC keeps what it can see (cursors, retention). */
  pin(seq: number): void {
    this.pins.set(seq, (this.pins.get(seq) ?? 0) + 1);
  }

  unpin(seq: number): void {
    const n = this.pins.get(seq) ?? 0;
    if (n <= 1) this.pins.delete(seq);
    else this.pins.set(seq, n - 1);
  }

  /** Resolves an AS OF point to a commit seq, or fails clearly when it is not retained. */
  seqAsOf(type: 'timestamp' | 'transaction', value: unknown): number {
    let seq = -1;
    if (type === 'transaction') {
      const xid = Number(value);
      const entry = this.history.find((h) => h.xid === xid);
      if (entry === undefined) {
        throw new DbError('invalid_parameter_value',
          `transaction ${xid} is not in the retained history`,
          { hint: 'Only committed writing transactions inside the history_retention window can be used.' });
      }
      seq = entry.seq;
    } else {
      const micros = Number(value);
      for (const h of this.history) if (h.micros <= micros) seq = h.seq;
      if (seq < 0 && micros >= 0 && this.history.length === 0 && this.collectedUpTo === 0) seq = 0;
      if (seq < 0) {
        throw new DbError('invalid_parameter_value', 'AS OF TIMESTAMP is before the retained history',
          { hint: 'Increase history_retention to travel further back.' });
      }
    }
    if (seq < this.collectedUpTo) {
      throw new DbError('invalid_parameter_value', 'AS OF point is outside the retained history',
        { hint: 'Increase history_retention to travel further back.' });
    }
    return seq;
  }

  /** Oldest commit seq any current or future snapshot can use: versions older are garbage. */
  horizon(): number {
    // Versions a snapshot at the last durable commit needs stay until the log catches up.
    let h = this.commitLog === null ? this.visibleSeq : Math.min(this.visibleSeq, this.durableSeq);
    if (this.retentionMicros > 0) {
      const cutoff = this.clock.nowMicros() - this.retentionMicros;
      for (const e of this.history) {
        if (e.micros >= cutoff) { h = Math.min(h, e.seq - 1); break; }
      }
    }
    for (const t of this.active) {
      if (t.snapshotSeq >= 0 && t.snapshotSeq < h) h = t.snapshotSeq;
    }
    for (const seq of this.pins.keys()) if (seq < h) h = seq;
    return h;
  }

  /**
   * True when no transaction but `caller` (committing, or running VACUUM) is running: then no
   * statement holds a row slot, and vacuum may pack rows (TableStore.packCold), which takes them
   * out of their slots.
   */
  mayPackRows(caller: Txn | null): boolean {
    const active = this.active;
    return active.length === 0 || (active.length === 1 && active[0] === caller);
  }

  /** Runs garbage collection now over everything eligible; `caller` as for mayPackRows. */
  vacuumNow(caller: Txn | null = null): VacuumStats {
    this.collect(caller, ALL_GC_KINDS);
    return this.lastVacuum!;
  }

  /**
   * Collects the pending garbage of `kinds` the horizon has passed (lastVacuum reports it).
   * Whatever it trims, AS OF points before the horizon are refused from now on (collectedUpTo),
   * as their versions may be gone.
   */
  private collect(caller: Txn | null, kinds: number): void {
    const horizon = this.horizon();
    const batches = this.gc.take(horizon, kinds);
    // A partial collection that finds nothing to take (a durable acknowledgement while a bulk
    // load waits, the cadence while only deferred garbage is pending) does nothing, and AS OF
    // keeps its reach.
    if (batches.length === 0 && kinds !== ALL_GC_KINDS) return;
    this.lastVacuum = vacuumSlots(batches, horizon, this.mayPackRows(caller));
    if (horizon > this.collectedUpTo) this.collectedUpTo = horizon;
    let drop = 0;
    while (drop < this.history.length && this.history[drop]!.seq < this.collectedUpTo) drop++;
    if (drop > 0) this.history.splice(0, drop);
  }

  /** Drops the pending garbage of stores a committed DROP or rewrite released (GcQueue.forgetTables). */
  forgetTables(stores: readonly TableStore[]): void {
    this.gc.forgetTables(stores);
  }

  /**
   * Collects LARGE garbage on a later turn of the event loop, outside any statement; retries
   * while a running transaction (or the log) holds the horizon below it.
   */
  private scheduleIdleGc(delayMs: number): void {
    if (this.timers === null || this.idleGc !== null) return;
    this.idleGc = this.timers.after(() => {
      this.idleGc = null;
      this.collect(null, ALL_GC_KINDS);
      if (this.gc.hasLarge) this.scheduleIdleGc(Limits.gcIdleRetryMs);
    }, delayMs);
  }

  /** Durability (src/wal): what a checkpoint records about the commit order and history. */
  durableState(): DurableTxnState {
    return {
      nextXid: this.nextTxnId, lastSeq: this.lastCommitSeq, visibleSeq: this.visibleSeq,
      collectedUpTo: this.collectedUpTo, history: this.history.slice(),
    };
  }

  /**
   * Durability (src/wal): restores the commit order after recovery, before any session runs.
   * `gc` lists the slots that replayed, still-retained transactions wrote, for later GC.
   */
  restoreDurableState(state: DurableTxnState, gc: { seq: number; slots: Map<TableStore, RowSlot[]> }[]): void {
    assert(this.active.length === 0, 'restore with transactions running');
    assert(state.lastSeq >= state.collectedUpTo, 'restored history ends before it starts');
    this.nextTxnId = Math.max(this.nextTxnId, state.nextXid);
    this.lastCommitSeq = state.lastSeq;
    this.visibleSeq = state.lastSeq;
    this.durableSeq = state.lastSeq;
    this.collectedUpTo = state.collectedUpTo;
    this.history.length = 0;
    for (const h of state.history) this.history.push(h);
    this.gc.clear();
    for (const g of gc) this.gc.restore(g.seq, [...g.slots].map(([table, slots]) => ({ table, slots })));
  }

  private publish(txn: Txn): void {
    txn.state = TxnState.COMMITTED;
    this.history.push({ seq: txn.commitSeq, xid: txn.id, micros: txn.commitMicros });
    this.visibleSeq = txn.commitSeq;
    this.recordWriteSet(txn);
    this.scheduleGc(txn);
    this.finish(txn, TxnState.COMMITTED);
  }

  /** Keeps `txn`'s write set for serializable validation (at publish). Idempotent. */
  private recordWriteSet(txn: Txn): void {
    if (this.serializableActive === 0 || txn.writeSet !== null) return;
    const ws = new WriteSet();
    for (const w of txn.writes) {
      if (w.kind === WriteKind.LOCK) continue;
      ws.tables.add(w.table);
      ws.slots.add(w.slot);
      if (w.kind === WriteKind.INSERT || w.kind === WriteKind.UPDATE) addNewKeys(ws, w);
    }
    txn.writeSet = ws;
    this.recentWrites.push(txn);
  }

  private scheduleGc(txn: Txn): void {
    // The write log itself is what GC visits later: hand a short one over instead of copying it.
    const writes = txn.writes;
    let kind = 0;
    if (writes.length >= COMPACT_WRITES && txn.onlyInserts && txn.writeSet === null && txn.reads === null) {
      // A serializable transaction's read set, or a write set kept for one, would stay alive
      // with rows left unfrozen: those take the visiting path.
      this.gc.addInserts(txn.commitSeq, txn.insertedTables);
      kind = GcKind.BULK_LOAD;
      txn.writes = NO_WRITES;
    } else if (writes.length > 0) {
      kind = this.gc.add(txn.commitSeq, writes);
      txn.writes = NO_WRITES;
    }
    if (++this.commitsSinceGc >= this.gcEveryCommits) {
      this.commitsSinceGc = 0;
      // LARGE garbage waits for an idle moment unless there is no timer to find one, or too much
      // of it piled up (a loop that never yields to the event loop).
      const deferLarge = this.timers !== null && this.gc.largeBacklog < Limits.gcDeferredSlotsMax;
      this.collect(txn, deferLarge ? GcKind.SMALL | GcKind.BULK_LOAD : ALL_GC_KINDS);
    } else if (kind === GcKind.BULK_LOAD && this.commitLog === null) {
      // On a file database the horizon waits for the log (see horizon()): a bulk load is
      // collected once its commit is durable (acknowledge).
      this.collect(txn, GcKind.BULK_LOAD);
    }
    if (kind === GcKind.LARGE) this.scheduleIdleGc(0);
  }

  private finish(txn: Txn, state: typeof TxnState.COMMITTED | typeof TxnState.ABORTED): void {
    for (const table of txn.writtenTables) table.release(txn);
    if (state === TxnState.ABORTED) {
      // Aborted inserts left dead slots; compact tables where they pile up.
      for (const table of txn.writtenTables) {
        if (table.deadSlots > 1024 && table.deadSlots * 4 > table.hot.length) table.compact();
      }
    }
    this.removeActive(txn);
    if (txn.isolation === 'serializable') {
      this.serializableActive--;
      if (this.serializableActive === 0) {
        // No one validates against these write sets any more: drop them.
        for (const t of this.recentWrites) t.writeSet = null;
        this.recentWrites = [];
      } else {
        this.pruneRecentWrites();
      }
    }
    txn.finish(state);
    if (state === TxnState.COMMITTED && txn.writes.length > 0) txn.writes.length = 0;
  }

  private removeActive(txn: Txn): void {
    const i = txn.activeIndex;
    if (i < 0) return;
    const last = this.active.pop()!;
    if (last !== txn) {
      this.active[i] = last;
      last.activeIndex = i;
    }
    txn.activeIndex = -1;
  }

  private pruneRecentWrites(): void {
    let oldest = Infinity;
    for (const t of this.active) {
      if (t.isolation === 'serializable') {
        oldest = Math.min(oldest, t.snapshotSeq < 0 ? this.visibleSeq : t.snapshotSeq);
      }
    }
    this.recentWrites = this.recentWrites.filter((t) => t.commitSeq > oldest);
  }

  private validateSerializable(txn: Txn, indexByOid: IndexResolver | null): void {
    const reads = txn.reads!;
    const since = txn.snapshotSeq < 0 ? this.visibleSeq : txn.snapshotSeq;
    for (const other of this.recentWrites) {
      if (other.commitSeq <= since || other === txn || other.writeSet === null) continue;
      const ws = other.writeSet;
      let conflict = false;
      for (const t of reads.scannedTables) if (ws.tables.has(t)) { conflict = true; break; }
      if (!conflict) for (const s of reads.slots) if (ws.slots.has(s)) { conflict = true; break; }
      if (!conflict && ws.keys.size > 0 && reads.keys.size > 0) {
        conflict = keysConflict(reads.keys, ws, indexByOid);
      }
      if (conflict) {
        throw new DbError('serialization_failure',
          'could not serialize access due to read/write dependencies among transactions',
          {
            detail: `Reason code: Canceled on conflict out to transaction ${other.id} during commit.`,
            hint: 'The transaction might succeed if retried.',
          });
      }
    }
  }
}

/** Records the index keys a committed INSERT or key-changing UPDATE added (phantom candidates). */
function addNewKeys(ws: WriteSet, w: WriteEntry): void {
  const prev = w.kind === WriteKind.UPDATE ? w.version.prev : null;
  for (const index of w.table.indexes) {
    const key = index.keyOf(w.version.values);
    if (key === null) continue;
    if (prev !== null && index.keyOf(prev.values) === key) continue;
    let set = ws.keys.get(index);
    if (set === undefined) ws.keys.set(index, (set = new Set()));
    set.add(String(key));
  }
}

/**
 * True when a key a serializable transaction looked up (`${indexOid}:${key}`) was added by `ws`.
 * A lookup whose index can no longer be resolved matches the key in any index (conservative).
 */
function keysConflict(readKeys: ReadonlySet<string>, ws: WriteSet, indexByOid: IndexResolver | null): boolean {
  for (const readKey of readKeys) {
    const colon = readKey.indexOf(':');
    const key = readKey.slice(colon + 1);
    const index = indexByOid === null ? null : indexByOid(Number(readKey.slice(0, colon)));
    if (index !== null) {
      if (ws.keys.get(index)?.has(key) === true) return true;
      continue;
    }
    for (const set of ws.keys.values()) if (set.has(key)) return true;
  }
  return false;
}

export { FROZEN_TXN };
