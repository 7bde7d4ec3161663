/** Two-table join, 100k-row `dim` × 1M-row `big` on big.grp = dim.id, with a filter on dim. */
import { defineQuery } from './define.ts';

export const join = defineQuery({
  id: 'join',
  title: 'Join 100k × 1M with a filter',
  needs: ['big', 'dim'],
  sql: () => 'SELECT count(*) AS n, sum(b.val) AS s FROM big b JOIN dim d ON b.grp = d.id WHERE d.cat = 3',
});
