/** Full-scan filter: rows of the unindexed 1M-row `big` whose val falls in a narrow band (~0.05%). */
import { defineQuery } from './define.ts';

export const fullScanFilter = defineQuery({
  id: 'full_scan_filter',
  title: 'Full-scan filter (1M rows)',
  needs: ['big'],
  sql: () => 'SELECT id, name, val FROM big WHERE val >= $1 AND val < $2',
  params(i) {
    const lo = (i * 37) % 999;
    return [lo, lo + 0.5];
  },
});
