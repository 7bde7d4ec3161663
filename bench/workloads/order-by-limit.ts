/** ORDER BY ... LIMIT 10 over 1M rows on an unindexed column (a top-N sort). */
import { defineQuery } from './define.ts';

export const orderByLimit = defineQuery({
  id: 'order_by_limit',
  title: 'ORDER BY ... LIMIT 10 (1M rows)',
  needs: ['big'],
  sql: () => 'SELECT id, name, val FROM big ORDER BY val DESC LIMIT 10',
});
