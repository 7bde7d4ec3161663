/**
 * ProjectSet: a projection whose expressions contain set-returning function calls (SELECT
 * unnest(a), generate_series(1, n) + 1 ...), with PostgreSQL 10+ semantics. For each input row
 * every SRF is run once; the row expands into as many output rows as the longest SRF result, the
 * SRFs advancing in lockstep and the shorter ones reading NULL once exhausted. An input row for
 * which every SRF returns no rows produces nothing.
 *
 * Invariant: the compiled `srf` nodes read their current element from ctx.srfValues (keyed by the
 * node), which this operator sets before evaluating the projection for each output row and
 * clears afterwards, so an SRF evaluated anywhere else still fails.
 */
import type { BoundExpr } from '../../plan/bound-expr.ts';
import { children } from '../../plan/bound-expr.ts';
import type { ProjectNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import type { Operator } from '../operator.ts';
import { newRow } from '../new-row.ts';

type SrfNode = Extract<BoundExpr, { k: 'srf' }>;

const BATCH = 1024;

/** The SRF calls of a projection's expressions (subquery plans are their own projections). */
export function collectSrfs(exprs: readonly BoundExpr[]): SrfNode[] {
  const out: SrfNode[] = [];
  const visit = (e: BoundExpr): void => {
    // (f(x)).* shares one call node between its columns: it runs once per row.
    if (e.k === 'srf') { if (!out.includes(e)) out.push(e); return; }
    for (const c of children(e)) visit(c);
  };
  for (const e of exprs) visit(e);
  return out;
}

export class ProjectSetOperator implements Operator {
  private readonly input: Operator;
  private readonly exprs: Evaluator[];
  private readonly srfs: { node: SrfNode; args: Evaluator[] }[];
  private readonly ctx: ExecContext;
  private pending: Row[] = [];
  private done = false;

  constructor(node: ProjectNode, input: Operator, ctx: ExecContext) {
    this.input = input;
    this.exprs = node.exprs.map(compileExpr);
    this.srfs = collectSrfs(node.exprs).map((n) => ({ node: n, args: n.args.map(compileExpr) }));
    this.ctx = ctx;
  }

  next(): Row[] | null {
    while (this.pending.length < BATCH && !this.done) {
      const batch = this.input.next();
      if (batch === null) { this.done = true; break; }
      for (const row of batch) this.expand(row);
    }
    if (this.pending.length === 0) return null;
    const out = this.pending.length <= BATCH ? this.pending : this.pending.slice(0, BATCH);
    this.pending = this.pending.length <= BATCH ? [] : this.pending.slice(BATCH);
    return out;
  }

  private expand(row: Row): void {
    const ctx = this.ctx;
    const results: unknown[][] = [];
    let longest = 0;
    for (const s of this.srfs) {
      const vals = s.args.map((a) => a(row, ctx));
      const fn = s.node.fn;
      const elems: unknown[] = [];
      if (!(fn.strict && vals.some((v) => v === null))) {
        if (s.node.composite) for (const r of fn.rows(vals, ctx, s.node.argTypes)) elems.push(r);
        else for (const r of fn.rows(vals, ctx, s.node.argTypes)) elems.push(r[0] ?? null);
      }
      results.push(elems);
      if (elems.length > longest) longest = elems.length;
    }
    const values = ctx.srfValues;
    try {
      for (let k = 0; k < longest; k++) {
        for (let i = 0; i < this.srfs.length; i++) {
          const elems = results[i]!;
          values.set(this.srfs[i]!.node, k < elems.length ? elems[k] : null);
        }
        const o = newRow(this.exprs.length);
        for (let j = 0; j < o.length; j++) o[j] = this.exprs[j]!(row, ctx);
        this.pending.push(o);
      }
    } finally {
      for (const s of this.srfs) values.delete(s.node);
    }
  }

  close(): void {
    this.input.close();
  }
}
