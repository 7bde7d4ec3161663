/**
 * Drivers in other languages against the server: psycopg2 (Python, fixtures/psycopg2_client.py)
 * and pgjdbc (Java, fixtures/JdbcClient.java compiled with javac at test time). Each program
 * asserts its own expectations and prints OK. They need the Debian packages python3-psycopg2,
 * libpostgresql-jdbc-java and a JDK (.ci/run installs them); without them the tests are skipped,
 * except in CI (OXIBASE_DIFF_REQUIRE_PG), where that is a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './helpers.ts';
import { commandExists, run, skipUnless } from './tools.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const PGJDBC = '/usr/share/java/postgresql.jar';
const hasPsycopg2 = commandExists('/usr/bin/python3', ['-c', 'import psycopg2']);
const hasJava = commandExists('javac', ['-version']) && commandExists('java', ['-version']) && existsSync(PGJDBC);

test('psycopg2: DDL, parameters, transactions, pgcode, copy_expert, dict rows', {
  skip: skipUnless(hasPsycopg2, 'python3-psycopg2'),
}, async () => {
  const r = await startServer();
  try {
    const p = await run('/usr/bin/python3', [join(fixtures, 'psycopg2_client.py'), String(r.port)]);
    assert.equal(p.err, '');
    assert.equal(p.out, 'OK\n');
    assert.equal(p.code, 0);
  } finally {
    await r.stop();
  }
});

test('JDBC: prepared statements, batches, transactions, metadata, SQLState', {
  skip: skipUnless(hasJava, 'a JDK and libpostgresql-jdbc-java'),
}, async () => {
  const classes = mkdtempSync(join(tmpdir(), 'oxibase-jdbc-'));
  const r = await startServer();
  try {
    const c = await run('javac', ['-d', classes, '-cp', PGJDBC, join(fixtures, 'JdbcClient.java')]);
    assert.equal(c.code, 0, c.err);
    const p = await run('java', ['-cp', `${PGJDBC}:${classes}`, 'JdbcClient', String(r.port)]);
    assert.equal(p.out, 'OK\n', p.err);
    assert.equal(p.code, 0);
  } finally {
    await r.stop();
    rmSync(classes, { recursive: true, force: true });
  }
});
