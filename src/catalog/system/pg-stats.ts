/**
 * Planner statistics views: pg_stats (one row per analyzed column, PostgreSQL 15 columns; the
 * anyarray columns most_common_vals / histogram_bounds are shown as their array text, which is
 * what clients print) and pg_stat_user_tables / pg_stat_all_tables (live rows, changes since the
 * last analysis and when it ran). Rows come from the statistics ANALYZE left on each table's
 * store (src/storage/table-stats.ts).
 */
import type { TableDef } from '../objects.ts';
import type { ColumnStats } from '../../storage/table-stats.ts';
import { quoteArrayElement, SqlArray } from '../../types/array.ts';
import { outputFunction } from '../../types/text-io.ts';
import type { TypeContext } from '../../types/context.ts';
import { Oid, typeOf, type SqlType } from '../../types/sql-type.ts';
import { T, cols, relationsByOid, type SystemRelation } from './sys-relation.ts';

const float4Arr = typeOf(Oid._float4);
const timestamptz = typeOf(Oid.timestamptz);
const float4 = T.float4;

/** `{v1,v2,...}` in PostgreSQL's array output format, or null for an empty list. */
function arrayText(values: readonly unknown[], type: SqlType, ctx: TypeContext): string | null {
  if (values.length === 0) return null;
  const out = outputFunction(type);
  return `{${values.map((v) => quoteArrayElement(out(v, ctx))).join(',')}}`;
}

/** float4 values are stored rounded to single precision, as real columns are. */
function real(x: number): number {
  return Math.fround(x);
}

function statsRow(t: TableDef, s: ColumnStats, ctx: TypeContext): unknown[] | null {
  const col = t.columns.find((c) => c.attnum === s.attnum);
  if (col === undefined) return null;
  return [
    t.schema, t.name, col.name, false, real(s.nullFrac), s.avgWidth, real(s.nDistinct),
    arrayText(s.mcvValues, col.type, ctx),
    s.mcvFreqs.length === 0 ? null : new SqlArray(s.mcvFreqs.map(real)),
    arrayText(s.histogram, col.type, ctx),
    null, null, null, null,
  ];
}

export const pgStats: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_stats',
  columns: cols([
    ['schemaname', T.name], ['tablename', T.name], ['attname', T.name], ['inherited', T.bool],
    ['null_frac', float4], ['avg_width', T.int4], ['n_distinct', float4], ['most_common_vals', T.text],
    ['most_common_freqs', float4Arr], ['histogram_bounds', T.text], ['correlation', float4],
    ['most_common_elems', T.text], ['most_common_elem_freqs', float4Arr], ['elem_count_histogram', float4Arr],
  ]),
  rows: ({ catalog, eval: ev }) => {
    const out: unknown[][] = [];
    for (const r of relationsByOid(catalog)) {
      if (r.kind !== 'table') continue;
      const stats = r.store.currentStats();
      if (stats === null) continue;
      const byCol = [...stats.columns.values()].sort((a, b) => a.attnum - b.attnum);
      for (const s of byCol) {
        const row = statsRow(r, s, ev.types);
        if (row !== null) out.push(row);
      }
    }
    return out;
  },
};

function statTables(name: string, userOnly: boolean): SystemRelation {
  return {
    schema: 'pg_catalog', name,
    columns: cols([
      ['relid', T.oid], ['schemaname', T.name], ['relname', T.name], ['seq_scan', T.int8], ['seq_tup_read', T.int8],
      ['n_tup_ins', T.int8], ['n_tup_upd', T.int8], ['n_tup_del', T.int8], ['n_live_tup', T.int8], ['n_dead_tup', T.int8],
      ['n_mod_since_analyze', T.int8], ['last_vacuum', timestamptz], ['last_autovacuum', timestamptz],
      ['last_analyze', timestamptz], ['last_autoanalyze', timestamptz], ['vacuum_count', T.int8],
      ['autovacuum_count', T.int8], ['analyze_count', T.int8], ['autoanalyze_count', T.int8],
    ]),
    rows: ({ catalog }) => relationsByOid(catalog).flatMap((r) => {
      if (r.kind !== 'table') return [];
      if (userOnly && (r.schema === 'pg_catalog' || r.schema === 'information_schema')) return [];
      const st = r.store.currentStats();
      return [[
        r.oid, r.schema, r.name, null, null, null, null, null, Math.max(0, r.store.rowEstimate), r.store.deadSlots,
        r.store.changesSinceAnalyze, null, null, st?.lastAnalyzeMicros ?? null, st?.lastAutoAnalyzeMicros ?? null,
        null, null, null, null,
      ]];
    }),
  };
}

export const pgStatUserTables = statTables('pg_stat_user_tables', true);
export const pgStatAllTables = statTables('pg_stat_all_tables', false);
