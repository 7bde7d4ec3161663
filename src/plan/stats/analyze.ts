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
import { comparatorFor, hasOrdering, ordersByCodePoint } from '../../types/compare.ts';
import { typeInfo } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';
import { visibleVersion } from '../../storage/version.ts';
import type { ColumnStats, TableStats } from '../../storage/table-stats.ts';
import { allCodeUnitOrdered, ownedString } from '../../types/text.ts';
import { stringOrder } from '../../types/string-order.ts';

/** Rows sampled per table: PostgreSQL's 300 × default_statistics_target (100). */
export const SAMPLE_ROWS_MAX = 30_000;
/** Most common values and histogram buckets kept per column (default_statistics_target). */
export const STATS_TARGET = 100;

/** Which analysis ran: a manual ANALYZE or the automatic refresh after enough changes. */
export type AnalyzeKind = 'manual' | 'auto';

/** Reads every visible row once and keeps a uniform sample of at most SAMPLE_ROWS_MAX rows. */
function sampleRows(table: TableDef, snap: Snapshot, random: Random): { sample: Row[]; live: number } {
  const store = table.store;
  const slots = store.hot;
  // Sized once for the largest possible sample: grown by push, a 30,000-row sample is copied
  // some twenty times on its way up, each copy on fresh (page-faulting) memory.
  const sample: Row[] = new Array(Math.min(store.storedRows, SAMPLE_ROWS_MAX));
  let taken = 0;
  let live = 0;
  /** Algorithm R: the live-th row replaces a random sampled one with probability max/live. */
  const slotFor = (): number => {
    live++;
    if (taken < SAMPLE_ROWS_MAX) return taken++;
    const j = Math.floor(random.next() * live);
    return j < SAMPLE_ROWS_MAX ? j : -1;
  };
  // Packed rows are all visible; only the ones sampled are materialized.
  for (const chunk of store.packed) {
    for (let i = 0; i < chunk.length; i++) {
      const at = slotFor();
      if (at >= 0) sample[at] = chunk.row(i);
    }
  }
  for (let i = 0; i < slots.length; i++) {
    const v = visibleVersion(slots[i]!, snap);
    if (v === null) continue;
    const at = slotFor();
    if (at >= 0) sample[at] = v.values;
  }
  sample.length = taken;
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
  // Values go straight into a Float64Array while every one is a plain number (then sorted in
  // place, with no boxed copy), and into a generic array from the first one that is not.
  // Both are pre-sized: growing by push re-allocates (and, on fresh pages, faults in) each time.
  let nums: Float64Array | null = null;
  let values: unknown[] | null = null;
  let nonNull = 0;
  let widthSum = 0;
  for (let i = 0; i < n; i++) {
    const row = sample[i]!;
    const v = col.attnum < row.length ? row[col.attnum] : col.missing;
    if (v === null || v === undefined) continue;
    widthSum += widthOf(v, fixedLen);
    if (values === null) {
      if (typeof v === 'number') {
        (nums ??= new Float64Array(n))[nonNull++] = v;
        continue;
      }
      values = new Array<unknown>(n);
      for (let j = 0; j < nonNull; j++) values[j] = nums![j];
      nums = null;
    }
    values[nonNull++] = v;
  }
  const nullFrac = n === 0 ? 0 : (n - nonNull) / n;
  const avgWidth = nonNull === 0 ? 0 : Math.round(widthSum / nonNull);
  // No ordering for the type (PostgreSQL skips such columns' MCVs and histogram too; every type
  // with equality here also has an ordering): widths and nulls only.
  if (nonNull === 0 || !hasOrdering(col.type)) {
    return { attnum: col.attnum, nullFrac, avgWidth, nDistinct: 0, mcvValues: [], mcvFreqs: [], histogram: [] };
  }
  let groups: SortedGroups;
  if (nums !== null) {
    groups = numberGroups(nums.subarray(0, nonNull));
  } else {
    values!.length = nonNull;
    groups = sortedGroups(values!, ordersByCodePoint(col.type) && allCodeUnitOrdered(values!), comparatorFor(col.type));
  }
  let singles = 0;
  for (let g = 0; g < groups.counts.length; g++) if (groups.counts[g] === 1) singles++;
  const nonNullTotal = Math.max(1, Math.round(total * (nonNull / n)));
  let nDistinct = estimateDistinct(nonNull, nonNullTotal, groups.counts.length, singles);
  // As PostgreSQL: a count above 10% of the rows is stored as a (negative) fraction, so it
  // scales as the table grows.
  if (nDistinct > 0 && nDistinct > 0.1 * total) nDistinct = -Math.min(1, nDistinct / Math.max(1, total));
  if (nDistinct === -1 && nullFrac > 0) nDistinct = -(1 - nullFrac);
  const { mcvValues, mcvFreqs, chosen } = chooseMcvs(groups, n, nonNull, nDistinct > 0);
  // Statistics outlive the rows they were sampled from: a text value read from a packed chunk
  // shares the chunk's whole text, which a kept value would hold on to.
  const histogram = histogramBounds(groups, chosen).map(owned);
  return { attnum: col.attnum, nullFrac, avgWidth, nDistinct, mcvValues: mcvValues.map(owned), mcvFreqs, histogram };
}

function sameString(a: unknown, b: unknown): boolean {
  return a === b;
}

/** Distinct values in ascending order, each with how many times the sample holds it. */
interface SortedGroups {
  readonly values: ArrayLike<unknown>;
  readonly counts: Uint32Array;
}

/**
 * Sorts the sampled values and counts runs of equal ones, as PostgreSQL's compute_scalar_stats:
 * one sort gives the distinct counts, the MCV candidates and the histogram's order.
 * Code-point-ordered strings that JS orders the same way sort by code unit (string-order.ts).
 */
function sortedGroups(values: unknown[], codeUnitOrdered: boolean, cmp: (a: unknown, b: unknown) => number): SortedGroups {
  const n = values.length;
  const counts = new Uint32Array(n);
  let d = 0;
  // Code-unit-ordered strings sort as index key batches do (string-order.ts: each shared prefix
  // read about once per value), and equal strings are ===.
  const same = codeUnitOrdered ? sameString : (a: unknown, b: unknown): boolean => cmp(a, b) === 0;
  if (codeUnitOrdered) {
    const order = stringOrder(values as string[], null, false);
    const sorted = values.slice();
    for (let i = 0; i < n; i++) values[i] = sorted[order[i]!];
  } else {
    values.sort(cmp);
  }
  let last = values[0];
  counts[0] = 1;
  for (let i = 1; i < n; i++) {
    const v = values[i];
    if (same(last, v)) { counts[d]!++; continue; }
    values[++d] = v;
    counts[d] = 1;
    last = v;
  }
  values.length = d + 1;
  return { values, counts: counts.subarray(0, d + 1) };
}

/**
 * sortedGroups for plain numbers (every type stored as a JS number orders numerically, NaN last
 * as in PostgreSQL): sorted natively as doubles, in place.
 */
function numberGroups(nums: Float64Array): SortedGroups {
  const n = nums.length;
  const counts = new Uint32Array(n);
  let d = 0;
  nums.sort();
  let last = nums[0]!;
  counts[0] = 1;
  for (let i = 1; i < n; i++) {
    const v = nums[i]!;
    // -0 and 0 are one value (===); NaN equals NaN in PostgreSQL.
    if (v === last || (v !== v && last !== last)) { counts[d]!++; continue; }
    nums[++d] = v;
    counts[d] = 1;
    last = v;
  }
  return { values: nums.subarray(0, d + 1), counts: counts.subarray(0, d + 1) };
}

/**
 * Most common values (PostgreSQL compute_scalar_stats): when every distinct value fits in the list
 * and n_distinct is a fixed count (values repeat, not a fraction of the rows), all of them;
 * otherwise the values seen at least twice and more often than 1.25 × the average, at most
 * STATS_TARGET, most frequent first (ties in value order). `chosen` marks them (null: none);
 * the other values go to the histogram.
 */
function chooseMcvs(
  groups: SortedGroups, sampled: number, nonNull: number, fixedCount: boolean,
): { mcvValues: unknown[]; mcvFreqs: number[]; chosen: Uint8Array | null } {
  const { values, counts } = groups;
  const distinct = counts.length;
  let maxCount = 0;
  for (let g = 0; g < distinct; g++) if (counts[g]! > maxCount) maxCount = counts[g]!;
  // A column whose every value is unique has no MCVs (the histogram describes it).
  if (maxCount === 1) return { mcvValues: [], mcvFreqs: [], chosen: null };
  // Candidates first (usually few), so the sort by frequency stays small.
  const takeAll = distinct <= STATS_TARGET && fixedCount;
  const minCount = takeAll ? 1 : Math.max(2, (nonNull / distinct) * 1.25);
  const byCount: number[] = [];
  for (let g = 0; g < distinct; g++) if (counts[g]! >= minCount) byCount.push(g);
  byCount.sort((a, b) => counts[b]! - counts[a]! || a - b);
  const keep = Math.min(byCount.length, STATS_TARGET);
  if (keep === 0) return { mcvValues: [], mcvFreqs: [], chosen: null };
  const chosen = new Uint8Array(distinct);
  const mcvValues: unknown[] = [];
  const mcvFreqs: number[] = [];
  for (let i = 0; i < keep; i++) {
    const g = byCount[i]!;
    chosen[g] = 1;
    mcvValues.push(values[g]);
    mcvFreqs.push(counts[g]! / sampled);
  }
  return { mcvValues, mcvFreqs, chosen };
}

/**
 * Equi-depth bounds over the values not chosen as MCVs (the groups are distinct and ascending,
 * each weighted by its count), at most STATS_TARGET + 1.
 */
function histogramBounds(groups: SortedGroups, chosen: Uint8Array | null): unknown[] {
  const { values, counts } = groups;
  const n = counts.length;
  // The groups left for the histogram, in order.
  const rest = new Uint32Array(n);
  let distinct = 0;
  let count = 0;
  for (let g = 0; g < n; g++) {
    if (chosen !== null && chosen[g] === 1) continue;
    rest[distinct++] = g;
    count += counts[g]!;
  }
  if (distinct < 2) return [];
  const buckets = Math.min(STATS_TARGET, distinct - 1);
  const bounds: unknown[] = [];
  let gi = 0;
  let seen = counts[rest[0]!]!;
  let lastGi = -1;
  for (let b = 0; b <= buckets; b++) {
    // Position (0-based) of the b-th bound among the `count` sorted values.
    const pos = Math.floor((b * (count - 1)) / buckets);
    while (seen <= pos && gi < distinct - 1) { gi++; seen += counts[rest[gi]!]!; }
    // Values are distinct, so a bound repeats only when one value spans several positions.
    if (gi !== lastGi) { bounds.push(values[rest[gi]!]); lastGi = gi; }
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

function owned(v: unknown): unknown {
  return typeof v === 'string' ? ownedString(v) : v;
}
