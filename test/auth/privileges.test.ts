/**
 * GRANT / REVOKE and the checks every statement makes: the privilege matrix on tables, column
 * privileges, sequences, schemas, the database, grant options and CASCADE, PUBLIC, ALL TABLES
 * IN SCHEMA, default privileges, ownership rules, views checked as their owner, RETURNING,
 * ON CONFLICT, plan-cache hits re-checked after SET ROLE / REVOKE, and has_*_privilege.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails, rows } from '../engine/helpers.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN;
    CREATE TABLE t (id int PRIMARY KEY, secret text, pub text); INSERT INTO t VALUES (1, 's1', 'p1')`);
  return db;
}

/** Runs `sql` as `role` (SET ROLE ... RESET ROLE around it). */
async function as<T>(db: Oxibase, role: string, fn: () => Promise<T>): Promise<T> {
  await db.exec(`SET ROLE ${role}`);
  try {
    return await fn();
  } finally {
    await db.exec('RESET ROLE');
  }
}

test('table privilege matrix: each statement needs its privilege, and only that one', async () => {
  const db = await setup();
  const cases: [string, string][] = [
    ['SELECT', 'SELECT * FROM t'],
    ['INSERT', `INSERT INTO t VALUES (10, 'x', 'y')`],
    ['UPDATE', `UPDATE t SET pub = 'q'`],
    ['DELETE', 'DELETE FROM t WHERE false'],
    ['TRUNCATE', 'TRUNCATE t'],
  ];
  for (const [priv, sql] of cases) {
    await as(db, 'alice', () => fails(db.exec(sql), '42501', 'permission denied for table t'));
    await db.exec(`GRANT ${priv} ON t TO alice`);
    await as(db, 'alice', () => db.exec(sql));
    await db.exec(`REVOKE ${priv} ON t FROM alice`);
    await as(db, 'alice', () => fails(db.exec(sql), '42501'));
  }
  // UPDATE / DELETE with WHERE read columns: SELECT is needed too, as in PostgreSQL.
  await db.exec('GRANT UPDATE, DELETE ON t TO alice');
  await as(db, 'alice', () => fails(db.exec('UPDATE t SET pub = pub'), '42501'));
  await as(db, 'alice', () => fails(db.exec('DELETE FROM t WHERE id = 1'), '42501'));
  await db.exec('GRANT SELECT ON t TO alice');
  await as(db, 'alice', () => db.exec(`UPDATE t SET pub = pub || '' WHERE id = 1`));
  await db.close();
});

test('ALL PRIVILEGES, PUBLIC, ALL TABLES IN SCHEMA and relacl text', async () => {
  const db = await setup();
  await db.exec('CREATE TABLE u (a int); GRANT ALL ON t TO alice; GRANT SELECT ON t TO PUBLIC');
  assert.deepEqual(await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`),
    [{ relacl: ['oxibase=arwdDxt/oxibase', 'alice=arwdDxt/oxibase', '=r/oxibase'] }]);
  await as(db, 'bob', async () => assert.deepEqual(await rows(db, 'SELECT id FROM t'), [{ id: 1 }]));
  await as(db, 'bob', () => fails(db.query('SELECT * FROM u'), '42501', 'permission denied for table u'));
  await db.exec('GRANT SELECT ON ALL TABLES IN SCHEMA public TO bob');
  await as(db, 'bob', () => db.query('SELECT * FROM u'));
  await db.exec('REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM bob, PUBLIC');
  await as(db, 'bob', () => fails(db.query('SELECT * FROM u'), '42501'));
  await fails(db.exec('GRANT EXECUTE ON t TO bob'), '0LP01', 'invalid privilege type EXECUTE for relation');
  await fails(db.exec('GRANT FLY ON t TO bob'), '42601', 'unrecognized privilege type "fly"');
  await fails(db.exec('GRANT SELECT ON nosuch TO bob'), '42P01', 'relation "nosuch" does not exist');
  await fails(db.exec('GRANT SELECT ON t TO nobody'), '42704', 'role "nobody" does not exist');
  await fails(db.exec('GRANT SELECT ON t TO PUBLIC WITH GRANT OPTION'), '0LP01', 'grant options can only be granted to roles');
  await db.close();
});

test('column privileges: SELECT / INSERT / UPDATE on listed columns only', async () => {
  const db = await setup();
  await db.exec('GRANT SELECT (id, pub), INSERT (id, pub), UPDATE (pub) ON t TO alice');
  await as(db, 'alice', async () => {
    assert.deepEqual(await rows(db, 'SELECT id, pub FROM t'), [{ id: 1, pub: 'p1' }]);
    assert.deepEqual(await rows(db, 'SELECT count(*)::int AS n FROM t'), [{ n: 1 }]);
    await fails(db.query('SELECT * FROM t'), '42501', 'permission denied for table t');
    await fails(db.query('SELECT secret FROM t'), '42501', 'permission denied for table t');
    await fails(db.query('SELECT 1 FROM t WHERE secret = $$x$$'), '42501');
    await fails(db.query('SELECT x.secret FROM t AS x JOIN t AS y USING (id)'), '42501');
    await db.exec(`INSERT INTO t (id, pub) VALUES (2, 'p2')`);
    await fails(db.exec(`INSERT INTO t VALUES (3, 's', 'p')`), '42501', 'permission denied for table t');
    await db.exec(`UPDATE t SET pub = 'new' WHERE id = 2`);
    await fails(db.exec(`UPDATE t SET secret = 'new' WHERE id = 2`), '42501', 'permission denied for table t');
    await fails(db.exec(`INSERT INTO t (id, pub) VALUES (4, 'p') RETURNING secret`), '42501');
    assert.deepEqual((await db.query(`INSERT INTO t (id, pub) VALUES (5, 'p') RETURNING id, pub`)).rows, [{ id: 5, pub: 'p' }]);
  });
  assert.deepEqual(await rows(db, `SELECT has_column_privilege('alice', 't', 'pub', 'UPDATE') AS a, has_column_privilege('alice', 't', 'secret', 'SELECT') AS b`),
    [{ a: true, b: false }]);
  await db.close();
});

test('ON CONFLICT DO UPDATE needs UPDATE; RETURNING needs SELECT', async () => {
  const db = await setup();
  await db.exec('GRANT INSERT ON t TO alice');
  await as(db, 'alice', async () => {
    await db.exec(`INSERT INTO t VALUES (2, 'a', 'b') ON CONFLICT DO NOTHING`);
    await fails(db.exec(`INSERT INTO t VALUES (1, 'a', 'b') ON CONFLICT (id) DO UPDATE SET pub = 'c'`), '42501');
    await fails(db.exec(`INSERT INTO t VALUES (3, 'a', 'b') RETURNING id`), '42501');
  });
  await db.close();
});

test('grant options: only holders grant, recorded as grantor; REVOKE cascades or fails with 2BP01', async () => {
  const db = await setup();
  await db.exec('CREATE ROLE carol');
  await as(db, 'alice', () => fails(db.exec('GRANT SELECT ON t TO bob'), '42501', 'permission denied for table t'));
  await db.exec('GRANT SELECT ON t TO alice WITH GRANT OPTION');
  await as(db, 'alice', () => db.exec('GRANT SELECT ON t TO bob WITH GRANT OPTION'));
  await as(db, 'bob', () => db.exec('GRANT SELECT ON t TO carol'));
  assert.deepEqual(await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`),
    [{ relacl: ['oxibase=arwdDxt/oxibase', 'alice=r*/oxibase', 'bob=r*/alice', 'carol=r/bob'] }]);
  // alice holds SELECT only with grant option; granting UPDATE gives a warning-level notice, not a grant.
  await db.exec('GRANT UPDATE ON t TO alice');
  await fails(db.exec('REVOKE SELECT ON t FROM alice'), '2BP01', 'dependent privileges exist');
  await db.exec('REVOKE GRANT OPTION FOR SELECT ON t FROM alice CASCADE');
  assert.deepEqual(await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`),
    [{ relacl: ['oxibase=arwdDxt/oxibase', 'alice=rw/oxibase'] }]);
  await as(db, 'carol', () => fails(db.query('SELECT id FROM t'), '42501'));
  await db.close();
});

test('schemas: USAGE to look up objects, CREATE to create; public schema is USAGE-only for PUBLIC', async () => {
  const db = await setup();
  await db.exec('CREATE SCHEMA app; CREATE TABLE app.x (a int); GRANT SELECT ON app.x TO alice');
  await as(db, 'alice', () => fails(db.exec('CREATE TABLE mine (a int)'), '42501', 'permission denied for schema public'));
  await as(db, 'alice', () => fails(db.exec('CREATE TABLE app.mine (a int)'), '42501', 'permission denied for schema app'));
  await db.exec('GRANT CREATE ON SCHEMA public TO alice');
  await as(db, 'alice', () => db.exec('CREATE TABLE mine (a int); CREATE VIEW mine_v AS SELECT a FROM mine; CREATE SEQUENCE mine_s; CREATE INDEX ON mine (a)'));
  assert.deepEqual(await rows(db, `SELECT tableowner FROM pg_tables WHERE tablename = 'mine'`), [{ tableowner: 'alice' }]);
  assert.deepEqual(await rows(db, `SELECT has_schema_privilege('alice', 'app', 'USAGE') AS u, has_schema_privilege('alice', 'public', 'CREATE') AS c`), [{ u: false, c: true }]);
  // SELECT on app.x is not enough without USAGE on app.
  await as(db, 'alice', () => fails(db.query('SELECT * FROM app.x'), '42501', 'permission denied for schema app'));
  await db.exec('GRANT USAGE ON SCHEMA app TO alice');
  await as(db, 'alice', () => db.query('SELECT * FROM app.x'));
  await as(db, 'alice', () => fails(db.exec('CREATE SCHEMA s2'), '42501', 'permission denied for database oxibase'));
  await db.exec('GRANT CREATE ON DATABASE oxibase TO alice');
  await as(db, 'alice', () => db.exec('CREATE SCHEMA s2'));
  assert.deepEqual(await rows(db, `SELECT has_database_privilege('bob', 'oxibase', 'CREATE') AS c, has_database_privilege('bob', 'oxibase', 'CONNECT') AS k`), [{ c: false, k: true }]);
  await db.close();
});

test('ownership: only owners (or members of the owner role, or superusers) ALTER / DROP / COMMENT; ALTER ... OWNER TO', async () => {
  const db = await setup();
  await db.exec('GRANT ALL ON t TO alice; CREATE ROLE owners; GRANT owners TO bob; GRANT CREATE ON SCHEMA public TO owners');
  await as(db, 'alice', async () => {
    await fails(db.exec('DROP TABLE t'), '42501', 'must be owner of table t');
    await fails(db.exec('ALTER TABLE t ADD COLUMN x int'), '42501', 'must be owner of table t');
    await fails(db.exec('CREATE INDEX ON t (pub)'), '42501', 'must be owner of table t');
    await fails(db.exec(`COMMENT ON TABLE t IS 'x'`), '42501', 'must be owner of table t');
    await fails(db.exec('ALTER TABLE t RENAME TO t2'), '42501', 'must be owner of table t');
    await fails(db.exec('ALTER TABLE t OWNER TO alice'), '42501', 'must be owner of table t');
  });
  await db.exec('ALTER TABLE t OWNER TO owners');
  assert.deepEqual(await rows(db, `SELECT tableowner FROM pg_tables WHERE tablename = 't'`), [{ tableowner: 'owners' }]);
  // The ACL follows the owner (aclnewowner): the owner's entry and grantor become the new owner's.
  assert.deepEqual(await rows(db, `SELECT relacl FROM pg_class WHERE relname = 't'`),
    [{ relacl: ['owners=arwdDxt/owners', 'alice=arwdDxt/owners'] }]);
  await as(db, 'bob', () => db.exec('ALTER TABLE t ADD COLUMN x int; COMMENT ON TABLE t IS $$mine$$'));
  await as(db, 'bob', () => fails(db.exec('ALTER TABLE t OWNER TO alice'), '42501', 'must be able to SET ROLE "alice"'));
  await db.exec('CREATE SCHEMA s; ALTER SCHEMA s OWNER TO alice');
  assert.deepEqual(await rows(db, `SELECT pg_get_userbyid(nspowner) AS o FROM pg_namespace WHERE nspname = 's'`), [{ o: 'alice' }]);
  await as(db, 'bob', () => fails(db.exec('DROP SCHEMA s'), '42501', 'must be owner of schema s'));
  await as(db, 'alice', () => db.exec('DROP SCHEMA s'));
  await as(db, 'bob', () => db.exec('DROP TABLE t'));
  await db.close();
});

test('views are checked as their owner: a view grants access the caller lacks on the base table', async () => {
  const db = await setup();
  await db.exec(`CREATE ROLE owner_role; GRANT CREATE ON SCHEMA public TO owner_role; GRANT SELECT (id, pub), UPDATE (pub) ON t TO owner_role`);
  await as(db, 'owner_role', () => db.exec('CREATE VIEW v AS SELECT id, pub FROM t; CREATE VIEW bad AS SELECT secret FROM t'));
  await as(db, 'alice', () => fails(db.query('SELECT * FROM v'), '42501', 'permission denied for view v'));
  await as(db, 'owner_role', () => db.exec('GRANT SELECT, UPDATE ON v TO alice; GRANT SELECT ON bad TO alice'));
  await as(db, 'alice', async () => {
    assert.deepEqual(await rows(db, 'SELECT * FROM v'), [{ id: 1, pub: 'p1' }]);
    await fails(db.query('SELECT * FROM t'), '42501', 'permission denied for table t');
    // The view owner lacks SELECT on t.secret: the view fails for everyone it is granted to.
    await fails(db.query('SELECT * FROM bad'), '42501', 'permission denied for table t');
    await db.exec(`UPDATE v SET pub = 'via view' WHERE id = 1`);
  });
  assert.deepEqual(await rows(db, 'SELECT pub FROM t'), [{ pub: 'via view' }]);
  await db.exec('REVOKE UPDATE (pub) ON t FROM owner_role');
  await as(db, 'alice', () => fails(db.exec(`UPDATE v SET pub = 'again'`), '42501', 'permission denied for table t'));
  await db.close();
});

test('plan-cache hits and prepared statements are re-checked for the current role', async () => {
  const db = await setup();
  const s = db.session();
  await s.exec('GRANT SELECT ON t TO alice');
  await s.query('SELECT id FROM t WHERE id = $1', [1]);
  await s.query('SELECT id FROM t WHERE id = $1', [1]);
  await s.exec('PREPARE p AS SELECT pub FROM t');
  await s.exec('SET ROLE bob');
  await fails(s.query('SELECT id FROM t WHERE id = $1', [1]), '42501', 'permission denied for table t');
  await fails(s.query('EXECUTE p'), '42501', 'permission denied for table t');
  await s.exec('SET ROLE alice');
  assert.deepEqual((await s.query('SELECT id FROM t WHERE id = $1', [1])).rows, [{ id: 1 }]);
  assert.deepEqual((await s.query('EXECUTE p')).rows, [{ pub: 'p1' }]);
  const other = db.session();
  await other.exec('REVOKE SELECT ON t FROM alice');
  await fails(s.query('SELECT id FROM t WHERE id = $1', [1]), '42501');
  await fails(s.query('EXPLAIN SELECT * FROM t'), '42501');
  await other.close();
  await s.close();
  await db.close();
});

test('sequences: nextval needs USAGE or UPDATE, currval USAGE or SELECT, setval UPDATE; SERIAL defaults too, identity not', async () => {
  const db = await setup();
  await db.exec(`CREATE SEQUENCE s; CREATE TABLE ser (id serial, v int); CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY, v int);
    GRANT INSERT ON ser, ident TO alice`);
  await as(db, 'alice', async () => {
    await fails(db.query(`SELECT nextval('s')`), '42501', 'permission denied for sequence s');
    await fails(db.exec('INSERT INTO ser (v) VALUES (1)'), '42501', 'permission denied for sequence ser_id_seq');
    await db.exec('INSERT INTO ident (v) VALUES (1)');
  });
  await db.exec('GRANT USAGE ON SEQUENCE s, ser_id_seq TO alice');
  await as(db, 'alice', async () => {
    assert.deepEqual(await rows(db, `SELECT nextval('s')::int AS n, currval('s')::int AS c`), [{ n: 1, c: 1 }]);
    await fails(db.query(`SELECT setval('s', 10)`), '42501', 'permission denied for sequence s');
    await db.exec('INSERT INTO ser (v) VALUES (1)');
  });
  assert.deepEqual(await rows(db, `SELECT has_sequence_privilege('alice', 's', 'UPDATE') AS u, has_sequence_privilege('alice', 's', 'USAGE') AS g`), [{ u: false, g: true }]);
  await fails(db.exec('GRANT USAGE ON SEQUENCE t TO alice'), '42809', '"t" is not a sequence');
  await db.close();
});

test('ALTER DEFAULT PRIVILEGES applies to objects created later, globally or per schema', async () => {
  const db = await setup();
  await db.exec(`ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO alice;
    CREATE SCHEMA app; ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO bob;
    ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO bob`);
  await db.exec('CREATE TABLE later (a int); CREATE TABLE app.x (a int); CREATE SEQUENCE sq');
  await as(db, 'alice', () => db.query('SELECT * FROM later'));
  await as(db, 'alice', () => fails(db.query('SELECT * FROM t'), '42501'));
  assert.deepEqual(await rows(db, `SELECT relname, relacl FROM pg_class WHERE relname IN ('later', 'x', 'sq') ORDER BY relname`), [
    { relname: 'later', relacl: ['oxibase=arwdDxt/oxibase', 'alice=r/oxibase'] },
    { relname: 'sq', relacl: ['oxibase=rwU/oxibase', 'bob=U/oxibase'] },
    { relname: 'x', relacl: ['oxibase=arwdDxt/oxibase', 'alice=r/oxibase', 'bob=a/oxibase'] },
  ]);
  await db.exec('ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM alice; CREATE TABLE later2 (a int)');
  await as(db, 'alice', () => fails(db.query('SELECT * FROM later2'), '42501'));
  await db.close();
});

test('has_table_privilege forms: current user, role name, any-of list, WITH GRANT OPTION, errors', async () => {
  const db = await setup();
  await db.exec('GRANT SELECT ON t TO alice WITH GRANT OPTION; GRANT INSERT ON t TO alice');
  const r = (await db.queryArrays(`SELECT has_table_privilege('alice', 't', 'SELECT'), has_table_privilege('alice', 't', 'UPDATE'),
    has_table_privilege('alice', 'public.t', 'update, insert'), has_table_privilege('alice', 't', 'SELECT WITH GRANT OPTION'),
    has_table_privilege('alice', 't', 'INSERT WITH GRANT OPTION'), has_table_privilege('t', 'DELETE'),
    pg_has_role('bob', 'alice', 'MEMBER'), pg_has_role('alice', 'alice', 'USAGE')`)).rows;
  assert.deepEqual(r, [[true, false, true, true, false, true, false, true]]);
  await fails(db.query(`SELECT has_table_privilege('alice', 't', 'FLY')`), '22023', 'unrecognized privilege type: "FLY"');
  await fails(db.query(`SELECT has_table_privilege('nobody', 't', 'SELECT')`), '42704', 'role "nobody" does not exist');
  await fails(db.query(`SELECT has_table_privilege('alice', 'nosuch', 'SELECT')`), '42P01');
  await db.close();
});

test('information_schema.table_privileges, role_table_grants and column_privileges', async () => {
  const db = await setup();
  await db.exec('GRANT SELECT ON t TO alice WITH GRANT OPTION; GRANT UPDATE (pub) ON t TO bob');
  assert.deepEqual((await db.queryArrays(`SELECT grantor, grantee, privilege_type, is_grantable, with_hierarchy
    FROM information_schema.table_privileges WHERE table_name = 't' AND grantee <> 'oxibase'`)).rows,
  [['oxibase', 'alice', 'SELECT', 'YES', 'YES']]);
  assert.deepEqual((await db.queryArrays(`SELECT grantee, column_name, privilege_type FROM information_schema.column_privileges
    WHERE table_name = 't' AND grantee <> 'oxibase' ORDER BY 1, 2, 3`)).rows,
  [['alice', 'id', 'SELECT'], ['alice', 'pub', 'SELECT'], ['alice', 'secret', 'SELECT'], ['bob', 'pub', 'UPDATE']]);
  await as(db, 'bob', async () => {
    // Only grants bob is party to are visible to him.
    assert.deepEqual((await db.queryArrays(`SELECT grantee, privilege_type FROM information_schema.role_table_grants WHERE table_name = 't'`)).rows, []);
    assert.deepEqual((await db.queryArrays(`SELECT grantee, column_name FROM information_schema.column_privileges WHERE table_name = 't'`)).rows, [['bob', 'pub']]);
  });
  await db.close();
});

test('VACUUM / ANALYZE skip tables the user does not own, with a warning', async () => {
  const db = await setup();
  const s = db.session();
  await s.exec('GRANT ALL ON t TO alice; SET ROLE alice');
  const r = await s.query('ANALYZE t');
  assert.deepEqual(r.notices.map((n) => [n.severity, n.code, n.message]), [['WARNING', '42501', 'permission denied to analyze "t", skipping it']]);
  await s.close();
  await db.close();
});

test('FOREIGN KEY needs REFERENCES on the referenced table; the checks themselves run unchecked', async () => {
  const db = await setup();
  await db.exec('GRANT CREATE ON SCHEMA public TO alice');
  await as(db, 'alice', () => fails(db.exec('CREATE TABLE child (tid int REFERENCES t (id))'), '42501', 'permission denied for table t'));
  await as(db, 'alice', () => fails(db.exec('CREATE TABLE copy AS SELECT * FROM t'), '42501', 'permission denied for table t'));
  await db.exec('GRANT REFERENCES ON t TO alice');
  await as(db, 'alice', async () => {
    await db.exec('CREATE TABLE child (tid int REFERENCES t (id))');
    // alice cannot read t, yet the FK check on insert reads it (as PostgreSQL's, which runs as the owner).
    await db.exec('INSERT INTO child VALUES (1)');
    await fails(db.exec('INSERT INTO child VALUES (99)'), '23503');
  });
  await db.close();
});

test('temporary tables need TEMPORARY on the database, not CREATE on a schema', async () => {
  const db = await setup();
  await as(db, 'alice', () => db.exec('CREATE TEMP TABLE scratch (a int); INSERT INTO scratch VALUES (1)'));
  await db.exec('REVOKE TEMPORARY ON DATABASE oxibase FROM PUBLIC');
  await as(db, 'alice', () => fails(db.exec('CREATE TEMP TABLE scratch2 (a int)'), '42501', 'permission denied for database oxibase'));
  assert.deepEqual(await rows(db, `SELECT datacl FROM pg_database`), [{ datacl: ['=c/oxibase', 'oxibase=CTc/oxibase'] }]);
  await db.close();
});

test('current_user can be switched outright (SECURITY DEFINER) and restored without losing SET ROLE', async () => {
  const db = await setup();
  const s = db.engine.newSession();
  await s.execute('SET ROLE alice');
  const saved = s.user;
  s.user = 'bob';
  assert.equal(s.user, 'bob');
  s.user = saved;
  assert.equal(s.user, 'alice');
  await s.execute('RESET ROLE');
  assert.equal(s.user, 'oxibase');
  await s.close();
  await db.close();
});

test('GRANT ON FUNCTION of an unknown routine is 42883; checkRoutineExecute follows the routine ACL', async () => {
  const db = await setup();
  await fails(db.exec('GRANT EXECUTE ON FUNCTION nosuch(int) TO alice'), '42883', 'function nosuch(...) does not exist');
  const { checkRoutineExecute } = await import('../../src/auth/privileges.ts');
  const { objectKey } = await import('../../src/auth/auth-state.ts');
  const ref = { oid: 99001, name: 'f', owner: 'alice' };
  const cat = db.engine.catalog;
  // Default ACL: PUBLIC may execute.
  checkRoutineExecute(cat, 'bob', ref);
  const alice = cat.auth.role('alice')!.oid;
  cat.auth = cat.auth.withAcl(objectKey('function', ref.oid), [{ grantee: alice, grantor: alice, privs: 1 << 7, grantable: 0 }]);
  checkRoutineExecute(cat, 'alice', ref);
  checkRoutineExecute(cat, 'oxibase', ref);
  assert.throws(() => checkRoutineExecute(cat, 'bob', ref), /permission denied for function f/);
  assert.throws(() => checkRoutineExecute(cat, 'bob', ref, 'procedure'), /permission denied for procedure f/);
  await db.close();
});
