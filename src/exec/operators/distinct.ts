/**
 * DISTINCT (whole-row) and DISTINCT ON (first row per key, input already sorted by the planner).
 * Uses the types' hash keys, so values that are equal in SQL (1.0 and 1.00) collapse.
 */
import type { DistinctNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { compileExpr, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import type { Operator } from '../operator.ts';

export function rowKeyFunction(parts: ((v: unknown) => unknown)[]): (vals: readonly unknown[]) => string {
  return (vals) => {
    let key = '';
    for (let i = 0; i < parts.length; i++) {
      const v = vals[i];
      if (v === null || v === undefined) { key += 'N;'; continue; }
      const k = parts[i]!(v);
      const s = typeof k === 'string' ? k : `${typeof k}:${String(k)}`;
      key += `${s.length}:${s};`;
    }
    return key;
  };
}

export class DistinctOperator implements Operator {
  private readonly input: Operator;
  private readonly ctx: ExecContext;
  private readonly on: Evaluator[] | null;
  private readonly key: (vals: readonly unknown[]) => string;
  private readonly seen = new Set<string>();

  constructor(node: DistinctNode, input: Operator, ctx: ExecContext) {
    this.input = input;
    this.ctx = ctx;
    this.on = node.on ? node.on.map(compileExpr) : null;
    this.key = rowKeyFunction(node.keyTypes.map((t) => hashKeyFor(t) as (v: unknown) => unknown));
  }

  next(): Row[] | null {
    for (;;) {
      const batch = this.input.next();
      if (batch === null) return null;
      const out: Row[] = [];
      for (const row of batch) {
        const vals = this.on ? this.on.map((e) => e(row, this.ctx)) : row;
        const k = this.key(vals);
        if (this.seen.has(k)) continue;
        this.seen.add(k);
        out.push(row);
      }
      if (out.length > 0) return out;
    }
  }

  close(): void {
    this.input.close();
  }
}
