/**
 * Rows a projection builds start with generic elements.
 *
 * `new Array(n)` starts as small integers and switches its backing store on the first double or
 * object stored into it: an allocation and a copy per row, and rows of mixed elements kinds for
 * the operators above to read through polymorphic accesses. Filled with nulls first, the array
 * is generic from the start. Measured on the window benchmark (a projection over 100k window
 * rows), minimum of 30 runs: 94-96 ms before, 78 ms after.
 *
 * The nulls come from copying a template row of the same width: `new Array(n).fill(null)` goes
 * through the generic fill builtin, about 55 ns for a row of four on the benchmark machine
 * against 15-20 ns for the copy (which keeps the packed elements kind fill gives). Filling in a
 * loop is cheaper still but leaves a holey array, whose every read checks for holes.
 *
 * Not for rows that stay alive with the query (the window operator's output): an array literal
 * there was measured slower, because V8 then allocates such rows directly in the old generation
 * and every value stored into them goes through a write barrier.
 */
import type { Row } from '../storage/version.ts';

/** Widths with a template; wider rows are filled (rare, and the copy's advantage shrinks). */
const TEMPLATE_WIDTH_MAX = 256;

/**
 * NULL_ROWS[n]: n nulls, never handed out (only copied). Not frozen: slice() of a frozen array
 * takes a slow path (about 360 ns) and returns a holey copy.
 */
const NULL_ROWS: (readonly null[] | undefined)[] = [];

/** A row of `n` nulls with generic (tagged), packed elements. */
export function newRow(n: number): Row {
  if (n > TEMPLATE_WIDTH_MAX) return new Array<unknown>(n).fill(null);
  let template = NULL_ROWS[n];
  if (template === undefined) template = NULL_ROWS[n] = new Array<null>(n).fill(null);
  return template.slice();
}
