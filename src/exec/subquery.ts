/**
 * Evaluation of subquery expressions: scalar, EXISTS, IN, ANY/ALL and ARRAY(...). Uncorrelated
 * subqueries run once per statement execution (cached in the ExecContext); correlated ones run per
 * outer row with that row pushed on the context's outer stack. EXISTS stops at the first row.
 * Expressions compile once per node (compileExpr memoizes by node), not once per evaluation.
 */
import { DbError } from '../errors/index.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import type { Row } from '../storage/version.ts';
import { SqlArray } from '../types/array.ts';
import { compileExpr, type Evaluator } from './compile-expr.ts';
import { compareTest } from './compile-compare.ts';
import type { ExecContext } from './exec-context.ts';
import { executeAll, rootOperator } from './executor.ts';

type SubqueryExpr = Extract<BoundExpr, { k: 'subquery' }>;

function rowsOf(e: SubqueryExpr, row: Row, ctx: ExecContext, firstOnly: boolean): Row[] {
  if (!e.correlated) {
    const cached = ctx.subqueryCache.get(e.plan) as Row[] | undefined;
    if (cached !== undefined) return cached;
  }
  ctx.outer.push(row);
  try {
    let rows: Row[];
    if (firstOnly) {
      const op = rootOperator(e.plan, ctx);
      const b = op.next();
      op.close();
      rows = b === null ? [] : [b[0]!];
    } else {
      rows = executeAll(e.plan, ctx);
    }
    if (!e.correlated) ctx.subqueryCache.set(e.plan, rows);
    return rows;
  } finally {
    ctx.outer.pop();
  }
}

export function runSubquery(e: SubqueryExpr, row: Row, ctx: ExecContext): unknown {
  switch (e.mode) {
    case 'exists':
      return rowsOf(e, row, ctx, true).length > 0;
    case 'scalar': {
      const rows = rowsOf(e, row, ctx, false);
      if (rows.length === 0) return null;
      if (rows.length > 1) {
        throw new DbError('cardinality_violation', 'more than one row returned by a subquery used as an expression');
      }
      return rows[0]![0] ?? null;
    }
    case 'array': {
      const rows = rowsOf(e, row, ctx, false);
      return new SqlArray(rows.map((r) => r[0] ?? null));
    }
    case 'in':
    case 'any':
    case 'all':
      return quantified(e, row, ctx);
  }
}

/** Compiled left operands of IN/ANY/ALL, once per node rather than once per evaluation. */
const leftsByNode = new WeakMap<SubqueryExpr, Evaluator[]>();

function leftEvaluators(e: SubqueryExpr): Evaluator[] {
  let fs = leftsByNode.get(e);
  if (fs === undefined) {
    fs = e.left!.map((l) => compileExpr(l));
    leftsByNode.set(e, fs);
  }
  return fs;
}

function quantified(e: SubqueryExpr, row: Row, ctx: ExecContext): boolean | null {
  const lefts = leftEvaluators(e).map((f) => f(row, ctx));
  const rows = rowsOf(e, row, ctx, false);
  const all = e.mode === 'all';
  const test = compareTest(e.mode === 'in' ? '=' : e.op!);
  const cmps = e.cmps!;
  let sawNull = false;
  for (const r of rows) {
    let result: boolean | null = true;
    for (let i = 0; i < lefts.length; i++) {
      const a = lefts[i];
      const b = r[i] ?? null;
      if (a === null || b === null) { result = null; continue; }
      if (!test(cmps[i]!(a, b))) { result = false; break; }
    }
    if (result === null) { sawNull = true; continue; }
    if (all && !result) return e.negated ? true : false;
    if (!all && result) return e.negated ? false : true;
  }
  const base = sawNull ? null : all;
  if (base === null) return null;
  return e.negated ? !base : base;
}
