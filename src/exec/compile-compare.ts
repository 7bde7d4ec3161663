/**
 * Comparisons: the test each operator applies to a comparator's result, and the specialized form
 * of the usual filter, a column compared with a constant or a parameter. It reads both sides
 * inline and compares two plain numbers with the operator itself: every type stored as a JS
 * number orders numerically. Anything else (NaN included) goes to the type's comparator, as on
 * the general path. (One closure for a whole AND of such comparisons, looping over them, measured
 * slower than the AND of these closures, and was not kept.)
 */
import type { BoundExpr, Comparator, CompareOp } from '../plan/bound-expr.ts';
import type { Row } from '../storage/version.ts';
import type { ExecContext } from './exec-context.ts';

type Evaluator = (row: Row, ctx: ExecContext) => unknown;

const TRUE_CMP: Record<CompareOp, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '>=': (c) => c >= 0,
};

/** Whether a comparator result satisfies `op`. */
export function compareTest(op: CompareOp): (c: number) => boolean {
  return TRUE_CMP[op];
}

/** `column op constant` or `column op $n` of the current row. */
export interface ColumnCompare {
  readonly col: number;
  readonly op: CompareOp;
  readonly isConst: boolean;
  /** The constant (isConst), else null. */
  readonly value: unknown;
  /** The parameter's position (not isConst), else -1. */
  readonly param: number;
  readonly cmp: Comparator;
  readonly test: (c: number) => boolean;
}

/** The comparison as a ColumnCompare, or null when it is not of that form. */
export function columnCompareOf(e: BoundExpr): ColumnCompare | null {
  if (e.k !== 'cmp') return null;
  const { left, right } = e;
  if (left.k !== 'col' || left.levelsUp !== 0 || (right.k !== 'const' && right.k !== 'param')) return null;
  const isConst = right.k === 'const';
  return {
    col: left.index, op: e.op, isConst, value: isConst ? right.value : null, param: isConst ? -1 : right.index,
    cmp: e.cmp, test: TRUE_CMP[e.op],
  };
}

const LT = 0;
const LE = 1;
const GT = 2;
const GE = 3;
const EQ = 4;
const NE = 5;
const OP_CODE: Record<CompareOp, number> = { '<': LT, '<=': LE, '>': GT, '>=': GE, '=': EQ, '<>': NE };

/** `a op b` for two numbers, neither NaN. */
function numbersSatisfy(code: number, a: number, b: number): boolean {
  switch (code) {
    case LT: return a < b;
    case LE: return a <= b;
    case GT: return a > b;
    case GE: return a >= b;
    case EQ: return a === b;
    default: return a !== b;
  }
}

/** One comparison: true, false, or null (a NULL side). */
export function compileColumnCompare(c: ColumnCompare): Evaluator {
  const { col, isConst, value, param, cmp, test } = c;
  const code = OP_CODE[c.op];
  return (row, ctx) => {
    const a = row[col] ?? null;
    const b = isConst ? value : ctx.params[param] ?? null;
    if (a === null || b === null) return null;
    return typeof a === 'number' && typeof b === 'number' && a === a && b === b ? numbersSatisfy(code, a, b) : test(cmp(a, b));
  };
}
