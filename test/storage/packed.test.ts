/**
 * Packed rows (src/storage/packed-chunk.ts): every value comes back as it went in, whatever its
 * column's encoding; a bulk load packs its cold rows and every reader (scans with filters,
 * COUNT(*), ANALYZE; test/exec/interrupts.test.ts pauses a scan in packed rows and unpacks them
 * under it) sees the same rows as before; a
 * write, a row lock or an index unpacks them; an older snapshot or a retained history keeps rows
 * from being packed; the integrity check agrees throughout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { PackedChunk } from '../../src/storage/packed-chunk.ts';
import { newInsertedSlot, type Row } from '../../src/storage/version.ts';
import { FROZEN_TXN } from '../../src/txn/txn.ts';
import { checkIntegrity } from '../../src/wal/integrity.ts';
import type { TableStore } from '../../src/storage/table-store.ts';
import type { TableDef } from '../../src/catalog/objects.ts';

function chunkOf(rows: Row[], ids: number[]): PackedChunk {
  return PackedChunk.pack(rows.map((r, i) => newInsertedSlot(ids[i]!, r, FROZEN_TXN, 0)));
}

test('a packed chunk gives back every value exactly, in each column encoding', () => {
  // Columns: int32s, doubles, Latin-1 text (one string), all NULL, int32s with NULLs, doubles,
  // booleans, big numbers, objects, text beyond Latin-1 (kept as values), text over 64 KiB.
  const big = 2 ** 40;
  const date = new Date(0);
  const rows: Row[] = [
    [1, -0, 'a', null, null, 1.5, true, big, date, '€uro', 'p'],
    [2147483647, 0.25, 'bé', null, 7, NaN, false, 3, null, null, null],
    [-2147483648, Infinity, '', null, null, -Infinity, null, -big, date, 'plain', ''],
    [0, -1e300, 'x'.repeat(50), null, -1, 0, true, 2 ** 31, null, '😀', 'q'.repeat(70000)],
  ];
  const ids = [5, 9, 10, 700];
  const chunk = chunkOf(rows, ids);
  assert.equal(chunk.length, 4);
  assert.equal(chunk.width, 11);
  for (let i = 0; i < rows.length; i++) {
    const got = chunk.row(i);
    assert.equal(got.length, 11);
    for (let c = 0; c < 11; c++) assert.ok(Object.is(got[c], rows[i]![c]), `row ${i} column ${c}: ${String(got[c])} for ${String(rows[i]![c])}`);
    assert.equal(chunk.rowIdAt(i), ids[i]);
  }
  assert.notEqual(chunk.row(0), chunk.row(0), 'each materialization is a fresh array');
  // A mask reads only the columns it marks: the others stay NULL in a fresh row, untouched in read().
  const mask = Uint8Array.from([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(chunk.row(3, mask), [null, null, 'x'.repeat(50), null, null, null, null, null, null, null, 'q'.repeat(70000)]);
  const scratch: Row = new Array(11).fill('old');
  chunk.read(1, scratch, mask);
  assert.deepEqual(scratch, ['old', 'old', 'bé', 'old', 'old', 'old', 'old', 'old', 'old', 'old', null]);
  assert.deepEqual([4, 5, 6, 9, 10, 699, 700, 701].map((id) => chunk.positionAfter(id)), [0, 1, 1, 2, 3, 3, 4, 4]);
  const dense = chunkOf([[1], [2], [3]], [1024, 1025, 1026]);
  assert.deepEqual([1023, 1024, 1026, 2000].map((id) => dense.positionAfter(id)), [0, 1, 3, 3]);
  assert.equal(dense.rowIdAt(2), 1026);
  assert.equal(dense.problem((id) => id >>> 10), null);
  assert.equal(chunk.problem((id) => id >>> 10), null);
  assert.equal(chunkOf([[1], [2]], [5, 2000]).problem((id) => id >>> 10), 'spans two visibility-map chunks');
});

test('a text column of few distinct values is a dictionary: the stored strings come back themselves', () => {
  const flags = ['A', 'N', 'R', '€', ''];
  const rows: Row[] = [];
  const ids: number[] = [];
  for (let i = 0; i < 1024; i++) {
    rows.push([i, i % 11 === 0 ? null : flags[i % flags.length]!, `distinct ${i}`]);
    ids.push(i);
  }
  const chunk = chunkOf(rows, ids);
  for (let i = 0; i < rows.length; i++) assert.deepEqual(chunk.row(i), rows[i], `row ${i}`);
  const encodings = (ch: PackedChunk): (object | null)[] => (ch as unknown as { texts: (object | null)[] }).texts;
  assert.ok('dict' in encodings(chunk)[1]! && 'text' in encodings(chunk)[2]!, 'flags as a dictionary, distinct names joined');
  assert.equal(chunk.problem((id) => id >>> 10), null);
  // 300 distinct values do not fit a byte: one joined string instead, read back the same.
  const many = chunkOf(rows.map((r, i) => [r[0], `v${i % 300}`]), ids);
  for (let i = 0; i < rows.length; i++) assert.equal(many.row(i)[1], `v${i % 300}`);
  assert.ok('text' in encodings(many)[1]!);
});

function storeOf(db: Oxibase, name: string): TableStore {
  return (db.engine.catalog.getRelation('public', name) as TableDef).store;
}

async function integrity(db: Oxibase): Promise<void> {
  assert.deepEqual(await checkIntegrity(db.engine), []);
}

/** big(id, grp, name, val, note): `n` rows in one transaction; note is NULL on every 7th row. */
async function loadBig(db: Oxibase, n: number): Promise<void> {
  await db.exec('CREATE TABLE big (id int, grp int, name text, val float8, note text)');
  await db.exec(`INSERT INTO big SELECT g, g % 10, 'n' || g, g * 0.5, CASE WHEN g % 7 = 0 THEN NULL ELSE 'x' END
                 FROM generate_series(0, ${n - 1}) g`);
}

const SUMMARY = `SELECT count(*)::int AS n, sum(id)::int8 AS ids, sum(val) AS vals, count(note)::int AS notes,
                 max(name) AS top, sum(grp)::int8 AS grps FROM big`;

test('a bulk load packs its complete chunks, and every reader sees what it would in slots', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await loadBig(db, 5000);
    const store = storeOf(db, 'big');
    // Row ids 0..4095 fill four complete chunks; the fifth can still receive inserts.
    assert.equal(store.packedRows, 4096);
    assert.equal(store.hot.length, 904);
    const expected = { n: 5000, ids: 12497500, vals: 6248750, notes: 5000 - 715, top: 'n999', grps: 22500 };
    assert.deepEqual((await db.query(SUMMARY)).rows[0], expected);
    const filtered = await db.query('SELECT id, name, note FROM big WHERE id % 1000 = 7 ORDER BY id');
    assert.deepEqual(filtered.rows.map((r) => r.id), [7, 1007, 2007, 3007, 4007]);
    assert.deepEqual(filtered.rows[0], { id: 7, name: 'n7', note: null });
    assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM big')).rows, [{ n: 5000 }]);
    const top = await db.query('SELECT id FROM big ORDER BY val DESC LIMIT 3');
    assert.deepEqual(top.rows.map((r) => r.id), [4999, 4998, 4997]);
    await db.exec('ANALYZE big');
    const stats = await db.query(`SELECT attname, null_frac, n_distinct FROM pg_stats WHERE tablename = 'big' AND attname IN ('grp', 'note') ORDER BY attname`);
    assert.equal(stats.rows[0]!.n_distinct, 10);
    assert.ok(Math.abs(Number(stats.rows[1]!.null_frac) - 715 / 5000) < 0.01);
    assert.equal(store.packedRows, 4096, 'reading packed rows does not unpack them');
    await integrity(db);
  } finally {
    await db.close();
  }
});

test('writes, row locks and indexes unpack; a later bulk write packs again', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await loadBig(db, 3000);
    const store = storeOf(db, 'big');
    assert.equal(store.packedRows, 2048);
    await db.exec('UPDATE big SET val = -1 WHERE id = 5');
    assert.equal(store.packedRows, 0, 'an UPDATE needs its target rows as slots');
    assert.deepEqual((await db.query('SELECT val FROM big WHERE id = 5')).rows, [{ val: -1 }]);
    await integrity(db);
    // A large UPDATE's commit collects at once but leaves a table being worked on unpacked;
    // VACUUM packs it.
    await db.exec('UPDATE big SET grp = grp + 1');
    assert.equal(store.packedRows, 0);
    await db.exec('VACUUM big');
    assert.equal(store.packedRows, 2048);
    assert.deepEqual((await db.query('SELECT sum(grp)::int8 AS g, min(val) AS v FROM big')).rows, [{ g: 16500, v: -1 }]);
    await db.exec('BEGIN');
    assert.equal((await db.query('SELECT id FROM big WHERE id = 10 FOR UPDATE')).rows.length, 1);
    assert.equal(store.packedRows, 0, 'FOR UPDATE locks slots');
    await db.exec('COMMIT');
    await db.exec('DELETE FROM big WHERE id >= 2900');
    await db.exec('VACUUM big');
    assert.equal(store.packedRows, 2048, 'VACUUM packs');
    await db.exec('CREATE INDEX big_id ON big (id)');
    assert.equal(store.packedRows, 0, 'an index points at slots');
    await db.exec('VACUUM big');
    assert.equal(store.packedRows, 0, 'a table with an index is not packed');
    assert.deepEqual((await db.query('SELECT name FROM big WHERE id = 2048')).rows, [{ name: 'n2048' }]);
    assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM big')).rows, [{ n: 2900 }]);
    await integrity(db);
  } finally {
    await db.close();
  }
});

test('rows a running snapshot or the retained history may not see stay unpacked', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await db.exec('CREATE TABLE big (id int, grp int, name text, val float8, note text)');
    const reader = db.engine.newSession();
    await reader.execute('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.execute('SELECT 1');
    await db.exec('INSERT INTO big SELECT g, 0, NULL, 0, NULL FROM generate_series(1, 3000) g');
    const store = storeOf(db, 'big');
    assert.equal(store.packedRows, 0, 'another transaction is running');
    const [seen] = await reader.execute('SELECT count(*) FROM big');
    assert.equal(Number(seen!.rows![0]![0]), 0);
    await reader.execute('COMMIT');
    await db.exec('VACUUM big');
    assert.equal(store.packedRows, 2048);

    await db.query("SET history_retention = '1h'");
    await db.exec('CREATE TABLE later (id int)');
    await db.exec('INSERT INTO later SELECT g FROM generate_series(1, 3000) g');
    await db.exec('VACUUM later');
    assert.equal(storeOf(db, 'later').packedRows, 0, 'AS OF may still reach back before the load');
    await integrity(db);
  } finally {
    await db.close();
  }
});

test('ALTER TABLE ADD COLUMN widens packed rows with the default', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await loadBig(db, 2500);
    await db.exec("ALTER TABLE big ADD COLUMN tag text DEFAULT 'd'");
    assert.deepEqual((await db.query("SELECT count(*)::int AS n FROM big WHERE tag = 'd'")).rows, [{ n: 2500 }]);
    await integrity(db);
  } finally {
    await db.close();
  }
});
