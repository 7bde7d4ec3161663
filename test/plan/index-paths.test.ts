/**
 * Access-path choice (src/plan/binder/access-path.ts, index-order.ts): EXPLAIN shows an index
 * where one must be used (point lookups even on tiny tables, selective ranges, composite
 * prefixes, IN lists, IS NULL, LIKE prefixes, expression and partial indexes, ORDER BY ... LIMIT,
 * min/max, covering indexes, BitmapAnd/BitmapOr) and a Seq Scan where it must not (a range
 * covering the table, a partial index the query does not imply, a mismatched type), and the
 * enable_* settings steer the choice like PostgreSQL's.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(rows = 10_000): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, kind TEXT, email TEXT, deleted_at INT, flag BOOLEAN)`);
  await db.exec(`INSERT INTO t SELECT g, g % 100, g % 37, 'k' || (g % 4), 'User' || g || '@Example.com',
    CASE WHEN g % 10 = 0 THEN g END, g % 2 = 0 FROM generate_series(1, ${rows}) g`);
  await db.exec(`CREATE INDEX t_a_b ON t (a, b); CREATE INDEX t_email ON t (email); CREATE INDEX t_lower ON t (lower(email));
    CREATE INDEX t_live ON t (b) WHERE deleted_at IS NULL; CREATE INDEX t_kind ON t USING bitmap (kind);
    CREATE INDEX t_deleted ON t (deleted_at)`);
  return db;
}

async function explain(db: Oxibase | ReturnType<Oxibase['session']>, sql: string): Promise<string[]> {
  return (await db.queryArrays(`EXPLAIN (COSTS OFF) ${sql}`)).rows.map((r) => String(r[0]));
}

test('point lookups use the primary key, even on a tiny table', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE s (id INT PRIMARY KEY, v TEXT); INSERT INTO s SELECT g, g::text FROM generate_series(1, 10) g');
  assert.deepEqual(await explain(db, 'SELECT v FROM s WHERE id = 3'), ['Index Scan using s_pkey on s', '  Index Cond: (id = 3)']);
  assert.deepEqual(await explain(db, 'SELECT v FROM s WHERE id = $1'), ['Index Scan using s_pkey on s', '  Index Cond: (id = $1)']);
  assert.deepEqual((await db.query('SELECT v FROM s WHERE id = 3')).rows, [{ v: '3' }]);
  await db.close();
});

test('ranges, composite prefixes, IN lists, IS NULL and LIKE prefixes', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE id BETWEEN 10 AND 20'), [
    'Index Scan using t_pkey on t', '  Index Cond: ((id >= 10) AND (id <= 20))',
  ]);
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE a = 5 AND b > 30 AND kind <> $$x$$'), [
    'Index Scan using t_a_b on t', '  Index Cond: ((a = 5) AND (b > 30))', "  Filter: (kind <> 'x'::text)",
  ]);
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE id IN (5, 7, 9)'), [
    'Index Scan using t_pkey on t', '  Index Cond: (id IN (5, 7, 9))',
  ]);
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE deleted_at IS NULL AND id < 5'), [
    'Index Scan using t_pkey on t', '  Index Cond: (id < 5)', '  Filter: (deleted_at IS NULL)',
  ]);
  assert.deepEqual(await explain(db, "SELECT id FROM t WHERE email LIKE 'User12%'"), [
    'Index Scan using t_email on t', "  Filter: (email ~~ 'User12%'::text)",
  ]);
  assert.deepEqual((await db.query("SELECT count(*)::int AS n FROM t WHERE email LIKE 'User12%'")).rows, [{ n: 111 }]);
  assert.deepEqual((await db.query('SELECT id FROM t WHERE id IN (9, 5, 7, 5) ORDER BY id')).rows.map((r) => r.id), [5, 7, 9]);
  await db.close();
});

test('a range covering the whole table, or an unimplied partial index, is a Seq Scan', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE id > 0'), ['Seq Scan on t', '  Filter: (id > 0)']);
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE b = 3'), ['Seq Scan on t', '  Filter: (b = 3)']);
  // A comparison the binder casts (bigint constant against an int column) cannot use the index.
  assert.match((await explain(db, 'SELECT * FROM t WHERE id = 3000000000'))[0]!, /Seq Scan/);
  await db.close();
});

test('expression and partial indexes', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, "SELECT id FROM t WHERE lower(email) = 'user7@example.com'"), [
    'Index Scan using t_lower on t', "  Index Cond: (lower(email) = 'user7@example.com'::text)",
  ]);
  assert.deepEqual((await db.query("SELECT id FROM t WHERE lower(email) = $1", ['user7@example.com'])).rows, [{ id: 7 }]);
  assert.deepEqual(await explain(db, 'SELECT id FROM t WHERE b = 3 AND deleted_at IS NULL'), [
    'Index Scan using t_live on t', '  Index Cond: (b = 3)',
  ]);
  const n = (await db.query('SELECT count(*)::int AS n FROM t WHERE b = 3 AND deleted_at IS NULL')).rows[0];
  const m = (await db.query('SELECT count(*)::int AS n FROM t WHERE b + 0 = 3 AND deleted_at IS NULL')).rows[0];
  assert.deepEqual(n, m);
  await db.close();
});

test('ORDER BY ... LIMIT, backward scans and min/max read the index in order', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT * FROM t ORDER BY id DESC LIMIT 3'), [
    'Limit', '  ->  Index Scan Backward using t_pkey on t',
  ]);
  assert.deepEqual((await db.query('SELECT id FROM t ORDER BY id DESC LIMIT 3')).rows.map((r) => r.id), [10000, 9999, 9998]);
  assert.deepEqual(await explain(db, 'SELECT * FROM t WHERE a = 4 ORDER BY b LIMIT 5'), [
    'Limit', '  ->  Index Scan using t_a_b on t', '        Index Cond: (a = 4)',
  ]);
  assert.deepEqual(await explain(db, 'SELECT max(id) FROM t'), [
    'Aggregate', '  ->  Limit', '        ->  Index Only Scan Backward using t_pkey on t', '              Index Cond: (id IS NOT NULL)',
  ]);
  assert.deepEqual((await db.query('SELECT max(id) AS m, (SELECT min(deleted_at) FROM t) AS d FROM t')).rows, [{ m: 10000, d: 10 }]);
  // No LIMIT and nothing to narrow: sorting a sequential scan stays.
  assert.deepEqual(await explain(db, 'SELECT * FROM t ORDER BY id'), ['Sort', '  Sort Key: id', '  ->  Seq Scan on t']);
  await db.close();
});

test('covering indexes give Index Only Scans', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, 'SELECT a, b FROM t WHERE a = 4'), ['Index Only Scan using t_a_b on t', '  Index Cond: (a = 4)']);
  assert.deepEqual(await explain(db, 'SELECT count(*) FROM t WHERE a = 4'), [
    'Aggregate', '  ->  Index Only Scan using t_a_b on t', '        Index Cond: (a = 4)',
  ]);
  await db.exec('CREATE INDEX t_b_incl ON t (b) INCLUDE (kind)');
  assert.deepEqual(await explain(db, 'SELECT kind FROM t WHERE b = 4 AND id < 0'), [
    'Index Scan using t_pkey on t', '  Index Cond: (id < 0)', '  Filter: (b = 4)',
  ]);
  assert.deepEqual(await explain(db, 'SELECT kind FROM t WHERE b = 4'), ['Index Only Scan using t_b_incl on t', '  Index Cond: (b = 4)']);
  assert.equal((await db.query('SELECT count(*)::int AS n FROM t WHERE b = 4')).rows[0]!.n, 271);
  await db.close();
});

test('bitmap scans: a bitmap index, BitmapOr over OR arms, BitmapAnd of two indexes', async () => {
  const db = await setup();
  assert.deepEqual(await explain(db, "SELECT id FROM t WHERE kind = 'k1'"), [
    'Bitmap Heap Scan on t', "  Recheck Cond: (kind = 'k1'::text)", '  ->  Bitmap Index Scan on t_kind',
    "        Index Cond: (kind = 'k1'::text)",
  ]);
  assert.deepEqual(await explain(db, "SELECT id FROM t WHERE a = 3 OR email = 'x'"), [
    'Bitmap Heap Scan on t', "  Recheck Cond: ((a = 3) OR (email = 'x'::text))", '  ->  BitmapOr',
    '        ->  Bitmap Index Scan on t_a_b', '              Index Cond: (a = 3)',
    '        ->  Bitmap Index Scan on t_email', "              Index Cond: (email = 'x'::text)",
  ]);
  // With statistics, `a = 3` alone is selective enough that one index scan plus a filter wins;
  // with plain index scans disabled the two indexes are combined.
  assert.equal((await explain(db, 'SELECT id FROM t WHERE a = 3 AND deleted_at IS NULL'))[0], 'Index Scan using t_a_b on t');
  await db.exec('SET enable_indexscan = off');
  const and = await explain(db, 'SELECT id FROM t WHERE a = 3 AND deleted_at IS NULL');
  await db.exec('RESET enable_indexscan');
  assert.equal(and[0], 'Bitmap Heap Scan on t');
  assert.equal(and[2], '  ->  BitmapAnd');
  const count = async (sql: string): Promise<number> => Number((await db.query(sql)).rows[0]!.n);
  assert.equal(await count("SELECT count(*) AS n FROM t WHERE a = 3 OR email = 'User5@Example.com'"), 101);
  assert.equal(await count('SELECT count(*) AS n FROM t WHERE a = 3 AND deleted_at IS NULL'), 100);
  assert.equal(await count("SELECT count(*) AS n FROM t WHERE kind = 'k1'"), 2500);
  await db.close();
});

test('enable_* settings steer the choice and key the plan cache', async () => {
  const db = await setup(2000);
  const s = db.session();
  assert.equal((await explain(s, 'SELECT * FROM t WHERE id = 5'))[0], 'Index Scan using t_pkey on t');
  await s.query('SET enable_indexscan = off');
  assert.match((await explain(s, 'SELECT * FROM t WHERE id = 5'))[0]!, /Bitmap Heap Scan|Seq Scan/);
  await s.query('SET enable_bitmapscan = off');
  assert.equal((await explain(s, 'SELECT * FROM t WHERE id = 5'))[0], 'Seq Scan on t');
  await s.query('RESET ALL');
  await s.query('SET enable_seqscan = off');
  assert.equal((await explain(s, 'SELECT * FROM t WHERE id > 0'))[0], 'Index Scan using t_pkey on t');
  // Disabled, but nothing else applies: still a Seq Scan (a cost penalty, not a ban).
  assert.equal((await explain(s, 'SELECT * FROM t WHERE kind <> $$a$$'))[0], 'Seq Scan on t');
  // The same statement text replans when a toggle changes.
  const q = 'SELECT count(*)::int AS n FROM t WHERE id > 10';
  assert.deepEqual((await s.query(q)).rows, [{ n: 1990 }]);
  await s.query('RESET enable_seqscan');
  assert.deepEqual((await s.query(q)).rows, [{ n: 1990 }]);
  await db.close();
});
