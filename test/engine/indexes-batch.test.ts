/**
 * Index entries added in bulk (BTreeIndex holds added entries back and files them sorted, on the
 * next read of the index or when the writing transaction ends): multi-thousand-row INSERT ...
 * SELECT and UPDATE statements into tables with B-tree indexes over numbers and text, read back
 * through the indexes inside the writing transaction, by another session, after savepoint and
 * transaction rollbacks and after a statement that fails half-way; each time the same rows as a
 * sequential scan, and the integrity check (trees well formed, an entry per live row) passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { checkIntegrity } from '../../src/wal/integrity.ts';

type Session = ReturnType<Oxibase['session']>;

const PROBES = [
  'SELECT id FROM t WHERE a = 7 ORDER BY id',
  'SELECT id FROM t WHERE a >= 2990 AND a < 3010 ORDER BY id',
  'SELECT id, b FROM t WHERE b BETWEEN 100 AND 140 ORDER BY b, id',
  "SELECT id FROM t WHERE s >= 'k0100' AND s < 'k0110' ORDER BY id",
  'SELECT count(*) AS n FROM t WHERE a > 1000',
  'SELECT max(a) AS m FROM t',
];

async function rows(s: Session, sql: string): Promise<unknown[]> {
  return (await s.query(sql)).rows;
}

/** Each probe through the indexes (checked with EXPLAIN) and through a sequential scan agree. */
async function probe(s: Session, label: string): Promise<void> {
  for (const sql of PROBES) {
    await s.query('SET enable_seqscan = off');
    const plan = (await rows(s, `EXPLAIN ${sql}`)).map((r) => String((r as Record<string, unknown>)['QUERY PLAN'])).join('\n');
    assert.match(plan, /Index/, `${label}: no index used:\n${sql}\n${plan}`);
    const viaIndex = await rows(s, sql);
    await s.query('SET enable_seqscan = on; SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off');
    const viaScan = await rows(s, sql);
    await s.query('RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan');
    assert.deepEqual(viaIndex, viaScan, `${label}: ${sql}`);
  }
}

test('bulk inserts and updates into indexed tables read back the same through indexes and scans', async () => {
  const db = await Oxibase.open('memory://');
  const s = db.session();
  const other = db.session();
  try {
    await s.query('CREATE TABLE src (id int, a int, b int, s text)');
    await s.query("INSERT INTO src SELECT i, (i * 7919) % 5000, i % 300, 'k' || lpad((i % 977)::text, 4, '0') FROM generate_series(1, 6000) i");
    await s.query('CREATE TABLE t (id int PRIMARY KEY, a int, b int, s text)');
    await s.query('CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b DESC, id); CREATE INDEX t_s ON t (s)');
    await s.query('INSERT INTO t SELECT * FROM src WHERE id <= 1000');
    await s.query('ANALYZE t');

    await s.query('BEGIN');
    await s.query('INSERT INTO t SELECT id + 1000, a, b, s FROM src');
    await probe(s, 'inside the inserting transaction');
    // Rows updated in an order unrelated to their row ids, onto keys shared by many rows.
    await s.query('UPDATE t SET a = a % 50, b = 299 - b WHERE id % 3 = 0');
    await probe(s, 'after an update in the same transaction');
    // Driven by the (b DESC, id) index, so t_a gets its entries in no row-id order, more of them
    // than a radix sort starts at.
    await s.query('SET enable_seqscan = off');
    await s.query('UPDATE t SET a = a % 40 WHERE b >= 0');
    await s.query('SET enable_seqscan = on');
    await probe(s, 'after an update in index order');
    await s.query('SAVEPOINT sp');
    await s.query("INSERT INTO t SELECT id + 10000, a, b, s || 'x' FROM src");
    await s.query('ROLLBACK TO SAVEPOINT sp');
    await probe(s, 'after rolling back to a savepoint');
    await probe(other, 'another session, before the commit');
    await s.query('COMMIT');
    await probe(other, 'another session, after the commit');

    // A statement failing half-way (a duplicate key late in its rows) leaves nothing behind.
    await assert.rejects(s.query('INSERT INTO t SELECT id + 20000, a, b, s FROM src UNION ALL SELECT 20001, 0, 0, \'dup\''), { code: '23505' });
    await s.query('BEGIN');
    await s.query('INSERT INTO t SELECT id + 30000, a + 1, b, s FROM src');
    await s.query('ROLLBACK');
    await probe(s, 'after a failed statement and a rolled back transaction');
    assert.deepEqual(await rows(s, 'SELECT count(*) AS n FROM t'), [{ n: 7000 }]);
    assert.deepEqual(await checkIntegrity(db.engine), []);
    // Once vacuum has dropped the old versions, each index holds one entry per row: none was
    // left behind by the rolled-back inserts.
    await s.query('VACUUM t');
    const table = db.engine.catalog.tables().find((x) => x.name === 't')!;
    assert.deepEqual(table.store.indexes.map((ix) => [ix.name, (ix as { entries?: number }).entries]),
      table.store.indexes.map((ix) => [ix.name, 7000]));
  } finally {
    await other.close();
    await s.close();
    await db.close();
  }
});
