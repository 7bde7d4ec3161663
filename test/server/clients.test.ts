/**
 * Real clients against the server: node-postgres (simple and prepared queries, transactions,
 * errors with code and position, 200 concurrent connections, a client that
 * disconnects mid-transaction, LISTEN/NOTIFY) and postgres.js.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import postgres from 'postgres';
import { startServer } from './helpers.ts';

function client(port: number, extra: Partial<pg.ClientConfig> = {}): pg.Client {
  return new pg.Client({ host: '127.0.0.1', port, user: 'oxibase', database: 'oxibase', ...extra });
}

test('node-postgres: queries, prepared statements, types, transactions, errors', async () => {
  const r = await startServer();
  const c = client(r.port);
  try {
    await c.connect();
    await c.query('create table t(id int primary key, v text, n numeric(10,2), ts timestamptz, j jsonb, b bytea)');
    const ins = await c.query('insert into t values ($1, $2, $3, $4, $5, $6), (2, \'b\', 2.5, now(), null, null)',
      [1, 'a', '1.25', '2024-01-02T03:04:05.123456Z', JSON.stringify({ k: [1, 2] }), Buffer.from([1, 2, 255])]);
    assert.equal(ins.command, 'INSERT');
    assert.equal(ins.rowCount, 2);
    const sel = await c.query({ name: 'byid', text: 'select * from t where id = $1', values: [1] });
    assert.equal(sel.rows[0].v, 'a');
    assert.equal(sel.rows[0].n, '1.25');
    assert.deepEqual(sel.rows[0].j, { k: [1, 2] });
    assert.deepEqual([...sel.rows[0].b], [1, 2, 255]);
    assert.equal((sel.rows[0].ts as Date).toISOString(), '2024-01-02T03:04:05.123Z');
    assert.deepEqual(sel.fields.map((f) => f.dataTypeID), [23, 25, 1700, 1184, 3802, 17]);
    const again = await c.query({ name: 'byid', text: 'select * from t where id = $1', values: [2] });
    assert.equal(again.rows[0].v, 'b');
    const ret = await c.query('update t set v = upper(v) where id <= $1 returning id, v', [2]);
    assert.equal(ret.command, 'UPDATE');
    assert.deepEqual(ret.rows.map((x) => x.v).sort(), ['A', 'B']);

    await c.query('begin');
    await c.query('insert into t(id, v) values (3, $1)', ['tx']);
    await c.query('rollback');
    assert.equal((await c.query('select count(*)::int as n from t')).rows[0].n, 2);

    await assert.rejects(c.query('select nosuch from t'), (e: pg.DatabaseError) => e.code === '42703' && e.position === '8');
    await assert.rejects(c.query('insert into t(id) values ($1)', [1]),
      (e: pg.DatabaseError) => e.code === '23505' && e.constraint === undefined || e.code === '23505');
    await c.query('begin');
    await assert.rejects(c.query('select 1/0'), (e: pg.DatabaseError) => e.code === '22012');
    await assert.rejects(c.query('select 1'), (e: pg.DatabaseError) => e.code === '25P02');
    await c.query('rollback');
    assert.equal((await c.query('select 1 as one')).rows[0].one, 1);
  } finally {
    await c.end();
    await r.stop();
  }
});

test('200 concurrent connections; a vanished client is rolled back', async () => {
  const r = await startServer();
  try {
    const setup = client(r.port);
    await setup.connect();
    await setup.query('create table hits(id int)');
    const clients = Array.from({ length: 200 }, () => client(r.port));
    await Promise.all(clients.map((x) => x.connect()));
    await Promise.all(clients.map((x, i) => x.query('insert into hits values ($1)', [i])));
    assert.equal((await setup.query('select count(*)::int n from hits')).rows[0].n, 200);
    await Promise.all(clients.map((x) => x.end()));

    const quitter = client(r.port);
    quitter.on('error', () => undefined);
    await quitter.connect();
    await quitter.query('begin');
    await quitter.query('insert into hits values (-1)');
    (quitter as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    await new Promise((res) => setTimeout(res, 100));
    assert.equal((await setup.query('select count(*)::int n from hits where id = -1')).rows[0].n, 0);
    await setup.end();
  } finally {
    await r.stop();
  }
});

test('LISTEN / NOTIFY, delivered at commit', async () => {
  const r = await startServer();
  const a = client(r.port);
  const b = client(r.port);
  try {
    await a.connect();
    await b.connect();
    const got: string[] = [];
    a.on('notification', (n) => got.push(`${n.channel}:${n.payload}`));
    await a.query('listen ch');
    await b.query("notify ch, 'one'");
    await b.query('begin');
    await b.query("notify ch, 'two'");
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(got, ['ch:one']);
    await b.query('commit');
    await b.query("begin; notify ch, 'dropped'; rollback");
    await a.query('select 1');
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(got, ['ch:one', 'ch:two']);
  } finally {
    await a.end();
    await b.end();
    await r.stop();
  }
});

test('postgres.js: queries, parameters, transactions, errors', async () => {
  const r = await startServer();
  // fetch_types: false — postgres.js otherwise reads array types from pg_catalog.pg_type.
  const sql = postgres({ host: '127.0.0.1', port: r.port, user: 'oxibase', database: 'oxibase', fetch_types: false, max: 3, onnotice: () => undefined });
  try {
    await sql`create table items(id serial primary key, name text not null, price numeric(8,2))`;
    const ins = await sql`insert into items(name, price) values (${'pen'}, ${'1.50'}) returning id, name, price`;
    assert.deepEqual([...ins], [{ id: 1, name: 'pen', price: '1.50' }]);
    await sql.begin(async (tx) => {
      await tx`insert into items(name, price) values (${'ink'}, ${2})`;
      await tx`insert into items(name, price) values (${'pad'}, ${3})`;
    });
    const rows = await sql`select name from items where price > ${1} order by id`;
    assert.deepEqual(rows.map((x) => x.name), ['pen', 'ink', 'pad']);
    await assert.rejects(sql`select nosuch from items`, (e: { code: string }) => e.code === '42703');
    const multi = await sql.unsafe('select 1 as a; select 2 as b');
    assert.equal(multi.length, 2);
  } finally {
    await sql.end();
    await r.stop();
  }
});

test('postgres.js: type fetching, prepared statements, COPY in and out, LISTEN / NOTIFY', async () => {
  const r = await startServer();
  // Default options: postgres.js reads array types from pg_catalog.pg_type at connect.
  const sql = postgres({ host: '127.0.0.1', port: r.port, user: 'oxibase', database: 'oxibase', max: 2, onnotice: () => undefined });
  try {
    await sql`create table m(id int primary key, tags text[], note text)`;
    await sql`insert into m values (${1}, ${sql.array(['a', 'b'])}, ${'x'})`;
    const [row] = await sql`select tags, note from m where id = ${1}`.execute();
    assert.deepEqual(row!.tags, ['a', 'b']);
    // prepare: true (the default) uses named statements; run one twice.
    for (const id of [1, 2]) await sql`select ${id}::int + 1 as n`;

    const w = await sql`copy m (id, note) from stdin with (format csv)`.writable();
    await new Promise<void>((resolve, reject) => {
      w.on('error', reject);
      w.on('finish', () => resolve());
      w.write('2,two\n3,"th,ree"\n');
      w.end('4,\n');
    });
    const out: string[] = [];
    const rd = await sql`copy (select id, note from m order by id) to stdout with (format csv)`.readable();
    for await (const chunk of rd) out.push(String(chunk));
    assert.equal(out.join(''), '1,x\n2,two\n3,"th,ree"\n4,\n');

    const got: string[] = [];
    const { unlisten } = await sql.listen('jobs', (payload) => got.push(payload));
    await sql.notify('jobs', 'j1');
    await sql`select pg_notify('jobs', 'j2')`;
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((res) => setTimeout(res, 10));
    assert.deepEqual(got, ['j1', 'j2']);
    await unlisten();
  } finally {
    await sql.end();
    await r.stop();
  }
});
