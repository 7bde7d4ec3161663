/**
 * Cheap invariant checks (TigerBeetle/SQLite style). A failed assertion is a bug in Oxibase, never
 * bad user input, so it raises XX000. The message is built only on failure: pass a string literal or
 * a thunk, never a template built eagerly on a hot path.
 */
import { DbError } from './db-error.ts';

export function assert(cond: unknown, message?: string | (() => string)): asserts cond {
  if (!cond) {
    const text = typeof message === 'function' ? message() : (message ?? 'assertion failed');
    throw new DbError('internal_error', `internal error: ${text}`);
  }
}

/** Marks a branch as unreachable; `satisfies never` at call sites keeps switches exhaustive. */
export function unreachable(value: never, what = 'value'): never {
  throw new DbError('internal_error', `internal error: unexpected ${what}: ${String(value)}`);
}

/** Expensive verification walks run only when OXIBASE_VERIFY=1 (read once at load). */
export const VERIFY: boolean = globalThis.process?.env?.['OXIBASE_VERIFY'] === '1';
