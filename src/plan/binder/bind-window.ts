/**
 * Window function calls: `f(...) OVER (PARTITION BY ... ORDER BY ... frame)` or `OVER name`.
 * Each call is collected into the query state with its bound window spec and replaced by a
 * reference to the column the Window node appends.
 */
import { DbError } from '../../errors/index.ts';
import type { FuncCall, WindowDef } from '../../sql/ast.ts';
import { Types, type SqlType } from '../../types/sql-type.ts';
import { containsSrf, type BoundExpr } from '../bound-expr.ts';
import type { WindowFrameSpec } from '../plan-nodes.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { bindAggregateCall, bindSortKey, SRF_HINT } from './bind-call.ts';
import { coerce, resolveUnknown } from './coerce-expr.ts';
import type { Scope } from './scope.ts';

export const WINDOW_ONLY_FUNCTIONS = new Set([
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead',
  'first_value', 'last_value', 'nth_value',
]);

function resultType(name: string, args: BoundExpr[]): SqlType {
  switch (name) {
    case 'row_number': case 'rank': case 'dense_rank': return Types.int8;
    case 'percent_rank': case 'cume_dist': return Types.float8;
    case 'ntile': return Types.int4;
    default: return args[0]?.type ?? Types.text;
  }
}

function resolveWindowDef(def: WindowDef, qs: QueryState, loc: number): WindowDef {
  if (def.refName === null) return def;
  const base = qs.windowDefs.get(def.refName);
  if (!base) throw new DbError('undefined_object', `window "${def.refName}" does not exist`, { position: loc + 1 });
  const resolvedBase = resolveWindowDef(base, qs, loc);
  return {
    ...def,
    refName: null,
    partitionBy: resolvedBase.partitionBy,
    orderBy: def.orderBy.length > 0 ? def.orderBy : resolvedBase.orderBy,
    frame: def.frame ?? resolvedBase.frame,
  };
}

export function bindWindowCall(ast: FuncCall, name: string, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  if (ast.over === null) {
    throw new DbError('wrong_object_type', `window function ${name} requires an OVER clause`, { position: ast.loc + 1 });
  }
  if (qs.noWindowClause !== null) {
    throw new DbError('windowing_error', `window functions are not allowed in ${qs.noWindowClause}`, { position: ast.loc + 1 });
  }
  const spec = resolveWindowDef(ast.over, qs, ast.loc);
  let aggregate = null;
  let args: BoundExpr[] = [];
  if (WINDOW_ONLY_FUNCTIONS.has(name)) {
    args = ast.args.map((a) => resolveUnknown(bindExpr(a.kind === 'NamedArg' ? a.value : a, scope, bc, qs), bc, a.loc));
    if ((name === 'ntile' || name === 'nth_value') && args.length > 0) {
      const i = name === 'ntile' ? 0 : 1;
      if (args[i]) args[i] = coerce(args[i]!, Types.int4, 'implicit', bc, ast.loc);
    }
    if ((name === 'lag' || name === 'lead') && args.length > 1) {
      args[1] = coerce(args[1]!, Types.int4, 'implicit', bc, ast.loc);
      if (args.length > 2) args[2] = coerce(args[2]!, args[0]!.type, 'implicit', bc, ast.loc);
    }
  } else {
    const saved = qs.noAggClause;
    qs.noAggClause = null;
    const bound = bindAggregateCall({ ...ast, over: null }, name, scope, bc, qs);
    qs.noAggClause = saved;
    if (bound === null) {
      throw new DbError('wrong_object_type', `OVER specified, but ${name} is not a window function nor an aggregate function`, { position: ast.loc + 1 });
    }
    aggregate = bound.agg;
    args = [...bound.agg.args];
  }
  if (args.some(containsSrf)) {
    throw new DbError('feature_not_supported', 'window function calls cannot contain set-returning function calls',
      { position: ast.loc + 1, hint: SRF_HINT });
  }
  const partitionBy = spec.partitionBy.map((p) => resolveUnknown(bindExpr(p, scope, bc, qs), bc, p.loc));
  const orderBy = spec.orderBy.map((s) => bindSortKey(s.expr, s.direction, s.nulls, scope, bc, qs));
  const frame = bindFrame(spec, orderBy.length, scope, bc, qs);
  qs.windows.push({ name, args, type: aggregate ? aggregate.type : resultType(name, args), aggregate, frame });
  qs.windowSpecs.push({ partitionBy, orderBy });
  return { k: 'aggref', type: aggregate ? aggregate.type : resultType(name, args), index: -qs.windows.length };
}

function bindFrame(spec: WindowDef, nOrderBy: number, scope: Scope | null, bc: BindContext, qs: QueryState): WindowFrameSpec {
  const f = spec.frame;
  const ordered = nOrderBy > 0;
  if (f === null) {
    // PostgreSQL's default: RANGE UNBOUNDED PRECEDING .. CURRENT ROW (the whole partition if unordered).
    return {
      mode: 'range',
      start: { type: 'unbounded_preceding', offset: null },
      end: { type: ordered ? 'current_row' : 'unbounded_following', offset: null },
      exclusion: 'no_others',
    };
  }
  const hasOffset = (b: NonNullable<WindowDef['frame']>['start'] | null): boolean =>
    b !== null && (b.type === 'preceding' || b.type === 'following');
  // PostgreSQL's transformFrameOffset checks: RANGE offsets need exactly one ORDER BY column to
  // measure against, GROUPS needs peer groups.
  if (f.mode === 'range' && (hasOffset(f.start) || hasOffset(f.end)) && nOrderBy !== 1) {
    throw new DbError('windowing_error', 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column', { position: f.loc + 1 });
  }
  if (f.mode === 'groups' && !ordered) {
    throw new DbError('windowing_error', 'GROUPS mode requires an ORDER BY clause', { position: f.loc + 1 });
  }
  const bound = (b: NonNullable<WindowDef['frame']>['start']): { type: string; offset: BoundExpr | null } => {
    if (!b.offset) return { type: b.type, offset: null };
    const e = bindExpr(b.offset, scope, bc, qs);
    // ROWS / GROUPS offsets are bigint, as in PostgreSQL.
    const offset = f.mode === 'range' ? resolveUnknown(e, bc, b.loc) : coerce(e, Types.int8, 'implicit', bc, b.loc);
    return { type: b.type, offset };
  };
  return {
    mode: f.mode,
    start: bound(f.start),
    end: f.end ? bound(f.end) : { type: 'current_row', offset: null },
    exclusion: f.exclusion,
  };
}
