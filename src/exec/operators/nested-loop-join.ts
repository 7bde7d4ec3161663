/**
 * Nested-loop join: for each left row, scans the (materialized) right rows and emits combined
 * rows that satisfy the condition. Handles every join kind; LATERAL right sides are re-executed per
 * left row with the left row pushed as the enclosing row.
 */
import type { NestedLoopJoinNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { compilePredicate } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, drain, type Operator } from '../operator.ts';
import { newRow } from '../new-row.ts';

export class NestedLoopJoinOperator implements Operator {
  private readonly node: NestedLoopJoinNode;
  private readonly left: Operator;
  private readonly makeRight: () => Operator;
  private readonly ctx: ExecContext;
  private readonly cond: ((row: Row, ctx: ExecContext) => boolean) | null;
  private rightRows: Row[] | null = null;
  private rightMatched: Uint8Array | null = null;
  private readonly leftWidth: number;
  private readonly rightWidth: number;
  private pendingRightUnmatched = false;
  private finished = false;

  constructor(node: NestedLoopJoinNode, left: Operator, makeRight: () => Operator, ctx: ExecContext) {
    this.node = node;
    this.left = left;
    this.makeRight = makeRight;
    this.ctx = ctx;
    this.cond = node.condition ? compilePredicate(node.condition) : null;
    this.leftWidth = node.left.columns.length;
    this.rightWidth = node.right.columns.length;
  }

  private loadRight(leftRow: Row | null): Row[] {
    if (this.node.lateral) {
      this.ctx.outer.push(leftRow ?? []);
      try {
        const op = this.makeRight();
        const rows = drain(op);
        op.close();
        return rows;
      } finally {
        this.ctx.outer.pop();
      }
    }
    if (this.rightRows === null) {
      const op = this.makeRight();
      this.rightRows = drain(op);
      op.close();
      if (this.node.kind === 'right' || this.node.kind === 'full') {
        this.rightMatched = new Uint8Array(this.rightRows.length);
      }
    }
    return this.rightRows;
  }

  next(): Row[] | null {
    if (this.finished) return null;
    const kind = this.node.kind;
    const out: Row[] = [];
    while (out.length < BATCH_ROWS && !this.pendingRightUnmatched) {
      const batch = this.left.next();
      if (batch === null) {
        this.pendingRightUnmatched = kind === 'right' || kind === 'full';
        if (!this.pendingRightUnmatched) this.finished = true;
        break;
      }
      for (const l of batch) this.joinOne(l, out);
    }
    if (this.pendingRightUnmatched) {
      const rights = this.loadRight(null);
      const matched = this.rightMatched!;
      const nulls = newRow(this.leftWidth);
      for (let i = 0; i < rights.length; i++) if (!matched[i]) out.push(nulls.concat(rights[i]!));
      this.pendingRightUnmatched = false;
      this.finished = true;
    }
    return out.length > 0 ? out : (this.finished ? null : this.next());
  }

  private joinOne(l: Row, out: Row[]): void {
    const kind = this.node.kind;
    const rights = this.loadRight(l);
    const cond = this.cond;
    const ctx = this.ctx;
    let matched = false;
    const ix = ctx.interrupts;
    for (let i = 0; i < rights.length; i++) {
      ix.tick();
      const r = rights[i]!;
      const combined = padTo(l, this.leftWidth).concat(r);
      if (cond !== null && !cond(combined, ctx)) continue;
      matched = true;
      if (this.rightMatched !== null) this.rightMatched[i] = 1;
      if (kind === 'semi' || kind === 'anti') break;
      out.push(combined);
    }
    if (kind === 'semi' && matched) out.push(l);
    else if (kind === 'anti' && !matched) out.push(l);
    else if (!matched && (kind === 'left' || kind === 'full')) {
      out.push(padTo(l, this.leftWidth).concat(newRow(this.rightWidth)));
    }
  }

  close(): void {
    this.left.close();
    this.finished = true;
  }
}

/** Scan rows are indexed by attnum and may be shorter than the scan's column count. */
export function padTo(row: Row, width: number): Row {
  if (row.length === width) return row;
  const out = row.slice(0, width);
  for (let i = row.length; i < width; i++) out[i] = null;
  return out;
}
