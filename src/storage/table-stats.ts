/**
 * Planner statistics of one table, as ANALYZE (src/plan/stats/analyze.ts) leaves them: the
 * equivalent of PostgreSQL's pg_class.reltuples plus one pg_statistic row per column. Pure data,
 * immutable once built: a refresh replaces the whole object, so a plan can remember which
 * statistics it was made with by identity (the plan cache does).
 *
 * Not WAL-logged and not checkpointed: after a restart a table has no statistics until ANALYZE
 * or auto-analyze recomputes them (PostgreSQL keeps them in pg_statistic; for an in-memory engine
 * recomputing from the rows costs one sampled scan).
 */

/** Statistics of one column, PostgreSQL's pg_statistic slots. */
export interface ColumnStats {
  readonly attnum: number;
  /** Fraction of rows whose value is NULL. */
  readonly nullFrac: number;
  /**
   * Number of distinct non-null values. PostgreSQL's convention: positive is an absolute count,
   * negative is minus a fraction of the row count (the count scales with the table), -1 = unique.
   */
  readonly nDistinct: number;
  /** Average stored width of non-null values in bytes. */
  readonly avgWidth: number;
  /** Most common values (non-null), most frequent first, with their frequencies over all rows. */
  readonly mcvValues: readonly unknown[];
  readonly mcvFreqs: readonly number[];
  /**
   * Equi-depth histogram bounds over the non-null values that are not MCVs, ascending; empty when
   * the type has no ordering or too few distinct values remain.
   */
  readonly histogram: readonly unknown[];
}

export interface TableStats {
  /** Live rows counted when the statistics were gathered. */
  readonly reltuples: number;
  /** Rows sampled to build the column statistics. */
  readonly sampledRows: number;
  /** Column statistics by attnum. */
  readonly columns: ReadonlyMap<number, ColumnStats>;
  /** When a manual ANALYZE / an auto-analyze last ran (µs since the epoch; null = never). */
  readonly lastAnalyzeMicros: number | null;
  readonly lastAutoAnalyzeMicros: number | null;
}
