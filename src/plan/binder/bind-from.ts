/**
 * FROM items: tables, views, CTE references, derived tables, table functions and explicit joins.
 * Each item becomes a plan whose columns occupy a contiguous range of the query's canonical row
 * (the order items are written in); the join planner may execute them in another order and
 * restores this layout.
 */
import { DbError } from '../../errors/index.ts';
import type { Alias, RangeFunction, RangeVar, TableRef } from '../../sql/ast.ts';
import type { SequenceDef, TableDef, ViewDef } from '../../catalog/objects.ts';
import { canonInt8 } from '../../types/int.ts';
import type { TableFunctionDef } from '../../functions/registry.ts';
import { undefinedRelation } from '../../catalog/catalog.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { OutputColumn, PlanNode } from '../plan-nodes.ts';
import { planReferencesOuter } from '../plan-walk.ts';
import { QueryState, type BindContext } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { coerce, coerceBoolean, resolveUnknown } from './coerce-expr.ts';
import { ambiguousFunction, noSuchFunction, resolveOverload } from './resolve-function.ts';
import { bindQuery } from './bind-select.ts';
import { Scope, useAllColumns, type MergedColumn, type RangeEntry, type ScopeColumn } from './scope.ts';
import { asViewOwner, needRelation } from '../../auth/needs.ts';
import { Priv } from '../../auth/acl.ts';
import { resolveTypeName } from './type-names.ts';
import { planJoin } from './join-planner.ts';
import { comparatorFor } from '../../types/compare.ts';
import { Oid } from '../../types/sql-type.ts';
import { systemRelation, type SystemRelation } from '../../catalog/system/index.ts';

/** A bound FROM item: its plan and where its columns sit in the canonical row. */
export interface FromItem {
  readonly plan: PlanNode;
  readonly offset: number;
  readonly width: number;
  /** True when the plan reads columns of earlier FROM items (LATERAL). */
  readonly lateral: boolean;
  /**
   * An inner join's parts (items with offsets relative to this item, and the ON condition over
   * this item's columns): the join planner flattens them into the enclosing FROM list so that
   * WHERE conditions reach the joined tables and the join order is chosen across them.
   */
  readonly innerParts?: { readonly items: readonly FromItem[]; readonly condition: BoundExpr | null };
}

function aliasColumns(alias: Alias | null, names: readonly string[], loc: number): string[] {
  const cols = alias?.columns;
  if (!cols) return [...names];
  if (cols.length > names.length) {
    throw new DbError('invalid_column_reference',
      `table "${alias!.name}" has ${names.length} columns available but ${cols.length} columns specified`, { position: loc + 1 });
  }
  return names.map((n, i) => cols[i] ?? n);
}

function addEntry(scope: Scope, alias: string, schema: string | null, cols: readonly OutputColumn[], table: TableDef | null, loc: number, positions?: readonly number[], used?: Set<number>): number {
  const offset = scope.width;
  // For a table, positions are attnums: kept on the column for column privileges.
  const columns: ScopeColumn[] = cols.map((c, i) => (positions && table
    ? { name: c.name, type: c.type, index: offset + positions[i]!, attnum: positions[i]! }
    : { name: c.name, type: c.type, index: offset + (positions ? positions[i]! : i) }));
  scope.add((used ? { alias, schema, columns, table, used } : { alias, schema, columns, table }) satisfies RangeEntry, loc);
  return offset;
}

/** Binds one FROM item into `scope` (adding its entries) and returns its plan. */
export function bindFromItem(ref: TableRef, scope: Scope, bc: BindContext): FromItem {
  switch (ref.kind) {
    case 'RangeVar':
      return bindRangeVar(ref, scope, bc);
    case 'RangeSubquery': {
      const lateral = ref.lateral && scope.entries.length > 0;
      const sub = bindQuery(ref.query, new Scope(lateral ? scope : scope.parent), bc);
      if (!ref.alias && ref.query.kind !== 'Values') {
        // PostgreSQL 16 allows unaliased subqueries; accept them with an invisible name.
      }
      const names = aliasColumns(ref.alias, sub.columns.map((c) => c.name), ref.loc);
      const cols = sub.columns.map((c, i) => ({ name: names[i]!, type: c.type }));
      const offset = addEntry(scope, ref.alias?.name ?? '', null, cols, null, ref.loc);
      return { plan: { ...sub.plan, columns: cols }, offset, width: cols.length, lateral: lateral && planReferencesOuter(sub.plan) };
    }
    case 'RangeFunction':
      return bindRangeFunction(ref, scope, bc);
    case 'JoinExpr':
      return bindJoin(ref, scope, bc);
  }
}

function bindRangeVar(ref: RangeVar, scope: Scope, bc: BindContext): FromItem {
  const alias = ref.alias?.name ?? ref.name.name;
  if (ref.name.schema === null) {
    const cte = bc.findCte(ref.name.name);
    if (cte) {
      if (ref.asOf) throw new DbError('feature_not_supported', 'AS OF cannot be applied to a CTE', { position: ref.loc + 1 });
      const names = aliasColumns(ref.alias, cte.columns.map((c) => c.name), ref.loc);
      const cols = cte.columns.map((c, i) => ({ name: names[i]!, type: c.type }));
      const offset = addEntry(scope, alias, null, cols, null, ref.loc);
      const plan: PlanNode = cte.recursive
        ? { node: 'Materialize', id: cte.id, input: { node: 'OneRow', columns: [], estRows: 1 }, columns: cols, estRows: 100 }
        : { node: 'Materialize', id: cte.id, input: cte.plan!, columns: cols, estRows: cte.plan!.estRows };
      return { plan, offset, width: cols.length, lateral: false };
    }
  }
  const rel = bc.catalog.findRelation(ref.name, bc.searchPath);
  if (!rel) {
    const sys = findSystemRelation(ref.name.schema, ref.name.name, bc.searchPath);
    if (sys) return bindSystemRelation(sys, ref, alias, scope, bc);
    throw undefinedRelation(ref.name);
  }
  bc.relationsUsed.add(rel.oid);
  if (rel.kind === 'view') return bindViewRef(rel, ref, alias, scope, bc);
  if (rel.kind === 'sequence') return bindSequenceRef(rel, ref, alias, scope, bc);
  if (rel.kind !== 'table') {
    throw new DbError('wrong_object_type', `"${rel.name}" is not a table or view`, { position: ref.loc + 1 });
  }
  const names = aliasColumns(ref.alias, rel.columns.map((c) => c.name), ref.loc);
  const cols = rel.columns.map((c, i) => ({ name: names[i]!, type: c.type }));
  // Table scans emit stored rows indexed by attnum, so scope positions are offset + attnum.
  const need = needRelation(bc, rel, Priv.select, new Set());
  const offset = addEntry(scope, alias, rel.schema, cols, rel, ref.loc, rel.columns.map((c) => c.attnum), need.cols!);
  const scanCols: OutputColumn[] = new Array(rel.nextAttnum);
  for (let i = 0; i < rel.nextAttnum; i++) scanCols[i] = { name: `?dropped${i}`, type: Types.text };
  for (const c of rel.columns) scanCols[c.attnum] = { name: c.name, type: c.type };
  let asOf: { type: 'timestamp' | 'transaction'; expr: BoundExpr } | null = null;
  if (ref.asOf) {
    const target = ref.asOf.type === 'timestamp' ? Types.timestamptz : Types.int8;
    const e = bindExpr(ref.asOf.expr, null, bc, new QueryState());
    asOf = { type: ref.asOf.type, expr: coerce(e, target, 'assignment', bc, ref.asOf.expr.loc) };
  }
  const plan: PlanNode = {
    node: 'SeqScan', table: rel, alias, filter: null, asOf, lockRows: false, emitRef: false,
    columns: scanCols, estRows: Math.max(1, rel.store.rowEstimate), scanDisabled: bc.types.scanDisabled ?? 0,
  };
  return { plan, offset, width: rel.nextAttnum, lateral: false };
}

/**
 * pg_catalog / information_schema relations are virtual: a FunctionScan whose rows are computed at
 * run time from the catalog version this statement was bound against. Unqualified names reach
 * pg_catalog after the search path (PostgreSQL searches it implicitly); information_schema only
 * when it is on the search path.
 */
function findSystemRelation(schema: string | null, name: string, searchPath: readonly string[]): SystemRelation | undefined {
  if (schema !== null) return systemRelation(schema, name);
  for (const s of searchPath) {
    const r = systemRelation(s, name);
    if (r) return r;
  }
  return systemRelation('pg_catalog', name);
}

function bindSystemRelation(sys: SystemRelation, ref: RangeVar, alias: string, scope: Scope, bc: BindContext): FromItem {
  if (ref.asOf) throw new DbError('feature_not_supported', 'AS OF on a system catalog is not supported', { position: ref.loc + 1 });
  const { catalog, registry } = bc;
  const fn: TableFunctionDef = {
    kind: 'table', name: sys.name, args: [], variadic: false, minArgs: 0, strict: false, volatility: 'stable',
    columns: () => sys.columns,
    rows: (_args, ctx) => sys.rows({ catalog, registry, eval: ctx }),
  };
  const names = aliasColumns(ref.alias, sys.columns.map((c) => c.name), ref.loc);
  const cols = sys.columns.map((c, i) => ({ name: names[i]!, type: c.type }));
  const offset = addEntry(scope, alias, sys.schema, cols, null, ref.loc);
  const plan: PlanNode = { node: 'FunctionScan', fn, args: [], argTypes: [], ordinality: false, columns: cols, estRows: 100 };
  return { plan, offset, width: cols.length, lateral: false };
}

/** A sequence's columns as `SELECT * FROM seq` shows them (PostgreSQL 10+). */
const SEQUENCE_COLUMNS: readonly { name: string; type: SqlType }[] = [
  { name: 'last_value', type: Types.int8 }, { name: 'log_cnt', type: Types.int8 }, { name: 'is_called', type: Types.bool },
];

/**
 * `SELECT ... FROM seq`: one row with the sequence's current state, read when the statement runs
 * (sequence state is not transactional). log_cnt is always 0: values are not pre-logged.
 */
function bindSequenceRef(seq: SequenceDef, ref: RangeVar, alias: string, scope: Scope, bc: BindContext): FromItem {
  if (ref.asOf) throw new DbError('feature_not_supported', 'AS OF on a sequence is not supported', { position: ref.loc + 1 });
  needRelation(bc, seq, Priv.select);
  const fn: TableFunctionDef = {
    kind: 'table', name: seq.name, args: [], variadic: false, minArgs: 0, strict: false, volatility: 'volatile',
    columns: () => SEQUENCE_COLUMNS,
    rows: () => [[canonInt8(seq.state.last), 0, seq.state.isCalled]],
  };
  const names = aliasColumns(ref.alias, SEQUENCE_COLUMNS.map((c) => c.name), ref.loc);
  const cols = SEQUENCE_COLUMNS.map((c, i) => ({ name: names[i]!, type: c.type }));
  const offset = addEntry(scope, alias, seq.schema, cols, null, ref.loc);
  const plan: PlanNode = { node: 'FunctionScan', fn, args: [], argTypes: [], ordinality: false, columns: cols, estRows: 1 };
  return { plan, offset, width: cols.length, lateral: false };
}

function bindViewRef(view: ViewDef, ref: RangeVar, alias: string, scope: Scope, bc: BindContext): FromItem {
  if (ref.asOf) throw new DbError('feature_not_supported', 'AS OF on a view is not supported yet', { position: ref.loc + 1 });
  needRelation(bc, view, Priv.select);
  const sub = asViewOwner(bc, view.owner, () => bindQuery(view.query, new Scope(null), bc));
  const names = aliasColumns(ref.alias, view.columns.map((c) => c.name), ref.loc);
  const cols = sub.columns.map((c, i) => ({ name: names[i] ?? c.name, type: c.type }));
  const offset = addEntry(scope, alias, view.schema, cols, null, ref.loc);
  return { plan: { ...sub.plan, columns: cols }, offset, width: cols.length, lateral: false };
}

function bindRangeFunction(ref: RangeFunction, scope: Scope, bc: BindContext): FromItem {
  if (ref.functions.length !== 1 || ref.functions[0]!.kind !== 'FuncCall') {
    throw new DbError('feature_not_supported', 'ROWS FROM with several functions is not supported yet', { position: ref.loc + 1 });
  }
  const call = ref.functions[0]! as Extract<typeof ref.functions[0], { kind: 'FuncCall' }>;
  const name = call.name.length === 2 && call.name[0] !== 'pg_catalog' ? call.name.join('.') : call.name[call.name.length - 1]!;
  const shortName = call.name[call.name.length - 1]!;
  const lateralScope = new Scope(scope.entries.length > 0 ? scope : scope.parent);
  const args = call.args.map((a) => bindExpr(a.kind === 'NamedArg' ? a.value : a, lateralScope, bc, new QueryState()));
  const defs = bc.registry.lookup(name);
  const tableDefs = defs.filter((d): d is TableFunctionDef => d.kind === 'table');
  let plan: PlanNode;
  let outCols: OutputColumn[];
  if (tableDefs.length > 0) {
    const matches = resolveOverload(tableDefs, args.map((a) => a.type));
    if (matches.length === 0) throw noSuchFunction(name, args.map((a) => a.type), call.loc);
    if (matches.length > 1) throw ambiguousFunction(name, args.map((a) => a.type), call.loc);
    const { def, argTypes } = matches[0]!;
    const coerced = args.map((a, i) => coerce(a, argTypes[i]!, 'implicit', bc, call.loc));
    let cols = def.columns(argTypes).map((c) => ({ name: c.name, type: c.type }));
    // PostgreSQL's chooseScalarFunctionAlias: a single OUT parameter's name (json_array_elements'
    // "value") wins; otherwise the alias, else the function name (registered as the column name).
    if (cols.length === 1 && !ref.columnDefs && cols[0]!.name === def.name) cols = [{ name: ref.alias?.name ?? shortName, type: cols[0]!.type }];
    if (ref.columnDefs) cols = ref.columnDefs.map((d) => ({ name: d.name, type: resolveTypeName(d.type) }));
    if (ref.ordinality) cols.push({ name: 'ordinality', type: Types.int8 });
    outCols = cols;
    plan = { node: 'FunctionScan', fn: def, args: coerced, argTypes, ordinality: ref.ordinality, columns: cols, estRows: 1000 };
  } else {
    // A scalar function in FROM yields one row with one column.
    const e = resolveUnknown(bindExpr(call, lateralScope, bc, new QueryState()), bc, call.loc);
    outCols = [{ name: ref.alias?.name ?? shortName, type: e.type }];
    if (ref.ordinality) outCols.push({ name: 'ordinality', type: Types.int8 });
    const exprs: BoundExpr[] = ref.ordinality ? [e, { k: 'const', type: Types.int8, value: 1 }] : [e];
    plan = { node: 'Project', input: { node: 'OneRow', columns: [], estRows: 1 }, exprs, columns: outCols, estRows: 1 };
  }
  const names = aliasColumns(ref.alias?.columns ? ref.alias : null, outCols.map((c) => c.name), ref.loc);
  const cols = outCols.map((c, i) => ({ name: names[i]!, type: c.type }));
  const offset = addEntry(scope, ref.alias?.name ?? shortName, null, cols, null, ref.loc);
  const lateral = scope.entries.length > 1 && planReferencesOuter(plan);
  return { plan: { ...plan, columns: cols }, offset, width: cols.length, lateral };
}

function bindJoin(ref: Extract<TableRef, { kind: 'JoinExpr' }>, scope: Scope, bc: BindContext): FromItem {
  // Bind both sides into a private scope first so ON/USING see exactly the joined items.
  const joinScope = new Scope(scope.parent);
  joinScope.width = 0;
  const left = bindFromItem(ref.left, joinScope, bc);
  joinScope.width = left.offset + left.width;
  const nLeftMerged = joinScope.merged.length;
  const right = bindFromItem(ref.right, joinScope, bc);
  joinScope.width = right.offset + right.width;
  const kind = ref.joinType === 'cross' ? 'inner' : ref.joinType;
  let usingNames: string[] | null = ref.using ? [...ref.using] : null;
  if (ref.natural) {
    const leftNames = new Set(joinScope.entries.slice(0, entryCount(ref.left, joinScope, true)).flatMap((e) => e.columns.map((c) => c.name)));
    usingNames = [];
    const rightEntries = joinScope.entries.slice(entryCount(ref.left, joinScope, true));
    for (const e of rightEntries) for (const c of e.columns) if (leftNames.has(c.name) && !usingNames.includes(c.name)) usingNames.push(c.name);
  }
  let condition: BoundExpr | null = null;
  const merged: { name: string; expr: BoundExpr; type: SqlType; hides: number[] }[] = [];
  if (usingNames && usingNames.length > 0) {
    const nLeft = entryCount(ref.left, joinScope, true);
    const conds: BoundExpr[] = [];
    // A side that is itself a join with USING exposes its merged column once (j1 JOIN j2 USING
    // (id) JOIN j3 USING (id) is valid): that merged column is the side's column, and the new
    // merged column replaces it.
    const replaced = new Set<MergedColumn>();
    const side = (entries: readonly RangeEntry[], from: number, to: number, name: string, what: string): { expr: BoundExpr; type: SqlType; hides: number[] } => {
      const mi = joinScope.merged.findIndex((m, i) => i >= from && i < to && m.name === name);
      if (mi >= 0) {
        const m = joinScope.merged[mi]!;
        replaced.add(m);
        return { expr: m.expr, type: m.type, hides: [...m.hides] };
      }
      const c = findIn(entries, name, ref.loc, what);
      return { expr: { k: 'col', type: c.type, index: c.index, levelsUp: 0 }, type: c.type, hides: [c.index] };
    };
    for (const name of usingNames) {
      const r = side(joinScope.entries.slice(nLeft), nLeftMerged, joinScope.merged.length, name, 'right');
      const l = side(joinScope.entries.slice(0, nLeft), 0, nLeftMerged, name, 'left');
      const t = l.type.oid === r.type.oid ? l.type : (commonTypeOrThrow(l.type, r.type, ref.loc));
      const le = coerce(l.expr, t, 'implicit', bc, ref.loc);
      const re = coerce(r.expr, t, 'implicit', bc, ref.loc);
      conds.push({ k: 'cmp', type: Types.bool, op: '=', left: le, right: re, cmp: comparatorFor(t) });
      const expr: BoundExpr = kind === 'right' ? re : kind === 'full' ? { k: 'coalesce', type: t, args: [le, re] } : le;
      merged.push({ name, expr, type: t, hides: [...l.hides, ...r.hides] });
    }
    for (let i = joinScope.merged.length - 1; i >= 0; i--) if (replaced.has(joinScope.merged[i]!)) joinScope.merged.splice(i, 1);
    condition = conds.length === 1 ? conds[0]! : { k: 'and', type: Types.bool, args: conds };
  } else if (ref.on) {
    condition = coerceBoolean(bindExpr(ref.on, joinScope, bc, joinQueryState()), bc, ref.on.loc, 'JOIN/ON');
  }
  const width = joinScope.width;
  const plan = planJoin(kind, left, right, condition, width);
  // Expose the joined entries in the enclosing scope, shifted to this item's offset.
  const offset = scope.width;
  const shift = (i: number): number => i + offset;
  if (ref.alias) {
    const cols: OutputColumn[] = [];
    const positions: number[] = [];
    for (const m of merged) { cols.push({ name: m.name, type: m.type }); positions.push(-1); }
    const hidden = new Set(merged.flatMap((m) => m.hides));
    for (const e of joinScope.entries) for (const c of e.columns) if (!hidden.has(c.index)) { cols.push({ name: c.name, type: c.type }); positions.push(c.index); }
    if (merged.length > 0) {
      throw new DbError('feature_not_supported', 'an alias on a join with USING is not supported yet', { position: ref.loc + 1 });
    }
    // References through the join alias are not traced to their tables: count them all as read.
    for (const e of joinScope.entries) useAllColumns(e);
    const names = aliasColumns(ref.alias, cols.map((c) => c.name), ref.loc);
    scope.add({ alias: ref.alias.name, schema: null, columns: cols.map((c, i) => ({ name: names[i]!, type: c.type, index: shift(positions[i]!) })), table: null }, ref.loc);
  } else {
    for (const e of joinScope.entries) {
      scope.add({ ...e, columns: e.columns.map((c) => ({ ...c, index: shift(c.index) })) }, ref.loc);
    }
  }
  for (const m of joinScope.merged) scope.merged.push({ ...m, expr: shiftExpr(m.expr, offset), hides: m.hides.map(shift) });
  for (const m of merged) scope.merged.push({ name: m.name, type: m.type, expr: shiftExpr(m.expr, offset), hides: m.hides.map(shift) });
  if (kind !== 'inner' || right.lateral) return { plan, offset, width, lateral: false };
  return { plan, offset, width, lateral: false, innerParts: { items: [left, right], condition } };
}

function joinQueryState(): QueryState {
  const qs = new QueryState();
  qs.noAggClause = 'JOIN conditions';
  qs.noWindowClause = 'JOIN conditions';
  return qs;
}

function shiftExpr(e: BoundExpr, offset: number): BoundExpr {
  if (e.k === 'col') return { ...e, index: e.index + offset };
  if (e.k === 'cast') return { ...e, arg: shiftExpr(e.arg, offset) };
  if (e.k === 'coalesce') return { ...e, args: e.args.map((a) => shiftExpr(a, offset)) };
  return e;
}

/** How many scope entries a (possibly nested) FROM item contributed. */
function entryCount(ref: TableRef, scope: Scope, first: boolean): number {
  void scope; void first;
  const count = (r: TableRef): number => r.kind === 'JoinExpr' ? (r.alias ? 1 : count(r.left) + count(r.right)) : 1;
  return count(ref);
}

function findIn(entries: readonly RangeEntry[], name: string, loc: number, side: string): ScopeColumn {
  let hit: ScopeColumn | null = null;
  for (const e of entries) for (const c of e.columns) {
    if (c.name !== name) continue;
    if (hit) throw new DbError('ambiguous_column', `common column name "${name}" appears more than once in ${side} table`, { position: loc + 1 });
    hit = c;
    if (c.attnum !== undefined) e.used?.add(c.attnum);
  }
  if (!hit) throw new DbError('undefined_column', `column "${name}" specified in USING clause does not exist in ${side} table`, { position: loc + 1 });
  return hit;
}

function commonTypeOrThrow(a: SqlType, b: SqlType, loc: number): SqlType {
  if (a.oid === Oid.unknown) return b;
  // Re-use the comparison unifier's rules through commonType.
  const t = commonTypeNullable(a, b);
  if (t === null) throw new DbError('datatype_mismatch', 'JOIN/USING types cannot be matched', { position: loc + 1 });
  return t;
}

import { commonType } from '../../types/coerce.ts';
function commonTypeNullable(a: SqlType, b: SqlType): SqlType | null {
  return commonType([a, b], null);
}
