/**
 * RETURNING lists and assignment-target helpers shared by INSERT / UPDATE / DELETE.
 */
import { DbError } from '../../errors/index.ts';
import type { ResTarget, SetTarget } from '../../sql/ast.ts';
import type { ColumnDef, TableDef } from '../../catalog/objects.ts';
import { compileExpr, type Evaluator } from '../../exec/compile-expr.ts';
import type { OutputColumn } from '../../plan/plan-nodes.ts';
import { QueryState, type BindContext } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { resolveUnknown } from '../../plan/binder/coerce-expr.ts';
import { columnName } from '../../plan/binder/bind-select.ts';
import type { Scope } from '../../plan/binder/scope.ts';

export interface Returning {
  readonly columns: OutputColumn[];
  readonly evals: Evaluator[];
}

export function bindReturning(list: readonly ResTarget[], scope: Scope, bc: BindContext): Returning | null {
  if (list.length === 0) return null;
  const qs = new QueryState();
  qs.noAggClause = 'RETURNING';
  qs.noWindowClause = 'RETURNING';
  const columns: OutputColumn[] = [];
  const evals: Evaluator[] = [];
  for (const t of list) {
    if (t.expr.kind === 'ColumnRef' && t.expr.star) {
      const entries = t.expr.names.length === 0 ? scope.entries.slice(0, 1) : [scope.findEntry(t.expr.names)!];
      for (const e of entries) {
        if (!e) throw new DbError('undefined_table', 'missing FROM-clause entry in RETURNING', { position: t.loc + 1 });
        for (const c of e.columns) {
          columns.push({ name: c.name, type: c.type });
          const idx = c.index;
          evals.push((row) => row[idx] ?? null);
        }
      }
      continue;
    }
    const e = resolveUnknown(bindExpr(t.expr, scope, bc, qs), bc, t.loc);
    columns.push({ name: t.alias ?? columnName(t.expr), type: e.type });
    evals.push(compileExpr(e));
  }
  return { columns, evals };
}

/** Resolves assignment targets (INSERT column list, UPDATE SET) to columns, PostgreSQL's errors. */
export function resolveTargets(table: TableDef, targets: readonly SetTarget[]): ColumnDef[] {
  const seen = new Set<string>();
  return targets.map((t) => {
    if (t.indirection.length > 0) {
      throw new DbError('feature_not_supported', 'assignment to array elements or fields is not supported yet', { position: t.loc + 1 });
    }
    const col = table.columns.find((c) => c.name === t.name);
    if (!col) {
      throw new DbError('undefined_column', `column "${t.name}" of relation "${table.name}" does not exist`, { position: t.loc + 1 });
    }
    if (seen.has(t.name)) {
      throw new DbError('duplicate_column', `column "${t.name}" specified more than once`, { position: t.loc + 1 });
    }
    seen.add(t.name);
    return col;
  });
}
