/**
 * Memory: bytes per row of the 1M-row (int, int, text(20), float) table `big`, measured while
 * loading it (see DataSets: engine-reported bytes for SQLite, sql.js, DuckDB and PGlite, whose data
 * live in native or wasm arenas; JS heap + external delta after a forced GC for Oxibase and
 * AlaSQL), and for every engine the process's resident-set growth over the same load. Peak RSS is
 * added by the worker for the whole engine process.
 */
import type { Measurement, Workload, WorkloadContext } from './workload.ts';

export const memory: Workload = {
  id: 'memory',
  title: 'Bytes per row, 1M-row (int, int, text(20), float) table',
  async run(ctx: WorkloadContext): Promise<Measurement[]> {
    await ctx.data.ensure('big');
    const value = ctx.data.bigBytesPerRow;
    ctx.progress(`memory: ${value.toFixed(1)} bytes/row (${ctx.data.memoryMethod})`);
    if (!(value > 0)) throw new Error(`memory delta not measurable (${value})`);
    const rss = ctx.data.bigRssPerRow;
    return [
      { key: 'memory_bytes_per_row', title: this.title, unit: 'bytes/row', value, rounds: 1 },
      { key: 'memory_rss_per_row', title: 'Resident-set growth per row while loading it', unit: 'bytes/row', value: rss, rounds: 1 },
    ];
  },
};
