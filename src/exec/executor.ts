/**
 * Instantiates a plan tree into operators (the only place that maps node kinds to operator
 * classes, like PostgreSQL's execProcnode.c) and runs it.
 */
import { ProjectSetOperator } from './operators/project-set.ts';
import type { PlanNode } from '../plan/plan-nodes.ts';
import type { Row } from '../storage/version.ts';
import type { ExecContext } from './exec-context.ts';
import { drain, RowsOperator, type Operator } from './operator.ts';
import { SeqScanOperator } from './operators/seq-scan.ts';
import { IndexScanOperator } from './operators/index-scan.ts';
import { BitmapHeapScanOperator } from './operators/bitmap-heap-scan.ts';
import { FilterOperator, OneRowOperator, ProjectOperator, projectionOf, ValuesOperator } from './operators/simple.ts';
import { NestedLoopJoinOperator } from './operators/nested-loop-join.ts';
import { HashJoinOperator } from './operators/hash-join.ts';
import { MergeJoinOperator } from './operators/merge-join.ts';
import { HashAggregateOperator } from './operators/hash-aggregate.ts';
import { SortOperator } from './operators/sort.ts';
import { LimitOperator } from './operators/limit.ts';
import { DistinctOperator } from './operators/distinct.ts';
import { SetOpOperator } from './operators/set-op.ts';
import { FunctionScanOperator } from './operators/function-scan.ts';
import { WindowOperator } from './operators/window.ts';
import { runRecursiveUnion } from './operators/recursive-union.ts';
import { noteScanColumns } from '../plan/scan-columns.ts';

/**
 * The operator tree of a plan run on its own (a statement's query, a subquery, a materialized
 * CTE): every run starts here, so its scans learn which columns the plan reads (scan-columns.ts).
 */
export function rootOperator(plan: PlanNode, ctx: ExecContext): Operator {
  noteScanColumns(plan);
  return createOperator(plan, ctx);
}

/** The operator of one node inside a tree rootOperator started. */
export function createOperator(plan: PlanNode, ctx: ExecContext): Operator {
  const op = createRaw(plan, ctx);
  return ctx.instrument === null ? op : new InstrumentedOperator(op, plan, ctx);
}

/** Counts rows, loops and time per plan node for EXPLAIN ANALYZE. */
class InstrumentedOperator implements Operator {
  private readonly inner: Operator;
  private readonly stats: { rows: number; timeMs: number; loops: number; firstMs?: number };
  private started = false;
  /** The node's accumulated time when this loop began (for its time to first batch). */
  private timeBefore = 0;
  private readonly ctx: ExecContext;

  constructor(inner: Operator, plan: PlanNode, ctx: ExecContext) {
    this.inner = inner;
    this.ctx = ctx;
    let s = ctx.instrument!.get(plan);
    if (!s) ctx.instrument!.set(plan, (s = { rows: 0, timeMs: 0, loops: 0 }));
    s.loops++;
    this.stats = s;
    this.timeBefore = s.timeMs;
  }

  next(): Row[] | null {
    const clock = this.ctx.env.clock;
    const t0 = clock.monotonicMs();
    const b = this.inner.next();
    this.stats.timeMs += clock.monotonicMs() - t0;
    if (!this.started) {
      this.started = true;
      this.stats.firstMs = (this.stats.firstMs ?? 0) + (this.stats.timeMs - this.timeBefore);
    }
    if (b !== null) this.stats.rows += b.length;
    return b;
  }

  close(): void {
    this.inner.close();
  }
}

function createRaw(plan: PlanNode, ctx: ExecContext): Operator {
  switch (plan.node) {
    case 'SeqScan':
      return new SeqScanOperator(plan, ctx);
    case 'IndexScan':
      return plan.mode === 'bitmap' ? new BitmapHeapScanOperator(plan, ctx) : new IndexScanOperator(plan, ctx);
    case 'Values':
      return new ValuesOperator(plan, ctx);
    case 'OneRow':
      return new OneRowOperator();
    case 'Filter':
      return new FilterOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'Project':
      if (projectionOf(plan).hasSrfs) return new ProjectSetOperator(plan, createOperator(plan.input, ctx), ctx);
      return new ProjectOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'NestedLoopJoin':
      return new NestedLoopJoinOperator(plan, createOperator(plan.left, ctx),
        () => createOperator(plan.right, ctx), ctx);
    case 'HashJoin':
      return new HashJoinOperator(plan, createOperator(plan.left, ctx), createOperator(plan.right, ctx), ctx);
    case 'MergeJoin':
      return new MergeJoinOperator(plan, createOperator(plan.left, ctx), createOperator(plan.right, ctx), ctx);
    case 'Aggregate':
      return new HashAggregateOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'Sort':
      return new SortOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'Limit':
      return new LimitOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'Distinct':
      return new DistinctOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'SetOp':
      return new SetOpOperator(plan, createOperator(plan.left, ctx), createOperator(plan.right, ctx));
    case 'FunctionScan':
      return new FunctionScanOperator(plan, ctx);
    case 'Materialize': {
      let rows = ctx.materialized.get(plan.id);
      if (rows === undefined) {
        rows = executeAll(plan.input, ctx);
        ctx.materialized.set(plan.id, rows);
      }
      return new RowsOperator(rows);
    }
    case 'Window':
      return new WindowOperator(plan, createOperator(plan.input, ctx), ctx);
    case 'RecursiveUnion':
      return new RowsOperator(runRecursiveUnion(plan, ctx));
  }
}

/** Runs a plan to completion and returns all its rows (never suspends: see interrupts.ts). */
export function executeAll(plan: PlanNode, ctx: ExecContext): Row[] {
  const ix = ctx.interrupts;
  ix.noYield++;
  try {
    const op = rootOperator(plan, ctx);
    try {
      return drain(op);
    } finally {
      op.close();
    }
  } finally {
    ix.noYield--;
  }
}
