/**
 * Delete by primary key (autocommit). Uses its own copy of `items` holding exactly as many rows
 * as the workload will delete, so every DELETE hits one row and other workloads are unaffected.
 */
import { defineOps, totalOps } from './define.ts';

export const deletePk = defineOps({
  id: 'delete_pk',
  title: 'Delete by primary key',
  reads: false,
  async setup(ctx) {
    await ctx.data.createItemsLike('del_items', totalOps(ctx), false);
    return 'DELETE FROM del_items WHERE id = $1';
  },
  // Ids in a scrambled but complete order: (i * 7919) mod n visits each id once.
  params: (i, _prng, ctx) => [(i * 7919) % totalOps(ctx)],
});
