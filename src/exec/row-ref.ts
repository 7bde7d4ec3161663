/**
 * A reference to the stored version a scan produced, carried in a hidden trailing column of the
 * target scan of UPDATE / DELETE so the write knows which row (and which version of it) to change.
 */
import type { Row, RowSlot, Version } from '../storage/version.ts';

export class RowRef {
  readonly slot: RowSlot;
  readonly version: Version;

  constructor(slot: RowSlot, version: Version) {
    this.slot = slot;
    this.version = version;
  }
}

/**
 * The first `width` values of `row` followed by a RowRef to (slot, version), as one exact-size
 * array: a copy then a push would allocate twice (the push outgrows the copy). UPDATE and DELETE
 * build one per target row, and a big DELETE holds them all until it writes.
 */
export function withRowRef(row: Row, width: number, slot: RowSlot, version: Version): Row {
  const out: Row = new Array(width + 1);
  for (let i = 0; i < width; i++) out[i] = row[i];
  out[width] = new RowRef(slot, version);
  return out;
}
