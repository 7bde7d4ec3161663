/**
 * The benchmark harness runs end to end: `bench/run.ts --quick` at a tiny scale on Oxibase and
 * one fast peer (SQLite) must produce a JSON result with a positive number for every engine ×
 * workload. Speeds are never asserted — only that the harness measures something everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS } from '../../bench/workloads/index.ts';

interface Outcome {
  id: string;
  unavailable: string | null;
  results: Record<string, { value: number; unit: string }>;
  failures: Record<string, string>;
  peakRssMb: number;
}

test('bench --quick runs every workload on oxibase and sqlite', { timeout: 180_000 }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'oxibase-bench-test-'));
  try {
    const run = spawnSync(process.execPath, ['bench/run.ts', '--quick', '--scale', '0.001', '--engines', 'oxibase,sqlite', '--out', outDir], {
      encoding: 'utf8',
      timeout: 170_000,
    });
    assert.equal(run.status, 0, `harness failed:\n${run.stderr}\n${run.stdout}`);
    assert.match(run.stdout, /Ratio oxibase \/ peer/);
    const files = readdirSync(outDir);
    assert.ok(files.includes('ratios.svg'), 'chart written');
    assert.match(readFileSync(join(outDir, 'ratios.svg'), 'utf8'), /^<svg/);
    const jsonName = files.find((f) => f.endsWith('.json'));
    assert.ok(jsonName !== undefined, 'JSON written');
    const json = JSON.parse(readFileSync(join(outDir, jsonName), 'utf8')) as { engines: Outcome[]; ratios: Record<string, Record<string, number>> };
    assert.deepEqual(json.engines.map((e) => e.id), ['oxibase', 'sqlite']);
    for (const engine of json.engines) {
      assert.equal(engine.unavailable, null, `${engine.id} unavailable`);
      assert.deepEqual(engine.failures, {}, `${engine.id} failures`);
      assert.ok(engine.peakRssMb > 0, `${engine.id} peak RSS`);
      for (const workload of WORKLOADS) {
        const keys = Object.keys(engine.results).filter((k) => k === workload.id || k.startsWith(`${workload.id}_`));
        assert.ok(keys.length > 0, `${engine.id} has a result for ${workload.id}`);
        for (const key of keys) {
          const value = engine.results[key]?.value;
          // A small load may grow the resident set by nothing the OS reports (it reuses pages).
          const least = key === 'memory_rss_per_row' ? 0 : Number.MIN_VALUE;
          assert.ok(typeof value === 'number' && Number.isFinite(value) && value >= least, `${engine.id}.${key} = ${value}`);
        }
      }
    }
    assert.ok(Object.keys(json.ratios.sqlite ?? {}).length >= WORKLOADS.length, 'ratios against the peer');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
