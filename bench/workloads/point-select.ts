/** Point select by primary key: `SELECT ... FROM items WHERE id = $1`, random keys. */
import { defineOps } from './define.ts';

export const pointSelect = defineOps({
  id: 'point_select',
  title: 'Point select by primary key',
  reads: true,
  async setup(ctx) {
    await ctx.data.ensure('items');
    return 'SELECT id, k, name, val FROM items WHERE id = $1';
  },
  params: (_i, prng, ctx) => [prng.int(0, ctx.sizes.itemRows - 1)],
});
