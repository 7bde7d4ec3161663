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
 * - A slot is also a version, its row's first: when in the chain it is the oldest one. No chain
 *   holds a released version or one folded into its slot (chainShapeProblem checks both).
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
 * Versions and slots are instances of one class, allocated young like the row arrays they point
 * to. They were object literals, which V8 pretenures once they keep surviving: allocated straight
 * into the old generation, each one then stored pointers to a young row (and transaction), and
 * every such store went through the write barrier's remembered set. A random single-row UPDATE
 * spent about a quarter of its time on that one allocation (CPU profile); as class instances the
 * line disappears and the scavenger promotes the row's objects together.
 *
 * One class, because a slot doubles as its row's first version (see newInsertedSlot): a row that
 * is inserted and never updated costs one object instead of two, and a scan reaches its values in
 * one hop fewer. Sharing the hidden class keeps the version accesses on the scan path monomorphic.
 * A plain version leaves the slot fields unused (rowId -1, head null).
 */
class VersionRec implements Version, RowSlot {
  values: Row;
  xmin: Txn;
  cmin: number;
  xmax: Txn | null = null;
  cmax = 0;
  prev: Version | null;
  lockOnly = false;
  readonly rowId: number;
  head: Version | null;
  constructor(values: Row, xmin: Txn, cmin: number, prev: Version | null, rowId: number) {
    this.values = values;
    this.xmin = xmin;
    this.cmin = cmin;
    this.prev = prev;
    this.rowId = rowId;
    this.head = null;
  }
}

/** A new version. */
export function newVersion(values: Row, xmin: Txn, cmin: number, prev: Version | null): Version {
  return new VersionRec(values, xmin, cmin, prev, -1);
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

/** A slot whose chain is `head`; its own version fields stay unused. */
export function newRowSlot(rowId: number, head: Version): RowSlot {
  const slot = new VersionRec(RELEASED_ROW, FROZEN_TXN, 0, null, rowId);
  slot.head = head;
  return slot;
}

/** A new row: the slot is its own (first) version, `slot.head === slot`. */
export function newInsertedSlot(rowId: number, values: Row, xmin: Txn, cmin: number): RowSlot & Version {
  const slot = new VersionRec(values, xmin, cmin, null, rowId);
  slot.head = slot;
  return slot;
}

/**
 * A recovered row (src/wal): a chain of one version becomes a slot that is its own version, as
 * if inserted; a longer chain hangs off a slot whose own version stays unused.
 */
export function restoredSlot(rowId: number, head: Version): RowSlot {
  if (head.prev !== null) return newRowSlot(rowId, head);
  const slot = newInsertedSlot(rowId, head.values, head.xmin, head.cmin);
  slot.xmax = head.xmax;
  slot.cmax = head.cmax;
  slot.lockOnly = head.lockOnly;
  return slot;
}

/**
 * Makes `slot` its own only version again, holding what `v` holds; `v` must be the slot's one
 * remaining version, frozen, live and unlocked (vacuum after the versions before it were dropped,
 * or recovery replacing a row outright). An updated row so goes back to one object once nothing
 * can see its older versions. `v` is marked as folded: a statement that took it before the fold
 * (a RowRef) reaches the slot through resolveVersion.
 */
export function foldIntoSlot(slot: RowSlot, v: Version): void {
  const s = slot as VersionRec;
  if (s === v) return;
  s.values = v.values;
  s.xmin = FROZEN_TXN;
  s.cmin = 0;
  s.xmax = null;
  s.cmax = 0;
  s.prev = null;
  s.lockOnly = false;
  s.head = s;
  (v as VersionRec).head = s;
}

/** The version a writer should act on for `seen`: the slot it was folded into, if it was. */
export function resolveVersion(seen: Version): Version {
  const r = seen as VersionRec;
  return r.rowId < 0 && r.head !== null ? r.head : seen;
}

/**
 * What is wrong with the shape of `slot`'s chain, or null (wal/integrity.ts): no version in it
 * may be released or folded away, and the slot's own version can only be the oldest.
 */
export function chainShapeProblem(slot: RowSlot): string | null {
  for (let v = slot.head as VersionRec | null; v !== null; v = v.prev as VersionRec | null) {
    if (v.values === RELEASED_ROW) return 'holds a released version';
    if (v.rowId < 0 && v.head !== null) return 'holds a version folded into its slot';
    if (v === slot && v.prev !== null) return "has versions older than the slot's own";
  }
  return null;
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
