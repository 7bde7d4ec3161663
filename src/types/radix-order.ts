/**
 * Stable LSD radix sort of row positions by numeric sort keys: the order Sort and the window
 * operator need when every key value is a plain number (src/exec/operators/sort.ts), and the
 * order a B-tree index is built in (src/storage/btree-index.ts).
 *
 * Each double maps to an unsigned 64-bit pattern that orders the same way (positives get the sign
 * bit set, negatives have every bit flipped; -0 counts as 0, as PostgreSQL compares it; DESC
 * flips every bit again). Positions are then redistributed by 16-bit digits, from the last key's
 * lowest digit to the first key's highest, which is a stable sort by all keys with ties left in
 * input order — exactly the order of the comparator it replaces. A digit that is the same for
 * every row (an integer's low word, the high bits of small values) costs one counting pass and
 * no move. For 100k rows that is a few linear passes instead of ~1.7M comparator calls.
 */

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const DIGIT_MASK = BUCKETS - 1;

/** Below this many rows the comparator sort is as fast (each pass clears 64k counters). */
export const RADIX_MIN_ROWS = 4096;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The stable ascending order of positions 0..n-1 by `cols` (first column most significant),
 * each reversed where `desc` says; null on a big-endian machine (the caller then uses a
 * comparator). Values must not be NaN.
 */
export function radixOrder(cols: readonly Float64Array[], desc: readonly boolean[], n: number): Uint32Array | null {
  if (!LITTLE_ENDIAN) return null;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const { counts, hi, lo } = scratchFor(n);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (let k = cols.length - 1; k >= 0; k--) {
    const col = cols[k]!;
    const flip = desc[k] === true ? 0xffffffff : 0;
    for (let i = 0; i < n; i++) {
      bits[0] = col[i]! + 0; // -0 + 0 is +0
      let h = words[1]!;
      let l = words[0]!;
      if (h >= 0x80000000) { h = ~h; l = ~l; } else h |= 0x80000000;
      hi[i] = h ^ flip;
      lo[i] = l ^ flip;
    }
    for (const word of [lo, hi]) {
      for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
        if (digitPass(word, shift, order, spare, counts, n)) {
          const t = order;
          order = spare;
          spare = t;
        }
      }
    }
  }
  return order;
}

/**
 * The digit words and counters of one sort, reused from call to call (the sort never re-enters):
 * fresh memory is not free (the kernel zeroes every new page, and on a virtual machine a page
 * fault can cost microseconds), and a 100k-row sort used a megabyte of it for these alone.
 * Buffers for more than SCRATCH_MAX_ROWS rows are not kept.
 */
const SCRATCH_MAX_ROWS = 1 << 20;
let scratch: { counts: Uint32Array; hi: Uint32Array; lo: Uint32Array } | null = null;

function scratchFor(n: number): { counts: Uint32Array; hi: Uint32Array; lo: Uint32Array } {
  if (scratch !== null && scratch.hi.length >= n) return scratch;
  const fresh = { counts: scratch?.counts ?? new Uint32Array(BUCKETS), hi: new Uint32Array(n), lo: new Uint32Array(n) };
  if (n <= SCRATCH_MAX_ROWS) scratch = fresh;
  return fresh;
}

/** One counting-sort pass of `order` into `out` by a digit; false (nothing moved) when all share it. */
function digitPass(word: Uint32Array, shift: number, order: Uint32Array, out: Uint32Array, counts: Uint32Array, n: number): boolean {
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(word[i]! >>> shift) & DIGIT_MASK]!++;
  if (n === 0 || counts[(word[0]! >>> shift) & DIGIT_MASK] === n) return false;
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = counts[b]!;
    counts[b] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const p = order[i]!;
    out[counts[(word[p]! >>> shift) & DIGIT_MASK]!++] = p;
  }
  return true;
}
