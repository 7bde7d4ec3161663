/**
 * Direct evaluation of simple expressions (`x + 1`, `i % 3 = 0`, `s || 'x'`): a `SELECT expr`
 * with no FROM whose bound tree holds only constants, parameters, operators, casts, CASE and
 * immutable built-in functions is compiled once with the engine's own binder and expression
 * compiler, and evaluated without a statement round trip through the host. PostgreSQL's
 * PL/pgSQL has the same "simple expression" fast path (exec_eval_simple_expr).
 *
 * Results are identical to the host path by construction (same binder, same closures); anything
 * that could read session or transaction state (volatile or stable functions, subqueries,
 * sequences, settings) falls back to the host.
 */
import { parseOne } from '../sql/index.ts';
import type { Expr } from '../sql/ast.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import { compileExpr, type Evaluator } from '../exec/compile-expr.ts';
import type { ExecContext } from '../exec/exec-context.ts';
import { builtinRegistry } from '../functions/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import type { Env } from '../env/index.ts';
import type { Frame } from './frame.ts';

const NO_ROW: unknown[] = [];

/**
 * What a pure expression's closures may read: parameters and the type context (casts, output
 * formats). The other EvalContext members exist so that nothing reads `undefined`.
 */
class DirectContext {
  params: unknown[];
  types: TypeContext;
  readonly env: Env;
  readonly txnStartMicros: number;
  readonly statementStartMicros: number;
  readonly user = '';
  readonly database = '';
  readonly searchPath: readonly string[] = [];
  readonly catalog = null;
  readonly outer: unknown[][] = [];
  ticks = 0;
  cancelReason = null;
  instrument = null;

  constructor(env: Env, types: TypeContext, paramCount: number) {
    this.env = env;
    this.types = types;
    this.params = new Array<unknown>(paramCount);
    this.txnStartMicros = types.nowMicros;
    this.statementStartMicros = types.nowMicros;
  }

  setting(): string | null {
    return null;
  }
}

/** Whether a bound tree is pure: no columns, subqueries, session reads or non-immutable calls. */
function isPure(e: BoundExpr): boolean {
  switch (e.k) {
    case 'const':
    case 'param':
      return true;
    case 'call':
      return e.fn.volatility === 'immutable' && e.args.every(isPure);
    case 'cast':
    case 'not':
    case 'istest':
    case 'field':
      return isPure(e.arg);
    case 'cmp':
    case 'distinct':
    case 'nullif':
      return isPure(e.left) && isPure(e.right);
    case 'and':
    case 'or':
    case 'coalesce':
    case 'minmax':
    case 'row':
      return e.args.every(isPure);
    case 'case':
      return e.whens.every((w) => isPure(w.cond) && isPure(w.result)) && isPure(e.else);
    case 'inlist':
      return isPure(e.arg) && e.list.every(isPure);
    case 'quantarray':
      return isPure(e.left) && isPure(e.array);
    case 'array':
      return e.elems.every(isPure);
    case 'subscript':
      return isPure(e.arg) && (e.lower === null || isPure(e.lower)) && (e.upper === null || isPure(e.upper));
    default:
      return false;
  }
}

/** The single target of `SELECT expr` with nothing else, or null. */
function simpleTarget(sql: string): Expr | null {
  if (!sql.startsWith('SELECT ')) return null;
  let stmt;
  try {
    stmt = parseOne(sql);
  } catch {
    return null;
  }
  if (stmt.kind !== 'Select' || stmt.targets.length !== 1 || stmt.from.length > 0 || stmt.where !== null
    || stmt.groupBy.length > 0 || stmt.having !== null || stmt.distinct || stmt.with !== null
    || stmt.orderBy.length > 0 || stmt.limit !== null || stmt.offset !== null || stmt.into !== null
    || stmt.windows.length > 0 || stmt.locking.length > 0) return null;
  return stmt.targets[0]!.expr;
}

/** A direct evaluator for `sql`, or null when it must run through the host. */
export function tryCompileDirect(
  f: Frame, sql: string, paramTypes: readonly SqlType[], getters: readonly ((f: Frame) => unknown)[],
): ((f: Frame) => { value: unknown; type: SqlType }) | null {
  const expr = simpleTarget(sql);
  const types = f.host.types;
  const catalog = types.catalogScope?.catalog as Catalog | undefined;
  if (expr === null || catalog === undefined) return null;
  let bound: BoundExpr;
  try {
    const bc = new BindContext({
      catalog, searchPath: types.catalogScope?.searchPath ?? [], registry: builtinRegistry(),
      paramTypes: paramTypes.slice(), types,
    });
    bound = bindExpr(expr, null, bc, new QueryState());
  } catch {
    // The host reports the error with its own context (or resolves what the built-ins cannot).
    return null;
  }
  if (!isPure(bound)) return null;
  const evaluate: Evaluator = compileExpr(bound);
  const type = bound.type;
  const ctx = new DirectContext(f.host.env, types, getters.length);
  const execCtx = ctx as unknown as ExecContext;
  const n = getters.length;
  return (fr) => {
    const params = ctx.params;
    for (let i = 0; i < n; i++) params[i] = getters[i]!(fr);
    ctx.types = fr.host.types;
    const out = fr.result;
    out.value = evaluate(NO_ROW, execCtx) ?? null;
    out.type = type;
    return out;
  };
}
