/** Shared workload and verification for the crash tests (simulated and real-process). */
import assert from 'node:assert/strict';
import type { Oxibase } from '../../src/api/database.ts';
import type { Queryable } from '../../src/api/types.ts';
import { checkIntegrity } from '../../src/wal/integrity.ts';

export const SCHEMA = `
  CREATE TABLE audit (txn int PRIMARY KEY, n int NOT NULL CHECK (n >= -1));
  CREATE TABLE items (id serial PRIMARY KEY, txn int NOT NULL REFERENCES audit (txn), k int NOT NULL DEFAULT 0, note text);
  CREATE INDEX items_txn ON items (txn);
  CREATE TABLE counters (id int PRIMARY KEY, total int NOT NULL);
  INSERT INTO counters VALUES (0, 0);
`;

/** A tiny deterministic PRNG for workloads (tests must not depend on Math.random). */
export function prng(seed: number): () => number {
  let s = (seed >>> 0) || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

export type TxnKind = 'single' | 'multi' | 'ddl' | 'delete' | 'update';

/** Runs transaction number `i` of the workload on `q`; resolves when it was acknowledged. */
export async function runTxn(q: Queryable, i: number, kind: TxnKind, rnd: () => number): Promise<void> {
  switch (kind) {
    case 'single':
      await q.query(`INSERT INTO audit (txn, n) VALUES (${i}, 0)`);
      return;
    case 'multi': {
      const n = 1 + Math.floor(rnd() * 4);
      await q.query('BEGIN');
      try {
        await q.query(`INSERT INTO audit (txn, n) VALUES (${i}, ${n})`);
        for (let r = 0; r < n; r++) await q.query(`INSERT INTO items (txn, note) VALUES (${i}, 'row ${r} of ${i}')`);
        await q.query(`UPDATE counters SET total = total + ${n} WHERE id = 0`);
        await q.query('COMMIT');
      } catch (e) {
        await q.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      return;
    }
    case 'update':
      await q.query(`UPDATE items SET k = k + 1 WHERE id % 7 = ${i % 7}`);
      return;
    case 'ddl':
      await q.query('BEGIN');
      try {
        await q.query(`CREATE TABLE ddl_${i} (x int PRIMARY KEY, y text)`);
        await q.query(`INSERT INTO ddl_${i} VALUES (${i}, 'made by ${i}')`);
        await q.query(`INSERT INTO audit (txn, n) VALUES (${i}, -1)`);
        await q.query('COMMIT');
      } catch (e) {
        await q.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      return;
    case 'delete': {
      await q.query('BEGIN');
      try {
        const r = await q.query<{ txn: number; n: number }>('SELECT txn, n FROM audit WHERE n > 0 ORDER BY txn LIMIT 1 FOR UPDATE');
        const row = r.rows[0];
        if (row !== undefined) {
          await q.query(`DELETE FROM items WHERE txn = ${row.txn}`);
          await q.query(`UPDATE audit SET n = 0 WHERE txn = ${row.txn}`);
          await q.query(`UPDATE counters SET total = total - ${row.n} WHERE id = 0`);
        }
        await q.query(`INSERT INTO audit (txn, n) VALUES (${i}, 0)`);
        await q.query('COMMIT');
      } catch (e) {
        await q.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  }
}

export function pickKind(rnd: () => number): TxnKind {
  const x = rnd();
  return x < 0.35 ? 'single' : x < 0.7 ? 'multi' : x < 0.8 ? 'update' : x < 0.9 ? 'ddl' : 'delete';
}

/**
 * Verifies a recovered database: every transaction in `acked` is present, no transaction is
 * partial (audit rows agree with items and the counter), DDL tables exist, integrity holds.
 */
export async function verifyRecovered(db: Oxibase, acked: ReadonlyMap<number, TxnKind>, label: string): Promise<void> {
  const audit = new Map<number, number>();
  for (const r of (await db.query<{ txn: number; n: number }>('SELECT txn, n FROM audit')).rows) audit.set(r.txn, r.n);
  for (const [i, kind] of acked) {
    if (kind === 'update') continue;
    assert.ok(audit.has(i), `${label}: acknowledged transaction ${i} (${kind}) is missing`);
  }
  const counts = new Map<number, number>();
  for (const r of (await db.query<{ txn: number; c: number }>('SELECT txn, count(*)::int AS c FROM items GROUP BY txn')).rows) counts.set(r.txn, r.c);
  let sum = 0;
  for (const [txn, n] of audit) {
    if (n > 0) sum += n;
    assert.equal(counts.get(txn) ?? 0, Math.max(n, 0), `${label}: transaction ${txn} is partial (audit n=${n})`);
    if (n === -1) {
      const t = await db.query(`SELECT x FROM ddl_${txn}`);
      assert.deepEqual(t.rows, [{ x: txn }], `${label}: DDL transaction ${txn} lost its table or row`);
    }
  }
  for (const txn of counts.keys()) assert.ok(audit.has(txn), `${label}: items of transaction ${txn} without its audit row`);
  const total = (await db.query<{ total: number }>('SELECT total FROM counters WHERE id = 0')).rows[0]?.total;
  assert.equal(total, sum, `${label}: counter disagrees with the items`);
  const problems = await checkIntegrity(db.engine);
  assert.deepEqual(problems, [], `${label}: integrity check failed`);
  // The sequence must not re-issue ids: a new row gets an id above every existing one.
  const max = (await db.query<{ m: number | null }>('SELECT max(id) AS m FROM items')).rows[0]?.m ?? 0;
  const next = (await db.query<{ v: number }>(`SELECT nextval('items_id_seq') AS v`)).rows[0]!.v;
  assert.ok(next > max, `${label}: sequence re-issued ${next} (max id ${max})`);
}
