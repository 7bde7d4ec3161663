/**
 * EXPLAIN [ANALYZE]: prints the plan tree PostgreSQL-style, one node per line with
 * `(cost=startup..total rows=N width=W)` and, under ANALYZE, `(actual time=first..total rows=N
 * loops=N)`, followed by the node's details (Filter, Index Cond, Hash/Merge Cond, Join Filter,
 * Sort Key, Group Key) deparsed from the bound expressions (src/plan/deparse.ts), and under
 * ANALYZE the Planning Time and Execution Time.
 *
 * Display follows PostgreSQL rather than our node list one-to-one: Project nodes are not shown
 * (PostgreSQL folds projection into the node below), a Filter node above a non-scan (HAVING, a
 * filter above a join) is shown as a `Filter:` line of the node it filters, with the Filter's
 * estimate and actual rows, and a hash join's build side sits under a `Hash` line.
 *
 * Cost model (display only; the planner chooses by rule, see join-planner.ts): PostgreSQL's
 * unit-cost constants, with our row estimates: a sequential scan reads a "page" per 100 rows
 * (cost 1 each) plus cpu_tuple_cost 0.01 per row; each evaluated qual or expression costs
 * cpu_operator_cost 0.0025 per row; a hash join pays to build (0.01 per build row, startup) and
 * probe; a sort costs 2 * 0.0025 * n * log2(n) at startup (log2(k) under a top-N limit); an
 * aggregate 0.0025 per input row per key/aggregate at startup; a limit scales its input's run
 * cost by the fraction of rows it lets through. Width is the sum of the output columns' fixed
 * lengths, 32 bytes for variable-length types. Index access nodes (Index / Index Only / Bitmap
 * Heap Scan) show the access-path planner's own costs (explain-index.ts, plan/binder/access-cost.ts).
 */
import { DbError } from '../errors/index.ts';
import type { ExplainStmt } from '../sql/ast.ts';
import { Types, typeInfo } from '../types/sql-type.ts';
import { bindQuery } from '../plan/binder/bind-select.ts';
import { hasDataModifyingCte } from './dml/with-clause.ts';
import { Scope } from '../plan/binder/scope.ts';
import type { PlanNode } from '../plan/plan-nodes.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import { planInputs } from '../plan/plan-walk.ts';
import { deparseExpr, deparseSortKey, PlanNamer, type ColumnNames } from '../plan/deparse.ts';
import { executeAll } from '../exec/executor.ts';
import { makeEnv, type StatementContext } from './statement-exec.ts';
import { bitmapLines, indexNodeCost, indexScanDetails, indexScanLabel } from './explain-index.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';

type Stats = Map<object, { rows: number; timeMs: number; loops: number; firstMs?: number }>;

const CPU_TUPLE = 0.01;
const CPU_OPERATOR = 0.0025;
const ROWS_PER_PAGE = 100;

interface Cost { readonly startup: number; readonly total: number }

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function label(p: PlanNode): string {
  const on = (p2: { table: { name: string }; alias: string }): string =>
    `${p2.table.name}${p2.alias !== p2.table.name ? ` ${p2.alias}` : ''}`;
  const kindSuffix = (kind: string): string => (kind === 'inner' ? '' : ` ${cap(kind === 'anti' ? 'anti' : kind)}`);
  switch (p.node) {
    case 'SeqScan': return `Seq Scan on ${on(p)}`;
    case 'IndexScan': return indexScanLabel(p);
    case 'Values': return 'Values Scan on "*VALUES*"';
    case 'OneRow': return 'Result';
    case 'Filter': return 'Result';
    case 'Project': return 'Result';
    case 'NestedLoopJoin': return `Nested Loop${p.kind === 'inner' ? '' : `${kindSuffix(p.kind)} Join`}`;
    case 'HashJoin': return `Hash${kindSuffix(p.kind)} Join`;
    case 'MergeJoin': return `Merge${kindSuffix(p.kind)} Join`;
    case 'Aggregate':
      return p.groupingSets !== null ? 'MixedAggregate' : p.groupKeys.length > 0 ? 'HashAggregate' : 'Aggregate';
    case 'Sort': return 'Sort';
    case 'Limit': return 'Limit';
    case 'Distinct': return p.on ? 'Unique' : 'HashAggregate';
    case 'SetOp': return p.op === 'union' && p.all ? 'Append' : `HashSetOp ${cap(p.op)}${p.all ? ' All' : ''}`;
    case 'FunctionScan': return `Function Scan on ${p.fn.name}`;
    case 'Materialize': return 'CTE Scan';
    case 'Window': return 'WindowAgg';
    case 'RecursiveUnion': return 'Recursive Union';
  }
}

/** Row estimate shown: a Limit (or top-N Sort) passes at most its constant count. */
function shownRows(p: PlanNode): number {
  let n = Math.max(1, Math.round(p.estRows));
  if (p.node === 'Limit' && p.limit?.k === 'const' && typeof p.limit.value === 'number') n = Math.min(n, Math.max(1, p.limit.value));
  if (p.node === 'Sort' && p.limit >= 0) n = Math.min(n, Math.max(1, p.limit));
  return n;
}

function width(p: PlanNode): number {
  let w = 0;
  p.columns.forEach((c, i) => {
    if ((p.node === 'SeqScan' || p.node === 'IndexScan') && c.name === `?dropped${i}`) return;
    const len = typeInfo(c.type.oid)?.len ?? -1;
    w += len > 0 ? len : 32;
  });
  return w;
}

function countExprs(e: BoundExpr | null): number {
  return e === null ? 0 : e.k === 'and' ? e.args.length : 1;
}

class CostModel {
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
    const rows = Math.max(1, p.estRows);
    switch (p.node) {
      case 'SeqScan': {
        const n = Math.max(1, p.table.store.rowEstimate);
        return { startup: 0, total: Math.ceil(n / ROWS_PER_PAGE) + n * (CPU_TUPLE + CPU_OPERATOR * countExprs(p.filter)) };
      }
      case 'IndexScan':
        return indexNodeCost(p);
      case 'Values': case 'OneRow': case 'FunctionScan':
        return { startup: 0, total: rows * CPU_TUPLE };
      case 'Filter': case 'Project': case 'Distinct': case 'Window': {
        const input = this.of(p.input);
        const inRows = Math.max(1, p.input.estRows);
        return { startup: input.startup, total: input.total + inRows * CPU_OPERATOR };
      }
      case 'NestedLoopJoin': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        const lr = Math.max(1, p.left.estRows);
        const rr = Math.max(1, p.right.estRows);
        const inner = p.lateral ? lr * r.total : r.total;
        return { startup: l.startup + r.startup, total: l.total + inner + lr * rr * CPU_OPERATOR + rows * CPU_TUPLE };
      }
      case 'HashJoin': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        const startup = r.total + Math.max(1, p.right.estRows) * CPU_TUPLE + l.startup;
        return { startup, total: startup + (l.total - l.startup) + Math.max(1, p.left.estRows) * CPU_OPERATOR + rows * CPU_TUPLE };
      }
      case 'MergeJoin': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        const merged = (Math.max(1, p.left.estRows) + Math.max(1, p.right.estRows)) * CPU_OPERATOR;
        return { startup: l.startup + r.startup, total: l.total + r.total + merged + rows * CPU_TUPLE };
      }
      case 'Aggregate': {
        const input = this.of(p.input);
        const inRows = Math.max(1, p.input.estRows);
        const startup = input.total + inRows * CPU_OPERATOR * Math.max(1, p.groupKeys.length + p.aggregates.length);
        return { startup, total: startup + rows * CPU_TUPLE };
      }
      case 'Sort': {
        const input = this.of(p.input);
        const n = Math.max(2, p.input.estRows);
        const k = p.limit >= 0 ? Math.max(2, Math.min(n, p.limit)) : n;
        const startup = input.total + 2 * CPU_OPERATOR * n * Math.log2(k);
        return { startup, total: startup + rows * CPU_TUPLE };
      }
      case 'Limit': {
        const input = this.of(p.input);
        const inRows = Math.max(1, p.input.estRows);
        const n = p.limit?.k === 'const' && typeof p.limit.value === 'number' ? p.limit.value : inRows;
        const frac = Math.min(1, Math.max(0, n) / inRows);
        return { startup: input.startup, total: input.startup + (input.total - input.startup) * frac };
      }
      case 'SetOp': {
        const l = this.of(p.left);
        const r = this.of(p.right);
        return { startup: p.all && p.op === 'union' ? 0 : l.total + r.total, total: l.total + r.total + rows * CPU_TUPLE };
      }
      case 'Materialize': {
        const input = this.of(p.input);
        return { startup: 0, total: input.total + rows * CPU_TUPLE };
      }
      case 'RecursiveUnion': {
        const b = this.of(p.base);
        const r = this.of(p.recursive);
        return { startup: 0, total: b.total + 10 * r.total };
      }
    }
  }
}

interface RenderOptions {
  readonly costs: boolean;
  readonly stats: Stats | null;
  readonly namer: PlanNamer;
  readonly model: CostModel;
}

function fmt(n: number): string {
  return n.toFixed(2);
}

/** The `(cost=...) (actual ...)` annotation for a displayed node. */
function annotation(estNode: PlanNode, statsNode: object, o: RenderOptions): string {
  let s = '';
  if (o.costs) {
    const c = o.model.of(estNode);
    s += `  (cost=${fmt(c.startup)}..${fmt(c.total)} rows=${shownRows(estNode)} width=${width(estNode)})`;
  }
  if (o.stats) {
    const st = o.stats.get(statsNode);
    if (!st) s += ' (never executed)';
    else {
      const loops = Math.max(1, st.loops);
      const first = (st.firstMs ?? st.timeMs) / loops;
      s += ` (actual time=${first.toFixed(3)}..${(st.timeMs / loops).toFixed(3)} rows=${Math.round(st.rows / loops)} loops=${st.loops})`;
    }
  }
  return s;
}

function andText(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

function details(p: PlanNode, o: RenderOptions): string[] {
  const out: string[] = [];
  const names = o.namer.inputNames(p);
  const d = (e: BoundExpr, n: ColumnNames = names): string => deparseExpr(e, n);
  switch (p.node) {
    case 'SeqScan':
      if (p.filter) out.push(`Filter: ${d(p.filter)}`);
      break;
    case 'IndexScan':
      out.push(...indexScanDetails(p, names));
      break;
    case 'NestedLoopJoin':
      if (p.condition) out.push(`Join Filter: ${d(p.condition)}`);
      break;
    case 'HashJoin': case 'MergeJoin': {
      const left = o.namer.inputNames(p);
      const rightNames: ColumnNames = (i) => o.namer.outputName(p.right, i);
      const conds = p.leftKeys.map((k, i) => `(${d(k, left)} = ${d(p.rightKeys[i]!, rightNames)})`);
      out.push(`${p.node === 'HashJoin' ? 'Hash' : 'Merge'} Cond: ${andText(conds)}`);
      if (p.residual) out.push(`Join Filter: ${d(p.residual)}`);
      break;
    }
    case 'Aggregate': {
      const keyText = (set: readonly number[]): string =>
        set.length === 0 ? '()' : set.map((i) => d(p.groupKeys[i]!)).join(', ');
      if (p.groupingSets !== null) {
        for (const set of p.groupingSets) out.push(`${set.length === 0 ? 'Group' : 'Hash'} Key: ${keyText(set)}`);
      } else if (p.groupKeys.length > 0) {
        out.push(`Group Key: ${keyText(p.groupKeys.map((_, i) => i))}`);
      }
      break;
    }
    case 'Sort':
      out.push(`Sort Key: ${p.keys.map((k) => deparseSortKey(k, names)).join(', ')}`);
      if (o.stats?.get(p)) out.push(`Sort Method: ${p.limit >= 0 ? 'top-N heapsort' : 'quicksort'}`);
      break;
    case 'Distinct':
      if (p.on === null) out.push(`Group Key: ${p.columns.map((_, i) => names(i)).join(', ')}`);
      break;
    case 'Window':
      if (p.partitionBy.length > 0) out.push(`Partition By: ${p.partitionBy.map((e) => d(e)).join(', ')}`);
      if (p.orderBy.length > 0) out.push(`Order By: ${p.orderBy.map((k) => deparseSortKey(k, names)).join(', ')}`);
      break;
    default:
      break;
  }
  return out;
}

function render(p: PlanNode, depth: number, o: RenderOptions, lines: string[]): void {
  // Fold Project (not shown) and Filter (shown as a detail) into the node they sit on.
  const top = p;
  const filters: BoundExpr[] = [];
  const filterNames: ColumnNames[] = [];
  let shown = p;
  while (shown.node === 'Project' || shown.node === 'Filter') {
    if (shown.node === 'Filter') {
      filters.push(shown.predicate);
      filterNames.push(o.namer.inputNames(shown));
    }
    shown = shown.input;
  }
  const indent = depth === 0 ? '' : ' '.repeat(depth * 6 - 4) + '->  ';
  // A projection or filter over no input is PostgreSQL's Result node (filter: One-Time Filter).
  const estNode = filters.length > 0 || shown.node === 'OneRow' ? top : shown;
  lines.push(`${indent}${label(shown)}${annotation(estNode, top, o)}`);
  const pad = ' '.repeat(depth === 0 ? 2 : depth * 6 + 2);
  for (const line of details(shown, o)) lines.push(pad + line);
  const filterLabel = shown.node === 'OneRow' ? 'One-Time Filter' : 'Filter';
  filters.forEach((f, i) => lines.push(`${pad}${filterLabel}: ${deparseExpr(f, filterNames[i]!)}`));
  const inputs = planInputs(shown);
  if (shown.node === 'IndexScan' && shown.mode === 'bitmap') {
    lines.push(...bitmapLines(shown, depth, o.namer.inputNames(shown), o.costs));
    return;
  }
  if (shown.node === 'HashJoin') {
    render(shown.left, depth + 1, o, lines);
    // PostgreSQL shows the build side under a Hash node.
    const hashIndent = ' '.repeat((depth + 1) * 6 - 4) + '->  ';
    lines.push(`${hashIndent}Hash${annotation(shown.right, shown.right, o)}`);
    render(shown.right, depth + 2, o, lines);
    return;
  }
  for (const c of inputs) render(c, depth + 1, o, lines);
}

export function runExplain(stmt: ExplainStmt, sc: StatementContext): StatementResult {
  const option = (name: string, dflt: boolean): boolean => {
    const o = stmt.options.find((x) => x.name === name);
    if (o === undefined) return dflt;
    return o.value !== 'false' && o.value !== 'off' && o.value !== '0';
  };
  const format = stmt.options.find((o) => o.name === 'format')?.value ?? 'text';
  if (format !== 'text') throw new DbError('feature_not_supported', `EXPLAIN (FORMAT ${format.toUpperCase()}) is not supported yet`, { position: stmt.loc + 1 });
  const inner = stmt.statement;
  if (inner.kind !== 'Select' && inner.kind !== 'SetOperation' && inner.kind !== 'Values') {
    throw new DbError('feature_not_supported', 'EXPLAIN is supported for queries only so far', { position: inner.loc + 1 });
  }
  if (hasDataModifyingCte(inner.with)) {
    throw new DbError('feature_not_supported', 'EXPLAIN of a query with data-modifying WITH queries is not supported yet', { position: inner.loc + 1 });
  }
  const clock = sc.session.db.env.clock;
  const m = makeEnv(sc);
  const p0 = clock.monotonicMs();
  const q = bindQuery(inner, new Scope(null), m.bc);
  m.finishParams();
  const planningMs = clock.monotonicMs() - p0;
  const lines: string[] = [];
  const analyze = option('analyze', false);
  const base = { costs: option('costs', true), namer: new PlanNamer(q.plan), model: new CostModel() };
  if (analyze) {
    const ctx = m.ctx();
    ctx.instrument = new Map();
    const t0 = clock.monotonicMs();
    executeAll(q.plan, ctx);
    const elapsed = clock.monotonicMs() - t0;
    render(q.plan, 0, { ...base, stats: ctx.instrument }, lines);
    if (option('summary', true)) {
      lines.push(`Planning Time: ${planningMs.toFixed(3)} ms`);
      lines.push(`Execution Time: ${elapsed.toFixed(3)} ms`);
    }
  } else {
    render(q.plan, 0, { ...base, stats: null }, lines);
  }
  return resultOf('EXPLAIN', lines.length, [{ name: 'QUERY PLAN', type: Types.text }], lines.map((l) => [l]));
}
