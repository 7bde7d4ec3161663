/**
 * Virtual pg_catalog / information_schema relations through the embedded API: key columns of each
 * family, the catalog functions, and that rows follow the catalog the statement sees (DDL inside a
 * transaction shows up, and disappears on rollback).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query(`create table p(id int primary key, name text not null default 'x' check (length(name) > 0), u int unique);
    create table c(id serial primary key, pid int references p(id) on delete cascade);
    create index c_pid on c(pid); create view v as select id, name from p; create sequence s1;
    comment on table p is 'parents'; comment on column p.name is 'the name'`);
  return db;
}

test('pg_class, pg_namespace, pg_attribute', async () => {
  const db = await setup();
  try {
    const r = await db.query(`select c.relname, c.relkind, n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace order by c.relname`);
    assert.deepEqual(r.rows.map((x) => `${x.relname}:${x.relkind}:${x.nspname}`),
      ['c:r:public', 'c_id_seq:S:public', 'c_pid:i:public', 'c_pkey:i:public', 'p:r:public', 'p_pkey:i:public', 'p_u_key:i:public', 's1:S:public', 'v:v:public']);
    const a = await db.query(`select a.attname, a.attnum, a.attnotnull, a.atthasdef, format_type(a.atttypid, a.atttypmod) as t
      from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relname = 'p' order by a.attnum`);
    assert.deepEqual(a.rows, [
      { attname: 'id', attnum: 1, attnotnull: true, atthasdef: false, t: 'integer' },
      { attname: 'name', attnum: 2, attnotnull: true, atthasdef: true, t: 'text' },
      { attname: 'u', attnum: 3, attnotnull: false, atthasdef: false, t: 'integer' },
    ]);
  } finally { await db.close(); }
});

test('pg_constraint, pg_index, pg_get_* functions, pg_description', async () => {
  const db = await setup();
  try {
    const r = await db.query(`select conname, contype, pg_get_constraintdef(oid) as def from pg_constraint order by conname`);
    assert.deepEqual(r.rows.map((x) => `${x.conname}|${x.contype}|${x.def}`), [
      'c_pid_fkey|f|FOREIGN KEY (pid) REFERENCES p(id) ON DELETE CASCADE', 'c_pkey|p|PRIMARY KEY (id)',
      'p_name_check|c|CHECK (length(name) > 0)', 'p_pkey|p|PRIMARY KEY (id)', 'p_u_key|u|UNIQUE (u)']);
    const i = await db.query(`select pg_get_indexdef(i.indexrelid) as d, i.indisprimary from pg_index i join pg_class c on c.oid = i.indrelid where c.relname = 'c' order by 1`);
    assert.deepEqual(i.rows, [{ d: 'CREATE INDEX c_pid ON c USING btree (pid)', indisprimary: false }, { d: 'CREATE UNIQUE INDEX c_pkey ON c USING btree (id)', indisprimary: true }]);
    const d = await db.query(`select obj_description(c.oid, 'pg_class') as t, col_description(c.oid, 2) as col from pg_class c where relname = 'p'`);
    assert.deepEqual(d.rows, [{ t: 'parents', col: 'the name' }]);
  } finally { await db.close(); }
});

test('information_schema and transactional visibility', async () => {
  const db = await setup();
  try {
    const t = await db.query(`select table_name, table_type from information_schema.tables where table_schema = 'public' order by 1`);
    assert.deepEqual(t.rows, [{ table_name: 'c', table_type: 'BASE TABLE' }, { table_name: 'p', table_type: 'BASE TABLE' }, { table_name: 'v', table_type: 'VIEW' }]);
    const k = await db.query(`select constraint_name, column_name from information_schema.key_column_usage where table_name = 'c' order by 1`);
    assert.deepEqual(k.rows, [{ constraint_name: 'c_pid_fkey', column_name: 'pid' }, { constraint_name: 'c_pkey', column_name: 'id' }]);
    const s = db.session();
    await s.query('begin');
    await s.query('create table tx(a int)');
    assert.equal((await s.query(`select count(*)::int as n from pg_tables where tablename = 'tx'`)).rows[0]!.n, 1);
    await s.query('rollback');
    assert.equal((await s.query(`select count(*)::int as n from pg_tables where tablename = 'tx'`)).rows[0]!.n, 0);
    await s.close();
    assert.equal((await db.query(`select typname from pg_type where oid = 1007`)).rows[0]!.typname, '_int4');
    assert.equal((await db.query(`select rolsuper from pg_roles`)).rows[0]!.rolsuper, true);
  } finally { await db.close(); }
});
