/**
 * Role and privilege statements run side by side on Oxibase and on a real PostgreSQL 15 cluster
 * (its own, since roles are cluster-wide): every statement must give the same rows, or the same
 * SQLSTATE, message and detail. Skipped without PostgreSQL 15 binaries (OXIBASE_DIFF_REQUIRE_PG=1
 * fails instead), like the differential suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { pgUnavailableReason, startPgServer } from '../diff/pg-server.ts';

const unavailable = process.env['OXIBASE_DIFF_REQUIRE_PG'] === '1' ? null : pgUnavailableReason();

const SCRIPT = [
  'CREATE ROLE alice LOGIN', 'CREATE ROLE bob', 'CREATE TABLE t (id int primary key, secret text, pub text)',
  'CREATE VIEW v AS SELECT id FROM t', 'CREATE SEQUENCE s', 'CREATE SCHEMA app', 'CREATE TABLE app.x (a int)',
  'GRANT SELECT (id, pub), UPDATE (pub) ON t TO alice', 'GRANT SELECT ON t TO bob WITH GRANT OPTION',
  `SELECT relacl::text[] FROM pg_class WHERE relname = 't'`,
  `SELECT attname, attacl::text[] FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum`,
  'SET ROLE alice', 'SELECT * FROM t', 'SELECT secret FROM t', 'SELECT id, pub FROM t', `UPDATE t SET secret = 'x'`,
  `UPDATE t SET pub = 'x'`, `INSERT INTO t VALUES (1, 'a', 'b')`, 'DROP TABLE t', 'CREATE TABLE mine (a int)',
  'ALTER TABLE t ADD COLUMN w int', 'DROP VIEW v', 'DROP SEQUENCE s', 'CREATE INDEX ON t (pub)', `COMMENT ON TABLE t IS 'x'`,
  'TRUNCATE t', `SELECT nextval('s')`, `SELECT setval('s', 5)`, 'SELECT * FROM v', 'SELECT * FROM app.x', 'CREATE SCHEMA s2',
  'DROP SCHEMA app', 'ALTER TABLE t OWNER TO alice', 'SELECT * FROM pg_authid', 'CREATE ROLE x', 'ALTER ROLE bob LOGIN',
  `ALTER ROLE alice PASSWORD 'p'`, 'ALTER ROLE alice CREATEDB', 'DROP ROLE bob', 'SET ROLE bob', 'SELECT current_user, session_user',
  'RESET ROLE',
  'GRANT SELECT ON v TO alice', 'GRANT USAGE ON SCHEMA app TO alice', 'SET ROLE alice', 'SELECT * FROM v', 'SELECT * FROM app.x',
  'INSERT INTO v VALUES (1)', 'RESET ROLE',
  'DROP ROLE alice', 'GRANT EXECUTE ON t TO bob', 'GRANT FLY ON t TO bob', 'GRANT alice TO bob', 'GRANT bob TO alice',
  'SET ROLE bob', 'GRANT SELECT ON t TO alice', 'GRANT UPDATE ON t TO alice', 'RESET ROLE', 'REVOKE SELECT ON t FROM bob',
  'REVOKE GRANT OPTION FOR SELECT ON t FROM bob', `SELECT relacl::text[] FROM pg_class WHERE relname = 't'`,
  `SELECT has_table_privilege('alice', 't', 'SELECT'), has_column_privilege('alice', 't', 'pub', 'UPDATE'), has_schema_privilege('alice', 'public', 'CREATE')`,
  `SELECT has_table_privilege('alice', 't', 'FLY')`, `SELECT has_table_privilege('nobody', 't', 'SELECT')`,
  `SELECT pg_has_role('bob', 'alice', 'MEMBER'), pg_has_role('alice', 'bob', 'USAGE')`,
  'CREATE ROLE pg_foo', 'CREATE ROLE alice', 'ALTER ROLE nobody LOGIN', 'SET ROLE nobody', 'DROP ROLE nobody',
  'SET SESSION AUTHORIZATION alice', 'SELECT current_user, session_user', 'RESET SESSION AUTHORIZATION',
  'GRANT USAGE ON SEQUENCE s TO alice', `SELECT relacl::text[] FROM pg_class WHERE relname = 's'`,
  'ALTER TABLE t OWNER TO alice', `SELECT relacl::text[] FROM pg_class WHERE relname = 't'`,
  `SELECT attname, attacl::text[] FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum`,
  `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolconnlimit FROM pg_roles WHERE rolname IN ('alice', 'bob') ORDER BY 1`,
  'SELECT datacl::text[] FROM pg_database WHERE datname = current_database()',
  'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO bob', 'CREATE TABLE later (a int)',
  `SELECT relacl::text[] FROM pg_class WHERE relname = 'later'`, 'DROP ROLE bob',
  'GRANT bob TO alice WITH ADMIN OPTION',
  `SELECT r.rolname, m.rolname, admin_option FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = 'alice'`,
  'REVOKE ADMIN OPTION FOR bob FROM alice', 'GRANT SELECT (nosuchcol) ON t TO alice', 'GRANT USAGE ON SEQUENCE t TO alice',
  'REASSIGN OWNED BY alice TO bob', `SELECT tableowner FROM pg_tables WHERE tablename = 't'`, 'ALTER ROLE alice RENAME TO alicia',
  `SELECT rolname FROM pg_roles WHERE rolname LIKE 'ali%'`,
];

interface Outcome { readonly rows?: string; readonly error?: string }

/** Oxibase values in PostgreSQL's text output (node-postgres leaves arrays as text, bools as t/f here). */
function pgText(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return `{${v.map((x) => pgText(x)).join(',')}}`;
  return String(v);
}

function errorOf(e: unknown): Outcome {
  const err = e as { code?: string; message: string; detail?: string };
  return { error: `${err.code ?? '?'} ${err.message}${err.detail ? ` | ${err.detail}` : ''}` };
}

test('role and privilege statements match PostgreSQL 15', { skip: unavailable ?? false, timeout: 120_000 }, async () => {
  const server = await startPgServer();
  const db = await Oxibase.open('memory://', { user: 'postgres', database: 'postgres' });
  try {
    const mismatches: string[] = [];
    for (const sql of SCRIPT) {
      let pgOut: Outcome;
      try {
        pgOut = { rows: JSON.stringify((await server.client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (x: string) => x } })).rows.map((r: unknown[]) => r.map((x) => (x === null ? 'null' : String(x))))) };
      } catch (e) {
        pgOut = errorOf(e);
      }
      let oxOut: Outcome;
      try {
        oxOut = { rows: JSON.stringify((await db.queryArrays(sql)).rows.map((r) => r.map(pgText))) };
      } catch (e) {
        oxOut = errorOf(e);
      }
      if (JSON.stringify(pgOut) !== JSON.stringify(oxOut)) mismatches.push(`${sql}\n  PostgreSQL: ${JSON.stringify(pgOut)}\n  Oxibase:    ${JSON.stringify(oxOut)}`);
    }
    assert.deepEqual(mismatches, []);
  } finally {
    await db.close();
    await server.stop();
  }
});
