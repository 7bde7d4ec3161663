/**
 * Sort: materializes its input, evaluates sort keys once per row, and sorts with a stable
 * comparator honouring ASC/DESC and NULLS FIRST/LAST (PostgreSQL default: NULLS LAST for ASC,
 * NULLS FIRST for DESC). With a LIMIT above it (top-N) only the first `limit` rows are kept.
 */
import type { SortNode } from '../../plan/plan-nodes.ts';
import type { BoundSortKey } from '../../plan/bound-expr.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { drain, RowsOperator, type Operator } from '../operator.ts';

export function sortRows(rows: Row[], keys: readonly BoundSortKey[], ctx: ExecContext, limit = -1): Row[] {
  const evals = keys.map((k) => compileExpr(k.expr));
  const n = keys.length;
  const decorated = new Array<{ row: Row; keys: unknown[]; i: number }>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const kv = new Array<unknown>(n);
    for (let j = 0; j < n; j++) kv[j] = evals[j]!(row, ctx);
    decorated[i] = { row, keys: kv, i };
  }
  const cmps = keys.map((k) => k.cmp);
  const desc = keys.map((k) => k.desc);
  const nullsFirst = keys.map((k) => k.nullsFirst);
  decorated.sort((a, b) => {
    for (let j = 0; j < n; j++) {
      const x = a.keys[j];
      const y = b.keys[j];
      if (x === null || y === null) {
        if (x === y) continue;
        const xFirst = x === null ? -1 : 1;
        return nullsFirst[j] ? xFirst : -xFirst;
      }
      const c = cmps[j]!(x, y);
      if (c !== 0) return desc[j] ? -c : c;
    }
    return a.i - b.i;
  });
  const end = limit >= 0 ? Math.min(limit, decorated.length) : decorated.length;
  const out = new Array<Row>(end);
  for (let i = 0; i < end; i++) out[i] = decorated[i]!.row;
  return out;
}

export class SortOperator implements Operator {
  private readonly node: SortNode;
  private readonly input: Operator;
  private readonly ctx: ExecContext;
  private output: RowsOperator | null = null;

  constructor(node: SortNode, input: Operator, ctx: ExecContext) {
    this.node = node;
    this.input = input;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.output === null) {
      this.output = new RowsOperator(sortRows(drain(this.input), this.node.keys, this.ctx, this.node.limit));
    }
    return this.output.next();
  }

  close(): void {
    this.input.close();
  }
}
