/**
 * Builders for the two common workload shapes, so each workload file holds only its SQL:
 *   defineQuery — one analytical query over a data set, timed as whole runs (median ms);
 *   defineOps   — one prepared single-row statement run many times (median ops/s).
 */
import type { Dialect } from '../engines/engine.ts';
import { measureOps, measureRuns } from '../lib/timing.ts';
import { Prng } from '../lib/prng.ts';
import type { Measurement, Workload, WorkloadContext } from './workload.ts';

type DataSetName = 'items' | 'big' | 'dim' | 'lineitem';

export interface QuerySpec {
  readonly id: string;
  readonly title: string;
  readonly needs: readonly DataSetName[];
  sql(dialect: Dialect): string;
  /** Parameters for run `i` (none by default). */
  params?(i: number, ctx: WorkloadContext): unknown[];
  unsupported?(dialect: Dialect): string | null;
}

export function defineQuery(spec: QuerySpec): Workload {
  return {
    id: spec.id,
    title: spec.title,
    unsupported: spec.unsupported,
    async run(ctx: WorkloadContext): Promise<Measurement[]> {
      for (const name of spec.needs) await ctx.data.ensure(name);
      const stmt = await ctx.engine.prepare(spec.sql(ctx.dialect));
      const result = await measureRuns(ctx.queryPlan, async (i) => {
        const rows = await stmt.all(spec.params?.(i, ctx) ?? []);
        if (rows.length === 0 && spec.params === undefined) throw new Error(`${spec.id}: no rows`);
      });
      await stmt.close();
      return [{ key: spec.id, title: spec.title, unit: 'ms', value: result.ms, rounds: result.rounds }];
    },
  };
}

export interface OpsSpec {
  readonly id: string;
  readonly title: string;
  /** Prepares whatever the statement needs; returns the SQL to prepare. */
  setup(ctx: WorkloadContext): Promise<string>;
  /** Parameters for operation `i`; `prng` is seeded per workload. */
  params(i: number, prng: Prng, ctx: WorkloadContext): unknown[];
  /** True for statements that return rows (SELECT). */
  readonly reads: boolean;
}

export function defineOps(spec: OpsSpec): Workload {
  return {
    id: spec.id,
    title: spec.title,
    async run(ctx: WorkloadContext): Promise<Measurement[]> {
      const stmt = await ctx.engine.prepare(await spec.setup(ctx));
      const prng = new Prng(99);
      const result = await measureOps(ctx.opsPlan, ctx.sizes.opsPerRound, async (i) => {
        const params = spec.params(i, prng, ctx);
        if (spec.reads) await stmt.all(params);
        else await stmt.run(params);
      });
      await stmt.close();
      return [{ key: spec.id, title: spec.title, unit: 'ops/s', value: result.opsPerSec, rounds: result.rounds }];
    },
  };
}

/** How many single-row operations a defineOps workload performs in total (warm-up included). */
export function totalOps(ctx: WorkloadContext): number {
  return ctx.opsPlan.warmup + ctx.opsPlan.rounds * ctx.sizes.opsPerRound;
}
