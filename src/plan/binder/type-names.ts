/**
 * Resolves AST type names to SqlTypes, applying type modifiers and array dimensions, with
 * PostgreSQL's errors for unknown types and bad modifiers.
 */
import { DbError } from '../../errors/index.ts';
import type { TypeName } from '../../sql/ast.ts';
import { allTypeInfos, arrayOf, numericTypmod, Oid, typeOf, withTypmod, type SqlType } from '../../types/sql-type.ts';

const byTypname = new Map<string, number>();
for (const info of allTypeInfos()) byTypname.set(info.typname, info.oid);
// Spellings that reach the binder unnormalized (schema-qualified or quoted names).
byTypname.set('int', Oid.int4);
byTypname.set('integer', Oid.int4);
byTypname.set('smallint', Oid.int2);
byTypname.set('bigint', Oid.int8);
byTypname.set('boolean', Oid.bool);
byTypname.set('real', Oid.float4);
byTypname.set('decimal', Oid.numeric);
byTypname.set('character', Oid.bpchar);
byTypname.set('string', Oid.text);

export const SERIAL_TYPES: Record<string, SqlType> = {
  serial: typeOf(Oid.int4),
  serial4: typeOf(Oid.int4),
  bigserial: typeOf(Oid.int8),
  serial8: typeOf(Oid.int8),
  smallserial: typeOf(Oid.int2),
  serial2: typeOf(Oid.int2),
};

export function resolveTypeName(t: TypeName): SqlType {
  if (t.schema !== null && t.schema !== 'pg_catalog') {
    throw new DbError('undefined_object', `type "${t.schema}.${t.name}" does not exist`, { position: t.loc + 1 });
  }
  const oid = byTypname.get(t.name);
  if (oid === undefined) {
    throw new DbError('undefined_object', `type "${t.name}" does not exist`, { position: t.loc + 1 });
  }
  let type = withTypmod(typeOf(oid), typmodFor(oid, t));
  for (let i = 0; i < t.arrayDims; i++) type = arrayOf(type);
  return type;
}

function typmodFor(oid: number, t: TypeName): number {
  const m = t.modifiers;
  if (m.length === 0) return -1;
  const bad = (msg: string): never => {
    throw new DbError('invalid_parameter_value', msg, { position: t.loc + 1 });
  };
  switch (oid) {
    case Oid.varchar:
    case Oid.bpchar: {
      const n = m[0]!;
      if (m.length > 1) bad(`invalid type modifier`);
      if (n < 1) bad(`length for type ${oid === Oid.varchar ? 'varchar' : 'char'} must be at least 1`);
      if (n > 10485760) bad(`length for type ${oid === Oid.varchar ? 'varchar' : 'char'} cannot exceed 10485760`);
      return n;
    }
    case Oid.numeric: {
      const p = m[0]!;
      const s = m[1] ?? 0;
      if (p < 1 || p > 1000) bad(`NUMERIC precision ${p} must be between 1 and 1000`);
      if (s < -1000 || s > 1000) bad(`NUMERIC scale ${s} must be between -1000 and 1000`);
      return numericTypmod(p, s);
    }
    case Oid.time:
    case Oid.timetz:
    case Oid.timestamp:
    case Oid.timestamptz:
    case Oid.interval: {
      const p = m[m.length - 1]!;
      if (p < 0) bad(`TIMESTAMP(${p}) precision must not be negative`);
      return Math.min(p, 6);
    }
    default:
      return bad(`type modifier is not allowed for type "${t.name}"`);
  }
}
