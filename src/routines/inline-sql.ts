/**
 * Inlining of simple SQL functions, as PostgreSQL's inline_function: a call of a LANGUAGE sql
 * function whose body is a single `SELECT expr` (no FROM, WHERE, aggregates, subqueries ...) is
 * replaced at bind time by `expr` with the call's arguments in place of its parameters, so it
 * costs what the expression costs (no statement per call) and takes part in constant folding.
 *
 * Conditions (otherwise the call stays a call, with identical results):
 * - not STRICT, not SECURITY DEFINER, no SET clauses, not set-returning, no OUT columns;
 * - the body does not call volatile functions unless the function is declared VOLATILE;
 * - a parameter used more than once gets a simple argument (column, constant or parameter), so
 *   no argument is evaluated twice;
 * - the body's type converts to the declared result type with an assignment cast;
 * - a function is not inlined into itself (recursion stays a call, bounded at run time).
 */
import { objectKey } from '../auth/auth-state.ts';
import type { RoutineDef } from '../catalog/routines.ts';
import { inputArgs } from '../catalog/routines.ts';
import type { Expr, Statement } from '../sql/ast.ts';
import { parse } from '../sql/index.ts';
import type { BoundExpr } from '../plan/bound-expr.ts';
import { BindContext, QueryState } from '../plan/binder/bind-context.ts';
import { bindExpr } from '../plan/binder/bind-expr.ts';
import { coerce } from '../plan/binder/coerce-expr.ts';

/** Routines being inlined right now (binding is synchronous): stops self-inlining. */
const inlining = new Set<RoutineDef>();

/** The inliner for `def`, or undefined when its shape can never be inlined. */
export function sqlInliner(def: RoutineDef): ((args: readonly unknown[], bc: unknown) => unknown) | undefined {
  if (def.language !== 'sql' || def.kind !== 'function' || def.strict || def.securityDefiner || def.config.length > 0 ||
    def.returnsSet || def.outColumns !== null || def.returnType === null || def.trigger !== null) return undefined;
  const expr = singleExpression(def.body);
  if (expr === null) return undefined;
  const names = new Map<string, number>();
  inputArgs(def).forEach((a, i) => { if (a.name !== null && !names.has(a.name)) names.set(a.name, i); });
  return (args, bc) => inline(def, expr, names, args as readonly BoundExpr[], bc as BindContext);
}

/** The expression of a body that is exactly `SELECT expr`, else null. */
function singleExpression(body: string): Expr | null {
  let stmts: { stmt: Statement }[];
  try {
    stmts = parse(body);
  } catch {
    return null;
  }
  if (stmts.length !== 1) return null;
  const s = stmts[0]!.stmt;
  if (s.kind !== 'Select') return null;
  if (s.with !== null || s.from.length > 0 || s.where !== null || s.groupBy.length > 0 || s.having !== null ||
    s.windows.length > 0 || s.orderBy.length > 0 || s.limit !== null || s.offset !== null || s.distinct ||
    s.distinctOn !== null || s.locking.length > 0 || s.into !== null || s.targets.length !== 1) return null;
  const t = s.targets[0]!.expr;
  if (t.kind === 'ColumnRef' && t.star) return null;
  return t;
}

function inline(def: RoutineDef, expr: Expr, names: ReadonlyMap<string, number>, args: readonly BoundExpr[], bc: BindContext): BoundExpr | null {
  if (inlining.has(def)) return null;
  // A routine with its own ACL (GRANT / REVOKE EXECUTE) stays a call, so EXECUTE is checked when
  // it runs; the default ACL (EXECUTE to PUBLIC) lets everyone call it, inlined or not.
  if (bc.catalog.auth.acl(objectKey('function', def.oid)) !== undefined) return null;
  inlining.add(def);
  try {
    const ins = inputArgs(def);
    if (args.length !== ins.length) return null;
    const child = new BindContext({
      catalog: bc.catalog, searchPath: bc.searchPath, registry: bc.registry, paramTypes: args.map((a) => a.type), types: bc.types,
    });
    child.paramNames = names.size === 0 ? null : { routine: def.name, names };
    const qs = new QueryState();
    let body = bindExpr(expr, null, child, qs);
    if (qs.aggregates.length > 0 || qs.windows.length > 0) return null;
    if (child.volatile && def.volatility !== 'volatile') return null;
    body = coerce(body, def.returnType!, 'assignment', child, expr.loc);
    const uses = new Array<number>(args.length).fill(0);
    if (!countParams(body, uses)) return null;
    if (uses.some((n, i) => n > 1 && !isSimple(args[i]!))) return null;
    if (child.volatile) bc.volatile = true;
    return substitute(body, args);
  } catch {
    // Anything the body cannot bind to here is reported by the call itself at run time.
    return null;
  } finally {
    inlining.delete(def);
  }
}

function isSimple(e: BoundExpr): boolean {
  return e.k === 'col' || e.k === 'const' || e.k === 'param';
}

/** Counts parameter uses; false when the body holds something that blocks inlining. */
function countParams(e: BoundExpr, uses: number[]): boolean {
  switch (e.k) {
    case 'param':
      if (e.index >= uses.length) return false;
      uses[e.index]!++;
      return true;
    case 'const': case 'col': return e.k === 'const' || e.levelsUp === 0;
    case 'subquery': case 'srf': case 'aggref': case 'grouping': return false;
    default:
      return children(e).every((c) => countParams(c, uses));
  }
}

function children(e: BoundExpr): BoundExpr[] {
  switch (e.k) {
    case 'call': case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': case 'runtime': return [...e.args];
    case 'cast': case 'not': case 'istest': case 'field': return [e.arg];
    case 'cmp': case 'distinct': case 'nullif': return [e.left, e.right];
    case 'case': return [...e.whens.flatMap((w) => [w.cond, w.result]), e.else];
    case 'inlist': return [e.arg, ...e.list];
    case 'quantarray': return [e.left, e.array];
    case 'array': return [...e.elems];
    case 'subscript': return [e.arg, ...(e.lower ? [e.lower] : []), ...(e.upper ? [e.upper] : [])];
    default: return [];
  }
}

/** Replaces each parameter reference by the corresponding argument expression. */
function substitute(e: BoundExpr, args: readonly BoundExpr[]): BoundExpr {
  const s = (x: BoundExpr): BoundExpr => substitute(x, args);
  switch (e.k) {
    case 'param': return args[e.index]!;
    case 'const': case 'col': case 'aggref': case 'subquery': case 'grouping': case 'srf': return e;
    case 'call': return { ...e, args: e.args.map(s) };
    case 'and': case 'or': case 'coalesce': case 'minmax': case 'row': case 'runtime':
      return { ...e, args: e.args.map(s) } as BoundExpr;
    case 'cast': case 'not': case 'istest': case 'field': return { ...e, arg: s(e.arg) } as BoundExpr;
    case 'cmp': case 'distinct': case 'nullif': return { ...e, left: s(e.left), right: s(e.right) } as BoundExpr;
    case 'case': return { ...e, whens: e.whens.map((w) => ({ cond: s(w.cond), result: s(w.result) })), else: s(e.else) };
    case 'inlist': return { ...e, arg: s(e.arg), list: e.list.map(s) };
    case 'quantarray': return { ...e, left: s(e.left), array: s(e.array) };
    case 'array': return { ...e, elems: e.elems.map(s) };
    case 'subscript': return { ...e, arg: s(e.arg), lower: e.lower ? s(e.lower) : null, upper: e.upper ? s(e.upper) : null };
  }
}
