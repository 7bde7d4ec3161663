/**
 * The operator interface. Operators pull batches of rows from their inputs; a batch is a
 * non-empty array of rows, and `null` means the input is exhausted. Batches amortize the cost of
 * the polymorphic `next()` call over many rows (see STYLE.md on V8-friendly hot paths).
 */
import type { Row } from '../storage/version.ts';
import type { ExecContext } from './exec-context.ts';
import { PENDING } from './interrupts.ts';

export interface Operator {
  next(): Row[] | null;
  close(): void;
  /**
   * Optional: a test the consumer adds while it runs, for rows it would discard anyway (top-N's
   * "no better than the worst row kept"), so a scan drops them in its own loop, while the row is
   * still in cache, instead of batching them. False when the operator does not take it; the
   * consumer then keeps testing every row itself. `reads`: the row positions the test reads, when
   * known (a scan of packed rows then reads the others only for rows that pass).
   */
  skipRows?(skip: (row: Row) => boolean, reads?: ReadonlySet<number>): boolean;
  /**
   * Optional, before the first next(): how many rows the operator would return, counted without
   * producing them (COUNT(*) over a plain scan), after which it is exhausted; null when it cannot
   * count them cheaply, and nothing changed.
   */
  countRows?(): number | null;
}

export const BATCH_ROWS = 1024;

/**
 * Drains an operator into one array (materializing nodes: sort, hash build, subqueries). A PENDING
 * batch (interrupts.ts) is empty, so it is skipped like any other.
 */
export function drain(op: Operator): Row[] {
  // Most drains see one batch (a point lookup, a small result): no list of batches for it.
  let first: Row[] | null = null;
  let batches: Row[][] | null = null;
  for (let b = op.next(); b !== null; b = op.next()) {
    if (b.length === 0) continue;
    if (first === null) first = b;
    else if (batches === null) batches = [first, b];
    else batches.push(b);
  }
  // A copy: an operator may hand out a batch array it refills on its next call.
  if (batches === null) return first === null ? [] : first.slice();
  // One concat allocates the result at its final size and copies each batch in bulk; pushing row
  // by row grows a large array many times and records every young row it stores.
  let out: Row[] = [];
  for (let i = 0; i < batches.length; i += DRAIN_CONCAT_BATCHES) out = out.concat(...batches.slice(i, i + DRAIN_CONCAT_BATCHES));
  return out;
}

/** Batches joined per concat call (bounded: they are passed as arguments). */
const DRAIN_CONCAT_BATCHES = 4096;

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

/**
 * An operator that must consume all of its input before producing anything (sort, hash
 * aggregation, window functions): `compute()` runs once, on the first `next()`, and its rows are
 * then handed out in batches. `compute()` may return PENDING when its input yielded (it keeps what
 * it consumed and is called again).
 */
export abstract class BlockingOperator<N> implements Operator {
  protected readonly node: N;
  protected readonly input: Operator;
  protected readonly ctx: ExecContext;
  private output: RowsOperator | null = null;

  constructor(node: N, input: Operator, ctx: ExecContext) {
    this.node = node;
    this.input = input;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.output === null) {
      const rows = this.compute();
      if (rows === PENDING) return PENDING;
      this.output = new RowsOperator(rows);
    }
    return this.output.next();
  }

  close(): void {
    this.input.close();
  }

  protected abstract compute(): Row[];
}
