/**
 * AST building blocks shared by expressions and statements: names, type names, aliases, sort keys.
 *
 * Invariants (hold for every node in src/sql/ast):
 * - Nodes are plain readonly objects with a literal `kind` tag; never classes, never mutated after
 *   the parser returns them.
 * - `loc` is the 0-based character offset in the SQL text where the node starts; an error about
 *   the node reports position `loc + 1` (PostgreSQL's 1-based convention).
 * - Identifiers are already normalized: unquoted ones folded to lower case, quoted ones kept
 *   verbatim, both truncated to Limits.identifierBytesMax bytes.
 */
import type { Expr } from './expr.ts';

/**
 * A dotted name as written (`schema.table`, `table.column`, `schema.table.column`), each part
 * already normalized. Used where the meaning of each part is only known to the binder.
 */
export type QualifiedName = readonly string[];

/**
 * A name of a catalog object (table, view, sequence, index, function, type ...). `catalog` is the
 * optional database part of a three-part name; `schema` is null when unqualified.
 */
export interface ObjectName {
  readonly kind: 'ObjectName';
  readonly catalog: string | null;
  readonly schema: string | null;
  readonly name: string;
  readonly loc: number;
}

/**
 * A type as written. `name` is PostgreSQL's internal typname for built-in spellings (int4, int8,
 * float8, varchar, bpchar, timestamptz ...); other names stay lower-cased as written for the binder
 * to resolve. `modifiers` are the integer type modifiers (varchar(20) -> [20], numeric(10,2) ->
 * [10, 2], timestamp(3) -> [3], char -> [1]); `arrayDims` counts `[]` / ARRAY suffixes. `setof` is
 * only set in function signatures (RETURNS SETOF t).
 */
export interface TypeName {
  readonly kind: 'TypeName';
  readonly schema: string | null;
  readonly name: string;
  readonly modifiers: readonly number[];
  readonly arrayDims: number;
  /** Declared array bounds (`int[3][]` -> [3, -1]); informational, PostgreSQL ignores them. */
  readonly arrayBounds: readonly number[];
  readonly setof: boolean;
  /** `%TYPE` reference (`t.col%TYPE`) in function signatures; null otherwise. */
  readonly pctType: QualifiedName | null;
  readonly loc: number;
}

/** `AS alias (col, ...)` on a FROM item. */
export interface Alias {
  readonly kind: 'Alias';
  readonly name: string;
  readonly columns: readonly string[] | null;
  readonly loc: number;
}

export type SortDirection = 'default' | 'asc' | 'desc';
export type NullsOrder = 'default' | 'first' | 'last';

/** Sort key in ORDER BY (query, aggregate call, window, WITHIN GROUP). */
export interface SortBy {
  readonly kind: 'SortBy';
  readonly expr: Expr;
  readonly direction: SortDirection;
  readonly nulls: NullsOrder;
  /** `ORDER BY x USING <`: the operator text; direction is 'default' then. */
  readonly usingOp: string | null;
  readonly loc: number;
}

/** Source text of an expression the catalog stores (DEFAULT, CHECK, generated column ...). */
export interface SourceText {
  /** 0-based offsets into the SQL text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The text itself, `sql.slice(start, end)`. */
  readonly text: string;
}

export type DropBehavior = 'default' | 'restrict' | 'cascade';
