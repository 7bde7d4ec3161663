/**
 * Recovery: rebuilds the committed state of a data directory from its newest checkpoint and the
 * WAL after it.
 *
 * State machine (one pass, run by `recover()` at open, under the directory lock):
 *
 *   LIST ──▶ LOAD_CHECKPOINT ──▶ SCAN_SEGMENT(i) ──▶ ... ──▶ DONE
 *     │        (newest checkpoint-<S>;    │  each record: verify CRC; seq <= S: skip;
 *     │         corrupt: XX001 + offset)  │  else decode and apply (applyCommit)
 *     │                                   ▼
 *     │                             BAD RECORD at (segment i, offset X)
 *     │                               ├─ a valid record follows in segment i or a later one:
 *     │                               │     MIDDLE corruption → XX001 naming file and offset
 *     │                               └─ nothing valid follows: TORN TAIL → truncate segment i
 *     │                                     at X, delete later segments, log what was dropped
 *     └─ no checkpoint and no segment: a fresh database.
 *
 * Applying a commit (applyCommit): the catalog image (if any) replaces the catalog, sequence
 * states are set, then row changes are applied. Commits older than the history-retention window
 * are applied "frozen" (newest version only, visible to all); commits inside it get a rebuilt
 * committed Txn so AS OF can see the versions as they were.
 *
 * Invariants:
 *  1. Commit seqs in the log strictly increase; a decrease is corruption.
 *  2. No partially written commit is applied: a record is applied only after its CRC matched.
 *  3. `.tmp` checkpoint files are ignored and deleted (an interrupted checkpoint).
 */
import { DbError } from '../errors/index.ts';
import type { Env } from '../env/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { SequenceState } from '../catalog/objects.ts';
import { TableStore } from '../storage/table-store.ts';
import { foldIntoSlot, newVersion, type RowSlot, type Version } from '../storage/version.ts';
import { FROZEN_TXN, type Txn } from '../txn/txn.ts';
import type { DurableTxnState } from '../txn/txn-manager.ts';
import { CodecError } from './byte-io.ts';
import { decodeCatalog, type CatalogImage } from './catalog-image.ts';
import { checkpointName, historicTxn, loadCheckpoint, parseCheckpointName } from './checkpoint.ts';
import { decodeCommit, RowOp, type CommitRecord } from './commit-record.ts';
import { findValidRecordAfter, scanRecords } from './record.ts';
import { parseSegmentName, segmentName, type SegmentInfo } from './log-writer.ts';

export interface RecoveryOptions {
  /** History retention to apply (µs); null: as recorded in the directory. */
  readonly retentionMicros: number | null;
}

export interface GcEntry {
  readonly seq: number;
  readonly slots: Map<TableStore, RowSlot[]>;
}

export interface RecoveryResult {
  /** Null for a fresh (empty) directory. */
  readonly catalog: Catalog | null;
  readonly stores: Map<number, TableStore>;
  readonly sequences: Map<number, SequenceState>;
  readonly txnState: DurableTxnState;
  readonly gc: GcEntry[];
  readonly nextStorageId: number;
  readonly retentionMicros: number;
  readonly segments: SegmentInfo[];
  readonly checkpointSeq: number;
  readonly replayedCommits: number;
  readonly droppedBytes: number;
}

class RecoveryState {
  catalog: Catalog | null = null;
  readonly stores = new Map<number, TableStore>();
  readonly slotsById = new Map<TableStore, Map<number, RowSlot>>();
  readonly sequences = new Map<number, SequenceState>();
  readonly txns = new Map<number, Txn>();
  history: { seq: number; xid: number; micros: number }[] = [];
  gc: GcEntry[] = [];
  collectedUpTo = 0;
  lastSeq = 0;
  nextXid = 1;
  nextStorageId = 1;
  retentionMicros = 0;
  /** Once one commit was applied with history, later ones are too (monotone window). */
  retaining = false;

  store(id: number): TableStore {
    let s = this.stores.get(id);
    if (s === undefined) {
      this.stores.set(id, (s = new TableStore(id)));
      this.slotsById.set(s, new Map());
    }
    if (id >= this.nextStorageId) this.nextStorageId = id + 1;
    return s;
  }

  installCatalog(image: CatalogImage): void {
    this.catalog = decodeCatalog(image, {
      store: (id) => this.store(id),
      sequenceState: (oid, st) => {
        let s = this.sequences.get(oid);
        if (s === undefined) this.sequences.set(oid, (s = new SequenceState(st.last)));
        s.last = st.last;
        s.isCalled = st.isCalled;
        return s;
      },
    });
  }
}

function corruptLog(file: string, offset: number, why: string): DbError {
  return new DbError('data_corrupted', `write-ahead log file "${file}" is corrupt at byte offset ${offset}: ${why}`,
    { hint: 'A valid record follows the damaged one, so this is not a torn tail. Restore from a backup.' });
}

export async function recover(env: Env, dir: string, options: RecoveryOptions): Promise<RecoveryResult> {
  const fs = env.fs;
  const walDir = `${dir}/wal`;
  const st = new RecoveryState();
  const names = await fs.readdir(dir);
  let ckptSeq = -1;
  for (const n of names) {
    if (n.startsWith('checkpoint-') && n.endsWith('.tmp')) {
      await fs.unlink(`${dir}/${n}`);
      continue;
    }
    const s = parseCheckpointName(n);
    if (s !== null && s > ckptSeq) ckptSeq = s;
  }
  if (ckptSeq >= 0) await loadCheckpointInto(env, dir, ckptSeq, st, options);
  if (options.retentionMicros !== null) st.retentionMicros = options.retentionMicros;
  const segNames = (await fs.stat(walDir)) === null ? [] : await fs.readdir(walDir);
  const segs = segNames.map(parseSegmentName).filter((n): n is number => n !== null).sort((a, b) => a - b);
  const segments: SegmentInfo[] = [];
  let replayed = 0;
  let dropped = 0;
  const nowMicros = env.clock.nowMicros();
  for (let i = 0; i < segs.length; i++) {
    const file = `wal/${segmentName(segs[i]!)}`;
    const buf = await fs.readFile(`${dir}/${file}`);
    const scan = scanRecords(buf);
    const info: SegmentInfo = { no: segs[i]!, maxSeq: 0 };
    for (const rec of scan.records) {
      let c: CommitRecord;
      try {
        c = decodeCommit(buf, rec.start, rec.end);
      } catch (e) {
        throw corruptLog(file, rec.offset, (e as CodecError).message);
      }
      info.maxSeq = Math.max(info.maxSeq, c.seq);
      if (c.seq <= st.lastSeq) {
        if (c.seq <= ckptSeq) continue;
        throw corruptLog(file, rec.offset, `commit seq ${c.seq} does not follow ${st.lastSeq}`);
      }
      try {
        applyCommit(st, c, nowMicros, options.retentionMicros === null);
      } catch (e) {
        if (e instanceof DbError) throw e;
        throw corruptLog(file, rec.offset, (e as Error).message);
      }
      replayed++;
    }
    segments.push(info);
    if (scan.problem === null) continue;
    if (i === segs.length - 1 && allZero(buf, scan.validEnd)) {
      // The newest segment's preallocated zeros (log-writer.ts): its clean end, not a torn tail.
      // Cut them off so that, once the writer starts the next segment, no older one has any.
      const fh = await fs.open(`${dir}/${file}`, 'r+');
      await fh.truncate(scan.validEnd);
      await fh.sync();
      await fh.close();
      break;
    }
    // A bad record: torn tail or corruption in the middle?
    const after = findValidRecordAfter(buf, scan.validEnd);
    if (after >= 0) throw corruptLog(file, scan.validEnd, scan.problem);
    for (let j = i + 1; j < segs.length; j++) {
      const later = await fs.readFile(`${walDir}/${segmentName(segs[j]!)}`);
      if (later.length > 0 && (scanRecords(later).records.length > 0 || findValidRecordAfter(later, -1) >= 0)) {
        throw corruptLog(file, scan.validEnd, `${scan.problem} (and segment ${segmentName(segs[j]!)} follows with valid records)`);
      }
    }
    const lost = buf.length - scan.validEnd;
    dropped += lost;
    env.log('warn', `recovery: dropped a torn tail of ${lost} bytes at byte offset ${scan.validEnd} of ${file} (${scan.problem})`);
    const fh = await fs.open(`${dir}/${file}`, 'r+');
    await fh.truncate(scan.validEnd);
    await fh.sync();
    await fh.close();
    for (let j = i + 1; j < segs.length; j++) {
      env.log('warn', `recovery: removed segment wal/${segmentName(segs[j]!)} after the torn tail`);
      await fs.unlink(`${walDir}/${segmentName(segs[j]!)}`);
    }
    await fs.syncDir(walDir);
    break;
  }
  if (st.catalog === null && ckptSeq < 0 && replayed === 0) {
    return {
      catalog: null, stores: st.stores, sequences: st.sequences, gc: [], nextStorageId: 1,
      txnState: { nextXid: 1, lastSeq: 0, visibleSeq: 0, collectedUpTo: 0, history: [] },
      retentionMicros: st.retentionMicros, segments, checkpointSeq: 0, replayedCommits: 0, droppedBytes: dropped,
    };
  }
  if (st.catalog === null) throw new DbError('data_corrupted', `no catalog found in ${dir} (log without a checkpoint or DDL)`);
  return {
    catalog: st.catalog, stores: st.stores, sequences: st.sequences, gc: st.gc, nextStorageId: st.nextStorageId,
    txnState: {
      nextXid: st.nextXid, lastSeq: st.lastSeq, visibleSeq: st.lastSeq,
      collectedUpTo: Math.min(st.collectedUpTo, st.lastSeq), history: st.history.filter((h) => h.seq >= st.collectedUpTo),
    },
    retentionMicros: st.retentionMicros, segments, checkpointSeq: Math.max(0, ckptSeq),
    replayedCommits: replayed, droppedBytes: dropped,
  };
}

async function loadCheckpointInto(
  env: Env, dir: string, seq: number, st: RecoveryState, options: RecoveryOptions,
): Promise<void> {
  const file = checkpointName(seq);
  const ck = await loadCheckpoint(env, `${dir}/${file}`, file);
  const m = ck.meta;
  st.retentionMicros = options.retentionMicros ?? m.retentionMicros;
  st.installCatalog(m.catalog);
  st.lastSeq = m.seq;
  st.nextXid = m.nextXid;
  st.nextStorageId = Math.max(st.nextStorageId, m.nextStorageId);
  st.collectedUpTo = m.retainFrom;
  st.history = m.history.filter((h) => h[0] >= m.retainFrom).map(([s, xid, micros]) => ({ seq: s, xid, micros }));
  for (const [s, t] of ck.txns) st.txns.set(s, t);
  const gcSlots = new Map<TableStore, RowSlot[]>();
  for (const [storageId, rows] of ck.tables) {
    const store = st.store(storageId);
    const byId = st.slotsById.get(store)!;
    const retained: RowSlot[] = [];
    for (const r of rows) {
      const slot = store.restoreSlot(r.rowId, r.head);
      byId.set(r.rowId, slot);
      if (r.head.xmin !== FROZEN_TXN || r.head.prev !== null) retained.push(slot);
    }
    if (retained.length > 0) gcSlots.set(store, retained);
  }
  if (gcSlots.size > 0) st.gc.push({ seq: m.seq, slots: gcSlots });
  st.retaining = ck.txns.size > 0;
}

function applyCommit(st: RecoveryState, c: CommitRecord, nowMicros: number, useRecordRetention: boolean): void {
  if (useRecordRetention) st.retentionMicros = c.retentionMicros;
  const cutoffMicros = nowMicros - st.retentionMicros;
  if (c.catalog !== null) {
    st.installCatalog(c.catalog.image);
    if (c.catalog.nextStorageId > st.nextStorageId) st.nextStorageId = c.catalog.nextStorageId;
  }
  for (const s of c.sequences) {
    const state = st.sequences.get(s.oid);
    if (state === undefined) continue; // dropped since
    state.last = s.last;
    state.isCalled = s.isCalled;
  }
  if (c.xid >= st.nextXid) st.nextXid = c.xid + 1;
  st.lastSeq = c.seq;
  const retain = st.retentionMicros > 0 && (st.retaining || c.micros >= cutoffMicros);
  if (!retain) {
    applyFrozen(st, c);
    st.collectedUpTo = c.seq;
    return;
  }
  st.retaining = true;
  const txn = historicTxn(c.seq, c.xid, c.micros);
  st.history.push({ seq: c.seq, xid: c.xid, micros: c.micros });
  const touched = new Map<TableStore, RowSlot[]>();
  for (const ch of c.changes) {
    const store = st.store(ch.storageId);
    const byId = st.slotsById.get(store)!;
    let slot: RowSlot | undefined;
    if (ch.op === RowOp.INSERT) {
      slot = store.restoreSlot(ch.rowId, newVersion(ch.values!, txn, 0, null));
      byId.set(ch.rowId, slot);
    } else {
      slot = byId.get(ch.rowId);
      if (slot === undefined || slot.head === null) throw new CodecError(`commit ${c.seq} changes missing row ${ch.rowId}`);
      if (ch.op === RowOp.UPDATE) {
        const v = newVersion(ch.values!, txn, 0, slot.head);
        slot.head.xmax = txn;
        slot.head = v;
      } else {
        slot.head.xmax = txn;
        store.rowEstimate--;
      }
    }
    let list = touched.get(store);
    if (list === undefined) touched.set(store, (list = []));
    list.push(slot);
  }
  if (touched.size > 0) st.gc.push({ seq: c.seq, slots: touched });
}

function applyFrozen(st: RecoveryState, c: CommitRecord): void {
  for (const ch of c.changes) {
    const store = st.store(ch.storageId);
    const byId = st.slotsById.get(store)!;
    if (ch.op === RowOp.INSERT) {
      byId.set(ch.rowId, store.restoreSlot(ch.rowId, newVersion(ch.values!, FROZEN_TXN, 0, null)));
      continue;
    }
    const slot = byId.get(ch.rowId);
    if (slot === undefined || slot.head === null) throw new CodecError(`commit ${c.seq} changes missing row ${ch.rowId}`);
    if (ch.op === RowOp.UPDATE) {
      foldIntoSlot(slot, newVersion(ch.values!, FROZEN_TXN, 0, null));
    } else {
      slot.head = null;
      byId.delete(ch.rowId);
      store.deadSlots++;
      store.rowEstimate--;
    }
  }
}

function allZero(buf: Uint8Array, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}
