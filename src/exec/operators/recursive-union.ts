/**
 * WITH RECURSIVE evaluation (PostgreSQL's RecursiveUnion): the working table starts as the
 * non-recursive term's rows; each iteration runs the recursive term over it and keeps the rows
 * not seen before (UNION) or all rows (UNION ALL). The iteration count is bounded by the session
 * setting `max_recursive_iterations` so an endless recursion ends with a clear error.
 */
import { DbError } from '../../errors/index.ts';
import type { RecursiveUnionNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { Limits } from '../../limits.ts';
import type { ExecContext } from '../exec-context.ts';
import { executeAll } from '../executor.ts';
import { rowKeyFunction } from './distinct.ts';

export function runRecursiveUnion(node: RecursiveUnionNode, ctx: ExecContext): Row[] {
  const key = rowKeyFunction(node.columns.map((c) => hashKeyFor(c.type) as (v: unknown) => unknown));
  const seen = new Set<string>();
  const keep = (rows: Row[]): Row[] => {
    if (node.all) return rows;
    const out: Row[] = [];
    for (const r of rows) {
      const k = key(r);
      if (!seen.has(k)) { seen.add(k); out.push(r); }
    }
    return out;
  };
  const limitSetting = Number(ctx.setting('max_recursive_iterations') ?? Limits.recursionIterationsDefault);
  const limit = Number.isFinite(limitSetting) && limitSetting > 0 ? limitSetting : Limits.recursionIterationsDefault;
  const result: Row[] = [];
  let working = keep(executeAll(node.base, ctx));
  for (const r of working) result.push(r);
  let iterations = 0;
  const saved = ctx.materialized.get(node.workId);
  try {
    while (working.length > 0) {
      ctx.interrupts.poll();
      if (++iterations > limit) {
        throw new DbError('statement_too_complex',
          `recursive query exceeded ${limit} iterations`,
          { hint: 'The recursion may not terminate; check its stop condition or raise max_recursive_iterations.' });
      }
      ctx.materialized.set(node.workId, working);
      working = keep(executeAll(node.recursive, ctx));
      for (const r of working) result.push(r);
    }
  } finally {
    if (saved === undefined) ctx.materialized.delete(node.workId);
    else ctx.materialized.set(node.workId, saved);
  }
  return result;
}
