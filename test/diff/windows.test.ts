/**
 * Differential suite: window functions (ranking, offsets, aggregates over windows, frames ROWS /
 * RANGE / GROUPS with offsets and EXCLUDE, named windows).
 */
import { diffSuite } from './differential.ts';
import { SALES } from './fixtures.ts';

const W = 'CREATE TABLE w (id int PRIMARY KEY, g text, x int, f float8)';
const WDATA = "INSERT INTO w VALUES (1, 'a', 1, 0.5), (2, 'a', 2, 1.5), (3, 'a', 2, 2.5), (4, 'a', 4, NULL), (5, 'b', 5, 1), (6, 'b', NULL, 2), (7, 'b', 7, 3), (8, 'c', 8, 4), (9, 'c', 8, 5), (10, 'c', 10, 6)";

diffSuite('windows', [
  {
    name: 'windows/ranking',
    setup: [W, WDATA],
    queries: [
      'SELECT id, row_number() OVER (ORDER BY id DESC) AS rn FROM w',
      'SELECT id, g, x, rank() OVER (PARTITION BY g ORDER BY x) AS r, dense_rank() OVER (PARTITION BY g ORDER BY x) AS dr FROM w',
      'SELECT id, percent_rank() OVER (ORDER BY x) AS pr, cume_dist() OVER (ORDER BY x) AS cd FROM w',
      'SELECT id, ntile(3) OVER (ORDER BY id) AS nt, ntile(4) OVER (PARTITION BY g ORDER BY id) AS nt4 FROM w',
      'SELECT id, row_number() OVER () AS rn FROM w WHERE id < 2',
      'SELECT g, x, rank() OVER (ORDER BY x DESC NULLS LAST) AS r FROM w',
      'SELECT id, rank() OVER w1 AS r, sum(x) OVER w1 AS s FROM w WINDOW w1 AS (PARTITION BY g ORDER BY id)',
      'SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY g ORDER BY x DESC, id) AS rn FROM w) s WHERE rn = 1',
      'SELECT g, count(*) AS n, rank() OVER (ORDER BY count(*) DESC, g) AS r FROM w GROUP BY g',
      'SELECT id, x, row_number() OVER (ORDER BY x, id) AS rn FROM w ORDER BY rn',
    ],
  },
  {
    name: 'windows/offsets',
    setup: [W, WDATA],
    queries: [
      'SELECT id, lag(x) OVER (ORDER BY id) AS l, lead(x) OVER (ORDER BY id) AS ld FROM w',
      'SELECT id, lag(x, 2, -1) OVER (PARTITION BY g ORDER BY id) AS l2, lead(x, 1, 0) OVER (PARTITION BY g ORDER BY id) AS ld1 FROM w',
      'SELECT id, first_value(x) OVER (PARTITION BY g ORDER BY id) AS fv, last_value(x) OVER (PARTITION BY g ORDER BY id) AS lv FROM w',
      'SELECT id, last_value(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS lv FROM w',
      'SELECT id, nth_value(x, 2) OVER (PARTITION BY g ORDER BY id) AS n2, nth_value(x, 2) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS n2f FROM w',
      'SELECT id, lag(id, 0) OVER (ORDER BY id) AS same FROM w',
      'SELECT id, lag(f) OVER (ORDER BY id) - f AS diff FROM w',
    ],
  },
  {
    name: 'windows/frames',
    setup: [W, WDATA],
    queries: [
      'SELECT id, sum(x) OVER (ORDER BY id) AS run, sum(x) OVER () AS tot, avg(x) OVER (PARTITION BY g) AS pa FROM w',
      'SELECT id, sum(x) OVER (ORDER BY x) AS s FROM w',
      'SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s3 FROM w',
      'SELECT id, sum(x) OVER (ORDER BY id ROWS 2 PRECEDING) AS s FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM w',
      'SELECT id, x, count(*) OVER (ORDER BY x RANGE BETWEEN CURRENT ROW AND 2 FOLLOWING) AS c FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS s FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW) AS s FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP) AS s FROM w',
      'SELECT id, x, sum(x) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES) AS s FROM w',
      'SELECT id, x, array_agg(id) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE NO OTHERS) AS ids FROM w',
      'SELECT id, f, avg(f) OVER (ORDER BY f RANGE BETWEEN 1.0 PRECEDING AND 1.0 FOLLOWING) AS a FROM w',
      'SELECT id, min(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS m FROM w',
      'SELECT id, count(x) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS c FROM w',
      'SELECT id, sum(x) FILTER (WHERE x > 2) OVER (ORDER BY id) AS s FROM w',
      'SELECT id, string_agg(g, \',\') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM w',
      'SELECT id, sum(x) OVER (ORDER BY id ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) AS s FROM w',
      'SELECT id, sum(x) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM w',
    ],
  },
  {
    name: 'windows/sales',
    setup: [...SALES],
    queries: [
      'SELECT region, yr, sum(amount) AS s, sum(sum(amount)) OVER (PARTITION BY region ORDER BY yr) AS cum FROM sales GROUP BY region, yr',
      'SELECT id, amount, amount - avg(amount) OVER (PARTITION BY product) AS dev FROM sales',
      'SELECT product, id, round(100.0 * amount / sum(amount) OVER (PARTITION BY product), 2) AS pct FROM sales',
      'SELECT id, first_value(region) OVER (PARTITION BY product ORDER BY amount DESC NULLS LAST, id) AS best FROM sales',
      'SELECT DISTINCT product, max(amount) OVER (PARTITION BY product) AS m FROM sales',
      'SELECT id, row_number() OVER (ORDER BY amount DESC NULLS LAST, id) AS rn FROM sales ORDER BY id LIMIT 5',
      'SELECT id FROM sales WHERE row_number() OVER () > 1',
    ],
  },
]);
