/**
 * The embedded API contract (src/api/types.ts): parameter conversion from JS values, result value
 * mapping, fields, rowCount / command / commandTag per statement kind, notices, queryArrays,
 * session independence, describeRelation / listRelations, and errors with SQLSTATE + position.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase, DbError } from '../../src/index.ts';

async function fails(p: Promise<unknown>, code: string, message?: string | RegExp, position?: number): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected DbError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (position !== undefined) assert.equal(e.position, position, e.message);
    return e;
  }
  assert.fail('expected an error');
}

test('parameters of every type from JS values, inferred from the target columns', async () => {
  const db = await Oxibase.open('memory://');
  await db.query(`CREATE TABLE t (i2 int2, i4 int4, i8 int8, n numeric, f4 float4, f8 float8, b bool, t text,
    vc varchar(10), d date, ts timestamp, tz timestamptz, tm time, iv interval, j json, jb jsonb, u uuid, by bytea,
    ai int[], at text[])`);
  const params = [1, 2, 9223372036854775807n, '12.50', 1.5, 0.1, true, 'hi', 'v', new Date('2024-01-02T00:00:00Z'),
    new Date('2024-01-02T03:04:05.678Z'), new Date('2024-01-02T03:04:05Z'), '12:34:56', '1 day 2 hours', { a: [1, 2] },
    { b: { c: null } }, '123e4567-e89b-12d3-a456-426614174000', new Uint8Array([1, 2, 255]), [1, null, 3], ['a', 'b']];
  const r = await db.query(`INSERT INTO t VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20) RETURNING *`, params);
  assert.deepEqual(r.rows[0], {
    i2: 1, i4: 2, i8: 9223372036854775807n, n: '12.50', f4: 1.5, f8: 0.1, b: true, t: 'hi', vc: 'v', d: '2024-01-02',
    ts: '2024-01-02 03:04:05.678', tz: '2024-01-02 03:04:05+00', tm: '12:34:56', iv: '1 day 02:00:00', j: { a: [1, 2] },
    jb: { b: { c: null } }, u: '123e4567-e89b-12d3-a456-426614174000', by: new Uint8Array([1, 2, 255]), ai: [1, null, 3], at: ['a', 'b'],
  });
  // Strings go through the column type's input function; numbers / bigints fit numerics.
  const r2 = await db.query('INSERT INTO t (i8, n, i4, b, d) VALUES ($1, $2, $3, $4, $5) RETURNING i8, n, i4, b, d',
    ['-9223372036854775808', 10n, '42', 'yes', '2024-02-29']);
  assert.deepEqual(r2.rows[0], { i8: -9223372036854775808n, n: '10', i4: 42, b: true, d: '2024-02-29' });
  // UPDATE / DELETE parameters take their types from the compared / assigned columns.
  assert.equal((await db.query('UPDATE t SET n = $1 WHERE i8 = $2', [0.5, '-9223372036854775808'])).rowCount, 1);
  assert.deepEqual((await db.query('SELECT n FROM t WHERE i8 = $1', [-9223372036854775808n])).rows, [{ n: '0.5' }]);
  assert.equal((await db.query('DELETE FROM t WHERE i4 = $1', ['42'])).rowCount, 1);
  // NULL / undefined parameters.
  assert.deepEqual((await db.query('INSERT INTO t (i4, t) VALUES ($1, $2) RETURNING i4, t', [null, undefined])).rows, [{ i4: null, t: null }]);
  await fails(db.query('INSERT INTO t (i4) VALUES ($1)', ['abc']), '22P02', 'invalid input syntax for type integer: "abc"');
  await fails(db.query('INSERT INTO t (i2) VALUES ($1)', [70000]), '22003', 'value "70000" is out of range for type smallint');
  await fails(db.query('SELECT $1; SELECT 2', [1]), '42601', 'cannot insert multiple commands into a prepared statement');
  await db.close();
});

test('result values: int8 number/bigint rule, numeric strings, dates as strings, json parsed, arrays, bytea', async () => {
  const db = await Oxibase.open('memory://');
  const r = await db.query(`SELECT 9007199254740991::int8 AS safe, 9007199254740992::int8 AS big, (-9223372036854775808)::int8 AS min,
    1.50::numeric AS n, 12345678901234567890.123456789::numeric AS bign, 0.1::float8 AS f, 2.5::float4 AS r,
    '2024-01-01'::date AS d, '2024-01-01 10:00:00.123456'::timestamp AS ts, '1 year 2 mons'::interval AS iv,
    '{"a":[1,{"b":null}]}'::json AS j, '{"z":1,"a":2}'::jsonb AS jb, ARRAY[1,2] AS a, ARRAY['x',NULL] AS ta,
    '\\x0102'::bytea AS by, NULL::int AS nul, true AS t, 'txt'::text AS s, 32767::int2 AS i2`);
  assert.deepEqual(r.rows[0], {
    safe: 9007199254740991, big: 9007199254740992n, min: -9223372036854775808n, n: '1.50', bign: '12345678901234567890.123456789',
    f: 0.1, r: 2.5, d: '2024-01-01', ts: '2024-01-01 10:00:00.123456', iv: '1 year 2 mons', j: { a: [1, { b: null }] },
    jb: { a: 2, z: 1 }, a: [1, 2], ta: ['x', null], by: new Uint8Array([1, 2]), nul: null, t: true, s: 'txt', i2: 32767,
  });
  assert.equal(typeof r.rows[0]!.safe, 'number');
  assert.equal(typeof r.rows[0]!.big, 'bigint');
  assert.deepEqual(r.fields.slice(0, 5).map((f) => [f.name, f.typeOid, f.type]),
    [['safe', 20, 'bigint'], ['big', 20, 'bigint'], ['min', 20, 'bigint'], ['n', 1700, 'numeric'], ['bign', 1700, 'numeric']]);
  assert.deepEqual(r.fields.slice(5).map((f) => f.typeOid), [701, 700, 1082, 1114, 1186, 114, 3802, 1007, 1009, 17, 23, 16, 25, 21]);
  // A stored bigint round-trips exactly.
  await db.exec('CREATE TABLE b (v bigint, n numeric(20,4), vc varchar(20))');
  await db.query('INSERT INTO b VALUES ($1, $2, $3)', [9223372036854775807n, '12.5', 'x']);
  const back = await db.query('SELECT v, v - 1 AS w, n, vc FROM b');
  assert.deepEqual(back.rows, [{ v: 9223372036854775807n, w: 9223372036854775806n, n: '12.5000', vc: 'x' }]);
  assert.deepEqual(back.fields.map((f) => f.type), ['bigint', 'bigint', 'numeric(20,4)', 'character varying(20)']);
  await db.close();
});

test('rowCount / command / commandTag for every statement kind', async () => {
  const db = await Oxibase.open('memory://');
  const cases: [string, string, string, number][] = [
    ['CREATE TABLE t (a int)', 'CREATE TABLE', 'CREATE TABLE', 0],
    ['INSERT INTO t VALUES (1), (2), (3)', 'INSERT', 'INSERT 0 3', 3],
    ['SELECT * FROM t', 'SELECT', 'SELECT 3', 3],
    ['VALUES (1), (2)', 'SELECT', 'SELECT 2', 2],
    ['UPDATE t SET a = a + 1 WHERE a > 1', 'UPDATE', 'UPDATE 2', 2],
    ['DELETE FROM t WHERE a = 1', 'DELETE', 'DELETE 1', 1],
    ['CREATE TABLE t2 AS SELECT * FROM t', 'CREATE TABLE AS', 'SELECT 2', 2],
    ['CREATE VIEW v AS SELECT 1', 'CREATE VIEW', 'CREATE VIEW', 0],
    ['CREATE SEQUENCE sq', 'CREATE SEQUENCE', 'CREATE SEQUENCE', 0],
    ['ALTER SEQUENCE sq RESTART', 'ALTER SEQUENCE', 'ALTER SEQUENCE', 0],
    ['CREATE INDEX ON t (a)', 'CREATE INDEX', 'CREATE INDEX', 0],
    ['CREATE SCHEMA s', 'CREATE SCHEMA', 'CREATE SCHEMA', 0],
    ['ALTER TABLE t ADD COLUMN b int', 'ALTER TABLE', 'ALTER TABLE', 0],
    ["COMMENT ON TABLE t IS 'x'", 'COMMENT', 'COMMENT', 0],
    ['TRUNCATE t2', 'TRUNCATE TABLE', 'TRUNCATE TABLE', 0],
    ['DROP VIEW v', 'DROP VIEW', 'DROP VIEW', 0],
    ['DROP SEQUENCE sq', 'DROP SEQUENCE', 'DROP SEQUENCE', 0],
    ['DROP SCHEMA s', 'DROP SCHEMA', 'DROP SCHEMA', 0],
    ['SET search_path = public', 'SET', 'SET', 0],
    ['BEGIN', 'BEGIN', 'BEGIN', 0],
    ['SAVEPOINT a', 'SAVEPOINT', 'SAVEPOINT', 0],
    ['RELEASE a', 'RELEASE', 'RELEASE', 0],
    ['COMMIT', 'COMMIT', 'COMMIT', 0],
    ['START TRANSACTION', 'START TRANSACTION', 'START TRANSACTION', 0],
    ['ROLLBACK', 'ROLLBACK', 'ROLLBACK', 0],
    ['PREPARE p AS SELECT 1', 'PREPARE', 'PREPARE', 0],
    ['EXECUTE p', 'SELECT', 'SELECT 1', 1],
    ['DEALLOCATE p', 'DEALLOCATE', 'DEALLOCATE', 0],
    ['DROP TABLE t, t2', 'DROP TABLE', 'DROP TABLE', 0],
  ];
  for (const [sql, command, tag, count] of cases) {
    const r = await db.query(sql);
    assert.deepEqual([r.command, r.commandTag, r.rowCount], [command, tag, count], sql);
  }
  // exec returns one result per statement.
  const all = await db.exec('CREATE TABLE x (a int); INSERT INTO x VALUES (1); SELECT a FROM x');
  assert.deepEqual(all.map((r) => r.commandTag), ['CREATE TABLE', 'INSERT 0 1', 'SELECT 1']);
  assert.deepEqual(all[2]!.rows, [{ a: 1 }]);
  await db.close();
});

test('notices, queryArrays with duplicate names, and session independence', async () => {
  const db = await Oxibase.open('memory://');
  const n = await db.query('DROP TABLE IF EXISTS nosuch');
  assert.deepEqual(n.notices, [{ severity: 'NOTICE', code: '00000', message: 'table "nosuch" does not exist, skipping' }]);
  assert.deepEqual((await db.query('SELECT 1')).notices, []);
  const obj = await db.query('SELECT 1 AS a, 2 AS a');
  assert.deepEqual(obj.rows, [{ a: 2 }]);
  assert.equal(obj.fields.length, 2);
  const arr = await db.queryArrays('SELECT 1 AS a, 2 AS a, $1::text AS s', ['p']);
  assert.deepEqual(arr.rows, [[1, 2, 'p']]);
  assert.deepEqual([arr.rowCount, arr.command], [1, 'SELECT']);
  const s1 = db.session();
  const s2 = db.session();
  await s1.query('CREATE SCHEMA x');
  await s1.query('SET search_path = x');
  assert.deepEqual((await s2.query('SHOW search_path')).rows, [{ search_path: '"$user", public' }]);
  await s1.query('BEGIN');
  await s1.query('CREATE TABLE x.tt (a int)');
  await s1.query('INSERT INTO tt VALUES (1)');
  assert.equal(s1.transactionStatus, 'in transaction');
  assert.equal(s2.transactionStatus, 'idle');
  await fails(s2.query('SELECT * FROM x.tt'), '42P01');
  await s1.query('COMMIT');
  assert.deepEqual((await s2.query('SELECT a FROM x.tt')).rows, [{ a: 1 }]);
  await s1.query('BEGIN');
  await fails(s1.query('SELECT 1/0'), '22012');
  assert.equal(s1.transactionStatus, 'in failed transaction');
  await s1.query('ROLLBACK');
  assert.equal(s1.transactionStatus, 'idle');
  await s1.close();
  await s2.close();
  await db.close();
});

test('describeRelation / listRelations', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE d (id serial PRIMARY KEY, name varchar(20) NOT NULL DEFAULT 'n', price numeric(8,2) CHECK (price > 0),
    pid int REFERENCES d ON DELETE CASCADE, UNIQUE (name, price));
    CREATE TABLE child (did int REFERENCES d (id)); CREATE VIEW dv AS SELECT id, name FROM d;
    COMMENT ON TABLE d IS 'desc'; CREATE SCHEMA other; CREATE TABLE other.hidden (a int)`);
  const s = db.session();
  const d = await s.describeRelation('d');
  assert.ok(d);
  assert.deepEqual([d.schema, d.name, d.kind, d.comment, d.viewDefinition], ['public', 'd', 'table', 'desc', null]);
  assert.deepEqual(d.columns, [
    { name: 'id', type: 'integer', nullable: false, default: "nextval('d_id_seq'::regclass)", identity: null, generated: null },
    { name: 'name', type: 'character varying(20)', nullable: false, default: "'n'", identity: null, generated: null },
    { name: 'price', type: 'numeric(8,2)', nullable: true, default: null, identity: null, generated: null },
    { name: 'pid', type: 'integer', nullable: true, default: null, identity: null, generated: null },
  ]);
  assert.deepEqual(d.indexes.map((i) => [i.name, i.primary, i.unique]), [['d_pkey', true, true], ['d_name_price_key', false, true]]);
  assert.deepEqual(d.constraints.map((k) => [k.name, k.type, k.definition]).sort(), [
    ['d_name_price_key', 'u', 'UNIQUE (name, price)'],
    ['d_pid_fkey', 'f', 'FOREIGN KEY (pid) REFERENCES d(id) ON DELETE CASCADE'],
    ['d_pkey', 'p', 'PRIMARY KEY (id)'],
    ['d_price_check', 'c', 'CHECK (price > 0)'],
  ]);
  assert.deepEqual(d.referencedBy.map((r) => [r.table, r.constraint]).sort(), [['child', 'child_did_fkey'], ['d', 'd_pid_fkey']]);
  const v = await s.describeRelation('public.dv');
  assert.equal(v?.kind, 'view');
  assert.ok(v?.viewDefinition?.includes('SELECT id, name FROM d'));
  assert.equal(await s.describeRelation('nosuch'), null);
  assert.equal(await s.describeRelation('hidden'), null);
  assert.equal((await s.describeRelation('other.hidden'))?.schema, 'other');
  const all = await s.listRelations();
  assert.deepEqual(all.map((r) => `${r.kind}:${r.name}`), [
    'table:child', 'table:d', 'index:d_name_price_key', 'index:d_pkey', 'sequence:d_id_seq', 'view:dv',
  ].sort((a, b) => (a.split(':')[1]! < b.split(':')[1]! ? -1 : 1)));
  assert.deepEqual((await s.listRelations(['view'])).map((r) => r.name), ['dv']);
  await db.close();
});

test('errors carry SQLSTATE and position', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (a int, s text)');
  await fails(db.query('SELECT 1 +'), '42601', 'syntax error at end of input', 11);
  await fails(db.query('SELEC 1'), '42601', 'syntax error at or near "SELEC"', 1);
  await fails(db.query('SELECT nosuch FROM t'), '42703', 'column "nosuch" does not exist', 8);
  await fails(db.query('SELECT a FROM nosuch'), '42P01', 'relation "nosuch" does not exist', 15);
  await fails(db.query("INSERT INTO t (a) VALUES ('x'::text)"), '42804', 'column "a" is of type integer but expression is of type text', 27);
  await fails(db.query('UPDATE t SET a = true'), '42804', 'column "a" is of type integer but expression is of type boolean');
  await fails(db.query('SELECT 1 / 0'), '22012', 'division by zero');
  await fails(db.query('SELECT 2147483647 + 1'), '22003', 'integer out of range');
  await fails(db.query('SELECT 9223372036854775807 + 1'), '22003', 'bigint out of range');
  await fails(db.query("SELECT 'abc'::int"), '22P02', 'invalid input syntax for type integer: "abc"');
  await db.close();
});
