/**
 * Index correctness under concurrent transactions, property-based: three sessions run random
 * inserts, updates and deletes (each on its own rows, so nobody waits) inside transactions that
 * commit or roll back, on a table with a composite B-tree, a hash, two bitmap, an expression and
 * a partial index. After every step, every session and a fresh reader run a set of queries twice
 * (indexes forced with enable_seqscan = off, then plain sequential scans) and must get the same
 * rows; the forced run must really use an index (checked with EXPLAIN), so a broken index fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

type Session = ReturnType<Oxibase['session']>;

const SESSIONS = 3;
const KINDS = ['red', 'green', 'blue'];

function pick<T>(rnd: SeededRandom, xs: readonly T[]): T {
  return xs[rnd.nextU32() % xs.length]!;
}

function queries(rnd: SeededRandom): string[] {
  const a = rnd.nextU32() % 12;
  const b = rnd.nextU32() % 12;
  const c = rnd.nextU32() % 8;
  const id = rnd.nextU32() % 90;
  const kind = pick(rnd, KINDS);
  return [
    `SELECT id FROM t WHERE a = ${a} AND b > ${b}`,
    `SELECT id FROM t WHERE a BETWEEN ${a} AND ${a + 3}`,
    `SELECT id FROM t WHERE a IS NULL`,
    `SELECT id FROM t WHERE a IN (${a}, ${b}, 3) AND b <= ${c}`,
    `SELECT id FROM t WHERE id > ${id} ORDER BY id DESC LIMIT 5`,
    `SELECT id FROM t WHERE id >= ${id} AND id < ${id + 10}`,
    `SELECT id FROM t WHERE c = ${c}`,
    `SELECT id FROM t WHERE kind = '${kind}' AND flag`,
    `SELECT id FROM t WHERE kind = '${kind}' OR c = ${c}`,
    `SELECT id FROM t WHERE lower(s) = 'name${c}'`,
    `SELECT id FROM t WHERE a = ${a} AND gone IS NULL`,
    `SELECT count(*) AS n FROM t WHERE a = ${a}`,
    `SELECT max(id) AS m FROM t`,
    `SELECT a, b FROM t WHERE a = ${a} ORDER BY b DESC, a LIMIT 3`,
  ];
}

async function planOf(s: Session, sql: string): Promise<string> {
  return (await s.query(`EXPLAIN ${sql}`)).rows.map((r) => String((r as Record<string, unknown>)['QUERY PLAN'])).join('\n');
}

async function sameThroughIndexAndScan(s: Session, sql: string, who: string): Promise<void> {
  await s.query('SET enable_seqscan = off');
  const plan = await planOf(s, sql);
  assert.match(plan, /Index|Bitmap/, `${who}: forced plan uses no index:\n${sql}\n${plan}`);
  const viaIndex = (await s.query(sql)).rows;
  await s.query('SET enable_seqscan = on');
  await s.query('SET enable_indexscan = off');
  await s.query('SET enable_bitmapscan = off');
  await s.query('SET enable_indexonlyscan = off');
  const plan2 = await planOf(s, sql);
  assert.doesNotMatch(plan2, /Index Scan|Bitmap/, `${who}: unforced plan still uses an index:\n${plan2}`);
  const viaScan = (await s.query(sql)).rows;
  await s.query('RESET enable_indexscan');
  await s.query('RESET enable_bitmapscan');
  await s.query('RESET enable_indexonlyscan');
  const ordered = /ORDER BY/.test(sql);
  const norm = (rows: unknown[]): string[] => {
    const out = rows.map((r) => JSON.stringify(r));
    return ordered ? out : out.sort();
  };
  assert.deepEqual(norm(viaIndex), norm(viaScan), `${who}: ${sql}\n${plan}`);
}

for (const seed of [11, 12, 13]) {
  test(`indexes agree with full scans under concurrent transactions (seed ${seed})`, async () => {
    const rnd = new SeededRandom(seed);
    const db = await Oxibase.open('memory://');
    await db.exec(`CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT, kind TEXT, flag BOOLEAN, s TEXT, gone INT)`);
    await db.exec(`CREATE INDEX t_ab ON t (a, b DESC); CREATE INDEX t_c ON t USING hash (c);
      CREATE INDEX t_kind ON t USING bitmap (kind); CREATE INDEX t_flag ON t USING bitmap (flag);
      CREATE INDEX t_ls ON t (lower(s)); CREATE INDEX t_live ON t (a) WHERE gone IS NULL`);
    const sessions: Session[] = [];
    for (let i = 0; i < SESSIONS; i++) sessions.push(db.session());
    const nextId = [0, 1, 2].map((i) => i);
    const live: number[][] = [[], [], []];
    const randRow = (id: number): string => {
      const a = rnd.nextU32() % 10 === 0 ? 'NULL' : String(rnd.nextU32() % 12);
      return `(${id}, ${a}, ${rnd.nextU32() % 12}, ${rnd.nextU32() % 8}, '${pick(rnd, KINDS)}', ${rnd.nextU32() % 2 === 0}, ` +
        `'${pick(rnd, ['Name', 'NAME', 'name'])}${rnd.nextU32() % 8}', ${rnd.nextU32() % 3 === 0 ? 'NULL' : '1'})`;
    };
    for (let step = 0; step < 60; step++) {
      const k = rnd.nextU32() % SESSIONS;
      const s = sessions[k]!;
      if (s.transactionStatus === 'idle' && rnd.nextU32() % 2 === 0) await s.query('BEGIN');
      const op = rnd.nextU32() % 6;
      const mine = live[k]!;
      if (op <= 1 || mine.length === 0) {
        const rows: string[] = [];
        for (let i = 0; i < 1 + (rnd.nextU32() % 4); i++) {
          const id = nextId[k]!;
          nextId[k] = id + SESSIONS;
          rows.push(randRow(id));
          mine.push(id);
        }
        await s.query(`INSERT INTO t VALUES ${rows.join(', ')}`);
      } else if (op === 2) {
        const id = pick(rnd, mine);
        await s.query(`UPDATE t SET a = ${rnd.nextU32() % 12}, b = b + 1, s = upper(s) WHERE id = ${id}`);
      } else if (op === 3) {
        await s.query(`UPDATE t SET c = ${rnd.nextU32() % 8}, kind = '${pick(rnd, KINDS)}', gone = NULL ` +
          `WHERE a = ${rnd.nextU32() % 12} AND id % ${SESSIONS} = ${k}`);
      } else if (op === 4) {
        await s.query(`DELETE FROM t WHERE lower(s) = 'name${rnd.nextU32() % 8}' AND id % ${SESSIONS} = ${k}`);
      } else {
        await s.query(`UPDATE t SET gone = 1, flag = NOT flag WHERE c = ${rnd.nextU32() % 8} AND id % ${SESSIONS} = ${k}`);
      }
      if (s.transactionStatus === 'in transaction' && rnd.nextU32() % 3 === 0) {
        await s.query(rnd.nextU32() % 3 === 0 ? 'ROLLBACK' : 'COMMIT');
      }
      if (step % 3 !== 2) continue;
      const reader = db.session();
      for (const sql of queries(rnd)) {
        for (let i = 0; i < SESSIONS; i++) await sameThroughIndexAndScan(sessions[i]!, sql, `seed ${seed} step ${step} session ${i}`);
        await sameThroughIndexAndScan(reader, sql, `seed ${seed} step ${step} reader`);
      }
    }
    for (const s of sessions) if (s.transactionStatus !== 'idle') await s.query('COMMIT');
    await db.exec('VACUUM');
    const reader = db.session();
    for (const sql of queries(rnd)) await sameThroughIndexAndScan(reader, sql, `seed ${seed} after vacuum`);
    await db.close();
  });
}

test('SERIALIZABLE: a write skew read through an index range fails like one read by a Seq Scan', async () => {
  for (const indexes of ['on', 'off']) {
    const db = await Oxibase.open('memory://');
    await db.exec('CREATE TABLE t (id INT PRIMARY KEY, k INT); CREATE INDEX t_k ON t (k); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g');
    const a = db.session();
    const b = db.session();
    await a.query(`SET enable_indexscan = ${indexes}`);
    await a.query(`SET enable_bitmapscan = ${indexes}`);
    await a.query(`SET enable_indexonlyscan = ${indexes}`);
    const plan = (await a.queryArrays('EXPLAIN (COSTS OFF) SELECT count(*) FROM t WHERE k BETWEEN 1 AND 10')).rows.map((r) => String(r[0])).join('\n');
    assert.match(plan, indexes === 'on' ? /Index Only Scan using t_k/ : /Seq Scan/);
    await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    await a.query('SELECT count(*) FROM t WHERE k BETWEEN 1 AND 10');
    await b.query('SELECT count(*) FROM t WHERE k BETWEEN 2000 AND 2010');
    await a.query('INSERT INTO t VALUES (2005, 2005)');
    await b.query('INSERT INTO t VALUES (5000, 5)');
    await b.query('COMMIT');
    await assert.rejects(a.query('COMMIT'), (e: { code?: string }) => e.code === '40001', `indexes ${indexes}`);
    await db.close();
  }
});
