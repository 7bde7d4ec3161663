/**
 * Differential suite: subqueries (scalar, IN/NOT IN with NULLs, EXISTS, ANY/ALL, correlated at
 * depth 2, derived tables) and CTEs (plain, multiple, RECURSIVE, data-modifying).
 */
import { diffSuite } from './differential.ts';
import { HR, SMALL } from './fixtures.ts';

diffSuite('subqueries', [
  {
    name: 'subqueries/basic',
    setup: [...SMALL],
    queries: [
      'SELECT a, (SELECT max(d) FROM u WHERE u.a = t.a) AS md FROM t',
      'SELECT a FROM t WHERE a IN (SELECT a FROM u)',
      'SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)',
      'SELECT a FROM t WHERE a NOT IN (SELECT a FROM u WHERE a IS NOT NULL)',
      'SELECT a, a IN (SELECT a FROM u) AS i, a NOT IN (SELECT a FROM u) AS ni FROM t',
      'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)',
      'SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.a = t.a)',
      'SELECT a FROM t WHERE a > ANY (SELECT a FROM u)',
      'SELECT a FROM t WHERE a > ALL (SELECT a FROM u WHERE a IS NOT NULL)',
      'SELECT a FROM t WHERE a > ALL (SELECT a FROM u)',
      'SELECT a, a = ANY (SELECT a FROM u) AS eqany, a <> ALL (SELECT a FROM u) AS neall FROM t',
      'SELECT a FROM t WHERE a >= ALL (SELECT a FROM u WHERE false)',
      'SELECT (SELECT a FROM u WHERE false) AS x',
      'SELECT (SELECT a FROM u) AS x',
      'SELECT (SELECT a, d FROM u LIMIT 1) AS x',
      'SELECT a FROM t WHERE a = (SELECT a FROM u WHERE d = \'x\')',
      'SELECT s.a, s.n FROM (SELECT a, count(*) AS n FROM u GROUP BY a) s WHERE s.n > 1',
      'SELECT * FROM (SELECT * FROM (SELECT a, b FROM t WHERE a > 1) x WHERE a < 5) y ORDER BY a, b',
      'SELECT a FROM t WHERE (a, b) IN (SELECT a, d FROM u)',
      'SELECT EXISTS (SELECT 1 FROM u WHERE a > 3) AS e1, EXISTS (SELECT 1 FROM u WHERE a > 30) AS e2',
      'SELECT a, (SELECT count(*) FROM u WHERE u.a < t.a) AS below FROM t',
      'SELECT a FROM t WHERE c > (SELECT avg(c) FROM t)',
      'SELECT ARRAY(SELECT d FROM u WHERE u.a = t.a ORDER BY d) AS ds, a FROM t',
      'SELECT max(a) AS m FROM (SELECT a FROM t UNION ALL SELECT a FROM u) z',
      'SELECT a FROM t WHERE a IN (SELECT a FROM u WHERE u.d = t.b)',
    ],
  },
  {
    name: 'subqueries/correlated',
    setup: [...HR],
    queries: [
      'SELECT name FROM emp e WHERE salary > (SELECT avg(salary) FROM emp x WHERE x.dept_id = e.dept_id)',
      `SELECT d.name FROM dept d WHERE EXISTS (
         SELECT 1 FROM emp e WHERE e.dept_id = d.id AND EXISTS (
           SELECT 1 FROM emp m WHERE m.id = e.mgr_id AND m.dept_id <> d.id))`,
      `SELECT e.name, (SELECT count(*) FROM emp r WHERE r.mgr_id = e.id
          AND r.salary < (SELECT max(salary) FROM emp q WHERE q.dept_id = e.dept_id)) AS n FROM emp e`,
      `SELECT d.name, (SELECT max(e.salary) FROM emp e WHERE e.dept_id = d.id AND e.hired > (
          SELECT min(e2.hired) FROM emp e2 WHERE e2.dept_id = d.id)) AS m FROM dept d`,
      'SELECT name FROM emp e WHERE NOT EXISTS (SELECT 1 FROM emp r WHERE r.mgr_id = e.id)',
      'SELECT name, salary FROM emp e WHERE salary = (SELECT max(salary) FROM emp WHERE dept_id = e.dept_id)',
      'SELECT d.name, l.name AS top FROM dept d LEFT JOIN LATERAL (SELECT name FROM emp WHERE dept_id = d.id ORDER BY salary DESC, name LIMIT 1) l ON true',
      'SELECT name FROM emp WHERE dept_id IN (SELECT id FROM dept WHERE region = \'north\') AND mgr_id IN (SELECT id FROM emp WHERE salary > 150)',
      'SELECT name FROM emp WHERE mgr_id NOT IN (SELECT id FROM emp WHERE dept_id = 20)',
    ],
  },
  {
    name: 'subqueries/cte',
    setup: [...HR],
    queries: [
      'WITH x AS (SELECT id, name FROM emp WHERE salary > 100) SELECT name FROM x ORDER BY id',
      'WITH a AS (SELECT 1 AS v), b AS (SELECT v + 1 AS v FROM a) SELECT a.v, b.v AS w FROM a, b',
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 10) SELECT sum(n) AS s, count(*) AS k FROM c',
      `WITH RECURSIVE chain AS (
         SELECT id, name, mgr_id, 0 AS depth FROM emp WHERE mgr_id IS NULL
         UNION ALL SELECT e.id, e.name, e.mgr_id, c.depth + 1 FROM emp e JOIN chain c ON e.mgr_id = c.id)
       SELECT name, depth FROM chain ORDER BY depth, name`,
      `WITH RECURSIVE path AS (
         SELECT id, name::text AS p FROM emp WHERE id = 1
         UNION ALL SELECT e.id, path.p || '>' || e.name FROM emp e JOIN path ON e.mgr_id = path.id)
       SELECT p FROM path ORDER BY p`,
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT (n % 5) + 1 FROM r) SELECT n FROM r ORDER BY n',
      'WITH RECURSIVE fib(a, b) AS (SELECT 0::int8, 1::int8 UNION ALL SELECT b, a + b FROM fib WHERE b < 1000) SELECT a FROM fib ORDER BY a',
      'WITH x AS (SELECT * FROM emp) SELECT count(*) AS n FROM x a JOIN x b ON a.mgr_id = b.id',
      'WITH x AS MATERIALIZED (SELECT 1 AS v) SELECT v FROM x',
      'WITH x(a, b) AS (VALUES (1, 2), (3, 4)) SELECT b, a FROM x ORDER BY a',
      'WITH d AS (SELECT dept_id, sum(salary) AS s FROM emp GROUP BY dept_id) SELECT dept_id, s FROM d WHERE s > (SELECT avg(s) FROM d)',
      'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT a.n, b.n AS m FROM t a, t b ORDER BY 1, 2',
      'WITH x AS (SELECT 1) SELECT * FROM x, x',
    ],
  },
  {
    name: 'subqueries/cte-dml',
    setup: ['CREATE TABLE q (id int PRIMARY KEY, v int)', 'INSERT INTO q VALUES (1, 10), (2, 20), (3, 30)', 'CREATE TABLE q_log (id int, v int)'],
    queries: [
      'WITH del AS (DELETE FROM q WHERE v > 25 RETURNING *) INSERT INTO q_log SELECT * FROM del',
      'SELECT * FROM q_log',
      'WITH up AS (UPDATE q SET v = v + 1 RETURNING id, v) SELECT id, v FROM up ORDER BY id',
      'WITH ins AS (INSERT INTO q VALUES (9, 90) RETURNING id) SELECT id * 2 AS x FROM ins',
      'SELECT id, v FROM q ORDER BY id',
    ],
  },
]);
