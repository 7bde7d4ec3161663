/**
 * OID-alias types (regtype, regclass, regproc, regnamespace, regrole): stored as oid numbers,
 * pg_cast levels with oid/int4/int8, and name output where one is known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { Oid, typeOf } from '../../src/types/sql-type.ts';
import { castContextOf, findCast } from '../../src/types/cast.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';
import { defaultTypeContext as ctx } from '../../src/types/context.ts';
import { comparatorFor } from '../../src/types/compare.ts';

const REG = [Oid.regtype, Oid.regclass, Oid.regproc, Oid.regnamespace, Oid.regrole];

test('reg* casts follow pg_cast levels', () => {
  for (const r of REG) {
    const t = typeOf(r);
    assert.equal(castContextOf(typeOf(Oid.oid), t), 'implicit');
    assert.equal(castContextOf(t, typeOf(Oid.oid)), 'implicit');
    assert.equal(castContextOf(typeOf(Oid.int4), t), 'implicit');
    assert.equal(castContextOf(typeOf(Oid.int8), t), 'implicit');
    assert.equal(castContextOf(t, typeOf(Oid.int4)), 'assignment');
    assert.equal(castContextOf(t, typeOf(Oid.int8)), 'assignment');
    assert.equal(findCast(typeOf(Oid.int4), t, 'implicit')!(-1, ctx), 4294967295);
    assert.equal(findCast(t, typeOf(Oid.int4), 'assignment')!(4294967295, ctx), -1);
    assert.throws(() => findCast(typeOf(Oid.int8), t, 'implicit')!(2 ** 33, ctx), /OID out of range/);
  }
});

test('regtype prints built-in type names; unknown oids and 0 print as PostgreSQL does', () => {
  const out = outputFunction(typeOf(Oid.regtype));
  assert.equal(out(23, ctx), 'integer');
  assert.equal(out(1043, ctx), 'character varying');
  assert.equal(out(1184, ctx), 'timestamp with time zone');
  assert.equal(out(1007, ctx), 'integer[]');
  assert.equal(out(0, ctx), '-');
  assert.equal(out(987654, ctx), '987654');
  const inp = inputFunction(typeOf(Oid.regtype));
  assert.equal(inp('int4', ctx), 23);
  assert.equal(inp('integer', ctx), 23);
  assert.equal(inp('pg_catalog.text', ctx), 25);
  assert.equal(inp('character varying', ctx), 1043);
  assert.equal(inp('1700', ctx), 1700);
  assert.throws(() => inp('nosuchtype', ctx), /type "nosuchtype" does not exist/);
});

test('reg* values compare like oid', () => {
  const cmp = comparatorFor(typeOf(Oid.regclass));
  assert.equal(cmp(1, 2), -1);
  assert.equal(cmp(5, 5), 0);
});

test('SQL: casts and name output through the catalog', async () => {
  const db = await Oxibase.open('memory://');
  try {
    await db.query('create table t(id int primary key)');
    await db.query('create schema s');
    await db.query('create table s.u(x int)');
    const r = await db.query(`select 23::regtype::text as a, 'int8'::regtype::oid::int8 as b,
      c.oid::regclass::text as c, c.relnamespace::regnamespace::text as d, c.relowner::regrole::text as e,
      c.reloftype::regtype::text as f, c.oid = c.oid::regclass as g
      from pg_class c where c.relname = 't'`);
    assert.deepEqual(r.rows, [{ a: 'integer', b: 20, c: 't', d: 'public', e: 'oxibase', f: '-', g: true }]);
    const u = await db.query(`select c.oid::regclass::text as n, c.oid = 's.u'::regclass as same
      from pg_class c where c.relname = 'u'`);
    assert.deepEqual(u.rows, [{ n: 's.u', same: true }]);
    const p = await db.query(`select p.oid::regproc::text as n from pg_proc p where proname = 'upper'`);
    assert.deepEqual(p.rows, [{ n: 'upper' }]);
  } finally {
    await db.close();
  }
});

test('a built-in registered in information_schema is its pg_proc row there, and regproc needs the schema', async () => {
  const db = await Oxibase.open('memory://');
  const rows = (await db.query<{ proname: string; nspname: string; proretset: boolean; r: string }>(
    `SELECT p.proname, n.nspname, p.proretset, p.oid::regproc::text AS r
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE p.proname IN ('_pg_expandarray', 'now') ORDER BY p.proname`)).rows;
  assert.deepEqual(rows, [
    { proname: '_pg_expandarray', nspname: 'information_schema', proretset: true, r: 'information_schema._pg_expandarray' },
    { proname: 'now', nspname: 'pg_catalog', proretset: false, r: 'now' },
  ]);
  const oid = (await db.query<{ o: number }>("SELECT 'information_schema._pg_expandarray'::regproc::oid AS o")).rows[0]!.o;
  assert.equal(oid, (await db.query<{ oid: number }>("SELECT oid FROM pg_proc WHERE proname = '_pg_expandarray'")).rows[0]!.oid);
  assert.equal((await db.query<{ t: string }>("SELECT 'pg_catalog.now'::regproc::text AS t")).rows[0]!.t, 'now');
  await assert.rejects(db.query("SELECT '_pg_expandarray'::regproc"), { code: '42883' });
  await db.close();
});
