/**
 * ANALYZE [table [(columns)], ...], VACUUM ANALYZE, and auto-analyze.
 *
 * Statistics (src/plan/stats/analyze.ts) live on the table's store and are replaced as a whole,
 * not WAL-logged: after a restart they are rebuilt by ANALYZE or by the next auto-analyze.
 *
 * Auto-analyze is decided right after a transaction commits, for each table it wrote whose
 * changes since the last analysis pass PostgreSQL's threshold (50 + 10% of reltuples), at most
 * once per `autovacuum_naptime` (default 10 s) per table: a sampled scan every 10% of a busy
 * table's changes would otherwise cost a write-heavy workload a third of its time. The analysis
 * itself runs when the table's statistics are next read (planning, a cached plan's drift
 * check, pg_stats, pg_stat_user_tables; TableStore.currentStats), over what is committed by
 * then: the commit does not wait for it, as PostgreSQL's autovacuum runs apart from the
 * committing backend, and no background timer makes it nondeterministic. A table no statement
 * uses before its next change is not analyzed in between.
 */
import { DbError } from '../errors/index.ts';
import type { TableDef } from '../catalog/objects.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { VacuumTarget } from '../sql/ast.ts';
import { Snapshot, type Txn } from '../txn/txn.ts';
import type { TableStore } from '../storage/table-store.ts';
import { analyzeTable, needsAutoAnalyze, type AnalyzeKind } from '../plan/stats/analyze.ts';
import type { Database } from './database.ts';

/** Refreshes one table's statistics (and its live-row count) as seen by `snap`. */
function refresh(db: Database, table: TableDef, snap: Snapshot, kind: AnalyzeKind, cols: TableDef['columns'] | null): void {
  table.store.analyzePending = null;
  const stats = analyzeTable(table, snap, db.env.random, db.env.clock.nowMicros(), kind, cols);
  table.store.stats = stats;
  table.store.rowEstimate = stats.reltuples;
  table.store.changesSinceAnalyze = 0;
  table.store.analyzeRecheckAt = 0;
}

/** The columns an ANALYZE target names (null = all), with PostgreSQL's error for unknown ones. */
function targetColumns(table: TableDef, target: VacuumTarget): TableDef['columns'] | null {
  if (target.columns === null || target.columns.length === 0) return null;
  return target.columns.map((name) => {
    const col = table.columns.find((c) => c.name === name);
    if (col === undefined) {
      throw new DbError('undefined_column', `column "${name}" of relation "${table.name}" does not exist`, { position: target.loc + 1 });
    }
    return col;
  });
}

/** ANALYZE / VACUUM ANALYZE: every named table (all tables when none is named). */
export function analyzeTargets(
  db: Database, catalog: Catalog, searchPath: readonly string[], targets: readonly VacuumTarget[], snap: Snapshot,
  include: (table: TableDef) => boolean = () => true,
): void {
  if (targets.length === 0) {
    for (const t of catalog.tables()) if (include(t)) refresh(db, t, snap, 'manual', null);
    return;
  }
  // Resolve every target first, so a bad name changes nothing.
  const work = targets.map((target) => {
    const table = catalog.requireTable(target.name, searchPath);
    return { table, cols: targetColumns(table, target) };
  });
  for (const w of work) if (include(w.table)) refresh(db, w.table, snap, 'manual', w.cols);
}

/** After `txn` committed: re-analyzes the tables it wrote that changed enough. */
export function autoAnalyzeAfterCommit(db: Database, txn: Txn, naptimeMs: () => number): void {
  let due: Set<TableStore> | null = null;
  let now = -1;
  let minGap = 0;
  for (const store of txn.writtenTables) {
    if (store.analyzePending !== null) continue;
    // PostgreSQL's threshold (needsAutoAnalyze), checked here on the store to keep commits cheap.
    const changes = store.changesSinceAnalyze;
    if (changes < store.analyzeRecheckAt) continue;
    const reltuples = store.stats?.reltuples ?? 0;
    if (changes < 50 + 0.1 * reltuples) continue;
    if (now < 0) {
      now = db.env.clock.nowMicros();
      minGap = naptimeMs() * 1000;
    }
    const last = store.stats?.lastAutoAnalyzeMicros ?? store.stats?.lastAnalyzeMicros ?? null;
    if (last !== null && now - last < minGap) {
      // Too soon: look again after another 1% of the table (at least 50 rows) has changed.
      store.analyzeRecheckAt = changes + Math.max(50, Math.ceil(0.01 * reltuples));
      continue;
    }
    (due ??= new Set()).add(store);
  }
  if (due === null) return;
  for (const table of db.catalog.tables()) {
    if (!due.has(table.store) || !needsAutoAnalyze(table)) continue;
    // Deferred to the next read of the statistics, over what is committed by then. It runs
    // inside whatever statement reads them first, which an automatic analysis must not fail:
    // a failure keeps the old statistics, and the changes still count toward the next try.
    table.store.analyzePending = () => {
      try {
        refresh(db, table, new Snapshot(db.txns.currentSeq, txn, Number.MAX_SAFE_INTEGER), 'auto', null);
      } catch {
        // Nothing to undo: refresh replaces the statistics only once they are computed.
      }
    };
  }
}
