/**
 * `npm run bench`: runs the selected workloads on every selected engine (one child process per
 * engine, one after another, so they never compete for the 2 cores), then prints a table of
 * ops/s or ms per engine and the Oxibase/peer ratio of each workload, writes
 * bench/results/<timestamp>.json and draws bench/results/ratios.svg.
 * Ratios are oriented so that > 1 always means Oxibase is better (faster or smaller).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ENGINES } from './engines/index.ts';
import { parseOptions, sizesFor } from './lib/options.ts';
import type { Options } from './lib/options.ts';
import { buildReport, formatReport } from './lib/report.ts';
import { ratioChartSvg } from './lib/svg-chart.ts';
import type { EngineOutcome } from './worker.ts';

const WORKER = new URL('./worker.ts', import.meta.url).pathname;

function runWorker(options: Options, engine: string, timeoutMs: number): Promise<EngineOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'oxibase-bench-result-'));
  const outPath = join(dir, 'result.json');
  const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', WORKER, JSON.stringify({ ...options, engine }), outPath], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      let outcome: EngineOutcome;
      try {
        outcome = JSON.parse(readFileSync(outPath, 'utf8')) as EngineOutcome;
      } catch {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs / 1000} s` : `worker exited with ${code ?? signal}`;
        outcome = { id: engine, label: engine, unavailable: why, results: {}, failures: {}, peakRssMb: NaN, wallMs: NaN };
      }
      rmSync(dir, { recursive: true, force: true });
      resolve(outcome);
    });
  });
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const engines = ENGINES.filter((e) => options.engines === null || options.engines.includes(e.id));
  if (engines.length === 0) throw new Error('no engine selected');
  const startedAt = new Date();
  const t0 = performance.now();
  process.stderr.write(`oxibase bench: scale ${options.scale}${options.quick ? ' (quick)' : ''}, ` +
    `engines ${engines.map((e) => e.id).join(', ')}\n`);
  const outcomes: EngineOutcome[] = [];
  const timeoutMs = options.quick ? 90_000 : 1_800_000;
  for (const engine of engines) {
    process.stderr.write(`[${outcomes.length + 1}/${engines.length}] ${engine.label}\n`);
    const outcome = await runWorker(options, engine.id, timeoutMs);
    if (outcome.unavailable !== null) process.stderr.write(`  ${engine.id}: n/a (${outcome.unavailable})\n`);
    outcomes.push(outcome);
  }
  const report = buildReport(outcomes);
  const cpu = cpus();
  const json = {
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', totalMemGb: totalmem() / 2 ** 30, node: process.version, platform: `${process.platform}-${process.arch}` },
    options,
    sizes: sizesFor(options),
    engines: outcomes,
    ratios: report.ratios,
  };
  mkdirSync(options.outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonPath = join(options.outDir, `${stamp}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  const svgPath = join(options.outDir, 'ratios.svg');
  writeFileSync(svgPath, ratioChartSvg(report, `Oxibase / peer (> 1: Oxibase ahead) — scale ${options.scale}, ${startedAt.toISOString().slice(0, 10)}`));
  process.stdout.write(formatReport(report));
  process.stdout.write(`\nwrote ${jsonPath} and ${svgPath} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

await main();
