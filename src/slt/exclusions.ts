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

export const EXCLUSIONS: readonly Exclusion[] = [
  {
    file: 'in1.test',
    lines: [279, 290],
    reason: "'hello' IN (SELECT <integer column>): SQLite compares text with integer by type affinity; "
      + 'PostgreSQL resolves the literal as integer and raises 22P02 invalid input syntax',
  },
  {
    file: 'in1.test',
    lines: [313, 324],
    reason: "x'303132' is a SQLite blob literal; in PostgreSQL it is a bit-string constant, which "
      + 'cannot be compared with an integer column',
  },
  {
    file: 'in2.test',
    lines: [78, 85, 92, 99, 106, 116, 126, 136],
    reason: 'IN () with an empty list is a SQLite extension; PostgreSQL raises 42601 syntax error',
  },
  {
    file: 'slt_lang_createtrigger.test',
    lines: [24, 28, 39, 42, 45, 80, 83, 86, 89, 92, 95, 191, 194, 197, 200, 203, 206, 209, 212, 215, 218],
    reason: 'SQLite trigger syntax (CREATE TRIGGER ... BEGIN <sql>; END, DROP TRIGGER without ON '
      + 'table); PostgreSQL triggers need EXECUTE FUNCTION and DROP TRIGGER name ON table. The '
      + "'statement error' records are excluded too: they would pass only because of the syntax error",
  },
  {
    file: 'slt_lang_createview.test',
    lines: [68, 79],
    reason: 'SQLite views are read-only; in PostgreSQL a single-table view is automatically '
      + 'updatable, so DELETE FROM view1 / UPDATE view1 succeed there (checked on PostgreSQL 15)',
  },
  {
    file: 'slt_lang_update.test',
    lines: [87, 91, 97, 103],
    reason: 'UPDATE t1 SET x=3, x=4, x=5: SQLite keeps the rightmost assignment; PostgreSQL raises '
      + '42601 multiple assignments to same column "x". The queries excluded check its effect',
  },
  {
    file: 'slt_lang_droptrigger.test',
    lines: [24, 27, 31, 35, 44, 51],
    reason: 'SQLite trigger syntax, as for slt_lang_createtrigger.test',
  },
  {
    file: 'slt_lang_reindex.test',
    lines: [37, 40],
    reason: 'REINDEX <name> without INDEX/TABLE is SQLite syntax (PostgreSQL: REINDEX INDEX name); the '
      + "'statement error' record would pass only because of the syntax error",
  },
  {
    file: 'slt_lang_replace.test',
    lines: [37, 41, 48, 51, 57, 61, 68, 71],
    reason: 'INSERT OR REPLACE / REPLACE INTO are SQLite (and MySQL) statements; PostgreSQL spells '
      + 'this INSERT ... ON CONFLICT DO UPDATE. The queries excluded check their effects',
  },
];

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
