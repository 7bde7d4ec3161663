/**
 * Checkpoints: a consistent image of the database at commit seq S, so recovery replays only the
 * WAL after S and older segments can be deleted.
 *
 * File `checkpoint-<S, 16 digits>` (written as `.tmp`, fsynced, renamed, directory fsynced):
 *   8 bytes magic "OXICKPT1", then framed records (record.ts):
 *   META  (u8 1, string JSON CheckpointMeta)                                  exactly one, first
 *   ROWS  (u8 2, varuint storageId, varuint nSlots, per slot: varuint rowId, varuint nVersions,
 *          per version newest first: varuint xminSeq (0 = frozen), varuint xmaxSeq (0 = none), row)
 *   END   (u8 3, varuint recordCount, varuint S)                              exactly one, last
 *
 * Consistency without stopping writers: the writer pins `retainFrom` (the GC horizon at the start,
 * <= S) so no version a snapshot in [retainFrom, S] can see is collected while it walks the
 * tables in chunks, yielding to the event loop between chunks. A version is written when its
 * creator committed at or before S; its end (xmax) only when that committed at or before S.
 * Versions dead at retainFrom are dropped, creators at or before retainFrom are frozen.
 *
 * Invariants:
 *  1. A checkpoint file without `.tmp` is complete: it was fsynced before the rename.
 *  2. Loading verifies every CRC and the END record; any mismatch is XX001 naming file and offset.
 *  3. Each synchronous chunk handles at most CHUNK_SLOTS slots (bounds the writer pause).
 */
import { DbError, assert } from '../errors/index.ts';
import type { Env } from '../env/index.ts';
import { FROZEN_TXN, Txn, TxnState } from '../txn/txn.ts';
import type { TableStore } from '../storage/table-store.ts';
import { newVersion, type RowSlot, type Version } from '../storage/version.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';
import { RECORD_HEADER_BYTES, scanRecords, writeFrame } from './record.ts';
import { decodeRow, encodeRow } from './value-codec.ts';
import type { CatalogImage } from './catalog-image.ts';

export const CHECKPOINT_MAGIC = 'OXICKPT1';
const CHUNK_SLOTS = 2000;
const REC_META = 1;
const REC_ROWS = 2;
const REC_END = 3;

export interface CheckpointMeta {
  readonly seq: number;
  readonly retainFrom: number;
  readonly nextXid: number;
  readonly nextStorageId: number;
  readonly retentionMicros: number;
  readonly createdMicros: number;
  /** [seq, xid, micros] of retained commits with seq >= retainFrom. */
  readonly history: [number, number, number][];
  readonly catalog: CatalogImage;
}

export function checkpointName(seq: number): string {
  return 'checkpoint-' + String(seq).padStart(16, '0');
}

export function parseCheckpointName(name: string): number | null {
  const m = /^checkpoint-(\d{16})$/.exec(name);
  return m ? Number(m[1]) : null;
}

export interface CheckpointStats {
  readonly path: string;
  readonly bytes: number;
  readonly rows: number;
  /** Longest synchronous stretch (ms): how long writers could be blocked. */
  readonly longestPauseMs: number;
}

/** Sequence number of the committer, or -1 when `t` did not commit at or before `seq`. */
function committedSeq(t: Txn, seq: number): number {
  if (t === FROZEN_TXN) return 0;
  if (t.state !== TxnState.COMMITTED || t.commitSeq > seq) return -1;
  return t.commitSeq;
}

function encodeSlot(w: ByteWriter, slot: RowSlot, seq: number, retainFrom: number): boolean {
  const chain: { xs: number; xm: number; values: unknown[] }[] = [];
  for (let v = slot.head; v !== null; v = v.prev) {
    const xs = committedSeq(v.xmin, seq);
    if (xs < 0) continue;
    let xm = 0;
    if (v.xmax !== null && !v.lockOnly) xm = Math.max(0, committedSeq(v.xmax, seq));
    if (xm > 0 && xm <= retainFrom) break;
    const frozen = xs <= retainFrom;
    chain.push({ xs: frozen ? 0 : xs, xm, values: v.values });
    if (frozen) break;
  }
  if (chain.length === 0) return false;
  w.varuint(slot.rowId);
  w.varuint(chain.length);
  for (const c of chain) {
    w.varuint(c.xs);
    w.varuint(c.xm);
    encodeRow(w, c.values);
  }
  return true;
}

/** A packed row (storage/packed-chunk.ts): frozen, live, one version, as encodeSlot writes it. */
function encodePackedRow(w: ByteWriter, rowId: number, values: unknown[]): void {
  w.varuint(rowId);
  w.varuint(1);
  w.varuint(0);
  w.varuint(0);
  encodeRow(w, values);
}

/** Writes a checkpoint into `dir` atomically; yields between chunks. */
export async function writeCheckpoint(
  env: Env, dir: string, meta: CheckpointMeta, tables: readonly TableStore[],
): Promise<CheckpointStats> {
  const fs = env.fs;
  const finalPath = `${dir}/${checkpointName(meta.seq)}`;
  const tmpPath = `${finalPath}.tmp`;
  const fh = await fs.open(tmpPath, 'w');
  let offset = 0;
  let records = 0;
  let rows = 0;
  let longestPauseMs = 0;
  const put = async (bytes: Uint8Array): Promise<void> => {
    let done = 0;
    while (done < bytes.length) done += await fh.write(bytes, done, bytes.length - done, offset + done);
    offset += bytes.length;
  };
  const frame = (w: ByteWriter): Uint8Array => {
    const payload = w.finish();
    const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
    writeFrame(out, 0, payload);
    records++;
    return out;
  };
  try {
    await put(new TextEncoder().encode(CHECKPOINT_MAGIC));
    const mw = new ByteWriter(1024);
    mw.u8(REC_META);
    mw.string(JSON.stringify(meta));
    await put(frame(mw));
    const rowsRecord = (storageId: number, fill: (w: ByteWriter) => number): Uint8Array => {
      const w = new ByteWriter(64 * 1024);
      w.u8(REC_ROWS);
      w.varuint(storageId);
      const countAt = w.length;
      w.u32(0);
      const n = fill(w);
      w.view.setUint32(countAt, n, true);
      rows += n;
      return frame(w);
    };
    for (const table of tables) {
      // Both taken at once, before any yield: vacuum may compact, pack or (a writer) unpack rows
      // between chunks, and rows must be in neither copy twice nor missing from both. Packed
      // chunks never change (the list is replaced), and a slot packed after the copy still holds
      // its row. Slots added later belong to transactions that commit after S, so the copy misses
      // nothing the image needs. Every packed row precedes every slot in row-id order.
      const chunks = table.packed;
      const slots = table.hot.slice();
      for (const chunk of chunks) {
        const t0 = env.clock.monotonicMs();
        const framed = rowsRecord(table.storageId, (w) => {
          for (let i = 0; i < chunk.length; i++) encodePackedRow(w, chunk.rowIdAt(i), chunk.row(i));
          return chunk.length;
        });
        longestPauseMs = Math.max(longestPauseMs, env.clock.monotonicMs() - t0);
        await put(framed);
        await new Promise<void>((resolve) => env.timers.nextTurn(resolve));
      }
      let at = 0;
      while (true) {
        const t0 = env.clock.monotonicMs();
        const end = Math.min(slots.length, at + CHUNK_SLOTS);
        const framed = rowsRecord(table.storageId, (w) => {
          let n = 0;
          for (let i = at; i < end; i++) if (encodeSlot(w, slots[i]!, meta.seq, meta.retainFrom)) n++;
          return n;
        });
        at = end;
        longestPauseMs = Math.max(longestPauseMs, env.clock.monotonicMs() - t0);
        await put(framed);
        if (at >= slots.length) break;
        await new Promise<void>((resolve) => env.timers.nextTurn(resolve));
      }
    }
    const ew = new ByteWriter(32);
    ew.u8(REC_END);
    ew.varuint(records + 1);
    ew.varuint(meta.seq);
    await put(frame(ew));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmpPath, finalPath);
  await fs.syncDir(dir);
  return { path: finalPath, bytes: offset, rows, longestPauseMs };
}

export interface LoadedCheckpoint {
  readonly meta: CheckpointMeta;
  /** Row chains per storage id, ready to restore. */
  readonly tables: Map<number, { rowId: number; head: Version }[]>;
  /** Retained transactions by commit seq (creators of non-frozen versions). */
  readonly txns: Map<number, Txn>;
}

function corrupt(file: string, offset: number, why: string): DbError {
  return new DbError('data_corrupted', `checkpoint file "${file}" is corrupt at byte offset ${offset}: ${why}`,
    { hint: 'Restore the data directory from a backup.' });
}

/** A retained committed transaction rebuilt from history (for version xmin/xmax). */
export function historicTxn(seq: number, xid: number, micros: number): Txn {
  const t = new Txn(xid, 'read committed', false, micros);
  t.commitSeq = seq;
  t.commitMicros = micros;
  t.finish(TxnState.COMMITTED);
  return t;
}

/** Reads and verifies a checkpoint file. */
export async function loadCheckpoint(env: Env, path: string, file: string): Promise<LoadedCheckpoint> {
  const buf = await env.fs.readFile(path);
  const magic = new TextDecoder().decode(buf.subarray(0, CHECKPOINT_MAGIC.length));
  if (magic !== CHECKPOINT_MAGIC) throw corrupt(file, 0, 'bad magic');
  const scan = scanRecords(buf, CHECKPOINT_MAGIC.length);
  if (scan.problem !== null) throw corrupt(file, scan.validEnd, scan.problem);
  const recs = scan.records;
  if (recs.length < 2) throw corrupt(file, scan.validEnd, 'missing records');
  let meta: CheckpointMeta | null = null;
  const tables = new Map<number, { rowId: number; head: Version }[]>();
  const txns = new Map<number, Txn>();
  let sawEnd = false;
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    try {
      const r = new ByteReader(buf, rec.start, rec.end);
      const type = r.u8();
      if (i === 0) {
        if (type !== REC_META) throw new CodecError('first record is not META');
        meta = JSON.parse(r.string()) as CheckpointMeta;
        for (const [seq, xid, micros] of meta.history) {
          if (seq > meta.retainFrom) txns.set(seq, historicTxn(seq, xid, micros));
        }
        continue;
      }
      assert(meta !== null, 'checkpoint META missing');
      if (type === REC_END) {
        const count = r.varuint();
        const seq = r.varuint();
        if (count !== recs.length || seq !== meta.seq || i !== recs.length - 1) {
          throw new CodecError('END record does not match the file');
        }
        sawEnd = true;
        continue;
      }
      if (type !== REC_ROWS) throw new CodecError(`unknown record type ${type}`);
      readRows(r, meta, txns, tables);
      if (!r.done) throw new CodecError('trailing bytes in ROWS record');
    } catch (e) {
      if (e instanceof DbError) throw e;
      throw corrupt(file, rec.offset, (e as Error).message);
    }
  }
  if (!sawEnd || meta === null) throw corrupt(file, scan.validEnd, 'missing END record');
  return { meta, tables, txns };
}

function readRows(
  r: ByteReader, meta: CheckpointMeta, txns: Map<number, Txn>,
  tables: Map<number, { rowId: number; head: Version }[]>,
): void {
  const storageId = r.varuint();
  const n = r.u32();
  let list = tables.get(storageId);
  if (list === undefined) tables.set(storageId, (list = []));
  const txnOf = (seq: number): Txn => {
    if (seq === 0) return FROZEN_TXN;
    const t = txns.get(seq);
    if (t === undefined) throw new CodecError(`version refers to commit ${seq} missing from the history`);
    return t;
  };
  for (let i = 0; i < n; i++) {
    const rowId = r.varuint();
    const nv = r.varuint();
    if (nv === 0 || nv > r.end - r.pos) throw new CodecError(`bad version count ${nv}`);
    const chain: { xs: number; xm: number; values: unknown[] }[] = [];
    for (let k = 0; k < nv; k++) {
      const xs = r.varuint();
      const xm = r.varuint();
      chain.push({ xs, xm, values: decodeRow(r) });
    }
    let prev: Version | null = null;
    for (let k = chain.length - 1; k >= 0; k--) {
      const c = chain[k]!;
      const v: Version = newVersion(c.values, txnOf(c.xs), 0, prev);
      if (c.xm > 0) v.xmax = txnOf(c.xm);
      prev = v;
    }
    list.push({ rowId, head: prev! });
  }
  void meta;
}
