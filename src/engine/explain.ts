/**
 * EXPLAIN [ANALYZE]: prints the plan tree PostgreSQL-style, one node per line, with the planner's
 * row estimate and, under ANALYZE, the actual rows, loops and time of each operator.
 */
import { DbError } from '../errors/index.ts';
import type { ExplainStmt } from '../sql/ast.ts';
import { Types } from '../types/sql-type.ts';
import { bindQuery } from '../plan/binder/bind-select.ts';
import { Scope } from '../plan/binder/scope.ts';
import type { PlanNode } from '../plan/plan-nodes.ts';
import { planInputs } from '../plan/plan-walk.ts';
import { executeAll } from '../exec/executor.ts';
import { makeEnv, type StatementContext } from './statement-exec.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';

function label(p: PlanNode): string {
  switch (p.node) {
    case 'SeqScan': return `Seq Scan on ${p.table.name}${p.alias !== p.table.name ? ` ${p.alias}` : ''}`;
    case 'IndexScan': return `Index Scan using ${p.index.name} on ${p.table.name}${p.alias !== p.table.name ? ` ${p.alias}` : ''}`;
    case 'Values': return 'Values Scan';
    case 'OneRow': return 'Result';
    case 'Filter': return 'Filter';
    case 'Project': return 'Project';
    case 'NestedLoopJoin': return `Nested Loop${p.kind === 'inner' ? '' : ` ${cap(p.kind)} Join`}`;
    case 'HashJoin': return `Hash${p.kind === 'inner' ? '' : ` ${cap(p.kind)}`} Join`;
    case 'Aggregate': return p.groupKeys.length > 0 ? 'HashAggregate' : 'Aggregate';
    case 'Sort': return p.limit >= 0 ? `Top-N Sort (limit ${p.limit})` : 'Sort';
    case 'Limit': return 'Limit';
    case 'Distinct': return p.on ? 'Unique (DISTINCT ON)' : 'HashAggregate (DISTINCT)';
    case 'SetOp': return `${cap(p.op)}${p.all ? ' All' : ''}`;
    case 'FunctionScan': return `Function Scan on ${p.fn.name}`;
    case 'Materialize': return 'CTE Scan';
    case 'Window': return 'WindowAgg';
    case 'RecursiveUnion': return 'Recursive Union';
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function detail(p: PlanNode): string[] {
  const out: string[] = [];
  if ((p.node === 'SeqScan' || p.node === 'IndexScan' || p.node === 'Filter') && ('filter' in p ? p.filter : p.predicate)) out.push('Filter: (...)');
  if (p.node === 'IndexScan') out.push(`Index Cond: (${p.index.keys.length} key column${p.index.keys.length > 1 ? 's' : ''})`);
  if (p.node === 'HashJoin') out.push(`Hash Cond: (${p.leftKeys.length} key${p.leftKeys.length > 1 ? 's' : ''})`);
  return out;
}

function render(p: PlanNode, depth: number, stats: Map<object, { rows: number; timeMs: number; loops: number }> | null, lines: string[]): void {
  const indent = depth === 0 ? '' : ' '.repeat(depth * 6 - 4) + '->  ';
  let line = `${indent}${label(p)}  (rows=${Math.round(p.estRows)})`;
  if (stats) {
    const s = stats.get(p);
    line += s ? ` (actual time=${s.timeMs.toFixed(3)} rows=${s.rows} loops=${s.loops})` : ' (never executed)';
  }
  lines.push(line);
  for (const d of detail(p)) lines.push(`${' '.repeat(depth === 0 ? 2 : depth * 6)}${d}`);
  for (const c of planInputs(p)) render(c, depth + 1, stats, lines);
}

export function runExplain(stmt: ExplainStmt, sc: StatementContext): StatementResult {
  const opt = (name: string): boolean => {
    const o = stmt.options.find((x) => x.name === name);
    return o !== undefined && o.value !== 'false' && o.value !== 'off' && o.value !== '0';
  };
  const format = stmt.options.find((o) => o.name === 'format')?.value ?? 'text';
  if (format !== 'text') throw new DbError('feature_not_supported', `EXPLAIN (FORMAT ${format.toUpperCase()}) is not supported yet`, { position: stmt.loc + 1 });
  const inner = stmt.statement;
  if (inner.kind !== 'Select' && inner.kind !== 'SetOperation' && inner.kind !== 'Values') {
    throw new DbError('feature_not_supported', 'EXPLAIN is supported for queries only so far', { position: inner.loc + 1 });
  }
  const m = makeEnv(sc);
  const q = bindQuery(inner, new Scope(null), m.bc);
  m.finishParams();
  const lines: string[] = [];
  if (opt('analyze')) {
    const ctx = m.ctx();
    ctx.instrument = new Map();
    const clock = sc.session.db.env.clock;
    const t0 = clock.monotonicMs();
    executeAll(q.plan, ctx);
    const elapsed = clock.monotonicMs() - t0;
    render(q.plan, 0, ctx.instrument, lines);
    lines.push(`Execution Time: ${elapsed.toFixed(3)} ms`);
  } else {
    render(q.plan, 0, null, lines);
  }
  return resultOf('EXPLAIN', lines.length, [{ name: 'QUERY PLAN', type: Types.text }], lines.map((l) => [l]));
}
