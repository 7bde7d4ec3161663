/** COUNT(*) over the 1M-row `big` table. */
import { defineQuery } from './define.ts';

export const countStar = defineQuery({
  id: 'count_star',
  title: 'COUNT(*) (1M rows)',
  needs: ['big'],
  sql: () => 'SELECT count(*) FROM big',
});
