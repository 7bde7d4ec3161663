/**
 * UPDATE ... [FROM] and DELETE ... [USING]. The target table is scanned with a hidden row
 * reference so each qualifying row can be changed; all qualifying rows are collected before any
 * is changed (no Halloween problem), and a row reached twice through a join is changed once.
 */
import { DbError } from '../../errors/index.ts';
import type { DeleteStmt, TableRef, UpdateStmt, WhereClauseHost } from './update-delete-types.ts';
import type { TableDef } from '../../catalog/objects.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import { executeAll } from '../../exec/executor.ts';
import { RowRef } from '../../exec/row-ref.ts';
import { QueryState } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { coerce, coerceBoolean } from '../../plan/binder/coerce-expr.ts';
import { bindFromItem, type FromItem } from '../../plan/binder/bind-from.ts';
import { planFromList } from '../../plan/binder/join-planner.ts';
import { Scope } from '../../plan/binder/scope.ts';
import type { PlanNode } from '../../plan/plan-nodes.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import { Types, formatType } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { bindReturning, resolveTargets } from './returning.ts';
import { resultOf, type StatementEnv, type StatementResult } from './statement-env.ts';

interface TargetPlan {
  readonly table: TableDef;
  readonly scope: Scope;
  readonly plan: PlanNode;
}

function bindTarget(host: WhereClauseHost, extra: readonly TableRef[], env: StatementEnv): TargetPlan {
  const { bc } = env;
  const table = env.catalog.requireTable(host.table, bc.searchPath);
  bc.relationsUsed.add(table.oid);
  const scope = new Scope(null);
  const alias = host.alias ?? table.name;
  scope.add({
    alias, schema: table.schema, table,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, index: c.attnum })),
  }, host.loc);
  const width = table.nextAttnum + 1;
  scope.width = width;
  const scanCols = Array.from({ length: width }, (_, i) => {
    const c = table.columns.find((x) => x.attnum === i);
    return { name: c?.name ?? (i === table.nextAttnum ? 'ctid' : `?dropped${i}`), type: c?.type ?? Types.int8 };
  });
  const target: FromItem = {
    plan: { node: 'SeqScan', table, alias, filter: null, asOf: null, lockRows: false, emitRef: true, columns: scanCols, estRows: Math.max(1, table.store.rowEstimate) },
    offset: 0, width, lateral: false,
  };
  const items: FromItem[] = [target];
  for (const ref of extra) {
    const item = bindFromItem(ref, scope, bc);
    scope.width = item.offset + item.width;
    items.push(item);
  }
  let where: BoundExpr | null = null;
  if (host.currentOf) throw new DbError('feature_not_supported', 'WHERE CURRENT OF is not supported yet', { position: host.loc + 1 });
  if (host.where) {
    const qs = new QueryState();
    qs.noAggClause = 'WHERE';
    qs.noWindowClause = 'WHERE';
    where = coerceBoolean(bindExpr(host.where, scope, bc, qs), bc, host.where.loc, 'WHERE');
  }
  return { table, scope, plan: planFromList(items, where, scope.width) };
}

export function runUpdate(stmt: UpdateStmt, env: StatementEnv): StatementResult {
  if (stmt.with) throw new DbError('feature_not_supported', 'WITH on UPDATE is not supported yet', { position: stmt.loc + 1 });
  // env.ctx / env.writer are touched only after binding: the first access converts the
  // parameters, whose types binding infers from the columns they are assigned or compared to.
  const bc = env.bc;
  const t = bindTarget(stmt, stmt.from, env);
  const table = t.table;
  const qs = new QueryState();
  qs.noAggClause = 'UPDATE';
  qs.noWindowClause = 'UPDATE';
  const sets: { attnum: number; eval: Evaluator | null }[] = [];
  for (const clause of stmt.set) {
    const cols = resolveTargets(table, clause.targets);
    let values: (BoundExpr | null)[];
    if (clause.value.kind === 'DefaultExpr') {
      values = cols.map(() => null);
    } else if (clause.multi) {
      if (clause.value.kind !== 'RowExpr') {
        throw new DbError('feature_not_supported', 'multi-column assignment from a subquery is not supported yet', { position: clause.loc + 1 });
      }
      if (clause.value.fields.length !== cols.length) {
        throw new DbError('syntax_error', `number of columns does not match number of values`, { position: clause.loc + 1 });
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
      sets.push({
        attnum,
        eval: v === null
          ? (row, ctx) => env.writer.runtime(table).defaults[attnum]?.(row, ctx) ?? null
          : compileExpr(coerce(v, col.type, 'assignment', bc, clause.value.loc,
            () => `column "${col.name}" is of type ${formatType({ ...col.type, typmod: -1 })} but expression is of type ${formatType({ ...v.type, typmod: -1 })}`)),
      });
    });
  }
  const returning = bindReturning(stmt.returning, t.scope, bc);
  const { ctx, writer } = env;
  const refAt = table.nextAttnum;
  const rows = executeAll(t.plan, ctx);
  const out: Row[] = [];
  let count = 0;
  for (const row of rows) {
    const ref = row[refAt] as RowRef;
    const old = ref.version.values.length < refAt ? widenRow(ref.version.values, table) : ref.version.values;
    const next = old.slice(0, refAt);
    for (const s of sets) next[s.attnum] = s.eval === null ? null : s.eval(row, ctx);
    if (writer.update(table, ref.slot, ref.version, next) === null) continue;
    count++;
    if (returning) {
      const combined = next.concat([ref], row.slice(refAt + 1));
      out.push(returning.evals.map((e) => e(combined, ctx)));
    }
  }
  return resultOf('UPDATE', count, returning?.columns ?? null, returning ? out : null, `UPDATE ${count}`);
}

export function runDelete(stmt: DeleteStmt, env: StatementEnv): StatementResult {
  if (stmt.with) throw new DbError('feature_not_supported', 'WITH on DELETE is not supported yet', { position: stmt.loc + 1 });
  const bc = env.bc;
  const t = bindTarget(stmt, stmt.using, env);
  const returning = bindReturning(stmt.returning, t.scope, bc);
  const { ctx, writer } = env;
  const refAt = t.table.nextAttnum;
  const rows = executeAll(t.plan, ctx);
  const out: Row[] = [];
  let count = 0;
  for (const row of rows) {
    const ref = row[refAt] as RowRef;
    if (!writer.delete(t.table, ref.slot, ref.version)) continue;
    count++;
    if (returning) out.push(returning.evals.map((e) => e(row, ctx)));
  }
  return resultOf('DELETE', count, returning?.columns ?? null, returning ? out : null, `DELETE ${count}`);
}
