/**
 * Index uses that depend on what sits above a scan, applied to one query level after its Sort
 * and Limit are placed:
 * - ORDER BY through a B-tree: a Sort over (Project/Filter over) a scan is replaced by a scan of
 *   an index whose key parts, after the ones the WHERE pins by equality, match the sort keys in
 *   order, all forwards or all backwards (Index Scan Backward). Chosen by cost: with LIMIT n the
 *   index path reads about n entries instead of sorting every row;
 * - min(x) / max(x) without GROUP BY: the first entry of an index on x (NULLs skipped), as
 *   PostgreSQL's planagg does;
 * - Index Only Scan: an index scan whose index covers every column the query reads from the table
 *   (plain key columns and INCLUDE columns).
 */
import type { BoundExpr, BoundSortKey } from '../bound-expr.ts';
import { columnsUsed, conjuncts } from '../expr-rewrite.ts';
import type { IndexColumnCond, IndexScanNode, PlanNode, SeqScanNode } from '../plan-nodes.ts';
import { BTreeIndex } from '../../storage/btree-index.ts';
import { Types } from '../../types/sql-type.ts';
import { indexScanCost, seqScanCost, sortCost, tableRows } from './access-cost.ts';
import { DISABLE_COST, SCAN_INDEX, SCAN_INDEX_ONLY } from './access-options.ts';
import { matchIndex, sameExpr } from './index-conds.ts';
import { indexShape } from './index-shape.ts';

type Scan = SeqScanNode | IndexScanNode;

/** Applies ordered scans, min/max via index and index-only scans to one query level's plan. */
export function useIndexOrder(plan: PlanNode): PlanNode {
  return rebuild(plan, (p) => {
    if (p.node === 'Sort') return orderedScan(p);
    if (p.node === 'Aggregate') return minMaxScan(p);
    return p;
  });
}

/** Rewrites the chain of single-input nodes from the top down to the scan, then marks coverage. */
function rebuild(p: PlanNode, f: (p: PlanNode) => PlanNode): PlanNode {
  const chain: PlanNode[] = [];
  let cur: PlanNode = p;
  while (cur.node === 'Limit' || cur.node === 'Sort' || cur.node === 'Project' || cur.node === 'Filter' ||
    cur.node === 'Aggregate' || cur.node === 'Distinct') {
    chain.push(cur);
    cur = cur.input;
  }
  if (cur.node !== 'SeqScan' && cur.node !== 'IndexScan') return p;
  // Innermost first, so a rewrite sees its (already rewritten) input.
  let acc: PlanNode = cur;
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = { ...chain[i]!, input: acc } as PlanNode;
    acc = f(node);
  }
  return markIndexOnly(acc);
}

/** The scan under Project/Filter nodes, with a sort key mapped to an expression over it. */
function scanBelow(p: PlanNode): { scan: Scan; path: PlanNode[] } | null {
  const path: PlanNode[] = [];
  let cur = p;
  while (cur.node === 'Project' || cur.node === 'Filter') {
    path.push(cur);
    cur = cur.input;
  }
  if (cur.node !== 'SeqScan' && cur.node !== 'IndexScan') return null;
  return { scan: cur, path };
}

function mapThrough(e: BoundExpr, path: readonly PlanNode[]): BoundExpr | null {
  let x: BoundExpr | null = e;
  for (const n of path) {
    if (x === null) return null;
    if (n.node === 'Project') {
      const c: BoundExpr = x;
      x = c.k === 'col' && c.levelsUp === 0 ? (n.exprs[c.index] ?? null) : null;
    }
  }
  return x;
}

/** Conditions and leftover filter of a scan as conjuncts over the table row. */
function scanParts(scan: Scan): BoundExpr[] | null {
  if (scan.node === 'SeqScan') return scan.filter === null ? [] : conjuncts(scan.filter);
  return null;
}

function orderedScan(sort: Extract<PlanNode, { node: 'Sort' }>): PlanNode {
  const below = scanBelow(sort.input);
  if (below === null) return sort;
  const { scan, path } = below;
  if (scan.node === 'SeqScan' && scan.asOf !== null) return sort;
  if (scan.node === 'IndexScan' && (scan.mode !== 'index' || scan.backward)) return sort;
  const keys = sort.keys.map((k) => mapThrough(k.expr, path));
  if (keys.some((k) => k === null)) return sort;
  const table = scan.table;
  const n = tableRows(table);
  const limit = sort.limit;
  const disabled = scan.scanDisabled ?? 0;
  // The current plan: the scan plus the sort.
  const scanCost = scan.node === 'SeqScan' ? seqScanCost(table, scan.filter === null ? 0 : conjuncts(scan.filter).length).total : 0;
  let best: { cost: number; scan: IndexScanNode } | null = null;
  const current = scanCost + sortCost(scan.estRows, limit);
  for (const index of table.indexes) {
    if (!(index.runtime instanceof BTreeIndex) || index.predicate !== null) continue;
    if (scan.node === 'IndexScan' && scan.index !== index) continue;
    const shape = indexShape(index);
    if (shape === null) continue;
    let conds: readonly IndexColumnCond[];
    let candidate: IndexScanNode;
    if (scan.node === 'IndexScan') {
      conds = scan.conds;
      candidate = scan;
    } else {
      const parts = scanParts(scan)!;
      const m = matchIndex(shape, parts);
      conds = m.conds;
      const rest = parts.filter((_, i) => !m.consumed.has(i));
      candidate = {
        node: 'IndexScan', table, alias: scan.alias, index, keys: m.keys, keyTypes: m.keyTypes, conds: m.conds, mode: 'index',
        backward: false, indexQuals: m.quals, bitmap: null,
        filter: rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { k: 'and', type: Types.bool, args: rest },
        lockRows: scan.lockRows, emitRef: scan.emitRef, columns: scan.columns, estRows: scan.estRows,
        scanDisabled: scan.scanDisabled ?? 0,
      };
    }
    if (conds.some((c) => c.kind === 'in')) continue;
    // A whole-table ordered read without LIMIT: keep Seq Scan + Sort (the order a merge join
    // above can see, and no slower in memory); the index wins once it also narrows the rows.
    if (scan.node === 'SeqScan' && limit < 0 && conds.length === 0) continue;
    const dir = matchOrder(sort.keys, keys as BoundExpr[], shape.keys, conds, index.runtime);
    if (dir === null) continue;
    // Reading in order stops after `limit` rows (when the scan has no filter to thin them out).
    const fraction = Math.min(1, scan.estRows / n);
    const take = limit > 0 ? Math.min(1, (limit * (candidate.filter === null ? 1 : 2)) / Math.max(1, scan.estRows)) : 1;
    const nFilter = candidate.filter === null ? 0 : conjuncts(candidate.filter).length;
    const cost = indexScanCost(table, fraction, 1, false, nFilter).total * take + (disabled & SCAN_INDEX ? DISABLE_COST : 0);
    if (best === null || cost < best.cost) best = { cost, scan: { ...candidate, backward: dir === 'backward' } };
  }
  if (best === null) return sort;
  const currentCost = scan.node === 'IndexScan' ? 0 : current;
  if (scan.node === 'SeqScan' && best.cost >= currentCost) return sort;
  // Rebuild the Project/Filter path over the ordered scan; the Sort goes away.
  let out: PlanNode = best.scan;
  for (let i = path.length - 1; i >= 0; i--) out = { ...path[i]!, input: out } as PlanNode;
  return out;
}

/**
 * Whether the index order (after the equality-pinned parts) yields the sort keys: 'forward',
 * 'backward' or null. A sort key on a pinned part is constant and may appear anywhere.
 */
function matchOrder(
  sortKeys: readonly BoundSortKey[], exprs: readonly BoundExpr[], indexKeys: readonly BoundExpr[],
  conds: readonly IndexColumnCond[], rt: BTreeIndex,
): 'forward' | 'backward' | null {
  const pinned = conds.filter((c) => c.kind === 'eq' || c.kind === 'null').length;
  let next = pinned;
  let dir: 'forward' | 'backward' | null = null;
  for (let i = 0; i < sortKeys.length; i++) {
    const e = exprs[i]!;
    const pinnedAt = indexKeys.findIndex((k, j) => j < pinned && sameExpr(k, e));
    if (pinnedAt >= 0) continue;
    if (next >= indexKeys.length || !sameExpr(indexKeys[next]!, e)) return null;
    const col = rt.columns[next]!;
    const k = sortKeys[i]!;
    const d = k.desc === col.desc && k.nullsFirst === col.nullsFirst ? 'forward'
      : k.desc !== col.desc && k.nullsFirst !== col.nullsFirst ? 'backward' : null;
    if (d === null || (dir !== null && d !== dir)) return null;
    dir = d;
    next++;
  }
  return dir ?? 'forward';
}

/** min(x) / max(x) alone, no GROUP BY: read one entry of an index on x instead of every row. */
function minMaxScan(agg: Extract<PlanNode, { node: 'Aggregate' }>): PlanNode {
  if (agg.groupKeys.length > 0 || agg.groupingSets !== null || agg.aggregates.length !== 1) return agg;
  const a = agg.aggregates[0]!;
  const name = a.def.name;
  if ((name !== 'min' && name !== 'max') || a.args.length !== 1 || a.filter !== null || a.distinct || a.orderBy.length > 0) return agg;
  const below = scanBelow(agg.input);
  if (below === null || below.scan.node !== 'SeqScan' || below.scan.asOf !== null) return agg;
  const { scan, path } = below;
  const arg = mapThrough(a.args[0]!, path);
  if (arg === null || scan.emitRef || scan.lockRows) return agg;
  // NULLs are filtered out, so take the NULLS placement that mirrors ASC NULLS LAST exactly.
  const sortKey: BoundSortKey = { expr: a.args[0]!, desc: name === 'max', nullsFirst: name === 'max', cmp: () => 0 };
  // As a one-row ordered scan: Sort(limit 1) over the scan, then the ordered-scan rewrite.
  const notNull: BoundExpr = { k: 'istest', type: Types.bool, test: 'null', negated: true, arg };
  const filtered: SeqScanNode = { ...scan, filter: scan.filter === null ? notNull : { k: 'and', type: Types.bool, args: [...conjuncts(scan.filter), notNull] } };
  let input: PlanNode = filtered;
  for (let i = path.length - 1; i >= 0; i--) input = { ...path[i]!, input } as PlanNode;
  const sort: PlanNode = { node: 'Sort', input, keys: [sortKey], limit: 1, columns: input.columns, estRows: input.estRows };
  const ordered = orderedScan(sort);
  if (ordered === sort) return agg;
  const one: PlanNode = {
    node: 'Limit', input: ordered, limit: { k: 'const', type: Types.int8, value: 1 }, offset: null, withTies: null,
    columns: ordered.columns, estRows: 1,
  };
  return { ...agg, input: one };
}

/** Marks the index scan at the bottom of a single-input chain Index Only when it covers all reads. */
function markIndexOnly(p: PlanNode): PlanNode {
  const chain: PlanNode[] = [];
  let cur = p;
  while (cur.node === 'Limit' || cur.node === 'Sort' || cur.node === 'Project' || cur.node === 'Filter' ||
    cur.node === 'Aggregate' || cur.node === 'Distinct') {
    chain.push(cur);
    cur = cur.input;
  }
  if (cur.node !== 'IndexScan' || cur.mode !== 'index' || cur.emitRef || cur.lockRows) return p;
  if (((cur.scanDisabled ?? 0) & SCAN_INDEX_ONLY) !== 0) return p;
  const shape = indexShape(cur.index);
  if (shape === null || !(cur.index.runtime instanceof BTreeIndex)) return p;
  // Columns read from the scan: by the nodes directly above it (until one that projects).
  const used = new Set<number>();
  if (cur.filter) columnsUsed(cur.filter, used);
  for (const e of cur.indexQuals) columnsUsed(e, used);
  let reader: PlanNode | undefined;
  for (let i = chain.length - 1; i >= 0; i--) {
    reader = chain[i]!;
    if (reader.node === 'Filter') { columnsUsed(reader.predicate, used); continue; }
    if (reader.node === 'Limit') continue;
    break;
  }
  if (reader === undefined) return p;
  if (reader.node === 'Project') for (const e of reader.exprs) columnsUsed(e, used);
  else if (reader.node === 'Aggregate') {
    for (const e of reader.groupKeys) columnsUsed(e, used);
    for (const a of reader.aggregates) {
      for (const e of a.args) columnsUsed(e, used);
      if (a.filter) columnsUsed(a.filter, used);
      for (const k of a.orderBy) columnsUsed(k.expr, used);
    }
  } else {
    return p;
  }
  for (const c of used) if (!shape.covered.has(c)) return p;
  const scan: IndexScanNode = { ...cur, mode: 'indexOnly' };
  let out: PlanNode = scan;
  for (let i = chain.length - 1; i >= 0; i--) out = { ...chain[i]!, input: out } as PlanNode;
  return out;
}
