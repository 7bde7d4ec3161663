/**
 * Filtering packed rows column-wise before reading them. A scan filter's top-level conjuncts of
 * the form `column op number` (a constant or a parameter; =, <>, <, <=, >, >=, either side) are
 * folded into one range per column and tested on the chunk's typed arrays (Int32Array,
 * Float64Array), giving the positions of the rows that pass all of them; only those rows are
 * then read into row arrays and tested against the filter's other conjuncts (`residual`).
 * Reading a packed row and calling the filter costs some 20 ns; a typed-array comparison costs
 * one or two, so a selective filter skips most of the scan's work.
 *
 * Exact, not a first cut: every type stored as a JS number orders numerically (as
 * compile-compare.ts relies on), NULL fails every comparison (and a failed conjunct fails the
 * AND), and NaN, which only floats hold, sorts above every other value as in PostgreSQL: it
 * passes a range with no upper bound and `<>`, and nothing else. A chunk where one of the
 * columns is not typed (NULLs only, or a value that is not a number) is not prefiltered: the
 * scan tests its rows with the whole filter, as before.
 */
import { COMMUTED, type BoundExpr, type CompareOp } from '../../plan/bound-expr.ts';
import { isNullAt, type PackedChunk } from '../../storage/packed-chunk.ts';
import type { Row } from '../../storage/version.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { compilePredicate } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';

/** The conjuncts on one column, as one range and the values `<>` excludes. */
interface ColumnRange {
  readonly col: number;
  lo: number;
  loIncl: boolean;
  hi: number;
  hiIncl: boolean;
  /** No upper bound (NaN passes: it is above every bound). */
  open: boolean;
  readonly ne: number[];
}

/** A conjunct `column op constant` or `column op $n` (either side), as its parts. */
interface Term {
  readonly conjunct: BoundExpr;
  readonly col: number;
  readonly op: CompareOp;
  /** The constant or parameter. */
  readonly bound: BoundExpr;
}

/**
 * What a filter's conjuncts are, once per filter expression (plans are immutable and cached, so
 * a scan run many times analyzes and compiles its filter's residual once).
 */
interface FilterShape {
  readonly terms: readonly Term[];
  readonly others: readonly BoundExpr[];
  readonly type: SqlType;
  /** The residual predicate when every term becomes a range (the usual case); built on first use. */
  residual: ((row: Row, ctx: ExecContext) => boolean) | null | undefined;
}

const shapes = new WeakMap<BoundExpr, FilterShape>();

function termOf(e: BoundExpr): Term | null {
  if (e.k !== 'cmp') return null;
  let { left, right } = e;
  let op = e.op;
  if (left.k !== 'col') {
    [left, right] = [right, left];
    op = COMMUTED[op];
  }
  if (left.k !== 'col' || left.levelsUp !== 0 || (right.k !== 'const' && right.k !== 'param')) return null;
  return { conjunct: e, col: left.index, op, bound: right };
}

/** The top-level conjuncts of a predicate. */
function conjuncts(e: BoundExpr, out: BoundExpr[]): BoundExpr[] {
  if (e.k === 'and') for (const a of e.args) conjuncts(a, out);
  else out.push(e);
  return out;
}

function shapeOf(filter: BoundExpr): FilterShape {
  let shape = shapes.get(filter);
  if (shape === undefined) {
    const terms: Term[] = [];
    const others: BoundExpr[] = [];
    for (const c of conjuncts(filter, [])) {
      const t = termOf(c);
      if (t === null) others.push(c);
      else terms.push(t);
    }
    shape = { terms, others, type: filter.type, residual: undefined };
    shapes.set(filter, shape);
  }
  return shape;
}

function predicateOf(conjuncts: readonly BoundExpr[], type: SqlType): ((row: Row, ctx: ExecContext) => boolean) | null {
  if (conjuncts.length === 0) return null;
  return compilePredicate(conjuncts.length === 1 ? conjuncts[0]! : { k: 'and', type, args: conjuncts });
}

function narrow(r: ColumnRange, op: CompareOp, v: number): void {
  if (op === '<>') { r.ne.push(v); return; }
  if (op === '=' || op === '>' || op === '>=') {
    const incl = op !== '>';
    if (v > r.lo || (v === r.lo && !incl)) { r.lo = v; r.loIncl = incl; }
  }
  if (op === '=' || op === '<' || op === '<=') {
    const incl = op !== '<';
    if (r.open || v < r.hi || (v === r.hi && !incl)) { r.hi = v; r.hiIncl = incl; }
    r.open = false;
  }
}

/** Whether a non-NULL value passes the range. */
function passes(r: ColumnRange, x: number): boolean {
  if (x !== x) return r.open;
  if (r.loIncl ? x < r.lo : x <= r.lo) return false;
  if (r.hiIncl ? x > r.hi : x >= r.hi) return false;
  const ne = r.ne;
  for (let j = 0; j < ne.length; j++) if (x === ne[j]) return false;
  return true;
}

export class PackedPrefilter {
  private readonly ranges: ColumnRange[];
  /** The filter's conjuncts the ranges do not cover, compiled; null when they cover them all. */
  readonly residual: ((row: Row, ctx: ExecContext) => boolean) | null;

  private constructor(ranges: ColumnRange[], residual: ((row: Row, ctx: ExecContext) => boolean) | null) {
    this.ranges = ranges;
    this.residual = residual;
  }

  /** The prefilter of a scan's filter (with this execution's parameters); null when no conjunct fits. */
  static of(filter: BoundExpr | null, params: readonly unknown[]): PackedPrefilter | null {
    if (filter === null) return null;
    const shape = shapeOf(filter);
    if (shape.terms.length === 0) return null;
    const byCol = new Map<number, ColumnRange>();
    let untaken: BoundExpr[] | null = null;
    for (const t of shape.terms) {
      const value = t.bound.k === 'const' ? t.bound.value : t.bound.k === 'param' ? params[t.bound.index] : undefined;
      // Not a number (NULL, a numeric, a string), or NaN: the conjunct stays in the residual
      // filter, where the type's comparator decides.
      if (typeof value !== 'number' || value !== value) {
        (untaken ??= []).push(t.conjunct);
        continue;
      }
      let r = byCol.get(t.col);
      if (r === undefined) {
        r = { col: t.col, lo: -Infinity, loIncl: true, hi: Infinity, hiIncl: true, open: true, ne: [] };
        byCol.set(t.col, r);
      }
      narrow(r, t.op, value);
    }
    if (byCol.size === 0) return null;
    let residual: ((row: Row, ctx: ExecContext) => boolean) | null;
    if (untaken === null) {
      if (shape.residual === undefined) shape.residual = predicateOf(shape.others, shape.type);
      residual = shape.residual;
    } else {
      residual = predicateOf([...shape.others, ...untaken], shape.type);
    }
    return new PackedPrefilter([...byCol.values()], residual);
  }

  /**
   * Writes the positions in [from, to) of the chunk's rows that pass every range into `sel`
   * (room for to - from) and returns how many; -1 when a range's column is not typed in this
   * chunk (the caller then tests the rows with the whole filter).
   */
  select(chunk: PackedChunk, from: number, to: number, sel: Int32Array): number {
    const ranges = this.ranges;
    for (let r = 0; r < ranges.length; r++) if (chunk.numbers(ranges[r]!.col) === null) return -1;
    let count = 0;
    for (let r = 0; r < ranges.length; r++) {
      const range = ranges[r]!;
      const data = chunk.numbers(range.col)!;
      const bits = chunk.nullBits(range.col);
      let m = 0;
      if (r === 0) {
        for (let i = from; i < to; i++) {
          if (passes(range, data[i]!) && (bits === null || !isNullAt(bits, i))) sel[m++] = i;
        }
      } else {
        for (let j = 0; j < count; j++) {
          const i = sel[j]!;
          if (passes(range, data[i]!) && (bits === null || !isNullAt(bits, i))) sel[m++] = i;
        }
      }
      count = m;
      if (count === 0) break;
    }
    return count;
  }
}
