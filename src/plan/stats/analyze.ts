/**
 * ANALYZE: gathers a table's planner statistics (src/storage/table-stats.ts) the way PostgreSQL's
 * analyze.c does, from a reservoir sample of the rows visible to a snapshot:
 *  - reltuples: every visible row is counted (the scan that samples sees them all anyway);
 *  - per column: null fraction, average width, n_distinct (the Haas-Stokes estimator PostgreSQL
 *    uses when the sample is not the whole table), the most common values with their
 *    frequencies, and an equi-depth histogram over the remaining values.
 * Sampling is Vitter's algorithm R over the visible rows with the Env's randomness, so a seeded
 * simulation gathers identical statistics.
 */
import type { ColumnDef, TableDef } from '../../catalog/objects.ts';
import type { Random } from '../../env/env.ts';
import type { Snapshot } from '../../txn/txn.ts';
import { comparatorFor, hashKeyFor, hasOrdering } from '../../types/compare.ts';
import { typeInfo } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';
import { visibleVersion } from '../../storage/version.ts';
import type { ColumnStats, TableStats } from '../../storage/table-stats.ts';

/** Rows sampled per table: PostgreSQL's 300 × default_statistics_target (100). */
export const SAMPLE_ROWS_MAX = 30_000;
/** Most common values and histogram buckets kept per column (default_statistics_target). */
export const STATS_TARGET = 100;

/** Which analysis ran: a manual ANALYZE or the automatic refresh after enough changes. */
export type AnalyzeKind = 'manual' | 'auto';

/** Reads every visible row once and keeps a uniform sample of at most SAMPLE_ROWS_MAX rows. */
function sampleRows(table: TableDef, snap: Snapshot, random: Random): { sample: Row[]; live: number } {
  const sample: Row[] = [];
  let live = 0;
  for (const slot of table.store.slots) {
    const v = visibleVersion(slot, snap);
    if (v === null) continue;
    live++;
    if (sample.length < SAMPLE_ROWS_MAX) {
      sample.push(v.values);
    } else {
      // Algorithm R: the live-th row replaces a random sampled one with probability max/live.
      const j = Math.floor(random.next() * live);
      if (j < SAMPLE_ROWS_MAX) sample[j] = v.values;
    }
  }
  return { sample, live };
}

/** Bytes a non-null value occupies (PostgreSQL's avg_width: varlena length with a 1-byte header). */
function widthOf(v: unknown, fixedLen: number): number {
  if (fixedLen > 0) return fixedLen;
  if (typeof v === 'string') return v.length + 1;
  if (v instanceof Uint8Array) return v.length + 1;
  if (typeof v === 'object' && v !== null) return 32;
  return 8;
}

/**
 * Haas-Stokes estimator (PostgreSQL analyze.c): n·d / (n − f1 + f1·n/N), where n rows were
 * sampled out of N, d distinct values seen and f1 of them seen exactly once.
 */
function estimateDistinct(sampled: number, total: number, distinct: number, singles: number): number {
  if (sampled >= total || singles === 0) return distinct;
  if (singles === distinct) return -1;
  const est = (sampled * distinct) / (sampled - singles + (singles * sampled) / total);
  return Math.min(total, Math.max(distinct, Math.round(est)));
}

/** Statistics of one column from the sample (`total` = live rows in the table). */
export function columnStats(col: ColumnDef, sample: readonly Row[], total: number): ColumnStats {
  const n = sample.length;
  const fixedLen = typeInfo(col.type.oid)?.len ?? -1;
  const values: unknown[] = [];
  let widthSum = 0;
  for (let i = 0; i < n; i++) {
    const row = sample[i]!;
    const v = col.attnum < row.length ? row[col.attnum] : col.missing;
    if (v === null || v === undefined) continue;
    values.push(v);
    widthSum += widthOf(v, fixedLen);
  }
  const nonNull = values.length;
  const nullFrac = n === 0 ? 0 : (n - nonNull) / n;
  const avgWidth = nonNull === 0 ? 0 : Math.round(widthSum / nonNull);
  const empty = { attnum: col.attnum, nullFrac, avgWidth, mcvValues: [], mcvFreqs: [], histogram: [] };
  if (nonNull === 0) return { ...empty, nDistinct: 0 };
  let key: (v: unknown) => unknown;
  try {
    key = hashKeyFor(col.type) as (v: unknown) => unknown;
  } catch {
    // No equality for the type (PostgreSQL skips such columns' MCVs too): widths and nulls only.
    return { ...empty, nDistinct: 0 };
  }
  // Group equal values: first value seen per key, and its count.
  const groups = new Map<unknown, { value: unknown; count: number }>();
  for (const v of values) {
    const k = key(v);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { value: v, count: 1 });
    else g.count++;
  }
  let singles = 0;
  for (const g of groups.values()) if (g.count === 1) singles++;
  const nonNullTotal = Math.max(1, Math.round(total * (nonNull / n)));
  let nDistinct = estimateDistinct(nonNull, nonNullTotal, groups.size, singles);
  // As PostgreSQL: a count above 10% of the rows is stored as a (negative) fraction, so it
  // scales as the table grows.
  if (nDistinct > 0 && nDistinct > 0.1 * total) nDistinct = -Math.min(1, nDistinct / Math.max(1, total));
  if (nDistinct === -1 && nullFrac > 0) nDistinct = -(1 - nullFrac);
  const { mcvValues, mcvFreqs, rest } = chooseMcvs(groups, n, nonNull, nDistinct > 0);
  const histogram = hasOrdering(col.type) ? histogramBounds(rest, comparatorFor(col.type)) : [];
  return { attnum: col.attnum, nullFrac, avgWidth, nDistinct, mcvValues, mcvFreqs, histogram };
}

/**
 * Most common values (PostgreSQL compute_scalar_stats): when every distinct value fits in the list
 * and n_distinct is a fixed count (values repeat, not a fraction of the rows), all of them;
 * otherwise the values seen at least twice and more often
 * than 1.25 × the average, at most STATS_TARGET. The other values go to the histogram.
 */
function chooseMcvs(
  groups: Map<unknown, { value: unknown; count: number }>, sampled: number, nonNull: number, fixedCount: boolean,
): { mcvValues: unknown[]; mcvFreqs: number[]; rest: { value: unknown; count: number }[] } {
  const all = [...groups.values()].sort((a, b) => b.count - a.count);
  let keep: number;
  if (all.length <= STATS_TARGET && fixedCount) {
    keep = all.length;
  } else {
    const avg = nonNull / all.length;
    const minCount = Math.max(2, avg * 1.25);
    keep = 0;
    while (keep < all.length && keep < STATS_TARGET && all[keep]!.count >= minCount) keep++;
  }
  // A column whose every value is unique has no MCVs (the histogram describes it).
  if (keep > 0 && all[0]!.count === 1) keep = 0;
  return {
    mcvValues: all.slice(0, keep).map((g) => g.value),
    mcvFreqs: all.slice(0, keep).map((g) => g.count / sampled),
    rest: all.slice(keep),
  };
}

/** Equi-depth bounds over the non-MCV values (each weighted by its count), at most TARGET+1. */
function histogramBounds(rest: readonly { value: unknown; count: number }[], cmp: (a: unknown, b: unknown) => number): unknown[] {
  if (rest.length < 2) return [];
  const sorted = [...rest].sort((a, b) => cmp(a.value, b.value));
  let count = 0;
  for (const g of sorted) count += g.count;
  const buckets = Math.min(STATS_TARGET, rest.length - 1);
  const bounds: unknown[] = [];
  let gi = 0;
  let seen = sorted[0]!.count;
  for (let b = 0; b <= buckets; b++) {
    // Position (0-based) of the b-th bound among the `count` sorted values.
    const pos = Math.floor((b * (count - 1)) / buckets);
    while (seen <= pos && gi < sorted.length - 1) { gi++; seen += sorted[gi]!.count; }
    const v = sorted[gi]!.value;
    if (bounds.length === 0 || cmp(bounds[bounds.length - 1], v) !== 0) bounds.push(v);
  }
  return bounds.length >= 2 ? bounds : [];
}

/**
 * Gathers fresh statistics for `table` as seen by `snap`. `columns` limits the columns analyzed
 * (ANALYZE t (a, b)); the other columns keep their previous statistics.
 */
export function analyzeTable(
  table: TableDef, snap: Snapshot, random: Random, nowMicros: number, kind: AnalyzeKind,
  columns: readonly ColumnDef[] | null = null,
): TableStats {
  const { sample, live } = sampleRows(table, snap, random);
  const prev = table.store.stats;
  const byAttnum = new Map<number, ColumnStats>();
  if (columns !== null && prev !== null) for (const [a, s] of prev.columns) byAttnum.set(a, s);
  for (const col of columns ?? table.columns) byAttnum.set(col.attnum, columnStats(col, sample, live));
  return {
    reltuples: live, sampledRows: sample.length, columns: byAttnum,
    lastAnalyzeMicros: kind === 'manual' ? nowMicros : prev?.lastAnalyzeMicros ?? null,
    lastAutoAnalyzeMicros: kind === 'auto' ? nowMicros : prev?.lastAutoAnalyzeMicros ?? null,
  };
}

/**
 * Auto-analyze threshold (PostgreSQL's autovacuum_analyze_threshold 50 +
 * autovacuum_analyze_scale_factor 0.1 × reltuples): a table is re-analyzed once this many rows
 * changed since its last analysis.
 */
export function needsAutoAnalyze(table: TableDef): boolean {
  const store = table.store;
  const base = store.stats?.reltuples ?? 0;
  return store.changesSinceAnalyze >= 50 + 0.1 * base;
}
