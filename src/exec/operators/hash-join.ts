/**
 * Hash join on equality keys: builds a hash table over the right input (keys → rows), then streams
 * the left input through it. NULL keys never match (SQL equality). Right/full joins remember which
 * build rows matched and emit the rest null-extended at the end.
 */
import type { HashJoinNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { compileExpr, compilePredicate, type Evaluator } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';
import { BATCH_ROWS, type Operator } from '../operator.ts';
import { PENDING } from '../interrupts.ts';
import { padTo } from './nested-loop-join.ts';
import { newRow } from '../new-row.ts';

type KeyFn = (row: Row, ctx: ExecContext) => unknown;

function keyFunction(exprs: readonly Evaluator[], parts: ((v: unknown) => unknown)[]): KeyFn {
  if (exprs.length === 1) {
    const e = exprs[0]!;
    const p = parts[0]!;
    return (row, ctx) => {
      const v = e(row, ctx);
      return v === null ? null : p(v);
    };
  }
  return (row, ctx) => {
    let key = '';
    for (let i = 0; i < exprs.length; i++) {
      const v = exprs[i]!(row, ctx);
      if (v === null) return null;
      const k = parts[i]!(v);
      const s = typeof k === 'string' ? k : `${typeof k}:${String(k)}`;
      key += `${s.length}:${s};`;
    }
    return key;
  };
}

export class HashJoinOperator implements Operator {
  private readonly node: HashJoinNode;
  private readonly left: Operator;
  private readonly right: Operator;
  private readonly ctx: ExecContext;
  private readonly leftKey: KeyFn;
  private readonly rightKey: KeyFn;
  private readonly residual: ((row: Row, ctx: ExecContext) => boolean) | null;
  private table: Map<unknown, Row[]> | null = null;
  private matched: Set<Row> | null = null;
  private readonly leftWidth: number;
  private readonly rightWidth: number;
  private leftDone = false;
  private finished = false;
  /** Null-aware anti join: the build side had a NULL key / had no rows at all. */
  private buildHasNull = false;
  private buildEmpty = true;

  constructor(node: HashJoinNode, left: Operator, right: Operator, ctx: ExecContext) {
    this.node = node;
    this.left = left;
    this.right = right;
    this.ctx = ctx;
    const parts = node.keyTypes.map((t) => hashKeyFor(t) as (v: unknown) => unknown);
    this.leftKey = keyFunction(node.leftKeys.map(compileExpr), parts);
    this.rightKey = keyFunction(node.rightKeys.map(compileExpr), parts);
    this.residual = node.residual ? compilePredicate(node.residual) : null;
    this.leftWidth = node.left.columns.length;
    this.rightWidth = node.right.columns.length;
  }

  private build(): Map<unknown, Row[]> {
    const ix = this.ctx.interrupts;
    // The build side is read in one go (only the probe side may yield, interrupts.ts).
    ix.noYield++;
    try {
      return this.buildTable();
    } finally {
      ix.noYield--;
    }
  }

  private buildTable(): Map<unknown, Row[]> {
    const table = new Map<unknown, Row[]>();
    const ctx = this.ctx;
    for (let b = this.right.next(); b !== null; b = this.right.next()) {
      for (const r of b) {
        this.buildEmpty = false;
        const k = this.rightKey(r, ctx);
        if (k === null) {
          this.buildHasNull = true;
          if (this.node.kind === 'right' || this.node.kind === 'full') {
            // Never matches, but still emitted null-extended at the end.
            let list = table.get(NULL_BUCKET);
            if (!list) table.set(NULL_BUCKET, (list = []));
            list.push(r);
          }
          continue;
        }
        const list = table.get(k);
        if (list) list.push(r);
        else table.set(k, [r]);
      }
    }
    if (this.node.kind === 'right' || this.node.kind === 'full') this.matched = new Set();
    return table;
  }

  next(): Row[] | null {
    if (this.finished) return null;
    const table = this.table ?? (this.table = this.build());
    const kind = this.node.kind;
    const ctx = this.ctx;
    const out: Row[] = [];
    if (this.node.nullAware === true) return this.nextNullAware(table);
    while (!this.leftDone && out.length < BATCH_ROWS) {
      const batch = this.left.next();
      if (batch === null) { this.leftDone = true; break; }
      if (batch === PENDING) return out.length > 0 ? out : PENDING;
      for (const l0 of batch) {
        const l = padTo(l0, this.leftWidth);
        const k = this.leftKey(l, ctx);
        const bucket = k === null ? undefined : table.get(k);
        let found = false;
        if (bucket !== undefined) {
          for (const r of bucket) {
            const combined = l.concat(r);
            if (this.residual !== null && !this.residual(combined, ctx)) continue;
            found = true;
            if (this.matched !== null) this.matched.add(r);
            if (kind === 'semi' || kind === 'anti') break;
            out.push(combined);
          }
        }
        if (kind === 'semi' && found) out.push(l);
        else if (kind === 'anti' && !found) out.push(l);
        else if (!found && (kind === 'left' || kind === 'full')) {
          out.push(l.concat(newRow(this.rightWidth)));
        }
      }
    }
    if (this.leftDone) {
      if (this.matched !== null) {
        const nulls = newRow(this.leftWidth);
        for (const bucket of table.values()) {
          for (const r of bucket) if (!this.matched.has(r)) out.push(nulls.concat(r));
        }
      }
      this.finished = true;
    }
    return out.length > 0 ? out : (this.finished ? null : this.next());
  }

  /** NOT IN: x NOT IN (set) is true only for non-null x absent from a set without NULLs. */
  private nextNullAware(table: Map<unknown, Row[]>): Row[] | null {
    if (this.buildHasNull) {
      this.finished = true;
      return null;
    }
    const ctx = this.ctx;
    const out: Row[] = [];
    while (out.length < BATCH_ROWS) {
      const batch = this.left.next();
      if (batch === null) { this.finished = true; break; }
      for (const l0 of batch) {
        const l = padTo(l0, this.leftWidth);
        if (this.buildEmpty) { out.push(l); continue; }
        const k = this.leftKey(l, ctx);
        if (k !== null && !table.has(k)) out.push(l);
      }
    }
    return out.length > 0 ? out : null;
  }

  close(): void {
    this.left.close();
    this.right.close();
    this.finished = true;
  }
}

const NULL_BUCKET = Symbol('null keys');
