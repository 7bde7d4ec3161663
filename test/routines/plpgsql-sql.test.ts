/**
 * PL/pgSQL through the SQL surface (CREATE FUNCTION / TRIGGER / DO / CALL), with functions of the
 * kind real migrations ship.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/api/database.ts';
import { DbError } from '../../src/errors/index.ts';

async function open(): Promise<Oxibase> {
  return Oxibase.open('memory://');
}

test('an updated_at trigger stamps inserts and updates', async () => {
  const db = await open();
  await db.exec(`CREATE TABLE posts (id serial PRIMARY KEY, title text, created_at timestamptz DEFAULT now(), updated_at timestamptz)`);
  await db.exec(`
    CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
    BEGIN
      NEW.updated_at = now();
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;`);
  await db.exec(`CREATE TRIGGER posts_updated_at BEFORE INSERT OR UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION set_updated_at()`);
  await db.exec(`INSERT INTO posts (title) VALUES ('hello')`);
  const before = (await db.query(`SELECT updated_at FROM posts`)).rows[0]!['updated_at'];
  assert.notEqual(before, null);
  await db.exec(`UPDATE posts SET title = 'hello, world'`);
  const row = (await db.query(`SELECT title, updated_at IS NOT NULL AS stamped FROM posts`)).rows[0];
  assert.deepEqual(row, { title: 'hello, world', stamped: true });
  await db.close();
});

test('an audit-log trigger records OLD and NEW as jsonb with TG_OP and TG_TABLE_NAME', async () => {
  const db = await open();
  await db.exec(`CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL)`);
  await db.exec(`CREATE TABLE audit_log (id bigserial PRIMARY KEY, table_name text, op text, old_row jsonb, new_row jsonb)`);
  await db.exec(`
    CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (table_name, op, old_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD));
        RETURN OLD;
      ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_log (table_name, op, old_row, new_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(OLD), to_jsonb(NEW));
        RETURN NEW;
      ELSE
        INSERT INTO audit_log (table_name, op, new_row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(NEW));
        RETURN NEW;
      END IF;
    END $$`);
  await db.exec(`CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION audit()`);
  await db.exec(`INSERT INTO accounts VALUES (1, 100), (2, 50)`);
  await db.exec(`UPDATE accounts SET balance = balance - 30 WHERE id = 1`);
  await db.exec(`DELETE FROM accounts WHERE id = 2`);
  const log = (await db.query(`SELECT table_name, op, old_row::text AS o, new_row::text AS n FROM audit_log ORDER BY id`)).rows;
  assert.deepEqual(log, [
    { table_name: 'accounts', op: 'INSERT', o: null, n: '{"id": 1, "balance": 100}' },
    { table_name: 'accounts', op: 'INSERT', o: null, n: '{"id": 2, "balance": 50}' },
    { table_name: 'accounts', op: 'UPDATE', o: '{"id": 1, "balance": 100}', n: '{"id": 1, "balance": 70}' },
    { table_name: 'accounts', op: 'DELETE', o: '{"id": 2, "balance": 50}', n: null },
  ]);
  // The trigger runs in the statement's transaction: rolled back with it.
  await db.exec('BEGIN');
  await db.exec(`INSERT INTO accounts VALUES (3, 1)`);
  await db.exec('ROLLBACK');
  assert.equal((await db.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0]!['n'], 4);
  await db.close();
});

test('a function returning a table through RETURN QUERY, used in FROM', async () => {
  const db = await open();
  await db.exec(`CREATE TABLE orders (id int, customer text, total numeric)`);
  await db.exec(`INSERT INTO orders VALUES (1, 'ann', 10), (2, 'bob', 25), (3, 'ann', 5)`);
  await db.exec(`
    CREATE FUNCTION customer_totals(min_total numeric DEFAULT 0)
    RETURNS TABLE (customer text, total numeric, orders bigint) LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RETURN QUERY
        SELECT o.customer, sum(o.total), count(*) FROM orders o GROUP BY o.customer HAVING sum(o.total) >= min_total ORDER BY 1;
    END $$`);
  assert.deepEqual((await db.query(`SELECT * FROM customer_totals()`)).rows, [
    { customer: 'ann', total: '15', orders: 2 }, { customer: 'bob', total: '25', orders: 1 },
  ]);
  assert.deepEqual((await db.query(`SELECT customer FROM customer_totals(min_total => 20)`)).rows, [{ customer: 'bob' }]);
  await db.close();
});

test('exceptions: a caught unique_violation rolls back only the block; an uncaught RAISE aborts the statement', async () => {
  const db = await open();
  await db.exec(`CREATE TABLE tags (name text PRIMARY KEY)`);
  await db.exec(`
    CREATE FUNCTION ensure_tag(t text) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO tags VALUES (t);
      RETURN true;
    EXCEPTION WHEN unique_violation THEN
      RETURN false;
    END $$`);
  assert.deepEqual((await db.query(`SELECT ensure_tag('a') AS a, ensure_tag('a') AS again`)).rows, [{ a: true, again: false }]);
  await db.exec(`CREATE FUNCTION fail_if_negative(v int) RETURNS int LANGUAGE plpgsql AS $$
    BEGIN IF v < 0 THEN RAISE EXCEPTION 'negative value %', v USING ERRCODE = 'check_violation', HINT = 'use a positive number'; END IF; RETURN v; END $$`);
  await db.exec(`CREATE TABLE nums (v int)`);
  await assert.rejects(db.exec(`INSERT INTO nums SELECT fail_if_negative(x) FROM (VALUES (1), (-2)) s(x)`),
    (e: DbError) => e.code === '23514' && e.message === 'negative value -2' && e.hint === 'use a positive number');
  assert.equal((await db.query(`SELECT count(*)::int AS n FROM nums`)).rows[0]!['n'], 0, 'the whole INSERT rolled back');
  await db.close();
});

test('DO blocks and procedures with transaction control', async () => {
  const db = await open();
  await db.exec(`CREATE TABLE batch (n int)`);
  await db.exec(`DO $$ BEGIN FOR i IN 1..5 LOOP INSERT INTO batch VALUES (i); END LOOP; END $$`);
  assert.equal((await db.query(`SELECT sum(n)::int AS s FROM batch`)).rows[0]!['s'], 15);
  await db.exec(`
    CREATE PROCEDURE load_in_chunks(total int, chunk int) LANGUAGE plpgsql AS $$
    BEGIN
      FOR i IN 1..total LOOP
        INSERT INTO batch VALUES (100 + i);
        IF i % chunk = 0 THEN COMMIT; END IF;
      END LOOP;
      ROLLBACK;
    END $$`);
  await db.exec(`CALL load_in_chunks(7, 3)`);
  // Rows 1..6 were committed in two chunks; the 7th was rolled back.
  assert.equal((await db.query(`SELECT count(*)::int AS n FROM batch WHERE n > 100`)).rows[0]!['n'], 6);
  await db.exec('BEGIN');
  await assert.rejects(db.exec(`CALL load_in_chunks(3, 1)`), (e: DbError) => e.code === '2D000');
  await db.exec('ROLLBACK');
  await db.close();
});
