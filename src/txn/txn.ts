/**
 * Transactions and snapshots.
 *
 * Invariants:
 * - `id` grows monotonically per database; it is what AS OF TRANSACTION and pg_current_xact_id show.
 * - `commitSeq` is 0 until the transaction enters COMMITTING, then the position of its commit in the
 *   global commit order. A version written by T is visible to snapshot S iff T === S.txn (and the
 *   version was written by an earlier command) or 0 < T.commitSeq <= S.seq. The transaction
 *   manager only hands out snapshots whose seq covers published transactions, so a COMMITTING
 *   transaction is never visible early. Published is not yet durable: a commit is visible from
 *   the moment its record is appended to the log (early lock release, txn-manager.ts).
 * - A transaction's writes are physically undone on abort or ROLLBACK TO SAVEPOINT, so no version
 *   made by an aborted transaction remains in any chain.
 */
import type { RowSlot, Version } from '../storage/version.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { RowIndex } from '../storage/row-index.ts';

export const TxnState = {
  ACTIVE: 0,
  COMMITTING: 1,
  COMMITTED: 2,
  ABORTED: 3,
} as const;
export type TxnStateValue = (typeof TxnState)[keyof typeof TxnState];

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/** One entry of a transaction's write log: enough to undo it and to redo it from a WAL. */
export const WriteKind = { INSERT: 0, UPDATE: 1, DELETE: 2, LOCK: 3 } as const;
export type WriteKindValue = (typeof WriteKind)[keyof typeof WriteKind];

export class WriteEntry {
  readonly kind: WriteKindValue;
  readonly table: TableStore;
  readonly slot: RowSlot;
  /** INSERT/UPDATE: the new version. DELETE/LOCK: the version whose xmax we set. */
  readonly version: Version;
  /**
   * UPDATE/DELETE of a row this transaction had locked (FOR UPDATE): the lock's cmax, so undo
   * (ROLLBACK TO a savepoint after the lock) restores the lock instead of dropping it; else -1.
   */
  readonly priorLockCmax: number;

  constructor(kind: WriteKindValue, table: TableStore, slot: RowSlot, version: Version, priorLockCmax = -1) {
    this.kind = kind;
    this.table = table;
    this.slot = slot;
    this.version = version;
    this.priorLockCmax = priorLockCmax;
  }
}

/** What a transaction read, for SERIALIZABLE validation at commit (OCC-style backward check). */
export class ReadSet {
  readonly scannedTables = new Set<TableStore>();
  readonly slots = new Set<RowSlot>();
  /** Index lookups as `${indexOid}:${key}`; resolved to runtime indexes at commit. */
  readonly keys = new Set<string>();
}

/** What a committed transaction changed, kept while a serializable transaction may need it. */
export class WriteSet {
  readonly tables = new Set<TableStore>();
  readonly slots = new Set<RowSlot>();
  /**
   * Keys (as `String(key)`) that inserted versions, or updates that changed a key, added to each
   * index: what a reader's index lookup that found nothing would now find (a phantom).
   */
  readonly keys = new Map<RowIndex, Set<string>>();
}

export class Snapshot {
  /** Highest commit sequence number visible. */
  readonly seq: number;
  /** The transaction reading (its own writes are visible by command id). */
  readonly txn: Txn;
  /** Writes of `txn` with a command id below this are visible. */
  readonly cmdId: number;

  constructor(seq: number, txn: Txn, cmdId: number) {
    this.seq = seq;
    this.txn = txn;
    this.cmdId = cmdId;
  }
}

/**
 * The write log and table list of a transaction that has written nothing: shared and frozen
 * (log() and addWrittenTable() replace them on the first write), so a read-only statement's
 * transaction allocates neither. Every other writer of those arrays checks for entries first.
 */
export const NO_WRITES = Object.freeze([]) as unknown as WriteEntry[];
const NO_TABLES = Object.freeze([]) as unknown as TableStore[];

export class Txn {
  readonly id: number;
  readonly isolation: IsolationLevel;
  /** Mutable only through SET TRANSACTION READ ONLY / READ WRITE (before the first query). */
  readOnly: boolean;
  state: TxnStateValue = TxnState.ACTIVE;
  commitSeq = 0;
  /** Wall-clock commit time in µs (for AS OF TIMESTAMP and commit timestamps). */
  commitMicros = 0;
  /** Transaction start time in µs: now() / CURRENT_TIMESTAMP. */
  readonly startMicros: number;
  /** Snapshot seq for REPEATABLE READ / SERIALIZABLE, fixed by the first statement; -1 until then. */
  snapshotSeq = -1;
  /**
   * Highest commit seq any of its statement snapshots showed: a read-only commit is acknowledged
   * only once that commit is durable (src/txn/txn-manager.ts).
   */
  seenSeq = 0;
  /** Command id of the statement running now; bumped per statement (and by CommandCounterIncrement). */
  cmdId = 0;
  /** The write log; handed to GC at commit (src/txn/txn-manager.ts scheduleGc). */
  writes: WriteEntry[] = NO_WRITES;
  /** Present for SERIALIZABLE transactions only. */
  readonly reads: ReadSet | null;
  /** Filled at commit when some serializable transaction may need to validate against it. */
  writeSet: WriteSet | null = null;
  /** The transaction this one waits for (deadlock detection walks these). */
  waitingFor: Txn | null = null;
  /** Slot in the manager's list of running transactions; -1 once finished. */
  activeIndex = -1;
  /** True once the transaction changed the catalog (DDL). */
  catalogChanged = false;
  /** Tables this transaction has written (table-level write/DDL exclusion). */
  writtenTables: TableStore[] = NO_TABLES;
  /**
   * Whether the write log did nothing but insert, and into which tables (the first, then any
   * others; no array for the one table of most transactions): a long log of inserts alone is
   * handed to GC without being read again (GcQueue.addInserts).
   */
  onlyInserts = true;
  private insertedFirst: TableStore | null = null;
  private insertedMore: TableStore[] | null = null;
  // Created on first wait only: most transactions are never waited for, and a Promise per
  // transaction is measurable on the single-row statement path.
  private donePromise: Promise<void> | null = null;
  private resolveDone: (() => void) | null = null;

  constructor(id: number, isolation: IsolationLevel, readOnly: boolean, startMicros: number) {
    this.id = id;
    this.isolation = isolation;
    this.readOnly = readOnly;
    this.startMicros = startMicros;
    this.reads = isolation === 'serializable' ? new ReadSet() : null;
  }

  addWrittenTable(table: TableStore): void {
    const tables = this.writtenTables;
    // The first table gets a one-element array: a first push would allocate room for 17, and
    // most transactions write one table.
    if (tables.length === 0) this.writtenTables = [table];
    else if (!tables.includes(table)) tables.push(table);
  }

  /** Appends to the write log (the first entry as a one-element array, as addWrittenTable). */
  log(entry: WriteEntry): void {
    const writes = this.writes;
    if (writes.length === 0) this.writes = [entry];
    else writes.push(entry);
    if (entry.kind !== WriteKind.INSERT) {
      this.onlyInserts = false;
    } else {
      const table = entry.table;
      if (this.insertedFirst === null) this.insertedFirst = table;
      else if (table !== this.insertedFirst) {
        const more = this.insertedMore ??= [];
        if (!more.includes(table)) more.push(table);
      }
    }
  }

  /** The tables the write log inserted into (see onlyInserts). */
  get insertedTables(): TableStore[] {
    const first = this.insertedFirst;
    if (first === null) return [];
    return this.insertedMore === null ? [first] : [first, ...this.insertedMore];
  }

  /**
   * Drops what a committed transaction no longer needs but could keep alive: the rows of a long
   * log of inserts keep pointing at their transaction until something freezes them (GcQueue.
   * addInserts), and through it at every table it wrote, dropped ones included.
   */
  releaseTables(): void {
    this.writtenTables = NO_TABLES;
    this.insertedFirst = null;
    this.insertedMore = null;
  }

  /** Resolves when the transaction ends (commit or abort); waiters await it. */
  get done(): Promise<void> {
    if (this.donePromise === null) {
      this.donePromise = this.isActive
        ? new Promise<void>((resolve) => { this.resolveDone = resolve; })
        : Promise.resolve();
    }
    return this.donePromise;
  }

  /** True once another transaction has waited for this one (it holds something wanted). */
  get hasWaiters(): boolean {
    return this.donePromise !== null;
  }

  get isActive(): boolean {
    return this.state === TxnState.ACTIVE || this.state === TxnState.COMMITTING;
  }

  /** Called once by the transaction manager when the transaction ends. */
  finish(state: typeof TxnState.COMMITTED | typeof TxnState.ABORTED): void {
    this.state = state;
    this.waitingFor = null;
    if (this.resolveDone !== null) {
      this.resolveDone();
      this.resolveDone = null;
    }
  }
}

/**
 * The transaction that owns every version loaded from a checkpoint or already older than every
 * snapshot: committed at seq 0, so visible to all. Versions are "frozen" to it so finished Txn
 * objects can be garbage-collected.
 */
export const FROZEN_TXN: Txn = (() => {
  const t = new Txn(0, 'read committed', true, 0);
  // Any non-zero seq below every snapshot's makes frozen versions visible to all.
  t.commitSeq = -1;
  t.finish(TxnState.COMMITTED);
  return t;
})();
