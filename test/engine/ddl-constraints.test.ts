/**
 * CREATE TABLE with every column / table constraint and their errors: PRIMARY KEY, UNIQUE
 * (multi-column, NULLs distinct), NOT NULL, CHECK, DEFAULT, SERIAL, IDENTITY, generated columns,
 * with PostgreSQL's generated constraint names and exact SQLSTATE / message / detail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

test('generated constraint names follow PostgreSQL (t_pkey, t_a_key, t_a_check, t_a_fkey)', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE p (id int PRIMARY KEY)');
  await db.query(`CREATE TABLE t (
    id int PRIMARY KEY, a int UNIQUE, b int CHECK (b > 0), c int REFERENCES p,
    d int, e int, CHECK (d < e), UNIQUE (d, e), CONSTRAINT named_chk CHECK (e <> 0), FOREIGN KEY (d) REFERENCES p (id))`);
  const desc = await db.session().describeRelation('t');
  assert.ok(desc);
  assert.deepEqual(desc.constraints.map((k) => [k.name, k.type]).sort(), [
    ['named_chk', 'c'], ['t_a_key', 'u'], ['t_b_check', 'c'], ['t_c_fkey', 'f'], ['t_check', 'c'],
    ['t_d_e_key', 'u'], ['t_d_fkey', 'f'], ['t_pkey', 'p'],
  ].sort());
  await db.close();
});

test('PRIMARY KEY / UNIQUE violations: 23505 with the key in the detail, constraint name set', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (id int PRIMARY KEY, u text UNIQUE, n int)');
  await db.query("INSERT INTO t VALUES (1, 'a', 1)");
  const e = await fails(db.query("INSERT INTO t VALUES (1, 'b', 2)"), '23505',
    'duplicate key value violates unique constraint "t_pkey"', 'Key (id)=(1) already exists.');
  assert.equal(e.constraint, 't_pkey');
  await fails(db.query("INSERT INTO t VALUES (2, 'a', 2)"), '23505',
    'duplicate key value violates unique constraint "t_u_key"', 'Key (u)=(a) already exists.');
  // The primary key implies NOT NULL.
  await fails(db.query("INSERT INTO t VALUES (NULL, 'z', 1)"), '23502',
    'null value in column "id" of relation "t" violates not-null constraint', 'Failing row contains (null, z, 1).');
  // UPDATE into a duplicate.
  await db.query("INSERT INTO t VALUES (2, 'b', 2)");
  await fails(db.query('UPDATE t SET id = 1 WHERE id = 2'), '23505', undefined, 'Key (id)=(1) already exists.');
  assert.deepEqual((await db.query('SELECT id, u FROM t ORDER BY id')).rows, [{ id: 1, u: 'a' }, { id: 2, u: 'b' }]);
  await db.close();
});

test('UNIQUE: multi-column, NULLs distinct by default, NULLS NOT DISTINCT', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE m (a int, b int, UNIQUE (a, b))');
  assert.equal((await db.query('INSERT INTO m VALUES (1, NULL), (1, NULL), (1, 2), (2, 1)')).rowCount, 4);
  await fails(db.query('INSERT INTO m VALUES (1, 2)'), '23505',
    'duplicate key value violates unique constraint "m_a_b_key"', 'Key (a, b)=(1, 2) already exists.');
  await db.query('CREATE TABLE s (a int UNIQUE)');
  await db.query('INSERT INTO s VALUES (NULL), (NULL)');
  assert.equal((await db.query('SELECT * FROM s')).rowCount, 2);
  await db.query('CREATE TABLE nd (a int, UNIQUE NULLS NOT DISTINCT (a))');
  await db.query('INSERT INTO nd VALUES (NULL)');
  await fails(db.query('INSERT INTO nd VALUES (NULL)'), '23505', undefined, 'Key (a)=(null) already exists.');
  await db.close();
});

test('NOT NULL and CHECK: 23502 / 23514 with "Failing row contains (...)"', async () => {
  const db = await Oxibase.open('memory://');
  await db.query(`CREATE TABLE t (id int NOT NULL, price numeric CHECK (price > 0), qty int,
    CONSTRAINT qty_ok CHECK (qty BETWEEN 0 AND 10), CHECK (price IS NULL OR qty IS NOT NULL))`);
  const nn = await fails(db.query('INSERT INTO t (price) VALUES (1)'), '23502',
    'null value in column "id" of relation "t" violates not-null constraint', 'Failing row contains (null, 1, null).');
  assert.equal(nn.column, 'id');
  const ck = await fails(db.query('INSERT INTO t VALUES (1, -5, 1)'), '23514',
    'new row for relation "t" violates check constraint "t_price_check"', 'Failing row contains (1, -5, 1).');
  assert.equal(ck.constraint, 't_price_check');
  await fails(db.query('INSERT INTO t VALUES (1, 5, 11)'), '23514', 'new row for relation "t" violates check constraint "qty_ok"');
  await fails(db.query('INSERT INTO t VALUES (1, 5, NULL)'), '23514', 'new row for relation "t" violates check constraint "t_check"');
  // A CHECK that evaluates to NULL passes.
  await db.query('INSERT INTO t VALUES (1, NULL, NULL)');
  await db.query('INSERT INTO t VALUES (2, 3, 4)');
  await fails(db.query('UPDATE t SET qty = 100 WHERE id = 2'), '23514', 'new row for relation "t" violates check constraint "qty_ok"',
    'Failing row contains (2, 3, 100).');
  await fails(db.query('UPDATE t SET id = NULL'), '23502');
  assert.deepEqual((await db.query('SELECT * FROM t ORDER BY id')).rows,
    [{ id: 1, price: null, qty: null }, { id: 2, price: '3', qty: 4 }]);
  await db.close();
});

test('DEFAULT: constants, expressions, now(), explicit DEFAULT, DEFAULT VALUES', async () => {
  const db = await Oxibase.open('memory://');
  await db.query(`CREATE TABLE t (id int DEFAULT 7, label text DEFAULT 'none', twice int DEFAULT (2 * 21),
    at timestamptz DEFAULT now(), day date DEFAULT current_date, flag boolean DEFAULT true, n numeric(6,2) DEFAULT 1.005)`);
  await db.query('INSERT INTO t DEFAULT VALUES');
  await db.query("INSERT INTO t (id, label) VALUES (1, DEFAULT)");
  const rows = (await db.query('SELECT id, label, twice, at IS NOT NULL AS has_at, day = current_date AS today, flag, n FROM t ORDER BY id')).rows;
  assert.deepEqual(rows, [
    { id: 1, label: 'none', twice: 42, has_at: true, today: true, flag: true, n: '1.01' },
    { id: 7, label: 'none', twice: 42, has_at: true, today: true, flag: true, n: '1.01' },
  ]);
  // now() is the transaction start time: two rows inserted in one transaction share it.
  await db.exec('CREATE TABLE ts (a int, at timestamptz DEFAULT now()); BEGIN; INSERT INTO ts (a) VALUES (1); INSERT INTO ts (a) VALUES (2); COMMIT');
  assert.deepEqual((await db.query('SELECT count(DISTINCT at) AS n FROM ts')).rows, [{ n: 1 }]);
  await db.close();
});

test('duplicate table / duplicate column / unknown type / too many PKs', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t (a int)');
  await fails(db.query('CREATE TABLE t (b int)'), '42P07', 'relation "t" already exists');
  const e = await fails(db.query('CREATE TABLE d (a int, a text)'), '42701', 'column "a" specified more than once');
  assert.equal(e.position, 24);
  await fails(db.query('CREATE TABLE u (a nosuchtype)'), '42704', 'type "nosuchtype" does not exist');
  await fails(db.query('CREATE TABLE pk (a int PRIMARY KEY, b int PRIMARY KEY)'), '42P16',
    'multiple primary keys for table "pk" are not allowed');
  await fails(db.query('CREATE TABLE k (a int, PRIMARY KEY (zz))'), '42703', 'column "zz" named in key does not exist');
  // A failed CREATE TABLE leaves nothing behind.
  await fails(db.query('SELECT * FROM pk'), '42P01');
  await db.close();
});

test('SERIAL / BIGSERIAL: sequences, defaults, NOT NULL', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE s (id serial PRIMARY KEY, big bigserial, v text)');
  const r = await db.query("INSERT INTO s (v) VALUES ('a'), ('b') RETURNING *");
  assert.deepEqual(r.rows, [{ id: 1, big: 1, v: 'a' }, { id: 2, big: 2, v: 'b' }]);
  assert.deepEqual((await db.query("SELECT currval('s_id_seq') AS c, nextval('s_big_seq') AS n")).rows, [{ c: 2, n: 3 }]);
  const d = await db.session().describeRelation('s');
  assert.deepEqual(d?.columns.map((c) => [c.name, c.type, c.nullable, c.default]), [
    ['id', 'integer', false, "nextval('s_id_seq'::regclass)"],
    ['big', 'bigint', false, "nextval('s_big_seq'::regclass)"],
    ['v', 'text', true, null],
  ]);
  // An explicit value is allowed and does not advance the sequence.
  await db.query("INSERT INTO s (id, v) VALUES (100, 'x')");
  assert.deepEqual((await db.query("INSERT INTO s (v) VALUES ('c') RETURNING id")).rows, [{ id: 3 }]);
  await fails(db.query("INSERT INTO s (id, v) VALUES (NULL, 'n')"), '23502');
  await db.close();
});

test('IDENTITY: ALWAYS rejects explicit values (428C9) unless OVERRIDING SYSTEM VALUE; BY DEFAULT accepts them', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY, v text)');
  assert.deepEqual((await db.query("INSERT INTO a (v) VALUES ('x') RETURNING *")).rows, [{ id: 1, v: 'x' }]);
  await fails(db.query("INSERT INTO a (id, v) VALUES (10, 'y')"), '428C9',
    'cannot insert a non-DEFAULT value into column "id"', 'Column "id" is an identity column defined as GENERATED ALWAYS.');
  assert.deepEqual((await db.query("INSERT INTO a (id, v) OVERRIDING SYSTEM VALUE VALUES (10, 'y') RETURNING *")).rows, [{ id: 10, v: 'y' }]);
  assert.deepEqual((await db.query("INSERT INTO a (id, v) VALUES (DEFAULT, 'z') RETURNING id")).rows, [{ id: 2 }]);
  await fails(db.query('UPDATE a SET id = 5'), '428C9', 'column "id" can only be updated to DEFAULT');
  assert.equal((await db.query('UPDATE a SET id = DEFAULT WHERE id = 10')).rowCount, 1);
  assert.deepEqual((await db.query('SELECT id FROM a ORDER BY id')).rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);

  await db.query('CREATE TABLE b (id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10), v text)');
  assert.deepEqual((await db.query("INSERT INTO b (v) VALUES ('a'), ('b') RETURNING id")).rows, [{ id: 100 }, { id: 110 }]);
  assert.deepEqual((await db.query("INSERT INTO b VALUES (7, 'c') RETURNING id")).rows, [{ id: 7 }]);
  const d = await db.session().describeRelation('b');
  assert.deepEqual(d?.columns[0], { name: 'id', type: 'bigint', nullable: false, default: null, identity: 'by default', generated: null });
  await fails(db.query('CREATE TABLE c (id text GENERATED ALWAYS AS IDENTITY)'), '42804', 'identity column type must be smallint, integer, or bigint');
  await db.close();
});

test('generated STORED columns: computed on insert and update, not writable', async () => {
  const db = await Oxibase.open('memory://');
  await db.query("CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) STORED, s text GENERATED ALWAYS AS ('v' || a::text) STORED)");
  assert.deepEqual((await db.query('INSERT INTO g (a) VALUES (3) RETURNING *')).rows, [{ a: 3, b: 6, s: 'v3' }]);
  await fails(db.query('INSERT INTO g VALUES (1, 2)'), '428C9', 'cannot insert a non-DEFAULT value into column "b"', 'Column "b" is a generated column.');
  assert.deepEqual((await db.query('INSERT INTO g VALUES (5, DEFAULT) RETURNING b')).rows, [{ b: 10 }]);
  assert.deepEqual((await db.query('UPDATE g SET a = 10 WHERE a = 3 RETURNING *')).rows, [{ a: 10, b: 20, s: 'v10' }]);
  await fails(db.query('UPDATE g SET b = 1'), '428C9', 'column "b" can only be updated to DEFAULT', 'Column "b" is a generated column.');
  assert.deepEqual((await db.query('SELECT a, b FROM g ORDER BY a')).rows, [{ a: 5, b: 10 }, { a: 10, b: 20 }]);
  const d = await db.session().describeRelation('g');
  assert.equal(d?.columns[1]?.generated, 'a * 2');
  await db.close();
});
