/**
 * Statement shapes (src/engine/statement-shapes.ts): literal statements that differ only in their
 * constants run as one parameterized statement, with the same results and the same errors
 * (positions included) as the statements as written; literals whose meaning a parameter would
 * change (ORDER BY 1, LIMIT, select-list constants, typed literals) keep the statement as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import type { Session as EngineSession } from '../../src/engine/session.ts';
import { StatementShapes } from '../../src/engine/statement-shapes.ts';
import { fails } from './helpers.ts';

type Handle = Awaited<ReturnType<Oxibase['session']>>;

function engineOf(s: Handle): EngineSession {
  return (s as unknown as { inner: EngineSession }).inner;
}

/** A fresh in-memory database and a session on it, after running `setup`. */
async function sessionAfter(setup: string): Promise<{ db: Oxibase; s: Handle }> {
  const db = await Oxibase.open('memory://');
  const s = db.session();
  if (setup !== '') await s.exec(setup);
  return { db, s };
}

function kinds(sql: string, shapes = new StatementShapes()): string[] | null {
  return shapes.plan(sql)?.items.map((i) => i.kind) ?? null;
}

test('a script of one repeated shape parses its first statement and runs the rest as the shape', () => {
  const script = 'CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1, \'x\'); INSERT INTO t VALUES (2, \'y\');\n' +
    'insert  into t values (3,\'z\'); INSERT INTO t VALUES (4000000000, \'big\')';
  // The int8 literal is another shape (its parameter is declared int8), seen here for the first time.
  assert.deepEqual(kinds(script), ['parsed', 'parsed', 'shape', 'shape', 'parsed']);
  // No statement of a known shape: the whole-script parse is used as before.
  assert.equal(kinds('CREATE TABLE u (a int); INSERT INTO u VALUES (1)'), null);
  // `$n` parameters and BEGIN ATOMIC bodies always take the whole-script path.
  assert.equal(kinds('SELECT $1; SELECT $1'), null);
});

test('literals a parameter would change keep their statements as written', () => {
  const ineligible = [
    'SELECT a FROM t WHERE a = 1 ORDER BY 1',
    'SELECT a + 1 FROM t WHERE a = 1 GROUP BY a + 1',
    'SELECT DISTINCT ON (1) a FROM t WHERE a = 1',
    'SELECT a FROM t WHERE a = 1 LIMIT 5',
    'SELECT a FROM t WHERE a = 1 OFFSET 5',
    'SELECT sum(a) OVER (ORDER BY a ROWS 2 PRECEDING) FROM t WHERE a = 1',
    'SELECT a FROM t WHERE a = -1',
    'SELECT a FROM t WHERE d = DATE \'2020-01-01\'',
    'SELECT a FROM t WHERE b = upper(\'x\')',
    'SELECT a FROM t WHERE b LIKE \'x%\'',
    'SELECT \'x\' FROM t WHERE a = 1',
    'SELECT a::varchar(10) FROM t WHERE a = 1',
    'INSERT INTO t VALUES (1, \'x\') ON CONFLICT ((a + 1)) DO NOTHING',
  ];
  for (const sql of ineligible) {
    const shapes = new StatementShapes();
    assert.deepEqual(kinds(`${sql}; ${sql}`, shapes), null, sql);
  }
  const eligible = [
    'SELECT a FROM t WHERE a >= 1 AND (a < 9 OR b = \'x\')',
    'UPDATE t SET b = \'q\' WHERE 3 = a',
    'DELETE FROM t WHERE a <> 7',
    // Numbers bind like the literal anywhere else: declared with the literal's own type.
    'SELECT a, 1, a * 2.5 FROM t WHERE a + 1 = abs(2)',
    'INSERT INTO t VALUES (1 + 1, \'x\')',
    'UPDATE t SET a = a * 2 WHERE a >= 10 AND a < 20',
  ];
  for (const sql of eligible) {
    assert.deepEqual(kinds(`${sql}; ${sql}`), ['parsed', 'shape'], sql);
  }
});

test('shaped statements give the results of the statements as written', async () => {
  const { db, s } = await sessionAfter('');
  const lines = ['CREATE TABLE t (a int, b varchar(10), c numeric(6,2), d date);'];
  for (let i = 1; i <= 50; i++) lines.push(`INSERT INTO t VALUES (${i}, 'n${i}', ${i}.125, '2020-01-${String((i % 28) + 1).padStart(2, '0')}');`);
  for (let i = 1; i <= 50; i += 5) lines.push(`UPDATE t SET b = 'u${i}' WHERE a = ${i};`);
  for (let i = 2; i <= 50; i += 10) lines.push(`DELETE FROM t WHERE a = ${i};`);
  // Arithmetic with numbers (speedtest 08's shape): c doubles for a in 40..49, twice for 45..49.
  for (const [lo, hi] of [[40, 50], [45, 50]]) lines.push(`UPDATE t SET c = c * 2 WHERE a >= ${lo} AND a < ${hi};`);
  await s.exec(lines.join('\n'));
  const before = engineOf(s).shapes.hits;
  assert.ok(before >= 60, `shape hits: ${before}`);
  const counts = await s.exec('SELECT count(*) FROM t WHERE a >= 10 AND a < 20; SELECT count(*) FROM t WHERE a >= 30 AND a < 45');
  assert.deepEqual(counts.map((r) => Number(r.rows[0]!['count'])), [9, 13]);
  assert.equal(engineOf(s).shapes.hits, before + 1);
  const doubled = await s.exec('SELECT a, c::text AS c, a * 1.5 AS m FROM t WHERE a = 41; SELECT a, c::text AS c, a * 1.5 AS m FROM t WHERE a = 46');
  assert.deepEqual(doubled.map((x) => x.rows[0]), [{ a: 41, c: '82.26', m: '61.5' }, { a: 46, c: '184.52', m: '69.0' }]);
  const r = await s.query('SELECT a, b, c::text AS c, d::text AS d FROM t WHERE a IN (1, 3, 6) ORDER BY a');
  assert.deepEqual(r.rows, [
    { a: 1, b: 'u1', c: '1.13', d: '2020-01-02' },
    { a: 3, b: 'n3', c: '3.13', d: '2020-01-04' },
    { a: 6, b: 'u6', c: '6.13', d: '2020-01-07' },
  ]);
  await db.close();
});

test('a shaped statement that fails reports the error of the statement as written, position included', async () => {
  const { db, s } = await sessionAfter('CREATE TABLE t (i int, d date, v varchar(3), s smallint)');
  await s.exec("INSERT INTO t VALUES (1, '2020-01-01', 'ab', 5); INSERT INTO t VALUES (2, '2020-01-02', 'cd', 6)");
  const cases: [string, string, string, number][] = [
    ["INSERT INTO t VALUES (3, '2020-13-45', 'x', 1)", '22008', 'date/time field value out of range: "2020-13-45"', 26],
    ["INSERT INTO t VALUES (3, '2020-01-01', 'toolong', 1)", '22001', 'value too long for type character varying(3)', 40],
    ["INSERT INTO t VALUES (3, '2020-01-01', 'x', 100000)", '22003', 'smallint out of range', 45],
  ];
  for (const [sql, code, message, position] of cases) {
    // Run after a good statement of the same shape, in one script, so the shape is known.
    const e = await fails(s.exec(`INSERT INTO t VALUES (9, '2020-01-09', 'ok', 9);\n${sql}`), code, message);
    assert.equal(e.position, position + "INSERT INTO t VALUES (9, '2020-01-09', 'ok', 9);\n".length, sql);
  }
  // A shape first bound after its table was dropped: the position is the script's.
  const e = await fails(s.exec('SELECT i FROM t WHERE i = 1; DROP TABLE t; SELECT i FROM t WHERE i = 2'), '42P01', 'relation "t" does not exist');
  assert.equal(e.position, 'SELECT i FROM t WHERE i = 1; DROP TABLE t; SELECT i FROM '.length + 1);
  await db.close();
});

test('a shaped statement that failed after advancing a sequence is not run again', async () => {
  // nextval is never rolled back: running the statement again as written would advance the
  // sequence a second time for one failed INSERT (PostgreSQL advances it once).
  const { db, s } = await sessionAfter('CREATE TABLE t (id serial, v int, g int GENERATED ALWAYS AS (100 / v) STORED)');
  const e = await fails(s.exec('INSERT INTO t (v) VALUES (1);\nINSERT INTO t (v) VALUES (2);\nINSERT INTO t (v) VALUES (0)'), '22012', 'division by zero');
  assert.equal(e.position, undefined);
  assert.deepEqual((await s.queryArrays('SELECT last_value FROM t_id_seq')).rows, [[3]]);
  await s.exec('INSERT INTO t (v) VALUES (4)');
  assert.deepEqual((await s.queryArrays('SELECT id, v, g FROM t ORDER BY id')).rows, [[1, 1, 100], [2, 2, 50], [4, 4, 25]]);
  await db.close();
});

test('inside a transaction block a failed shaped statement fails the block once, and rolls back', async () => {
  const { db, s } = await sessionAfter('CREATE TABLE t (i int PRIMARY KEY)');
  await s.exec('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)');
  await s.query('BEGIN');
  await s.exec('INSERT INTO t VALUES (3); INSERT INTO t VALUES (4)');
  // The second statement is of the first one's shape: its parameter fails to convert, and the
  // statement as written then reports the error where the literal is.
  const e = await fails(s.exec("INSERT INTO t VALUES ('5'); INSERT INTO t VALUES ('x')"), '22P02', 'invalid input syntax for type integer: "x"');
  assert.equal(e.position, "INSERT INTO t VALUES ('5'); INSERT INTO t VALUES (".length + 1);
  assert.equal(s.transactionStatus, 'in failed transaction');
  await fails(s.exec('INSERT INTO t VALUES (6)'), '25P02');
  await s.query('ROLLBACK');
  assert.deepEqual((await s.queryArrays('SELECT i FROM t ORDER BY i')).rows, [[1], [2]]);
  // Unique violations have no position: they come from the shape itself, after its own rollback.
  await fails(s.exec('INSERT INTO t VALUES (7); INSERT INTO t VALUES (1)'), '23505', 'duplicate key value violates unique constraint "t_pkey"');
  assert.deepEqual((await s.queryArrays('SELECT i FROM t ORDER BY i')).rows, [[1], [2], [7]]);
  await db.close();
});

test('a script too long for the parse cache is parsed once, even when no statement has a shape', async () => {
  const { db, s } = await sessionAfter('');
  const engine = engineOf(s);
  let wholeParses = 0;
  const parse = engine.parse.bind(engine);
  engine.parse = (sql: string) => {
    wholeParses++;
    return parse(sql);
  };
  // One long multi-row INSERT (no shape: too many literals) between two unshaped statements.
  const rows = Array.from({ length: 3000 }, (_, i) => `(${i}, 'row ${i}')`).join(',\n');
  const long = `CREATE TABLE big (a int, b text);\nINSERT INTO big VALUES ${rows};\nSELECT count(*) AS n, sum(a) AS s FROM big`;
  assert.ok(!engine.cachesParse(long));
  const results = await s.query<{ n: number; s: number }>(long);
  assert.deepEqual(results.rows, [{ n: 3000, s: 4498500 }]);
  assert.equal(wholeParses, 0, 'the statements planScript parsed ran as they were');
  // A short unshaped script still goes through the session's parse, which caches it.
  await s.exec('CREATE TABLE small (a int); INSERT INTO small VALUES (1)');
  assert.equal(wholeParses, 1);
  // A syntax error in a long script is still reported by the whole-script parse, position included.
  await fails(s.query(`${long};\nSELEC 1`), '42601');
  assert.equal(wholeParses, 2);
  await s.close();
  await db.close();
});

test('long shaped scripts one after another: each runs its own statements, errors still point into their own text', async () => {
  // Each script's token arrays go to the next long script once it has run (TokenStream.release).
  const { db, s } = await sessionAfter('CREATE TABLE r (a int PRIMARY KEY, b text)');
  const inserts = (from: number, n: number): string =>
    Array.from({ length: n }, (_, i) => `INSERT INTO r VALUES (${from + i}, 'v${from + i}');`).join('\n');
  await s.exec(inserts(0, 3000));
  // The 1,001st statement of the second script breaks the key: the statement as written reports it.
  const err = await s.exec(`${inserts(3000, 1000)}\nINSERT INTO r VALUES (5, 'dup');\n${inserts(4000, 1000)}`).then(() => null, (e: unknown) => e);
  assert.equal((err as { code?: string }).code, '23505');
  await s.exec(inserts(4000, 2000));
  const r = await s.query<{ n: number; s: string; last: string }>("SELECT count(*)::int AS n, sum(a)::text AS s, max(b) FILTER (WHERE a = 5999) AS last FROM r");
  assert.deepEqual(r.rows, [{ n: 6000, s: String((5999 * 6000) / 2), last: 'v5999' }]);
  await s.close();
  await db.close();
});
