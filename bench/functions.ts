/**
 * Routine-language throughput: calls per second of a trivial function `f(x int) = x + 1` (and a
 * text one) through each language handler directly, per call and batched (1024 rows per
 * callBatch, as the executor's batches), with a minimal host. For reference it also times the
 * same function as a plain V8 closure and through node:vm (a trusted, unsandboxed engine).
 *
 *   ./node_modules/.bin/node bench/functions.ts [--rows=N] [--no-python]
 */
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import { createNodeEnv } from '../src/env/index.ts';
import { defaultTypeContext } from '../src/types/context.ts';
import { Types, type SqlType } from '../src/types/sql-type.ts';
import type {
  HostPrepared, HostQueryResult, LanguageHandler, RoutineHost, RoutineSource,
} from '../src/scripting/language.ts';
import { javascriptLanguage, typescriptLanguage } from '../src/scripting/js/js-language.ts';

const args = new Map(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k ?? '', v ?? 'true'] as const;
}));
const ROWS = Number(args.get('rows') ?? 1_000_000);
const BATCH = 1024;

const host: RoutineHost = {
  env: createNodeEnv(),
  types: defaultTypeContext,
  query(): HostQueryResult {
    return { command: 'SELECT', rowCount: 0, fields: [], rows: [] };
  },
  prepare(): HostPrepared {
    return { fields: [], paramTypes: [], run: () => this.query('') };
  },
  log() {},
  print() {},
  subtransaction: (fn) => fn(),
  checkInterrupt() {},
};

function source(body: string, argType: SqlType, returnType: SqlType, language: string): RoutineSource {
  return {
    name: 'public.f', language, body, argNames: ['x'], argTypes: [argType], returnType,
    returnsSet: false, outColumns: null, isTrigger: false, isProcedure: false,
    limits: { cpuMillis: 1000, memoryBytes: 64 * 1024 * 1024 },
  };
}

interface Result {
  readonly name: string;
  readonly mode: string;
  readonly callsPerSec: number;
}

const results: Result[] = [];

function time(name: string, mode: string, rows: number, run: (n: number) => void): void {
  run(Math.min(rows, 20_000)); // warm-up (JIT tiers, WASM tier-up)
  const t0 = performance.now();
  run(rows);
  const secs = (performance.now() - t0) / 1000;
  results.push({ name, mode, callsPerSec: rows / secs });
  console.log(`${name.padEnd(28)} ${mode.padEnd(6)} ${Math.round(rows / secs).toLocaleString('en-US').padStart(12)} calls/s`);
}

function measure(name: string, lang: LanguageHandler, body: string, argType: SqlType, returnType: SqlType,
  rows: number, value: (i: number) => unknown): void {
  const f = lang.compile(source(body, argType, returnType, lang.names[0]!));
  time(name, 'call', rows, (n) => {
    const a: unknown[] = [0];
    for (let i = 0; i < n; i++) {
      a[0] = value(i);
      f.call(a, host);
    }
  });
  const batch = Array.from({ length: BATCH }, (_, i) => [value(i)]);
  time(name, 'batch', rows, (n) => {
    for (let done = 0; done < n; done += BATCH) f.callBatch!(batch, host);
  });
  f.dispose();
}

console.log(`routine calls, ${ROWS.toLocaleString('en-US')} rows, batches of ${BATCH}`);
measure('js: x + 1 (int4)', javascriptLanguage, 'return x + 1;', Types.int4, Types.int4, ROWS, (i) => i);
measure('js: upper(text)', javascriptLanguage, 'return x.toUpperCase();', Types.text, Types.text, ROWS / 2, (i) => `v${i & 1023}`);
measure('ts: x + 1 (int4)', typescriptLanguage, 'const y: number = x; return y + 1;', Types.int4, Types.int4, ROWS, (i) => i);

const plain = (x: number): number => x + 1;
time('v8 closure (baseline)', 'call', ROWS, (n) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += plain(i);
  if (s < 0) console.log(s);
});
const ctx = vm.createContext({});
const vmFn = vm.runInContext('(function f(x) { return x + 1; })', ctx) as (x: number) => number;
time('node:vm (unsandboxed)', 'call', ROWS, (n) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += vmFn(i);
  if (s < 0) console.log(s);
});

if (args.get('no-python') !== 'true') {
  const t0 = performance.now();
  const { pythonLanguage } = await import('../src/scripting/python/python-language.ts');
  const warm = pythonLanguage.compile(source('return x', Types.int4, Types.int4, 'python'));
  console.log(`python interpreter start ${Math.round(performance.now() - t0)} ms`);
  warm.dispose();
  measure('python: x + 1 (int4)', pythonLanguage, 'return x + 1', Types.int4, Types.int4, Math.min(ROWS, 200_000), (i) => i);
}

if (args.get('json') === 'true') console.log(JSON.stringify(results));
