/**
 * Sort: materializes its input, evaluates sort keys once per row, and sorts with a stable
 * comparator honouring ASC/DESC and NULLS FIRST/LAST (PostgreSQL default: NULLS LAST for ASC,
 * NULLS FIRST for DESC).
 *
 * Top-N (a LIMIT above, `limit` >= 0): the input is streamed through a bounded max-heap of the
 * best `limit` rows seen so far, O(n log k) time and O(k) memory instead of sorting all n rows.
 * Ties are broken by input position in both paths, so top-N returns exactly the first `limit`
 * rows of the full stable sort. A candidate's keys are evaluated into a scratch array and only
 * copied when it enters the heap, so rejected rows allocate nothing.
 */
import type { SortNode } from '../../plan/plan-nodes.ts';
import type { BoundSortKey } from '../../plan/bound-expr.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BlockingOperator, type Operator } from '../operator.ts';
import { PENDING } from '../interrupts.ts';

interface Entry { row: Row; keys: unknown[]; i: number }

/** Compares decorated rows: the sort keys, then input position (stability). */
function entryComparator(keys: readonly BoundSortKey[]): (a: Entry, b: Entry) => number {
  const n = keys.length;
  const cmps = keys.map((k) => k.cmp);
  const desc = keys.map((k) => k.desc);
  const nullsFirst = keys.map((k) => k.nullsFirst);
  return (a, b) => {
    for (let j = 0; j < n; j++) {
      const x = a.keys[j];
      const y = b.keys[j];
      if (x === null || y === null) {
        if (x === y) continue;
        const xFirst = x === null ? -1 : 1;
        return nullsFirst[j] ? xFirst : -xFirst;
      }
      const c = cmps[j]!(x, y);
      if (c !== 0) return desc[j] ? -c : c;
    }
    return a.i - b.i;
  };
}

export function sortRows(rows: Row[], keys: readonly BoundSortKey[], ctx: ExecContext, limit = -1): Row[] {
  const evals = keys.map((k) => compileExpr(k.expr));
  const n = keys.length;
  const decorated = new Array<Entry>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const kv = new Array<unknown>(n);
    for (let j = 0; j < n; j++) kv[j] = evals[j]!(row, ctx);
    decorated[i] = { row, keys: kv, i };
  }
  decorated.sort(entryComparator(keys));
  const end = limit >= 0 ? Math.min(limit, decorated.length) : decorated.length;
  const out = new Array<Row>(end);
  for (let i = 0; i < end; i++) out[i] = decorated[i]!.row;
  return out;
}

/**
 * The first `limit` rows of the stable sort of `input`'s rows, through a bounded max-heap whose
 * root is the worst row kept.
 */
export function topN(input: Operator, keys: readonly BoundSortKey[], ctx: ExecContext, limit: number): Row[] {
  if (limit === 0) return [];
  const evals = keys.map((k) => compileExpr(k.expr));
  const n = keys.length;
  const cmp = entryComparator(keys);
  const heap: Entry[] = [];
  const scratch: Entry = { row: [], keys: new Array<unknown>(n), i: 0 };
  let pos = 0;
  const siftDown = (at: number): void => {
    const size = heap.length;
    const item = heap[at]!;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= size) break;
      const r = l + 1;
      const big = r < size && cmp(heap[r]!, heap[l]!) > 0 ? r : l;
      if (cmp(heap[big]!, item) <= 0) break;
      heap[at] = heap[big]!;
      at = big;
    }
    heap[at] = item;
  };
  const siftUp = (at: number): void => {
    const item = heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (cmp(heap[parent]!, item) >= 0) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = item;
  };
  for (let b = input.next(); b !== null; b = input.next()) {
    for (let r = 0; r < b.length; r++) {
      const row = b[r]!;
      scratch.row = row;
      scratch.i = pos++;
      for (let j = 0; j < n; j++) scratch.keys[j] = evals[j]!(row, ctx);
      if (heap.length < limit) {
        heap.push({ row, keys: scratch.keys.slice(), i: scratch.i });
        siftUp(heap.length - 1);
      } else if (cmp(scratch, heap[0]!) < 0) {
        heap[0] = { row, keys: scratch.keys.slice(), i: scratch.i };
        siftDown(0);
      }
    }
  }
  heap.sort(cmp);
  return heap.map((e) => e.row);
}

export class SortOperator extends BlockingOperator<SortNode> {
  /** Input rows read so far (kept across a yield of the input, interrupts.ts). */
  private readonly buffered: Row[] = [];

  protected compute(): Row[] {
    const { keys, limit } = this.node;
    const ix = this.ctx.interrupts;
    if (limit >= 0) {
      ix.noYield++;
      try {
        return topN(this.input, keys, this.ctx, limit);
      } finally {
        ix.noYield--;
      }
    }
    const rows = this.buffered;
    for (let b = this.input.next(); b !== null; b = this.input.next()) {
      if (b === PENDING) return PENDING;
      for (let i = 0; i < b.length; i++) rows.push(b[i]!);
    }
    return sortRows(rows, keys, this.ctx);
  }
}
