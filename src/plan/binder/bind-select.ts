/**
 * SELECT, set operations, VALUES and WITH: turns a query AST into a plan. The plan shape is
 *   FROM/WHERE (join planner) -> Aggregate -> HAVING -> Window -> Project -> DISTINCT -> Sort
 *   -> Limit -> Project (dropping hidden ORDER BY columns)
 * with each stage present only when the query needs it.
 * Data-modifying CTEs are bound only through the top-level statement's hook (QueryOptions.dmlCte);
 * anywhere else they are PostgreSQL's "must be at the top level" error.
 */
import { DbError, unreachable } from '../../errors/index.ts';
import type { CommonTableExpr, Expr, ResTarget, SelectQuery, SelectStmt, SetOperationStmt, SortBy, ValuesStmt, WithClause } from '../../sql/ast.ts';
import { Limits } from '../../limits.ts';
import { commonType } from '../../types/coerce.ts';
import { hashKeyFor } from '../../types/compare.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import type { BoundExpr, BoundSortKey } from '../bound-expr.ts';
import type { OutputColumn, PlanNode } from '../plan-nodes.ts';
import { QueryState, type BindContext, type CteBinding } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { bindSortKey, sortKeyFor } from './bind-call.ts';
import { coerce, coerceBoolean, isUnknown, resolveUnknown } from './coerce-expr.ts';
import { bindFromItem, type FromItem } from './bind-from.ts';
import { planFromList } from './join-planner.ts';
import { useIndexOrder } from './index-order.ts';
import { estimateGroups } from '../stats/selectivity.ts';
import { pushLimitDown } from './limit-pushdown.ts';
import { Scope, hasEntry, useAllColumns } from './scope.ts';
import { exprKey, toGroupedRefs, windowRefs, type GroupContext } from './grouping.ts';
import { bindRecursiveCte } from './bind-recursive.ts';
import { expandFieldStar } from './bind-field.ts';

export interface BoundQuery {
  readonly plan: PlanNode;
  readonly columns: readonly OutputColumn[];
}

/** Binds a data-modifying CTE (the engine runs it before the main query); top level only. */
export type DmlCteHook = (cte: CommonTableExpr) => CteBinding;

/** Options for the outermost query level only (never passed down to subqueries). */
export interface QueryOptions {
  /**
   * INSERT ... SELECT: PostgreSQL leaves untyped literals of the top-level select list unresolved
   * and coerces them to the target columns' types (so `SELECT 1, NULL` fits an int column).
   * Entry i is the type for select-list item i.
   */
  readonly unknownAs?: readonly SqlType[];
  /** Set by the statement executor: without it, DML in WITH is "not at the top level". */
  readonly dmlCte?: DmlCteHook;
  /**
   * Set-operation operands: untyped select-list literals stay unknown so the operation's common
   * type decides (`SELECT 1, NULL UNION SELECT 2, 3` is int, int); all-unknown becomes text.
   */
  readonly keepUnknown?: boolean;
}

let queryDepth = 0;

export function bindQuery(q: SelectQuery, scope: Scope, bc: BindContext, opts: QueryOptions = {}): BoundQuery {
  if (++queryDepth > Limits.queryDepthMax) {
    queryDepth = 0;
    throw new DbError('statement_too_complex', 'query is nested too deeply', { position: q.loc + 1 });
  }
  const pushed = q.with !== null;
  try {
    if (q.with) bindWith(q.with, scope, bc, opts.dmlCte);
    switch (q.kind) {
      case 'Select':
        return bindSelect(q, scope, bc, opts.unknownAs, opts.keepUnknown === true && !q.distinct && q.orderBy.length === 0);
      case 'SetOperation':
        return bindSetOperation(q, scope, bc);
      case 'Values':
        return bindValues(q, scope, bc);
      default:
        return unreachable(q, 'query kind');
    }
  } finally {
    queryDepth--;
    if (pushed) bc.ctes.pop();
  }
}

/**
 * Pushes a frame with the WITH clause's CTEs onto bc.ctes (the caller pops it). Data-modifying
 * CTEs go through `dmlCte`, which only the top-level statement supplies.
 */
export function bindWith(w: WithClause, scope: Scope, bc: BindContext, dmlCte?: DmlCteHook): void {
  const frame = new Map<string, CteBinding>();
  bc.ctes.push(frame);
  for (const cte of w.ctes) {
    if (frame.has(cte.name)) {
      throw new DbError('duplicate_alias', `WITH query name "${cte.name}" specified more than once`, { position: cte.loc + 1 });
    }
    if (cte.query.kind !== 'Select' && cte.query.kind !== 'SetOperation' && cte.query.kind !== 'Values') {
      if (!dmlCte) {
        throw new DbError('feature_not_supported', 'WITH clause containing a data-modifying statement must be at the top level', { position: cte.loc + 1 });
      }
      frame.set(cte.name, dmlCte(cte));
      continue;
    }
    const binding = w.recursive
      ? bindRecursiveCte(cte, cte.query, scope, bc, frame)
      : bindPlainCte(cte.name, cte.columns, cte.query, scope, bc, cte.loc);
    frame.set(cte.name, binding);
  }
}

function bindPlainCte(name: string, colNames: readonly string[] | null, query: SelectQuery, scope: Scope, bc: BindContext, loc: number): CteBinding {
  const sub = bindQuery(query, new Scope(scope.parent), bc);
  if (colNames && colNames.length > sub.columns.length) {
    throw new DbError('invalid_column_reference', `WITH query "${name}" has ${sub.columns.length} columns available but ${colNames.length} columns specified`, { position: loc + 1 });
  }
  const columns = sub.columns.map((c, i) => ({ name: colNames?.[i] ?? c.name, type: c.type }));
  return { name, columns, plan: sub.plan, id: bc.newId(), recursive: false };
}

/** The output name PostgreSQL gives an unaliased select-list expression. */
export function columnName(e: Expr): string {
  switch (e.kind) {
    case 'ColumnRef': return e.names[e.names.length - 1] ?? '?column?';
    case 'FuncCall': return e.name[e.name.length - 1]!;
    case 'Cast':
      return e.expr.kind === 'ColumnRef' || e.expr.kind === 'FuncCall' || e.expr.kind === 'Cast' ? columnName(e.expr) : castName(e.type.name);
    case 'TypedLiteral': return castName(e.type.name);
    case 'Case': return 'case';
    case 'ConditionalFunc': return e.fn;
    case 'Exists': return 'exists';
    case 'ArrayExpr': case 'ArraySubquery': return 'array';
    case 'RowExpr': return 'row';
    case 'SqlValueFunc': return e.fn === 'user' ? 'current_user' : e.fn;
    case 'Subscript': return columnName(e.expr);
    case 'FieldSelect': return e.field ?? '?column?';
    case 'Collate': return columnName(e.expr);
    case 'ScalarSubquery': {
      const q = e.query;
      if (q.kind === 'Select' && q.targets.length === 1) {
        const t = q.targets[0]!;
        return t.alias ?? columnName(t.expr);
      }
      return '?column?';
    }
    case 'GroupingFunc': return 'grouping';
    default: return '?column?';
  }
}

function castName(typname: string): string {
  return typname;
}

interface Target {
  readonly name: string;
  readonly expr: BoundExpr;
}

function expandTargets(targets: readonly ResTarget[], scope: Scope, bc: BindContext, qs: QueryState, unknownAs?: readonly SqlType[], keepUnknown = false): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    const e = t.expr;
    if (e.kind === 'ColumnRef' && e.star) {
      if (e.names.length === 0) {
        if (scope.entries.length === 0) {
          throw new DbError('syntax_error', 'SELECT * with no tables specified is not valid', { position: e.loc + 1 });
        }
        const hidden = new Set(scope.merged.flatMap((m) => m.hides));
        for (const m of scope.merged) out.push({ name: m.name, expr: m.expr });
        for (const entry of scope.entries) {
          useAllColumns(entry);
          for (const c of entry.columns) {
            if (!hidden.has(c.index)) out.push({ name: c.name, expr: { k: 'col', type: c.type, index: c.index, levelsUp: 0 } });
          }
        }
      } else {
        const entry = scope.findEntry(e.names);
        if (!entry) {
          if (hasEntry(scope.parent, e.names)) {
            throw new DbError('feature_not_supported', 'outer-level t.* is not supported', { position: e.loc + 1 });
          }
          throw new DbError('undefined_table', `missing FROM-clause entry for table "${e.names[e.names.length - 1]}"`, { position: e.loc + 1 });
        }
        useAllColumns(entry);
        for (const c of entry.columns) out.push({ name: c.name, expr: { k: 'col', type: c.type, index: c.index, levelsUp: 0 } });
      }
      continue;
    }
    if (e.kind === 'FieldSelect' && e.field === null) {
      out.push(...expandFieldStar(e, scope, bc, qs));
      continue;
    }
    const raw = bindExpr(e, scope, bc, qs);
    const as = unknownAs?.[out.length];
    const bound = as && isUnknown(raw) ? coerce(raw, as, 'assignment', bc, e.loc) : keepUnknown ? raw : resolveUnknown(raw, bc, e.loc);
    out.push({ name: t.alias ?? columnName(e), expr: bound });
  }
  if (out.length > Limits.selectColumnsMax) {
    throw new DbError('too_many_columns', `target lists can have at most ${Limits.selectColumnsMax} entries`);
  }
  return out;
}

interface GroupSpec {
  readonly keys: BoundExpr[];
  readonly sets: number[][] | null;
}

function bindGroupBy(stmt: SelectStmt, targets: Target[], scope: Scope, bc: BindContext): GroupSpec {
  const qs = new QueryState();
  qs.noAggClause = 'GROUP BY';
  qs.noWindowClause = 'GROUP BY';
  const keys: BoundExpr[] = [];
  const keyIndex = new Map<string, number>();
  const keyFor = (e: Expr): number => {
    let bound: BoundExpr;
    if (e.kind === 'IntegerLiteral') {
      const pos = Number(e.value);
      if (pos < 1 || pos > targets.length) {
        throw new DbError('invalid_column_reference', `GROUP BY position ${pos} is not in select list`, { position: e.loc + 1 });
      }
      bound = targets[pos - 1]!.expr;
    } else if (e.kind === 'ColumnRef' && e.names.length === 1 && !e.star && !nameInScope(scope, e.names[0]!)) {
      const t = stmt.targets.findIndex((x) => x.alias === e.names[0]);
      bound = t >= 0 ? targets[t]!.expr : resolveUnknown(bindExpr(e, scope, bc, qs), bc, e.loc);
    } else {
      bound = resolveUnknown(bindExpr(e, scope, bc, qs), bc, e.loc);
    }
    const k = exprKey(bound);
    let i = keyIndex.get(k);
    if (i === undefined) {
      i = keys.length;
      keys.push(bound);
      keyIndex.set(k, i);
    }
    return i;
  };
  let sets: number[][] | null = null;
  const plain: number[] = [];
  const setLists: number[][][] = [];
  for (const item of stmt.groupBy) {
    if (item.kind !== 'GroupingSet') { plain.push(keyFor(item)); continue; }
    setLists.push(expandGroupingSet(item, keyFor));
  }
  if (setLists.length > 0) {
    sets = [plain];
    for (const list of setLists) {
      const next: number[][] = [];
      for (const s of sets) for (const l of list) next.push([...s, ...l]);
      sets = next;
    }
  }
  return { keys, sets };
}

type GroupingSetAst = Extract<SelectStmt['groupBy'][number], { kind: 'GroupingSet' }>;

function expandGroupingSet(g: GroupingSetAst, keyFor: (e: Expr) => number): number[][] {
  const itemKeys = (it: SelectStmt['groupBy'][number]): number[][] =>
    it.kind === 'GroupingSet' ? expandGroupingSet(it, keyFor)
      : it.kind === 'RowExpr' ? [it.fields.map(keyFor)] : [[keyFor(it)]];
  switch (g.type) {
    case 'empty':
      return [[]];
    case 'rollup': {
      const parts = g.items.map((it) => itemKeys(it).flat());
      const out: number[][] = [];
      for (let n = parts.length; n >= 0; n--) out.push(parts.slice(0, n).flat());
      return out;
    }
    case 'cube': {
      const parts = g.items.map((it) => itemKeys(it).flat());
      const out: number[][] = [];
      for (let mask = (1 << parts.length) - 1; mask >= 0; mask--) {
        out.push(parts.filter((_, i) => mask & (1 << (parts.length - 1 - i))).flat());
      }
      return out;
    }
    case 'sets':
      return g.items.flatMap(itemKeys);
  }
}

function nameInScope(scope: Scope, name: string): boolean {
  for (let s: Scope | null = scope; s !== null; s = s.parent) {
    if (s.merged.some((m) => m.name === name)) return true;
    for (const e of s.entries) if (e.columns.some((c) => c.name === name)) return true;
  }
  return false;
}

/**
 * Binds a WHERE clause: a boolean condition in which aggregates and window functions are errors.
 * Shared by SELECT, UPDATE / DELETE targets and updatable views.
 */
export function bindWhere(where: Expr | null, scope: Scope, bc: BindContext, qs: QueryState = new QueryState()): BoundExpr | null {
  if (where === null) return null;
  const saved = [qs.noAggClause, qs.noWindowClause] as const;
  qs.noAggClause = 'WHERE';
  qs.noWindowClause = 'WHERE';
  try {
    return coerceBoolean(bindExpr(where, scope, bc, qs), bc, where.loc, 'WHERE');
  } finally {
    [qs.noAggClause, qs.noWindowClause] = saved;
  }
}

export function bindSelect(stmt: SelectStmt, scope: Scope, bc: BindContext, unknownAs?: readonly SqlType[], keepUnknown = false): BoundQuery {
  if (stmt.into) throw new DbError('feature_not_supported', 'SELECT INTO is not supported; use CREATE TABLE AS', { position: stmt.into.loc + 1 });
  const items: FromItem[] = [];
  for (const ref of stmt.from) {
    const item = bindFromItem(ref, scope, bc);
    scope.width = item.offset + item.width;
    items.push(item);
  }
  const qs = new QueryState();
  for (const w of stmt.windows) if (w.name) qs.windowDefs.set(w.name, w);
  const where = bindWhere(stmt.where, scope, bc, qs);
  let plan = planFromList(items, where, scope.width);
  const targets = expandTargets(stmt.targets, scope, bc, qs, unknownAs, keepUnknown);
  const group = stmt.groupBy.length > 0 ? bindGroupBy(stmt, targets, scope, bc) : null;
  let having: BoundExpr | null = null;
  if (stmt.having) {
    qs.noWindowClause = 'HAVING';
    having = coerceBoolean(bindExpr(stmt.having, scope, bc, qs), bc, stmt.having.loc, 'HAVING');
    qs.noWindowClause = null;
  }
  // ORDER BY items: output positions/names, or expressions bound like targets.
  const sortSpecs = bindOrderBy(stmt.orderBy, stmt.targets, targets, scope, bc, qs);
  const grouped = group !== null || qs.aggregates.length > 0 || having !== null;
  let rewrite: (e: BoundExpr, loc: number) => BoundExpr = (e) => e;
  if (grouped) {
    const keys = group?.keys ?? [];
    const keyMap = new Map<string, number>();
    keys.forEach((k, i) => keyMap.set(exprKey(k), i));
    const nGroup = keys.length;
    const aggCols: OutputColumn[] = [
      ...keys.map((k, i) => ({ name: `group${i}`, type: k.type })),
      ...qs.aggregates.map((a, i) => ({ name: `agg${i}`, type: a.type })),
    ];
    if (group?.sets) aggCols.push({ name: 'grouping', type: Types.int4 });
    plan = {
      node: 'Aggregate', input: plan, groupKeys: keys, groupTypes: keys.map((k) => k.type),
      aggregates: qs.aggregates, groupingSets: group?.sets ?? null, columns: aggCols,
      estRows: nGroup === 0 ? 1 : estimateGroups(keys, plan),
    };
    const g: GroupContext = { keys: keyMap, nGroup, windowBase: aggCols.length, clause: 'select list' };
    rewrite = (e, loc) => toGroupedRefs(e, g, loc);
    if (having) {
      plan = { node: 'Filter', input: plan, predicate: rewrite(having, stmt.having!.loc), columns: plan.columns, estRows: plan.estRows };
    }
  }
  if (qs.windows.length > 0) plan = addWindows(plan, qs, rewrite, stmt.loc);
  const windowBase = plan.columns.length - qs.windows.length;
  const finalize = (e: BoundExpr, loc: number): BoundExpr => windowRefs(rewrite(e, loc), windowBase);
  const outExprs = targets.map((t, i) => finalize(t.expr, stmt.targets[i]?.loc ?? stmt.loc));
  const outCols: OutputColumn[] = targets.map((t) => ({ name: t.name, type: t.expr.type }));
  // Hidden sort columns.
  const projExprs = [...outExprs];
  const sortKeys: BoundSortKey[] = [];
  for (const s of sortSpecs) {
    if (s.target >= 0) {
      sortKeys.push({ ...s.key, expr: { k: 'col', type: projExprs[s.target]!.type, index: s.target, levelsUp: 0 } });
      continue;
    }
    const e = finalize(s.key.expr, s.loc);
    const k = exprKey(e);
    let idx = projExprs.findIndex((p) => exprKey(p) === k);
    if (idx < 0 || (stmt.distinct && idx >= outExprs.length)) {
      if (stmt.distinct && stmt.distinctOn === null) {
        throw new DbError('invalid_column_reference', 'for SELECT DISTINCT, ORDER BY expressions must appear in select list', { position: s.loc + 1 });
      }
      idx = projExprs.length;
      projExprs.push(e);
    }
    sortKeys.push({ ...s.key, expr: { k: 'col', type: e.type, index: idx, levelsUp: 0 } });
  }
  const projCols = projExprs.map((e, i) => outCols[i] ?? { name: `?sort${i}`, type: e.type });
  plan = { node: 'Project', input: plan, exprs: projExprs, columns: projCols, estRows: plan.estRows };
  if (stmt.distinctOn) {
    const onExprs = stmt.distinctOn.map((e) => {
      const b = finalize(resolveUnknown(bindDistinctOnExpr(e, stmt, targets, scope, bc, qs), bc, e.loc), e.loc);
      let idx = projExprs.findIndex((p) => exprKey(p) === exprKey(b));
      if (idx < 0) throw new DbError('invalid_column_reference', 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions', { position: e.loc + 1 });
      return { k: 'col' as const, type: b.type, index: idx, levelsUp: 0 };
    });
    // PostgreSQL: with ORDER BY, the DISTINCT ON expressions must be its leftmost items.
    const pendingOn = new Set(onExprs.map((o) => o.index));
    for (let i = 0; i < sortKeys.length && pendingOn.size > 0; i++) {
      const k = sortKeys[i]!.expr;
      if (k.k !== 'col' || !pendingOn.delete(k.index)) {
        throw new DbError('invalid_column_reference', 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions',
          { position: (stmt.orderBy[i]?.loc ?? stmt.loc) + 1 });
      }
    }
    const allKeys = [...sortKeys];
    for (const on of onExprs) if (!allKeys.some((k) => k.expr.k === 'col' && k.expr.index === on.index)) allKeys.push(sortKeyFor(on, 'default', 'default', stmt.loc));
    plan = { node: 'Sort', input: plan, keys: allKeys, limit: -1, columns: plan.columns, estRows: plan.estRows };
    plan = { node: 'Distinct', input: plan, on: onExprs, keyTypes: onExprs.map((o) => o.type), columns: plan.columns, estRows: plan.estRows };
  } else {
    if (stmt.distinct) {
      const distinctRows = estimateGroups(projCols.map((c, i) => ({ k: 'col', type: c.type, index: i, levelsUp: 0 })), plan);
      plan = { node: 'Distinct', input: plan, on: null, keyTypes: projCols.map((c) => c.type), columns: plan.columns, estRows: distinctRows };
      checkHashable(projCols, stmt.loc);
    }
    if (sortKeys.length > 0) plan = { node: 'Sort', input: plan, keys: sortKeys, limit: -1, columns: plan.columns, estRows: plan.estRows };
  }
  plan = addLimit(plan, stmt, scope, bc, sortKeys);
  plan = useIndexOrder(plan);
  if (projExprs.length > outExprs.length) {
    plan = {
      node: 'Project', input: plan, exprs: outCols.map((c, i) => ({ k: 'col', type: c.type, index: i, levelsUp: 0 })),
      columns: outCols, estRows: plan.estRows,
    };
  }
  if (stmt.locking.length > 0) plan = lockRows(plan, stmt.locking.flatMap((l) => l.of.map((o) => o.name)));
  return { plan, columns: outCols };
}

function checkHashable(cols: readonly OutputColumn[], loc: number): void {
  for (const c of cols) {
    try {
      hashKeyFor(c.type);
    } catch (e) {
      if (e instanceof DbError) e.position ??= loc + 1;
      throw e;
    }
  }
}

function bindDistinctOnExpr(e: Expr, stmt: SelectStmt, targets: Target[], scope: Scope, bc: BindContext, qs: QueryState): BoundExpr {
  if (e.kind === 'IntegerLiteral') {
    const pos = Number(e.value);
    if (pos < 1 || pos > targets.length) throw new DbError('invalid_column_reference', `SELECT DISTINCT ON position ${pos} is not in select list`, { position: e.loc + 1 });
    return targets[pos - 1]!.expr;
  }
  if (e.kind === 'ColumnRef' && e.names.length === 1) {
    const t = stmt.targets.findIndex((x) => x.alias === e.names[0]);
    if (t >= 0) return targets[t]!.expr;
  }
  return bindExpr(e, scope, bc, qs);
}

interface SortSpec {
  readonly key: BoundSortKey;
  /** Index into the select list, or -1 when `key.expr` is an expression to project. */
  readonly target: number;
  readonly loc: number;
}

function bindOrderBy(
  orderBy: readonly SortBy[], asts: readonly ResTarget[], targets: Target[],
  scope: Scope, bc: BindContext, qs: QueryState,
): SortSpec[] {
  return orderBy.map((s) => {
    const e = s.expr;
    if (e.kind === 'IntegerLiteral') {
      const pos = Number(e.value);
      if (pos < 1 || pos > targets.length) {
        throw new DbError('invalid_column_reference', `ORDER BY position ${pos} is not in select list`, { position: e.loc + 1 });
      }
      return { key: sortKeyFor(targets[pos - 1]!.expr, s.direction, s.nulls, e.loc), target: pos - 1, loc: e.loc };
    }
    if (e.kind === 'ColumnRef' && e.names.length === 1 && !e.star) {
      const name = e.names[0]!;
      const matches = targets.map((t, i) => (t.name === name ? i : -1)).filter((i) => i >= 0);
      const explicit = matches.filter((i) => asts[i]?.alias === name || !nameInScope(scope, name));
      const pick = explicit.length > 0 ? explicit : (nameInScope(scope, name) ? [] : matches);
      if (pick.length > 1 && !pick.every((i) => exprKey(targets[i]!.expr) === exprKey(targets[pick[0]!]!.expr))) {
        throw new DbError('ambiguous_column', `ORDER BY "${name}" is ambiguous`, { position: e.loc + 1 });
      }
      if (pick.length > 0) return { key: sortKeyFor(targets[pick[0]!]!.expr, s.direction, s.nulls, e.loc), target: pick[0]!, loc: e.loc };
    }
    return { key: bindSortKey(e, s.direction, s.nulls, scope, bc, qs), target: -1, loc: e.loc };
  });
}

function addLimit(plan: PlanNode, q: { limit: Expr | null; offset: Expr | null; limitWithTies: boolean }, scope: Scope, bc: BindContext, sortKeys: BoundSortKey[]): PlanNode {
  if (q.limit === null && q.offset === null) return plan;
  const qs = new QueryState();
  qs.noAggClause = 'LIMIT';
  const bindCount = (e: Expr | null): BoundExpr | null => {
    if (e === null) return null;
    const b = bindExpr(e, new Scope(scope.parent), bc, qs);
    return coerce(b, Types.int8, 'assignment', bc, e.loc);
  };
  const limit = bindCount(q.limit);
  const offset = bindCount(q.offset);
  if (q.limitWithTies && sortKeys.length === 0) {
    throw new DbError('syntax_error', 'WITH TIES cannot be specified without ORDER BY clause');
  }
  // Top-N: a sort directly below a constant limit only needs limit + offset rows.
  if (plan.node === 'Sort' && limit?.k === 'const' && limit.value !== null && (offset === null || offset.k === 'const') && !q.limitWithTies) {
    const n = Number(limit.value) + (offset && offset.value !== null ? Number(offset.value) : 0);
    if (n >= 0) plan = { ...plan, limit: n };
  }
  const cap = limit?.k === 'const' && limit.value !== null && !q.limitWithTies ? Number(limit.value) : Infinity;
  return pushLimitDown({ node: 'Limit', input: plan, limit, offset, withTies: q.limitWithTies ? sortKeys : null, columns: plan.columns, estRows: Math.min(plan.estRows, cap) });
}

function addWindows(plan: PlanNode, qs: QueryState, rewrite: (e: BoundExpr, loc: number) => BoundExpr, loc: number): PlanNode {
  let p = plan;
  qs.windows.forEach((w, i) => {
    const spec = qs.windowSpecs[i]!;
    const fn = {
      ...w,
      args: w.args.map((a) => rewrite(a, loc)),
      aggregate: w.aggregate ? { ...w.aggregate, args: w.aggregate.args.map((a) => rewrite(a, loc)), filter: w.aggregate.filter ? rewrite(w.aggregate.filter, loc) : null } : null,
    };
    const partitionBy = spec.partitionBy.map((e) => rewrite(e, loc));
    p = {
      node: 'Window', input: p, partitionBy, partitionTypes: partitionBy.map((e) => e.type),
      orderBy: spec.orderBy.map((k) => ({ ...k, expr: rewrite(k.expr, loc) })), functions: [fn],
      columns: [...p.columns, { name: w.name, type: w.type }], estRows: p.estRows,
    };
  });
  return p;
}

function lockRows(plan: PlanNode, only: string[]): PlanNode {
  const visit = (p: PlanNode): PlanNode => {
    if ((p.node === 'SeqScan' || p.node === 'IndexScan') && (only.length === 0 || only.includes(p.alias))) return { ...p, lockRows: true };
    switch (p.node) {
      case 'Filter': case 'Project': case 'Sort': case 'Limit': case 'Distinct': return { ...p, input: visit(p.input) };
      case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': return { ...p, left: visit(p.left), right: visit(p.right) };
      case 'Aggregate': throw new DbError('feature_not_supported', 'FOR UPDATE is not allowed with aggregate functions');
      default: return p;
    }
  };
  return visit(plan);
}

function bindSetOperation(q: SetOperationStmt, scope: Scope, bc: BindContext): BoundQuery {
  const left = bindQuery(q.left, new Scope(scope.parent), bc, { keepUnknown: true });
  const right = bindQuery(q.right, new Scope(scope.parent), bc, { keepUnknown: true });
  const opName = q.op.toUpperCase();
  if (left.columns.length !== right.columns.length) {
    throw new DbError('syntax_error', `each ${opName} query must have the same number of columns`, { position: q.loc + 1 });
  }
  const types = left.columns.map((c, i) => commonType([c.type, right.columns[i]!.type], opName));
  const columns = left.columns.map((c, i) => ({ name: c.name, type: types[i]! }));
  let plan: PlanNode = {
    node: 'SetOp', op: q.op, all: q.all,
    left: castOutputs(left.plan, types, bc), right: castOutputs(right.plan, types, bc),
    columns, estRows: left.plan.estRows + right.plan.estRows,
  };
  return finishOutputQuery(plan, columns, q, scope, bc);
}

/** ORDER BY / LIMIT on a set operation or VALUES: they see only the output columns. */
function finishOutputQuery(plan: PlanNode, columns: OutputColumn[], q: SetOperationStmt | ValuesStmt, scope: Scope, bc: BindContext): BoundQuery {
  if (q.orderBy.length > 0) {
    const out = new Scope(scope.parent);
    out.add({ alias: '', schema: null, columns: columns.map((c, i) => ({ name: c.name, type: c.type, index: i })), table: null }, q.loc);
    out.width = columns.length;
    const targets = columns.map((c, i) => ({ name: c.name, expr: { k: 'col' as const, type: c.type, index: i, levelsUp: 0 } }));
    const specs = bindOrderBy(q.orderBy, [], targets, out, bc, new QueryState());
    const keys = specs.map((s) => {
      if (s.target >= 0) return s.key;
      if (s.key.expr.k !== 'col') {
        throw new DbError('feature_not_supported', `invalid UNION/INTERSECT/EXCEPT ORDER BY clause`, {
          position: s.loc + 1, detail: 'Only result column names can be used, not expressions or functions.',
        });
      }
      return s.key;
    });
    plan = { node: 'Sort', input: plan, keys, limit: -1, columns, estRows: plan.estRows };
  }
  plan = addLimit(plan, q, scope, bc, []);
  return { plan, columns };
}

function castOutputs(plan: PlanNode, types: SqlType[], bc: BindContext): PlanNode {
  if (plan.columns.every((c, i) => c.type.oid === types[i]!.oid && c.type.typmod === types[i]!.typmod)) return plan;
  const exprs = plan.columns.map((c, i) => coerce({ k: 'col', type: c.type, index: i, levelsUp: 0 }, types[i]!, 'implicit', bc, 0));
  return { node: 'Project', input: plan, exprs, columns: plan.columns.map((c, i) => ({ name: c.name, type: types[i]! })), estRows: plan.estRows };
}

export function bindValues(q: ValuesStmt, scope: Scope, bc: BindContext, targetTypes?: readonly SqlType[]): BoundQuery {
  const qs = new QueryState();
  qs.noAggClause = 'VALUES';
  const width = q.rows[0]?.length ?? 0;
  const rows = q.rows.map((r, ri) => {
    if (r.length !== width) {
      throw new DbError('syntax_error', 'VALUES lists must all be the same length', { position: (r[0]?.loc ?? q.loc) + 1 });
    }
    return r.map((e) => {
      if (e.kind === 'DefaultExpr') throw new DbError('syntax_error', 'DEFAULT is not allowed in this context', { position: e.loc + 1 });
      void ri;
      return bindExpr(e, scope, bc, qs);
    });
  });
  const types = Array.from({ length: width }, (_, c) =>
    targetTypes?.[c] ?? commonType(rows.map((r) => r[c]!.type), 'VALUES'));
  const bound = rows.map((r) => r.map((e, c) => coerce(e, types[c]!, targetTypes ? 'assignment' : 'implicit', bc, q.rows[0]![c]!.loc)));
  const columns = types.map((t, i) => ({ name: `column${i + 1}`, type: t }));
  const plan: PlanNode = { node: 'Values', rows: bound, columns, estRows: rows.length };
  return finishOutputQuery(plan, columns, q, scope, bc);
}
