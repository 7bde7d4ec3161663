/**
 * Subquery expressions: EXISTS, scalar subqueries, ARRAY(SELECT ...), IN (SELECT ...) and
 * op ANY/ALL (SELECT ...). The subquery is bound with the current scope as its parent, so its
 * column references may reach outward; whether it did decides if it is re-run per outer row.
 */
import { DbError } from '../../errors/index.ts';
import type { Expr } from '../../sql/ast.ts';
import { comparatorFor } from '../../types/compare.ts';
import { commonType } from '../../types/coerce.ts';
import { arrayOf, Types } from '../../types/sql-type.ts';
import type { BoundExpr, CompareOp } from '../bound-expr.ts';
import { planReferencesOuter } from '../plan-walk.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { bindExpr, isCompareOp } from './bind-expr.ts';
import { coerce } from './coerce-expr.ts';
import { bindQuery } from './bind-select.ts';
import { Scope } from './scope.ts';
import type { PlanNode } from '../plan-nodes.ts';

type SubqueryAst = Extract<Expr, { kind: 'Exists' | 'ScalarSubquery' | 'ArraySubquery' | 'InSubquery' | 'QuantifiedSubquery' }>;

export function bindSubqueryExpr(ast: SubqueryAst, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  void qs;
  const sub = bindQuery(ast.query, new Scope(scope), bc);
  const plan = sub.plan;
  const correlated = planReferencesOuter(plan);
  const cols = sub.columns;
  switch (ast.kind) {
    case 'Exists':
      return { k: 'subquery', type: Types.bool, mode: 'exists', plan, correlated, left: null, op: null, cmps: null, negated: false };
    case 'ScalarSubquery':
    case 'ArraySubquery': {
      if (cols.length !== 1) {
        throw new DbError('syntax_error', 'subquery must return only one column', { position: ast.loc + 1 });
      }
      const t = cols[0]!.type;
      return ast.kind === 'ScalarSubquery'
        ? { k: 'subquery', type: t, mode: 'scalar', plan, correlated, left: null, op: null, cmps: null, negated: false }
        : { k: 'subquery', type: arrayOf(t), mode: 'array', plan, correlated, left: null, op: null, cmps: null, negated: false };
    }
    case 'InSubquery':
    case 'QuantifiedSubquery': {
      const leftAst = ast.kind === 'InSubquery' ? ast.arg : ast.left;
      const leftBound = bindExpr(leftAst, scope, bc, qs);
      const lefts = leftBound.k === 'row' ? [...leftBound.args] : [leftBound];
      if (lefts.length !== cols.length) {
        throw new DbError('syntax_error',
          lefts.length < cols.length ? 'subquery has too many columns' : 'subquery has too few columns',
          { position: ast.loc + 1 });
      }
      let op: CompareOp = '=';
      if (ast.kind === 'QuantifiedSubquery') {
        if (!isCompareOp(ast.op)) {
          throw new DbError('feature_not_supported', `operator ${ast.op} with ANY/ALL is not supported`, { position: ast.loc + 1 });
        }
        op = ast.op;
      }
      const coercedLeft: BoundExpr[] = [];
      const cmps = [];
      let finalPlan: PlanNode = plan;
      for (let i = 0; i < lefts.length; i++) {
        const l = lefts[i]!;
        const rt = cols[i]!.type;
        const t = l.type.oid === Types.unknown.oid ? rt : commonType([l.type, rt], 'IN');
        coercedLeft.push(coerce(l, t, 'implicit', bc, leftAst.loc));
        if (t.oid !== rt.oid) finalPlan = castColumn(finalPlan, i, t, bc, ast.loc);
        cmps.push(comparatorFor(t));
      }
      const mode = ast.kind === 'InSubquery' ? 'in' : ast.quantifier;
      return {
        k: 'subquery', type: Types.bool, mode, plan: finalPlan, correlated, left: coercedLeft, op, cmps,
        negated: ast.kind === 'InSubquery' && ast.negated,
      };
    }
  }
}

/** Wraps a plan in a projection casting column `i` to `t` (so comparisons use one type). */
function castColumn(plan: PlanNode, i: number, t: import('../../types/sql-type.ts').SqlType, bc: BindContext, loc: number): PlanNode {
  const exprs: BoundExpr[] = plan.columns.map((c, j) => {
    const col: BoundExpr = { k: 'col', type: c.type, index: j, levelsUp: 0 };
    return j === i ? coerce(col, t, 'implicit', bc, loc) : col;
  });
  return {
    node: 'Project', input: plan, exprs, estRows: plan.estRows,
    columns: plan.columns.map((c, j) => (j === i ? { name: c.name, type: t } : c)),
  };
}
