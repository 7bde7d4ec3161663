/**
 * What a workload is and what it reports. A workload runs on one engine at a time inside that
 * engine's worker process, builds (or reuses) the data sets it needs through `ctx.data`, and
 * returns one or more measurements. Every measurement says which direction is better, so the
 * harness can turn it into an "Oxibase / peer" ratio where > 1 always means Oxibase is ahead.
 */
import type { Dialect, Engine } from '../engines/engine.ts';
import type { RoundsPlan } from '../lib/timing.ts';
import type { DataSets } from './datasets.ts';

export type Unit = 'ops/s' | 'ms' | 'bytes/row' | 'MB';

export interface Measurement {
  /** Result key, unique in a run: usually the workload id; speedtest yields one per test. */
  readonly key: string;
  readonly title: string;
  readonly unit: Unit;
  readonly value: number;
  /** Timed rounds behind the median (1 for one-shot measurements). */
  readonly rounds: number;
}

/** Sizes at the chosen --scale (scale 1 = the sizes). */
export interface Sizes {
  readonly scale: number;
  /** Rows in `big` (1M at scale 1): group by, order by, count, full scan, join, memory. */
  readonly bigRows: number;
  /** Rows in `dim` (100k): the join's small side and the window workload. */
  readonly dimRows: number;
  /** Rows in `items` (100k): point selects, range scans, updates. */
  readonly itemRows: number;
  /** Rows in `lineitem` for the TPC-H-like queries. */
  readonly lineitemRows: number;
  /** Rows per batch in batch_insert (10k). */
  readonly batchRows: number;
  /** Multiplier for the speedtest's statement counts (1 = 25000-row tests). */
  readonly speedtestFactor: number;
  /** Operations per timed round for single-row workloads. */
  readonly opsPerRound: number;
}

export interface WorkloadContext {
  readonly engine: Engine;
  readonly dialect: Dialect;
  readonly sizes: Sizes;
  readonly data: DataSets;
  /** Rounds for cheap single-row workloads and for whole queries. */
  readonly opsPlan: RoundsPlan;
  readonly queryPlan: RoundsPlan;
  progress(message: string): void;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** Returns a reason when the engine cannot run this workload (reported as n/a). */
  unsupported?(dialect: Dialect): string | null;
  run(ctx: WorkloadContext): Promise<Measurement[]>;
}

/** Picks the SQL text for a dialect, falling back to the PostgreSQL text. */
export function pick(dialect: Dialect, texts: { postgres: string } & Partial<Record<Dialect, string>>): string {
  return texts[dialect] ?? texts.postgres;
}
