/**
 * pg_get_serial_sequence(table, column): the sequence behind a serial or identity column, as
 * schema-qualified text (NULL when the column has none). ORMs' introspection (Kysely, Prisma,
 * Rails) calls it to detect auto-increment columns.
 */
import { defineScalar, type EvalContext, type FunctionRegistry } from '../registry.ts';
import { DbError } from '../../errors/index.ts';
import { Types } from '../../types/sql-type.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { parseRelationName } from '../../plan/binder/bind-sequence.ts';
import { quoteIdent } from '../../catalog/system/sys-relation.ts';

function serialSequence(ctx: EvalContext, tableText: string, column: string): string | null {
  const catalog = ctx.catalog as Catalog | null;
  if (catalog === null) return null;
  const name = parseRelationName(tableText, 0);
  const rel = catalog.findRelation(name, ctx.searchPath);
  if (rel === undefined) throw new DbError('undefined_table', `relation "${tableText}" does not exist`);
  if (rel.kind !== 'table') return null;
  const col = rel.columns.find((c) => c.name === column);
  if (col === undefined) throw new DbError('undefined_column', `column "${column}" of relation "${rel.name}" does not exist`);
  if (col.sequence === null) return null;
  const dot = col.sequence.indexOf('.');
  const schema = dot < 0 ? rel.schema : col.sequence.slice(0, dot);
  const seq = dot < 0 ? col.sequence : col.sequence.slice(dot + 1);
  return `${quoteIdent(schema)}.${quoteIdent(seq)}`;
}

export function registerSerialFunctions(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'pg_get_serial_sequence', args: [Types.text, Types.text], returns: Types.text, volatility: 'stable',
    impl: ([t, c], ctx) => serialSequence(ctx, t as string, c as string),
  }));
}
