/**
 * Access-path choice for a table scan: cost-based between the Seq Scan and, for every index
 * whose conditions match the scan's filter (index-conds.ts), an Index Scan (Index Only Scan is
 * decided later, when the columns the query needs are known: see index-order.ts), and Bitmap
 * Heap Scans over one bitmap index, over BitmapOr of indexes serving the arms of an OR, and over
 * BitmapAnd of two indexes serving different conjuncts. Costs and selectivities are in
 * access-cost.ts. A partial index is a candidate only when the filter implies its predicate.
 *
 * Conditions an index answers exactly leave the filter; everything else stays as the scan's
 * filter. The enable_* settings add a disable cost to a path instead of forbidding it, as in
 * PostgreSQL.
 */
import type { BoundExpr } from '../bound-expr.ts';
import { conjuncts } from '../expr-rewrite.ts';
import type { BitmapTree, IndexScanNode, PlanNode, SeqScanNode } from '../plan-nodes.ts';
import type { IndexDef, TableDef } from '../../catalog/objects.ts';
import { Types } from '../../types/sql-type.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { BTreeIndex } from '../../storage/btree-index.ts';
import {
  bitmapScanCost, conjunctSelectivity, estimateSelectivity, indexScanCost, seqScanCost, tableRows, type PathCost,
} from './access-cost.ts';
import { DISABLE_COST, SCAN_BITMAP, SCAN_INDEX, SCAN_SEQ } from './access-options.ts';
import { matchIndex, sameExpr, type IndexMatch } from './index-conds.ts';
import { indexShape, type IndexShape } from './index-shape.ts';

/** One index usable for the scan, with its match and estimated fraction of rows. */
interface Candidate {
  readonly index: IndexDef;
  readonly shape: IndexShape;
  readonly match: IndexMatch;
  readonly fraction: number;
  /** Conjunct positions answered (match.consumed plus predicate conjuncts the filter repeats). */
  readonly consumed: ReadonlySet<number>;
}

export function chooseAccessPath(plan: PlanNode): PlanNode {
  if (plan.node !== 'SeqScan' || plan.asOf !== null) return plan;
  const table = plan.table;
  if (table.indexes.length === 0 || plan.filter === null) return plan;
  const disabled = plan.scanDisabled ?? 0;
  const parts = conjuncts(plan.filter);
  let best: { cost: number; node: PlanNode } = {
    cost: seqScanCost(table, parts.length).total + (disabled & SCAN_SEQ ? DISABLE_COST : 0), node: plan,
  };
  const consider = (cost: PathCost, build: () => PlanNode, penalty: number): void => {
    const total = cost.total + penalty;
    if (total < best.cost) best = { cost: total, node: build() };
  };
  const candidates = indexCandidates(table, parts);
  for (const c of candidates) {
    const idx = c.index;
    if (idx.method === 'bitmap') {
      // A bitmap index answers equality (and IN) on all its key parts, nothing else.
      if (!exactProbe(c)) continue;
      consider(bitmapScanCost(table, [c.fraction], c.fraction, c.match.quals.length),
        () => bitmapNode(plan, parts, [c], 'index', c.fraction), disabled & SCAN_BITMAP ? DISABLE_COST : 0);
      continue;
    }
    if (!exactProbe(c) && idx.method === 'hash') continue;
    const probes = c.match.conds.reduce((n, k) => (k.kind === 'in' ? n * k.count : n), 1);
    const nFilter = parts.length - c.consumed.size;
    consider(indexScanCost(table, c.fraction, probes, false, nFilter),
      () => indexNode(plan, c, parts), disabled & SCAN_INDEX ? DISABLE_COST : 0);
  }
  // BitmapAnd of the two most selective single-index candidates on different conjuncts.
  const ranked = candidates.filter((c) => c.index.method === 'btree' || exactProbe(c)).sort((a, b) => a.fraction - b.fraction);
  if (ranked.length >= 2) {
    const [a, b] = [ranked[0]!, ranked[1]!];
    const disjoint = [...a.consumed].every((i) => !b.consumed.has(i));
    if (disjoint && a.index !== b.index) {
      const f = a.fraction * b.fraction;
      const recheck = a.match.quals.length + b.match.quals.length;
      consider(bitmapScanCost(table, [a.fraction, b.fraction], f, recheck),
        () => bitmapNode(plan, parts, [a, b], 'and', f), disabled & SCAN_BITMAP ? DISABLE_COST : 0);
    }
  }
  // BitmapOr: one conjunct `x OR y OR ...` whose every arm an index serves.
  parts.forEach((p, at) => {
    if (p.k !== 'or') return;
    const arms: Candidate[] = [];
    for (const arm of p.args) {
      const armParts = conjuncts(arm);
      const c = indexCandidates(table, armParts)
        .filter((x) => x.index.method === 'btree' || exactProbe(x))
        .sort((x, y) => x.fraction - y.fraction)[0];
      if (c === undefined) return;
      arms.push(c);
    }
    let miss = 1;
    for (const c of arms) miss *= 1 - c.fraction;
    const f = 1 - miss;
    consider(bitmapScanCost(table, arms.map((c) => c.fraction), f, parts.length),
      () => bitmapOrNode(plan, parts, at, arms, f), disabled & SCAN_BITMAP ? DISABLE_COST : 0);
  });
  return best.node;
}

/** Every condition pins a key part by equality and every key part is pinned: a hash probe. */
function exactProbe(c: Candidate): boolean {
  return c.match.conds.length === c.shape.keys.length && c.match.conds.every((k) => k.kind === 'eq' || k.kind === 'in');
}

/** Indexes usable with the conjuncts `parts`, each with its match and selectivity. */
function indexCandidates(table: TableDef, parts: readonly BoundExpr[]): Candidate[] {
  const out: Candidate[] = [];
  const n = tableRows(table);
  for (const index of table.indexes) {
    const shape = indexShape(index);
    if (shape === null) continue;
    let predicateParts: number[] = [];
    if (shape.predicate !== null) {
      const implied = impliedBy(shape.predicate, parts);
      if (implied === null) continue;
      predicateParts = implied;
    }
    const match = matchIndex(shape, parts);
    if (match.conds.length === 0 && shape.predicate === null) continue;
    let fraction = match.quals.length === 0 ? 1 : conjunctSelectivity(table, match.quals);
    if (exactProbe({ index, shape, match, fraction, consumed: match.consumed })) {
      // Every key part pinned: the index knows its number of distinct keys (n for a unique one).
      const probes = match.conds.reduce((k, c) => (c.kind === 'in' ? k * c.count : k), 1);
      const distinct = index.unique ? n : Math.max(1, index.runtime.size);
      fraction = Math.min(1, probes / distinct);
    }
    fraction = refineRange(index, match, fraction);
    if (shape.predicate !== null) fraction *= estimateSelectivity(table, shape.predicate);
    const consumed = new Set(match.consumed);
    for (const i of predicateParts) consumed.add(i);
    out.push({ index, shape, match, fraction: Math.max(fraction, 1 / n), consumed });
  }
  return out;
}

/**
 * Positions of the conjuncts that imply each conjunct of a partial index's predicate, or null
 * when one is not implied. Implication is structural: the same conjunct, or `x IS NOT NULL`
 * implied by a strict comparison on x (`x = 1`, `x > $1`, `x IN (...)`, `x LIKE 'a%'`).
 * Only conjuncts repeated verbatim are returned (they can leave the filter).
 */
function impliedBy(predicate: BoundExpr, parts: readonly BoundExpr[]): number[] | null {
  const verbatim: number[] = [];
  for (const pc of conjuncts(predicate)) {
    const same = parts.findIndex((q) => sameExpr(q, pc));
    if (same >= 0) {
      verbatim.push(same);
      continue;
    }
    if (pc.k === 'istest' && pc.test === 'null' && pc.negated && parts.some((q) => strictOn(q, pc.arg))) continue;
    return null;
  }
  return verbatim;
}

/** True when `q` can only be true if `x` is not NULL. */
function strictOn(q: BoundExpr, x: BoundExpr): boolean {
  switch (q.k) {
    case 'cmp': return sameExpr(q.left, x) || sameExpr(q.right, x);
    case 'inlist': return !q.negated && sameExpr(q.arg, x);
    case 'quantarray': return sameExpr(q.left, x);
    case 'call': return q.fn.strict && q.args.some((a) => sameExpr(a, x));
    case 'istest': return q.test === 'null' && q.negated && sameExpr(q.arg, x);
    default: return false;
  }
}

/**
 * A B-tree knows its smallest and largest keys, so a constant range on its first key part gets
 * a real fraction by linear interpolation (PostgreSQL reads the same from a histogram).
 */
function refineRange(index: IndexDef, match: IndexMatch, fraction: number): number {
  const rt = index.runtime;
  if (!(rt instanceof BTreeIndex) || match.eqParts !== 0 || match.conds.length !== 1) return fraction;
  const c = match.conds[0]!;
  if (c.kind !== 'range' || rt.columns[0]!.desc) return fraction;
  const val = (b: { at: number } | null): number | null => {
    if (b === null) return null;
    const e = match.keys[b.at]!;
    if (e.k !== 'const') return null;
    return typeof e.value === 'number' ? e.value : typeof e.value === 'bigint' ? Number(e.value) : null;
  };
  const lo = val(c.lower);
  const hi = val(c.upper);
  if ((c.lower !== null && lo === null) || (c.upper !== null && hi === null)) return fraction;
  // The lowest and highest non-NULL first key parts (NULLs sort at one end).
  const nullsFirst = rt.columns[0]!.nullsFirst;
  const afterNulls = { vals: [null], inclusive: false };
  const first = (nullsFirst ? rt.range(afterNulls, null, false) : rt.range(null, null, false)).next();
  const last = (nullsFirst ? rt.range(null, null, true) : rt.range(null, afterNulls, true)).next();
  const min = first === null ? null : rt.entryValue(first, 0);
  const max = last === null ? null : rt.entryValue(last, 0);
  if (typeof min !== 'number' || typeof max !== 'number' || max <= min) return fraction;
  const from = Math.max(min, lo ?? min);
  const to = Math.min(max, hi ?? max);
  if (to < from) return 0;
  return Math.min(1, (to - from) / (max - min));
}

function andOf(parts: readonly BoundExpr[]): BoundExpr | null {
  return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { k: 'and', type: Types.bool, args: [...parts] };
}

function indexNode(plan: SeqScanNode, c: Candidate, parts: readonly BoundExpr[]): IndexScanNode {
  const rest = parts.filter((_, i) => !c.consumed.has(i));
  return {
    node: 'IndexScan', table: plan.table, alias: plan.alias, index: c.index, keys: c.match.keys, keyTypes: c.match.keyTypes,
    conds: c.match.conds, mode: 'index', backward: false, indexQuals: c.match.quals, bitmap: null,
    filter: andOf(rest), lockRows: plan.lockRows, emitRef: plan.emitRef, columns: plan.columns,
    estRows: Math.max(1, Math.round(c.fraction * tableRows(plan.table) * (rest.length === 0 ? 1 : 0.5))),
  };
}

/** Appends a candidate's key values to a shared list, shifting its conditions' positions. */
function shifted(c: Candidate, keys: BoundExpr[], keyTypes: SqlType[], n: number): BitmapTree {
  const off = keys.length;
  keys.push(...c.match.keys);
  keyTypes.push(...c.match.keyTypes);
  const sh = (b: { at: number; inclusive: boolean } | null) => (b === null ? null : { at: b.at + off, inclusive: b.inclusive });
  const conds = c.match.conds.map((k) => ({ ...k, at: k.at < 0 ? k.at : k.at + off, lower: sh(k.lower), upper: sh(k.upper) }));
  return { op: 'index', index: c.index, conds, quals: c.match.quals, rows: Math.max(1, Math.round(c.fraction * n)) };
}

/**
 * A Bitmap Heap Scan over one index or the BitmapAnd of several. Bitmaps lose which key a row
 * was found under, and entries may be stale, so every answered conjunct is re-checked per row
 * (`indexQuals`, EXPLAIN's Recheck Cond).
 */
function bitmapNode(plan: SeqScanNode, parts: readonly BoundExpr[], cs: readonly Candidate[], op: 'index' | 'and', f: number): IndexScanNode {
  const keys: BoundExpr[] = [];
  const keyTypes: SqlType[] = [];
  const n = tableRows(plan.table);
  const leaves = cs.map((c) => shifted(c, keys, keyTypes, n));
  const consumed = new Set<number>();
  for (const c of cs) for (const i of c.consumed) consumed.add(i);
  const rest = parts.filter((_, i) => !consumed.has(i));
  const quals = parts.filter((_, i) => consumed.has(i));
  return {
    node: 'IndexScan', table: plan.table, alias: plan.alias, index: cs[0]!.index, keys, keyTypes, conds: [],
    mode: 'bitmap', backward: false, indexQuals: quals,
    bitmap: op === 'index' ? leaves[0]! : { op: 'and', children: leaves, rows: Math.max(1, Math.round(f * n)) },
    filter: andOf(rest), lockRows: plan.lockRows, emitRef: plan.emitRef, columns: plan.columns,
    estRows: Math.max(1, Math.round(f * n * (rest.length === 0 ? 1 : 0.5))),
  };
}

function bitmapOrNode(plan: SeqScanNode, parts: readonly BoundExpr[], at: number, arms: readonly Candidate[], f: number): IndexScanNode {
  const keys: BoundExpr[] = [];
  const keyTypes: SqlType[] = [];
  const n = tableRows(plan.table);
  const leaves = arms.map((c) => shifted(c, keys, keyTypes, n));
  const rest = parts.filter((_, i) => i !== at);
  return {
    node: 'IndexScan', table: plan.table, alias: plan.alias, index: arms[0]!.index, keys, keyTypes, conds: [],
    mode: 'bitmap', backward: false, indexQuals: [parts[at]!],
    bitmap: { op: 'or', children: leaves, rows: Math.max(1, Math.round(f * n)) },
    filter: andOf(rest), lockRows: plan.lockRows, emitRef: plan.emitRef, columns: plan.columns,
    estRows: Math.max(1, Math.round(f * n * (rest.length === 0 ? 1 : 0.5))),
  };
}
