/**
 * Deparser: bound expressions back to SQL text, the way PostgreSQL's ruleutils prints them in
 * EXPLAIN (operators and comparisons fully parenthesized, `(x)::type` casts, `'lit'::type`
 * constants of non-numeric types, `$n` parameters). Column references are named by the caller
 * (`ColumnNames`), since a position only means something relative to a plan node's input; the
 * helpers here name the output columns of plan nodes by deparsing the expression each column
 * carries (a Project's expressions, an Aggregate's keys and calls, a join's two sides), down to
 * the scans, whose columns are `alias.column` (qualified only when the plan reads more than one
 * relation, as PostgreSQL does).
 *
 * Deparsing is for display only: the output is not guaranteed to re-parse to the same plan.
 */
import type { BoundAggregate, BoundExpr, BoundSortKey } from './bound-expr.ts';
import { planInputs } from './plan-walk.ts';
import type { PlanNode } from './plan-nodes.ts';
import { formatType, Oid, type SqlType } from '../types/sql-type.ts';
import { outputFunction } from '../types/text-io.ts';
import { defaultTypeContext } from '../types/context.ts';

/** Names a level-0 column position of the row an expression is evaluated on. */
export type ColumnNames = ((index: number) => string) & {
  /** Names of enclosing rows' columns (a LATERAL inner side reading its outer row), if known. */
  outer?: (levelsUp: number, index: number) => string | null;
};

const OPERATOR_NAME = /^[+\-*/<>=~!@#%^&|`?]+$/;
const NUMERIC_OIDS = new Set<number>([Oid.int2, Oid.int4, Oid.int8, Oid.float4, Oid.float8, Oid.numeric]);

function constText(type: SqlType, value: unknown): string {
  if (value === null) return type.oid === Oid.unknown ? 'NULL' : `NULL::${formatType(type)}`;
  let text: string;
  try {
    text = outputFunction(type)(value, defaultTypeContext);
  } catch {
    text = String(value);
  }
  if (type.oid === Oid.bool) return text === 't' ? 'true' : 'false';
  if (NUMERIC_OIDS.has(type.oid)) {
    // Like PostgreSQL: plain int4 / numeric literals bare, everything else (negative values,
    // other numeric types) as a quoted literal with a cast.
    // int8 constants within int4 range are shown bare too: the binder widens `count(*) > 1`'s 1 to
    // int8, where PostgreSQL keeps an int4 constant under a cross-type operator.
    const small = type.oid === Oid.int8 && typeof value === 'number' && Math.abs(value) <= 2147483647;
    const bare = (type.oid === Oid.int4 || type.oid === Oid.numeric || small) && /^[0-9.]+$/.test(text);
    return bare ? text : `'${text}'::${formatType(type)}`;
  }
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return type.oid === Oid.unknown ? quoted : `${quoted}::${formatType(type)}`;
}

export function deparseExpr(e: BoundExpr, col: ColumnNames): string {
  const d = (x: BoundExpr): string => deparseExpr(x, col);
  switch (e.k) {
    case 'const': return constText(e.type, e.value);
    case 'param': return `$${e.index + 1}`;
    case 'col': return e.levelsUp === 0 ? col(e.index) : (col.outer?.(e.levelsUp, e.index) ?? `$outer${e.levelsUp}.${e.index + 1}`);
    case 'aggref': return `agg${e.index}`;
    case 'call': {
      const name = e.fn.name;
      if (OPERATOR_NAME.test(name)) {
        if (e.args.length === 2) return `(${d(e.args[0]!)} ${name} ${d(e.args[1]!)})`;
        if (e.args.length === 1) return `(${name} ${d(e.args[0]!)})`;
      }
      return `${name}(${e.args.map(d).join(', ')})`;
    }
    case 'cast': return `(${d(e.arg)})::${formatType(e.type)}`;
    case 'cmp': return `(${d(e.left)} ${e.op} ${d(e.right)})`;
    case 'and': case 'or': return `(${e.args.map(d).join(e.k === 'and' ? ' AND ' : ' OR ')})`;
    case 'not': return `(NOT ${d(e.arg)})`;
    case 'istest': {
      const what = e.test === 'null' ? 'NULL' : e.test.toUpperCase();
      return `(${d(e.arg)} IS ${e.negated ? 'NOT ' : ''}${what})`;
    }
    case 'distinct': return `(${d(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${d(e.right)})`;
    case 'case':
      return `CASE${e.whens.map((w) => ` WHEN ${d(w.cond)} THEN ${d(w.result)}`).join('')} ELSE ${d(e.else)} END`;
    case 'coalesce': return `COALESCE(${e.args.map(d).join(', ')})`;
    case 'nullif': return `NULLIF(${d(e.left)}, ${d(e.right)})`;
    case 'minmax': return `${e.greatest ? 'GREATEST' : 'LEAST'}(${e.args.map(d).join(', ')})`;
    case 'inlist': return `(${d(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} (${e.list.map(d).join(', ')}))`;
    case 'subquery': {
      const left = e.left ? (e.left.length === 1 ? d(e.left[0]!) : `ROW(${e.left.map(d).join(', ')})`) : '';
      switch (e.mode) {
        case 'exists': return `${e.negated ? 'NOT ' : ''}(SubPlan)`;
        case 'in': return `(${e.negated ? 'NOT ' : ''}(${left} IN (SubPlan)))`;
        case 'any': case 'all': return `(${left} ${e.op ?? '='} ${e.mode.toUpperCase()} (SubPlan))`;
        default: return '(SubPlan)';
      }
    }
    case 'quantarray': return `(${d(e.left)} ${e.op} ${e.all ? 'ALL' : 'ANY'} (${d(e.array)}))`;
    case 'row': return `ROW(${e.args.map(d).join(', ')})`;
    case 'field': {
      const name = e.arg.type.row?.fields[e.index]?.name ?? `f${e.index + 1}`;
      return `(${d(e.arg)}).${name}`;
    }
    case 'array': return `ARRAY[${e.elems.map(d).join(', ')}]`;
    case 'subscript': {
      const idx = e.slice ? `${e.lower ? d(e.lower) : ''}:${e.upper ? d(e.upper) : ''}` : (e.lower ? d(e.lower) : '');
      return `${d(e.arg)}[${idx}]`;
    }
    case 'runtime': return `${e.name}(${e.args.map(d).join(', ')})`;
    case 'srf': return `${e.fn.name}(${e.args.map(d).join(', ')})`;
    case 'grouping': return `GROUPING(${e.args.map(d).join(', ')})`;
  }
}

export function deparseAggregate(a: BoundAggregate, col: ColumnNames): string {
  const d = (x: BoundExpr): string => deparseExpr(x, col);
  const args = a.args.length === 0 && a.def.name === 'count' ? '*' : a.args.map(d).join(', ');
  const order = a.orderBy.length > 0 ? ` ORDER BY ${a.orderBy.map((k) => deparseSortKey(k, col)).join(', ')}` : '';
  const filter = a.filter ? ` FILTER (WHERE ${d(a.filter)})` : '';
  return `${a.def.name}(${a.distinct ? 'DISTINCT ' : ''}${args}${order})${filter}`;
}

/** `expr [DESC] [NULLS FIRST|LAST]`, mentioning NULLS only when it is not the default. */
export function deparseSortKey(k: BoundSortKey, col: ColumnNames): string {
  let s = deparseExpr(k.expr, col);
  if (k.desc) s += ' DESC';
  if (k.nullsFirst !== k.desc) s += k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return s;
}

/** Naming of plan-node columns for one plan tree. */
export class PlanNamer {
  /** Qualify scan columns with their relation alias (more than one relation in the plan). */
  readonly qualify: boolean;

  /** For nodes inside LATERAL inner sides: the enclosing outer rows' names, innermost first. */
  private readonly outerOf = new Map<PlanNode, ((i: number) => string)[]>();

  constructor(root: PlanNode) {
    this.qualify = countRelations(root) > 1;
    this.noteOuters(root, []);
  }

  private noteOuters(p: PlanNode, stack: ((i: number) => string)[]): void {
    if (stack.length > 0) this.outerOf.set(p, stack);
    if (p.node === 'NestedLoopJoin' && p.lateral) {
      this.noteOuters(p.left, stack);
      const left = p.left;
      this.noteOuters(p.right, [(i) => this.outputName(left, i), ...stack]);
      return;
    }
    for (const c of planInputs(p)) this.noteOuters(c, stack);
  }

  /** Names of the positions of `p`'s own input row (what its expressions read). */
  inputNames(p: PlanNode): ColumnNames {
    const names: ColumnNames = this.ownInputNames(p);
    const stack = this.outerOf.get(p);
    if (stack !== undefined) names.outer = (levelsUp, i) => stack[levelsUp - 1]?.(i) ?? null;
    return names;
  }

  private ownInputNames(p: PlanNode): ColumnNames {
    switch (p.node) {
      case 'SeqScan': case 'IndexScan':
        return (i) => this.scanColumn(p, i);
      case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': {
        const w = p.left.columns.length;
        return (i) => (i < w ? this.outputName(p.left, i) : this.outputName(p.right, i - w));
      }
      case 'Filter': case 'Project': case 'Aggregate': case 'Sort': case 'Limit': case 'Distinct':
      case 'Window': case 'Materialize':
        return (i) => this.outputName(p.input, i);
      default:
        return (i) => p.columns[i]?.name ?? `column${i + 1}`;
    }
  }

  /** The name (deparsed expression) of output column `i` of `p`. */
  outputName(p: PlanNode, i: number): string {
    switch (p.node) {
      case 'SeqScan': case 'IndexScan':
        return this.scanColumn(p, i);
      case 'Project': {
        const e = p.exprs[i];
        return e ? deparseExpr(e, this.inputNames(p)) : '?';
      }
      case 'Aggregate': {
        const names = this.inputNames(p);
        const n = p.groupKeys.length;
        if (i < n) return deparseExpr(p.groupKeys[i]!, names);
        const a = p.aggregates[i - n];
        return a ? deparseAggregate(a, names) : 'GROUPING';
      }
      case 'Window': {
        const w = p.input.columns.length;
        if (i < w) return this.outputName(p.input, i);
        const f = p.functions[i - w];
        return f ? `${f.name}(${f.args.map((x) => deparseExpr(x, this.inputNames(p))).join(', ')}) OVER (?)` : '?';
      }
      case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin':
        return this.inputNames(p)(i);
      case 'Filter': case 'Sort': case 'Limit': case 'Distinct':
        return this.outputName(p.input, i);
      default:
        return p.columns[i]?.name ?? `column${i + 1}`;
    }
  }

  private scanColumn(p: Extract<PlanNode, { node: 'SeqScan' | 'IndexScan' }>, i: number): string {
    const name = p.columns[i]?.name ?? `column${i + 1}`;
    return this.qualify ? `${p.alias}.${name}` : name;
  }
}

function countRelations(p: PlanNode): number {
  switch (p.node) {
    case 'SeqScan': case 'IndexScan': case 'FunctionScan': case 'Values': case 'Materialize':
      return 1;
    case 'Filter': case 'Project': case 'Aggregate': case 'Sort': case 'Limit': case 'Distinct': case 'Window':
      return countRelations(p.input);
    case 'NestedLoopJoin': case 'HashJoin': case 'MergeJoin': case 'SetOp':
      return countRelations(p.left) + countRelations(p.right);
    case 'RecursiveUnion':
      return countRelations(p.base) + countRelations(p.recursive);
    default:
      return 0;
  }
}
