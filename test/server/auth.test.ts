/**
 * Client authentication over the wire: SCRAM-SHA-256 (node-postgres and postgres.js), md5
 * (runs SCRAM), clear-text password, trust, reject, bad passwords, NOLOGIN, VALID UNTIL,
 * CONNECTION LIMIT, pg_hba matching and the failed-login delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import postgres from 'postgres';
import { Oxibase } from '../../src/index.ts';
import { PgServer, type PgServerConfig } from '../../src/server/pg/index.ts';
import { RawClient, backendMessages, errorFields, startupPacket } from './helpers.ts';

async function serve(hba: string, config: PgServerConfig = {}): Promise<{ db: Oxibase; server: PgServer; port: number; stop(): Promise<void> }> {
  const db = await Oxibase.open('memory://');
  await db.exec(`
    CREATE ROLE alice LOGIN PASSWORD 'wonderland';
    CREATE ROLE nologin PASSWORD 'x';
    CREATE ROLE expired LOGIN PASSWORD 'x' VALID UNTIL '2001-01-01 00:00:00+00';
    CREATE ROLE limited LOGIN PASSWORD 'x' CONNECTION LIMIT 1;
    CREATE ROLE nopass LOGIN;
    CREATE TABLE t (id int); INSERT INTO t VALUES (1);
    GRANT SELECT ON t TO alice;`);
  const server = new PgServer(db, { hba, loginDelay: { baseMs: 1, maxMs: 4 }, ...config });
  const { port } = await server.listen('127.0.0.1', 0);
  return { db, server, port, async stop() { await server.close(); await db.close(); } };
}

async function pgConnect(port: number, user: string, password?: string): Promise<pg.Client> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, database: 'oxibase', ...(password !== undefined ? { password } : {}) });
  await c.connect();
  return c;
}

async function pgError(port: number, user: string, password?: string): Promise<{ code: string; message: string }> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, database: 'oxibase', ...(password !== undefined ? { password } : {}) });
  c.on('error', () => undefined);
  try {
    await c.connect();
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? '', message: err.message };
  } finally {
    await c.end().catch(() => undefined);
  }
  throw new Error('connected unexpectedly');
}

test('SCRAM-SHA-256: node-postgres logs in, runs as the role, and bad passwords fail with 28P01', async () => {
  const r = await serve('host all all all scram-sha-256');
  try {
    const c = await pgConnect(r.port, 'alice', 'wonderland');
    const res = await c.query('SELECT current_user, session_user, (SELECT count(*) FROM t) AS n');
    assert.deepEqual(res.rows, [{ current_user: 'alice', session_user: 'alice', n: '1' }]);
    await assert.rejects(c.query('CREATE TABLE x (a int)'), { code: '42501', message: 'permission denied for schema public' });
    await c.end();
    assert.deepEqual(await pgError(r.port, 'alice', 'wrong'), { code: '28P01', message: 'password authentication failed for user "alice"' });
    // A role that does not exist, one without a password and an expired password fail the same way.
    for (const u of ['ghost', 'nopass', 'expired']) {
      assert.deepEqual(await pgError(r.port, u, 'x'), { code: '28P01', message: `password authentication failed for user "${u}"` });
    }
    assert.deepEqual(await pgError(r.port, 'nologin', 'x'), { code: '28000', message: 'role "nologin" is not permitted to log in' });
  } finally {
    await r.stop();
  }
});

test('SCRAM-SHA-256 with postgres.js; md5 runs SCRAM; clear-text password method', async () => {
  for (const method of ['scram-sha-256', 'md5', 'password']) {
    const r = await serve(`host all all 127.0.0.1/32 ${method}\nhost all all ::1/128 ${method}`);
    try {
      const sql = postgres({ host: '127.0.0.1', port: r.port, user: 'alice', password: 'wonderland', database: 'oxibase', max: 1, onnotice: () => undefined });
      const rows = await sql`SELECT current_user AS u`;
      assert.equal(rows[0]!['u'], 'alice', method);
      await sql.end();
      assert.equal((await pgError(r.port, 'alice', 'nope')).code, '28P01', method);
    } finally {
      await r.stop();
    }
  }
});

test('trust and reject: first matching hba line wins; no match is rejected', async () => {
  const r = await serve('host all alice all trust\nhost all nologin all trust\nhost all +admins all reject\nhost sameuser all all scram-sha-256');
  try {
    const c = await pgConnect(r.port, 'alice');
    assert.equal((await c.query('SELECT current_user AS u')).rows[0].u, 'alice');
    await c.end();
    // Trust does not bypass the role checks.
    assert.deepEqual(await pgError(r.port, 'ghost'), { code: '28000', message: 'no pg_hba.conf entry for host "127.0.0.1", user "ghost", database "oxibase", no encryption' });
    assert.deepEqual(await pgError(r.port, 'nologin'), { code: '28000', message: 'role "nologin" is not permitted to log in' });
    await r.db.exec('CREATE ROLE admins; CREATE ROLE carol LOGIN PASSWORD $$p$$ IN ROLE admins');
    const e = await pgError(r.port, 'carol', 'p');
    assert.equal(e.code, '28000');
    assert.match(e.message, /pg_hba\.conf rejects connection for host "127\.0\.0\.1", user "carol"/);
  } finally {
    await r.stop();
  }
});

test('trust for an unknown role: 28000 role does not exist', async () => {
  const r = await serve('host all all all trust');
  try {
    assert.deepEqual(await pgError(r.port, 'ghost'), { code: '28000', message: 'role "ghost" does not exist' });
  } finally {
    await r.stop();
  }
});

test('CONNECTION LIMIT counts the role\'s live connections', async () => {
  const r = await serve('host all all all scram-sha-256');
  try {
    const c = await pgConnect(r.port, 'limited', 'x');
    assert.deepEqual(await pgError(r.port, 'limited', 'x'), { code: '53300', message: 'too many connections for role "limited"' });
    await c.end();
  } finally {
    await r.stop();
  }
});

test('failed logins are delayed exponentially per address and user, and logged; success resets', async () => {
  const logged: string[] = [];
  const r = await serve('host all all all scram-sha-256');
  const env = r.db.engine.env as { log: (l: string, m: string) => void };
  const original = env.log;
  env.log = (level, message) => { logged.push(`${level}: ${message}`); };
  try {
    const limiter = r.server.auth.limiter;
    for (let i = 0; i < 3; i++) assert.equal((await pgError(r.port, 'alice', 'bad')).code, '28P01');
    assert.equal(limiter.failureCount('127.0.0.1\u0000alice'), 3);
    assert.equal(limiter.fail('x', 0), 1);
    assert.equal(limiter.fail('x', 0), 2);
    assert.equal(limiter.fail('x', 0), 4);
    assert.equal(limiter.fail('x', 0), 4, 'capped at maxMs');
    assert.ok(logged.some((l) => /password authentication failed for user "alice" from 127\.0\.0\.1 .*Password does not match/.test(l)), logged.join('\n'));
    const c = await pgConnect(r.port, 'alice', 'wonderland');
    await c.end();
    assert.equal(limiter.failureCount('127.0.0.1\u0000alice'), 0);
  } finally {
    env.log = original;
    await r.stop();
  }
});

test('protocol: SCRAM starts with AuthenticationSASL offering SCRAM-SHA-256 only; a wrong message is FATAL', async () => {
  const r = await serve('host all all all scram-sha-256');
  try {
    const c = await RawClient.open(r.port);
    c.write(startupPacket({ user: 'alice', database: 'oxibase' }));
    const msgs = backendMessages(await c.until((b) => b.length >= 9));
    assert.equal(msgs[0]!.type, 'R');
    assert.equal(msgs[0]!.body.readInt32BE(0), 10);
    assert.equal(msgs[0]!.body.subarray(4).toString('latin1'), 'SCRAM-SHA-256\0\0');
    c.clear();
    // SASLInitialResponse naming another mechanism.
    const mech = Buffer.from('PLAIN\0');
    const data = Buffer.from('n,,n=,r=abc');
    const len = Buffer.alloc(4); len.writeInt32BE(data.length);
    const body = Buffer.concat([mech, len, data]);
    const head = Buffer.alloc(5); head.write('p', 0, 'latin1'); head.writeInt32BE(4 + body.length, 1);
    c.write(Buffer.concat([head, body]));
    const err = backendMessages(await c.until((b) => b.includes(0x45) || c.closed)).find((m) => m.type === 'E')!;
    assert.equal(errorFields(err.body)['C'], '08P01');
    c.close();
  } finally {
    await r.stop();
  }
});

test('ALTER ROLE ... SET applies at login; startup parameters override it', async () => {
  const r = await serve('host all all all scram-sha-256');
  try {
    await r.db.exec(`ALTER ROLE alice SET search_path = 'app, public'; ALTER ROLE alice SET extra_float_digits = 2`);
    const c = new pg.Client({ host: '127.0.0.1', port: r.port, user: 'alice', password: 'wonderland', database: 'oxibase', options: '-c extra_float_digits=3' });
    await c.connect();
    assert.equal((await c.query('SHOW search_path')).rows[0].search_path, 'app, public');
    assert.equal((await c.query('SHOW extra_float_digits')).rows[0].extra_float_digits, '3');
    await c.end();
  } finally {
    await r.stop();
  }
});

test('privileges apply on the wire: COPY TO needs SELECT, SET ROLE is reported, prepared statements are re-checked', async () => {
  const r = await serve('host all all all scram-sha-256');
  try {
    await r.db.exec(`CREATE TABLE hidden (a int); CREATE ROLE readers; GRANT SELECT ON hidden TO readers; GRANT readers TO alice; ALTER ROLE alice NOINHERIT`);
    const c = await pgConnect(r.port, 'alice', 'wonderland');
    await assert.rejects(c.query('COPY hidden TO STDOUT'), { code: '42501', message: 'permission denied for table hidden' });
    await assert.rejects(c.query({ name: 'q1', text: 'SELECT a FROM hidden WHERE a = $1', values: [1] }), { code: '42501' });
    await c.query('SET ROLE readers');
    assert.deepEqual((await c.query({ name: 'q1', text: 'SELECT a FROM hidden WHERE a = $1', values: [1] })).rows, []);
    assert.equal((await c.query('SELECT current_user AS u, session_user AS s')).rows[0].u, 'readers');
    await c.query('RESET ROLE');
    await assert.rejects(c.query({ name: 'q1', text: 'SELECT a FROM hidden WHERE a = $1', values: [1] }), { code: '42501' });
    await c.end();
  } finally {
    await r.stop();
  }
});
