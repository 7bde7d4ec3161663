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
  const shortcut = binaryOperatorExact(candidates, actual);
  if (shortcut !== null) return [shortcut];
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
  if (list.length > 1) list = resolveUnknownPositions(list, actual);
  if (list.length > 1) list = assumeKnownType(list, actual);
  if (list.length > 1) {
    // Identical concrete signatures (e.g. two polymorphic forms that bound the same way): first wins.
    const sig = (s: Scored<D>): string => s.r.argTypes.map((t) => t.oid).join(',');
    if (list.every((s) => sig(s) === sig(list[0]!))) list = [list[0]!];
  }
  return list.map((s) => s.r);
}

/**
 * PostgreSQL's first step for a binary operator with one unknown-typed side: assume it has the
 * other side's type and look for an exact match (so `1 + '2'` is int4 + int4).
 */
function binaryOperatorExact<D extends FunctionDef>(candidates: readonly D[], actual: readonly SqlType[]): Resolved<D> | null {
  if (actual.length !== 2) return null;
  const [a, b] = actual as [SqlType, SqlType];
  const known = a.oid === Oid.unknown ? b : b.oid === Oid.unknown ? a : null;
  if (known === null || known.oid === Oid.unknown) return null;
  for (const def of candidates) {
    if (/^[a-z_]/i.test(def.name) || def.args.length !== 2) continue;
    const [p, q] = def.args as [ArgType, ArgType];
    if (typeof p !== 'string' && typeof q !== 'string' && p.oid === known.oid && q.oid === known.oid) {
      return { def, argTypes: [p, q] };
    }
  }
  return null;
}

/**
 * PostgreSQL's rule for arguments of unknown type (func_select_candidate, last steps): at each
 * such position, keep the candidates accepting the string category if any does, else the
 * candidates of the one category all accept (none survive when they disagree); then, if some
 * candidate takes that category's preferred type there, drop those taking a non-preferred one.
 */
function resolveUnknownPositions<D extends FunctionDef>(list: Scored<D>[], actual: readonly SqlType[]): Scored<D>[] {
  let out = list;
  for (let i = 0; i < actual.length && out.length > 1; i++) {
    if (actual[i]!.oid !== Oid.unknown) continue;
    const cats = out.map((s) => typeCategory(s.r.argTypes[i]!));
    let category: string | null = null;
    if (cats.includes('S')) category = 'S';
    else if (cats.every((c) => c === cats[0])) category = cats[0]!;
    if (category === null) return out;
    out = out.filter((s, j) => cats[j] === category);
    if (out.some((s) => isPreferred(s.r.argTypes[i]!))) out = out.filter((s) => isPreferred(s.r.argTypes[i]!));
  }
  return out;
}

/**
 * func_select_candidate's "last gasp": when the known-type arguments all share one type, assume
 * the unknown ones have it too, and keep the candidate if exactly one accepts that (so
 * overlaps(time, time, time, NULL) picks the all-time form).
 */
function assumeKnownType<D extends FunctionDef>(list: Scored<D>[], actual: readonly SqlType[]): Scored<D>[] {
  const known = actual.filter((a) => a.oid !== Oid.unknown);
  if (known.length === 0 || known.length === actual.length) return list;
  const t = known[0]!;
  if (!known.every((a) => a.oid === t.oid)) return list;
  const ok = list.filter((s) => s.r.argTypes.every((p, i) => actual[i]!.oid !== Oid.unknown || p.oid === t.oid || canCoerce(t, p, 'implicit')));
  return ok.length === 1 ? ok : list;
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
