/**
 * Automatically updatable views (PostgreSQL's rewriteTargetView): INSERT / UPDATE / DELETE on a
 * view whose query is `SELECT cols FROM one_table_or_view [WHERE cond]` are applied to the base
 * table. A chain of such views is resolved down to its base table.
 *
 * Row layout ("extended row") shared by every statement on a view target:
 *   [0 .. base.nextAttnum)  the base table's stored row (attnum positions)
 *   [base.nextAttnum]       the RowRef of the scanned version (null for INSERT)
 *   then, per view level from the innermost to the outermost, that view's columns.
 * Each level's WHERE and select list are bound against the previous level's columns at their
 * positions in this row, so every expression of the chain evaluates on one growing array.
 *
 * Invariants: a view column is updatable when it is a plain reference to an updatable column of
 * the level below (base columns are updatable); WITH CHECK OPTION conditions are checked on the
 * new row innermost first, as PostgreSQL orders its WithCheckOptions, and a NULL result fails.
 */
import { Priv } from '../../auth/acl.ts';
import { DbError } from '../../errors/index.ts';
import type { Expr, SelectQuery } from '../../sql/ast.ts';
import type { TableDef, ViewDef } from '../../catalog/objects.ts';
import { undefinedRelation } from '../../catalog/catalog.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import type { OutputColumn, PlanNode } from '../../plan/plan-nodes.ts';
import { QueryState, type BindContext } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { resolveUnknown } from '../../plan/binder/coerce-expr.ts';
import { bindWhere } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import type { Row } from '../../storage/version.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { describeRow } from './row-writer.ts';

export type ViewOp = 'insert' | 'update' | 'delete';

export interface ViewColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Base-table attnum when the column is updatable, else null. */
  readonly attnum: number | null;
}

interface Level {
  readonly view: ViewDef;
  readonly where: BoundExpr | null;
  readonly exprs: readonly BoundExpr[];
  readonly offset: number;
}

export interface ViewTarget {
  readonly view: ViewDef;
  readonly base: TableDef;
  /** The (outermost) view's columns, in order. */
  readonly columns: readonly ViewColumn[];
  /** Position of the view's first column in the extended row. */
  readonly outOffset: number;
  /** Width of the extended row. */
  readonly width: number;
  /** Extends a base row (and its RowRef) with every level's columns. */
  extend(baseRow: Row, ref: unknown, ctx: ExecContext): Row;
  /** Throws 44000 when a WITH CHECK OPTION condition rejects the extended row. */
  check(ext: Row, ctx: ExecContext): void;
  /** Scan of the base table (with RowRef) filtered by every level's WHERE, extended. */
  plan(): PlanNode;
  /** Scope exposing the view's columns (over the extended row) under `alias`. */
  scope(alias: string, loc: number): Scope;
}

const HINT: Record<ViewOp, string> = {
  insert: 'To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule.',
  update: 'To enable updating the view, provide an INSTEAD OF UPDATE trigger or an unconditional ON UPDATE DO INSTEAD rule.',
  delete: 'To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an unconditional ON DELETE DO INSTEAD rule.',
};
const OP_PRIV: Record<ViewOp, number> = { insert: Priv.insert, update: Priv.update, delete: Priv.delete };
const VERB: Record<ViewOp, string> = { insert: 'insert into', update: 'update', delete: 'delete from' };

/** PostgreSQL's error for a column of the view that is not a base column. */
export function nonUpdatableColumn(op: 'insert' | 'update', col: string, view: ViewDef, loc: number): DbError {
  return new DbError('feature_not_supported', `cannot ${VERB[op]} column "${col}" of view "${view.name}"`,
    { detail: 'View columns that are not columns of their base relation are not updatable.', position: loc + 1 });
}

/** Resolves a view named as the target of `op` down to its base table. */
export function resolveViewTarget(view: ViewDef, op: ViewOp, bc: BindContext): ViewTarget {
  const levels: Level[] = [];
  const r = resolveLevel(view, op, bc, levels, 0);
  const base = r.base;
  const compiled = levels.map((l) => ({
    level: l, where: l.where ? compileExpr(l.where) : null, exprs: l.exprs.map((e) => compileExpr(e)),
  }));
  // WITH CHECK OPTION: CASCADED on a view checks every level below it too; LOCAL only itself.
  const checked: typeof compiled = [];
  let cascade = false;
  for (let i = compiled.length - 1; i >= 0; i--) {
    const c = compiled[i]!;
    if ((cascade || c.level.view.checkOption !== 'none') && c.where !== null) checked.unshift(c);
    if (c.level.view.checkOption === 'cascaded') cascade = true;
  }
  const width = r.nextOffset;
  const outOffset = levels[levels.length - 1]!.offset;
  return {
    view, base, columns: r.columns, outOffset, width,
    extend(baseRow, ref, ctx) {
      const row: Row = new Array(base.nextAttnum + 1);
      for (let i = 0; i < base.nextAttnum; i++) row[i] = baseRow[i] ?? null;
      row[base.nextAttnum] = ref;
      for (const c of compiled) for (const e of c.exprs) row.push(e(row, ctx));
      return row;
    },
    check(ext, ctx) {
      for (const c of checked) {
        if ((c.where as Evaluator)(ext, ctx) !== true) {
          throw new DbError('with_check_option_violation', `new row violates check option for view "${c.level.view.name}"`,
            { detail: `Failing row contains ${describeRow(base, ext, ctx)}.` });
        }
      }
    },
    plan() {
      const scanCols: OutputColumn[] = Array.from({ length: base.nextAttnum + 1 }, (_, i) => {
        const c = base.columns.find((x) => x.attnum === i);
        return { name: c?.name ?? (i === base.nextAttnum ? 'ctid' : `?dropped${i}`), type: c?.type ?? Types.int8 };
      });
      let plan: PlanNode = {
        node: 'SeqScan', table: base, alias: base.name, filter: null, asOf: null, lockRows: false, emitRef: true,
        columns: scanCols, estRows: Math.max(1, base.store.rowEstimate),
      };
      for (const l of levels) {
        if (l.where) plan = { node: 'Filter', input: plan, predicate: l.where, columns: plan.columns, estRows: plan.estRows };
        const keep: BoundExpr[] = plan.columns.map((c, i) => ({ k: 'col', type: c.type, index: i, levelsUp: 0 }));
        const cols: OutputColumn[] = [...plan.columns, ...l.exprs.map((e, i) => ({ name: l.view.columns[i]?.name ?? `?column${i}`, type: e.type }))];
        plan = { node: 'Project', input: plan, exprs: [...keep, ...l.exprs], columns: cols, estRows: plan.estRows };
      }
      return plan;
    },
    scope(alias, loc) {
      const s = new Scope(null);
      s.add({ alias, schema: view.schema, table: null, columns: r.columns.map((c, i) => ({ name: c.name, type: c.type, index: outOffset + i })) }, loc);
      s.width = width;
      return s;
    },
  };
}

interface LevelResult {
  readonly base: TableDef;
  readonly columns: ViewColumn[];
  /** Extended-row positions of `columns`. */
  readonly positions: number[];
  readonly nextOffset: number;
}

function resolveLevel(view: ViewDef, op: ViewOp, bc: BindContext, levels: Level[], depth: number): LevelResult {
  if (depth > 32) throw new DbError('statement_too_complex', 'views are nested too deeply');
  const fail = (detail: string): DbError => new DbError('object_not_in_prerequisite_state',
    `cannot ${VERB[op]} view "${view.name}"`, { detail, hint: HINT[op] });
  const q = view.query;
  const reason = notUpdatableReason(q, bc);
  if (reason) throw fail(reason);
  const stmt = q as Extract<SelectQuery, { kind: 'Select' }>;
  const from = stmt.from[0]!;
  if (from.kind !== 'RangeVar') throw fail(SINGLE);
  const rel = bc.catalog.findRelation(from.name, bc.searchPath);
  if (!rel) throw undefinedRelation(from.name);
  bc.relationsUsed.add(rel.oid);
  // The relation under a view is written with the view owner's privileges.
  // UPDATE fills in the base columns it assigns (update-delete.ts), for column privileges.
  bc.privilegeNeeds.push({ rel, priv: OP_PRIV[op], as: view.owner, cols: op === 'update' && rel.kind === 'table' ? new Set() : null, emptyOk: false });
  let below: LevelResult;
  if (rel.kind === 'table') {
    below = {
      base: rel, nextOffset: rel.nextAttnum + 1,
      columns: rel.columns.map((c) => ({ name: c.name, type: c.type, attnum: c.attnum })),
      positions: rel.columns.map((c) => c.attnum),
    };
  } else if (rel.kind === 'view') {
    below = resolveLevel(rel, op, bc, levels, depth + 1);
  } else {
    throw fail(SINGLE);
  }
  const aliasCols = from.alias?.columns ?? [];
  const scope = new Scope(null);
  scope.add({
    alias: from.alias?.name ?? from.name.name, schema: rel.kind === 'table' ? rel.schema : rel.schema,
    table: rel.kind === 'table' ? rel : null,
    columns: below.columns.map((c, i) => ({ name: aliasCols[i] ?? c.name, type: c.type, index: below.positions[i]! })),
  }, from.loc);
  scope.width = below.nextOffset;
  const qs = new QueryState();
  const where = bindWhere(stmt.where, scope, bc, qs);
  const exprs: BoundExpr[] = [];
  for (const t of stmt.targets) {
    if (t.expr.kind === 'ColumnRef' && t.expr.star) {
      const entry = scope.entries[0]!;
      for (const c of entry.columns) exprs.push({ k: 'col', type: c.type, index: c.index, levelsUp: 0 });
      continue;
    }
    exprs.push(resolveUnknown(bindExpr(t.expr, scope, bc, qs), bc, t.loc));
  }
  const offset = below.nextOffset;
  const n = Math.min(exprs.length, view.columns.length);
  const columns: ViewColumn[] = [];
  for (let i = 0; i < n; i++) {
    const e = exprs[i]!;
    let attnum: number | null = null;
    if (e.k === 'col' && e.levelsUp === 0) {
      const j = below.positions.indexOf(e.index);
      attnum = j >= 0 ? below.columns[j]!.attnum : null;
    }
    columns.push({ name: view.columns[i]!.name, type: e.type, attnum });
  }
  if (op !== 'delete' && columns.every((c) => c.attnum === null)) {
    throw fail('Views that have no updatable columns are not automatically updatable.');
  }
  levels.push({ view, where, exprs: exprs.slice(0, n), offset });
  return { base: below.base, columns, positions: columns.map((_, i) => offset + i), nextOffset: offset + n };
}

const SINGLE = 'Views that do not select from a single table or view are not automatically updatable.';

/** view_query_is_auto_updatable's checks, in PostgreSQL's order; null when updatable. */
function notUpdatableReason(q: SelectQuery, bc: BindContext): string | null {
  if (q.kind === 'SetOperation') return 'Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.';
  if (q.kind === 'Values') return SINGLE;
  if (q.distinct || q.distinctOn) return 'Views containing DISTINCT are not automatically updatable.';
  if (q.groupBy.length > 0) return 'Views containing GROUP BY are not automatically updatable.';
  if (q.having) return 'Views containing HAVING are not automatically updatable.';
  if (q.with) return 'Views containing WITH are not automatically updatable.';
  if (q.limit || q.offset) return 'Views containing LIMIT or OFFSET are not automatically updatable.';
  const calls = { agg: false, window: false };
  for (const t of q.targets) scanCalls(t.expr, bc, calls);
  if (calls.agg) return 'Views that return aggregate functions are not automatically updatable.';
  if (calls.window) return 'Views that return window functions are not automatically updatable.';
  if (q.from.length !== 1) return SINGLE;
  return null;
}

const SUBQUERY_KINDS = new Set(['ScalarSubquery', 'Exists', 'ArraySubquery', 'InSubquery', 'QuantifiedSubquery']);

/** Finds aggregate and window calls in a select-list expression (not inside subqueries). */
function scanCalls(node: unknown, bc: BindContext, out: { agg: boolean; window: boolean }): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) { for (const x of node) scanCalls(x, bc, out); return; }
  const n = node as { kind?: string } & Record<string, unknown>;
  if (n.kind === 'FuncCall') {
    const f = n as unknown as Extract<Expr, { kind: 'FuncCall' }>;
    if (f.over) out.window = true;
    else if (bc.registry.lookup(f.name[f.name.length - 1]!).some((d) => d.kind === 'aggregate')) out.agg = true;
  }
  for (const [k, v] of Object.entries(n)) {
    if (k === 'query' && n.kind !== undefined && SUBQUERY_KINDS.has(n.kind)) continue;
    scanCalls(v, bc, out);
  }
}
