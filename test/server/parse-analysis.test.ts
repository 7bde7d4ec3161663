/**
 * Parse analyzes queries and DML like PostgreSQL: an unknown table or column is reported in
 * response to Parse (before Bind), with its position; utility statements and statements parsed
 * in an aborted transaction are analyzed only when executed; a statement analyzed at Parse is
 * re-described after DDL changes the catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawClient, backendMessages, errorFields, message, startServer, startupPacket, type Running } from './helpers.ts';

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

async function roundTrip(c: RawClient, bytes: Buffer): Promise<{ type: string; body: Buffer }[]> {
  c.clear();
  c.write(bytes);
  const all = await c.until((b) => backendMessages(b).some((m) => m.type === 'Z'));
  c.clear();
  return backendMessages(all);
}

const parse = (name: string, sql: string): Buffer => message('P', Buffer.concat([cstr(name), cstr(sql), i16(0)]));
const flush = message('H');
const sync = message('S');

test('Parse reports unknown tables and columns; DDL re-describes; utility statements wait for Execute', async () => {
  const r = await startServer();
  try {
    const c = await ready(r);
    await roundTrip(c, message('Q', cstr('create table t(id int primary key, v text)')));
    // Flush (not Sync) after Parse: the error must come from Parse itself.
    c.write(parse('bad', 'select nosuch from t where id = $1'));
    c.write(flush);
    const got = backendMessages(await c.until((b) => backendMessages(b).some((m) => m.type === 'E')));
    assert.equal(got[0]!.type, 'E');
    const f = errorFields(got[0]!.body);
    assert.equal(f['C'], '42703');
    assert.equal(f['P'], '8');
    await roundTrip(c, sync);
    const m = await roundTrip(c, Buffer.concat([parse('', 'insert into nosuch values ($1)'), sync]));
    assert.deepEqual(m.map((x) => x.type), ['E', 'Z']);
    assert.equal(errorFields(m[0]!.body)['C'], '42P01');

    // A good statement, then DDL changes the table: Describe reflects the new catalog.
    const ok = await roundTrip(c, Buffer.concat([parse('s', 'select * from t'), message('D', Buffer.concat([Buffer.from('S'), cstr('s')])), sync]));
    assert.deepEqual(ok.map((x) => x.type), ['1', 't', 'T', 'Z']);
    assert.equal(ok[2]!.body.readInt16BE(0), 2);
    await roundTrip(c, message('Q', cstr('alter table t add column w int')));
    const again = await roundTrip(c, Buffer.concat([message('D', Buffer.concat([Buffer.from('S'), cstr('s')])), sync]));
    assert.deepEqual(again.map((x) => x.type), ['t', 'T', 'Z']);
    assert.equal(again[1]!.body.readInt16BE(0), 3);

    // Utility statements are not analyzed at Parse (the table does not exist yet when parsed).
    const util = await roundTrip(c, Buffer.concat([
      parse('', 'create table u(x int)'), message('B', Buffer.concat([cstr(''), cstr(''), i16(0), i16(0), i16(0)])),
      message('E', Buffer.concat([cstr(''), i32(0)])), sync,
    ]));
    assert.deepEqual(util.map((x) => x.type), ['1', '2', 'C', 'Z']);

    // In an aborted transaction, Parse succeeds and Execute reports 25P02.
    await roundTrip(c, message('Q', cstr('begin; select 1/0')));
    const aborted = await roundTrip(c, Buffer.concat([
      parse('', 'select nosuch from t'), message('B', Buffer.concat([cstr(''), cstr(''), i16(0), i16(0), i16(0)])),
      message('E', Buffer.concat([cstr(''), i32(0)])), sync,
    ]));
    assert.deepEqual(aborted.map((x) => x.type), ['1', '2', 'E', 'Z']);
    assert.equal(errorFields(aborted[2]!.body)['C'], '25P02');
    c.close();
  } finally {
    await r.stop();
  }
});
