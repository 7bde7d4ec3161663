/**
 * Composite values in expressions, as PostgreSQL's transformIndirection / ParseComplexProjection:
 * field selection `(expr).name`, `(expr).*` and whole-row references to a FROM item (`t`, `t.*` as
 * a value). As there, a field of a composite column needs the parentheses: `c.f` means column f of
 * FROM item c. A composite's fields come from its
 * type's RowShape (ROW(...), a table's row, a function's OUT parameters / RETURNS TABLE), which
 * travels through subqueries with the column type.
 */
import { DbError } from '../../errors/index.ts';
import type { FieldSelect } from '../../sql/ast.ts';
import { formatType, Oid, recordType, type SqlType } from '../../types/sql-type.ts';
import type { BoundExpr } from '../bound-expr.ts';
import type { BindContext, QueryState } from './bind-context.ts';
import { bindExpr } from './bind-expr.ts';
import { useAllColumns, type Scope } from './scope.ts';

/** Whole-row references and the FROM-item alias they name (PostgreSQL's "column t.x" messages). */
const wholeRowAlias = new WeakMap<BoundExpr, string>();

/**
 * `t` (or `s.t`) naming a FROM item rather than a column: the item's row as a composite value,
 * read from the innermost scope that has the item. Null when no scope has it.
 */
export function bindWholeRow(scope: Scope | null, names: readonly string[]): BoundExpr | null {
  let levelsUp = 0;
  for (let s = scope; s !== null; s = s.parent, levelsUp++) {
    const entry = s.findEntry(names);
    if (entry === undefined) continue;
    useAllColumns(entry);
    const args: BoundExpr[] = entry.columns.map((c) => ({ k: 'col', type: c.type, index: c.index, levelsUp }));
    const type = recordType(entry.columns.map((c) => ({ name: c.name, type: c.type })), entry.table?.name ?? null);
    const e: BoundExpr = { k: 'row', type, args };
    wholeRowAlias.set(e, entry.alias);
    return e;
  }
  return null;
}

/** `(expr).name`; `(expr).*` outside a select list is the composite itself. */
export function bindFieldSelect(ast: FieldSelect, scope: Scope | null, bc: BindContext, qs: QueryState): BoundExpr {
  const arg = bindExpr(ast.expr, scope, bc, qs);
  if (ast.field === null) {
    fieldsOf(arg);
    return arg;
  }
  return selectField(arg, ast.field, ast.loc);
}

/** The columns `(expr).*` expands to in a select list: one per field, named after it. */
export function expandFieldStar(ast: FieldSelect, scope: Scope | null, bc: BindContext, qs: QueryState): { name: string; expr: BoundExpr }[] {
  const arg = bindExpr(ast.expr, scope, bc, qs);
  return fieldsOf(arg).map((f, i) => ({ name: f.name, expr: fieldOf(arg, i, f.type) }));
}

function selectField(arg: BoundExpr, name: string, loc: number): BoundExpr {
  const row = arg.type.row;
  const i = row?.fields.findIndex((f) => f.name === name) ?? -1;
  if (i >= 0) return fieldOf(arg, i, row!.fields[i]!.type);
  const alias = wholeRowAlias.get(arg);
  if (alias !== undefined) {
    throw new DbError('undefined_column', `column ${alias}.${name} does not exist`, { position: loc + 1 });
  }
  if (row?.relName) {
    throw new DbError('undefined_column', `column "${name}" not found in data type ${row.relName}`, { position: loc + 1 });
  }
  if (arg.type.oid === Oid.record) {
    throw new DbError('undefined_column', `could not identify column "${name}" in record data type`, { position: loc + 1 });
  }
  throw new DbError('wrong_object_type',
    `column notation .${name} applied to type ${formatType(arg.type)}, which is not a composite type`, { position: loc + 1 });
}

/** PostgreSQL raises these from the type cache, without a position. */
function fieldsOf(arg: BoundExpr): readonly { name: string; type: SqlType }[] {
  if (arg.type.row !== undefined) return arg.type.row.fields;
  if (arg.type.oid === Oid.record) throw new DbError('wrong_object_type', 'record type has not been registered');
  throw new DbError('wrong_object_type', `type ${formatType(arg.type)} is not composite`);
}

/** A field of a ROW(...) / whole-row expression is its argument itself (plain column reads). */
function fieldOf(arg: BoundExpr, i: number, type: SqlType): BoundExpr {
  if (arg.k === 'row') return arg.args[i]!;
  return { k: 'field', type, arg, index: i };
}
