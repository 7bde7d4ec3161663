/**
 * Set-returning function in FROM (generate_series, unnest, json_each ...): evaluates the
 * arguments (which may reference LATERAL outer rows) and streams the function's rows, adding an
 * ordinality column when WITH ORDINALITY is used.
 */
import type { FunctionScanNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { evaluateOnce } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { PENDING } from '../interrupts.ts';

export class FunctionScanOperator implements Operator {
  private readonly node: FunctionScanNode;
  private readonly ctx: ExecContext;
  private iter: Iterator<unknown[]> | null = null;
  private ordinal = 0;
  private done = false;

  constructor(node: FunctionScanNode, ctx: ExecContext) {
    this.node = node;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.done) return null;
    if (this.iter === null) {
      const args = this.node.args.map((a) => evaluateOnce(a, this.ctx));
      if (this.node.fn.strict && args.some((a) => a === null)) { this.done = true; return null; }
      this.iter = this.node.fn.rows(args, this.ctx, this.node.argTypes)[Symbol.iterator]();
    }
    const ix = this.ctx.interrupts;
    if (ix.takeYield()) return PENDING;
    const out: Row[] = [];
    while (out.length < BATCH_ROWS) {
      if (ix.tickDue() && out.length === 0 && ix.takeYield()) return PENDING;
      const r = this.iter.next();
      if (r.done) { this.done = true; break; }
      const row = r.value;
      out.push(this.node.ordinality ? [...row, ++this.ordinal] : row);
    }
    return out.length > 0 ? out : null;
  }

  close(): void {
    this.done = true;
  }
}
