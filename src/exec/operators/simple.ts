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
import { collectSrfs } from './project-set.ts';

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

/**
 * What a projection node compiles to, built once per plan node (plans are immutable and compiled
 * closures hold no state): its evaluators, whether it calls set-returning functions, and, when
 * every output is a column of its input, those columns' positions, copied without a call per
 * value. A cached point select used to compile a closure per output column on every execution.
 */
export interface Projection {
  readonly hasSrfs: boolean;
  readonly exprs: readonly Evaluator[];
  readonly cols: readonly number[] | null;
}

const projections = new WeakMap<ProjectNode, Projection>();

export function projectionOf(node: ProjectNode): Projection {
  let p = projections.get(node);
  if (p === undefined) {
    const plainCols = node.exprs.every((e) => e.k === 'col' && e.levelsUp === 0);
    p = {
      hasSrfs: collectSrfs(node.exprs).length > 0,
      exprs: node.exprs.map(compileExpr),
      cols: plainCols ? node.exprs.map((e) => (e as Extract<typeof e, { k: 'col' }>).index) : null,
    };
    projections.set(node, p);
  }
  return p;
}

export class ProjectOperator implements Operator {
  private readonly input: Operator;
  private readonly exprs: readonly Evaluator[];
  private readonly cols: readonly number[] | null;
  private readonly ctx: ExecContext;

  constructor(node: ProjectNode, input: Operator, ctx: ExecContext) {
    this.input = input;
    const p = projectionOf(node);
    this.exprs = p.exprs;
    this.cols = p.cols;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    const batch = this.input.next();
    if (batch === null || batch === PENDING) return batch;
    const out: Row[] = new Array(batch.length);
    const cols = this.cols;
    if (cols !== null) {
      const n = cols.length;
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i]!;
        const o = newRow(n);
        for (let j = 0; j < n; j++) o[j] = row[cols[j]!] ?? null;
        out[i] = o;
      }
      return out;
    }
    const exprs = this.exprs;
    const n = exprs.length;
    const ctx = this.ctx;
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
