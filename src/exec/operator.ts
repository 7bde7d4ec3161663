/**
 * The operator interface. Operators pull batches of rows from their inputs; a batch is a
 * non-empty array of rows, and `null` means the input is exhausted. Batches amortize the cost of
 * the polymorphic `next()` call over many rows (see STYLE.md on V8-friendly hot paths).
 */
import type { Row } from '../storage/version.ts';

export interface Operator {
  next(): Row[] | null;
  close(): void;
}

export const BATCH_ROWS = 1024;

/** Drains an operator into one array (materializing nodes: sort, hash build, subqueries). */
export function drain(op: Operator): Row[] {
  const out: Row[] = [];
  for (let b = op.next(); b !== null; b = op.next()) {
    for (let i = 0; i < b.length; i++) out.push(b[i]!);
  }
  return out;
}

/** An operator over rows already in memory. */
export class RowsOperator implements Operator {
  private readonly rows: Row[];
  private pos = 0;

  constructor(rows: Row[]) {
    this.rows = rows;
  }

  next(): Row[] | null {
    if (this.pos >= this.rows.length) return null;
    if (this.pos === 0 && this.rows.length <= BATCH_ROWS) {
      this.pos = this.rows.length;
      return this.rows;
    }
    const batch = this.rows.slice(this.pos, this.pos + BATCH_ROWS);
    this.pos += batch.length;
    return batch;
  }

  close(): void {
    this.pos = this.rows.length;
  }
}
