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
 * Costs come from the planner's cost model (src/plan/cost/cost-model.ts): PostgreSQL's units and
 * formulas over the planner's row estimates (src/plan/stats/selectivity.ts). Width is the sum of
 * the output columns' average widths (ANALYZE's avg_width, else the type's length, else 32).
 * Index access nodes (Index / Index Only / Bitmap Heap Scan) cost what the access-path choice
 * compared (plan/binder/access-cost.ts); explain-index.ts renders them.
 */
import { DbError } from '../errors/index.ts';
import type { ExplainStmt } from '../sql/ast.ts';
import { Types } from '../types/sql-type.ts';
import { bindQuery } from '../plan/binder/bind-select.ts';
import { Scope } from '../plan/binder/scope.ts';
import type { PlanNode } from '../plan/plan-nodes.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import { planInputs } from '../plan/plan-walk.ts';
import { CostModel, planWidth } from '../plan/cost/cost-model.ts';
import { deparseExpr, deparseSortKey, PlanNamer, type ColumnNames } from '../plan/deparse.ts';
import { executeAll } from '../exec/executor.ts';
import { checkNeeds } from '../auth/privileges.ts';
import { makeEnv, type StatementContext } from './statement-exec.ts';
import { bitmapLines, indexScanDetails, indexScanLabel } from './explain-index.ts';
import { resultOf, type BoundStatement, type DmlExplain, type StatementResult } from './dml/statement-env.ts';
import { bindDmlStatement, hasDataModifyingCte } from './dml/with-clause.ts';

type Stats = Map<object, { rows: number; timeMs: number; loops: number; firstMs?: number }>;

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
function annotation(estNode: PlanNode, statsNode: object, o: RenderOptions, hash = false): string {
  let s = '';
  if (o.costs) {
    const c = o.model.of(estNode);
    // A Hash node has read its whole input before returning anything.
    s += `  (cost=${fmt(hash ? c.total : c.startup)}..${fmt(c.total)} rows=${shownRows(estNode)} width=${planWidth(estNode)})`;
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
    lines.push(`${hashIndent}Hash${annotation(shown.right, shown.right, o, true)}`);
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
  const isWrite = inner.kind === 'Insert' || inner.kind === 'Update' || inner.kind === 'Delete';
  if (inner.kind !== 'Select' && inner.kind !== 'SetOperation' && inner.kind !== 'Values' && !isWrite) {
    throw new DbError('feature_not_supported', 'EXPLAIN is supported for queries, INSERT, UPDATE and DELETE only', { position: inner.loc + 1 });
  }
  if (hasDataModifyingCte(inner.with)) {
    throw new DbError('feature_not_supported', 'EXPLAIN of a statement with data-modifying WITH queries is not supported yet', { position: inner.loc + 1 });
  }
  const analyze = option('analyze', false);
  // EXPLAIN ANALYZE runs the write (as PostgreSQL does); plain EXPLAIN of one only plans it.
  if (isWrite && analyze && sc.txn.readOnly) {
    throw new DbError('read_only_sql_transaction', `cannot execute ${inner.kind.toUpperCase()} in a read-only transaction`);
  }
  const clock = sc.session.db.env.clock;
  const m = makeEnv(sc);
  const p0 = clock.monotonicMs();
  let plan: PlanNode;
  let write: BoundStatement | null = null;
  if (isWrite) {
    write = bindDmlStatement(inner, m.env());
    if (write.explain === undefined) {
      throw new DbError('feature_not_supported', `EXPLAIN of ${inner.kind.toUpperCase()} through an INSTEAD OF trigger is not supported yet`, { position: inner.loc + 1 });
    }
    plan = write.explain.input;
  } else {
    plan = bindQuery(inner, new Scope(null), m.bc).plan;
  }
  checkNeeds(m.bc.catalog, sc.session.user, m.bc.privilegeNeeds);
  m.finishParams();
  const planningMs = clock.monotonicMs() - p0;
  const lines: string[] = [];
  const base = { costs: option('costs', true), namer: new PlanNamer(plan), model: new CostModel() };
  let o: RenderOptions = { ...base, stats: null };
  let elapsed = 0;
  if (analyze) {
    const ctx = m.ctx();
    const stats: Stats = new Map();
    ctx.instrument = stats;
    const t0 = clock.monotonicMs();
    if (write !== null) write.run();
    else executeAll(plan, ctx);
    elapsed = clock.monotonicMs() - t0;
    o = { ...base, stats };
  }
  if (write !== null) {
    renderWrite(write.explain!, plan, elapsed, o, lines);
  } else {
    render(plan, 0, o, lines);
  }
  if (analyze && option('summary', true)) {
    lines.push(`Planning Time: ${planningMs.toFixed(3)} ms`);
    lines.push(`Execution Time: ${elapsed.toFixed(3)} ms`);
  }
  return resultOf('EXPLAIN', lines.length, [{ name: 'QUERY PLAN', type: Types.text }], lines.map((l) => [l]));
}

/**
 * A write as PostgreSQL's ModifyTable shows it: `Delete on t`, costing what the plan feeding it
 * costs and returning no rows (RETURNING is not counted), above that plan.
 */
function renderWrite(w: DmlExplain, input: PlanNode, elapsedMs: number, o: RenderOptions, lines: string[]): void {
  let s = `${w.op} on ${w.table.name}${w.alias !== null && w.alias !== w.table.name ? ` ${w.alias}` : ''}`;
  if (o.costs) {
    const c = o.model.of(input);
    s += `  (cost=${fmt(c.startup)}..${fmt(c.total)} rows=0 width=0)`;
  }
  if (o.stats) s += ` (actual time=${elapsedMs.toFixed(3)}..${elapsedMs.toFixed(3)} rows=0 loops=1)`;
  lines.push(s);
  for (const d of w.details) lines.push(`  ${d}`);
  // Listed rows are evaluated by the write itself: their Result / Values Scan has no run to show.
  render(input, 1, w.listed ? { ...o, stats: null } : o, lines);
}
