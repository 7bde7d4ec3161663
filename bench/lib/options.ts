/**
 * Command-line options of `npm run bench` and the sizes and round plans they imply.
 *   --quick            small sizes and few rounds (target: the whole run under 2 minutes)
 *   --scale X          multiply every size (scale 1 = 1M-row tables; --quick defaults to 0.05)
 *   --engines a,b      only these engine ids (oxibase, oxibase-disk, sqlite, duckdb, pglite, alasql, sqljs)
 *   --workloads a,b    only these workload ids (see docs/benchmarks.md)
 *   --out DIR          where JSON and the SVG chart go (default bench/results)
 */
import type { RoundsPlan } from './timing.ts';
import type { Sizes } from '../workloads/workload.ts';

export interface Options {
  readonly quick: boolean;
  readonly scale: number;
  readonly engines: readonly string[] | null;
  readonly workloads: readonly string[] | null;
  readonly outDir: string;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function parseOptions(argv: readonly string[]): Options {
  let quick = false;
  let scale: number | null = null;
  let engines: string[] | null = null;
  let workloads: string[] | null = null;
  let outDir = 'bench/results';
  for (let argIdx = 0; argIdx < argv.length; argIdx++) {
    const arg = argv[argIdx] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++argIdx];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--quick') quick = true;
    else if (flag === '--scale') scale = Number(value());
    else if (flag === '--engines') engines = list(value());
    else if (flag === '--workloads') workloads = list(value());
    else if (flag === '--out') outDir = value();
    else if (flag === '--help' || flag === '-h') throw new Error('usage: node bench/run.ts [--quick] [--scale X] [--engines a,b] [--workloads a,b] [--out DIR]');
    else throw new Error(`unknown option ${arg}`);
  }
  const finalScale = scale ?? (quick ? 0.05 : 1);
  if (!(finalScale > 0)) throw new Error('--scale must be a positive number');
  return { quick, scale: finalScale, engines, workloads, outDir };
}

export function sizesFor(options: Options): Sizes {
  const s = options.scale;
  const at = (base: number, min: number): number => Math.max(min, Math.round(base * s));
  return {
    scale: s,
    bigRows: at(1_000_000, 100),
    dimRows: at(100_000, 50),
    itemRows: at(100_000, 200),
    lineitemRows: at(300_000, 100),
    batchRows: Math.min(10_000, at(200_000, 100)),
    speedtestFactor: s,
    opsPerRound: options.quick ? Math.min(1000, at(20_000, 50)) : 5000,
  };
}

/**
 * Warm-up is tens of thousands of operations (or 2 s, whichever ends first), not a handful:
 * engines written in JavaScript (Oxibase, AlaSQL) reach steady state only after V8 has optimized
 * their hot paths, which takes far more than 5,000 calls of a deep statement path, and the
 * benchmark compares steady-state throughput. Native engines are at steady state at once; slow
 * engines stop warming at the time limit.
 */
export function plansFor(options: Options): { opsPlan: RoundsPlan; queryPlan: RoundsPlan } {
  if (options.quick) {
    return {
      opsPlan: { rounds: 3, warmup: 5000, warmupMs: 500, budgetMs: 400 },
      queryPlan: { rounds: 3, warmup: 1, warmupMs: 0, budgetMs: 600 },
    };
  }
  return {
    opsPlan: { rounds: 5, warmup: 30_000, warmupMs: 2000, budgetMs: 3000 },
    queryPlan: { rounds: 5, warmup: 1, warmupMs: 0, budgetMs: 4000 },
  };
}
