/**
 * Position of a value in an equi-depth histogram (PostgreSQL ineq_histogram_selectivity): the
 * fraction of the histogram's population below the value, found by binary search for the bucket
 * and linear interpolation inside it when the values map to numbers (numbers, bigints, numerics,
 * date/time values, which are numbers of units since an epoch, and text, compared as base-256
 * fractions after the bucket bounds' common prefix, like convert_string_to_scalar).
 */

type Comparator = (a: unknown, b: unknown) => number;

/** A number preserving order within one bucket, or null for values with no numeric view. */
function numericView(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null && 'toNumber' in v && typeof (v as { toNumber: unknown }).toNumber === 'function') {
    const n = (v as { toNumber(): number }).toNumber();
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Text as a base-256 fraction of its first characters after `skip` (common prefix length). */
function textView(s: string, skip: number): number {
  let x = 0;
  let scale = 1;
  for (let i = skip; i < Math.min(s.length, skip + 6); i++) {
    scale /= 256;
    x += Math.min(255, s.charCodeAt(i)) * scale;
  }
  return x;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Where `v` sits between bucket bounds `lo` and `hi` (0..1), 0.5 when not interpolable. */
function interpolate(lo: unknown, hi: unknown, v: unknown): number {
  if (typeof lo === 'string' && typeof hi === 'string' && typeof v === 'string') {
    const skip = commonPrefix(lo, hi);
    const l = textView(lo, skip);
    const h = textView(hi, skip);
    const x = textView(v, skip);
    return h > l ? Math.min(1, Math.max(0, (x - l) / (h - l))) : 0.5;
  }
  const l = numericView(lo);
  const h = numericView(hi);
  const x = numericView(v);
  if (l === null || h === null || x === null || !(h > l)) return 0.5;
  return Math.min(1, Math.max(0, (x - l) / (h - l)));
}

/** Fraction of the histogram's population with values below `v` (bounds ascending, ≥ 2). */
export function histogramFraction(bounds: readonly unknown[], v: unknown, cmp: Comparator): number {
  const n = bounds.length;
  if (cmp(v, bounds[0]) <= 0) return 0;
  if (cmp(v, bounds[n - 1]) >= 0) return 1;
  // Largest i with bounds[i] < v.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cmp(bounds[mid], v) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + interpolate(bounds[lo], bounds[lo + 1], v)) / (n - 1);
}
