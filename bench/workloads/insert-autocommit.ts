/** Single-row INSERT, each its own (autocommit) transaction, into a table with a primary key. */
import { typeNames } from './datasets.ts';
import { defineOps } from './define.ts';

export const insertAutocommit = defineOps({
  id: 'insert_autocommit',
  title: 'Single-row insert (autocommit)',
  reads: false,
  async setup(ctx) {
    const t = typeNames(ctx.dialect);
    await ctx.engine.exec(`CREATE TABLE ins (id ${t.pk}, k ${t.int}, name ${t.text}, val ${t.float})`);
    return 'INSERT INTO ins VALUES ($1, $2, $3, $4)';
  },
  params: (i, prng) => [i, prng.int(0, 1_000_000), prng.text(20), prng.next() * 1000],
});
