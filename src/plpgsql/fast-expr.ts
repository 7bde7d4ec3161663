/**
 * Direct evaluation of simple expressions without a round trip through the host (placeholder:
 * filled in below once the interpreter works).
 */
import type { SqlType } from '../types/sql-type.ts';
import type { Frame } from './frame.ts';

export function tryCompileDirect(
  _f: Frame, _sql: string, _paramTypes: readonly SqlType[], _getters: readonly ((f: Frame) => unknown)[],
): ((f: Frame) => { value: unknown; type: SqlType }) | null {
  return null;
}
