/**
 * Window functions: partitions the input, orders each partition, and computes ranking, offset,
 * value and aggregate functions over frames (ROWS / RANGE / GROUPS with offsets and EXCLUDE).
 * Output rows are the input row followed by one column per window function.
 */
import { DbError } from '../../errors/index.ts';
import type { WindowNode, WindowFunctionCall } from '../../plan/plan-nodes.ts';
import type { BoundSortKey } from '../../plan/bound-expr.ts';
import type { Row } from '../../storage/version.ts';
import { comparatorFor } from '../../types/compare.ts';
import { compileExpr, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, drain, type Operator } from '../operator.ts';
import { compareKey, sortWithKeys } from './sort.ts';

/** Per node: the partition keys (ascending) followed by ORDER BY: the one sort a window needs. */
const sortKeysByNode = new WeakMap<WindowNode, readonly BoundSortKey[]>();

function sortKeysOf(node: WindowNode): readonly BoundSortKey[] {
  let keys = sortKeysByNode.get(node);
  if (keys === undefined) {
    const partition = node.partitionBy.map((expr, i): BoundSortKey => (
      { expr, desc: false, nullsFirst: false, cmp: comparatorFor(node.partitionTypes[i]!) }));
    keys = [...partition, ...node.orderBy];
    sortKeysByNode.set(node, keys);
  }
  return keys;
}

/**
 * Sorts the input once by (partition keys, ORDER BY), as PostgreSQL does, so partitions are
 * contiguous runs and peer groups come from comparing neighbouring sort keys. Output rows are the
 * input row followed by one value per window function, in that sorted order.
 *
 * The function values are computed for the whole input up front, but output rows are built one
 * batch at a time as the consumer asks: a query that reduces the window's rows (an aggregate on
 * top, a LIMIT) then never holds them all, so they die young instead of being promoted.
 */
export class WindowOperator implements Operator {
  private readonly node: WindowNode;
  private readonly input: Operator;
  private readonly ctx: ExecContext;
  /** Sorted input rows and, per function, its value for each of them (null until computed). */
  private rows: Row[] | null = null;
  private results: unknown[][] = [];
  private pos = 0;

  constructor(node: WindowNode, input: Operator, ctx: ExecContext) {
    this.node = node;
    this.input = input;
    this.ctx = ctx;
  }

  next(): Row[] | null {
    if (this.rows === null) this.compute();
    const rows = this.rows!;
    const results = this.results;
    const start = this.pos;
    if (start >= rows.length) return null;
    const end = Math.min(rows.length, start + BATCH_ROWS);
    const nf = results.length;
    const out = new Array<Row>(end - start);
    for (let i = start; i < end; i++) {
      const src = rows[i]!;
      const w = src.length;
      const row: Row = new Array(w + nf);
      for (let c = 0; c < w; c++) row[c] = src[c];
      for (let r = 0; r < nf; r++) row[w + r] = results[r]![i] ?? null;
      out[i - start] = row;
    }
    this.pos = end;
    return out;
  }

  close(): void {
    this.input.close();
    this.rows = [];
    this.results = [];
  }

  private compute(): void {
    const { node, ctx } = this;
    const input = drain(this.input);
    const keys = sortKeysOf(node);
    const { rows, order, keys: cols } = keys.length > 0 ? sortWithKeys(input, keys, ctx) : { rows: input, order: [], keys: [] };
    const np = node.partitionBy.length;
    const n = rows.length;
    const results = node.functions.map(() => new Array<unknown>(n));
    // Column arguments of forward-moving aggregates, read once per row in input order: the rows
    // are then visited in the order they arrived (for a scan, the order they sit in memory)
    // instead of in sorted order, a cache miss per row on a large input. Only plain columns:
    // reading one cannot fail, so reading it for a row the frames never reach changes nothing.
    const argCols = node.functions.map((f) => (movesForward(f) && f.aggregate!.filter === null && f.args.every(isPlainColumn)
      ? f.args.map((a) => columnOf(a, input)) : null));
    for (let start = 0; start < n;) {
      let end = start + 1;
      while (end < n && sameKeys(cols, keys, 0, np, order[end - 1]!, order[end]!)) end++;
      const part = start === 0 && end === n ? rows : rows.slice(start, end);
      const peers = peerGroups(cols, order, keys, np, start, end);
      for (let f = 0; f < results.length; f++) {
        const cols = argCols[f]!;
        const values = computeFunction(node.functions[f]!, part, peers, node, ctx, cols === null ? null : { cols, order, start });
        const all = results[f]!;
        for (let i = 0; i < values.length; i++) all[start + i] = values[i];
      }
      start = end;
    }
    this.rows = rows;
    this.results = results;
  }
}

/** True when input rows a and b have equal keys from..to-1 (NULLs equal each other). */
function sameKeys(cols: readonly ArrayLike<unknown>[], keys: readonly BoundSortKey[], from: number, to: number, a: number, b: number): boolean {
  for (let j = from; j < to; j++) {
    const col = cols[j]!;
    const x = col[a];
    const y = col[b];
    // Neighbours in a partition mostly hold the same value: identical values (and NULLs) are
    // equal under every ordering, so only different ones go to the type's comparator.
    if (x !== y && compareKey(x, y, keys[j]!) !== 0) return false;
  }
  return true;
}

/** Peer groups of a partition (rows equal under ORDER BY), by position within the partition. */
interface Peers {
  /** first[i]: index of the first row of row i's peer group. */
  readonly first: Int32Array;
  /** end[i]: index just past the last row of row i's peer group. */
  readonly end: Int32Array;
}

/**
 * The peer groups of sorted rows start..end-1; ORDER BY keys are columns np.. of `cols`, indexed
 * by input position (`order` maps sorted positions to input positions).
 */
function peerGroups(
  cols: readonly ArrayLike<unknown>[], order: ArrayLike<number>, keys: readonly BoundSortKey[], np: number, start: number, end: number,
): Peers {
  const n = end - start;
  const first = new Int32Array(n);
  const last = new Int32Array(n);
  if (keys.length === np) {
    last.fill(n);
    return { first, end: last };
  }
  let groupStart = 0;
  for (let i = 1; i < n; i++) {
    if (!sameKeys(cols, keys, np, keys.length, order[start + i - 1]!, order[start + i]!)) {
      last.fill(i, groupStart, i);
      groupStart = i;
    }
    first[i] = groupStart;
  }
  last.fill(n, groupStart, n);
  return { first, end: last };
}

/**
 * A function's argument values evaluated ahead (see compute): `cols[a][p]` is argument a of input
 * row p; the partition's sorted row j is input row `order[start + j]` (`start + j` unsorted).
 */
interface ArgColumns {
  readonly cols: readonly unknown[][];
  readonly order: ArrayLike<number>;
  readonly start: number;
}

type Arg = WindowFunctionCall['args'][number];

function isPlainColumn(e: Arg): boolean {
  return e.k === 'col' && e.levelsUp === 0;
}

/** The values of plain column `e` (isPlainColumn) of every row. */
function columnOf(e: Arg, rows: Row[]): unknown[] {
  const at = (e as Extract<Arg, { k: 'col' }>).index;
  const n = rows.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = rows[i]![at] ?? null;
  return out;
}

function computeFunction(
  f: WindowFunctionCall, rows: Row[], peers: Peers, node: WindowNode, ctx: ExecContext, argCols: ArgColumns | null,
): unknown[] {
  const n = rows.length;
  const out = new Array<unknown>(n);
  const args = f.args.map(compileExpr);
  switch (f.name) {
    case 'row_number':
      for (let i = 0; i < n; i++) out[i] = i + 1;
      return out;
    case 'rank':
      for (let i = 0; i < n; i++) out[i] = peers.first[i]! + 1;
      return out;
    case 'dense_rank': {
      let rank = 0;
      for (let i = 0; i < n; i++) {
        if (i === 0 || peers.first[i] !== peers.first[i - 1]) rank++;
        out[i] = rank;
      }
      return out;
    }
    case 'percent_rank':
      for (let i = 0; i < n; i++) out[i] = n > 1 ? peers.first[i]! / (n - 1) : 0;
      return out;
    case 'cume_dist':
      for (let i = 0; i < n; i++) out[i] = peers.end[i]! / n;
      return out;
    case 'ntile': {
      for (let i = 0; i < n; i++) {
        const b = args[0]!(rows[i]!, ctx);
        if (b === null) { out[i] = null; continue; }
        const buckets = Number(b);
        if (buckets <= 0) throw new DbError('invalid_argument_for_power_function', 'argument of ntile must be greater than zero');
        const per = Math.floor(n / buckets);
        const extra = n % buckets;
        const big = extra * (per + 1);
        out[i] = i < big ? Math.floor(i / (per + 1)) + 1 : Math.floor((i - big) / Math.max(per, 1)) + extra + 1;
      }
      return out;
    }
    case 'lag':
    case 'lead': {
      const sign = f.name === 'lag' ? -1 : 1;
      for (let i = 0; i < n; i++) {
        const off = args[1] ? args[1](rows[i]!, ctx) : 1;
        if (off === null) { out[i] = null; continue; }
        const j = i + sign * Number(off);
        out[i] = j >= 0 && j < n ? args[0]!(rows[j]!, ctx) : (args[2] ? args[2](rows[i]!, ctx) : null);
      }
      return out;
    }
    default:
      return frameFunction(f, args, rows, peers, node, ctx, argCols);
  }
}

/** Aggregates whose final function can be applied to a state that keeps growing afterwards. */
const RUNNING_SAFE = new Set(['count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every']);

/** True for an aggregate that movingAggregate computes (its frames only move forward). */
function movesForward(f: WindowFunctionCall): boolean {
  const agg = f.aggregate;
  if (agg === null || f.frame.exclusion !== 'no_others') return false;
  if (agg.def.inverse !== undefined) return true;
  return f.frame.start.type === 'unbounded_preceding' && RUNNING_SAFE.has(agg.def.name);
}

/** Functions evaluated over each row's frame: first/last/nth_value and aggregates. */
function frameFunction(
  f: WindowFunctionCall, args: Evaluator[], rows: Row[], peers: Peers, node: WindowNode, ctx: ExecContext, argCols: ArgColumns | null,
): unknown[] {
  const n = rows.length;
  const out = new Array<unknown>(n);
  if (movesForward(f)) return movingAggregate(f, args, rows, peers, node, ctx, argCols);
  const filter = f.aggregate?.filter ? compileExpr(f.aggregate.filter) : null;
  for (let i = 0; i < n; i++) {
    const frame = frameRows(f, rows, peers, node, ctx, i);
    if (f.aggregate !== null) {
      const agg = f.aggregate;
      let state = agg.def.init(agg.argTypes);
      for (const j of frame) {
        const r = rows[j]!;
        if (filter !== null && filter(r, ctx) !== true) continue;
        const vals = args.map((a) => a(r, ctx));
        if (agg.def.strict && vals.some((v) => v === null)) continue;
        state = agg.def.step(state, vals, ctx);
      }
      out[i] = agg.def.final(state, ctx, agg.argTypes) ?? null;
      continue;
    }
    if (f.name === 'first_value') out[i] = frame.length > 0 ? args[0]!(rows[frame[0]!]!, ctx) : null;
    else if (f.name === 'last_value') out[i] = frame.length > 0 ? args[0]!(rows[frame[frame.length - 1]!]!, ctx) : null;
    else if (f.name === 'nth_value') {
      const k = args[1]!(rows[i]!, ctx);
      if (k !== null && Number(k) <= 0) throw new DbError('invalid_argument_for_power_function', 'argument of nth_value must be greater than zero');
      const idx = k === null ? -1 : Number(k) - 1;
      out[i] = idx >= 0 && idx < frame.length ? args[0]!(rows[frame[idx]!]!, ctx) : null;
    } else {
      throw new DbError('undefined_function', `window function ${f.name} is not supported`);
    }
  }
  return out;
}

/**
 * An aggregate over frames that only move forward (frame bounds are non-decreasing in a sorted
 * partition): rows entering the frame are added to one running state, rows leaving it are taken
 * out with the aggregate's inverse transition (PostgreSQL's moving-aggregate mode), so the whole
 * partition costs O(n) transitions instead of O(n × frame). Without an inverse (or when a frame
 * would move backwards) the state is rebuilt for that row.
 */
function movingAggregate(
  f: WindowFunctionCall, args: Evaluator[], rows: Row[], peers: Peers, node: WindowNode, ctx: ExecContext, argCols: ArgColumns | null,
): unknown[] {
  const agg = f.aggregate!;
  const def = agg.def;
  const filter = agg.filter ? compileExpr(agg.filter) : null;
  const n = rows.length;
  const out = new Array<unknown>(n);
  const nArgs = args.length;
  const vals = new Array<unknown>(nArgs);
  /** Evaluates row j's arguments into `vals`; false when the row does not feed the aggregate. */
  const load = (j: number): boolean => {
    if (filter !== null && filter(rows[j]!, ctx) !== true) return false;
    if (argCols !== null) {
      const p = argCols.order.length === 0 ? argCols.start + j : argCols.order[argCols.start + j]!;
      for (let a = 0; a < nArgs; a++) {
        const v = argCols.cols[a]![p];
        if (v === null && def.strict) return false;
        vals[a] = v;
      }
      return true;
    }
    const r = rows[j]!;
    for (let a = 0; a < nArgs; a++) {
      const v = args[a]!(r, ctx);
      if (v === null && def.strict) return false;
      vals[a] = v;
    }
    return true;
  };
  let state = def.init(agg.argTypes);
  let lo = 0;
  let hi = -1;
  const bounds = new Int32Array(2);
  for (let i = 0; i < n; i++) {
    frameBounds(f, rows, peers, node, ctx, i, bounds);
    const s = bounds[0]!;
    const e = bounds[1]!;
    if (s < lo || e < hi || (s > lo && def.inverse === undefined)) {
      // Rebuild: the frame moved backwards or rows must leave without an inverse.
      state = def.init(agg.argTypes);
      lo = s;
      hi = s - 1;
    }
    for (; lo < s && lo <= hi; lo++) if (load(lo)) state = def.inverse!(state, vals, ctx);
    if (lo < s) { lo = s; hi = Math.max(hi, s - 1); }
    for (; hi < e; ) {
      hi++;
      if (load(hi)) state = def.step(state, vals, ctx);
    }
    out[i] = s > e ? (def.final(def.init(agg.argTypes), ctx, agg.argTypes) ?? null) : (def.final(state, ctx, agg.argTypes) ?? null);
  }
  return out;
}

/** Frame bound of row i: its start (isStart) or end, before clamping to the partition. */
function frameBound(
  b: WindowFunctionCall['frame']['start'], isStart: boolean, f: WindowFunctionCall, rows: Row[], peers: Peers,
  node: WindowNode, ctx: ExecContext, i: number,
): number {
  const mode = f.frame.mode;
  switch (b.type) {
    case 'unbounded_preceding': return 0;
    case 'unbounded_following': return rows.length - 1;
    case 'current_row':
      if (mode === 'rows') return i;
      return isStart ? peers.first[i]! : peers.end[i]! - 1;
    case 'preceding':
    case 'following': {
      const off = b.offset ? frameOffset(b.offset, mode, isStart, rows[i]!, ctx) : 0;
      const sign = b.type === 'preceding' ? -1 : 1;
      if (mode === 'rows') return i + sign * off;
      if (mode === 'groups') return groupOffset(peers.first, i, sign * off, isStart);
      return rangeOffset(rows, node, ctx, i, sign * off, isStart);
    }
    default: return i;
  }
}

/** First and last row index of row i's frame (before EXCLUDE), clamped to the partition, into `out`. */
function frameBounds(
  f: WindowFunctionCall, rows: Row[], peers: Peers, node: WindowNode, ctx: ExecContext, i: number, out: Int32Array,
): void {
  out[0] = Math.max(0, frameBound(f.frame.start, true, f, rows, peers, node, ctx, i));
  out[1] = Math.min(rows.length - 1, frameBound(f.frame.end, false, f, rows, peers, node, ctx, i));
}

function frameRows(
  f: WindowFunctionCall, rows: Row[], peers: Peers, node: WindowNode, ctx: ExecContext, i: number,
): number[] {
  const { exclusion } = f.frame;
  const bounds = new Int32Array(2);
  frameBounds(f, rows, peers, node, ctx, i, bounds);
  const s = bounds[0]!;
  const e = bounds[1]!;
  const out: number[] = [];
  for (let j = s; j <= e; j++) {
    if (exclusion === 'current_row' && j === i) continue;
    if (exclusion === 'group' && peers.first[j] === peers.first[i]) continue;
    if (exclusion === 'ties' && peers.first[j] === peers.first[i] && j !== i) continue;
    out.push(j);
  }
  return out;
}

/** Evaluates a frame offset with PostgreSQL's run-time checks (null 22004, negative 22013). */
function frameOffset(
  e: import('../../plan/bound-expr.ts').BoundExpr, mode: 'rows' | 'range' | 'groups', isStart: boolean, row: Row, ctx: ExecContext,
): number {
  const v = compileExpr(e)(row, ctx);
  const which = isStart ? 'starting' : 'ending';
  if (v === null) throw new DbError('null_value_not_allowed', `frame ${which} offset must not be null`);
  const n = Number(typeof v === 'object' ? String(v) : v);
  if (n < 0) {
    throw new DbError('invalid_preceding_or_following_size', mode === 'range'
      ? 'invalid preceding or following size in window function' : `frame ${which} offset must not be negative`);
  }
  return n;
}

function groupOffset(peers: Int32Array, i: number, delta: number, isStart: boolean): number {
  const groups: number[] = [];
  for (let j = 0; j < peers.length; j++) if (j === 0 || peers[j] !== peers[j - 1]) groups.push(j);
  const g = groups.indexOf(peers[i]!) + delta;
  if (g < 0) return isStart ? 0 : -1;
  if (g >= groups.length) return isStart ? peers.length : peers.length - 1;
  return isStart ? groups[g]! : (g + 1 < groups.length ? groups[g + 1]! - 1 : peers.length - 1);
}

function rangeOffset(rows: Row[], node: WindowNode, ctx: ExecContext, i: number, delta: number, isStart: boolean): number {
  const key = node.orderBy[0];
  if (!key) return isStart ? 0 : rows.length - 1;
  const ev = compileExpr(key.expr);
  const cur = ev(rows[i]!, ctx);
  if (cur === null) return i;
  const dir = key.desc ? -1 : 1;
  const target = Number(cur) + delta * dir;
  if (isStart) {
    for (let j = 0; j < rows.length; j++) {
      const v = ev(rows[j]!, ctx);
      if (v !== null && dir * (Number(v) - target) >= 0) return j;
    }
    return rows.length;
  }
  for (let j = rows.length - 1; j >= 0; j--) {
    const v = ev(rows[j]!, ctx);
    if (v !== null && dir * (Number(v) - target) <= 0) return j;
  }
  return -1;
}
