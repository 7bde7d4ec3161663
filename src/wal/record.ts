/**
 * Record framing shared by WAL segments and checkpoint files:
 *
 *     [len u32 LE][crc32c u32 LE][payload: len bytes]
 *
 * The CRC covers the four length bytes and the payload, so a flipped length is caught too.
 *
 * Invariants:
 *  1. 1 <= len <= RECORD_BYTES_MAX; a zero length is never written (zero-filled tails read as torn).
 *  2. `scanRecords` returns the valid records from the start of a buffer in order and, when it stops
 *     early, the offset of the first bad byte range and why; it never returns a record whose CRC
 *     does not match.
 *  3. `findValidRecordAfter` is how recovery tells a torn tail (nothing valid follows) from
 *     corruption in the middle (a valid record follows a bad one).
 */
import { crc32c, crc32cUpdate } from './crc32c.ts';

export const RECORD_HEADER_BYTES = 8;
/** One commit record or checkpoint chunk; bounded so a garbage length cannot allocate gigabytes. */
export const RECORD_BYTES_MAX = 256 * 1024 * 1024;

export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  writeFrame(out, 0, payload);
  return out;
}

/** Writes a framed record at `at` in `out` (which must have room). */
export function writeFrame(out: Uint8Array, at: number, payload: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(at, payload.length, true);
  out.set(payload, at + RECORD_HEADER_BYTES);
  const crc = crc32cUpdate(crc32c(out, at, at + 4), payload);
  view.setUint32(at + 4, crc, true);
}

export interface ScannedRecord {
  /** Offset of the record header in the buffer. */
  readonly offset: number;
  /** Byte range of the payload in the buffer. */
  readonly start: number;
  readonly end: number;
}

export interface ScanResult {
  readonly records: ScannedRecord[];
  /** Offset just past the last valid record (= buffer length when everything was valid). */
  readonly validEnd: number;
  /** Why scanning stopped before the end, or null. */
  readonly problem: string | null;
}

/** Checks the record at `at`; returns its end offset, or a reason it is not a valid record. */
export function checkRecordAt(buf: Uint8Array, at: number): number | string {
  if (buf.length - at < RECORD_HEADER_BYTES) return `incomplete record header (${buf.length - at} bytes)`;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = view.getUint32(at, true);
  if (len === 0) return 'zero record length';
  if (len > RECORD_BYTES_MAX) return `record length ${len} exceeds the limit`;
  if (at + RECORD_HEADER_BYTES + len > buf.length) {
    return `record of ${len} bytes extends past the end of the file`;
  }
  const stored = view.getUint32(at + 4, true);
  const crc = crc32cUpdate(crc32c(buf, at, at + 4), buf, at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + len);
  if (crc !== stored) return `checksum mismatch (stored ${hex(stored)}, computed ${hex(crc)})`;
  return at + RECORD_HEADER_BYTES + len;
}

export function scanRecords(buf: Uint8Array, start = 0): ScanResult {
  const records: ScannedRecord[] = [];
  let at = start;
  while (at < buf.length) {
    const end = checkRecordAt(buf, at);
    if (typeof end === 'string') return { records, validEnd: at, problem: end };
    records.push({ offset: at, start: at + RECORD_HEADER_BYTES, end });
    at = end;
  }
  return { records, validEnd: at, problem: null };
}

/** The offset of some valid record strictly after `from`, or -1. */
export function findValidRecordAfter(buf: Uint8Array, from: number): number {
  for (let at = from + 1; at + RECORD_HEADER_BYTES < buf.length; at++) {
    if (typeof checkRecordAt(buf, at) === 'number') return at;
  }
  return -1;
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
