/**
 * Expression nodes. `Expr` is the discriminated union of everything that can appear where
 * PostgreSQL's grammar has an a_expr / b_expr / c_expr.
 *
 * Invariants:
 * - Literals keep their source spelling where exactness matters: IntegerLiteral/NumericLiteral carry
 *   the digits as text (underscores removed, 0x/0o/0b prefixes converted to decimal) so the binder
 *   can choose int4/int8/numeric without float rounding.
 * - StringLiteral.value is already unescaped (E'', U&'', dollar quotes, adjacent concatenation).
 * - Generic operators (anything that is not AND/OR/NOT/IS/LIKE/BETWEEN/IN ...) are BinaryOp/UnaryOp
 *   carrying the operator text, e.g. '+', '||', '->>', '@>', '<>' ('!=' is normalized to '<>').
 * - AND/OR chains are flattened into one BoolOp (so long chains do not nest deeply).
 * - SQL-standard special syntax that PostgreSQL turns into ordinary function calls is parsed into
 *   FuncCall the same way gram.y does (see src/sql/README.md): EXTRACT, SUBSTRING, POSITION, TRIM,
 *   OVERLAY. COALESCE/NULLIF/GREATEST/LEAST are ConditionalFunc (they are not functions: lazy
 *   evaluation and common-type resolution).
 */
import type { QualifiedName, SortBy, TypeName } from './common.ts';
import type { SelectQuery } from './select.ts';

export interface IntegerLiteral {
  readonly kind: 'IntegerLiteral';
  /** Decimal digits, no sign (unary minus is a UnaryOp), e.g. '42', '9223372036854775808'. */
  readonly value: string;
  readonly loc: number;
}

export interface NumericLiteral {
  readonly kind: 'NumericLiteral';
  /** Source text without underscores, e.g. '1.5', '.5', '1e10', '1.5E-3'. */
  readonly value: string;
  readonly loc: number;
}

export interface StringLiteral {
  readonly kind: 'StringLiteral';
  readonly value: string;
  readonly loc: number;
}

/** B'0101' or X'1F' (converted to bits: '00011111'); PostgreSQL's bit-string constant. */
export interface BitStringLiteral {
  readonly kind: 'BitStringLiteral';
  readonly value: string;
  readonly loc: number;
}

export interface BooleanLiteral {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
  readonly loc: number;
}

export interface NullLiteral {
  readonly kind: 'NullLiteral';
  readonly loc: number;
}

/**
 * `type 'string'` (DATE '2020-01-01', INTERVAL '1 day', int4 '5', INTERVAL '1' DAY ...). Semantically
 * a cast of an unknown-typed string constant to `type`. For INTERVAL with field qualifiers the
 * fields are in `intervalFields` (e.g. 'day to second'); null otherwise.
 */
export interface TypedLiteral {
  readonly kind: 'TypedLiteral';
  readonly type: TypeName;
  readonly value: string;
  readonly intervalFields: string | null;
  readonly loc: number;
}

/** `$n` (1-based). */
export interface Param {
  readonly kind: 'Param';
  readonly index: number;
  readonly loc: number;
}

/**
 * Column reference `c`, `t.c`, `s.t.c`, or a star: `*` (names = [], star = true) or `t.*`
 * (names = ['t'], star = true).
 */
export interface ColumnRef {
  readonly kind: 'ColumnRef';
  readonly names: QualifiedName;
  readonly star: boolean;
  readonly loc: number;
}

/** Infix generic operator; `op` is the operator text. `schema` set for OPERATOR(s.op) syntax. */
export interface BinaryOp {
  readonly kind: 'BinaryOp';
  readonly op: string;
  readonly schema: string | null;
  readonly left: Expr;
  readonly right: Expr;
  readonly loc: number;
}

/** Prefix generic operator (`-x`, `+x`, `~x`, `@x`, `|/x` ...). */
export interface UnaryOp {
  readonly kind: 'UnaryOp';
  readonly op: string;
  readonly schema: string | null;
  readonly operand: Expr;
  readonly loc: number;
}

/** Flattened AND / OR: `args.length >= 2`. */
export interface BoolOp {
  readonly kind: 'BoolOp';
  readonly op: 'and' | 'or';
  readonly args: readonly Expr[];
  readonly loc: number;
}

export interface Not {
  readonly kind: 'Not';
  readonly arg: Expr;
  readonly loc: number;
}

/** IS [NOT] NULL / TRUE / FALSE / UNKNOWN, ISNULL, NOTNULL. */
export interface IsTest {
  readonly kind: 'IsTest';
  readonly test: 'null' | 'true' | 'false' | 'unknown';
  readonly negated: boolean;
  readonly arg: Expr;
  readonly loc: number;
}

/** a IS [NOT] DISTINCT FROM b. */
export interface IsDistinctFrom {
  readonly kind: 'IsDistinctFrom';
  readonly negated: boolean;
  readonly left: Expr;
  readonly right: Expr;
  readonly loc: number;
}

export interface Between {
  readonly kind: 'Between';
  readonly negated: boolean;
  readonly symmetric: boolean;
  readonly arg: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly loc: number;
}

/** x [NOT] IN (e1, e2, ...). The subquery form is InSubquery. */
export interface InList {
  readonly kind: 'InList';
  readonly negated: boolean;
  readonly arg: Expr;
  readonly list: readonly Expr[];
  readonly loc: number;
}

/** [NOT] LIKE / ILIKE / SIMILAR TO with optional ESCAPE. */
export interface Like {
  readonly kind: 'Like';
  readonly op: 'like' | 'ilike' | 'similar';
  readonly negated: boolean;
  readonly arg: Expr;
  readonly pattern: Expr;
  readonly escape: Expr | null;
  readonly loc: number;
}

/** Named argument `name => value` / `name := value` inside FuncCall.args. */
export interface NamedArg {
  readonly kind: 'NamedArg';
  readonly name: string;
  readonly value: Expr;
  readonly loc: number;
}

/**
 * Function call, including aggregates and window functions. `name` is qualified as written
 * (['count'], ['pg_catalog', 'now']). count(*) has star = true and no args.
 */
export interface FuncCall {
  readonly kind: 'FuncCall';
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  readonly star: boolean;
  readonly distinct: boolean;
  /** The last argument was marked VARIADIC. */
  readonly variadic: boolean;
  /** ORDER BY inside the argument list (`string_agg(x, ',' ORDER BY y)`). */
  readonly orderBy: readonly SortBy[];
  /** WITHIN GROUP (ORDER BY ...) for ordered-set aggregates; null when absent. */
  readonly withinGroup: readonly SortBy[] | null;
  readonly filter: Expr | null;
  readonly over: WindowDef | null;
  /**
   * True when the call came from SQL-standard special syntax (EXTRACT, SUBSTRING ... FROM,
   * POSITION ... IN, TRIM, OVERLAY, COLLATION FOR): the name is then a pg_catalog function.
   */
  readonly special: boolean;
  readonly loc: number;
}

export type FrameBoundType =
  | 'unbounded_preceding' | 'preceding' | 'current_row' | 'following' | 'unbounded_following';

export interface FrameBound {
  readonly kind: 'FrameBound';
  readonly type: FrameBoundType;
  /** Offset for 'preceding' / 'following'; null otherwise. */
  readonly offset: Expr | null;
  readonly loc: number;
}

export interface WindowFrame {
  readonly kind: 'WindowFrame';
  readonly mode: 'rows' | 'range' | 'groups';
  readonly start: FrameBound;
  /** null when written as a single bound (then the end is CURRENT ROW). */
  readonly end: FrameBound | null;
  readonly exclusion: 'no_others' | 'current_row' | 'group' | 'ties';
  readonly loc: number;
}

/**
 * Window specification. In `OVER w` only `refName` is set; in `OVER (w ORDER BY x)` refName names
 * the window being extended; in a WINDOW clause `name` is the defined name.
 */
export interface WindowDef {
  readonly kind: 'WindowDef';
  readonly name: string | null;
  readonly refName: string | null;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortBy[];
  readonly frame: WindowFrame | null;
  readonly loc: number;
}

export interface CaseWhen {
  readonly kind: 'CaseWhen';
  readonly condition: Expr;
  readonly result: Expr;
  readonly loc: number;
}

/** Simple CASE has `arg`; searched CASE has arg = null. */
export interface Case {
  readonly kind: 'Case';
  readonly arg: Expr | null;
  readonly whens: readonly CaseWhen[];
  readonly else: Expr | null;
  readonly loc: number;
}

/** CAST(x AS t) or x::t. */
export interface Cast {
  readonly kind: 'Cast';
  readonly expr: Expr;
  readonly type: TypeName;
  readonly syntax: 'cast' | 'colons';
  readonly loc: number;
}

export interface Collate {
  readonly kind: 'Collate';
  readonly expr: Expr;
  readonly collation: QualifiedName;
  readonly loc: number;
}

/** x AT TIME ZONE zone; zone = null for AT LOCAL. */
export interface AtTimeZone {
  readonly kind: 'AtTimeZone';
  readonly expr: Expr;
  readonly zone: Expr | null;
  readonly loc: number;
}

/**
 * Array subscript `a[i]` (slice = false, lower = i) or slice `a[l:u]` (either bound may be null:
 * `a[:2]`, `a[1:]`, `a[:]`).
 */
export interface Subscript {
  readonly kind: 'Subscript';
  readonly expr: Expr;
  readonly slice: boolean;
  readonly lower: Expr | null;
  readonly upper: Expr | null;
  readonly loc: number;
}

/** `(expr).field`; field = null for `(expr).*`. */
export interface FieldSelect {
  readonly kind: 'FieldSelect';
  readonly expr: Expr;
  readonly field: string | null;
  readonly loc: number;
}

/** ARRAY[...] or a nested `[...]` inside ARRAY[...]. */
export interface ArrayExpr {
  readonly kind: 'ArrayExpr';
  readonly elements: readonly Expr[];
  readonly loc: number;
}

/** ROW(a, b), (a, b), ROW(). `explicit` = written with ROW. */
export interface RowExpr {
  readonly kind: 'RowExpr';
  readonly fields: readonly Expr[];
  readonly explicit: boolean;
  readonly loc: number;
}

export interface Exists {
  readonly kind: 'Exists';
  readonly query: SelectQuery;
  readonly loc: number;
}

/** `(SELECT ...)` used as a value. */
export interface ScalarSubquery {
  readonly kind: 'ScalarSubquery';
  readonly query: SelectQuery;
  readonly loc: number;
}

/** ARRAY(SELECT ...). */
export interface ArraySubquery {
  readonly kind: 'ArraySubquery';
  readonly query: SelectQuery;
  readonly loc: number;
}

/** x [NOT] IN (SELECT ...). `arg` may be a RowExpr for `(a, b) IN (SELECT ...)`. */
export interface InSubquery {
  readonly kind: 'InSubquery';
  readonly negated: boolean;
  readonly arg: Expr;
  readonly query: SelectQuery;
  readonly loc: number;
}

/** x op ANY|SOME|ALL (SELECT ...). SOME is reported as 'any'. */
export interface QuantifiedSubquery {
  readonly kind: 'QuantifiedSubquery';
  readonly op: string;
  readonly quantifier: 'any' | 'all';
  readonly left: Expr;
  readonly query: SelectQuery;
  readonly loc: number;
}

/** x op ANY|SOME|ALL (array_expr). */
export interface QuantifiedArray {
  readonly kind: 'QuantifiedArray';
  readonly op: string;
  readonly quantifier: 'any' | 'all';
  readonly left: Expr;
  readonly array: Expr;
  readonly loc: number;
}

/** COALESCE / NULLIF / GREATEST / LEAST (own node: not ordinary functions). */
export interface ConditionalFunc {
  readonly kind: 'ConditionalFunc';
  readonly fn: 'coalesce' | 'nullif' | 'greatest' | 'least';
  readonly args: readonly Expr[];
  readonly loc: number;
}

export type SqlValueFuncName =
  | 'current_date' | 'current_time' | 'current_timestamp' | 'localtime' | 'localtimestamp'
  | 'current_user' | 'session_user' | 'user' | 'current_role' | 'current_schema'
  | 'current_catalog' | 'system_user';

/** Keyword-only niladic functions; `precision` for CURRENT_TIME(p) etc. */
export interface SqlValueFunc {
  readonly kind: 'SqlValueFunc';
  readonly fn: SqlValueFuncName;
  readonly precision: number | null;
  readonly loc: number;
}

/** DEFAULT as a value in INSERT ... VALUES or UPDATE ... SET. */
export interface DefaultExpr {
  readonly kind: 'DefaultExpr';
  readonly loc: number;
}

/** GROUPING(a, b, ...). */
export interface GroupingFunc {
  readonly kind: 'GroupingFunc';
  readonly args: readonly Expr[];
  readonly loc: number;
}

export type Literal =
  | IntegerLiteral | NumericLiteral | StringLiteral | BitStringLiteral | BooleanLiteral
  | NullLiteral | TypedLiteral;

export type Expr =
  | Literal
  | Param
  | ColumnRef
  | BinaryOp
  | UnaryOp
  | BoolOp
  | Not
  | IsTest
  | IsDistinctFrom
  | Between
  | InList
  | Like
  | NamedArg
  | FuncCall
  | Case
  | Cast
  | Collate
  | AtTimeZone
  | Subscript
  | FieldSelect
  | ArrayExpr
  | RowExpr
  | Exists
  | ScalarSubquery
  | ArraySubquery
  | InSubquery
  | QuantifiedSubquery
  | QuantifiedArray
  | ConditionalFunc
  | SqlValueFunc
  | DefaultExpr
  | GroupingFunc;

export type ExprKind = Expr['kind'];
