/**
 * SQLite's classic speedtest as PGlite's benchmark suite ports it (tests 1-16 plus its 2.1 and
 * 3.1 variants that insert every row with one multi-row INSERT). Each test is a generated SQL
 * script run through the engine's multi-statement `exec`, in order, since each test works on the
 * tables the previous ones left. Row counts scale with --scale; values come from a seeded PRNG and
 * are spelled with numberName like the original. AlaSQL runs the scripts without BEGIN/COMMIT (it
 * has no transactions).
 *
 * PGlite's suite times each test once. A test of 20 ms then swings by a third between runs on a
 * busy machine, which is more than most of the differences measured, so the whole sequence (test
 * 16 drops every table the others made) runs again while its time budget lasts, and each test
 * reports its median over the sequences run: several for the fast engines, one for those whose
 * single sequence takes longer than the budget (AlaSQL, DuckDB).
 */
import type { Dialect } from '../engines/engine.ts';
import { numberName, Prng } from '../lib/prng.ts';
import { median } from '../lib/timing.ts';
import type { Measurement, Workload, WorkloadContext } from './workload.ts';

interface SpeedTest {
  readonly key: string;
  readonly title: string;
  readonly script: string;
}

const TABLE = '(a INTEGER, b INTEGER, c VARCHAR(100))';

function row(prng: Prng, a: number, max: number): string {
  const r = prng.int(0, max - 1);
  return `(${a}, ${r}, '${numberName(r)}')`;
}

function singleInserts(prng: Prng, table: string, n: number, max: number): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(`INSERT INTO ${table} VALUES ${row(prng, i, max)};`);
  return out;
}

function multiRowInsert(prng: Prng, table: string, n: number, max: number): string {
  const values: string[] = [];
  for (let i = 1; i <= n; i++) values.push(row(prng, i, max));
  return `INSERT INTO ${table} VALUES ${values.join(',\n')};`;
}

/** Builds the 18 scripts for a given size factor (1 = the original counts). */
export function speedtestScripts(factor: number, dialect: Dialect): SpeedTest[] {
  const n = (base: number): number => Math.max(10, Math.round(base * factor));
  const prng = new Prng(1);
  const txn = (lines: string[]): string => (dialect === 'alasql' ? lines : ['BEGIN;', ...lines, 'COMMIT;']).join('\n');
  const big = n(25000);
  const tests: [string, string, string][] = [];
  const add = (id: string, title: string, script: string): void => void tests.push([id, title, script]);
  add('01', `${n(1000)} INSERTs`, [`CREATE TABLE t1${TABLE};`, ...singleInserts(prng, 't1', n(1000), 100000)].join('\n'));
  add('02', `${big} INSERTs in a transaction`, txn([`CREATE TABLE t2${TABLE};`, ...singleInserts(prng, 't2', big, 500000)]));
  add('02_1', `${big} INSERTs in a single statement`, txn([`CREATE TABLE t2_1${TABLE};`, multiRowInsert(prng, 't2_1', big, 500000)]));
  add('03', `${big} INSERTs into an indexed table`, txn([`CREATE TABLE t3${TABLE};`, 'CREATE INDEX i3 ON t3(c);', ...singleInserts(prng, 't3', big, 500000)]));
  add('03_1', `${big} INSERTs into an indexed table in a single statement`,
    txn([`CREATE TABLE t3_1${TABLE};`, 'CREATE INDEX i3_1 ON t3_1(c);', multiRowInsert(prng, 't3_1', big, 500000)]));
  const sel4: string[] = [];
  for (let i = 0; i < 100; i++) sel4.push(`SELECT count(*), avg(b) FROM t2 WHERE b>=${i * 100} AND b<${(i + 10) * 100};`);
  add('04', '100 SELECTs without an index', sel4.join('\n'));
  const sel5: string[] = [];
  for (let i = 1; i <= 100; i++) sel5.push(`SELECT count(*), avg(b) FROM t2 WHERE c LIKE '%${numberName(i)}%';`);
  add('05', '100 SELECTs on a string comparison', sel5.join('\n'));
  add('06', 'Creating an index', 'CREATE INDEX i2a ON t2(a);\nCREATE INDEX i2b ON t2(b);');
  const sel7: string[] = [];
  for (let i = 0; i < n(5000); i++) sel7.push(`SELECT count(*), avg(b) FROM t2 WHERE b>=${i * 100} AND b<${(i + 1) * 100};`);
  add('07', `${n(5000)} SELECTs with an index`, sel7.join('\n'));
  const upd8: string[] = [];
  for (let i = 0; i < n(1000); i++) upd8.push(`UPDATE t1 SET b=b*2 WHERE a>=${i * 10} AND a<${(i + 1) * 10};`);
  add('08', `${n(1000)} UPDATEs without an index`, txn(upd8));
  const upd9: string[] = [];
  for (let i = 1; i <= big; i++) upd9.push(`UPDATE t2 SET b=${prng.int(0, 499999)} WHERE a=${i};`);
  add('09', `${big} UPDATEs with an index`, txn(upd9));
  const upd10: string[] = [];
  for (let i = 1; i <= big; i++) upd10.push(`UPDATE t2 SET c='${numberName(prng.int(0, 499999))}' WHERE a=${i};`);
  add('10', `${big} text UPDATEs with an index`, txn(upd10));
  add('11', 'INSERTs from a SELECT', txn(['INSERT INTO t1 SELECT b,a,c FROM t2;', 'INSERT INTO t2 SELECT b,a,c FROM t1;']));
  add('12', 'DELETE without an index', "DELETE FROM t2 WHERE c LIKE '%fifty%';");
  add('13', 'DELETE with an index', `DELETE FROM t2 WHERE a>10 AND a<${n(20000)};`);
  add('14', 'A big INSERT after a big DELETE', 'INSERT INTO t2 SELECT * FROM t1;');
  add('15', 'A big DELETE followed by many small INSERTs', txn(['DELETE FROM t1;', ...singleInserts(prng, 't1', n(3000), 100000)]));
  add('16', 'DROP TABLE', ['t1', 't2', 't2_1', 't3', 't3_1'].map((t) => `DROP TABLE ${t};`).join('\n'));
  return tests.map(([id, title, script]) => ({ key: `speedtest_${id}`, title: `Speedtest ${id.replace('_', '.')}: ${title}`, script }));
}

export const speedtest: Workload = {
  id: 'speedtest',
  title: "SQLite's speedtest (PGlite's port, 16 tests + 2.1/3.1)",
  async run(ctx: WorkloadContext): Promise<Measurement[]> {
    const tests = speedtestScripts(ctx.sizes.speedtestFactor, ctx.dialect);
    const times: number[][] = tests.map(() => []);
    // A sequence is a round: the query plan's round count, with four times its budget (a
    // sequence is eighteen queries' worth of work).
    const plan = ctx.queryPlan;
    let spentMs = 0;
    for (let round = 0; round < plan.rounds && (round === 0 || spentMs < plan.budgetMs * 4); round++) {
      for (let i = 0; i < tests.length; i++) {
        const test = tests[i]!;
        ctx.progress(round === 0 ? test.key : `${test.key} (sequence ${round + 1})`);
        const t0 = performance.now();
        await ctx.engine.exec(test.script);
        const ms = performance.now() - t0;
        spentMs += ms;
        times[i]!.push(ms);
      }
    }
    return tests.map((test, i) => ({ key: test.key, title: test.title, unit: 'ms', value: median(times[i]!), rounds: times[i]!.length }));
  },
};
