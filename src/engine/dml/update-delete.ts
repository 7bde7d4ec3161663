/**
 * UPDATE ... [FROM] and DELETE ... [USING]. The target table is scanned with a hidden row
 * reference so each qualifying row can be changed; all qualifying rows are collected before any
 * is changed (no Halloween problem), and a row reached twice through a join is changed once.
 * The target may be an automatically updatable view (view-target.ts): its rows are then
 * "extended rows" (base row, RowRef, view columns) and the view's columns are what SET, WHERE
 * and RETURNING see.
 */
import { bindInsteadOfDelete, bindInsteadOfUpdate, hasInsteadOf } from './instead-of.ts';
import type { ViewDef } from '../../catalog/objects.ts';
import { DbError } from '../../errors/index.ts';
import type { DeleteStmt, TableRef, UpdateStmt, WhereClauseHost } from './update-delete-types.ts';
import type { Expr, SetTarget } from '../../sql/ast.ts';
import type { ColumnDef, TableDef } from '../../catalog/objects.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import { planReferencesOuter } from '../../plan/plan-walk.ts';
import { bindQuery, bindWhere } from '../../plan/binder/bind-select.ts';
import type { BindContext } from '../../plan/binder/bind-context.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import { executeAll } from '../../exec/executor.ts';
import { RowRef } from '../../exec/row-ref.ts';
import { QueryState } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { coerce } from '../../plan/binder/coerce-expr.ts';
import { bindFromItem, type FromItem } from '../../plan/binder/bind-from.ts';
import { planFromList } from '../../plan/binder/join-planner.ts';
import { Scope } from '../../plan/binder/scope.ts';
import type { PlanNode } from '../../plan/plan-nodes.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import { Types, formatType, type SqlType } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';
import { needRelation } from '../../auth/needs.ts';
import { Priv } from '../../auth/acl.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { bindReturning, resolveTargets } from './returning.ts';
import { resultOf, type BoundStatement, type StatementEnv, type StatementResult } from './statement-env.ts';
import { nonUpdatableColumn, resolveViewTarget, type ViewTarget } from './view-target.ts';

interface TargetPlan {
  readonly table: TableDef;
  readonly scope: Scope;
  readonly plan: PlanNode;
  /** Set when the target is an automatically updatable view (rows are extended rows). */
  readonly view: ViewTarget | null;
  /** Width of the target item's part of the row (the extra FROM items follow it). */
  readonly width: number;
}

function bindTarget(host: WhereClauseHost, extra: readonly TableRef[], op: 'update' | 'delete', env: StatementEnv): TargetPlan {
  const { bc } = env;
  const rel = env.catalog.findRelation(host.table, bc.searchPath);
  const scope = new Scope(null);
  let target: FromItem;
  let table: TableDef;
  let view: ViewTarget | null = null;
  if (rel?.kind === 'view') {
    bc.relationsUsed.add(rel.oid);
    view = resolveViewTarget(rel, op, bc);
    table = view.base;
    if (op === 'delete') needRelation(bc, rel, Priv.delete);
    // Column reads through a view are not traced: any WHERE / RETURNING needs SELECT on it.
    if (host.where !== null || ((host as { returning?: readonly unknown[] }).returning?.length ?? 0) > 0) needRelation(bc, rel, Priv.select);
    scope.add({
      alias: host.alias ?? rel.name, schema: rel.schema, table: null,
      columns: view.columns.map((c, i) => ({ name: c.name, type: c.type, index: view!.outOffset + i })),
    }, host.loc);
    target = { plan: view.plan(), offset: 0, width: view.width, lateral: false };
  } else {
    table = env.catalog.requireTable(host.table, bc.searchPath);
    const alias = host.alias ?? table.name;
    if (op === 'delete') needRelation(bc, table, Priv.delete);
    // The target's columns read by WHERE / SET expressions / RETURNING need SELECT (none: no need).
    const read = needRelation(bc, table, Priv.select, new Set(), true);
    scope.add({
      alias, schema: table.schema, table, used: read.cols!,
      columns: table.columns.map((c) => ({ name: c.name, type: c.type, index: c.attnum, attnum: c.attnum })),
    }, host.loc);
    const width = table.nextAttnum + 1;
    const scanCols = Array.from({ length: width }, (_, i) => {
      const c = table.columns.find((x) => x.attnum === i);
      return { name: c?.name ?? (i === table.nextAttnum ? 'ctid' : `?dropped${i}`), type: c?.type ?? Types.int8 };
    });
    target = {
      plan: { node: 'SeqScan', table, alias, filter: null, asOf: null, lockRows: false, emitRef: true, columns: scanCols, estRows: Math.max(1, table.store.rowEstimate), scanDisabled: bc.types.scanDisabled ?? 0 },
      offset: 0, width, lateral: false,
    };
  }
  bc.relationsUsed.add(table.oid);
  scope.width = target.width;
  const items: FromItem[] = [target];
  for (const ref of extra) {
    const item = bindFromItem(ref, scope, bc);
    scope.width = item.offset + item.width;
    items.push(item);
  }
  if (host.currentOf) throw new DbError('feature_not_supported', 'WHERE CURRENT OF is not supported yet', { position: host.loc + 1 });
  const where = bindWhere(host.where, scope, bc);
  return { table, scope, plan: planFromList(items, where, scope.width), view, width: target.width };
}

export function runUpdate(stmt: UpdateStmt, env: StatementEnv): StatementResult {
  return bindUpdate(stmt, env).run();
}

export function runDelete(stmt: DeleteStmt, env: StatementEnv): StatementResult {
  return bindDelete(stmt, env).run();
}

/** Binds an UPDATE (its WITH clause is handled by the caller); env.ctx is untouched until run(). */
export function bindUpdate(stmt: UpdateStmt, env: StatementEnv): BoundStatement {
  // env.ctx / env.writer are touched only after binding: the first access converts the
  // parameters, whose types binding infers from the columns they are assigned or compared to.
  const bc = env.bc;
  const insteadOf = insteadOfView(stmt.table, 'update', env);
  if (insteadOf !== null) return bindInsteadOfUpdate(stmt, insteadOf, env);
  const t = bindTarget(stmt, stmt.from, 'update', env);
  const table = t.table;
  const sets = bindAssignments(stmt, t, env);
  needRelation(bc, t.view ? t.view.view : table, Priv.update, t.view ? null : new Set(sets.map((x) => x.attnum)));
  if (t.view) {
    const base = bc.privilegeNeeds.find((n) => n.rel === table && n.priv === Priv.update && n.as !== null);
    for (const x of sets) base?.cols?.add(x.attnum);
  }
  const returning = bindReturning(stmt.returning, t.scope, bc);
  const assigned = sets.map((x) => x.attnum);
  return {
    columns: returning?.columns ?? null,
    explain: { op: 'Update', table, alias: stmt.alias, input: t.plan, listed: false, details: [] },
    run: () => {
      const { ctx, writer } = env;
      const refAt = table.nextAttnum;
      writer.beginStatement(table, 'update');
      const rows = executeAll(t.plan, ctx);
      const out: Row[] = [];
      let count = 0;
      for (const row of rows) {
        const ref = row[refAt] as RowRef;
        const old = ref.version.values.length < refAt ? widenRow(ref.version.values, table) : ref.version.values;
        const next = old.slice(0, refAt);
        for (const s of sets) next[s.attnum] = s.eval === null ? null : s.eval(row, ctx);
        if (writer.update(table, ref.slot, ref.version, next, assigned) === null) continue;
        count++;
        let combined: Row | null = null;
        if (t.view) {
          combined = t.view.extend(next, ref, ctx);
          t.view.check(combined, ctx);
        }
        if (returning) {
          combined = combined === null ? next.concat([ref]) : combined;
          out.push(returning.evals.map((e) => e(combined!.concat(row.slice(t.width)), ctx)));
        }
      }
      writer.endStatement(table, 'update');
      return resultOf('UPDATE', count, returning?.columns ?? null, returning ? out : null, `UPDATE ${count}`);
    },
  };
}

interface Assignment {
  readonly attnum: number;
  readonly eval: Evaluator | null;
}

/**
 * SET clauses: `col = expr`, `(a, b) = (expr, DEFAULT)`, `(a, b) = ROW(...)` and
 * `(a, b) = (SELECT ...)` (one row; none gives NULLs). Assigning a column twice is PostgreSQL's
 * rewriter error 42601 "multiple assignments to same column".
 */
function bindAssignments(stmt: UpdateStmt, t: TargetPlan, env: StatementEnv): Assignment[] {
  const { bc } = env;
  const table = t.table;
  const qs = new QueryState();
  qs.noAggClause = 'UPDATE';
  qs.noWindowClause = 'UPDATE';
  const sets: Assignment[] = [];
  const resolved = stmt.set.map((clause) => ({ clause, cols: updateTargets(clause.targets, t) }));
  const assigned = new Set<number>();
  for (const { cols } of resolved) {
    for (const c of cols) {
      if (assigned.has(c.attnum)) throw new DbError('syntax_error', `multiple assignments to same column "${c.name}"`);
      assigned.add(c.attnum);
    }
  }
  for (const { clause, cols } of resolved) {
    let values: (BoundExpr | Direct | null)[];
    if (clause.value.kind === 'DefaultExpr') {
      values = cols.map(() => null);
    } else if (clause.multi && clause.value.kind === 'ScalarSubquery') {
      values = bindMultiSubquery(clause.value, cols.length, t.scope, bc);
    } else if (clause.multi) {
      if (clause.value.kind !== 'RowExpr') {
        throw new DbError('syntax_error', 'source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression', { position: clause.value.loc + 1 });
      }
      if (clause.value.fields.length !== cols.length) {
        throw new DbError('syntax_error', `number of columns does not match number of values`, { position: clause.value.loc + 1 });
      }
      values = clause.value.fields.map((f) => (f.kind === 'DefaultExpr' ? null : bindExpr(f, t.scope, bc, qs)));
    } else {
      values = [bindExpr(clause.value, t.scope, bc, qs)];
    }
    cols.forEach((col, i) => {
      const v = values[i] ?? null;
      if ((col.generated || col.identity === 'always') && v !== null) {
        throw new DbError('generated_always', `column "${col.name}" can only be updated to DEFAULT`,
          { detail: col.generated ? `Column "${col.name}" is a generated column.` : `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`, position: clause.loc + 1 });
      }
      const attnum = col.attnum;
      const describe = (): string => `column "${col.name}" is of type ${formatType({ ...col.type, typmod: -1 })} but expression is of type ${formatType({ ...v!.type, typmod: -1 })}`;
      let evaluator: Evaluator | null;
      if (v === null) {
        evaluator = (row, ctx) => env.writer.runtime(table).defaults[attnum]?.(row, ctx) ?? null;
      } else if ('get' in v) {
        const cast = compileExpr(coerce({ k: 'col', type: v.type, index: 0, levelsUp: 0 }, col.type, 'assignment', bc, clause.value.loc, describe));
        const get = v.get;
        evaluator = (row, ctx) => cast([get(row, ctx)], ctx);
      } else {
        evaluator = compileExpr(coerce(v, col.type, 'assignment', bc, clause.value.loc, describe));
      }
      sets.push({ attnum, eval: evaluator });
    });
  }
  return sets;
}

/** SET targets as base-table columns (through the view's updatable columns for a view). */
function updateTargets(targets: readonly SetTarget[], t: TargetPlan): ColumnDef[] {
  if (!t.view) {
    return targets.map((x) => {
      if (x.indirection.length > 0) return resolveTargets(t.table, [x])[0]!;
      const col = t.table.columns.find((c) => c.name === x.name);
      if (!col) throw new DbError('undefined_column', `column "${x.name}" of relation "${t.table.name}" does not exist`, { position: x.loc + 1 });
      return col;
    });
  }
  const view = t.view;
  return targets.map((x) => {
    if (x.indirection.length > 0) {
      throw new DbError('feature_not_supported', 'assignment to array elements or fields is not supported yet', { position: x.loc + 1 });
    }
    const c = view.columns.find((vc) => vc.name === x.name);
    if (!c) throw new DbError('undefined_column', `column "${x.name}" of relation "${view.view.name}" does not exist`, { position: x.loc + 1 });
    if (c.attnum === null) throw nonUpdatableColumn('update', c.name, view.view, x.loc);
    return view.base.columns.find((bc) => bc.attnum === c.attnum)!;
  });
}

/**
 * `(a, b) = (SELECT x, y ...)`: the sub-select runs once per target row (re-using the result for
 * the clause's other columns) and yields its single row's columns.
 */
/** A value read directly at run time (a column of a multi-column sub-select). */
interface Direct {
  readonly type: SqlType;
  readonly get: Evaluator;
}

function bindMultiSubquery(ast: Extract<Expr, { kind: 'ScalarSubquery' }>, n: number, scope: Scope, bc: BindContext): Direct[] {
  const sub = bindQuery(ast.query, new Scope(scope), bc);
  if (sub.columns.length !== n) {
    throw new DbError('syntax_error', 'number of columns does not match number of values', { position: ast.loc + 1 });
  }
  const packed: PlanNode = {
    node: 'Project', input: sub.plan, estRows: sub.plan.estRows, columns: [{ name: 'row', type: Types.record }],
    exprs: [{ k: 'row', type: Types.record, args: sub.columns.map((c, i) => ({ k: 'col' as const, type: c.type, index: i, levelsUp: 0 })) }],
  };
  const evalRow = compileExpr({
    k: 'subquery', type: Types.record, mode: 'scalar', plan: packed, correlated: planReferencesOuter(sub.plan),
    left: null, op: null, cmps: null, negated: false,
  });
  // The clause's columns are evaluated one after another for the same target row: run once.
  let lastRow: Row | null = null;
  let lastValue: readonly unknown[] | null = null;
  const fields = (row: Row, ctx: ExecContext): readonly unknown[] | null => {
    if (row !== lastRow) {
      lastRow = row;
      lastValue = evalRow(row, ctx) as unknown[] | null;
    }
    return lastValue;
  };
  return sub.columns.map((c, i) => ({ type: c.type, get: (row: Row, ctx: ExecContext) => fields(row, ctx)?.[i] ?? null }));
}

/** The target view when it has an INSTEAD OF trigger for `op` (src/engine/dml/instead-of.ts). */
function insteadOfView(name: UpdateStmt['table'], op: 'update' | 'delete', env: StatementEnv): ViewDef | null {
  if (env.catalog.triggers.size === 0) return null;
  const rel = env.catalog.findRelation(name, env.bc.searchPath);
  if (rel?.kind !== 'view' || !hasInsteadOf(env.catalog, rel, op)) return null;
  env.bc.relationsUsed.add(rel.oid);
  return rel;
}

/** Binds a DELETE (its WITH clause is handled by the caller). */
export function bindDelete(stmt: DeleteStmt, env: StatementEnv): BoundStatement {
  const bc = env.bc;
  const insteadOf = insteadOfView(stmt.table, 'delete', env);
  if (insteadOf !== null) return bindInsteadOfDelete(stmt, insteadOf, env);
  const t = bindTarget(stmt, stmt.using, 'delete', env);
  const returning = bindReturning(stmt.returning, t.scope, bc);
  return {
    columns: returning?.columns ?? null,
    explain: { op: 'Delete', table: t.table, alias: stmt.alias, input: t.plan, listed: false, details: [] },
    run: () => {
      const { ctx, writer } = env;
      const refAt = t.table.nextAttnum;
      writer.beginStatement(t.table, 'delete');
      const rows = executeAll(t.plan, ctx);
      const out: Row[] = [];
      let count = 0;
      for (const row of rows) {
        const ref = row[refAt] as RowRef;
        if (!writer.delete(t.table, ref.slot, ref.version)) continue;
        count++;
        if (returning) out.push(returning.evals.map((e) => e(row, ctx)));
      }
      writer.endStatement(t.table, 'delete');
      return resultOf('DELETE', count, returning?.columns ?? null, returning ? out : null, `DELETE ${count}`);
    },
  };
}
