/**
 * Hash aggregation: groups input rows by the group-key values and folds each aggregate's state per
 * group. Output rows are [group keys..., aggregate results...] (plus a grouping bitmask column when
 * grouping sets are used). Without GROUP BY there is exactly one group, even over empty input, so
 * count(*) of nothing is 0 and sum of nothing is NULL, as in PostgreSQL.
 *
 * Aggregates with DISTINCT keep a per-group set of argument keys; with ORDER BY (or ordered-set
 * aggregates) they buffer the group's argument rows, sort them and fold at the end.
 */
import type { AggregateNode } from '../../plan/plan-nodes.ts';
import type { Row } from '../../storage/version.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { compileExpr, type Evaluator } from '../compile-expr.ts';
import { BlockingOperator } from '../operator.ts';
import { PENDING } from '../interrupts.ts';
import { sortRows } from './sort.ts';
import {
  type AggRuntime, type Group, NO_ARGS, newGroup, plainTemplateOf, runtimeFor, sameColumnBefore, scratchFor,
  type SharedParts,
} from './aggregate-setup.ts';

/** What aggregation has folded so far (kept across a yield of its input, interrupts.ts). */
interface AggState {
  readonly keyEvals: Evaluator[];
  readonly keyParts: ((v: unknown) => unknown)[];
  readonly aggs: AggRuntime[];
  /** Per aggregate, its argument array, reused by every step (steps must not keep it). */
  readonly scratch: unknown[][];
  readonly sets: number[][];
  readonly groupsPerSet: Map<unknown, Group>[];
}

/** Plain GROUP BY's folding state (kept across a yield of its input, like AggState). */
interface PlainState {
  readonly keyEvals: Evaluator[];
  readonly keyParts: ((v: unknown) => unknown)[];
  readonly aggs: AggRuntime[];
  /** Groups in creation order. */
  readonly groups: Map<unknown, Group>;
  /** Aggregates stepped directly (no FILTER / DISTINCT / ORDER BY). */
  readonly simple: boolean[];
  readonly batchOnly: boolean;
  readonly byBatch: boolean;
  readonly shared: SharedParts;
  /** Per aggregate, its argument array, reused by every step (steps must not keep it). */
  readonly scratch: unknown[][];
  /** Per aggregate, a batch's argument values for stepMany (reused). */
  readonly scratchColumn: unknown[][];
  readonly keyVals: unknown[];
  /** Several keys: one map level per key. */
  readonly trie: Map<unknown, unknown>;
  /** The one group of an aggregate without GROUP BY. */
  single: Group | null;
  /** The input column a single group key reads as it is (-1: an expression or several keys). */
  readonly keyCol: number;
  /** Per row of the batch being folded, its group's states (foldBatch; reused). */
  readonly batchStates: unknown[][];
  /**
   * One int2/int4 key: the groups of keys 0..DENSE_KEYS-1 by key, in front of `groups` (which
   * still lists every group in creation order). A Map probe costs several times an array read,
   * and small non-negative integer keys (codes, categories, foreign keys) are the common case.
   */
  readonly dense: (Group | undefined)[] | null;
}

/** Keys below this go through PlainState.dense (grown on demand, 8 bytes per key seen). */
const DENSE_KEYS = 1 << 16;

export class HashAggregateOperator extends BlockingOperator<AggregateNode> {
  private state: AggState | null = null;
  private plain: PlainState | null = null;

  private startPlain(): PlainState {
    const node = this.node;
    const tpl = plainTemplateOf(node);
    const { aggs, keyEvals } = tpl;
    const nKeys = keyEvals.length;
    return {
      keyEvals,
      keyParts: tpl.keyParts,
      aggs,
      groups: new Map(),
      simple: tpl.simple,
      batchOnly: tpl.batchOnly,
      byBatch: tpl.byBatch,
      shared: tpl.shared,
      scratch: aggs.map(scratchFor),
      scratchColumn: aggs.map(() => []),
      keyVals: nKeys === 0 ? NO_ARGS : new Array<unknown>(nKeys),
      trie: nKeys > 1 ? new Map() : NO_TRIE,
      single: null,
      keyCol: tpl.keyCol,
      batchStates: [],
      dense: tpl.denseKeys ? [] : null,
    };
  }

  private start(): AggState {
    const node = this.node;
    const keyEvals = node.groupKeys.map(compileExpr);
    const sets = node.groupingSets ?? [keyEvals.map((_, i) => i)];
    const aggs = node.aggregates.map((a) => runtimeFor(a));
    return {
      keyEvals,
      keyParts: node.groupTypes.map((t) => hashKeyFor(t) as (v: unknown) => unknown),
      aggs,
      scratch: aggs.map(scratchFor),
      sets: sets.map((s) => [...s]),
      groupsPerSet: sets.map(() => new Map<unknown, Group>()),
    };
  }

  protected compute(): Row[] {
    const node = this.node;
    const ctx = this.ctx;
    if (node.groupingSets === null) return this.computePlain();
    const st = this.state ??= this.start();
    const { keyEvals, keyParts, aggs, scratch, sets, groupsPerSet } = st;
    for (let b = this.input.next(); b !== null; b = this.input.next()) {
      if (b === PENDING) return PENDING;
      for (const row of b) {
        const keyVals = keyEvals.map((e) => e(row, ctx));
        for (let s = 0; s < sets.length; s++) {
          const set = sets[s]!;
          const key = groupKey(set, keyVals, keyParts);
          const groups = groupsPerSet[s]!;
          let g = groups.get(key);
          if (g === undefined) {
            const keys = keyVals.map((v, i) => (set.includes(i) ? v : null));
            g = newGroup(keys, aggs);
            groups.set(key, g);
          }
          for (let a = 0; a < aggs.length; a++) this.fold(aggs[a]!, g, a, row, scratch[a]!);
        }
      }
    }
    const out: Row[] = [];
    for (let s = 0; s < sets.length; s++) {
      const groups = groupsPerSet[s]!;
      if (groups.size === 0 && sets[s]!.length === 0) {
        groups.set('', newGroup(keyEvals.map(() => null), aggs));
      }
      const mask = groupingMask(sets[s]!, keyEvals.length);
      for (const g of groups.values()) {
        const row: Row = g.keys.slice();
        for (let a = 0; a < aggs.length; a++) row.push(this.finish(aggs[a]!, g, a));
        if (node.groupingSets !== null) row.push(mask);
        out.push(row);
      }
    }
    return out;
  }

  /**
   * Plain GROUP BY (no grouping sets), the common case: one hash table, keys computed without
   * per-row arrays, and plain aggregates (no FILTER / DISTINCT / ORDER BY) stepped directly.
   */
  private computePlain(): Row[] {
    const ctx = this.ctx;
    const st = this.plain ??= this.startPlain();
    const { keyEvals, aggs, groups, simple, batchOnly, byBatch, scratch, shared } = st;
    const nKeys = keyEvals.length;
    const nAggs = aggs.length;
    const key0 = keyEvals[0];
    // SELECT count(*) FROM t (every aggregate folds whole batches): no per-row work at all.
    if (batchOnly && st.single === null) {
      // A scan that can count its rows without producing them (the table's visibility map).
      const n = this.input.countRows?.() ?? null;
      if (n !== null) {
        const g = st.single = newGroup(NO_ARGS, aggs, shared);
        for (let a = 0; a < nAggs; a++) g.states[a] = aggs[a]!.agg.def.stepRows!(g.states[a], n);
      }
    }
    // byBatch: every aggregate steps whole batches: group each batch's rows, then fold each
    // aggregate over the batch in one call.
    for (let b = this.input.next(); b !== null; b = this.input.next()) {
      if (b === PENDING) return PENDING;
      if (batchOnly) {
        const g = st.single ??= newGroup(NO_ARGS, aggs, shared);
        for (let a = 0; a < nAggs; a++) g.states[a] = aggs[a]!.agg.def.stepRows!(g.states[a], b.length);
        continue;
      }
      if (byBatch) {
        this.foldBatch(st, b);
        continue;
      }
      for (let r = 0; r < b.length; r++) {
        const row = b[r]!;
        let g: Group;
        if (nKeys === 0) {
          g = st.single ??= newGroup(NO_ARGS, aggs, shared);
        } else if (nKeys === 1) {
          g = this.oneKeyGroup(st, key0!(row, ctx));
        } else {
          g = this.trieGroup(st, row);
        }
        for (let a = 0; a < nAggs; a++) {
          const rt = aggs[a]!;
          if (!simple[a]) { this.fold(rt, g, a, row, scratch[a]!); continue; }
          if (rt.stateFrom >= 0) continue;
          const args = rt.args;
          const def = rt.agg.def;
          let vals: unknown[];
          if (args.length === 0) vals = NO_ARGS;
          else if (args.length === 1) {
            const v = args[0]!(row, ctx);
            if (v === null && def.strict) continue;
            vals = scratch[a]!;
            vals[0] = v;
          } else {
            vals = scratch[a]!;
            let skip = false;
            for (let i = 0; i < args.length; i++) {
              const v = args[i]!(row, ctx);
              if (v === null && def.strict) { skip = true; break; }
              vals[i] = v;
            }
            if (skip) continue;
          }
          g.states[a] = def.step(g.states[a], vals, ctx);
        }
      }
    }
    if (nKeys === 0) groups.set('', st.single ?? newGroup(NO_ARGS, aggs, shared));
    const out: Row[] = [];
    for (const g of groups.values()) {
      const row: Row = g.keys.slice();
      for (let a = 0; a < nAggs; a++) row.push(this.finish(aggs[a]!, g, a));
      out.push(row);
    }
    return out;
  }

  /** The group of key value `v` under one key. */
  private oneKeyGroup(st: PlainState, v: unknown): Group {
    const dense = st.dense;
    if (dense !== null && typeof v === 'number' && v >= 0 && v < DENSE_KEYS) {
      if (v < dense.length) {
        const g = dense[v];
        if (g !== undefined) return g;
      } else {
        // Grown by pushing, so the array keeps fast elements (a store far past its end would
        // turn it into a dictionary).
        while (dense.length <= v) dense.push(undefined);
      }
      return (dense[v] = this.newKeyGroup(st, v, st.keyParts[0]!(v)));
    }
    const key = v === null ? NULL_KEY : st.keyParts[0]!(v);
    return st.groups.get(key) ?? this.newKeyGroup(st, v, key);
  }

  /** A new group of key value `v`, listed in `groups` under its hash key. */
  private newKeyGroup(st: PlainState, v: unknown, key: unknown): Group {
    const g = newGroup([v], st.aggs, st.shared);
    st.groups.set(key, g);
    return g;
  }

  /**
   * The group of `row` under several keys: a trie of maps, one level per key (no per-row key
   * string); `groups` then lists the groups in creation order.
   */
  private trieGroup(st: PlainState, row: Row): Group {
    const ctx = this.ctx;
    const { keyEvals, keyParts, keyVals, groups } = st;
    const nKeys = keyEvals.length;
    let level: Map<unknown, unknown> = st.trie;
    for (let i = 0; i < nKeys - 1; i++) {
      const v = keyEvals[i]!(row, ctx);
      keyVals[i] = v;
      const k = v === null ? NULL_KEY : keyParts[i]!(v);
      let next = level.get(k) as Map<unknown, unknown> | undefined;
      if (next === undefined) level.set(k, (next = new Map()));
      level = next;
    }
    const v = keyEvals[nKeys - 1]!(row, ctx);
    keyVals[nKeys - 1] = v;
    const k = v === null ? NULL_KEY : keyParts[nKeys - 1]!(v);
    const found = level.get(k) as Group | undefined;
    if (found !== undefined) return found;
    const g = newGroup(keyVals.slice(), st.aggs, st.shared);
    level.set(k, g);
    groups.set(groups.size, g);
    return g;
  }

  /** One input batch through the aggregates' stepMany (see computePlain's byBatch). */
  private foldBatch(st: PlainState, b: Row[]): void {
    const ctx = this.ctx;
    const n = b.length;
    const { aggs, batchStates } = st;
    if (batchStates.length < n) batchStates.length = n;
    if (st.keyEvals.length === 0) {
      const states = (st.single ??= newGroup(NO_ARGS, aggs, st.shared)).states;
      for (let r = 0; r < n; r++) batchStates[r] = states;
    } else if (st.keyEvals.length > 1) {
      for (let r = 0; r < n; r++) batchStates[r] = this.trieGroup(st, b[r]!).states;
    } else {
      const key0 = st.keyEvals[0]!;
      const keyCol = st.keyCol;
      for (let r = 0; r < n; r++) {
        const row = b[r]!;
        batchStates[r] = this.oneKeyGroup(st, keyCol >= 0 ? row[keyCol] ?? null : key0(row, ctx)).states;
      }
    }
    for (let a = 0; a < aggs.length; a++) {
      const rt = aggs[a]!;
      if (rt.stateFrom >= 0) continue;
      let values: unknown[] | null = null;
      if (rt.args.length === 1) {
        values = st.scratchColumn[a]!;
        const col = rt.argCol;
        // sum(x), avg(x), max(x): read the column once per batch (stepMany leaves it as it is).
        const same = col >= 0 ? sameColumnBefore(aggs, a, col) : -1;
        if (same >= 0) {
          values = st.scratchColumn[same]!;
        } else if (col >= 0) {
          if (values.length < n) values.length = n;
          for (let r = 0; r < n; r++) values[r] = b[r]![col] ?? null;
        } else {
          if (values.length < n) values.length = n;
          const arg = rt.args[0]!;
          for (let r = 0; r < n; r++) values[r] = arg(b[r]!, ctx);
        }
      }
      rt.agg.def.stepMany!(batchStates, a, values, n);
    }
  }

  private fold(rt: AggRuntime, g: Group, a: number, row: Row, vals: unknown[]): void {
    const ctx = this.ctx;
    if (rt.filter !== null && !rt.filter(row, ctx)) return;
    for (let i = 0; i < vals.length; i++) vals[i] = rt.args[i]!(row, ctx);
    if (rt.agg.def.strict && !rt.agg.def.orderedSet) {
      for (let i = 0; i < vals.length; i++) if (vals[i] === null) return;
    }
    if (rt.distinctKey !== null) {
      const k = rt.distinctKey(vals);
      const seen = g.seen[a]!;
      if (seen.has(k)) return;
      seen.add(k);
    }
    if (rt.buffered) {
      const sortVals = rt.sortEvals.map((e) => e(row, ctx));
      g.buffers[a]!.push(vals.concat(sortVals));
      return;
    }
    g.states[a] = rt.agg.def.step(g.states[a], vals, ctx);
  }

  private finish(rt: AggRuntime, g: Group, a: number): unknown {
    const ctx = this.ctx;
    const def = rt.agg.def;
    if (rt.buffered) {
      const nArgs = rt.args.length;
      const rows = g.buffers[a]!;
      const keys = rt.orderBy.map((k, i) => ({ ...k, expr: { k: 'col' as const, type: k.expr.type, index: nArgs + i, levelsUp: 0 } }));
      const sorted = sortRows(rows, keys, ctx);
      let state = g.states[a];
      for (const r of sorted) {
        const vals = r.slice(0, nArgs);
        if (def.orderedSet) vals.push(...r.slice(nArgs, nArgs + 1));
        state = def.step(state, vals, ctx);
      }
      g.states[a] = state;
    }
    return def.final(g.states[rt.stateFrom >= 0 ? rt.stateFrom : a], ctx, rt.agg.argTypes) ?? null;
  }
}

function groupKey(set: readonly number[], vals: unknown[], parts: ((v: unknown) => unknown)[]): unknown {
  if (set.length === 0) return '';
  if (set.length === 1) {
    const i = set[0]!;
    const v = vals[i];
    return v === null ? NULL_KEY : parts[i]!(v);
  }
  let key = '';
  for (const i of set) {
    const v = vals[i];
    if (v === null) { key += 'N;'; continue; }
    const k = parts[i]!(v);
    const s = typeof k === 'string' ? k : `${typeof k}:${String(k)}`;
    key += `${s.length}:${s};`;
  }
  return key;
}

/** GROUPING() bitmask: bit set (from the left) for each key NOT in this grouping set. */
function groupingMask(set: readonly number[], nKeys: number): number {
  let mask = 0;
  for (let i = 0; i < nKeys; i++) if (!set.includes(i)) mask |= 1 << (nKeys - 1 - i);
  return mask;
}

const NULL_KEY = Symbol('null group');
/** The trie of an aggregation with fewer than two keys: never used. */
const NO_TRIE: Map<unknown, unknown> = new Map();
