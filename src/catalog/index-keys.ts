/**
 * Index keys: how a row becomes the key(s) an index stores.
 *
 * - `valuesOf(row)`: the key tuple (column values or evaluated key expressions), what a B-tree
 *   orders by;
 * - `entryOf(row)`: the hashable *entry key* the store maintains entries under. Every row the index
 *   covers has one, NULL parts included (so `IS NULL` and ordered scans see every row); null only
 *   when a partial index's predicate excludes the row;
 * - `ofRow(row)`: the *equality key* uniqueness checks and point lookups use: null when a key part
 *   is NULL (NULLs are distinct unless NULLS NOT DISTINCT) or the predicate excludes the row. When
 *   it is not null it equals `entryOf(row)`, so `lookup(ofRow(row))` finds the row's entries.
 *
 * Equal SQL values must give identical keys, so each part comes from the type's hashKeyFor;
 * composite keys length-prefix string parts so no two different tuples share a key.
 */
import { hashKeyFor } from '../types/compare.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { IndexKey } from '../storage/row-index.ts';
import type { Row } from '../storage/version.ts';

export interface IndexKeyCodec {
  /** Equality key of a stored row (indexed by attnum); null: not subject to lookups/uniqueness. */
  ofRow(row: Row): IndexKey | null;
  /** Equality key of key values in index order; null when one is NULL (and NULLs are distinct). */
  ofValues(values: readonly unknown[]): IndexKey | null;
  /** Entry key of a stored row: NULL parts encoded; null only when the row is not covered. */
  entryOf(row: Row): IndexKey | null;
  /** The key tuple of a stored row, in index order. */
  valuesOf(row: Row): unknown[];
}

/** Reads one key part from a stored row: a column (by attnum) or an evaluated expression. */
export type KeyPartFn = (row: Row) => unknown;

type Part = (v: unknown) => string | number | boolean | bigint;

/** The entry key of a single-column NULL (and the equality key under NULLS NOT DISTINCT). */
export const NULL_KEY = '\u0000null';

/**
 * Row versions written before ALTER COLUMN TYPE keep values of the old type; re-indexing them with
 * the new type's key function (the store indexes every version) must not throw. Such versions are
 * dead to the new catalog, so they all get one key no live value of the new type produces.
 */
const STALE_KEY = '\u0000stale-type';

function tolerant(p: Part): Part {
  return (v) => {
    try {
      return p(v);
    } catch {
      return STALE_KEY;
    }
  };
}

/** A key part reading column `attnum`, or its `missing` value for rows stored before it existed. */
export function columnPart(attnum: number, missing: unknown): KeyPartFn {
  const miss = missing ?? null;
  return (row) => (attnum < row.length ? (row[attnum] ?? null) : miss);
}

/** Codec over plain columns (the common case; constraints' indexes). */
export function indexKeyCodec(
  attnums: readonly number[], types: readonly SqlType[], missing: readonly unknown[],
  nullsNotDistinct = false,
): IndexKeyCodec {
  return keyCodec(attnums.map((a, i) => columnPart(a, missing[i])), types, nullsNotDistinct, null);
}

/**
 * Codec over arbitrary key parts. `covers(row)` is a partial index's predicate (null: every row);
 * it only sees rows whose parts evaluate without error.
 */
export function keyCodec(
  partFns: readonly KeyPartFn[], types: readonly SqlType[], nullsNotDistinct: boolean,
  covers: ((row: Row) => boolean) | null,
): IndexKeyCodec {
  const hashParts: Part[] = types.map((t) => tolerant(hashKeyFor(t) as Part));
  const n = partFns.length;
  const valuesOf = (row: Row): unknown[] => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = partFns[i]!(row);
    return out;
  };
  if (n === 1 && covers === null) {
    const get = partFns[0]!;
    const p = hashParts[0]!;
    const eq = (v: unknown): IndexKey | null => (v === null ? (nullsNotDistinct ? NULL_KEY : null) : p(v));
    return {
      ofRow: (row) => eq(get(row)),
      ofValues: (values) => eq(values[0] ?? null),
      entryOf(row) {
        const v = get(row);
        return v === null ? NULL_KEY : p(v);
      },
      valuesOf,
    };
  }
  /** Composite (or partial) key of a tuple; `nullsOk` false: null when a part is NULL. */
  const compose = (vals: readonly unknown[], nullsOk: boolean): IndexKey | null => {
    if (n === 1) {
      const v = vals[0] ?? null;
      if (v === null) return nullsOk ? NULL_KEY : null;
      return hashParts[0]!(v);
    }
    let key = '';
    for (let i = 0; i < n; i++) {
      const v = vals[i] ?? null;
      if (v === null) {
        if (!nullsOk) return null;
        key += 'N;';
        continue;
      }
      const k = hashParts[i]!(v);
      const s = typeof k === 'string' ? k : `${typeof k}:${String(k)}`;
      key += `${s.length}:${s};`;
    }
    return key;
  };
  return {
    ofRow(row) {
      if (covers !== null && !covers(row)) return null;
      return compose(valuesOf(row), nullsNotDistinct);
    },
    ofValues: (values) => compose(values, nullsNotDistinct),
    entryOf(row) {
      if (covers !== null && !covers(row)) return null;
      return compose(valuesOf(row), true);
    },
    valuesOf,
  };
}
