/**
 * `node bench/routines.ts [--rows N] [--quick]`: the cost of logic inside the database.
 *
 *   calls/s   `SELECT sum(f(x)) FROM t` over N rows for a trivial function (`x + 1`) written in
 *             JavaScript, TypeScript, Python, PL/pgSQL and SQL, next to the same expression inline
 *             (the engine's own cost for the scan and the sum);
 *   per row   the extra time per inserted row of a BEFORE INSERT row trigger that sets a column,
 *             in PL/pgSQL and in JavaScript, against the same INSERT ... SELECT without trigger.
 *
 * Each measurement is the median of 3 runs after one warm-up run; prints a table and writes
 * bench/results/routines-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Oxibase } from '../src/index.ts';

interface Row {
  readonly what: string;
  readonly rows: number;
  readonly ms: number;
  readonly value: number;
  readonly unit: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const N = Number(arg('--rows') ?? (quick ? 100_000 : 1_000_000));
// Python crosses into WebAssembly per call: measure it on fewer rows (the rate is what counts).
const PY_ROWS = Math.min(N, quick ? 20_000 : 200_000);
const TRIGGER_ROWS = quick ? 20_000 : 200_000;

async function median(times: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

const FUNCTIONS: readonly { name: string; language: string; ddl: string }[] = [
  { name: 'f_js', language: 'JavaScript', ddl: `CREATE FUNCTION f_js(x int) RETURNS int AS 'return x + 1;'` },
  { name: 'f_ts', language: 'TypeScript', ddl: `CREATE FUNCTION f_ts(x int) RETURNS int LANGUAGE typescript AS 'const y: number = x; return y + 1;'` },
  { name: 'f_py', language: 'Python', ddl: `CREATE FUNCTION f_py(x int) RETURNS int LANGUAGE python AS 'return x + 1'` },
  { name: 'f_pl', language: 'PL/pgSQL', ddl: `CREATE FUNCTION f_pl(x int) RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN x + 1; END'` },
  { name: 'f_sql', language: 'SQL', ddl: `CREATE FUNCTION f_sql(x int) RETURNS int LANGUAGE sql AS 'SELECT x + 1'` },
];

async function main(): Promise<void> {
  const db = await Oxibase.open('memory://');
  const out: Row[] = [];
  const report = (r: Row): void => {
    out.push(r);
    process.stderr.write(`  ${r.what}: ${r.value.toFixed(r.unit === 'calls/s' ? 0 : 3)} ${r.unit}\n`);
  };
  await db.exec(`CREATE TABLE t (x int)`);
  await db.exec(`INSERT INTO t SELECT g FROM generate_series(1, ${N}) g`);
  await db.exec(`CREATE TABLE t_py (x int)`);
  await db.exec(`INSERT INTO t_py SELECT g FROM generate_series(1, ${PY_ROWS}) g`);

  const inline = await median(3, async () => { await db.query('SELECT sum(x + 1) FROM t'); });
  report({ what: 'inline x + 1 (baseline)', rows: N, ms: inline, value: (N / inline) * 1000, unit: 'calls/s' });
  for (const f of FUNCTIONS) {
    try {
      await db.exec(f.ddl);
      const table = f.name === 'f_py' ? 't_py' : 't';
      const rows = f.name === 'f_py' ? PY_ROWS : N;
      const ms = await median(3, async () => { await db.query(`SELECT sum(${f.name}(x)) FROM ${table}`); });
      report({ what: `${f.language} f(x)`, rows, ms, value: (rows / ms) * 1000, unit: 'calls/s' });
    } catch (e) {
      process.stderr.write(`  ${f.language}: failed: ${(e as Error).message}\n`);
    }
  }

  // Trigger cost per inserted row.
  await db.exec(`CREATE TABLE tr (x int, note text)`);
  const insert = async (): Promise<void> => {
    await db.exec('TRUNCATE tr');
    await db.exec(`INSERT INTO tr (x) SELECT g FROM generate_series(1, ${TRIGGER_ROWS}) g`);
  };
  const plain = await median(3, insert);
  report({ what: 'INSERT without trigger', rows: TRIGGER_ROWS, ms: plain, value: (plain * 1000) / TRIGGER_ROWS, unit: 'µs/row' });
  const triggers: readonly { what: string; fn: string }[] = [
    { what: 'PL/pgSQL BEFORE INSERT row trigger', fn: `CREATE FUNCTION tg_pl() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := 'x'; RETURN NEW; END $$` },
    { what: 'JavaScript BEFORE INSERT row trigger', fn: `CREATE FUNCTION tg_js() RETURNS trigger LANGUAGE js AS $$ NEW.note = 'x'; return NEW; $$` },
  ];
  for (const t of triggers) {
    const name = t.fn.includes('tg_pl') ? 'tg_pl' : 'tg_js';
    try {
      await db.exec(t.fn);
      await db.exec(`CREATE TRIGGER ${name}_t BEFORE INSERT ON tr FOR EACH ROW EXECUTE FUNCTION ${name}()`);
      const ms = await median(3, insert);
      report({ what: `${t.what} (extra per row)`, rows: TRIGGER_ROWS, ms, value: ((ms - plain) * 1000) / TRIGGER_ROWS, unit: 'µs/row' });
      await db.exec(`DROP TRIGGER ${name}_t ON tr`);
    } catch (e) {
      process.stderr.write(`  ${t.what}: failed: ${(e as Error).message}\n`);
    }
  }
  await db.close();

  console.log('\n| Measurement | Rows | Median ms | Value |\n|---|---:|---:|---:|');
  for (const r of out) console.log(`| ${r.what} | ${r.rows} | ${r.ms.toFixed(1)} | ${r.value.toFixed(r.unit === 'calls/s' ? 0 : 3)} ${r.unit} |`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/routines-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ rows: N, pythonRows: PY_ROWS, triggerRows: TRIGGER_ROWS, results: out }, null, 2));
  console.log(`\nwrote ${file}`);
}

await main();
