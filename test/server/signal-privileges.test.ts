/**
 * Who may pg_cancel_backend / pg_terminate_backend whom (PostgreSQL 15's pg_signal_backend): a
 * superuser anyone; others the backends of roles whose privileges they have, or every
 * non-superuser backend with pg_signal_backend; never a superuser's backend. Checked with the
 * current user (SET ROLE counts) against the role the target logged in as. Messages as PG 15.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startServer } from './helpers.ts';

const CANCEL_DENIED = 'must be a member of the role whose query is being canceled or member of pg_signal_backend';
const TERMINATE_DENIED = 'must be a member of the role whose process is being terminated or member of pg_signal_backend';

async function connect(port: number, user: string): Promise<{ c: pg.Client; pid: number }> {
  const c = new pg.Client({ host: '127.0.0.1', port, user, database: 'oxibase' });
  c.on('error', () => undefined);
  await c.connect();
  return { c, pid: (c as unknown as { processID: number }).processID };
}

async function signal(c: pg.Client, fn: 'pg_cancel_backend' | 'pg_terminate_backend', pid: number): Promise<boolean | string> {
  try {
    return (await c.query(`select ${fn}($1) as ok`, [pid])).rows[0].ok as boolean;
  } catch (e) {
    const x = e as pg.DatabaseError;
    return `${x.code} ${x.message}`;
  }
}

test('pg_cancel_backend / pg_terminate_backend privileges follow PostgreSQL 15', async () => {
  const r = await startServer();
  await r.db.exec(`CREATE ROLE bob LOGIN; CREATE ROLE carol LOGIN; CREATE ROLE mgr LOGIN; GRANT bob TO mgr;
    CREATE ROLE noinh LOGIN NOINHERIT; GRANT bob TO noinh; GRANT carol TO bob; CREATE ROLE sig LOGIN;
    GRANT pg_signal_backend TO sig`);
  const clients: pg.Client[] = [];
  const open = async (user: string): Promise<{ c: pg.Client; pid: number }> => {
    const s = await connect(r.port, user);
    clients.push(s.c);
    return s;
  };
  try {
    const su = await open('oxibase');
    const bob = await open('bob');
    const bob2 = await open('bob');
    const carol = await open('carol');
    const mgr = await open('mgr');
    const noinh = await open('noinh');
    const sig = await open('sig');

    // Canceling an idle backend succeeds without effect, so the answers show the checks alone.
    assert.equal(await signal(bob.c, 'pg_cancel_backend', bob2.pid), true, 'same role');
    assert.equal(await signal(mgr.c, 'pg_cancel_backend', bob.pid), true, 'member of the role');
    assert.equal(await signal(sig.c, 'pg_cancel_backend', carol.pid), true, 'pg_signal_backend');
    assert.equal(await signal(su.c, 'pg_cancel_backend', carol.pid), true, 'superuser');
    assert.equal(await signal(carol.c, 'pg_cancel_backend', bob.pid), `42501 ${CANCEL_DENIED}`);
    assert.equal(await signal(carol.c, 'pg_terminate_backend', bob.pid), `42501 ${TERMINATE_DENIED}`);
    // A NOINHERIT member does not have the role's privileges until SET ROLE.
    assert.equal(await signal(noinh.c, 'pg_cancel_backend', bob.pid), `42501 ${CANCEL_DENIED}`);
    await noinh.c.query('SET ROLE bob');
    assert.equal(await signal(noinh.c, 'pg_cancel_backend', bob.pid), true);
    // The target is the role it logged in as: bob's SET ROLE does not make it carol's.
    await bob2.c.query('SET ROLE carol');
    assert.equal(await signal(carol.c, 'pg_cancel_backend', bob2.pid), `42501 ${CANCEL_DENIED}`);
    // Superusers' backends: superusers only, pg_signal_backend notwithstanding.
    assert.equal(await signal(sig.c, 'pg_cancel_backend', su.pid), '42501 must be a superuser to cancel superuser query');
    assert.equal(await signal(sig.c, 'pg_terminate_backend', su.pid), '42501 must be a superuser to terminate superuser process');
    // The current user counts: a superuser after SET ROLE carol is carol.
    await su.c.query('SET ROLE carol');
    assert.equal(await signal(su.c, 'pg_cancel_backend', bob.pid), `42501 ${CANCEL_DENIED}`);
    await su.c.query('RESET ROLE');
    // A pid with no backend is a warning and false before any privilege check.
    const notices: string[] = [];
    carol.c.on('notice', (n) => notices.push(n.message ?? ''));
    assert.equal(await signal(carol.c, 'pg_cancel_backend', 999999), false);
    assert.deepEqual(notices, ['PID 999999 is not a PostgreSQL backend process']);
    // The timeout is checked first.
    await assert.rejects(carol.c.query('select pg_terminate_backend($1, -1)', [bob.pid]), (e: pg.DatabaseError) =>
      e.code === '22003' && e.message === '"timeout" must not be negative');

    // An allowed terminate ends the backend.
    const ended = new Promise<void>((resolve) => bob.c.once('end', () => resolve()));
    assert.equal(await signal(sig.c, 'pg_terminate_backend', bob.pid), true);
    await ended;

    // The predefined role is listed and pinned.
    assert.deepEqual((await su.c.query(`select rolcanlogin, rolsuper from pg_roles where rolname = 'pg_signal_backend'`)).rows,
      [{ rolcanlogin: false, rolsuper: false }]);
    await assert.rejects(su.c.query('DROP ROLE pg_signal_backend'), (e: pg.DatabaseError) =>
      e.code === '2BP01' && e.message === 'cannot drop role pg_signal_backend because it is required by the database system');
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
    await r.stop();
  }
});
