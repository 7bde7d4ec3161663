/**
 * Index keys: how the values of an index's key columns become one hashable key (a number,
 * string, boolean or bigint usable as a Map key). Equal SQL values must give identical keys, so
 * each column's part comes from the type's hashKeyFor; composite keys length-prefix string parts so
 * no two different tuples can produce the same key.
 */
import { hashKeyFor } from '../types/compare.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { IndexKey } from '../storage/row-index.ts';
import type { Row } from '../storage/version.ts';

export interface IndexKeyCodec {
  /** Key of a stored row (indexed by attnum); null when a key column is NULL (not indexed). */
  ofRow(row: Row): IndexKey | null;
  /** Key of key-column values in index order; null when one is NULL. */
  ofValues(values: readonly unknown[]): IndexKey | null;
}

type Part = (v: unknown) => string | number | boolean | bigint;

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

export function indexKeyCodec(
  attnums: readonly number[], types: readonly SqlType[], missing: readonly unknown[],
  nullsNotDistinct = false,
): IndexKeyCodec {
  const parts: Part[] = types.map((t) => tolerant(hashKeyFor(t) as Part));
  if (attnums.length === 1) {
    const a = attnums[0]!;
    const p = parts[0]!;
    const miss = missing[0] ?? null;
    return {
      ofRow(row) {
        const v = a < row.length ? row[a] : miss;
        if (v === null || v === undefined) return nullsNotDistinct ? '\u0000null' : null;
        return p(v);
      },
      ofValues(values) {
        const v = values[0];
        if (v === null || v === undefined) return nullsNotDistinct ? '\u0000null' : null;
        return p(v);
      },
    };
  }
  const compose = (get: (i: number) => unknown): IndexKey | null => {
    let key = '';
    for (let i = 0; i < parts.length; i++) {
      const v = get(i);
      if (v === null || v === undefined) {
        if (!nullsNotDistinct) return null;
        key += 'N;';
        continue;
      }
      const k = parts[i]!(v);
      const s = typeof k === 'string' ? k : `${typeof k}:${String(k)}`;
      key += `${s.length}:${s};`;
    }
    return key;
  };
  return {
    ofRow(row) {
      return compose((i) => {
        const a = attnums[i]!;
        return a < row.length ? row[a] : (missing[i] ?? null);
      });
    },
    ofValues(values) {
      return compose((i) => values[i]);
    },
  };
}
