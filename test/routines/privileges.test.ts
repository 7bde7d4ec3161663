/** EXECUTE privileges on routines, and SECURITY DEFINER running with the owner's rights. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/api/database.ts';
import { DbError } from '../../src/errors/index.ts';

async function setup(): Promise<{ db: Oxibase; alice: ReturnType<Oxibase['session']> }> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE ROLE alice LOGIN`);
  await db.exec(`CREATE TABLE payroll (name text, salary int)`);
  await db.exec(`INSERT INTO payroll VALUES ('ann', 100), ('bob', 200)`);
  const alice = db.session();
  await alice.query('SET ROLE alice');
  return { db, alice };
}

const denied = (what: string) => (e: DbError): boolean => e.code === '42501' && e.message === `permission denied for ${what}`;

test('EXECUTE is granted to PUBLIC by default and can be revoked and granted per role', async () => {
  const { db, alice } = await setup();
  await db.exec(`CREATE FUNCTION double_it(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2'`);
  await db.exec(`CREATE PROCEDURE noop() LANGUAGE plpgsql AS 'BEGIN NULL; END'`);
  assert.deepEqual((await alice.query(`SELECT double_it(4) AS v`)).rows, [{ v: 8 }]);
  await db.exec(`REVOKE EXECUTE ON FUNCTION double_it(int) FROM PUBLIC`);
  await db.exec(`REVOKE EXECUTE ON PROCEDURE noop() FROM PUBLIC`);
  await assert.rejects(alice.query(`SELECT double_it(4)`), denied('function double_it'));
  await assert.rejects(alice.query(`CALL noop()`), denied('procedure noop'));
  // Checked per call site in every row, not only the first: a denied call inside a scan fails.
  await assert.rejects(alice.query(`SELECT double_it(g) FROM generate_series(1, 3) g`), denied('function double_it'));
  await db.exec(`GRANT EXECUTE ON FUNCTION double_it(int) TO alice`);
  assert.deepEqual((await alice.query(`SELECT double_it(21) AS v`)).rows, [{ v: 42 }]);
  assert.deepEqual((await alice.query(`SELECT has_function_privilege('double_it(int)', 'EXECUTE') AS h`)).rows, [{ h: true }]);
  await db.close();
});

test('SECURITY DEFINER runs with the owner\'s privileges; SECURITY INVOKER with the caller\'s', async () => {
  const { db, alice } = await setup();
  await db.exec(`CREATE FUNCTION total_payroll() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS 'SELECT sum(salary) FROM payroll'`);
  await db.exec(`CREATE FUNCTION total_payroll_invoker() RETURNS bigint LANGUAGE sql AS 'SELECT sum(salary) FROM payroll'`);
  await assert.rejects(alice.query(`SELECT * FROM payroll`), denied('table payroll'));
  assert.deepEqual((await alice.query(`SELECT total_payroll() AS t`)).rows, [{ t: 300 }]);
  await assert.rejects(alice.query(`SELECT total_payroll_invoker()`), denied('table payroll'));
  // Back in the caller's rights after the definer function returned.
  assert.deepEqual((await alice.query(`SELECT current_user AS u`)).rows, [{ u: 'alice' }]);
  await db.close();
});

test('creating routines needs CREATE on the schema; only owners replace or drop them', async () => {
  const { db, alice } = await setup();
  await db.exec(`GRANT CREATE ON SCHEMA public TO alice`);
  await alice.query(`CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
  await db.exec(`CREATE FUNCTION theirs() RETURNS int LANGUAGE sql AS 'SELECT 2'`);
  await assert.rejects(alice.query(`CREATE OR REPLACE FUNCTION theirs() RETURNS int LANGUAGE sql AS 'SELECT 3'`),
    (e: DbError) => e.code === '42501' && e.message === 'must be owner of function theirs');
  await assert.rejects(alice.query(`DROP FUNCTION theirs()`), (e: DbError) => e.code === '42501');
  await alice.query(`DROP FUNCTION mine()`);
  await db.exec(`REVOKE CREATE ON SCHEMA public FROM alice`);
  await assert.rejects(alice.query(`CREATE FUNCTION again() RETURNS int LANGUAGE sql AS 'SELECT 1'`), denied('schema public'));
  await db.close();
});
