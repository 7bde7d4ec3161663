/**
 * EXPLAIN for index access paths, PostgreSQL's way: `Index Scan [Backward] using idx on t`,
 * `Index Only Scan`, `Bitmap Heap Scan on t` with `Recheck Cond` over its `BitmapAnd` /
 * `BitmapOr` / `Bitmap Index Scan on idx` children, and `Index Cond` lines deparsed from the
 * conjuncts the index answers. Costs come from the planner's own model (access-cost.ts), so
 * what EXPLAIN shows is what the access-path choice compared.
 */
import type { BitmapTree, IndexScanNode } from '../plan/plan-nodes.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import { deparseExpr, type ColumnNames } from '../plan/deparse.ts';
import { bitmapScanCost, indexScanCost, tableRows } from '../plan/binder/access-cost.ts';

function on(p: IndexScanNode): string {
  return `${p.table.name}${p.alias !== p.table.name ? ` ${p.alias}` : ''}`;
}

export function indexScanLabel(p: IndexScanNode): string {
  if (p.mode === 'bitmap') return `Bitmap Heap Scan on ${on(p)}`;
  const kind = p.mode === 'indexOnly' ? 'Index Only Scan' : 'Index Scan';
  return `${kind}${p.backward ? ' Backward' : ''} using ${p.index.name} on ${on(p)}`;
}

function andText(parts: string[]): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`;
}

/** Conjuncts an index condition stands for (LIKE stays in the filter: its range is a superset). */
function condQuals(quals: readonly BoundExpr[]): BoundExpr[] {
  return quals.filter((q) => !(q.k === 'call' && q.fn.name === '~~'));
}

export function indexScanDetails(p: IndexScanNode, names: ColumnNames): string[] {
  const out: string[] = [];
  const d = (e: BoundExpr): string => deparseExpr(e, names);
  const quals = condQuals(p.indexQuals);
  if (p.mode === 'bitmap') {
    if (p.indexQuals.length > 0) out.push(`Recheck Cond: ${andText(p.indexQuals.map(d))}`);
  } else if (quals.length > 0) {
    out.push(`Index Cond: ${andText(quals.map(d))}`);
  }
  if (p.filter) out.push(`Filter: ${d(p.filter)}`);
  return out;
}

/** The child lines of a Bitmap Heap Scan (PostgreSQL indentation: 6 columns per level). */
export function bitmapLines(p: IndexScanNode, depth: number, names: ColumnNames, costs: boolean): string[] {
  const lines: string[] = [];
  const n = tableRows(p.table);
  const walk = (t: BitmapTree, level: number): void => {
    const indent = ' '.repeat(level * 6 - 4) + '->  ';
    const pad = ' '.repeat(level * 6 + 2);
    const ann = costs ? `  (cost=0.00..${bitmapTreeCost(t, n).toFixed(2)} rows=${t.rows} width=0)` : '';
    if (t.op === 'index') {
      lines.push(`${indent}Bitmap Index Scan on ${t.index.name}${ann}`);
      const quals = condQuals(t.quals);
      if (quals.length > 0) lines.push(`${pad}Index Cond: ${andText(quals.map((q) => deparseExpr(q, names)))}`);
      return;
    }
    lines.push(`${indent}${t.op === 'and' ? 'BitmapAnd' : 'BitmapOr'}${ann}`);
    for (const c of t.children) walk(c, level + 1);
  };
  if (p.bitmap !== null) walk(p.bitmap, depth + 1);
  return lines;
}

function bitmapTreeCost(t: BitmapTree, n: number): number {
  if (t.op === 'index') return Math.log2(n + 1) * 0.0025 + t.rows * 0.005;
  return t.children.reduce((s, c) => s + bitmapTreeCost(c, n), 0);
}

