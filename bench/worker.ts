/**
 * Runs every selected workload on ONE engine, in its own process (started by run.ts with
 * --expose-gc), so engines do not share a heap and peak RSS is per engine. Progress goes to
 * stderr; the result JSON is written to the path given as the second argument.
 * Usage: node --expose-gc bench/worker.ts <options-json> <result-path>
 */
import { writeFileSync } from 'node:fs';
import { ENGINES } from './engines/index.ts';
import { plansFor, sizesFor } from './lib/options.ts';
import type { Options } from './lib/options.ts';
import { DataSets } from './workloads/datasets.ts';
import { WORKLOADS } from './workloads/index.ts';
import type { Measurement, WorkloadContext } from './workloads/workload.ts';

export interface EngineOutcome {
  readonly id: string;
  readonly label: string;
  /** Null when the engine ran; otherwise why it could not. */
  readonly unavailable: string | null;
  readonly results: Record<string, Measurement>;
  /** Workload id -> error or 'n/a: reason'. */
  readonly failures: Record<string, string>;
  readonly peakRssMb: number;
  readonly wallMs: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options & { engine: string };
  const outPath = process.argv[3] as string;
  const factory = ENGINES.find((e) => e.id === options.engine);
  if (factory === undefined) throw new Error(`unknown engine ${options.engine}`);
  const t0 = performance.now();
  const opened = await factory.open();
  const results: Record<string, Measurement> = {};
  const failures: Record<string, string> = {};
  let label = factory.label;
  let unavailable: string | null = null;
  if (typeof opened === 'string') {
    unavailable = opened;
  } else {
    label = opened.label;
    const sizes = sizesFor(options);
    const ctx: WorkloadContext = {
      engine: opened,
      dialect: opened.dialect,
      sizes,
      data: new DataSets(opened, opened.dialect, sizes),
      ...plansFor(options),
      progress: (message) => process.stderr.write(`  ${factory.id.padEnd(12)} ${message}\n`),
    };
    for (const workload of WORKLOADS) {
      if (options.workloads !== null && !options.workloads.includes(workload.id)) continue;
      const reason = workload.unsupported?.(opened.dialect) ?? null;
      if (reason !== null) {
        failures[workload.id] = `n/a: ${reason}`;
        continue;
      }
      const w0 = performance.now();
      ctx.progress(`${workload.id} ...`);
      try {
        for (const m of await workload.run(ctx)) results[m.key] = m;
        ctx.progress(`${workload.id} done in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
      } catch (err) {
        failures[workload.id] = (err as Error).message.split('\n')[0]?.slice(0, 200) ?? 'error';
        ctx.progress(`${workload.id} FAILED: ${failures[workload.id]}`);
      }
    }
    await opened.close();
  }
  const outcome: EngineOutcome = {
    id: factory.id,
    label,
    unavailable,
    results,
    failures,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    wallMs: performance.now() - t0,
  };
  writeFileSync(outPath, JSON.stringify(outcome));
}

await main();
