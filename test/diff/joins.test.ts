/**
 * Differential suite: joins of every kind (inner, left, right, full, cross, natural, using, comma
 * lists, self joins, LATERAL, 8-table joins) with NULL join keys and duplicates.
 */
import { diffSuite } from './differential.ts';
import { HR, SMALL } from './fixtures.ts';

const CHAIN: string[] = [];
for (let i = 1; i <= 8; i++) {
  CHAIN.push(`CREATE TABLE j${i} (id int, nxt int, v text)`);
  CHAIN.push(`INSERT INTO j${i} VALUES (1, 2, 'a${i}'), (2, 3, 'b${i}'), (3, 1, 'c${i}'), (4, NULL, 'd${i}')`);
}

diffSuite('joins', [
  {
    name: 'joins/basic',
    setup: [...SMALL],
    queries: [
      'SELECT t.a, t.b, u.d FROM t JOIN u ON t.a = u.a',
      'SELECT t.a, t.b, u.d FROM t LEFT JOIN u ON t.a = u.a',
      'SELECT t.a, t.b, u.a AS ua, u.d FROM t RIGHT JOIN u ON t.a = u.a',
      'SELECT t.a, t.b, u.a AS ua, u.d FROM t FULL JOIN u ON t.a = u.a',
      'SELECT t.a, u.a AS ua FROM t CROSS JOIN u',
      'SELECT t.a, u.d FROM t, u WHERE t.a = u.a AND u.d <> \'y\'',
      'SELECT a, b, d FROM t NATURAL JOIN u',
      'SELECT a, b, d FROM t JOIN u USING (a)',
      'SELECT a, b, d FROM t LEFT JOIN u USING (a)',
      'SELECT a, b, d FROM t FULL JOIN u USING (a)',
      'SELECT * FROM t JOIN u USING (a) ORDER BY a, b, d',
      'SELECT * FROM t NATURAL FULL JOIN u ORDER BY a NULLS FIRST, b, d',
      'SELECT t.*, u.* FROM t LEFT JOIN u ON t.a = u.a AND u.d LIKE \'y%\'',
      'SELECT t.a, u.d FROM t LEFT JOIN u ON t.a = u.a WHERE u.a IS NULL',
      'SELECT t.a, u.d FROM t FULL JOIN u ON t.a = u.a AND t.a > 1',
      'SELECT t.a, u.d FROM t JOIN u ON true',
      'SELECT t.a, u.d FROM t LEFT JOIN u ON false',
      'SELECT t.a, u.d FROM t JOIN u ON t.a < u.a',
      'SELECT count(*) AS n FROM t a1 JOIN t a2 ON a1.a = a2.a',
      'SELECT x.a, y.b FROM t x JOIN t y ON x.a + 1 = y.a',
      'SELECT t.a, s.m FROM t JOIN (SELECT a, max(d) AS m FROM u GROUP BY a) s ON s.a = t.a',
      'SELECT t.a, v.x FROM t JOIN (VALUES (1, \'p\'), (5, \'q\')) v(k, x) ON v.k = t.a',
      'SELECT a FROM t JOIN u ON t.a = u.a',
      'SELECT t.a, l.d FROM t, LATERAL (SELECT d FROM u WHERE u.a = t.a ORDER BY d LIMIT 1) l',
      'SELECT t.a, l.d FROM t LEFT JOIN LATERAL (SELECT d FROM u WHERE u.a = t.a ORDER BY d DESC LIMIT 1) l ON true',
      'SELECT t.a, g FROM t CROSS JOIN LATERAL generate_series(1, t.a) g WHERE t.a < 4',
      'SELECT * FROM (t JOIN u ON t.a = u.a) JOIN u u2 ON u2.a = t.a ORDER BY 1, 2, 3, 4, 5, 6, 7',
      'SELECT t.a, u.d, u2.d AS d2 FROM t LEFT JOIN u ON t.a = u.a LEFT JOIN u u2 ON u2.a = u.a + 2',
      'SELECT t.a, u.d FROM t RIGHT JOIN u ON t.a = u.a LEFT JOIN t t3 ON t3.b = u.d',
    ],
  },
  {
    name: 'joins/hr',
    setup: [...HR],
    queries: [
      'SELECT e.name, m.name AS manager FROM emp e LEFT JOIN emp m ON e.mgr_id = m.id',
      'SELECT e.name, d.name AS dept FROM emp e JOIN dept d ON d.id = e.dept_id WHERE d.region = \'north\'',
      'SELECT d.name, count(e.id) AS n FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.name',
      'SELECT d.name, e.name AS ename FROM dept d FULL JOIN emp e ON e.dept_id = d.id',
      'SELECT e.name, m.name AS mgr, mm.name AS mgr2 FROM emp e JOIN emp m ON e.mgr_id = m.id JOIN emp mm ON m.mgr_id = mm.id',
      'SELECT e1.name, e2.name AS other FROM emp e1 JOIN emp e2 ON e1.dept_id = e2.dept_id AND e1.id < e2.id',
      'SELECT d.name FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept_id = d.id)',
      'SELECT e.name, d.name AS dname FROM emp e, dept d WHERE e.dept_id = d.id AND e.salary > 100 ORDER BY e.name',
      'SELECT d.region, sum(e.salary) AS total FROM emp e JOIN dept d ON d.id = e.dept_id GROUP BY d.region ORDER BY total DESC',
    ],
  },
  {
    name: 'joins/eight-way',
    setup: CHAIN,
    queries: [
      `SELECT j1.v, j2.v, j3.v, j4.v, j5.v, j6.v, j7.v, j8.v FROM j1
        JOIN j2 ON j2.id = j1.nxt JOIN j3 ON j3.id = j2.nxt JOIN j4 ON j4.id = j3.nxt
        JOIN j5 ON j5.id = j4.nxt JOIN j6 ON j6.id = j5.nxt JOIN j7 ON j7.id = j6.nxt JOIN j8 ON j8.id = j7.nxt`,
      `SELECT j1.id, j8.v FROM j1
        LEFT JOIN j2 ON j2.id = j1.nxt LEFT JOIN j3 ON j3.id = j2.nxt LEFT JOIN j4 ON j4.id = j3.nxt
        LEFT JOIN j5 ON j5.id = j4.nxt LEFT JOIN j6 ON j6.id = j5.nxt LEFT JOIN j7 ON j7.id = j6.nxt LEFT JOIN j8 ON j8.id = j7.nxt`,
      `SELECT count(*) AS n FROM j1, j2, j3, j4, j5, j6, j7, j8
        WHERE j1.id = j2.id AND j2.id = j3.id AND j3.id = j4.id AND j4.id = j5.id AND j5.id = j6.id AND j6.id = j7.id AND j7.id = j8.id`,
      `SELECT j1.id, j8.id AS id8 FROM j1 JOIN j2 USING (id) JOIN j3 USING (id) JOIN j4 USING (id) JOIN j5 USING (id)
        JOIN j6 USING (id) JOIN j7 USING (id) FULL JOIN j8 ON j8.id = j1.nxt`,
      'SELECT count(*) AS n FROM j1, j2, j3, j4 WHERE j1.id < j2.id AND j3.nxt IS NOT NULL',
    ],
  },
]);
