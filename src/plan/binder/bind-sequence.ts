/**
 * nextval / currval / setval / lastval. Their first argument names a sequence (regclass); a
 * constant name is resolved at bind time so a missing sequence is reported with a position, other
 * arguments are resolved when the call runs. Sequence state lives in the session (currval) and in
 * the sequence itself (non-transactional, as in PostgreSQL).
 */
import { DbError } from '../../errors/index.ts';
import type { SequenceDef } from '../../catalog/objects.ts';
import type { ObjectName } from '../../sql/ast.ts';
import { Types } from '../../types/sql-type.ts';
import { int8ToBigInt } from '../../types/int.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { BindContext } from './bind-context.ts';
import { coerce } from './coerce-expr.ts';
import type { ExecContext } from '../../exec/exec-context.ts';

export const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval', 'lastval']);

/** Parses a regclass-style name: `s`, `sch.s`, `"Mixed"`. */
export function parseRelationName(text: string, loc: number): ObjectName {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      while (j < text.length) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') { part += '"'; j += 2; continue; }
          break;
        }
        part += text[j++];
      }
      parts.push(part);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.') j++;
      parts.push(text.slice(i, j).trim().toLowerCase());
      i = j;
    }
    if (text[i] === '.') i++;
  }
  const name = parts[parts.length - 1] ?? '';
  return { kind: 'ObjectName', catalog: null, schema: parts.length > 1 ? parts[parts.length - 2]! : null, name, loc };
}

export function lookupSequence(bc: BindContext, text: string, loc: number): SequenceDef {
  const name = parseRelationName(text, loc);
  const rel = bc.catalog.findRelation(name, bc.searchPath);
  if (!rel) {
    throw new DbError('undefined_table', `relation "${text}" does not exist`, { position: loc + 1 });
  }
  if (rel.kind !== 'sequence') {
    throw new DbError('wrong_object_type', `"${rel.name}" is not a sequence`, { position: loc + 1 });
  }
  return rel;
}

export function bindSequenceCall(name: string, args: BoundExpr[], bc: BindContext, loc: number): BoundExpr {
  bc.volatile = true;
  if (name === 'lastval') {
    if (args.length !== 0) throw new DbError('undefined_function', 'function lastval() takes no arguments', { position: loc + 1 });
    return { k: 'runtime', type: Types.int8, name, volatile: true, args: [], fn: (_a, ctx) => ctx.session.lastval() };
  }
  const expected = name === 'setval' ? [2, 3] : [1];
  if (!expected.includes(args.length)) {
    throw new DbError('undefined_function', `function ${name} called with the wrong number of arguments`, { position: loc + 1 });
  }
  const target = coerce(args[0]!, Types.text, 'implicit', bc, loc);
  const fixed = target.k === 'const' && typeof target.value === 'string' ? lookupSequence(bc, target.value, loc) : null;
  const seqOf = (v: unknown, ctx: ExecContext): SequenceDef => fixed ?? ctx.session.resolveSequence(String(v));
  const rest = args.slice(1).map((a, i) => coerce(a, i === 0 ? Types.int8 : Types.bool, 'implicit', bc, loc));
  switch (name) {
    case 'nextval':
      return { k: 'runtime', type: Types.int8, name, volatile: true, args: [target], fn: (a, ctx) => a[0] === null ? null : ctx.session.nextval(seqOf(a[0], ctx)) };
    case 'currval':
      return { k: 'runtime', type: Types.int8, name, volatile: true, args: [target], fn: (a, ctx) => a[0] === null ? null : ctx.session.currval(seqOf(a[0], ctx)) };
    default:
      return {
        k: 'runtime', type: Types.int8, name, volatile: true, args: [target, ...rest],
        fn: (a, ctx) => {
          if (a[0] === null || a[1] === null) return null;
          return ctx.session.setval(seqOf(a[0], ctx), int8ToBigInt(a[1] as number | bigint), a.length > 2 ? a[2] !== false : true);
        },
      };
  }
}
