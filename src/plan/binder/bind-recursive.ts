/**
 * WITH RECURSIVE name AS (base UNION [ALL] recursive): binds the base term first to learn the
 * column types, then the recursive term with `name` resolving to the working table, and checks
 * PostgreSQL's restrictions on where the self-reference may appear.
 */
import { DbError } from '../../errors/index.ts';
import type { CommonTableExpr, SelectQuery } from '../../sql/ast.ts';
import type { PlanNode } from '../plan-nodes.ts';
import type { BindContext, CteBinding } from './bind-context.ts';
import { bindQuery } from './bind-select.ts';
import { Scope } from './scope.ts';
import { coerce } from './coerce-expr.ts';

function mentions(q: unknown, name: string): boolean {
  return JSON.stringify(q, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(`"kind":"RangeVar","name":{"kind":"ObjectName","catalog":null,"schema":null,"name":${JSON.stringify(name)}`);
}

export function bindRecursiveCte(
  cte: CommonTableExpr, query: SelectQuery, scope: Scope, bc: BindContext, frame: Map<string, CteBinding>,
): CteBinding {
  const id = bc.newId();
  if (query.kind !== 'SetOperation' || query.op !== 'union' || !mentions(query.right, cte.name)) {
    if (mentions(query, cte.name)) {
      throw new DbError('invalid_recursion',
        `recursive query "${cte.name}" does not have the form non-recursive-term UNION [ALL] recursive-term`, { position: cte.loc + 1 });
    }
    const sub = bindQuery(query, new Scope(scope.parent), bc);
    const columns = sub.columns.map((c, i) => ({ name: cte.columns?.[i] ?? c.name, type: c.type }));
    return { name: cte.name, columns, plan: sub.plan, id, recursive: false };
  }
  if (mentions(query.left, cte.name)) {
    throw new DbError('invalid_recursion', `recursive reference to query "${cte.name}" must not appear within its non-recursive term`, { position: cte.loc + 1 });
  }
  const base = bindQuery(query.left, new Scope(scope.parent), bc);
  const columns = base.columns.map((c, i) => ({ name: cte.columns?.[i] ?? c.name, type: c.type }));
  const workId = bc.newId();
  frame.set(cte.name, { name: cte.name, columns, plan: null, id: workId, recursive: true });
  const rec = bindQuery(query.right, new Scope(scope.parent), bc);
  if (rec.columns.length !== columns.length) {
    throw new DbError('syntax_error', 'each UNION query must have the same number of columns', { position: cte.loc + 1 });
  }
  let recPlan: PlanNode = rec.plan;
  if (rec.columns.some((c, i) => c.type.oid !== columns[i]!.type.oid)) {
    recPlan = {
      node: 'Project', input: rec.plan,
      exprs: rec.columns.map((c, i) => coerce({ k: 'col', type: c.type, index: i, levelsUp: 0 }, columns[i]!.type, 'assignment', bc, cte.loc)),
      columns, estRows: rec.plan.estRows,
    };
  }
  const plan: PlanNode = {
    node: 'RecursiveUnion', base: base.plan, recursive: recPlan, workId, all: query.all,
    columns, estRows: base.plan.estRows * 10,
  };
  return { name: cte.name, columns, plan, id, recursive: false };
}
