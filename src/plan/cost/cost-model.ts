/**
 * Cost model: PostgreSQL's cost units and formulas (costsize.c), over our plan nodes and their
 * row estimates. Costs are arbitrary units where reading one sequential page costs 1.0:
 *  - seq_page_cost 1.0 per table page (pages derived from rows × average tuple width),
 *    random_page_cost 4.0 per page an index lookup touches;
 *  - cpu_tuple_cost 0.01 per row produced or processed, cpu_index_tuple_cost 0.005 per index
 *    entry, cpu_operator_cost 0.0025 per operator or function evaluated per row.
 * Every node has a startup cost (before its first row) and a total cost (all rows). Used by the
 * join planner to compare alternatives and by EXPLAIN to display them. Costs of subqueries inside
 * expressions are not counted (as PostgreSQL's initplans, they are shown separately there).
 */
import { typeInfo } from '../../types/sql-type.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { PlanNode } from '../plan-nodes.ts';
import { planOrigin } from '../stats/column-origin.ts';
import { columnStats } from '../stats/column-origin.ts';

import { CPU_INDEX_TUPLE_COST, CPU_OPERATOR_COST, CPU_TUPLE_COST, RANDOM_PAGE_COST, SEQ_PAGE_COST } from './constants.ts';
import { indexNodeCost, seqScanCost } from '../binder/access-cost.ts';

export { CPU_INDEX_TUPLE_COST, CPU_OPERATOR_COST, CPU_TUPLE_COST, RANDOM_PAGE_COST, SEQ_PAGE_COST };
/** PostgreSQL's page size and per-tuple header overhead, to turn rows into pages. */
const PAGE_BYTES = 8192;
const TUPLE_OVERHEAD_BYTES = 28;

export interface Cost {
  readonly startup: number;
  readonly total: number;
}

/** Operators evaluated by an expression per row (each AND arm counts as one qual). */
export function qualCount(e: BoundExpr | null): number {
  return e === null ? 0 : e.k === 'and' ? e.args.length : 1;
}

/**
 * Average width in bytes of one output column: the statistics' avg_width when the column comes
 * straight from an analyzed table, else the type's fixed length, else 32 (PostgreSQL's guess).
 */
function columnWidth(p: PlanNode, i: number): number {
  const src = planOrigin(p)(i);
  if (src !== null) {
    const st = columnStats(src);
    if (st !== null && st.avgWidth > 0) return st.avgWidth;
  }
  const len = typeInfo(p.columns[i]!.type.oid)?.len ?? -1;
  return len > 0 ? len : 32;
}

/** Estimated row width of a plan's output (EXPLAIN's `width=`). */
export function planWidth(p: PlanNode): number {
  let w = 0;
  for (let i = 0; i < p.columns.length; i++) {
    if ((p.node === 'SeqScan' || p.node === 'IndexScan') && p.columns[i]!.name === `?dropped${i}`) continue;
    w += columnWidth(p, i);
  }
  return w;
}

/** Pages a table of `rows` rows of `width` bytes occupies. */
export function pagesFor(rows: number, width: number): number {
  if (rows <= 0) return 0;
  return Math.max(1, Math.ceil((rows * (width + TUPLE_OVERHEAD_BYTES)) / PAGE_BYTES));
}

function rowsOf(p: PlanNode): number {
  return Math.max(1, p.estRows);
}

/** Computes and memoizes node costs; one instance per planning or EXPLAIN run. */
export class CostModel {
  private readonly memo = new Map<PlanNode, Cost>();

  of(p: PlanNode): Cost {
    let c = this.memo.get(p);
    if (c === undefined) {
      c = this.compute(p);
      this.memo.set(p, c);
    }
    return c;
  }

  private compute(p: PlanNode): Cost {
    const rows = rowsOf(p);
    switch (p.node) {
      // Scans cost what the access-path choice compared (access-cost.ts), so EXPLAIN and the
      // join planner see the same numbers that picked the path.
      case 'SeqScan': {
        const c = seqScanCost(p.table, qualCount(p.filter));
        return { startup: c.startup, total: c.total };
      }
      case 'IndexScan':
        return indexNodeCost(p);
      case 'Values': case 'FunctionScan':
        return { startup: 0, total: rows * CPU_TUPLE_COST };
      case 'OneRow':
        return { startup: 0, total: CPU_TUPLE_COST };
      case 'Filter': {
        const input = this.of(p.input);
        return { startup: input.startup, total: input.total + rowsOf(p.input) * CPU_OPERATOR_COST * qualCount(p.predicate) };
      }
      case 'Project': {
        const input = this.of(p.input);
        let computed = 0;
        for (const e of p.exprs) if (e.k !== 'col' && e.k !== 'const') computed++;
        return { startup: input.startup, total: input.total + rowsOf(p.input) * CPU_OPERATOR_COST * computed };
      }
      case 'Distinct': case 'Window': {
        const input = this.of(p.input);
        const per = p.node === 'Window' ? p.functions.length + p.partitionBy.length : p.keyTypes.length;
        return { startup: input.startup, total: input.total + rowsOf(p.input) * CPU_OPERATOR_COST * Math.max(1, per) };
      }
      case 'NestedLoopJoin': return this.nestedLoop(p);
      case 'HashJoin': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        const keys = p.leftKeys.length;
        const build = rowsOf(p.right) * (CPU_OPERATOR_COST * keys + CPU_TUPLE_COST);
        const startup = r.total + build + l.startup;
        const probe = rowsOf(p.left) * CPU_OPERATOR_COST * keys;
        const out = rows * (CPU_TUPLE_COST + CPU_OPERATOR_COST * qualCount(p.residual));
        return { startup, total: startup + (l.total - l.startup) + probe + out };
      }
      case 'MergeJoin': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        const merged = (rowsOf(p.left) + rowsOf(p.right)) * CPU_OPERATOR_COST * p.leftKeys.length;
        return { startup: l.startup + r.startup, total: l.total + r.total + merged + rows * CPU_TUPLE_COST };
      }
      case 'Aggregate': {
        const input = this.of(p.input);
        const per = Math.max(1, p.groupKeys.length + p.aggregates.length);
        const startup = input.total + rowsOf(p.input) * CPU_OPERATOR_COST * per;
        return { startup, total: startup + rows * CPU_TUPLE_COST };
      }
      case 'Sort': {
        const input = this.of(p.input);
        const n = Math.max(2, p.input.estRows);
        // A bounded heap of k rows costs log2(2k) comparisons per input row (PostgreSQL).
        const logTerm = p.limit >= 0 ? Math.log2(Math.max(2, Math.min(n, 2 * p.limit))) : Math.log2(n);
        const startup = input.total + 2 * CPU_OPERATOR_COST * n * logTerm;
        return { startup, total: startup + rows * CPU_OPERATOR_COST };
      }
      case 'Limit': {
        const input = this.of(p.input);
        const inRows = rowsOf(p.input);
        const n = p.limit?.k === 'const' && typeof p.limit.value === 'number' ? p.limit.value : inRows;
        const off = p.offset?.k === 'const' && typeof p.offset.value === 'number' ? p.offset.value : 0;
        const frac = Math.min(1, Math.max(0, n + off) / inRows);
        const offFrac = Math.min(1, Math.max(0, off) / inRows);
        const run = input.total - input.startup;
        return { startup: input.startup + run * offFrac, total: input.startup + run * frac };
      }
      case 'SetOp': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        if (p.all && p.op === 'union') return { startup: l.startup, total: l.total + r.total };
        const inRows = rowsOf(p.left) + rowsOf(p.right);
        const startup = l.total + r.total + inRows * CPU_OPERATOR_COST * p.columns.length;
        return { startup, total: startup + rows * CPU_TUPLE_COST };
      }
      case 'Materialize': {
        const input = this.of(p.input);
        return { startup: 0, total: input.total + rows * CPU_OPERATOR_COST };
      }
      case 'RecursiveUnion': {
        const b = this.of(p.base);
        const r = this.of(p.recursive);
        return { startup: 0, total: b.total + 10 * r.total };
      }
    }
  }

  /**
   * Nested loop: the inner side is read once and kept (non-LATERAL), or re-run per outer row
   * (LATERAL: an index lookup per outer row for an index nested loop); every pair is checked.
   */
  private nestedLoop(p: Extract<PlanNode, { node: 'NestedLoopJoin' }>): Cost {
    const l = this.of(p.left);
    const r = this.of(p.right);
    const lr = rowsOf(p.left);
    const rr = rowsOf(p.right);
    const quals = Math.max(1, qualCount(p.condition));
    const startup = l.startup + r.startup;
    if (p.lateral) {
      return { startup, total: l.total + lr * r.total + lr * rr * CPU_OPERATOR_COST * qualCount(p.condition) + rowsOf(p) * CPU_TUPLE_COST };
    }
    return { startup, total: l.total + r.total + lr * rr * CPU_OPERATOR_COST * quals + rowsOf(p) * CPU_TUPLE_COST };
  }
}

/** Total cost of a plan (a fresh model; the join planner keeps one per query instead). */
export function planCost(p: PlanNode): Cost {
  return new CostModel().of(p);
}
