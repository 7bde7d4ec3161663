/**
 * Roles: CREATE / ALTER / DROP ROLE options and rules, membership (GRANT role), SET ROLE / SET
 * SESSION AUTHORIZATION, passwords stored as SCRAM verifiers, persistence across reopen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { createSimEnv } from '../../src/env/sim-env.ts';
import { verifyPassword } from '../../src/auth/scram.ts';
import { fails, rows } from '../engine/helpers.ts';

async function fresh(): Promise<Oxibase> {
  return Oxibase.open('memory://');
}

test('CREATE ROLE / USER options show in pg_roles; duplicates, reserved names and unknown roles fail', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE r1 WITH LOGIN CREATEDB CREATEROLE NOINHERIT CONNECTION LIMIT 5 VALID UNTIL '2030-01-01 00:00:00+00' PASSWORD 'pw';
    CREATE USER u1; CREATE GROUP g1`);
  assert.deepEqual(await rows(db, `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolconnlimit, rolvaliduntil, rolpassword
    FROM pg_roles WHERE rolname IN ('r1', 'u1', 'g1') ORDER BY rolname`), [
    { rolname: 'g1', rolsuper: false, rolinherit: true, rolcreaterole: false, rolcreatedb: false, rolcanlogin: false, rolconnlimit: -1, rolvaliduntil: null, rolpassword: '********' },
    { rolname: 'r1', rolsuper: false, rolinherit: false, rolcreaterole: true, rolcreatedb: true, rolcanlogin: true, rolconnlimit: 5, rolvaliduntil: '2030-01-01 00:00:00+00', rolpassword: '********' },
    { rolname: 'u1', rolsuper: false, rolinherit: true, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true, rolconnlimit: -1, rolvaliduntil: null, rolpassword: '********' },
  ]);
  await fails(db.exec('CREATE ROLE r1'), '42710', 'role "r1" already exists');
  await fails(db.exec('CREATE ROLE pg_x'), '42939', 'role name "pg_x" is reserved');
  await fails(db.exec('ALTER ROLE nobody LOGIN'), '42704', 'role "nobody" does not exist');
  await fails(db.exec('CREATE ROLE r2 LOGIN NOLOGIN'), '42601', 'conflicting or redundant options');
  await fails(db.exec('DROP ROLE nobody'), '42704', 'role "nobody" does not exist');
  await db.exec('DROP ROLE IF EXISTS nobody, g1');
  assert.equal((await rows(db, `SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'g1'`))[0]!['n' as never], 0);
  await db.close();
});

test('passwords are stored only as SCRAM-SHA-256 verifiers (pg_authid, superusers only)', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE a LOGIN PASSWORD 'secret'; CREATE ROLE b LOGIN ENCRYPTED PASSWORD 'secret'; CREATE ROLE c PASSWORD NULL`);
  const r = await rows(db, `SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN ('a', 'b', 'c') ORDER BY rolname`) as { rolname: string; rolpassword: string | null }[];
  assert.match(r[0]!.rolpassword!, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  assert.notEqual(r[0]!.rolpassword, r[1]!.rolpassword, 'fresh salt per password');
  assert.ok(verifyPassword(r[0]!.rolpassword!, 'secret'));
  assert.ok(!verifyPassword(r[0]!.rolpassword!, 'Secret'));
  assert.equal(r[2]!.rolpassword, null);
  // A verifier given as the password is stored as is.
  await db.exec(`CREATE ROLE d PASSWORD '${r[0]!.rolpassword}'`);
  assert.equal((await rows(db, `SELECT rolpassword FROM pg_authid WHERE rolname = 'd'`))[0]!['rolpassword' as never], r[0]!.rolpassword);
  await fails(db.exec(`CREATE ROLE e PASSWORD 'md5aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'`), '0A000');
  await db.exec('SET ROLE a');
  await fails(db.query('SELECT * FROM pg_authid'), '42501', 'permission denied for table pg_authid');
  await db.close();
});

test('CREATEROLE manages non-superusers only; a role may change its own password', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE admin CREATEROLE; CREATE ROLE plain; CREATE ROLE su SUPERUSER`);
  await db.exec('SET ROLE admin');
  await db.exec('CREATE ROLE made; ALTER ROLE made LOGIN; DROP ROLE made');
  await fails(db.exec('CREATE ROLE s2 SUPERUSER'), '42501', 'must be superuser to create superusers');
  await fails(db.exec('ALTER ROLE su NOLOGIN'), '42501', 'must be superuser to alter superusers');
  await fails(db.exec('DROP ROLE su'), '42501', 'must be superuser to drop superusers');
  await db.exec('RESET ROLE; SET ROLE plain');
  await fails(db.exec('CREATE ROLE x'), '42501', 'permission denied to create role');
  await db.exec(`ALTER ROLE plain PASSWORD 'mine'`);
  await fails(db.exec('ALTER ROLE plain CREATEDB'), '42501', 'permission denied');
  await fails(db.exec('DROP ROLE IF EXISTS nobody'), '42501', 'permission denied to drop role');
  await db.close();
});

test('membership: GRANT / REVOKE role, ADMIN OPTION, cycles, INHERIT vs NOINHERIT, pg_auth_members', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE readers; CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN NOINHERIT;
    CREATE TABLE t (a int); INSERT INTO t VALUES (1); GRANT SELECT ON t TO readers;
    GRANT readers TO alice, bob`);
  assert.deepEqual(await rows(db, `SELECT r.rolname AS role, m.rolname AS member, admin_option FROM pg_auth_members am
    JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles m ON m.oid = am.member ORDER BY 2`),
  [{ role: 'readers', member: 'alice', admin_option: false }, { role: 'readers', member: 'bob', admin_option: false }]);
  await fails(db.exec('GRANT alice TO readers'), '0LP01', 'role "alice" is a member of role "readers"');
  await db.exec('SET ROLE alice');
  assert.deepEqual(await rows(db, 'SELECT a FROM t'), [{ a: 1 }]);
  await db.exec('SET ROLE bob');
  // NOINHERIT: bob holds readers' privileges only after SET ROLE readers.
  await fails(db.query('SELECT a FROM t'), '42501', 'permission denied for table t');
  await db.exec('SET ROLE readers');
  assert.deepEqual(await rows(db, 'SELECT current_user AS u, session_user AS s'), [{ u: 'readers', s: 'oxibase' }]);
  await db.exec('RESET ROLE; SET SESSION AUTHORIZATION bob');
  await db.exec('SET ROLE readers');
  assert.deepEqual(await rows(db, 'SELECT count(*)::int AS n FROM t'), [{ n: 1 }]);
  await fails(db.exec('SET ROLE alice'), '42501', 'permission denied to set role "alice"');
  await db.exec('RESET ROLE');
  // GRANT needs ADMIN OPTION (or CREATEROLE).
  await fails(db.exec('GRANT readers TO alice'), '42501', 'must have admin option on role "readers"');
  await db.exec('RESET SESSION AUTHORIZATION');
  await db.exec('GRANT readers TO bob WITH ADMIN OPTION; SET SESSION AUTHORIZATION bob');
  await fails(db.exec('CREATE ROLE carol'), '42501', 'permission denied to create role');
  await db.exec('RESET SESSION AUTHORIZATION; CREATE ROLE carol; SET SESSION AUTHORIZATION bob; GRANT readers TO carol');
  await db.exec('RESET SESSION AUTHORIZATION; REVOKE readers FROM alice');
  await db.exec('SET ROLE alice');
  await fails(db.query('SELECT a FROM t'), '42501');
  await db.close();
});

test('SET ROLE / SESSION AUTHORIZATION roll back with the transaction and follow current_user', async () => {
  const db = await fresh();
  const s = db.session();
  await s.exec('CREATE ROLE alice');
  await s.exec('BEGIN; SET ROLE alice');
  assert.deepEqual((await s.query('SELECT current_user AS u, current_role AS r')).rows, [{ u: 'alice', r: 'alice' }]);
  await s.exec('ROLLBACK');
  assert.deepEqual((await s.query('SELECT current_user AS u')).rows, [{ u: 'oxibase' }]);
  await s.exec('SET ROLE alice');
  assert.deepEqual((await s.query('SHOW role')).rows, [{ role: 'alice' }]);
  assert.deepEqual((await s.query('SHOW is_superuser')).rows, [{ is_superuser: 'off' }]);
  await s.exec('SET ROLE NONE');
  assert.deepEqual((await s.query('SHOW role')).rows, [{ role: 'none' }]);
  await fails(s.exec('SET ROLE nobody'), '22023', 'role "nobody" does not exist');
  // The authenticated user is a superuser, so it may switch back (PostgreSQL's rule).
  await s.exec('SET SESSION AUTHORIZATION alice; SET SESSION AUTHORIZATION oxibase');
  await s.close();
  // A session that authenticated as a plain role may not.
  const plain = db.engine.newSession('alice');
  await fails(plain.execute('SET SESSION AUTHORIZATION oxibase'), '42501', 'permission denied to set session authorization');
  await plain.close();
  await db.close();
});

test('DROP ROLE: 2BP01 while it owns objects or holds privileges; current user; REASSIGN / DROP OWNED', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE alice; CREATE ROLE bob; CREATE TABLE shared (a int); GRANT CREATE ON SCHEMA public TO alice`);
  await db.exec(`SET ROLE alice; CREATE TABLE mine (a int); RESET ROLE; GRANT SELECT ON shared TO bob`);
  const e = await fails(db.exec('DROP ROLE alice'), '2BP01', 'role "alice" cannot be dropped because some objects depend on it');
  assert.match(e.detail ?? '', /owner of table mine/);
  assert.match(e.detail ?? '', /privileges for schema public/);
  await fails(db.exec('DROP ROLE bob'), '2BP01', undefined, 'privileges for table shared');
  await fails(db.exec('DROP ROLE oxibase'), '55006', 'current user cannot be dropped');
  await db.exec('REASSIGN OWNED BY alice TO bob');
  assert.deepEqual(await rows(db, `SELECT tableowner FROM pg_tables WHERE tablename = 'mine'`), [{ tableowner: 'bob' }]);
  await db.exec('REVOKE CREATE ON SCHEMA public FROM alice; DROP ROLE alice');
  await db.exec('DROP OWNED BY bob; DROP ROLE bob');
  assert.deepEqual(await rows(db, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`), [{ tablename: 'shared' }]);
  await db.exec('CREATE ROLE carol; SET SESSION AUTHORIZATION carol');
  await fails(db.exec('DROP ROLE carol'), '42501');
  await db.close();
});

test('ALTER ROLE RENAME moves ownership; ALTER ROLE SET is recorded', async () => {
  const db = await fresh();
  await db.exec(`CREATE ROLE alice PASSWORD 'x'; CREATE SCHEMA app AUTHORIZATION alice; ALTER ROLE alice SET search_path = app`);
  await db.exec('ALTER ROLE alice RENAME TO alicia');
  assert.deepEqual(await rows(db, `SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'app'`), [{ nspname: 'app', owner: 'alicia' }]);
  assert.deepEqual(await rows(db, `SELECT rolconfig FROM pg_roles WHERE rolname = 'alicia'`), [{ rolconfig: ['search_path=app'] }]);
  // The password is cleared on rename (PostgreSQL's MD5 salt rule; kept for compatibility).
  assert.deepEqual(await rows(db, `SELECT rolpassword FROM pg_authid WHERE rolname = 'alicia'`), [{ rolpassword: null }]);
  await db.close();
});

test('roles, memberships, owners and ACLs survive closing and reopening a file database', async () => {
  const env = createSimEnv({ seed: 7 });
  let db = await Oxibase.open('/data', { env });
  await db.exec(`CREATE ROLE alice LOGIN PASSWORD 'pw'; CREATE ROLE team; GRANT team TO alice WITH ADMIN OPTION;
    CREATE TABLE t (a int, b int); GRANT SELECT ON t TO team; GRANT UPDATE (b) ON t TO alice;
    ALTER TABLE t OWNER TO alice; ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO team`);
  const before = await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`);
  await db.close();
  db = await Oxibase.open('/data', { env });
  assert.deepEqual(await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`), before);
  assert.deepEqual(await rows(db, `SELECT tableowner FROM pg_tables WHERE tablename = 't'`), [{ tableowner: 'alice' }]);
  assert.deepEqual(await rows(db, `SELECT pg_has_role('alice', 'team', 'MEMBER WITH ADMIN OPTION') AS m`), [{ m: true }]);
  const pw = await rows(db, `SELECT rolpassword FROM pg_authid WHERE rolname = 'alice'`) as { rolpassword: string }[];
  assert.ok(verifyPassword(pw[0]!.rolpassword, 'pw'));
  assert.deepEqual(await rows(db, `SELECT attacl FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'b'`), [{ attacl: ['alice=w/alice'] }]);
  await db.close();
});
