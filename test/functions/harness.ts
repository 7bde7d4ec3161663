/**
 * Shared harness for the built-in function tests: resolves overloads with the binder's own
 * resolution (so tests exercise the path queries use) and calls implementations with a
 * deterministic evaluation context.
 */
import assert from 'node:assert/strict';
import { builtinRegistry, type EvalContext, type ScalarFunctionDef } from '../../src/functions/index.ts';
import { resolveOverload } from '../../src/plan/binder/resolve-function.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultTypeContext } from '../../src/types/context.ts';
import { formatType, type SqlType } from '../../src/types/sql-type.ts';
import { DbError } from '../../src/errors/index.ts';

export const reg = builtinRegistry();

export const ctx: EvalContext = {
  env: createSimEnv({ seed: 1 }), types: defaultTypeContext, txnStartMicros: 0,
  statementStartMicros: 0, setting: (n: string) => (n === 'timezone' ? 'UTC' : null), user: 'alice', database: 'db', searchPath: ['public'], catalog: null
};

/** The scalar overload a query calling `name(types...)` would bind to. */
export function resolve(name: string, types: SqlType[]): ScalarFunctionDef {
  const defs = reg.lookup(name).filter((d): d is ScalarFunctionDef => d.kind === 'scalar');
  const matches = resolveOverload(defs, types);
  if (matches.length !== 1) {
    throw new Error(`${matches.length === 0 ? 'no' : 'ambiguous'} overload ${name}(${types.map(formatType).join(', ')})`);
  }
  return matches[0]!.def;
}

/** Calls `name` with values of the given types (STRICT functions return NULL on a NULL). */
export function call(name: string, types: SqlType[], ...args: unknown[]): unknown {
  const def = resolve(name, types);
  if (def.strict && args.some((a) => a === null)) return null;
  return def.impl(args, ctx, types);
}

/** The declared result type of `name(types...)`. */
export function returnType(name: string, types: SqlType[]): SqlType {
  const def = resolve(name, types);
  return typeof def.returns === 'function' ? def.returns(types) : def.returns;
}

/** Asserts that `f` throws a DbError with SQLSTATE `code` (and `message`, when given). */
export function throwsState(f: () => unknown, code: string, message?: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof DbError, `expected DbError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}
