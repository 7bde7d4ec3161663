/**
 * UNION / INTERSECT / EXCEPT, with and without ALL. UNION ALL streams; the others count rows per
 * distinct key (SQL treats NULLs as equal here, unlike in joins).
 */
import type { SetOpNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { drain, RowsOperator, type Operator } from '../operator.ts';
import { rowKeyFunction } from './distinct.ts';

export class SetOpOperator implements Operator {
  private readonly node: SetOpNode;
  private readonly left: Operator;
  private readonly right: Operator;
  private output: Operator | null = null;
  private leftDone = false;

  constructor(node: SetOpNode, left: Operator, right: Operator) {
    this.node = node;
    this.left = left;
    this.right = right;
  }

  next(): Row[] | null {
    if (this.node.op === 'union' && this.node.all) {
      if (!this.leftDone) {
        const b = this.left.next();
        if (b !== null) return b;
        this.leftDone = true;
      }
      return this.right.next();
    }
    if (this.output === null) this.output = new RowsOperator(this.compute());
    return this.output.next();
  }

  private compute(): Row[] {
    const key = rowKeyFunction(this.node.columns.map((c) => hashKeyFor(c.type) as (v: unknown) => unknown));
    const { op, all } = this.node;
    const leftRows = drain(this.left);
    const rightRows = drain(this.right);
    if (op === 'union') {
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const rows of [leftRows, rightRows]) {
        for (const r of rows) {
          const k = key(r);
          if (!seen.has(k)) { seen.add(k); out.push(r); }
        }
      }
      return out;
    }
    const rightCounts = new Map<string, number>();
    for (const r of rightRows) {
      const k = key(r);
      rightCounts.set(k, (rightCounts.get(k) ?? 0) + 1);
    }
    const out: Row[] = [];
    const emitted = new Map<string, number>();
    for (const r of leftRows) {
      const k = key(r);
      const inRight = rightCounts.get(k) ?? 0;
      const already = emitted.get(k) ?? 0;
      if (op === 'intersect') {
        if (inRight === 0) continue;
        if (all) {
          if (already >= inRight) continue;
        } else if (already > 0) continue;
      } else {
        if (all) {
          // EXCEPT ALL: each right row cancels one left row.
          if (inRight > 0) { rightCounts.set(k, inRight - 1); continue; }
        } else if (inRight > 0 || already > 0) continue;
      }
      emitted.set(k, already + 1);
      out.push(r);
    }
    return out;
  }

  close(): void {
    this.left.close();
    this.right.close();
  }
}
