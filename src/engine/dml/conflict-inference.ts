/**
 * ON CONFLICT (...) [WHERE ...] arbiter inference, as PostgreSQL's infer_arbiter_indexes: the
 * unique index whose key parts are exactly the given columns and expressions (in any order), and,
 * for a partial index, whose predicate the inference WHERE clause implies (it repeats each of the
 * predicate's conjuncts). Expressions match structurally (`ON CONFLICT (lower(email))`).
 */
import { DbError } from '../../errors/index.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { IndexDef, StoredExpr, TableDef } from '../../catalog/objects.ts';
import type { ConflictTarget } from '../../sql/ast.ts';
import { bindIndexShape, indexShape } from '../../plan/binder/index-shape.ts';
import { sameExpr } from '../../plan/binder/index-conds.ts';
import { conjuncts } from '../../plan/expr-rewrite.ts';

export function inferArbiter(catalog: Catalog, table: TableDef, target: ConflictTarget, loc: number): IndexDef {
  const keys: (number | StoredExpr)[] = target.elements.map((el) => {
    if (el.expr !== null) return { text: el.source?.text ?? '', expr: el.expr };
    const c = table.columns.find((x) => x.name === el.column);
    if (!c) throw new DbError('undefined_column', `column "${el.column ?? '?'}" does not exist`, { position: el.loc + 1 });
    return c.attnum;
  });
  const where: StoredExpr | null = target.where === null ? null : { text: '', expr: target.where };
  const wanted = bindIndexShape(catalog, table, keys, [], where);
  const given = wanted.predicate === null ? [] : conjuncts(wanted.predicate);
  for (const index of table.indexes) {
    if (!index.unique) continue;
    const shape = indexShape(index);
    if (shape === null || shape.keys.length !== wanted.keys.length) continue;
    if (!shape.keys.every((k) => wanted.keys.some((w) => sameExpr(k, w)))) continue;
    if (!wanted.keys.every((w) => shape.keys.some((k) => sameExpr(k, w)))) continue;
    if (shape.predicate !== null && !conjuncts(shape.predicate).every((p) => given.some((g) => sameExpr(g, p)))) continue;
    return index;
  }
  throw new DbError('invalid_column_reference', 'there is no unique or exclusion constraint matching the ON CONFLICT specification', { position: loc + 1 });
}
