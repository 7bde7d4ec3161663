/** Indexed range scan: 100 consecutive values of the secondary-indexed column `items.k`. */
import { defineOps } from './define.ts';

export const rangeScan = defineOps({
  id: 'range_scan',
  title: 'Indexed range scan (100 rows)',
  reads: true,
  async setup(ctx) {
    await ctx.data.ensure('items');
    return 'SELECT id, k, name, val FROM items WHERE k >= $1 AND k < $2';
  },
  params(_i, prng, ctx) {
    const lo = prng.int(0, Math.max(0, ctx.sizes.itemRows - 100));
    return [lo, lo + 100];
  },
});
