/**
 * Coercion of bound expressions to a target type: unknown literals are converted at bind time
 * through the target's input function (so errors point at the literal), untyped parameters take the
 * target type (PostgreSQL's parameter type inference), and everything else gets a cast node.
 */
import { DbError } from '../../errors/index.ts';
import { findCast, type CastContext } from '../../types/cast.ts';
import { inputFunction, type InputFn, lengthCoercion } from '../../types/text-io.ts';
import { formatType, Oid, sameType, type SqlType, Types } from '../../types/sql-type.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { BindContext } from './bind-context.ts';

export function isUnknown(e: BoundExpr): boolean {
  return e.type.oid === Oid.unknown;
}

/** Coerces `e` to `target`; throws 42804/42846 when no cast exists in `context`. */
export function coerce(
  e: BoundExpr, target: SqlType, context: CastContext, bc: BindContext, loc: number,
  describe?: () => string,
): BoundExpr {
  if (sameType(e.type, target)) return e;
  if (e.k === 'const' && e.type.oid === Oid.unknown) {
    if (e.value === null) return { k: 'const', type: target, value: null };
    return { k: 'const', type: target, value: readLiteral(literalInput(target, context), String(e.value), bc, loc) };
  }
  if (e.k === 'param' && e.type.oid === Oid.unknown) {
    bc.paramTypes[e.index] = target;
    return { k: 'param', type: target, index: e.index };
  }
  const fn = findCast(e.type, target, context);
  if (fn === null) {
    if (describe) {
      throw new DbError('datatype_mismatch', describe(), {
        position: loc + 1,
        hint: 'You will need to rewrite or cast the expression.',
      });
    }
    throw new DbError('cannot_coerce', `cannot cast type ${formatType(e.type)} to ${formatType(target)}`,
      { position: loc + 1 });
  }
  if (e.k === 'const' && e.value !== null) {
    // Fold constant casts now; a failure is reported at run time instead (the branch holding it
    // may never run), as PostgreSQL's planner does for errors during constant folding.
    try {
      return { k: 'const', type: target, value: fn(e.value, bc.types) };
    } catch {
      /* fall through to a run-time cast */
    }
  }
  if (e.k === 'const' && e.value === null) return { k: 'const', type: target, value: null };
  return { k: 'cast', type: target, arg: e, fn, loc };
}

/**
 * How an untyped literal ('...') becomes a value of `target` in `context`. As PostgreSQL's
 * coerce_type: the input function runs without the typmod, then the length coercion of the cast
 * context (explicit casts truncate: 'abcdef'::varchar(3) is 'abc'). A caller converting many
 * literals to one type (INSERT ... VALUES rows) resolves this once.
 */
export function literalInput(target: SqlType, context: CastContext): InputFn {
  if (target.typmod >= 0 && target.elem === null) {
    const input = inputFunction({ ...target, typmod: -1 });
    const len = lengthCoercion(target, context === 'explicit');
    return len === null ? input : (s, types) => len(input(s, types), types);
  }
  return inputFunction(target);
}

/** Runs `input` on a literal's text; an error without a position points at the literal. */
export function readLiteral(input: InputFn, text: string, bc: BindContext, loc: number): unknown {
  try {
    return input(text, bc.types);
  } catch (err) {
    if (err instanceof DbError && err.position === undefined) err.position = loc + 1;
    throw err;
  }
}

/** Resolves still-unknown expressions to text (PostgreSQL's final fallback). */
export function resolveUnknown(e: BoundExpr, bc: BindContext, loc: number): BoundExpr {
  return isUnknown(e) ? coerce(e, Types.text, 'implicit', bc, loc) : e;
}

/** Coerces a condition (WHERE, HAVING, ON, CASE WHEN ...) to boolean. */
export function coerceBoolean(e: BoundExpr, bc: BindContext, loc: number, clause: string): BoundExpr {
  if (e.type.oid === Oid.bool) return e;
  if (isUnknown(e)) return coerce(e, Types.bool, 'implicit', bc, loc);
  throw new DbError('datatype_mismatch',
    `argument of ${clause} must be type boolean, not type ${formatType(e.type)}`, { position: loc + 1 });
}
