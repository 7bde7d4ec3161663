/**
 * Overload resolution for functions and operators, following PostgreSQL's func_select_candidate
 * in spirit: candidates of the right arity whose parameters the arguments can reach by implicit
 * casts; prefer the most exact matches, then the most preferred types where casts are needed,
 * then (for unknown-typed literals) string-category parameters. Polymorphic parameters
 * (anyelement, anyarray, anycompatible ...) are bound consistently across the arguments.
 */
import { DbError } from '../../errors/index.ts';
import type { ArgType, FunctionDef } from '../../functions/registry.ts';
import { canCoerce } from '../../types/cast.ts';
import { commonType, isPreferred, typeCategory } from '../../types/coerce.ts';
import { arrayOf, formatType, Oid, type SqlType, Types } from '../../types/sql-type.ts';

export interface Resolved<D extends FunctionDef> {
  readonly def: D;
  /** Type each argument must be coerced to. */
  readonly argTypes: SqlType[];
}

function patternAt(def: FunctionDef, i: number): ArgType {
  const args = def.args;
  if (i < args.length) return args[i]!;
  return args[args.length - 1]!;
}

function arityOk(def: FunctionDef, n: number): boolean {
  if (n < def.minArgs) return false;
  if (def.variadic) return def.args.length > 0 || n === 0;
  return n <= def.args.length;
}

/** Binds polymorphic patterns for one candidate; returns concrete parameter types or null. */
function concreteTypes(def: FunctionDef, actual: readonly SqlType[]): SqlType[] | null {
  let elem: SqlType | null = null;
  const compat: SqlType[] = [];
  for (let i = 0; i < actual.length; i++) {
    const p = patternAt(def, i);
    const a = actual[i]!;
    if (a.oid === Oid.unknown) continue;
    if (p === 'anyelement' || p === 'anynonarray') {
      if (p === 'anynonarray' && a.elem !== null) return null;
      if (elem === null) elem = a;
      else if (elem.oid !== a.oid) return null;
    } else if (p === 'anyarray') {
      if (a.elem === null) return null;
      if (elem === null) elem = a.elem;
      else if (elem.oid !== a.elem.oid) return null;
    } else if (p === 'anycompatible') {
      compat.push(a);
    } else if (p === 'anycompatiblearray') {
      if (a.elem === null) return null;
      compat.push(a.elem);
    }
  }
  let compatType: SqlType | null = null;
  if (compat.length > 0) {
    compatType = commonType(compat, null);
    if (compatType === null) return null;
  }
  const out: SqlType[] = [];
  for (let i = 0; i < actual.length; i++) {
    const p = patternAt(def, i);
    const a = actual[i]!;
    switch (p) {
      case 'any':
        out.push(a.oid === Oid.unknown ? Types.text : a);
        break;
      case 'anyelement':
      case 'anynonarray':
        out.push(elem ?? Types.text);
        break;
      case 'anyarray':
        out.push(arrayOf(elem ?? Types.text));
        break;
      case 'anycompatible':
        out.push(compatType ?? Types.text);
        break;
      case 'anycompatiblearray':
        out.push(arrayOf(compatType ?? Types.text));
        break;
      default:
        out.push(p);
    }
  }
  return out;
}

interface Scored<D extends FunctionDef> {
  readonly r: Resolved<D>;
  readonly exact: number;
  readonly preferred: number;
  readonly unknownString: number;
}

export function resolveOverload<D extends FunctionDef>(
  candidates: readonly D[], actual: readonly SqlType[],
): Resolved<D>[] {
  const scored: Scored<D>[] = [];
  for (const def of candidates) {
    if (!arityOk(def, actual.length)) continue;
    const params = concreteTypes(def, actual);
    if (params === null) continue;
    let exact = 0;
    let preferred = 0;
    let unknownString = 0;
    let ok = true;
    for (let i = 0; i < actual.length; i++) {
      const a = actual[i]!;
      const p = params[i]!;
      const pattern = patternAt(def, i);
      if (a.oid === Oid.unknown) {
        if (typeCategory(p) === 'S') unknownString++;
        continue;
      }
      if (pattern === 'any' || a.oid === p.oid) { exact++; continue; }
      if (!canCoerce(a, p, 'implicit')) { ok = false; break; }
      if (isPreferred(p)) preferred++;
    }
    if (ok) scored.push({ r: { def, argTypes: params }, exact, preferred, unknownString });
  }
  if (scored.length <= 1) return scored.map((s) => s.r);
  const best = (key: (s: Scored<D>) => number, list: Scored<D>[]): Scored<D>[] => {
    const max = Math.max(...list.map(key));
    return list.filter((s) => key(s) === max);
  };
  let list = best((s) => s.exact, scored);
  if (list.length > 1) list = best((s) => s.preferred, list);
  if (list.length > 1) list = best((s) => s.unknownString, list);
  if (list.length > 1) {
    // Identical concrete signatures (e.g. two polymorphic forms that bound the same way): first wins.
    const sig = (s: Scored<D>): string => s.r.argTypes.map((t) => t.oid).join(',');
    if (list.every((s) => sig(s) === sig(list[0]!))) list = [list[0]!];
  }
  return list.map((s) => s.r);
}

export function describeArgs(types: readonly SqlType[]): string {
  return types.map((t) => formatType(t)).join(', ');
}

export function noSuchFunction(name: string, types: readonly SqlType[], loc: number): DbError {
  return new DbError('undefined_function', `function ${name}(${describeArgs(types)}) does not exist`, {
    position: loc + 1,
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  });
}

export function ambiguousFunction(name: string, types: readonly SqlType[], loc: number): DbError {
  return new DbError('ambiguous_function', `function ${name}(${describeArgs(types)}) is not unique`, {
    position: loc + 1,
    hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
  });
}

export function noSuchOperator(op: string, types: readonly SqlType[], loc: number): DbError {
  const desc = types.length === 1 ? `${op} ${formatType(types[0]!)}`
    : `${formatType(types[0]!)} ${op} ${formatType(types[1]!)}`;
  return new DbError('undefined_function', `operator does not exist: ${desc}`, {
    position: loc + 1,
    hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
  });
}
