/**
 * Running a top-level query in time slices (interrupts.ts explains the protocol). `executeTop`
 * drains the plan like executeAll; when a leaf yields (PENDING) it throws a `Suspension` holding
 * the operator tree and the rows so far. The session catches it, awaits an event-loop turn (other
 * connections, CancelRequests and timers run), and calls `step()` until the rows are complete.
 *
 * Invariant: a Suspension is either resumed to completion, or `abandon()`ed (closing its
 * operators); the statement's snapshot stays fixed across turns, so it sees one consistent state.
 * While suspended it pins that snapshot: other sessions commit and garbage-collect between turns,
 * and a READ COMMITTED statement's snapshot is otherwise known to no one but the statement.
 */
import type { PlanNode } from '../plan/plan-nodes.ts';
import type { Row } from '../storage/version.ts';
import type { ExecContext } from './exec-context.ts';
import { rootOperator, executeAll } from './executor.ts';
import { PENDING } from './interrupts.ts';
import type { Operator } from './operator.ts';
import { projectionOf } from './operators/simple.ts';

export class Suspension {
  private readonly op: Operator;
  readonly ctx: ExecContext;
  private readonly rows: Row[] = [];
  /** Turns the complete rows into the statement's result (set by whoever started the query). */
  finish: ((rows: Row[]) => unknown) | null = null;
  private closed = false;
  /** The snapshot seq pinned while suspended (-1: not pinned). */
  private pinned = -1;

  constructor(op: Operator, ctx: ExecContext) {
    this.op = op;
    this.ctx = ctx;
  }

  /** Pulls until the plan is exhausted (returns all rows) or yields again (throws itself). */
  step(): Row[] {
    const op = this.op;
    const out = this.rows;
    try {
      for (let b = op.next(); b !== null; b = op.next()) {
        if (b === PENDING) {
          if (this.pinned < 0) {
            this.pinned = this.ctx.snapshot.seq;
            this.ctx.txnManager.pin(this.pinned);
          }
          throw this;
        }
        for (let i = 0; i < b.length; i++) out.push(b[i]!);
      }
    } catch (e) {
      if (e !== this) this.abandon();
      throw e;
    }
    this.abandon();
    return out;
  }

  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pinned >= 0) this.ctx.txnManager.unpin(this.pinned);
    this.op.close();
  }
}

export function isSuspension(e: unknown): e is Suspension {
  return e instanceof Suspension;
}

/**
 * Runs a query; when `suspendable` and the plan passes PENDING on, it may throw a Suspension whose
 * `finish` builds the result from the rows (see above).
 */
export function executeTop(plan: PlanNode, ctx: ExecContext, suspendable: boolean, finish: (rows: Row[]) => unknown): Row[] {
  if (!suspendable || !yieldSafe(plan)) return executeAll(plan, ctx);
  const s = new Suspension(rootOperator(plan, ctx), ctx);
  s.finish = finish;
  return s.step();
}

const safeCache = new WeakMap<PlanNode, boolean>();

/** True when every operator of the plan's pulling spine passes PENDING on (plans are immutable). */
export function yieldSafe(plan: PlanNode): boolean {
  let v = safeCache.get(plan);
  if (v === undefined) {
    v = computeSafe(plan);
    safeCache.set(plan, v);
  }
  return v;
}

function computeSafe(plan: PlanNode): boolean {
  switch (plan.node) {
    case 'SeqScan': case 'IndexScan': case 'Values': case 'OneRow': case 'FunctionScan':
    // These run their inputs with executeAll (never suspended).
    case 'Materialize': case 'RecursiveUnion':
      return true;
    case 'Filter': case 'Limit': case 'Aggregate': case 'Sort':
      return yieldSafe(plan.input);
    case 'Project':
      return !projectionOf(plan).hasSrfs && yieldSafe(plan.input);
    case 'HashJoin':
      // The build side (right) is drained without yielding; the probe side streams.
      return yieldSafe(plan.left);
    default:
      return false;
  }
}
