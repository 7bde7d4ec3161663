/**
 * Timing helpers: warm-up, then timed rounds measured with performance.now(); the reported value
 * is the median round. A time budget stops the rounds early on slow engines (at least one timed
 * round always runs), so one slow peer cannot stall the whole run.
 */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface RoundsPlan {
  /** Timed rounds wanted (fewer when the budget runs out). */
  readonly rounds: number;
  /** Operations (or query runs) discarded before timing, at most (see warmupMs). */
  readonly warmup: number;
  /** Warm-up also ends once it has taken this many milliseconds (0: no time limit). */
  readonly warmupMs: number;
  /** Stop starting new rounds after this many milliseconds of timed work. */
  readonly budgetMs: number;
}

/**
 * Times `opsPerRound` calls of `op(i)` per round; returns the median throughput in ops/s.
 * `i` counts every call (warm-up included) so callers can pick distinct keys.
 */
export async function measureOps(plan: RoundsPlan, opsPerRound: number, op: (i: number) => Promise<unknown>): Promise<{ opsPerSec: number; rounds: number }> {
  let i = 0;
  const warmEnd = plan.warmupMs > 0 ? performance.now() + plan.warmupMs : Infinity;
  for (let w = 0; w < plan.warmup; w++) {
    await op(i++);
    if ((w & 255) === 255 && performance.now() > warmEnd) break;
  }
  const rates: number[] = [];
  let spentMs = 0;
  while (rates.length < plan.rounds && (rates.length === 0 || spentMs < plan.budgetMs)) {
    const t0 = performance.now();
    for (let n = 0; n < opsPerRound; n++) await op(i++);
    const ms = performance.now() - t0;
    spentMs += ms;
    rates.push((opsPerRound * 1000) / Math.max(ms, 1e-6));
  }
  return { opsPerSec: median(rates), rounds: rates.length };
}

/** Times whole runs of `fn` (one query, one batch); returns the median milliseconds per run. */
export async function measureRuns(plan: RoundsPlan, fn: (i: number) => Promise<unknown>): Promise<{ ms: number; rounds: number }> {
  let i = 0;
  for (let w = 0; w < plan.warmup; w++) await fn(i++);
  const times: number[] = [];
  let spentMs = 0;
  while (times.length < plan.rounds && (times.length === 0 || spentMs < plan.budgetMs)) {
    const t0 = performance.now();
    await fn(i++);
    const ms = performance.now() - t0;
    spentMs += ms;
    times.push(ms);
  }
  return { ms: median(times), rounds: times.length };
}
