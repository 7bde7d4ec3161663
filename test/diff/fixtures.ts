/**
 * Shared setup statements for the differential suites: small tables with NULLs, duplicates and
 * ties, loaded identically into Oxibase and PostgreSQL.
 */

/** t(a int, b text, c numeric) with NULLs and duplicates; u(a int, d text). */
export const SMALL: readonly string[] = [
  'CREATE TABLE t (a int, b text, c numeric(10,2))',
  "INSERT INTO t VALUES (1, 'one', 1.50), (2, 'two', NULL), (3, NULL, 3.25), (NULL, 'null', 0), (2, 'deux', 2.00), (5, 'five', -5.5)",
  'CREATE TABLE u (a int, d text)',
  "INSERT INTO u VALUES (1, 'x'), (2, 'y'), (2, 'yy'), (4, 'z'), (NULL, 'n')",
];

/** dept / emp: a classic HR schema with a manager hierarchy. */
export const HR: readonly string[] = [
  'CREATE TABLE dept (id int PRIMARY KEY, name text NOT NULL, region text)',
  "INSERT INTO dept VALUES (10, 'eng', 'north'), (20, 'sales', 'south'), (30, 'ops', 'north'), (40, 'empty', NULL)",
  'CREATE TABLE emp (id int PRIMARY KEY, name text NOT NULL, dept_id int REFERENCES dept(id), mgr_id int, salary numeric(10,2), hired date)',
  `INSERT INTO emp VALUES
    (1, 'ann', 10, NULL, 200.00, '2015-03-01'),
    (2, 'bob', 10, 1, 120.00, '2016-07-15'),
    (3, 'cid', 10, 2, 100.00, '2018-01-10'),
    (4, 'dee', 20, 1, 150.00, '2017-05-20'),
    (5, 'eve', 20, 4, 90.00, '2019-11-30'),
    (6, 'fay', 20, 4, 90.00, '2020-02-29'),
    (7, 'gus', 30, 1, 110.00, '2021-08-08'),
    (8, 'hal', NULL, 7, NULL, '2022-12-31')`,
];

/** sales(region, product, year, qty, amount) for grouping and window tests. */
export const SALES: readonly string[] = [
  'CREATE TABLE sales (id int PRIMARY KEY, region text, product text, yr int, qty int, amount numeric(10,2))',
  `INSERT INTO sales VALUES
    (1, 'north', 'apple', 2020, 10, 15.00),
    (2, 'north', 'apple', 2021, 12, 18.00),
    (3, 'north', 'pear', 2020, 5, 10.00),
    (4, 'south', 'apple', 2020, 7, 10.50),
    (5, 'south', 'pear', 2021, 5, 11.00),
    (6, 'south', 'pear', 2021, 3, 6.60),
    (7, 'east', 'plum', 2022, NULL, 4.00),
    (8, 'north', 'plum', 2022, 1, NULL),
    (9, NULL, 'apple', 2021, 2, 3.00),
    (10, 'east', 'apple', 2020, 10, 15.00)`,
];
