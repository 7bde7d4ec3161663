/**
 * Protocol-level tests over raw sockets: startup, SSL/GSS refusal, simple and extended query
 * message flows, row limits, bad input (oversized, unknown, malformed, invalid UTF-8, stalled)
 * closing only the offending connection, and CancelRequest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RawClient, backendMessages, errorFields, message, startServer, startupPacket, type Running,
} from './helpers.ts';

function cstr(s: string): Buffer { return Buffer.from(`${s}\0`); }
function i16(n: number): Buffer { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; }
function i32(n: number): Buffer { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; }

async function ready(r: Running): Promise<RawClient> {
  const c = await RawClient.open(r.port);
  c.write(startupPacket({ user: 'oxibase', database: 'oxibase' }));
  await c.until((b) => backendMessages(b).some((m) => m.type === 'Z'));
  c.clear();
  return c;
}

/** Sends bytes and returns the messages up to (and including) the next ReadyForQuery. */
async function roundTrip(c: RawClient, bytes: Buffer): Promise<{ type: string; body: Buffer }[]> {
  c.clear();
  c.write(bytes);
  const all = await c.until((b) => backendMessages(b).some((m) => m.type === 'Z'));
  c.clear();
  return backendMessages(all);
}

test('startup: SSL and GSS refused, parameters, key data, ready', async () => {
  const r = await startServer();
  try {
    const c = await RawClient.open(r.port);
    c.write(Buffer.concat([i32(8), i32(80877103)]));
    assert.equal((await c.until((b) => b.length >= 1)).toString('latin1'), 'N');
    c.write(Buffer.concat([i32(8), i32(80877104)]));
    assert.equal((await c.until((b) => b.length >= 2)).toString('latin1'), 'NN');
    c.write(startupPacket({ user: 'alice', database: 'oxibase', application_name: 'app1', options: '-c search_path=public' }));
    const msgs = backendMessages((await c.until((b) => b.includes(Buffer.from([0x5a, 0, 0, 0, 5, 0x49])))).subarray(2));
    assert.equal(msgs[0]!.type, 'R');
    assert.equal(msgs[0]!.body.readInt32BE(0), 0);
    const params = new Map(msgs.filter((m) => m.type === 'S').map((m) => {
      const [k, v] = m.body.toString('utf8').split('\0');
      return [k!, v!];
    }));
    assert.match(params.get('server_version')!, /^15\.\d+ \(Oxibase/);
    assert.equal(params.get('application_name'), 'app1');
    assert.equal(params.get('session_authorization'), 'alice');
    for (const k of ['server_encoding', 'client_encoding', 'DateStyle', 'TimeZone', 'integer_datetimes',
      'standard_conforming_strings', 'is_superuser', 'IntervalStyle']) assert.ok(params.has(k), k);
    assert.ok(msgs.some((m) => m.type === 'K' && m.body.length === 8));
    c.close();
  } finally {
    await r.stop();
  }
});

test('ParameterStatus is sent when a reported setting changed by ReadyForQuery, and only then', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    const params = (msgs: { type: string; body: Buffer }[]): string[] =>
      msgs.filter((m) => m.type === 'S').map((m) => m.body.toString('utf8').split('\0').slice(0, 2).join('='));
    assert.deepEqual(params(await roundTrip(c, message('Q', cstr("SET application_name = 'app2'")))), ['application_name=app2']);
    assert.deepEqual(params(await roundTrip(c, message('Q', cstr('SELECT 1')))), []);
    assert.deepEqual(params(await roundTrip(c, message('Q', cstr("BEGIN; SET TimeZone = 'Europe/Paris'; ROLLBACK")))), [],
      'changed and restored within one message');
    assert.deepEqual(params(await roundTrip(c, message('Q', cstr("SET TimeZone = 'Europe/Paris'")))), ['TimeZone=Europe/Paris']);
    assert.deepEqual(params(await roundTrip(c, message('Q', cstr('RESET ALL')))).sort(), ['TimeZone=UTC', 'application_name=']);
    c.close();
  } finally {
    await r.stop();
  }
});

test('simple query: empty, multi-statement results, error skips the rest and rolls back', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    let m = await roundTrip(c, message('Q', cstr('  ')));
    assert.deepEqual(m.map((x) => x.type), ['I', 'Z']);
    m = await roundTrip(c, message('Q', cstr('create table t(a int); insert into t values (1),(2); select a from t order by a')));
    assert.deepEqual(m.map((x) => x.type), ['C', 'C', 'T', 'D', 'D', 'C', 'Z']);
    assert.equal(m[1]!.body.toString('utf8'), 'INSERT 0 2\0');
    assert.equal(m[5]!.body.toString('utf8'), 'SELECT 2\0');
    // RowDescription: int4 column, OID 23, size 4, typmod -1.
    const rd = m[2]!.body;
    assert.equal(rd.readInt16BE(0), 1);
    const at = rd.indexOf(0, 2) + 1;
    assert.equal(rd.readInt32BE(at + 6), 23);
    assert.equal(rd.readInt16BE(at + 10), 4);
    m = await roundTrip(c, message('Q', cstr('insert into t values (3); select 1/0; insert into t values (4)')));
    assert.deepEqual(m.map((x) => x.type), ['C', 'E', 'Z']);
    const f = errorFields(m[1]!.body);
    assert.equal(f['C'], '22012');
    assert.equal(f['S'], 'ERROR');
    assert.equal(f['V'], 'ERROR');
    m = await roundTrip(c, message('Q', cstr('select count(*) from t')));
    assert.equal(m.find((x) => x.type === 'D')!.body.subarray(6).toString(), '2');
    m = await roundTrip(c, message('Q', cstr('select 1;\nselect nosuch')));
    const pos = errorFields(m.find((x) => x.type === 'E')!.body)['P'];
    assert.equal(pos, '18');
    m = await roundTrip(c, message('Q', cstr('begin; select 1/0')));
    assert.equal(m.at(-1)!.body.toString('latin1'), 'E');
    m = await roundTrip(c, message('Q', cstr('rollback')));
    assert.equal(m.at(-1)!.body.toString('latin1'), 'I');
    c.close();
  } finally {
    await r.stop();
  }
});

test('simple query: literal statements of one shape run as one statement, and errors stay those of the text', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    const shapes = (): number => {
      const conns = (r.server as unknown as { connections: Set<{ session: { shapes: { hits: number } } | null }> }).connections;
      return [...conns].reduce((n, x) => n + (x.session?.shapes.hits ?? 0), 0);
    };
    let m = await roundTrip(c, message('Q', cstr("create table s(a int, b text); insert into s values ('1', 'x')")));
    assert.deepEqual(m.map((x) => x.type), ['C', 'C', 'Z']);
    m = await roundTrip(c, message('Q', cstr("insert into s values ('2', 'y'); insert into s values ('3', 'z')")));
    assert.deepEqual(m.map((x) => x.type), ['C', 'C', 'Z']);
    assert.equal(shapes(), 2);
    // Same shape, a literal that does not convert: the error points into this text, and the
    // implicit block rolls the first insert back.
    const sql = "insert into s values ('4', 'w'); insert into s values ('bad', 'v')";
    m = await roundTrip(c, message('Q', cstr(sql)));
    assert.deepEqual(m.map((x) => x.type), ['C', 'E', 'Z']);
    const f = errorFields(m[1]!.body);
    assert.equal(f['C'], '22P02');
    assert.equal(f['M'], 'invalid input syntax for type integer: "bad"');
    assert.equal(f['P'], String(sql.indexOf("'bad'") + 1));
    assert.equal(m.at(-1)!.body.toString('latin1'), 'I');
    m = await roundTrip(c, message('Q', cstr('select a, b from s order by a')));
    assert.deepEqual(m.filter((x) => x.type === 'D').length, 3);
    c.close();
  } finally {
    await r.stop();
  }
});

test('extended query: parse/bind/describe/execute with row limits, binary formats, errors skip to Sync', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    await roundTrip(c, message('Q', cstr('create table n(i int8, x numeric, s text); insert into n select g, g * 1.5, \'v\' || g from generate_series(1, 5) g')));
    const parse = message('P', Buffer.concat([cstr('s1'), cstr('select i, x, s from n where i >= $1 order by i'), i16(0)]));
    const describeS = message('D', Buffer.concat([Buffer.from('S'), cstr('s1')]));
    // $1 in binary (int8 inferred by Describe), results: int8 binary, numeric binary, text.
    const bind = message('B', Buffer.concat([
      cstr('p1'), cstr('s1'), i16(1), i16(1), i16(1), i32(8), Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]),
      i16(3), i16(1), i16(1), i16(0),
    ]));
    const exec2 = message('E', Buffer.concat([cstr('p1'), i32(2)]));
    const execAll = message('E', Buffer.concat([cstr('p1'), i32(0)]));
    const m = await roundTrip(c, Buffer.concat([parse, describeS, bind, exec2, execAll, message('S')]));
    assert.deepEqual(m.map((x) => x.type), ['1', 't', 'T', '2', 'D', 'D', 's', 'D', 'D', 'C', 'Z']);
    const pd = m[1]!.body;
    assert.equal(pd.readInt16BE(0), 1);
    assert.equal(pd.readInt32BE(2), 20);
    const row = m[4]!.body;
    assert.equal(row.readInt32BE(2), 8);
    assert.equal(row.readBigInt64BE(6), 2n);
    // numeric 3.0 in binary: ndigits 1, weight 0, sign 0, dscale 1, digit 3.
    assert.equal(row.readInt32BE(14), 10);
    assert.deepEqual([row.readInt16BE(18), row.readInt16BE(20), row.readInt16BE(22), row.readInt16BE(24), row.readInt16BE(26)], [1, 0, 0, 1, 3]);
    assert.equal(m[9]!.body.toString('utf8'), 'SELECT 2\0');
    // An error skips everything up to Sync; the next batch works.
    const bad = message('P', Buffer.concat([cstr(''), cstr('selec 1'), i16(0)]));
    const after = message('P', Buffer.concat([cstr(''), cstr('select 1'), i16(0)]));
    const m2 = await roundTrip(c, Buffer.concat([bad, after, message('S')]));
    assert.deepEqual(m2.map((x) => x.type), ['E', 'Z']);
    const m3 = await roundTrip(c, Buffer.concat([after, message('B', Buffer.concat([cstr(''), cstr(''), i16(0), i16(0), i16(0)])),
      message('D', Buffer.concat([Buffer.from('P'), cstr('')])), message('E', Buffer.concat([cstr(''), i32(0)])), message('S')]));
    assert.deepEqual(m3.map((x) => x.type), ['1', '2', 'T', 'D', 'C', 'Z']);
    c.close();
  } finally {
    await r.stop();
  }
});

test('pipelined executes share one implicit transaction up to Sync', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    await roundTrip(c, message('Q', cstr('create table p(a int primary key)')));
    const one = (sql: string): Buffer => Buffer.concat([
      message('P', Buffer.concat([cstr(''), cstr(sql), i16(0)])),
      message('B', Buffer.concat([cstr(''), cstr(''), i16(0), i16(0), i16(0)])),
      message('E', Buffer.concat([cstr(''), i32(0)])),
    ]);
    const m = await roundTrip(c, Buffer.concat([one('insert into p values (1)'), one('insert into p values (1)'), message('S')]));
    assert.ok(m.some((x) => x.type === 'E'));
    const m2 = await roundTrip(c, message('Q', cstr('select count(*) from p')));
    assert.equal(m2.find((x) => x.type === 'D')!.body.subarray(6).toString(), '0');
    c.close();
  } finally {
    await r.stop();
  }
});

async function expectFatal(r: Running, bytes: Buffer, code = '08P01'): Promise<void> {
  const c = await ready(r);
  c.write(bytes);
  const got = backendMessages(await c.until(() => c.closed, 3000));
  const err = got.find((x) => x.type === 'E');
  assert.ok(err, 'expected an ErrorResponse');
  const f = errorFields(err.body);
  assert.equal(f['S'], 'FATAL');
  assert.equal(f['C'], code);
  assert.ok(c.closed, 'connection closed');
}

test('bad input closes only that connection', async () => {
  const r = await startServer({ messageStallMs: 300 });
  try {
    const other = await ready(r);
    const oversize = Buffer.concat([Buffer.from('Q'), i32(0x7ffffff0)]);
    await expectFatal(r, oversize);
    await expectFatal(r, message('!', Buffer.from('x')));
    await expectFatal(r, message('Q', Buffer.from([0x73, 0xff, 0xfe, 0])));
    await expectFatal(r, message('P', Buffer.from('abc')));
    await expectFatal(r, message('B', Buffer.concat([cstr(''), cstr(''), i16(0), i16(1), i32(100)])));
    await expectFatal(r, Buffer.concat([Buffer.from('Q'), i32(100), Buffer.from('sel')])); // stalls
    const m = await roundTrip(other, message('Q', cstr('select 42')));
    assert.equal(m.find((x) => x.type === 'D')!.body.subarray(6).toString(), '42');
    other.close();
  } finally {
    await r.stop();
  }
});

test('a bad startup packet is rejected', async () => {
  const r = await startServer();
  try {
    const c = await RawClient.open(r.port);
    c.write(Buffer.concat([i32(8), i32(0x00020000)])); // protocol 2.0
    const got = backendMessages(await c.until(() => c.closed, 3000));
    assert.equal(errorFields(got[0]!.body)['C'], '0A000');
    const d = await RawClient.open(r.port);
    d.write(Buffer.concat([i32(100000), i32(196608)]));
    const got2 = backendMessages(await d.until(() => d.closed, 3000));
    assert.equal(errorFields(got2[0]!.body)['C'], '08P01');
  } finally {
    await r.stop();
  }
});

test('COPY FROM STDIN and TO STDOUT over the wire', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    await roundTrip(c, message('Q', cstr('create table cp(a int, b text)')));
    c.clear();
    c.write(message('Q', cstr('copy cp from stdin with (format csv)')));
    await c.until((b) => backendMessages(b).some((x) => x.type === 'G'));
    const m = await roundTrip(c, Buffer.concat([message('d', Buffer.from('1,"x,y"\n2,')), message('d', Buffer.from('\n3,"q""q"\n')), message('c')]));
    assert.ok(m.some((x) => x.type === 'C' && x.body.toString() === 'COPY 3\0'), JSON.stringify(m.map((x) => x.type)));
    const out = await roundTrip(c, message('Q', cstr('copy cp to stdout')));
    const data = out.filter((x) => x.type === 'd').map((x) => x.body.toString()).join('');
    assert.equal(data, '1\tx,y\n2\t\\N\n3\tq"q\n');
    // A bad row fails the whole COPY.
    c.clear();
    c.write(message('Q', cstr('copy cp from stdin')));
    await c.until((b) => backendMessages(b).some((x) => x.type === 'G'));
    const bad = await roundTrip(c, Buffer.concat([message('d', Buffer.from('7\tok\nnot-a-number\tz\n')), message('c')]));
    assert.equal(errorFields(bad.find((x) => x.type === 'E')!.body)['C'], '22P02');
    const count = await roundTrip(c, message('Q', cstr('select count(*) from cp')));
    assert.equal(count.find((x) => x.type === 'D')!.body.subarray(6).toString(), '3');
    c.close();
  } finally {
    await r.stop();
  }
});
