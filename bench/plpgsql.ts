/**
 * `node bench/plpgsql.ts [calls]`: calls/s of PL/pgSQL functions invoked directly through the
 * language handler (no SQL statement around the call), over the session-backed test host:
 *   trivial    BEGIN RETURN x + 1; END
 *   loop       a 100-iteration FOR loop with an IF and assignments per call
 *   query      SELECT ... INTO from a 1,000-row table by primary key
 *   trigger    a BEFORE UPDATE row trigger comparing NEW and OLD and bumping NEW.version
 * Prints one line per function; the first 10% of calls warm up and are not timed.
 */
import { performance } from 'node:perf_hooks';
import { SessionHost, compile } from '../test/plpgsql/session-host.ts';
import { Types } from '../src/types/sql-type.ts';

const calls = Number(process.argv[2] ?? 1_000_000);
const host = await SessionHost.open(`CREATE TABLE kv (k int PRIMARY KEY, v text);
INSERT INTO kv SELECT g, 'v' || g FROM generate_series(1, 1000) g;
CREATE TABLE doc (id int PRIMARY KEY, body text, version int)`);

const cases: { name: string; calls: number; fn: { call(args: readonly unknown[], h: typeof host): unknown } }[] = [
  {
    name: 'trivial (RETURN x + 1)', calls,
    fn: compile('BEGIN RETURN x + 1; END', { argNames: ['x'], argTypes: [Types.int4], returnType: Types.int4 }),
  },
  {
    name: 'loop (100 iterations, IF + assignments)', calls: Math.max(1, Math.floor(calls / 100)),
    fn: compile(`DECLARE s int := 0; BEGIN
  FOR i IN 1..100 LOOP
    IF i % 3 = 0 THEN s := s + i; ELSE s := s - 1; END IF;
  END LOOP;
  RETURN s + x;
END`, { argNames: ['x'], argTypes: [Types.int4], returnType: Types.int4 }),
  },
  {
    name: 'query (SELECT INTO by key)', calls: Math.max(1, Math.floor(calls / 10)),
    fn: compile('DECLARE r text; BEGIN SELECT v INTO r FROM kv WHERE k = x; RETURN r; END',
      { argNames: ['x'], argTypes: [Types.int4], returnType: Types.text }),
  },
];

// A BEFORE UPDATE trigger in the style of an updated_at / version-counter trigger.
const trigger = compile(`BEGIN
  IF NEW IS DISTINCT FROM OLD THEN NEW.version := NEW.version + 1; END IF;
  RETURN NEW;
END`, { isTrigger: true });
const columns = host.query('SELECT * FROM doc LIMIT 0').fields;
const oldRow = [1, 'old', 1];
const newRow = [1, 'new', 1];
const event = {
  name: 'bump', when: 'BEFORE' as const, level: 'ROW' as const, op: 'UPDATE' as const, tableSchema: 'public',
  tableName: 'doc', columns, oldRow, newRow, args: [],
};
cases.push({
  name: 'trigger (NEW IS DISTINCT FROM OLD, NEW.x := )', calls: Math.max(1, Math.floor(calls / 10)),
  fn: { call: () => trigger.callTrigger!(event, host) },
});

for (const c of cases) {
  const warm = Math.floor(c.calls / 10);
  const args = [0];
  for (let i = 0; i < warm; i++) {
    args[0] = (i % 1000) + 1;
    c.fn.call(args, host);
  }
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < c.calls; i++) {
    args[0] = (i % 1000) + 1;
    if (c.fn.call(args, host) !== null) sink++;
  }
  const ms = performance.now() - t0;
  const perSec = Math.round(c.calls / (ms / 1000));
  console.log(`${c.name.padEnd(42)} ${String(c.calls).padStart(9)} calls  ${ms.toFixed(0).padStart(7)} ms  ${perSec.toLocaleString('en-US').padStart(12)} calls/s  (${sink})`);
}
