/**
 * TPC-H-like Q1 (pricing summary: 8 aggregates grouped by 2 flags) and Q6 (forecast revenue:
 * a selective multi-predicate scan) over a seeded `lineitem`. Prices are double precision rather
 * than numeric, and dates are TEXT on engines without a DATE type (ISO strings compare the same).
 */
import type { Dialect } from '../engines/engine.ts';
import { defineQuery } from './define.ts';

function date(dialect: Dialect, iso: string): string {
  return dialect === 'postgres' || dialect === 'duckdb' ? `DATE '${iso}'` : `'${iso}'`;
}

export const tpchQ1 = defineQuery({
  id: 'tpch_q1',
  title: 'TPC-H-like Q1',
  needs: ['lineitem'],
  sql: (d) => 'SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base, ' +
    'sum(l_extendedprice * (1 - l_discount)) AS sum_disc, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, ' +
    'avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS n ' +
    `FROM lineitem WHERE l_shipdate <= ${date(d, '1998-09-02')} ` +
    'GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus',
});

export const tpchQ6 = defineQuery({
  id: 'tpch_q6',
  title: 'TPC-H-like Q6',
  needs: ['lineitem'],
  sql: (d) => 'SELECT sum(l_extendedprice * l_discount) AS revenue FROM lineitem ' +
    `WHERE l_shipdate >= ${date(d, '1994-01-01')} AND l_shipdate < ${date(d, '1995-01-01')} ` +
    'AND l_discount >= 0.05 AND l_discount <= 0.07 AND l_quantity < 24',
});
