/**
 * Sort: materializes its input, evaluates sort keys once per row, and sorts with a stable
 * comparator honouring ASC/DESC and NULLS FIRST/LAST (PostgreSQL default: NULLS LAST for ASC,
 * NULLS FIRST for DESC); many rows whose keys are all plain numbers go through a radix sort
 * (src/types/radix-order.ts) that yields the same order.
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
import { RADIX_MIN_ROWS, radixOrder } from '../../types/radix-order.ts';
import { columnsUsed } from '../../plan/expr-rewrite.ts';

interface Entry { row: Row; keys: unknown[]; i: number }

/**
 * One sort key's order of two values (0: equal): NULLs first or last as the key says, else the
 * type's comparator, reversed for DESC. Every comparator here is built from it.
 */
export function compareKey(x: unknown, y: unknown, key: BoundSortKey): number {
  if (x === null || y === null) {
    if (x === y) return 0;
    const xFirst = x === null ? -1 : 1;
    return key.nullsFirst ? xFirst : -xFirst;
  }
  const c = key.cmp(x, y);
  return key.desc ? -c : c;
}

/** Compares decorated rows: the sort keys, then input position (stability). */
function entryComparator(keys: readonly BoundSortKey[]): (a: Entry, b: Entry) => number {
  const n = keys.length;
  return (a, b) => {
    for (let j = 0; j < n; j++) {
      const c = compareKey(a.keys[j], b.keys[j], keys[j]!);
      if (c !== 0) return c;
    }
    return a.i - b.i;
  };
}

/**
 * Rows in sort order with their sort-key values, column-wise and in input order: key j of
 * rows[i] is keys[j][order[i]] (the keys are not permuted: only comparisons of neighbours read them).
 */
export interface SortedRows {
  readonly rows: Row[];
  /** Input position of each sorted row (a Uint32Array when the radix sort ran). */
  readonly order: ArrayLike<number>;
  readonly keys: readonly ArrayLike<unknown>[];
}

/** Compares positions of key columns: the sort keys, then position (stability). */
function indexComparator(keys: readonly BoundSortKey[], cols: readonly ArrayLike<unknown>[]): (a: number, b: number) => number {
  if (keys.length === 1) {
    // One key (the common case): no loop.
    const col = cols[0]!;
    const key = keys[0]!;
    return (a, b) => compareKey(col[a], col[b], key) || a - b;
  }
  const n = keys.length;
  return (a, b) => {
    for (let j = 0; j < n; j++) {
      const col = cols[j]!;
      const c = compareKey(col[a], col[b], keys[j]!);
      if (c !== 0) return c;
    }
    return a - b;
  };
}

/**
 * The stable sort order of `rows` by `keys`: keys are evaluated once per row into one array per
 * key and a permutation of positions is sorted, so no object is allocated per row.
 */
function sortOrder(rows: Row[], keys: readonly BoundSortKey[], ctx: ExecContext): { order: ArrayLike<number>; cols: ArrayLike<unknown>[] } {
  const n = rows.length;
  let allNumeric = true;
  const cols: ArrayLike<unknown>[] = keys.map((k) => {
    const e = k.expr;
    if (e.k === 'col' && e.levelsUp === 0) {
      // A plain column (the usual key): read it in the loop instead of calling its evaluator.
      // Plain numbers go straight into doubles, which the radix sort and the numeric comparators
      // read, rather than into an array of boxed values converted afterwards.
      const at = e.index;
      const nums = new Float64Array(n);
      let i = 0;
      for (; i < n; i++) {
        const v = rows[i]![at];
        if (typeof v !== 'number' || v !== v) break;
        nums[i] = v;
      }
      if (i === n) return nums;
      allNumeric = false;
      const col = new Array<unknown>(n);
      for (let j = 0; j < i; j++) col[j] = nums[j];
      for (; i < n; i++) col[i] = rows[i]![at] ?? null;
      return col;
    }
    const col = new Array<unknown>(n);
    const ev = compileExpr(e);
    for (let i = 0; i < n; i++) {
      const v = ev(rows[i]!, ctx);
      // NaN sorts above every number in PostgreSQL; NULLs have their own placement.
      if (typeof v !== 'number' || v !== v) allNumeric = false;
      col[i] = v;
    }
    return col;
  });
  if (allNumeric && keys.length > 0 && n >= RADIX_MIN_ROWS) {
    const radix = radixOrder(cols.map(toFloat64), keys.map((k) => k.desc), n);
    if (radix !== null) return { order: radix, cols };
  }
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort(allNumeric && keys.length > 0 ? numericComparator(keys, cols) : indexComparator(keys, cols));
  return { order, cols };
}

/**
 * Keys whose values are all plain numbers (integers, floats, dates, timestamps: every type
 * stored as a JS number orders numerically) compare as doubles read from typed arrays, with no
 * NULL checks and no call through the type's comparator.
 */
function numericComparator(keys: readonly BoundSortKey[], cols: readonly ArrayLike<unknown>[]): (a: number, b: number) => number {
  const typed = cols.map(toFloat64);
  const sign = keys.map((k) => (k.desc ? -1 : 1));
  if (typed.length === 1) {
    const k0 = typed[0]!;
    const s0 = sign[0]!;
    return (a, b) => {
      const x = k0[a]!;
      const y = k0[b]!;
      return x < y ? -s0 : x > y ? s0 : a - b;
    };
  }
  if (typed.length === 2) {
    const k0 = typed[0]!;
    const k1 = typed[1]!;
    const s0 = sign[0]!;
    const s1 = sign[1]!;
    return (a, b) => {
      const x = k0[a]!;
      const y = k0[b]!;
      if (x !== y) return x < y ? -s0 : s0;
      const u = k1[a]!;
      const v = k1[b]!;
      return u < v ? -s1 : u > v ? s1 : a - b;
    };
  }
  const n = typed.length;
  return (a, b) => {
    for (let j = 0; j < n; j++) {
      const k = typed[j]!;
      const x = k[a]!;
      const y = k[b]!;
      if (x !== y) return x < y ? -sign[j]! : sign[j]!;
    }
    return a - b;
  };
}

/** A column of plain numbers as doubles (a loop: TypedArray.from goes through the iterator). */
function toFloat64(col: ArrayLike<unknown>): Float64Array {
  if (col instanceof Float64Array) return col;
  const n = col.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = col[i] as number;
  return out;
}

function permute<T>(items: readonly T[], order: ArrayLike<number>): T[] {
  const n = order.length;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = items[order[i]!]!;
  return out;
}

export function sortRows(rows: Row[], keys: readonly BoundSortKey[], ctx: ExecContext): Row[] {
  return permute(rows, sortOrder(rows, keys, ctx).order);
}

/** sortRows, also returning the permutation and the key values (see SortedRows). */
export function sortWithKeys(rows: Row[], keys: readonly BoundSortKey[], ctx: ExecContext): SortedRows {
  const { order, cols } = sortOrder(rows, keys, ctx);
  return { rows: permute(rows, order), order, keys: cols };
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
  // One key: most rows of a large input are no better than the worst row kept (the root), and
  // for plain numbers that shows with one comparison, without the general comparator. A tie
  // loses too: the kept row came earlier in the input.
  const single = n === 1 ? evals[0]! : null;
  const desc = n === 1 && keys[0]!.desc;
  const noBetter = single === null ? null : (row: Row): boolean => {
    if (heap.length < limit) return false;
    const v = single(row, ctx);
    const worst = heap[0]!.keys[0];
    return typeof v === 'number' && typeof worst === 'number' && (desc ? v <= worst : v >= worst);
  };
  // A scan below runs the same test itself. Rows it skips never get a position: positions only
  // order tied rows that are kept, and skipping rows that would not be kept leaves that order.
  const scanSkips = noBetter !== null && input.skipRows !== undefined && input.skipRows(noBetter, columnsUsed(keys[0]!.expr));
  for (let b = input.next(); b !== null; b = input.next()) {
    for (let r = 0; r < b.length; r++) {
      const row = b[r]!;
      if (noBetter !== null && !scanSkips && noBetter(row)) {
        pos++;
        continue;
      }
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
