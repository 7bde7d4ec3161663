/**
 * 10k-row batch insert in one transaction: BEGIN, 10,000 executions of one prepared INSERT,
 * COMMIT. Each round inserts a fresh key range into the same table (primary key maintained).
 * AlaSQL has no transactions, so its rounds run the inserts alone.
 */
import { measureRuns } from '../lib/timing.ts';
import { Prng } from '../lib/prng.ts';
import { typeNames } from './datasets.ts';
import type { Measurement, Workload, WorkloadContext } from './workload.ts';

export const batchInsert: Workload = {
  id: 'batch_insert',
  title: '10k-row batch insert in one transaction',
  async run(ctx: WorkloadContext): Promise<Measurement[]> {
    const t = typeNames(ctx.dialect);
    const n = ctx.sizes.batchRows;
    await ctx.engine.exec(`CREATE TABLE batch (id ${t.pk}, k ${t.int}, name ${t.text}, val ${t.float})`);
    const stmt = await ctx.engine.prepare('INSERT INTO batch VALUES ($1, $2, $3, $4)');
    const prng = new Prng(5);
    const txn = ctx.dialect !== 'alasql';
    const result = await measureRuns(ctx.queryPlan, async (round) => {
      if (txn) await ctx.engine.exec('BEGIN');
      const base = round * n;
      for (let rowIdx = 0; rowIdx < n; rowIdx++) await stmt.run([base + rowIdx, prng.int(0, 1_000_000), prng.text(20), prng.next() * 1000]);
      if (txn) await ctx.engine.exec('COMMIT');
    });
    await stmt.close();
    const title = `${n}-row batch insert in one transaction`;
    return [{ key: 'batch_insert', title, unit: 'ms', value: result.ms, rounds: result.rounds }];
  },
};
