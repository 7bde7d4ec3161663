/**
 * Merge join on equality keys over two inputs sorted ascending on those keys (the planner only
 * builds a MergeJoin when both inputs provably arrive in that order). Both inputs are streamed:
 * the operator walks them in step, and when the current keys compare equal it gathers the run of
 * equal-keyed rows on each side and emits their cross product (subject to the residual), so
 * duplicate keys on both sides are handled without rescanning.
 *
 * NULLs: a row whose key has a NULL can never match (SQL equality). Such a row is passed over as
 * unmatched wherever it appears; dropping elements from a sorted sequence leaves it sorted, so the
 * NULLS FIRST/LAST placement of the inputs does not matter.
 *
 * Outer joins: a run's rows are complete once gathered, so whether each left/right row matched is
 * known at the end of the run and unmatched rows are emitted null-extended right there; the
 * output therefore keeps the merge order.
 */
import type { MergeJoinNode } from '../../plan/plan-nodes.ts';
import type { Comparator } from '../../plan/bound-expr.ts';
import type { Row } from '../../storage/version.ts';
import { compileExpr, compilePredicate, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { padTo } from './nested-loop-join.ts';

/** Row-at-a-time view over a batched input, with the current row's key values evaluated once. */
class Cursor {
  private readonly op: Operator;
  private readonly keys: readonly Evaluator[];
  private readonly width: number;
  private readonly ctx: ExecContext;
  private batch: Row[] | null = null;
  private pos = 0;
  private done = false;
  row: Row | null = null;
  key: unknown[] = [];
  /** The current key contains a NULL (never matches). */
  hasNull = false;

  constructor(op: Operator, keys: readonly Evaluator[], width: number, ctx: ExecContext) {
    this.op = op;
    this.keys = keys;
    this.width = width;
    this.ctx = ctx;
  }

  /** Moves to the next row (the first call loads the first one); false at the end. */
  advance(): boolean {
    while (!this.done && (this.batch === null || this.pos >= this.batch.length)) {
      this.batch = this.op.next();
      this.pos = 0;
      if (this.batch === null) this.done = true;
    }
    if (this.done) {
      this.row = null;
      return false;
    }
    const row = padTo(this.batch![this.pos++]!, this.width);
    this.row = row;
    const n = this.keys.length;
    const key = new Array<unknown>(n);
    let hasNull = false;
    for (let i = 0; i < n; i++) {
      const v = this.keys[i]!(row, this.ctx);
      if (v === null) hasNull = true;
      key[i] = v;
    }
    this.key = key;
    this.hasNull = hasNull;
    return true;
  }
}

function compareKeys(a: readonly unknown[], b: readonly unknown[], cmps: readonly Comparator[]): number {
  for (let i = 0; i < cmps.length; i++) {
    const c = cmps[i]!(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export class MergeJoinOperator implements Operator {
  private readonly node: MergeJoinNode;
  private readonly leftOp: Operator;
  private readonly rightOp: Operator;
  private readonly ctx: ExecContext;
  private readonly left: Cursor;
  private readonly right: Cursor;
  private readonly residual: ((row: Row, ctx: ExecContext) => boolean) | null;
  private readonly leftNulls: Row;
  private readonly rightNulls: Row;
  private readonly emitLeftUnmatched: boolean;
  private readonly emitRightUnmatched: boolean;
  private started = false;
  private finished = false;

  constructor(node: MergeJoinNode, left: Operator, right: Operator, ctx: ExecContext) {
    this.node = node;
    this.leftOp = left;
    this.rightOp = right;
    this.ctx = ctx;
    const lw = node.left.columns.length;
    const rw = node.right.columns.length;
    this.left = new Cursor(left, node.leftKeys.map(compileExpr), lw, ctx);
    this.right = new Cursor(right, node.rightKeys.map(compileExpr), rw, ctx);
    this.residual = node.residual ? compilePredicate(node.residual) : null;
    this.leftNulls = new Array<unknown>(lw).fill(null);
    this.rightNulls = new Array<unknown>(rw).fill(null);
    this.emitLeftUnmatched = node.kind === 'left' || node.kind === 'full' || node.kind === 'anti';
    this.emitRightUnmatched = node.kind === 'right' || node.kind === 'full';
  }

  next(): Row[] | null {
    if (this.finished) return null;
    const L = this.left;
    const R = this.right;
    if (!this.started) {
      this.started = true;
      L.advance();
      R.advance();
    }
    const cmps = this.node.cmps;
    const out: Row[] = [];
    while (out.length < BATCH_ROWS) {
      const l = L.row;
      const r = R.row;
      if (l === null && r === null) { this.finished = true; break; }
      if (l !== null && (r === null || L.hasNull)) {
        this.leftUnmatched(l, out);
        L.advance();
        continue;
      }
      if (r !== null && (l === null || R.hasNull)) {
        if (this.emitRightUnmatched) out.push(this.leftNulls.concat(r));
        R.advance();
        continue;
      }
      const c = compareKeys(L.key, R.key, cmps);
      if (c < 0) {
        this.leftUnmatched(l!, out);
        L.advance();
      } else if (c > 0) {
        if (this.emitRightUnmatched) out.push(this.leftNulls.concat(r!));
        R.advance();
      } else {
        this.joinRuns(out);
      }
    }
    return out.length > 0 ? out : null;
  }

  private leftUnmatched(l: Row, out: Row[]): void {
    if (this.node.kind === 'anti') out.push(l);
    else if (this.emitLeftUnmatched) out.push(l.concat(this.rightNulls));
  }

  /** Both cursors sit on equal (non-NULL) keys: gather each side's run and join them. */
  private joinRuns(out: Row[]): void {
    const L = this.left;
    const R = this.right;
    const cmps = this.node.cmps;
    const key = L.key;
    const lefts: Row[] = [];
    do lefts.push(L.row!); while (L.advance() && !L.hasNull && compareKeys(L.key, key, cmps) === 0);
    const rights: Row[] = [];
    do rights.push(R.row!); while (R.advance() && !R.hasNull && compareKeys(R.key, key, cmps) === 0);
    const kind = this.node.kind;
    const residual = this.residual;
    const ctx = this.ctx;
    const rightMatched = this.emitRightUnmatched ? new Uint8Array(rights.length) : null;
    for (const l of lefts) {
      let matched = false;
      for (let i = 0; i < rights.length; i++) {
        const combined = l.concat(rights[i]!);
        if (residual !== null && !residual(combined, ctx)) continue;
        matched = true;
        if (rightMatched !== null) rightMatched[i] = 1;
        if (kind === 'semi' || kind === 'anti') break;
        out.push(combined);
      }
      if (kind === 'semi') { if (matched) out.push(l); } else if (!matched) this.leftUnmatched(l, out);
    }
    if (rightMatched !== null) {
      for (let i = 0; i < rights.length; i++) if (!rightMatched[i]) out.push(this.leftNulls.concat(rights[i]!));
    }
  }

  close(): void {
    this.leftOp.close();
    this.rightOp.close();
    this.finished = true;
  }
}
