/**
 * FOREIGN KEY constraints: checks on the referencing side (23503), every referential action
 * (CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION) on DELETE and UPDATE, multi-level and
 * self-referencing cascades, MATCH FULL, definition errors, and DROP / TRUNCATE interplay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails, rows } from './helpers.ts';

test('referencing side: missing parent is 23503 with the key; NULL keys are not checked', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE); INSERT INTO p VALUES (1, 10), (2, 20)');
  await db.query('CREATE TABLE c (id int, pid int REFERENCES p, pk int REFERENCES p (k))');
  await db.query('INSERT INTO c VALUES (1, 1, 10), (2, NULL, NULL)');
  const e = await fails(db.query('INSERT INTO c VALUES (3, 99, NULL)'), '23503',
    'insert or update on table "c" violates foreign key constraint "c_pid_fkey"', 'Key (pid)=(99) is not present in table "p".');
  assert.equal(e.constraint, 'c_pid_fkey');
  await fails(db.query('INSERT INTO c VALUES (3, 1, 30)'), '23503', undefined, 'Key (pk)=(30) is not present in table "p".');
  await fails(db.query('UPDATE c SET pid = 5 WHERE id = 1'), '23503');
  assert.deepEqual(await rows(db, 'SELECT * FROM c ORDER BY id'), [{ id: 1, pid: 1, pk: 10 }, { id: 2, pid: null, pk: null }]);
  await db.close();
});

test('ON DELETE / ON UPDATE CASCADE, SET NULL, SET DEFAULT', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (0), (1), (2), (3);
    CREATE TABLE cc (id int, pid int REFERENCES p ON DELETE CASCADE ON UPDATE CASCADE);
    CREATE TABLE cn (id int, pid int REFERENCES p ON DELETE SET NULL ON UPDATE SET NULL);
    CREATE TABLE cd (id int, pid int DEFAULT 0 REFERENCES p ON DELETE SET DEFAULT ON UPDATE SET DEFAULT);
    INSERT INTO cc VALUES (1, 1), (2, 2); INSERT INTO cn VALUES (1, 1), (2, 2); INSERT INTO cd VALUES (1, 1), (2, 2)`);
  await db.query('UPDATE p SET id = 10 WHERE id = 1');
  assert.deepEqual(await rows(db, 'SELECT * FROM cc ORDER BY id'), [{ id: 1, pid: 10 }, { id: 2, pid: 2 }]);
  assert.deepEqual(await rows(db, 'SELECT * FROM cn ORDER BY id'), [{ id: 1, pid: null }, { id: 2, pid: 2 }]);
  assert.deepEqual(await rows(db, 'SELECT * FROM cd ORDER BY id'), [{ id: 1, pid: 0 }, { id: 2, pid: 2 }]);
  assert.equal((await db.query('DELETE FROM p WHERE id = 2')).rowCount, 1);
  assert.deepEqual(await rows(db, 'SELECT * FROM cc ORDER BY id'), [{ id: 1, pid: 10 }]);
  assert.deepEqual(await rows(db, 'SELECT * FROM cn ORDER BY id'), [{ id: 1, pid: null }, { id: 2, pid: null }]);
  assert.deepEqual(await rows(db, 'SELECT * FROM cd ORDER BY id'), [{ id: 1, pid: 0 }, { id: 2, pid: 0 }]);
  // SET DEFAULT to a key that no longer exists fails (the default must reference a live row).
  await fails(db.query('DELETE FROM p WHERE id = 0'), '23503',
    'insert or update on table "cd" violates foreign key constraint "cd_pid_fkey"', 'Key (pid)=(0) is not present in table "p".');
  assert.deepEqual(await rows(db, 'SELECT id FROM p ORDER BY id'), [{ id: 0 }, { id: 3 }, { id: 10 }]);
  await db.exec('CREATE TABLE cd2 (pid int DEFAULT 99 REFERENCES p ON DELETE SET DEFAULT); INSERT INTO cd2 VALUES (3)');
  await fails(db.query('DELETE FROM p WHERE id = 3'), '23503', undefined, 'Key (pid)=(99) is not present in table "p".');
  await db.close();
});

test('RESTRICT and NO ACTION reject deleting / re-keying a referenced row', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (2);
    CREATE TABLE r (pid int REFERENCES p ON DELETE RESTRICT ON UPDATE RESTRICT);
    CREATE TABLE n (pid int REFERENCES p); INSERT INTO r VALUES (1); INSERT INTO n VALUES (2)`);
  const e = await fails(db.query('DELETE FROM p WHERE id = 1'), '23503',
    'update or delete on table "p" violates foreign key constraint "r_pid_fkey" on table "r"', 'Key (id)=(1) is still referenced from table "r".');
  assert.equal(e.constraint, 'r_pid_fkey');
  await fails(db.query('UPDATE p SET id = 3 WHERE id = 1'), '23503');
  await fails(db.query('DELETE FROM p WHERE id = 2'), '23503',
    'update or delete on table "p" violates foreign key constraint "n_pid_fkey" on table "n"', 'Key (id)=(2) is still referenced from table "n".');
  await fails(db.query('DELETE FROM p'), '23503');
  assert.deepEqual(await rows(db, 'SELECT id FROM p ORDER BY id'), [{ id: 1 }, { id: 2 }]);
  // An update that keeps the key is fine, and so is deleting once the child is gone.
  await db.query('UPDATE p SET id = id');
  await db.query('DELETE FROM n');
  assert.equal((await db.query('DELETE FROM p WHERE id = 2')).rowCount, 1);
  await db.close();
});

test('multi-level cascades and a self-referencing tree', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE g1 (id int PRIMARY KEY);
    CREATE TABLE g2 (id int PRIMARY KEY, g1 int REFERENCES g1 ON DELETE CASCADE ON UPDATE CASCADE);
    CREATE TABLE g3 (id int PRIMARY KEY, g2 int REFERENCES g2 ON DELETE CASCADE);
    INSERT INTO g1 VALUES (1), (2); INSERT INTO g2 VALUES (1, 1), (2, 2); INSERT INTO g3 VALUES (1, 1), (2, 1), (3, 2)`);
  await db.query('UPDATE g1 SET id = 5 WHERE id = 1');
  assert.deepEqual(await rows(db, 'SELECT * FROM g2 ORDER BY id'), [{ id: 1, g1: 5 }, { id: 2, g1: 2 }]);
  assert.equal((await db.query('DELETE FROM g1 WHERE id = 5')).rowCount, 1);
  assert.deepEqual(await rows(db, 'SELECT id FROM g2'), [{ id: 2 }]);
  assert.deepEqual(await rows(db, 'SELECT id FROM g3'), [{ id: 3 }]);

  await db.exec(`CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree ON DELETE CASCADE);
    INSERT INTO tree VALUES (1, NULL), (2, 1), (3, 2), (4, 3), (5, 1)`);
  await fails(db.query('INSERT INTO tree VALUES (6, 42)'), '23503', 'insert or update on table "tree" violates foreign key constraint "tree_parent_fkey"');
  assert.equal((await db.query('DELETE FROM tree WHERE id = 2')).rowCount, 1);
  assert.deepEqual(await rows(db, 'SELECT id FROM tree ORDER BY id'), [{ id: 1 }, { id: 5 }]);
  await db.close();
});

test('multi-column keys: MATCH SIMPLE skips partial NULLs, MATCH FULL rejects them', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE mp (a int, b int, PRIMARY KEY (a, b)); INSERT INTO mp VALUES (1, 1)');
  await db.query('CREATE TABLE ms (a int, b int, FOREIGN KEY (a, b) REFERENCES mp)');
  await db.query('INSERT INTO ms VALUES (1, NULL), (1, 1)');
  await fails(db.query('INSERT INTO ms VALUES (1, 2)'), '23503',
    'insert or update on table "ms" violates foreign key constraint "ms_a_b_fkey"', 'Key (a, b)=(1, 2) is not present in table "mp".');
  await db.query('CREATE TABLE mf (a int, b int, FOREIGN KEY (a, b) REFERENCES mp MATCH FULL)');
  await db.query('INSERT INTO mf VALUES (NULL, NULL), (1, 1)');
  await fails(db.query('INSERT INTO mf VALUES (1, NULL)'), '23503',
    'insert or update on table "mf" violates foreign key constraint "mf_a_b_fkey"', 'MATCH FULL does not allow mixing of null and nonnull key values.');
  await db.close();
});

test('foreign key definition errors', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE TABLE p (id int PRIMARY KEY, x int); CREATE TABLE nopk (a int)');
  await fails(db.query('CREATE TABLE c (x int REFERENCES nosuch)'), '42P01', 'relation "nosuch" does not exist');
  await fails(db.query('CREATE TABLE c (x int REFERENCES p (nosuch))'), '42703', 'column "nosuch" referenced in foreign key constraint does not exist');
  await fails(db.query('CREATE TABLE c (x int, FOREIGN KEY (zz) REFERENCES p)'), '42703', 'column "zz" referenced in foreign key constraint does not exist');
  await fails(db.query('CREATE TABLE c (x int REFERENCES p (x))'), '42830', 'there is no unique constraint matching given keys for referenced table "p"');
  await fails(db.query('CREATE TABLE c (x int REFERENCES nopk)'), '42704', 'there is no primary key for referenced table "nopk"');
  await fails(db.query('CREATE TABLE c (x text REFERENCES p)'), '42804', 'foreign key constraint "c_x_fkey" cannot be implemented',
    'Key columns "x" and "id" are of incompatible types: text and integer.');
  await fails(db.query('CREATE TABLE c (x int, y int, FOREIGN KEY (x, y) REFERENCES p (id))'), '42830',
    'number of referencing and referenced columns for foreign key disagree');
  // bigint referencing integer is allowed.
  await db.query('CREATE TABLE ok (x bigint REFERENCES p)');
  await db.query('INSERT INTO p VALUES (1, 1)');
  await db.query('INSERT INTO ok VALUES (1)');
  await db.close();
});

test('DROP TABLE and TRUNCATE with foreign keys', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p); CREATE TABLE gc (x int);
    INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)`);
  await fails(db.query('DROP TABLE p'), '2BP01', 'cannot drop table p because other objects depend on it',
    'constraint c_pid_fkey on table c depends on table p');
  await fails(db.query('TRUNCATE p'), '0A000', 'cannot truncate a table referenced in a foreign key constraint', 'Table "c" references "p".');
  // Truncating both together is fine.
  assert.equal((await db.query('TRUNCATE p, c')).commandTag, 'TRUNCATE TABLE');
  await db.exec('INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)');
  const t = await db.query('TRUNCATE p CASCADE');
  assert.deepEqual(t.notices.map((n) => n.message), ['truncate cascades to table "c"']);
  assert.deepEqual(await rows(db, 'SELECT count(*) AS n FROM c'), [{ n: 0 }]);
  const r = await db.query('DROP TABLE p CASCADE');
  assert.deepEqual(r.notices.map((n) => n.message), ['drop cascades to constraint c_pid_fkey on table c']);
  // The child survives without its constraint.
  await db.query('INSERT INTO c VALUES (42)');
  // Dropping parent and child in one statement needs no CASCADE.
  await db.exec('CREATE TABLE p2 (id int PRIMARY KEY); CREATE TABLE c2 (pid int REFERENCES p2)');
  const both = await db.query('DROP TABLE p2, c2');
  assert.deepEqual(both.notices, []);
  await db.close();
});
