/** Update by primary key (autocommit): `UPDATE items SET val = $1 WHERE id = $2`. */
import { defineOps } from './define.ts';

export const updatePk = defineOps({
  id: 'update_pk',
  title: 'Update by primary key',
  reads: false,
  async setup(ctx) {
    await ctx.data.ensure('items');
    return 'UPDATE items SET val = $1 WHERE id = $2';
  },
  params: (_i, prng, ctx) => [prng.next() * 1000, prng.int(0, ctx.sizes.itemRows - 1)],
});
