/**
 * Describes a statement a routine prepared without running it: result fields and parameter types
 * (declared or inferred by binding), for HostPrepared.fields / paramTypes.
 */
import { DbError } from '../errors/index.ts';
import type { Statement } from '../sql/ast.ts';
import { Types, type SqlType } from '../types/sql-type.ts';
import type { FieldInfo } from '../scripting/language.ts';
import { BindContext } from '../plan/binder/bind-context.ts';
import type { Session } from '../engine/session.ts';
import { bindDmlStatement, bindQueryStatement } from '../engine/dml/with-clause.ts';
import type { StatementEnv } from '../engine/dml/statement-env.ts';
import { routineRegistry } from './user-registry.ts';

export function describeStatement(
  session: Session, stmt: Statement, declared: readonly SqlType[], paramNames: BindContext['paramNames'],
): { fields: FieldInfo[]; paramTypes: SqlType[] } {
  const catalog = session.catalog;
  const searchPath = session.searchPath();
  const paramTypes: (SqlType | null)[] = declared.slice();
  const bc = new BindContext({
    catalog, searchPath, registry: routineRegistry(session.db.registry, catalog, searchPath), paramTypes,
    types: session.typeContext(session.txn),
  });
  bc.paramNames = paramNames;
  const env: StatementEnv = {
    catalog, bc,
    get ctx(): never { throw new DbError('internal_error', 'describe does not execute'); },
    get writer(): never { throw new DbError('internal_error', 'describe does not execute'); },
  };
  let fields: FieldInfo[] = [];
  switch (stmt.kind) {
    case 'Select': case 'SetOperation': case 'Values':
      fields = (bindQueryStatement(stmt, env).columns ?? []).map((c) => ({ name: c.name, type: c.type }));
      break;
    case 'Insert': case 'Update': case 'Delete':
      fields = (bindDmlStatement(stmt, env).columns ?? []).map((c) => ({ name: c.name, type: c.type }));
      break;
    default:
      break;
  }
  return { fields, paramTypes: paramTypes.map((t) => t ?? Types.text) };
}
