/**
 * Row versions and version chains (the MVCC heart).
 *
 * A RowSlot is one logical row; `head` is its newest version and each version points to the one it
 * replaced (`prev`). A version is created by `xmin` (in command `cmin`) and ended by `xmax` (in
 * command `cmax`) when a newer version replaces it or the row is deleted.
 *
 * Invariants:
 * - Along a chain, versions are ordered newest first, and a version's `xmax` is the `xmin` of the
 *   version that replaced it (or the deleter when it is the head).
 * - Only the head may have an `xmax` without a newer version (a delete or a row lock).
 * - `head === null` means the slot is dead (its inserting transaction aborted, or vacuum freed it).
 */
import { FROZEN_TXN, type Snapshot, type Txn, TxnState } from '../txn/txn.ts';

export type Row = unknown[];

export interface Version {
  /** Column values by physical attribute number. May be shorter than the table (added columns). */
  readonly values: Row;
  xmin: Txn;
  readonly cmin: number;
  xmax: Txn | null;
  cmax: number;
  prev: Version | null;
  /** True when `xmax` only locks the row (SELECT ... FOR UPDATE) rather than deleting it. */
  lockOnly: boolean;
}

/**
 * Versions and slots are class instances, allocated young like the row arrays they point to.
 * They were object literals, which V8 pretenures once they keep surviving: allocated straight
 * into the old generation, each one then stored pointers to a young row (and transaction), and
 * every such store went through the write barrier's remembered set. A random single-row UPDATE
 * spent about a quarter of its time on that one allocation (CPU profile); as class instances the
 * line disappears and the scavenger promotes the row's objects together.
 */
class VersionRec implements Version {
  values: Row;
  xmin: Txn;
  cmin: number;
  xmax: Txn | null = null;
  cmax = 0;
  prev: Version | null;
  lockOnly = false;
  constructor(values: Row, xmin: Txn, cmin: number, prev: Version | null) {
    this.values = values;
    this.xmin = xmin;
    this.cmin = cmin;
    this.prev = prev;
  }
}

/** A new version. */
export function newVersion(values: Row, xmin: Txn, cmin: number, prev: Version | null): Version {
  return new VersionRec(values, xmin, cmin, prev);
}

/**
 * True when `t` committed at or before `horizon`: what it wrote is what every snapshot that can
 * still be taken sees, so vacuum (and a COUNT(*) walking the table) may freeze it.
 */
export function committedBy(t: Txn, horizon: number): boolean {
  return t.state === TxnState.COMMITTED && t.commitSeq !== 0 && t.commitSeq <= horizon;
}

/** What a released version holds instead of its row (see releaseVersion). */
const RELEASED_ROW: Row = Object.freeze([]) as unknown as Row;

/**
 * Drops the references of a version that vacuum has unlinked from its chain, once its index
 * entries are gone. No snapshot can reach it any more, but it may stay in memory until the next
 * full GC: versions live as long as their rows, so V8 allocates them in the old generation, and a
 * dead old object still holding young ones (its transactions, the row of a short-lived version)
 * keeps them alive through every minor GC, which then copies and promotes them. On an update-heavy
 * table that was most of the minor-GC work (6.6 MB surviving each scavenge, against 13-55 kB with
 * the references cleared).
 */
export function releaseVersion(v: Version): void {
  (v as { values: Row }).values = RELEASED_ROW;
  v.xmin = FROZEN_TXN;
  v.xmax = null;
  v.prev = null;
  v.lockOnly = false;
}

export interface RowSlot {
  /** Stable identity within its table (the ctid-like row id). */
  readonly rowId: number;
  head: Version | null;
}

class RowSlotRec implements RowSlot {
  readonly rowId: number;
  head: Version | null;
  constructor(rowId: number, head: Version) {
    this.rowId = rowId;
    this.head = head;
  }
}

export function newRowSlot(rowId: number, head: Version): RowSlot {
  return new RowSlotRec(rowId, head);
}

/** True when a version created by `t` in command `cmd` is visible to `snap`. */
function createdVisible(t: Txn, cmd: number, snap: Snapshot): boolean {
  if (t === snap.txn) return cmd < snap.cmdId;
  const seq = t.commitSeq;
  return seq !== 0 && seq <= snap.seq;
}

/**
 * The version of `slot` that `snap` sees, or null. Hot path: called for every row a scan visits,
 * so it allocates nothing and the common case (one committed version) takes two comparisons.
 */
export function visibleVersion(slot: RowSlot, snap: Snapshot): Version | null {
  let v = slot.head;
  while (v !== null) {
    if (createdVisible(v.xmin, v.cmin, snap)) {
      const x = v.xmax;
      if (x === null || v.lockOnly) return v;
      return createdVisible(x, v.cmax, snap) ? null : v;
    }
    v = v.prev;
  }
  return null;
}
