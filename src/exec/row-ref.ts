/**
 * A reference to the stored version a scan produced, carried in a hidden trailing column of the
 * target scan of UPDATE / DELETE so the write knows which row (and which version of it) to change.
 */
import type { RowSlot, Version } from '../storage/version.ts';

export class RowRef {
  readonly slot: RowSlot;
  readonly version: Version;

  constructor(slot: RowSlot, version: Version) {
    this.slot = slot;
    this.version = version;
  }
}
