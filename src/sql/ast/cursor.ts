/**
 * Cursor statements: DECLARE ... CURSOR FOR, FETCH / MOVE and CLOSE (PostgreSQL's SQL-level
 * cursors, used by psycopg2's named cursors and by scripts that page through a result).
 */
import type { SelectQuery } from './select.ts';

export interface DeclareCursorStmt {
  readonly kind: 'DeclareCursor';
  /** Normalized cursor name. */
  readonly name: string;
  readonly query: SelectQuery;
  /** WITH HOLD: the cursor survives the commit of the transaction that declared it. */
  readonly hold: boolean;
  readonly scroll: boolean;
  readonly binary: boolean;
  readonly loc: number;
}

/** FETCH / MOVE direction, normalized: counts are relative unless `absolute`. */
export type FetchDirection =
  | { readonly kind: 'forward'; readonly count: number | 'all' }
  | { readonly kind: 'backward'; readonly count: number | 'all' }
  | { readonly kind: 'absolute'; readonly position: number }
  | { readonly kind: 'relative'; readonly offset: number }
  | { readonly kind: 'first' }
  | { readonly kind: 'last' };

export interface FetchStmt {
  readonly kind: 'Fetch';
  /** MOVE positions the cursor without returning rows. */
  readonly move: boolean;
  readonly name: string;
  readonly direction: FetchDirection;
  readonly loc: number;
}

export interface CloseCursorStmt {
  readonly kind: 'CloseCursor';
  /** null for CLOSE ALL. */
  readonly name: string | null;
  readonly loc: number;
}
