/**
 * File databases on the simulated environment: reopen keeps everything (tables, rows, DDL,
 * sequences, constraints, indexes, views), time travel across restarts and retention expiry,
 * WAL tail truncation vs. mid-log corruption, the directory lock, group commit, fsync failure,
 * and online backup under concurrent writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase, type OpenOptions } from '../../src/api/database.ts';
import { createSimEnv, type SimEnv } from '../../src/env/sim-env.ts';
import { FaultFileSystem } from '../../src/env/fault-fs.ts';
import { DbError } from '../../src/errors/index.ts';
import { checkIntegrity } from '../../src/wal/integrity.ts';
import { backupTo, type DurableStore } from '../../src/engine/durable.ts';
import { scanRecords } from '../../src/wal/record.ts';
import type { TableStore } from '../../src/storage/table-store.ts';
import type { TableDef } from '../../src/catalog/objects.ts';

const dbg = (m: string): void => { if (process.env['DBG']) console.log(m); };

interface Rig { fs: FaultFileSystem; env: SimEnv; stop: () => void; }

function rig(seed = 1, pid = 10, fs = new FaultFileSystem(seed)): Rig {
  const env = createSimEnv({ seed, pid, fs });
  const h = setInterval(() => env.timers.advance(1), 0);
  return { fs, env, stop: () => clearInterval(h) };
}

async function open(r: Rig, options: Omit<OpenOptions, 'env'> = {}): Promise<Oxibase> {
  return Oxibase.open('/db', { env: r.env, ...options });
}

function durable(db: Oxibase): DurableStore {
  return db.engine.durability as DurableStore;
}

/** Closes without the final checkpoint: the next open replays the WAL. */
async function closeNoCheckpoint(db: Oxibase): Promise<void> {
  (durable(db) as unknown as { options: { checkpointOnClose: boolean } }).options.checkpointOnClose = false;
  await db.close();
}

const SETUP = `
  CREATE SCHEMA app;
  CREATE TABLE app.parent (id int PRIMARY KEY, name text NOT NULL UNIQUE);
  CREATE TABLE app.child (id serial PRIMARY KEY, parent int REFERENCES app.parent (id), qty int CHECK (qty > 0),
    tags text[], doc jsonb, price numeric(10,2), span interval, raw bytea, at timestamptz);
  CREATE INDEX child_parent ON app.child (parent);
  CREATE VIEW app.summary AS SELECT p.name, sum(c.qty) AS total FROM app.parent p JOIN app.child c ON c.parent = p.id GROUP BY p.name;
  CREATE SEQUENCE app.counter START 100 INCREMENT 5;
  INSERT INTO app.parent VALUES (1, 'one'), (2, 'two');
  INSERT INTO app.child (parent, qty, tags, doc, price, span, raw, at) VALUES
    (1, 3, '{a,b}', '{"k": [1, 2.50]}', 12.30, '1 day 2 hours', '\\xdeadbeef', '2026-01-01 10:00:00+00'),
    (2, 4, NULL, 'null', NULL, NULL, NULL, NULL);
  UPDATE app.child SET qty = qty + 10 WHERE parent = 2;
  ALTER TABLE app.child ADD COLUMN note text DEFAULT 'n/a';
`;

async function snapshot(db: Oxibase): Promise<unknown> {
  return {
    child: (await db.query('SELECT * FROM app.child ORDER BY id')).rows,
    summary: (await db.query('SELECT * FROM app.summary ORDER BY name')).rows,
  };
}

for (const mode of ['final checkpoint', 'WAL replay'] as const) {
  test(`packed rows survive a restart and are packed again (${mode})`, async () => {
    const r = rig();
    try {
      let db = await open(r);
      await db.exec(`CREATE TABLE facts (id int, grp int, name text, val float8, note text)`);
      await db.exec(`INSERT INTO facts SELECT g, g % 10, 'n' || g, g * 0.25, CASE WHEN g % 5 = 0 THEN NULL ELSE 'x' END
                     FROM generate_series(1, 4000) g`);
      const store = (): TableStore => (db.engine.catalog.getRelation('public', 'facts') as TableDef).store;
      await db.exec('CHECKPOINT');
      assert.equal(store().packedRows, 3072);
      // Written after the checkpoint: the WAL replays these onto the checkpoint's packed rows.
      await db.exec(`INSERT INTO facts SELECT g, 0, 'late', 0, NULL FROM generate_series(4001, 6000) g`);
      await db.exec(`DELETE FROM facts WHERE id % 1000 = 1`);
      const before = (await db.query('SELECT * FROM facts ORDER BY id')).rows;
      assert.equal(before.length, 5994);
      if (mode === 'WAL replay') await closeNoCheckpoint(db);
      else await db.close();
      db = await open(r);
      assert.deepEqual((await db.query('SELECT * FROM facts ORDER BY id')).rows, before);
      assert.ok(store().packedRows >= 5000, `recovery packed the cold rows (${store().packedRows})`);
      assert.deepEqual(await checkIntegrity(db.engine), []);
      await db.close();
    } finally {
      r.stop();
    }
  });
}

for (const mode of ['final checkpoint', 'WAL replay'] as const) {
  test(`reopen restores schema, rows, sequences, constraints, indexes, views (${mode})`, async () => {
    const r = rig();
    try {
      let db = await open(r);
      await db.exec(SETUP);
      assert.deepEqual((await db.query(`SELECT nextval('app.counter') AS v`)).rows, [{ v: 100 }]);
      // A sequence advance becomes durable with the next commit (as in PostgreSQL).
      await db.query(`INSERT INTO app.parent VALUES (7, 'seven')`);
      const before = await snapshot(db);
      if (mode === 'WAL replay') await closeNoCheckpoint(db);
      else await db.close();
      db = await open(r);
      assert.deepEqual(await snapshot(db), before);
      const v = (await db.query<{ v: number }>(`SELECT nextval('app.counter') AS v`)).rows[0]!.v;
      assert.ok(v > 100 && (v - 100) % 5 === 0, `sequence continues above the last value (${v})`);
      await assert.rejects(db.query(`INSERT INTO app.parent VALUES (3, 'one')`), (e: DbError) => e.code === '23505');
      await assert.rejects(db.query(`INSERT INTO app.child (parent, qty) VALUES (9, 1)`), (e: DbError) => e.code === '23503');
      await assert.rejects(db.query(`INSERT INTO app.child (parent, qty) VALUES (1, 0)`), (e: DbError) => e.code === '23514');
      const ins = await db.query<{ id: number }>(`INSERT INTO app.child (parent, qty) VALUES (1, 1) RETURNING id`);
      assert.ok(ins.rows[0]!.id > 2, 'serial does not re-issue ids');
      assert.deepEqual(await checkIntegrity(db.engine), []);
      await db.exec('DROP VIEW app.summary; DROP TABLE app.child;');
      await db.close();
      db = await open(r);
      await assert.rejects(db.query('SELECT * FROM app.child'), (e: DbError) => e.code === '42P01');
      assert.deepEqual((await db.query('SELECT name FROM app.parent ORDER BY id')).rows,
        [{ name: 'one' }, { name: 'two' }, { name: 'seven' }]);
      await db.close();
    } finally {
      r.stop();
    }
  });
}

test('time travel survives a restart within the retention window, and errors outside it', async () => {
  const r = rig(2);
  try {
    let db = await open(r, { historyRetentionMs: 3_600_000 });
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await db.query(`INSERT INTO t VALUES (1, 'first')`);
    r.env.timers.advance(60_000);
    const between = new Date(r.env.clock.nowMs()).toISOString();
    r.env.timers.advance(60_000);
    await db.query(`UPDATE t SET v = 'second' WHERE id = 1`);
    await db.query(`INSERT INTO t VALUES (2, 'later')`);
    const asOf = `SELECT id, v FROM t AS OF TIMESTAMP '${between}' ORDER BY id`;
    if (process.env['DBG']) console.log(db.engine.txns.durableState(), between, db.engine.txns.retentionMicros);
    assert.deepEqual((await db.query(asOf)).rows, [{ id: 1, v: 'first' }]);
    await closeNoCheckpoint(db);
    db = await open(r);
    assert.deepEqual((await db.query(asOf)).rows, [{ id: 1, v: 'first' }], 'after WAL replay');
    assert.deepEqual((await db.query('SELECT id, v FROM t ORDER BY id')).rows, [{ id: 1, v: 'second' }, { id: 2, v: 'later' }]);
    await db.query('CHECKPOINT');
    await db.close();
    db = await open(r);
    assert.deepEqual((await db.query(asOf)).rows, [{ id: 1, v: 'first' }], 'after checkpoint load');
    await db.close();
    // Two hours later the point is outside the one-hour window: a clear error, not an empty result.
    r.env.timers.advance(2 * 3_600_000);
    db = await open(r);
    await db.query(`INSERT INTO t VALUES (3, 'much later')`);
    db.engine.txns.vacuumNow();
    await assert.rejects(db.query(asOf), (e: DbError) => e.code === '22023' && /retained history/.test(e.message));
    await db.close();
    db = await open(r);
    await assert.rejects(db.query(asOf), (e: DbError) => e.code === '22023');
    await db.close();
  } finally {
    r.stop();
  }
});

test('a torn WAL tail is truncated; corruption in the middle names the file and offset', async () => {
  const r = rig(3);
  try {
    let db = await open(r);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
    for (let i = 0; i < 5; i++) await db.query(`INSERT INTO t VALUES (${i})`);
    const seg = `/db/wal/${String(durable(db).writer.currentSegment).padStart(9, '0')}.log`;
    await closeNoCheckpoint(db);
    const bytes = await r.fs.readFile(seg);
    // The segment ends in preallocated zeros after its records; the next open cuts them off.
    const end = scanRecords(bytes).validEnd;
    assert.ok(bytes.subarray(end).every((b) => b === 0));
    // Torn tail: cut the last record in half.
    const h = await r.fs.open(seg, 'r+');
    await h.truncate(end - 7);
    await h.sync();
    await h.close();
    db = await open(r);
    assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM t')).rows, [{ c: 4 }]);
    for (let i = 10; i < 13; i++) await db.query(`INSERT INTO t VALUES (${i})`);
    const seg2 = `/db/wal/${String(durable(db).writer.currentSegment).padStart(9, '0')}.log`;
    await closeNoCheckpoint(db);
    // Mid-log corruption: flip a byte inside the first record of the newest segment.
    const b2 = await r.fs.readFile(seg2);
    b2[10]! ^= 0xff;
    await r.fs.writeFile(seg2, b2);
    await assert.rejects(open(r), (e: DbError) =>
      e.code === 'XX001' && e.message.includes(seg2.slice('/db/'.length)) && /byte offset 0/.test(e.message));
  } finally {
    r.stop();
  }
});

test('WAL segments are preallocated with zeros ahead of their records; a reopen ends the log there, silently', async () => {
  const r = rig(5);
  const logs: string[] = [];
  Object.assign(r.env, { log: (_level: string, m: string) => { logs.push(m); } });
  try {
    let db = await open(r, { segmentBytes: 64 * 1024 });
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, pad text)');
    for (let i = 0; i < 300; i++) await db.query('INSERT INTO t VALUES ($1, $2)', [i, 'x'.repeat(300)]);
    const segs = durable(db).writer.segments.map((s) => `/db/wal/${String(s.no).padStart(9, '0')}.log`);
    assert.ok(segs.length >= 2, 'the log rotated');
    for (const seg of segs.slice(0, -1)) {
      const bytes = await r.fs.readFile(seg);
      assert.equal(scanRecords(bytes).validEnd, bytes.length, `${seg}: a rotated segment ends at its last record`);
    }
    const last = segs[segs.length - 1]!;
    const bytes = await r.fs.readFile(last);
    const end = scanRecords(bytes).validEnd;
    assert.ok(bytes.length > end && bytes.subarray(end).every((b) => b === 0), 'the newest segment ends in zeros');
    await closeNoCheckpoint(db);
    db = await open(r, { segmentBytes: 64 * 1024 });
    assert.deepEqual((await db.query('SELECT count(*)::int AS c FROM t')).rows, [{ c: 300 }]);
    assert.equal((await r.fs.readFile(last)).length, end, 'recovery cut the zeros off');
    assert.deepEqual(logs.filter((m) => m.includes('torn')), []);
    await db.close();
  } finally {
    r.stop();
  }
});

test('a second opener fails naming the holder pid; a stale lock is taken over', async () => {
  const r = rig(4, 10);
  try {
    const db = await open(r);
    const other = createSimEnv({ seed: 4, pid: 11, fs: r.fs });
    // pid 10 is alive from the second environment's point of view.
    const alive = createSimEnv({ seed: 4, pid: 11, fs: r.fs });
    Object.assign(alive, { process: { pid: 11, isProcessAlive: (p: number) => p === 10 || p === 11 } });
    await assert.rejects(Oxibase.open('/db', { env: alive }), (e: DbError) => e.code === '55006' && /process 10\b/.test(e.message));
    // The holder dies without closing (crash): pid 10 is gone for `other`, so its lock is stale.
    const h = setInterval(() => other.timers.advance(1), 0);
    const again = await Oxibase.open('/db', { env: other });
    await again.close();
    clearInterval(h);
    void db;
  } finally {
    r.stop();
  }
});

test('concurrent sessions share fsyncs (group commit)', async () => {
  const r = rig(5);
  try {
    const db = await open(r);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
    const before = durable(db).writer.fsyncCount;
    const sessions = Array.from({ length: 20 }, () => db.session());
    await Promise.all(sessions.map(async (s, i) => {
      for (let k = 0; k < 10; k++) await s.query(`INSERT INTO t VALUES (${i * 100 + k})`);
    }));
    const fsyncs = durable(db).writer.fsyncCount - before;
    assert.equal((await db.query('SELECT count(*)::int AS c FROM t')).rows[0]!['c'], 200);
    assert.ok(fsyncs < 200 / 4, `200 commits took ${fsyncs} fsyncs`);
    await db.close();
  } finally {
    r.stop();
  }
});

/** Opens what a crash left (as another process), runs `check`, then checks integrity. */
async function afterCrash(seed: number, crashed: FaultFileSystem, check: (db: Oxibase) => Promise<void>): Promise<void> {
  const r = rig(seed, 12, crashed);
  try {
    const db = await open(r);
    await check(db);
    assert.deepEqual(await checkIntegrity(db.engine), []);
    await db.close();
  } finally {
    r.stop();
  }
}

/** Runs event-loop turns until `done()` or a bound (the simulated fs takes a turn per I/O). */
async function turnsUntil(done: () => boolean, max = 1000): Promise<void> {
  for (let i = 0; i < max && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
}

test('early lock release: writers of a hot row share the next fsync; readers of an undurable commit wait for it', async () => {
  const r = rig(13);
  try {
    const db = await open(r);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v int)');
    await db.query('INSERT INTO t VALUES (1, 0), (2, 0)');
    const txns = db.engine.txns;
    const base = txns.currentSeq;
    const syncsBefore = r.fs.syncCount;
    const release = r.fs.holdSyncs();
    const done: string[] = [];
    const track = <T>(name: string, p: Promise<T>): Promise<T> => p.then((v) => { done.push(name); return v; });
    const writers = [1, 2, 3].map((i) => track(`w${i}`, db.session().query('UPDATE t SET v = v + 1 WHERE id = 1')));
    await turnsUntil(() => txns.currentSeq === base + 3);
    assert.equal(txns.currentSeq, base + 3, 'the later updates took the row while the first commit waited for its fsync');
    const reader = track('reader', db.session().query<{ v: number }>('SELECT v FROM t WHERE id = 1'));
    await turnsUntil(() => done.length > 0, 50);
    assert.equal(done.join(), '', 'nothing is acknowledged, and nothing that saw it completes, before the fsync');
    release();
    await Promise.all(writers);
    assert.deepEqual(done.filter((d) => d.startsWith('w')), ['w1', 'w2', 'w3'], 'acknowledged in commit order');
    assert.deepEqual((await reader).rows, [{ v: 3 }]);
    assert.ok(r.fs.syncCount - syncsBefore <= 2, `three commits took ${r.fs.syncCount - syncsBefore} fsyncs`);

    // A crash before the fsync may keep any prefix of the published commits, never a later one alone.
    r.fs.holdSyncs();
    const pending = [1, 2].map(() => db.session().query('UPDATE t SET v = v * 10 + 1 WHERE id = 2').catch(() => 'lost'));
    await turnsUntil(() => txns.currentSeq === base + 5);
    assert.equal(txns.currentSeq, base + 5);
    const crashed = r.fs.crash();
    void pending;
    await afterCrash(13, crashed, async (db2) => {
      const rows = (await db2.query<{ id: number; v: number }>('SELECT id, v FROM t ORDER BY id')).rows;
      assert.deepEqual(rows[0], { id: 1, v: 3 }, 'acknowledged commits survive');
      assert.ok([0, 1, 11].includes(rows[1]!.v), `recovered v = ${rows[1]!.v}`);
    });
  } finally {
    r.stop();
  }
});

test('an fsync failure makes the database refuse writes; recovery is consistent', async () => {
  const r = rig(6);
  try {
    const db = await open(r);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES (1)');
    r.fs.failSyncAfter(0);
    await assert.rejects(db.query('INSERT INTO t VALUES (2)'), (e: DbError) => e.code === '58030');
    await assert.rejects(db.query('INSERT INTO t VALUES (3)'), (e: DbError) => e.code === '58030');
    assert.deepEqual((await db.query('SELECT id FROM t')).rows, [{ id: 1 }], 'reads still work');
    const crashed = r.fs.crash();
    await db.close();
    await afterCrash(6, crashed, async (db2) => {
      const ids = (await db2.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows.map((x) => x.id);
      assert.ok(ids[0] === 1 && ids.length <= 2, `recovered ${ids.join(',')}`);
    });
  } finally {
    r.stop();
  }
});

test('online backup under concurrent writes opens as a normal, consistent database', async () => {
  const r = rig(7);
  try {
    const db = await open(r);
    await db.exec('CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL); CREATE INDEX acct_bal ON acct (bal)');
    await db.exec(`INSERT INTO acct SELECT g, 100 FROM generate_series(1, 5000) g`);
    let stop = false;
    const writers = [1, 2].map(async (w) => {
      const s = db.session();
      let n = 0;
      while (!stop) {
        const a = 1 + ((n * 7 + w) % 5000);
        const b = 1 + ((n * 13 + w * 3) % 5000);
        n++;
        if (a === b) continue;
        await s.transaction(async (tx) => {
          await tx.query(`UPDATE acct SET bal = bal - 1 WHERE id = ${a}`);
          await tx.query(`UPDATE acct SET bal = bal + 1 WHERE id = ${b}`);
        }).catch(() => undefined);
      }
      return n;
    });
    await new Promise((res) => setTimeout(res, 20));
    dbg('backup start');
    const stats = await backupTo(db.engine, '/backup');
    dbg('backup done');
    stop = true;
    const moves = await Promise.all(writers);
    dbg('writers done');
    assert.ok(moves[0]! + moves[1]! > 0);
    assert.ok(stats.rows === 5000);
    await db.close();
    dbg('closed');
    const r2 = rig(7, 13, r.fs);
    const copy = await Oxibase.open('/backup', { env: r2.env }).finally(() => undefined);
    const sum = (await copy.query<{ s: number; c: number }>('SELECT sum(bal)::int AS s, count(*)::int AS c FROM acct')).rows[0]!;
    assert.deepEqual(sum, { s: 500_000, c: 5000 });
    assert.deepEqual(await checkIntegrity(copy.engine), []);
    await copy.query('INSERT INTO acct VALUES (5001, 0)');
    await copy.close();
    r2.stop();
  } finally {
    r.stop();
  }
});

test('BACKUP TO in SQL copies a file database; memory databases and transaction blocks refuse it', async () => {
  const r = rig(11);
  try {
    const db = await open(r);
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 100) g');
    const writer = (async () => {
      const s = db.session();
      for (let i = 101; i <= 140; i++) await s.query('INSERT INTO t VALUES ($1, $2)', [i, String(i)]);
    })();
    const res = await db.query("BACKUP TO '/sqlbackup'");
    assert.equal(res.commandTag, 'BACKUP');
    await writer;
    const s = db.session();
    await s.query('BEGIN');
    await assert.rejects(s.query("BACKUP TO '/other'"), (e: DbError) => e.code === '25001');
    await s.query('ROLLBACK');
    await db.close();
    const r2 = rig(11, 13, r.fs);
    const copy = await Oxibase.open('/sqlbackup', { env: r2.env });
    const rows = (await copy.query<{ c: number; ok: boolean }>(
      'SELECT count(*)::int AS c, bool_and(v = id::text) AS ok FROM t')).rows[0]!;
    // A consistent snapshot: between the 100 initial rows and all 140, every row intact.
    assert.ok(rows.c >= 100 && rows.c <= 140, `backup holds ${rows.c} rows`);
    assert.equal(rows.ok, true);
    assert.deepEqual(await checkIntegrity(copy.engine), []);
    await copy.close();
    r2.stop();
  } finally {
    r.stop();
  }
  const mem = await Oxibase.open('memory://');
  await assert.rejects(mem.query("BACKUP TO '/x'"), (e: DbError) => e.code === '0A000');
  await mem.close();
});

test('VACUUM reclaims the space of deleted rows on disk (through a checkpoint)', async () => {
  const r = rig(12);
  try {
    const db = await open(r);
    await db.exec(`CREATE TABLE big (id int PRIMARY KEY, pad text);
      INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 2000) g`);
    const checkpointBytes = async (): Promise<number> => {
      let total = 0;
      for (const name of await r.fs.readdir('/db')) {
        if (name.startsWith('checkpoint-')) total += (await r.fs.stat(`/db/${name}`))!.size;
      }
      return total;
    };
    await db.query('CHECKPOINT');
    const full = await checkpointBytes();
    await db.query('DELETE FROM big WHERE id > 100');
    await db.query('VACUUM');
    const after = await checkpointBytes();
    assert.ok(full > 100_000, `checkpoint of 2000 rows is ${full} bytes`);
    assert.ok(after * 5 < full, `after VACUUM the checkpoint is ${after} bytes (was ${full})`);
    assert.equal((await db.query<{ c: number }>('SELECT count(*)::int AS c FROM big')).rows[0]!.c, 100);
    // Nothing changed since: a second VACUUM does not write the same checkpoint again.
    const written = durable(db).lastCheckpoint;
    await db.query('VACUUM');
    assert.equal(durable(db).lastCheckpoint, written);
    await db.query('DELETE FROM big WHERE id = 1');
    await db.query('VACUUM');
    assert.notEqual(durable(db).lastCheckpoint, written, 'a logged change makes VACUUM checkpoint again');
    await db.close();
  } finally {
    r.stop();
  }
});
