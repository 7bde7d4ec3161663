/**
 * Records excluded from the conformance run because they test SQLite-only behaviour (documented,
 * with reasons, in docs/sqllogictest.md). The corpus files themselves are never edited.
 *
 * Invariant: an exclusion names a file by base name and a record by the 1-based line of its first
 * line (guard or command), so it stays exact while the file is unchanged; excluded records count
 * as skipped, never as passed.
 */

export interface Exclusion {
  /** File base name, e.g. 'slt_lang_replace.test'. */
  readonly file: string;
  /** Line numbers of the excluded records' first lines; empty means the whole file. */
  readonly lines: readonly number[];
  readonly reason: string;
}

export const EXCLUSIONS: readonly Exclusion[] = [];

/** Builds a lookup: file base name -> set of excluded lines (null set = whole file). */
export function exclusionIndex(list: readonly Exclusion[]): Map<string, Set<number> | null> {
  const index = new Map<string, Set<number> | null>();
  for (const ex of list) {
    if (ex.lines.length === 0) {
      index.set(ex.file, null);
      continue;
    }
    const prev = index.get(ex.file);
    if (prev === null) continue;
    const set = prev ?? new Set<number>();
    for (const l of ex.lines) set.add(l);
    index.set(ex.file, set);
  }
  return index;
}
