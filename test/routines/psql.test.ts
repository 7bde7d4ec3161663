/**
 * psql against the server: \df lists user functions and procedures, \d shows a table's triggers,
 * \sf prints a function's definition. Skipped when psql is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import './test-js.ts';
import { startServer } from '../server/helpers.ts';

const hasPsql = spawnSync('psql', ['--version']).status === 0;

function psql(args: string[], port: number): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn('psql', ['-X', '-v', 'ON_ERROR_STOP=1', ...args], {
      env: { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'oxibase', PGDATABASE: 'oxibase', PGCONNECT_TIMEOUT: '5' },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end();
  });
}

test('psql \\df, \\d with triggers and \\sf see user routines', { skip: !hasPsql && 'psql not installed' }, async () => {
  const r = await startServer();
  try {
    await r.db.exec(`
      CREATE TABLE t (id int PRIMARY KEY, v text);
      CREATE FUNCTION add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
      CREATE FUNCTION rows_of(n int) RETURNS TABLE(i int) LANGUAGE sql AS 'SELECT generate_series(1, n)';
      CREATE PROCEDURE p(INOUT x int) LANGUAGE sql AS 'SELECT x';
      CREATE FUNCTION up() RETURNS trigger LANGUAGE testjs AS 'return TG.NEW;';
      CREATE TRIGGER t_up BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION up();
    `);
    const df = await psql(['-c', '\\df'], r.port);
    assert.equal(df.code, 0, df.err);
    assert.equal(df.out, [
      '                              List of functions',
      ' Schema |  Name   | Result data type |      Argument data types       | Type ',
      '--------+---------+------------------+--------------------------------+------',
      ' public | add     | integer          | a integer, b integer DEFAULT 1 | func',
      ' public | p       |                  | INOUT x integer                | proc',
      ' public | rows_of | TABLE(i integer) | n integer                      | func',
      ' public | up      | trigger          |                                | func',
      '(4 rows)',
      '',
      '',
    ].join('\n'));
    const d = await psql(['-c', '\\d t'], r.port);
    assert.equal(d.code, 0, d.err);
    assert.match(d.out, /Triggers:\n {4}t_up BEFORE INSERT OR UPDATE ON public\.t FOR EACH ROW EXECUTE FUNCTION public\.up\(\)\n/);
    const sf = await psql(['-c', '\\sf add'], r.port);
    assert.equal(sf.code, 0, sf.err);
    assert.equal(sf.out, "CREATE OR REPLACE FUNCTION public.add(a integer, b integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT a + b$function$\n");
  } finally {
    await r.stop();
  }
});
