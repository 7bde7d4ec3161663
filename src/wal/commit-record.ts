/**
 * The WAL commit record: everything recovery needs to redo one committed transaction.
 *
 * Payload layout (after the record frame of record.ts):
 *   u8 type = 1 (COMMIT)
 *   varuint xid, varuint commitSeq, f64 commitMicros, f64 retentionMicros
 *   u8 flags (bit 0: catalog image present)
 *   [string catalog JSON: { image, nextStorageId }]          when flag bit 0
 *   varuint nSequences; per sequence: varuint oid, string last, u8 isCalled
 *   varuint nChanges; per change: varuint storageId, varuint rowId, u8 op, [row] (INSERT/UPDATE)
 *
 * Changes are the net effect per row: a row inserted and updated in one transaction is one INSERT
 * of its final values; a row inserted and deleted is nothing; row locks are not logged.
 *
 * Invariants:
 *  1. decodeCommit(encodeCommit(c)) deep-equals c.
 *  2. Only committed effects are encoded: the encoder reads each touched slot's head, which no
 *     other transaction can change while this one is COMMITTING (it still holds the row).
 */
import { assert } from '../errors/index.ts';
import { type Txn, WriteKind } from '../txn/txn.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { RowSlot } from '../storage/version.ts';
import { ByteReader, ByteWriter, CodecError } from './byte-io.ts';
import { decodeRow, encodeRow } from './value-codec.ts';
import type { CatalogImage } from './catalog-image.ts';

export const RecordType = { COMMIT: 1 } as const;
export const RowOp = { INSERT: 1, UPDATE: 2, DELETE: 3 } as const;
export type RowOpValue = (typeof RowOp)[keyof typeof RowOp];

export interface RowChange {
  readonly storageId: number;
  readonly rowId: number;
  readonly op: RowOpValue;
  readonly values: unknown[] | null;
}

export interface SequenceChange {
  readonly oid: number;
  readonly last: bigint;
  readonly isCalled: boolean;
}

export interface CatalogPayload {
  readonly image: CatalogImage;
  readonly nextStorageId: number;
}

export interface CommitRecord {
  readonly xid: number;
  readonly seq: number;
  readonly micros: number;
  readonly retentionMicros: number;
  readonly catalog: CatalogPayload | null;
  readonly sequences: readonly SequenceChange[];
  readonly changes: readonly RowChange[];
}

/** Net row changes of a committing transaction, in first-touch order. */
export function netChanges(txn: Txn): RowChange[] {
  const inserted = new Set<RowSlot>();
  const order: { table: TableStore; slot: RowSlot }[] = [];
  const seen = new Set<RowSlot>();
  for (const w of txn.writes) {
    if (w.kind === WriteKind.LOCK) continue;
    if (w.kind === WriteKind.INSERT) inserted.add(w.slot);
    if (!seen.has(w.slot)) {
      seen.add(w.slot);
      order.push({ table: w.table, slot: w.slot });
    }
  }
  const out: RowChange[] = [];
  for (const { table, slot } of order) {
    const head = slot.head;
    assert(head !== null, 'a committing transaction lost a row it wrote');
    const isNew = inserted.has(slot);
    if (head.xmax === txn && !head.lockOnly) {
      if (!isNew) out.push({ storageId: table.storageId, rowId: slot.rowId, op: RowOp.DELETE, values: null });
      continue;
    }
    if (head.xmin !== txn) continue; // only locked, or changes undone by a savepoint
    out.push({
      storageId: table.storageId, rowId: slot.rowId, op: isNew ? RowOp.INSERT : RowOp.UPDATE, values: head.values,
    });
  }
  return out;
}

export function encodeCommit(c: CommitRecord, w: ByteWriter = new ByteWriter(256)): Uint8Array {
  w.u8(RecordType.COMMIT);
  w.varuint(c.xid);
  w.varuint(c.seq);
  w.f64(c.micros);
  w.f64(c.retentionMicros);
  w.u8(c.catalog !== null ? 1 : 0);
  if (c.catalog !== null) w.string(JSON.stringify(c.catalog));
  w.varuint(c.sequences.length);
  for (const s of c.sequences) {
    w.varuint(s.oid);
    w.string(s.last.toString());
    w.u8(s.isCalled ? 1 : 0);
  }
  w.varuint(c.changes.length);
  for (const ch of c.changes) {
    w.varuint(ch.storageId);
    w.varuint(ch.rowId);
    w.u8(ch.op);
    if (ch.op !== RowOp.DELETE) encodeRow(w, ch.values!);
  }
  return w.finish();
}

export function decodeCommit(buf: Uint8Array, start: number, end: number): CommitRecord {
  const r = new ByteReader(buf, start, end);
  const type = r.u8();
  if (type !== RecordType.COMMIT) throw new CodecError(`unknown WAL record type ${type}`);
  const xid = r.varuint();
  const seq = r.varuint();
  const micros = r.f64();
  const retentionMicros = r.f64();
  const flags = r.u8();
  let catalog: CatalogPayload | null = null;
  if ((flags & 1) !== 0) {
    try {
      catalog = JSON.parse(r.string()) as CatalogPayload;
    } catch (e) {
      throw new CodecError(`bad catalog image: ${(e as Error).message}`);
    }
  }
  const nSeq = r.varuint();
  const sequences: SequenceChange[] = [];
  for (let i = 0; i < nSeq; i++) {
    const oid = r.varuint();
    const last = BigInt(r.string());
    sequences.push({ oid, last, isCalled: r.u8() === 1 });
  }
  const n = r.varuint();
  const changes: RowChange[] = [];
  for (let i = 0; i < n; i++) {
    const storageId = r.varuint();
    const rowId = r.varuint();
    const op = r.u8();
    if (op !== RowOp.INSERT && op !== RowOp.UPDATE && op !== RowOp.DELETE) {
      throw new CodecError(`unknown row op ${op}`);
    }
    const values = op === RowOp.DELETE ? null : decodeRow(r);
    changes.push({ storageId, rowId, op, values });
  }
  if (!r.done) throw new CodecError('trailing bytes in commit record');
  return { xid, seq, micros, retentionMicros, catalog, sequences, changes };
}
