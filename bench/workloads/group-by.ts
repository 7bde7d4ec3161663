/** GROUP BY with SUM/AVG over 1M rows into 1,000 groups. */
import { defineQuery } from './define.ts';

export const groupBy = defineQuery({
  id: 'group_by',
  title: 'GROUP BY + SUM/AVG (1M rows)',
  needs: ['big'],
  sql: () => 'SELECT grp, sum(val) AS s, avg(val) AS a, count(*) AS n FROM big GROUP BY grp',
});
