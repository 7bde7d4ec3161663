/**
 * Which columns of each sequential scan a plan goes on to read: projection pushdown into the
 * scans of packed rows (src/storage/packed-chunk.ts), where a column nobody reads need not be
 * materialized (a text value read from a packed chunk is a fresh substring).
 *
 * Rows flow up unchanged through Filter, Sort, Limit and DISTINCT ON, which add the columns their
 * own expressions read; Project and Aggregate build new rows, so below them only what their
 * expressions read counts; a join splits what is read of its rows between its inputs. Everything
 * else (LATERAL, set operations, whole-row DISTINCT, windows, materialized CTEs, scans that lock
 * rows or feed a writer) takes every column. Correlated subqueries in a node's expressions read
 * that node's input row through the outer stack: their references to it count as the node's
 * reads (expr-rewrite.ts columnsUsed).
 *
 * Computed once per plan root (plans are immutable) and kept beside the plan: a scan reached from
 * several roots reads the union of what they need. A scan the analysis never saw reads every
 * column, so forgetting a root costs speed, never a value. Masks are indexed by row position
 * (attnum); 1 = read.
 */
import type { BoundExpr } from './bound-expr.ts';
import { columnsUsed } from './expr-rewrite.ts';
import type { PlanNode, SeqScanNode } from './plan-nodes.ts';
import { planExprs, planInputs } from './plan-walk.ts';

/** Columns a scan reads: `rows` for what it returns (null = all), `filter` for its own predicate. */
export interface ScanColumns {
  readonly rows: Uint8Array | null;
  readonly filter: Uint8Array;
}

const analyzed = new WeakSet<PlanNode>();
const byScan = new WeakMap<SeqScanNode, ScanColumns>();

/** Records what each scan under `root` reads, the first time `root` is about to run. */
export function noteScanColumns(root: PlanNode): void {
  if (analyzed.has(root)) return;
  analyzed.add(root);
  visit(root, null);
}

/** What `scan` reads (every column when no analyzed plan reached it). */
export function scanColumns(scan: SeqScanNode): ScanColumns {
  return byScan.get(scan) ?? { rows: null, filter: filterMask(scan) };
}

function filterMask(scan: SeqScanNode): Uint8Array {
  return columnMask(scan.filter === null ? [] : columnsUsed(scan.filter), scan.table.nextAttnum);
}

/** A mask of `width` (at least) with the given positions set. */
export function columnMask(cols: Iterable<number>, width: number): Uint8Array {
  let w = width;
  for (const c of cols) if (c >= w) w = c + 1;
  const mask = new Uint8Array(w);
  for (const c of cols) mask[c] = 1;
  return mask;
}

/** `need`: positions of this node's output its consumer reads; null = all of them. */
function visit(p: PlanNode, need: Set<number> | null): void {
  switch (p.node) {
    case 'SeqScan':
      return record(p, need);
    case 'Filter':
      return visit(p.input, withReads(need, [p.predicate]));
    case 'Sort':
      return visit(p.input, withReads(need, p.keys.map((k) => k.expr)));
    case 'Limit':
      return visit(p.input, withReads(need, planExprs(p)));
    case 'Distinct':
      return visit(p.input, p.on === null ? null : withReads(need, p.on));
    case 'Project':
    case 'Aggregate':
      return visit(p.input, withReads(new Set(), planExprs(p)));
    case 'HashJoin':
    case 'MergeJoin':
      return visitJoin(p.left, p.right, need, p.leftKeys, p.rightKeys, p.residual);
    case 'NestedLoopJoin':
      if (!p.lateral) return visitJoin(p.left, p.right, need, [], [], p.condition);
      visit(p.left, null);
      return visit(p.right, null);
    default:
      for (const input of planInputs(p)) visit(input, null);
  }
}

/**
 * A join's output row is its left input's (padded to the left's column count) followed by its
 * right input's; keys read their own side, the condition the joined row.
 */
function visitJoin(
  left: PlanNode, right: PlanNode, need: Set<number> | null,
  leftKeys: readonly BoundExpr[], rightKeys: readonly BoundExpr[], condition: BoundExpr | null,
): void {
  if (need === null) {
    visit(left, null);
    visit(right, null);
    return;
  }
  const lw = left.columns.length;
  const joined = withReads(need, condition === null ? [] : [condition])!;
  const leftNeed = withReads(new Set(), leftKeys)!;
  const rightNeed = withReads(new Set(), rightKeys)!;
  for (const c of joined) {
    if (c < lw) leftNeed.add(c);
    else rightNeed.add(c - lw);
  }
  visit(left, leftNeed);
  visit(right, rightNeed);
}

function record(scan: SeqScanNode, need: Set<number> | null): void {
  const filter = filterMask(scan);
  let rows: Uint8Array | null = null;
  if (need !== null && !scan.lockRows && !scan.emitRef) rows = orMasks(columnMask(need, scan.table.nextAttnum), filter);
  const prev = byScan.get(scan);
  if (prev !== undefined) rows = prev.rows === null || rows === null ? null : orMasks(prev.rows, rows);
  byScan.set(scan, { rows, filter });
}

function orMasks(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) | (b[i] ?? 0);
  return out;
}

function withReads(need: Set<number> | null, exprs: readonly BoundExpr[]): Set<number> | null {
  if (need === null) return null;
  const out = new Set(need);
  for (const e of exprs) columnsUsed(e, out);
  return out;
}
