/**
 * checkIntegrity(db): a full consistency check of committed data, run by tests after every
 * recovery (like sqlite3BtreeIntegrityCheck). Returns the problems found; empty means healthy.
 *
 * Checks, at the latest committed snapshot:
 *  1. Every index carries an entry for every live row with a non-null key (index ⊇ table).
 *  2. Unique indexes: no two live rows share a key.
 *  3. NOT NULL columns hold no NULL in live rows.
 *  4. CHECK constraints hold (evaluated through SQL: no row where the check is false).
 *  5. Foreign keys hold (every non-null referencing key exists in the referenced table).
 *  6. Version chains are well formed: newest first, only the head may be deleted, no released or
 *     folded version in them, the slot's own version only at the end (storage/version.ts).
 *  7. B-tree indexes are well formed (BTree.checkIntegrity) and hold at least one entry per live
 *     row they cover.
 */
import type { Database } from '../engine/database.ts';
import type { TableDef } from '../catalog/objects.ts';
import { chainShapeProblem, visibleVersion } from '../storage/version.ts';
import { VisibilityMap } from '../storage/visibility-map.ts';
import { BTreeIndex } from '../storage/btree-index.ts';
import type { Txn } from '../txn/txn.ts';

function quoteIdent(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

function qualified(t: TableDef): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

function checkNotNull(t: TableDef, values: readonly unknown[], rowId: number, problems: string[]): void {
  for (const c of t.columns) {
    const value = c.attnum < values.length ? values[c.attnum] : c.missing;
    if (c.notNull && (value === null || value === undefined)) problems.push(`${t.name}.${c.name}: NULL in NOT NULL column (row ${rowId})`);
  }
}

/** Packed rows (storage/packed-chunk.ts): chunk shapes, row-id order, and no index over them. */
function checkPacked(t: TableDef, problems: string[]): void {
  const store = t.store;
  if (store.packed.length === 0) return;
  if (store.indexes.length > 0) problems.push(`${t.name}: has packed rows and indexes`);
  let last = -1;
  let rows = 0;
  for (const chunk of store.packed) {
    const p = chunk.problem(VisibilityMap.chunkOf);
    if (p !== null) problems.push(`${t.name}: packed chunk at row ${chunk.firstRowId} ${p}`);
    if (chunk.firstRowId <= last) problems.push(`${t.name}: packed chunk at row ${chunk.firstRowId} is out of row-id order`);
    last = chunk.lastRowId;
    rows += chunk.length;
    for (let i = 0; i < chunk.length; i++) checkNotNull(t, chunk.row(i), chunk.rowIdAt(i), problems);
  }
  if (rows !== store.packedRows) problems.push(`${t.name}: counts ${store.packedRows} packed rows, holds ${rows}`);
  const first = store.hot[0];
  if (first !== undefined && first.rowId <= last) problems.push(`${t.name}: row ${first.rowId} has a slot but precedes packed rows`);
}

/** The tree's own invariants, and an entry count no smaller than the live rows it covers. */
function checkTree(t: TableDef, index: BTreeIndex, covered: number, problems: string[]): void {
  try {
    index.checkIntegrity();
  } catch (e) {
    problems.push(`${t.name}: index ${index.name}: ${(e as Error).message}`);
    return;
  }
  if (index.entries < covered) problems.push(`${t.name}: index ${index.name} holds ${index.entries} entries for ${covered} live rows`);
}

function checkStore(t: TableDef, db: Database, reader: Txn, problems: string[]): void {
  const snap = db.txns.snapshotAt(db.txns.currentSeq, reader);
  const uniqueSeen = t.store.indexes.filter((i) => i.unique).map(() => new Map<unknown, number>());
  const covered = t.store.indexes.map(() => 0);
  checkPacked(t, problems);
  for (const slot of t.store.hot) {
    for (let v = slot.head; v !== null && v.prev !== null; v = v.prev) {
      if (v.prev.xmax === null && !v.prev.lockOnly) problems.push(`${t.name}: row ${slot.rowId} has an older version that was never ended`);
    }
    const shape = chainShapeProblem(slot);
    if (shape !== null) problems.push(`${t.name}: row ${slot.rowId} ${shape}`);
    const v = visibleVersion(slot, snap);
    if (v === null) continue;
    checkNotNull(t, v.values, slot.rowId, problems);
    let u = 0;
    for (let x = 0; x < t.store.indexes.length; x++) {
      const index = t.store.indexes[x]!;
      if (index.entryOf(v.values) !== null) covered[x]!++;
      const key = index.keyOf(v.values);
      if (key === null) { if (index.unique) u++; continue; }
      const hit = index.lookup(key);
      const found = hit !== undefined && (Array.isArray(hit) ? (hit as unknown[]).includes(slot) : hit === slot);
      if (!found) problems.push(`${t.name}: index ${index.name} lacks the entry for row ${slot.rowId}`);
      if (index.unique) {
        const seen = uniqueSeen[u++]!;
        const other = seen.get(key);
        if (other !== undefined) problems.push(`${t.name}: unique index ${index.name} has a duplicate key (rows ${other} and ${slot.rowId})`);
        seen.set(key, slot.rowId);
      }
    }
  }
  t.store.indexes.forEach((index, x) => {
    if (index instanceof BTreeIndex) checkTree(t, index, covered[x]!, problems);
  });
}

export async function checkIntegrity(db: Database): Promise<string[]> {
  const problems: string[] = [];
  const session = db.newSession();
  try {
    const reader = db.txns.begin('read committed', true);
    try {
      for (const t of db.catalog.tables()) checkStore(t, db, reader, problems);
    } finally {
      db.txns.abort(reader);
    }
    for (const t of db.catalog.tables()) {
      for (const k of t.constraints) {
        if (k.type === 'c' && k.check !== null) {
          const r = await session.execute(`SELECT count(*) FROM ${qualified(t)} WHERE NOT (${k.check.text})`);
          const n = Number(r[0]?.rows?.[0]?.[0] ?? 0);
          if (n > 0) problems.push(`${t.name}: ${n} rows violate CHECK ${k.name}`);
        }
        if (k.type === 'f' && k.fk !== null) {
          const ref = db.catalog.byOid.get(k.fk.refTableOid);
          if (ref?.kind !== 'table') { problems.push(`${t.name}: FK ${k.name} references a missing table`); continue; }
          const col = (tab: TableDef, a: number): string => quoteIdent(tab.columns.find((c) => c.attnum === a)?.name ?? '?');
          const notNull = k.columns.map((a) => `c.${col(t, a)} IS NOT NULL`).join(' AND ');
          const match = k.columns.map((a, i) => `p.${col(ref, k.fk!.refColumns[i]!)} = c.${col(t, a)}`).join(' AND ');
          const r = await session.execute(`SELECT count(*) FROM ${qualified(t)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qualified(ref)} p WHERE ${match})`);
          const n = Number(r[0]?.rows?.[0]?.[0] ?? 0);
          if (n > 0) problems.push(`${t.name}: ${n} rows violate FOREIGN KEY ${k.name}`);
        }
      }
    }
  } finally {
    await session.close();
  }
  return problems;
}
