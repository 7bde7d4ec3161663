/**
 * Durable databases: wires a Database to a data directory.
 *
 *   <dir>/LOCK                         pid of the process holding the directory (dir-lock.ts)
 *   <dir>/checkpoint-<S>               newest checkpoint (checkpoint.ts)
 *   <dir>/wal/000000001.log ...        write-ahead log segments (log-writer.ts, commit-record.ts)
 *
 * Open: lock → recover (src/wal/recovery.ts) → install the recovered catalog (index runtimes
 * rebuilt), rows and commit history → start a fresh WAL segment → attach as the CommitLog.
 * Commit: the transaction manager calls `logCommit` right after assigning the commit seq; the
 * record (net row changes, catalog image after DDL, sequence windows) is framed synchronously,
 * so the log order is the commit order, and the promise resolves per the sync mode. The commit
 * is published (visible, locks released) right after the append; only its acknowledgement waits
 * for the promise. A checkpoint may therefore contain commits whose records are not yet written:
 * the checkpoint itself makes them durable, and replay skips records at or below its seq.
 * Close: flush the log, write a final checkpoint, release the lock.
 *
 * Sequences (non-transactional): like PostgreSQL, a commit logs a sequence only when its value
 * left the last logged window, and then logs `value + 32 * increment`; recovery restores the
 * window end, so no value an acknowledged commit used is ever handed out again.
 *
 * Invariants:
 *  1. A commit is acknowledged only after `LogWriter.append` resolved (fsync in `full` mode), and
 *     so is a read-only transaction that saw it.
 *  2. A checkpoint at S uses the catalog committed at S (not a later, still-committing DDL's).
 *  3. After a log failure every commit fails (TxnManager.failed) and no checkpoint is written.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SequenceDef, SequenceState, TableDef } from '../catalog/objects.ts';
import type { Txn } from '../txn/txn.ts';
import type { CommitLog } from '../txn/txn-manager.ts';
import type { UniqueIndexInfo } from '../storage/table-store.ts';
import { encodeCatalog, type SequenceImage } from '../wal/catalog-image.ts';
import { encodeCommit, netChanges, type SequenceChange } from '../wal/commit-record.ts';
import { checkpointName, parseCheckpointName, writeCheckpoint, type CheckpointMeta, type CheckpointStats } from '../wal/checkpoint.ts';
import { DirLock } from '../wal/dir-lock.ts';
import { LogWriter, type SyncMode } from '../wal/log-writer.ts';
import { recover, type RecoveryResult } from '../wal/recovery.ts';
import { ByteWriter } from '../wal/byte-io.ts';
import { rebuildIndexDef } from './ddl/index-builder.ts';
import { describeKeyFor } from './ddl/ddl-context.ts';
import type { Database, DurabilityHook } from './database.ts';

export interface DurableOptions {
  readonly syncMode?: SyncMode;
  /** `normal` mode: fsync at most this often (ms). */
  readonly syncIntervalMs?: number;
  /** Start a background checkpoint after this many WAL bytes. */
  readonly checkpointEveryBytes?: number;
  readonly segmentBytes?: number;
  /** History retention for AS OF (ms); overrides what the directory recorded. */
  readonly historyRetentionMs?: number;
  /** Skip the final checkpoint on close (tests of WAL replay). */
  readonly checkpointOnClose?: boolean;
}

const SEQUENCE_LOG_AHEAD = 32n;

interface SeqWindow {
  readonly state: SequenceState;
  readonly from: bigint;
  readonly ahead: bigint;
  readonly isCalled: boolean;
}

export class DurableStore implements CommitLog, DurabilityHook {
  readonly db: Database;
  readonly dir: string;
  readonly writer: LogWriter;
  private readonly lock: DirLock;
  private readonly options: Required<Omit<DurableOptions, 'historyRetentionMs'>>;
  private readonly windows = new Map<number, SeqWindow>();
  private seqCacheCatalog: Catalog | null = null;
  private seqCache: SequenceDef[] = [];
  /** Catalogs committed at each seq, newest last; the first entry is at or before visibleSeq. */
  private catalogs: { seq: number; catalog: Catalog }[];
  private checkpointRunning: Promise<CheckpointStats | null> | null = null;
  lastCheckpoint: CheckpointStats | null = null;
  /** What the last checkpoint covered: a checkpoint that would cover the same is skipped by VACUUM. */
  private lastCovered: { seq: number; retainFrom: number } | null = null;
  longestCheckpointPauseMs = 0;
  readonly recovery: RecoveryResult;
  private closed = false;

  constructor(db: Database, dir: string, lock: DirLock, writer: LogWriter, options: DurableOptions, recovery: RecoveryResult) {
    this.db = db;
    this.dir = dir;
    this.lock = lock;
    this.writer = writer;
    this.recovery = recovery;
    this.options = {
      syncMode: options.syncMode ?? 'full', syncIntervalMs: options.syncIntervalMs ?? 200,
      checkpointEveryBytes: options.checkpointEveryBytes ?? 64 * 1024 * 1024,
      segmentBytes: options.segmentBytes ?? 16 * 1024 * 1024, checkpointOnClose: options.checkpointOnClose ?? true,
    };
    this.catalogs = [{ seq: db.txns.currentSeq, catalog: db.catalog }];
  }

  // ---- CommitLog ----

  logCommit(txn: Txn): Promise<void> {
    // Thrown, not rejected: the transaction manager then rolls the commit back (nothing logged).
    if (this.writer.failed) throw this.writer.failed;
    const db = this.db;
    let catalog = null;
    if (txn.catalogChanged) {
      catalog = { image: encodeCatalog(db.catalog, (s) => this.sequenceImage(s)), nextStorageId: db.storageIdNext };
      this.catalogs.push({ seq: txn.commitSeq, catalog: db.catalog });
    }
    const payload = encodeCommit({
      xid: txn.id, seq: txn.commitSeq, micros: txn.commitMicros, retentionMicros: db.txns.retentionMicros,
      catalog, sequences: this.changedSequences(), changes: netChanges(txn),
    }, new ByteWriter(512));
    const done = this.writer.append(payload, txn.commitSeq);
    if (this.writer.bytesSinceCheckpoint >= this.options.checkpointEveryBytes && this.checkpointRunning === null) {
      void this.checkpoint().catch((e: unknown) => this.db.env.log('error', `background checkpoint failed: ${String(e)}`));
    }
    return done;
  }

  // ---- sequences ----

  private sequences(): SequenceDef[] {
    const cat = this.db.catalog;
    if (this.seqCacheCatalog !== cat) {
      this.seqCache = [];
      for (const r of cat.byOid.values()) if (r.kind === 'sequence') this.seqCache.push(r);
      this.seqCacheCatalog = cat;
    }
    return this.seqCache;
  }

  private covered(def: SequenceDef): boolean {
    const w = this.windows.get(def.oid);
    const st = def.state;
    if (w === undefined || w.state !== st) return false;
    if (!w.isCalled) return !st.isCalled && st.last === w.from;
    if (!st.isCalled) return false;
    return def.increment > 0n ? st.last >= w.from && st.last <= w.ahead : st.last <= w.from && st.last >= w.ahead;
  }

  /** The durable image of a sequence: its current state rounded up to a logged window end. */
  private sequenceImage(def: SequenceDef): SequenceImage {
    if (!this.covered(def)) {
      const st = def.state;
      if (!st.isCalled) {
        this.windows.set(def.oid, { state: st, from: st.last, ahead: st.last, isCalled: false });
      } else {
        let ahead = st.last + SEQUENCE_LOG_AHEAD * def.increment;
        if (ahead > def.max) ahead = def.max;
        if (ahead < def.min) ahead = def.min;
        this.windows.set(def.oid, { state: st, from: st.last, ahead, isCalled: true });
      }
    }
    const w = this.windows.get(def.oid)!;
    return { last: w.ahead, isCalled: w.isCalled };
  }

  private changedSequences(): SequenceChange[] {
    const out: SequenceChange[] = [];
    for (const def of this.sequences()) {
      if (this.covered(def)) continue;
      const img = this.sequenceImage(def);
      out.push({ oid: def.oid, last: img.last, isCalled: img.isCalled });
    }
    return out;
  }

  // ---- checkpoints ----

  /** Writes a checkpoint (waits for a running one first). */
  /** BACKUP TO: a consistent copy of the database in `target` (see backupTo). */
  async backup(target: string): Promise<void> {
    await backupTo(this.db, target);
  }

  checkpoint(): Promise<void> {
    return this.runCheckpoint(false).then(() => undefined);
  }

  /**
   * VACUUM's checkpoint (it drops freed versions from disk): skipped when nothing was logged since
   * the last checkpoint and it would retain the same history, i.e. when it would write the same
   * file again (pgbench -i vacuums four tables in a row).
   */
  checkpointIfChanged(): Promise<void> {
    const last = this.lastCovered;
    const txns = this.db.txns;
    if (last !== null && this.writer.bytesSinceCheckpoint === 0 && last.seq === txns.currentSeq &&
      last.retainFrom === this.retainFrom(txns.currentSeq)) {
      return Promise.resolve();
    }
    return this.checkpoint();
  }

  private retainFrom(seq: number): number {
    const txns = this.db.txns;
    return Math.min(seq, Math.max(txns.durableState().collectedUpTo, txns.horizon()));
  }

  async runCheckpoint(final: boolean): Promise<CheckpointStats | null> {
    while (this.checkpointRunning !== null) await this.checkpointRunning.catch(() => null);
    if (this.writer.failed) throw this.writer.failed;
    const run = this.writeCheckpointNow(final);
    this.checkpointRunning = run;
    try {
      return await run;
    } finally {
      this.checkpointRunning = null;
    }
  }

  /** The catalog committed at `seq` (entries before it are pruned). */
  catalogAt(seq: number): Catalog {
    let pick = this.catalogs[0]!;
    let keepFrom = 0;
    for (let i = 0; i < this.catalogs.length; i++) {
      const e = this.catalogs[i]!;
      if (e.seq <= seq) { pick = e; keepFrom = i; }
    }
    this.catalogs = this.catalogs.slice(keepFrom);
    return pick.catalog;
  }

  private async writeCheckpointNow(final: boolean): Promise<CheckpointStats> {
    const db = this.db;
    const txns = db.txns;
    const seq = txns.currentSeq;
    const state = txns.durableState();
    const retainFrom = this.retainFrom(seq);
    const catalog = this.catalogAt(seq);
    txns.pin(retainFrom);
    try {
      this.writer.rotateForCheckpoint();
      const exact = (s: SequenceDef): SequenceImage => ({ last: s.state.last, isCalled: s.state.isCalled });
      const meta: CheckpointMeta = {
        seq, retainFrom, nextXid: state.nextXid, nextStorageId: db.storageIdNext,
        retentionMicros: txns.retentionMicros, createdMicros: db.env.clock.nowMicros(),
        history: state.history.filter((h) => h.seq >= retainFrom && h.seq <= seq).map((h) => [h.seq, h.xid, h.micros]),
        catalog: encodeCatalog(catalog, final ? exact : (s) => this.sequenceImage(s)),
      };
      this.writer.bytesSinceCheckpoint = 0;
      const tables = catalog.tables().filter((t) => t.persistence !== 'temp').map((t) => t.store);
      const stats = await writeCheckpoint(db.env, this.dir, meta, tables);
      this.lastCheckpoint = stats;
      this.lastCovered = { seq, retainFrom };
      this.longestCheckpointPauseMs = Math.max(this.longestCheckpointPauseMs, stats.longestPauseMs);
      const fs = db.env.fs;
      for (const name of await fs.readdir(this.dir)) {
        const s = parseCheckpointName(name);
        if (s !== null && s < seq) await fs.unlink(`${this.dir}/${name}`);
      }
      await fs.syncDir(this.dir);
      await this.writer.dropCoveredSegments(seq);
      return stats;
    } finally {
      txns.unpin(retainFrom);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      while (this.checkpointRunning !== null) await this.checkpointRunning.catch(() => null);
      if (!this.writer.failed) {
        await this.writer.flush();
        if (this.options.checkpointOnClose) await this.runCheckpoint(true);
      }
      await this.writer.close();
    } finally {
      this.db.txns.commitLog = null;
      await this.lock.release();
    }
  }
}

/** Rebuilds index runtimes for every table of a recovered catalog and attaches them. */
export function attachIndexes(catalog: Catalog): void {
  for (const table of catalog.tables()) {
    const indexes = table.indexes.map((i) => {
      const rel = catalog.byOid.get(i.oid);
      const rebuilt = rebuildIndexDef(catalog, table, i);
      return rel?.kind === 'index'
        ? { ...rebuilt, name: rel.name, schema: rel.schema, comment: rel.comment } : rebuilt;
    });
    const next: TableDef = { ...table, indexes };
    catalog.replaceRelation(table, next);
    for (const idx of indexes) {
      const old = catalog.byOid.get(idx.oid);
      if (old !== undefined) catalog.removeRelation(old);
      catalog.putRelation(idx);
    }
    const uniques: UniqueIndexInfo[] = indexes.filter((i) => i.unique).map((i) => ({
      index: i.runtime, constraintName: i.constraint ?? i.name, describe: describeKeyFor(next, i),
    }));
    table.store.setIndexes(indexes.map((i) => i.runtime), uniques);
  }
}

/** Opens (creating if needed) the data directory `dir` for `db`, recovering its contents. */
export async function openDurable(db: Database, dir: string, options: DurableOptions = {}): Promise<DurableStore> {
  const fs = db.env.fs;
  await fs.mkdir(dir, true);
  const lock = new DirLock(db.env, dir);
  await lock.acquire();
  try {
    if ((await fs.stat(`${dir}/wal`)) === null) {
      await fs.mkdir(`${dir}/wal`);
      await fs.syncDir(dir);
    }
    const retention = options.historyRetentionMs === undefined ? null : options.historyRetentionMs * 1000;
    const t0 = db.env.clock.monotonicMs();
    const result = await recover(db.env, dir, { retentionMicros: retention });
    if (result.catalog !== null) {
      attachIndexes(result.catalog);
      db.catalog = result.catalog;
    }
    db.storageIdNext = result.nextStorageId;
    db.txns.restoreDurableState(result.txnState, result.gc);
    db.txns.retentionMicros = result.retentionMicros;
    // Recovery restores rows as slots; the cold ones go back to packed form before any session
    // runs (no statement holds a slot yet).
    const horizon = db.txns.horizon();
    for (const t of db.catalog.tables()) t.store.packCold(horizon);
    const writer = new LogWriter(db.env, `${dir}/wal`, {
      syncMode: options.syncMode ?? 'full', syncIntervalMs: options.syncIntervalMs ?? 200,
      segmentBytes: options.segmentBytes ?? 16 * 1024 * 1024,
    });
    await writer.start(result.segments);
    const store = new DurableStore(db, dir, lock, writer, options, result);
    db.txns.commitLog = store;
    db.durability = store;
    if (result.replayedCommits > 0 || result.droppedBytes > 0) {
      db.env.log('info', `recovered ${dir}: checkpoint ${result.checkpointSeq}, ${result.replayedCommits} commits replayed in ` +
        `${(db.env.clock.monotonicMs() - t0).toFixed(0)} ms`);
    }
    return store;
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/**
 * Online backup: writes a consistent checkpoint of `db` into `target` (a new or empty directory),
 * which then opens as a normal database. Writers keep running meanwhile.
 */
export async function backupTo(db: Database, target: string): Promise<CheckpointStats> {
  const fs = db.env.fs;
  const existing = (await fs.stat(target)) === null ? [] : await fs.readdir(target);
  if (existing.length > 0) {
    throw new DbError('invalid_parameter_value', `backup target "${target}" is not empty`);
  }
  await fs.mkdir(`${target}/wal`, true);
  const txns = db.txns;
  const seq = txns.currentSeq;
  const state = txns.durableState();
  const retainFrom = Math.min(seq, Math.max(state.collectedUpTo, txns.horizon()));
  const durable = db.durability instanceof DurableStore ? db.durability : null;
  const catalog = durable !== null ? durable.catalogAt(seq) : db.catalog;
  txns.pin(retainFrom);
  try {
    const meta: CheckpointMeta = {
      seq, retainFrom, nextXid: state.nextXid, nextStorageId: db.storageIdNext,
      retentionMicros: txns.retentionMicros, createdMicros: db.env.clock.nowMicros(),
      history: state.history.filter((h) => h.seq >= retainFrom && h.seq <= seq).map((h) => [h.seq, h.xid, h.micros]),
      catalog: encodeCatalog(catalog, (s) => ({
        // Leave room: values handed out after the copy's seq must not be reissued by the copy.
        last: s.state.isCalled ? clampSeq(s, s.state.last + SEQUENCE_LOG_AHEAD * s.increment) : s.state.last,
        isCalled: s.state.isCalled,
      })),
    };
    const tables = catalog.tables().filter((t) => t.persistence !== 'temp').map((t) => t.store);
    const stats = await writeCheckpoint(db.env, target, meta, tables);
    await fs.syncDir(`${target}/wal`);
    return stats;
  } finally {
    txns.unpin(retainFrom);
  }
}

function clampSeq(s: SequenceDef, v: bigint): bigint {
  return v > s.max ? s.max : v < s.min ? s.min : v;
}

export { checkpointName };
