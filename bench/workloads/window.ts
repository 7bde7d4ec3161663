/**
 * A window function over 100k rows: a running sum per partition plus a row number, reduced to one
 * row so the cost is the window computation rather than moving 100k rows into JS.
 * AlaSQL has no general window functions.
 */
import { defineQuery } from './define.ts';

export const windowFn = defineQuery({
  id: 'window',
  title: 'Window function (100k rows)',
  needs: ['dim'],
  sql: () => 'SELECT max(rs) AS m, sum(rn) AS r FROM (SELECT sum(weight) OVER (PARTITION BY cat ORDER BY id) AS rs, ' +
    'row_number() OVER (PARTITION BY cat ORDER BY weight) AS rn FROM dim) w',
  unsupported: (dialect) => (dialect === 'alasql' ? 'no window functions' : null),
});
