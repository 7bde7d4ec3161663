/**
 * Describe without executing: the parameter types and result columns of a parsed statement, for
 * the extended protocol's Describe (statement) and for decoding binary parameters whose types
 * the client left unspecified at Parse.
 *
 * The engine has no bind-only entry point yet (reported to the engine owner: a
 * `Session.describe(stmt, paramTypes) -> { paramTypes, columns }` would replace this file).
 * Until then:
 * - queries (SELECT / VALUES / set operations) are bound with the binder, which infers `$n`;
 * - INSERT / UPDATE / DELETE bind every expression before their first use of the execution
 *   context (a documented invariant of src/engine/dml), so they run against an environment whose
 *   execution context throws a sentinel: binding completes, nothing executes;
 * - RETURNING columns are the columns of `SELECT <returning list> FROM <target>, <from items>`.
 * Everything else describes as no parameters beyond the declared ones and no rows, except SHOW
 * (one text column).
 *
 * Invariant: nothing here writes — no transaction is started and no row is touched.
 */
import type { Statement } from '../../sql/ast.ts';
import type { SelectStmt, TableRef } from '../../sql/ast/select.ts';
import type { Session } from '../../engine/session.ts';
import type { OutputColumn } from '../../plan/plan-nodes.ts';
import { typeOf, Oid, type SqlType } from '../../types/sql-type.ts';
import { BindContext } from '../../plan/binder/bind-context.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { runInsert } from '../../engine/dml/insert.ts';
import { runDelete, runUpdate } from '../../engine/dml/update-delete.ts';
import type { StatementEnv } from '../../engine/dml/statement-env.ts';

export interface StatementShape {
  /** One entry per `$n` (declared or inferred); null where nothing determines the type. */
  readonly paramTypes: readonly (SqlType | null)[];
  /** Result columns, or null when the statement returns no rows. */
  readonly columns: readonly OutputColumn[] | null;
}

const DESCRIBE_DONE = Symbol('describe-done');

/** Kinds whose result rows are known only by running them (SHOW, EXPLAIN, EXECUTE). */
export function returnsRows(stmt: Statement): boolean {
  switch (stmt.kind) {
    case 'Select':
      return stmt.into === null;
    case 'Values': case 'SetOperation': case 'Show': case 'Explain': case 'Execute':
      return true;
    case 'Insert': case 'Update': case 'Delete':
      return stmt.returning.length > 0;
    case 'Fetch':
      return !stmt.move;
    default:
      return false;
  }
}

function bindContext(session: Session, declared: readonly (SqlType | null)[]): BindContext {
  return new BindContext({
    catalog: session.catalog, searchPath: session.searchPath(), registry: session.db.registry,
    paramTypes: declared.slice(), types: session.typeContext(session.txn),
  });
}

export function describeStatement(session: Session, stmt: Statement, declared: readonly (SqlType | null)[]): StatementShape {
  switch (stmt.kind) {
    case 'Select': case 'Values': case 'SetOperation': {
      const bc = bindContext(session, declared);
      const q = bindQuery(stmt, new Scope(null), bc);
      return { paramTypes: countParams(bc.paramTypes, stmt), columns: stmt.kind === 'Select' && stmt.into !== null ? null : q.columns };
    }
    case 'Insert': case 'Update': case 'Delete':
      return describeDml(session, stmt, declared);
    case 'Show':
      return { paramTypes: declared, columns: [{ name: stmt.name ?? 'setting', type: typeOf(Oid.text) }] };
    default:
      return { paramTypes: declared, columns: null };
  }
}

function describeDml(
  session: Session, stmt: Extract<Statement, { kind: 'Insert' | 'Update' | 'Delete' }>,
  declared: readonly (SqlType | null)[],
): StatementShape {
  const bc = bindContext(session, declared);
  const catalog = session.catalog;
  const env: StatementEnv = {
    catalog, bc,
    get ctx(): never { throw DESCRIBE_DONE; },
    get writer(): never { throw DESCRIBE_DONE; },
  };
  try {
    if (stmt.kind === 'Insert') runInsert(stmt, env);
    else if (stmt.kind === 'Update') runUpdate(stmt, env);
    else runDelete(stmt, env);
  } catch (e) {
    if (e !== DESCRIBE_DONE) throw e;
  }
  let columns: readonly OutputColumn[] | null = null;
  if (stmt.returning.length > 0) {
    const target: TableRef = {
      kind: 'RangeVar', name: stmt.table, only: false, asOf: null, loc: stmt.loc,
      alias: stmt.alias === null ? null : { kind: 'Alias', name: stmt.alias, columns: null, loc: stmt.loc },
    };
    const extra = stmt.kind === 'Update' ? stmt.from : stmt.kind === 'Delete' ? stmt.using : [];
    const select: SelectStmt = {
      kind: 'Select', distinct: false, distinctOn: null, targets: stmt.returning, into: null,
      from: [target, ...extra], where: null, groupBy: [], groupByDistinct: false, having: null, windows: [],
      with: null, orderBy: [], limit: null, limitWithTies: false, offset: null, locking: [], loc: stmt.loc,
    };
    const rbc = bindContext(session, bc.paramTypes);
    columns = bindQuery(select, new Scope(null), rbc).columns;
    for (let i = 0; i < rbc.paramTypes.length; i++) {
      if (bc.paramTypes[i] == null) bc.paramTypes[i] = rbc.paramTypes[i] ?? null;
    }
  }
  return { paramTypes: bc.paramTypes, columns };
}

/** The binder may leave trailing slots unset for `$n` it never saw typed; keep the array dense. */
function countParams(types: readonly (SqlType | null)[], stmt: Statement): (SqlType | null)[] {
  void stmt;
  const out: (SqlType | null)[] = [];
  for (let i = 0; i < types.length; i++) out.push(types[i] ?? null);
  return out;
}
