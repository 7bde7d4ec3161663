/**
 * Queries whose Oxibase result currently differs from PostgreSQL 15. The differential harness runs
 * them and prints them, but does not fail on them; it DOES fail when one of them starts matching
 * (remove the entry then) or is no longer run, so this list always reflects reality.
 *
 * Each entry: the group (`suite/topic`) and exact SQL as written in the suite, what differs, and
 * the likely cause in the engine.
 */

export interface KnownDifference {
  readonly group: string;
  readonly sql: string;
  /** What differs (Oxibase vs PostgreSQL). */
  readonly differs: string;
  /** Diagnosis: the likely cause in the engine. */
  readonly cause: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
];
