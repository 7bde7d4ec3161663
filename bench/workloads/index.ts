/**
 * Every workload, in the order a run executes them. The order matters only for data sets: the
 * first workload that needs one loads it (memory is measured when `big` is loaded).
 */
import { batchInsert } from './batch-insert.ts';
import { countStar } from './count-star.ts';
import { deletePk } from './delete-pk.ts';
import { fullScanFilter } from './full-scan-filter.ts';
import { groupBy } from './group-by.ts';
import { insertAutocommit } from './insert-autocommit.ts';
import { join } from './join.ts';
import { memory } from './memory.ts';
import { orderByLimit } from './order-by-limit.ts';
import { pointSelect } from './point-select.ts';
import { rangeScan } from './range-scan.ts';
import { speedtest } from './speedtest.ts';
import { tpchQ1, tpchQ6 } from './tpch.ts';
import { updatePk } from './update-pk.ts';
import { windowFn } from './window.ts';
import type { Workload } from './workload.ts';

export const WORKLOADS: readonly Workload[] = [
  memory, pointSelect, rangeScan, updatePk, deletePk, insertAutocommit, batchInsert, fullScanFilter,
  countStar, groupBy, orderByLimit, join, windowFn, tpchQ1, tpchQ6, speedtest,
];
