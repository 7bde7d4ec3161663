/**
 * Projection pushdown into scans of packed rows (src/plan/scan-columns.ts): a scan materializes
 * only the columns its plan reads, and reads its filter's columns before the others. Every query
 * here runs on a packed table and on a copy kept as slots (an index keeps it unpacked), and must
 * give the same rows: joins of every kind, correlated subqueries that read columns nothing else
 * does, whole-row references, DISTINCT, windows, set operations, CTEs, LATERAL and top-N.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import type { PlanNode, SeqScanNode } from '../../src/plan/plan-nodes.ts';
import { noteScanColumns, scanColumns } from '../../src/plan/scan-columns.ts';
import type { TableDef } from '../../src/catalog/objects.ts';
import type { Session as EngineSession } from '../../src/engine/session.ts';

const ROWS = 3000;

async function load(db: Oxibase, name: string): Promise<void> {
  await db.exec(`CREATE TABLE ${name} (id int, grp int, name text, val float8, note text, tag varchar(10))`);
  await db.exec(`INSERT INTO ${name} SELECT g, g % 10, 'name-' || g, g * 0.5,
                   CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || (g % 13) END, CASE WHEN g % 3 = 0 THEN 'é' || g END
                 FROM generate_series(0, ${ROWS - 1}) g`);
}

const QUERIES = [
  'SELECT grp, sum(val), count(*), max(name) FROM T GROUP BY grp ORDER BY grp',
  'SELECT grp, count(note) FROM T WHERE id % 5 = 1 GROUP BY grp ORDER BY grp',
  'SELECT id, name FROM T WHERE val > 1200 ORDER BY id',
  'SELECT * FROM T WHERE note LIKE $$note 1%$$ ORDER BY id LIMIT 20',
  'SELECT id, name, note FROM T ORDER BY val DESC LIMIT 7',
  'SELECT name FROM T ORDER BY val LIMIT 5 OFFSET 3',
  'SELECT DISTINCT grp FROM T ORDER BY grp',
  'SELECT DISTINCT ON (grp) grp, name FROM T ORDER BY grp, id DESC',
  'SELECT count(*) FROM (SELECT DISTINCT note FROM T) d',
  'SELECT t FROM T t WHERE id < 4 ORDER BY id',
  'SELECT row_to_json(t) FROM T t WHERE id BETWEEN 100 AND 103 ORDER BY id',
  'SELECT id, (SELECT count(*) FROM T u WHERE u.grp = t.grp AND u.name < t.name) FROM T t WHERE id % 500 = 3 ORDER BY id',
  'SELECT id FROM T t WHERE EXISTS (SELECT 1 FROM T u WHERE u.id = t.id + 13 AND u.note = t.note) ORDER BY id LIMIT 10',
  'SELECT grp FROM T t GROUP BY grp HAVING max(t.name) > (SELECT min(name) FROM T WHERE grp = t.grp) ORDER BY grp',
  'SELECT a.id, b.name FROM T a JOIN T b ON a.id = b.id + 1 WHERE a.grp = 3 ORDER BY a.id LIMIT 10',
  'SELECT a.id, b.note FROM T a LEFT JOIN T b ON a.id = b.id * 2 AND b.name LIKE $$%7$$ ORDER BY a.id LIMIT 30',
  'SELECT count(*), max(a.name), max(b.note) FROM T a FULL JOIN T b ON a.id = b.id + 2990',
  'SELECT a.name FROM T a WHERE a.id IN (SELECT id * 3 FROM T WHERE note IS NULL) ORDER BY 1 LIMIT 10',
  'SELECT a.name FROM T a WHERE a.id NOT IN (SELECT id FROM T WHERE grp <> 4) ORDER BY 1 LIMIT 10',
  'SELECT a.id, b.name FROM T a, T b WHERE a.id < 3 AND b.id < 3 AND a.name < b.name ORDER BY 1, 2',
  'SELECT a.id, x.name FROM T a, LATERAL (SELECT name FROM T b WHERE b.id = a.id + 5) x WHERE a.id < 5 ORDER BY 1',
  'SELECT id, name, sum(val) OVER (PARTITION BY grp ORDER BY id) FROM T WHERE id < 30 ORDER BY id',
  'SELECT name FROM T WHERE id < 5 UNION SELECT note FROM T WHERE id < 5 ORDER BY 1',
  'WITH c AS MATERIALIZED (SELECT * FROM T WHERE grp = 2) SELECT count(*), max(name), min(note) FROM c',
  'WITH c AS (SELECT id, tag FROM T WHERE tag IS NOT NULL) SELECT max(tag), count(*) FROM c WHERE id > 10',
  'SELECT upper(name) || coalesce(note, $$-$$), length(tag) FROM T WHERE grp = 9 ORDER BY id LIMIT 5',
  'SELECT id FROM T WHERE name = $$name-2999$$ OR note = $$note 12$$ ORDER BY id LIMIT 5',
  'SELECT max(id) FILTER (WHERE note IS NULL), string_agg(name, $$,$$ ORDER BY id) FILTER (WHERE id < 4) FROM T',
];

test('queries over packed rows read the columns they need and agree with rows kept as slots', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await load(db, 'p');
    await load(db, 'u');
    await db.exec('CREATE INDEX u_id ON u (id)');
    const packed = (db.engine.catalog.getRelation('public', 'p') as TableDef).store;
    const slots = (db.engine.catalog.getRelation('public', 'u') as TableDef).store;
    assert.ok(packed.packedRows >= 2048, 'p is packed');
    assert.equal(slots.packedRows, 0, 'u is kept as slots');
    for (const q of QUERIES) {
      const onPacked = await db.queryArrays(q.replace(/\bT\b/g, 'p'));
      const onSlots = await db.queryArrays(q.replace(/\bT\b/g, 'u'));
      assert.ok(onSlots.rows.length > 0, `${q} returns rows`);
      assert.deepEqual(onPacked.rows, onSlots.rows, q);
    }
    assert.ok(packed.packedRows >= 2048, 'reading did not unpack p');
  } finally {
    await db.close();
  }
});

function scansOf(p: PlanNode, out: SeqScanNode[] = []): SeqScanNode[] {
  if (p.node === 'SeqScan') out.push(p);
  for (const k of ['input', 'left', 'right'] as const) {
    const child = (p as unknown as Record<string, PlanNode | undefined>)[k];
    if (child !== undefined) scansOf(child, out);
  }
  return out;
}

type Handle = ReturnType<Oxibase['session']>;

/** The cached plan of a statement the session just ran (test/engine/plan-cache.test.ts). */
async function planOf(s: Handle, sql: string): Promise<PlanNode> {
  await s.query(sql);
  const inner = (s as unknown as { inner: EngineSession }).inner;
  const plan = inner.planCache.peek(inner.parse(sql)[0]!.stmt)?.plan;
  assert.ok(plan, `${sql} has a cached plan`);
  noteScanColumns(plan);
  return plan;
}

function marked(mask: Uint8Array | null): string {
  return mask === null ? 'all' : [...mask].flatMap((v, i) => (v === 1 ? [i] : [])).join(',');
}

test('the analysis marks what the plan above each scan reads', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await db.exec('CREATE TABLE t (a int, b int, c text, d float8)');
    await db.exec('CREATE TABLE s (x int, y text)');
    const s = db.session();
    // table: columns the rows returned need / columns the scan's filter reads
    const cases: [string, string[]][] = [
      ['SELECT b, sum(d) FROM t GROUP BY b', ['t: 1,3 / ']],
      ['SELECT c FROM t WHERE a > 1', ['t: 0,2 / 0']],
      ['SELECT a FROM t ORDER BY d LIMIT 3', ['t: 0,3 / ']],
      ['SELECT * FROM t', ['t: 0,1,2,3 / ']],
      ['SELECT t FROM t', ['t: 0,1,2,3 / ']],
      ['SELECT count(*) FROM t JOIN s ON t.b = s.x WHERE s.y = $$q$$', ['s: 0,1 / 1', 't: 1 / ']],
      ['SELECT a, (SELECT max(y) FROM s WHERE s.x = t.b) FROM t', ['t: 0,1 / ']],
      ['SELECT a FROM t UNION SELECT x FROM s', ['s: 0 / ', 't: 0 / ']],
    ];
    for (const [sql, expected] of cases) {
      const scans = scansOf(await planOf(s, sql));
      const got = scans.map((n) => `${n.table.name}: ${marked(scanColumns(n).rows)} / ${marked(scanColumns(n).filter)}`).sort();
      assert.deepEqual(got, expected, sql);
    }
  } finally {
    await db.close();
  }
});
