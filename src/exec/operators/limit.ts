/**
 * LIMIT / OFFSET / FETCH FIRST ... WITH TIES. Stops pulling from its input as soon as the limit is
 * reached, so `ORDER BY ... LIMIT` and plain `LIMIT` do not read more than needed.
 */
import { DbError } from '../../errors/index.ts';
import type { LimitNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr, evaluateOnce, type Evaluator } from '../compile-expr.ts';
import { PENDING } from '../interrupts.ts';
import type { ExecContext } from '../exec-context.ts';
import type { Operator } from '../operator.ts';

function toCount(v: unknown, what: 'LIMIT' | 'OFFSET'): number {
  if (v === null) return what === 'LIMIT' ? Infinity : 0;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  if (n < 0) {
    throw new DbError(what === 'LIMIT' ? 'invalid_row_count_in_limit_clause' : 'invalid_row_count_in_result_offset_clause',
      `${what} must not be negative`);
  }
  return Math.floor(n);
}

export class LimitOperator implements Operator {
  private readonly node: LimitNode;
  private readonly input: Operator;
  private readonly ctx: ExecContext;
  private remaining = -1;
  private toSkip = 0;
  private started = false;
  private tiesKey: Evaluator[] | null = null;
  private lastKeys: unknown[] | null = null;
  private done = false;

  constructor(node: LimitNode, input: Operator, ctx: ExecContext) {
    this.node = node;
    this.input = input;
    this.ctx = ctx;
  }

  private start(): void {
    this.started = true;
    this.remaining = this.node.limit ? toCount(evaluateOnce(this.node.limit, this.ctx), 'LIMIT') : Infinity;
    this.toSkip = this.node.offset ? toCount(evaluateOnce(this.node.offset, this.ctx), 'OFFSET') : 0;
    if (this.node.withTies) this.tiesKey = this.node.withTies.map((k) => compileExpr(k.expr));
  }

  next(): Row[] | null {
    if (!this.started) this.start();
    if (this.done) return null;
    for (;;) {
      if (this.remaining <= 0 && this.tiesKey === null) { this.finish(); return null; }
      const batch = this.input.next();
      if (batch === null) { this.done = true; return null; }
      if (batch === PENDING) return PENDING;
      let start = 0;
      if (this.toSkip > 0) {
        start = Math.min(this.toSkip, batch.length);
        this.toSkip -= start;
      }
      const out: Row[] = [];
      for (let i = start; i < batch.length; i++) {
        const row = batch[i]!;
        if (this.remaining > 0) {
          out.push(row);
          this.remaining--;
          if (this.remaining === 0 && this.tiesKey !== null) this.lastKeys = this.tiesKey.map((e) => e(row, this.ctx));
        } else if (this.tiesKey !== null && this.lastKeys !== null && this.isTie(row)) {
          out.push(row);
        } else {
          this.finish();
          break;
        }
      }
      if (out.length > 0) return out;
      if (this.done) return null;
    }
  }

  private isTie(row: Row): boolean {
    const keys = this.node.withTies!;
    for (let i = 0; i < keys.length; i++) {
      const a = this.tiesKey![i]!(row, this.ctx);
      const b = this.lastKeys![i];
      if (a === null || b === null) { if (a !== b) return false; continue; }
      if (keys[i]!.cmp(a, b) !== 0) return false;
    }
    return true;
  }

  private finish(): void {
    this.done = true;
    this.input.close();
  }

  close(): void {
    this.finish();
  }
}
