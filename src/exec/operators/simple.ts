/**
 * The small streaming operators: VALUES, the one-row source, filter and projection. Each is a
 * few lines; keeping them together avoids a file per ten-line class.
 */
import type { FilterNode, ProjectNode, ValuesNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr, compilePredicate, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import type { Operator } from '../operator.ts';
import { newRow } from '../new-row.ts';
import { PENDING } from '../interrupts.ts';

export class ValuesOperator implements Operator {
  private readonly rows: Evaluator[][];
  private readonly ctx: ExecContext;
  private done = false;

  constructor(node: ValuesNode, ctx: ExecContext) {
    this.rows = node.rows.map((r) => r.map(compileExpr));
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.done) return null;
    this.done = true;
    const outer: Row = [];
    const out = this.rows.map((r) => r.map((e) => e(outer, this.ctx)));
    return out.length > 0 ? out : null;
  }

  close(): void {
    this.done = true;
  }
}

export class OneRowOperator implements Operator {
  private done = false;

  next(): Row[] | null {
    if (this.done) return null;
    this.done = true;
    return [[]];
  }

  close(): void {
    this.done = true;
  }
}

export class FilterOperator implements Operator {
  private readonly input: Operator;
  private readonly pred: (row: Row, ctx: ExecContext) => boolean;
  private readonly ctx: ExecContext;

  constructor(node: FilterNode, input: Operator, ctx: ExecContext) {
    this.input = input;
    this.pred = compilePredicate(node.predicate);
    this.ctx = ctx;
  }

  next(): Row[] | null {
    for (;;) {
      const batch = this.input.next();
      if (batch === null || batch === PENDING) return batch;
      const out: Row[] = [];
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i]!;
        if (this.pred(row, this.ctx)) out.push(row);
      }
      if (out.length > 0) return out;
    }
  }

  close(): void {
    this.input.close();
  }
}

export class ProjectOperator implements Operator {
  private readonly input: Operator;
  private readonly exprs: Evaluator[];
  private readonly ctx: ExecContext;

  constructor(node: ProjectNode, input: Operator, ctx: ExecContext) {
    this.input = input;
    this.exprs = node.exprs.map(compileExpr);
    this.ctx = ctx;
  }

  next(): Row[] | null {
    const batch = this.input.next();
    if (batch === null || batch === PENDING) return batch;
    const exprs = this.exprs;
    const n = exprs.length;
    const ctx = this.ctx;
    const out: Row[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i]!;
      const o = newRow(n);
      for (let j = 0; j < n; j++) o[j] = exprs[j]!(row, ctx);
      out[i] = o;
    }
    return out;
  }

  close(): void {
    this.input.close();
  }
}
