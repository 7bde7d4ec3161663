/**
 * INSERT / UPDATE / DELETE on a view with INSTEAD OF triggers: instead of writing, each affected
 * view row goes to the trigger (NEW for INSERT, OLD and NEW for UPDATE, OLD for DELETE); a
 * trigger returning NULL means "not done" and the row is not counted (PostgreSQL's rules).
 *
 * The rows come from ordinary queries built from the statement: INSERT's source as a query over
 * the view's columns, UPDATE as `SELECT v.*, <SET values> FROM view v [FROM ...] WHERE ...`,
 * DELETE as `SELECT v.* FROM view v [USING ...] WHERE ...`, so the binder does all the work.
 */
import { DbError } from '../../errors/index.ts';
import type { DeleteStmt, Expr, InsertStmt, ResTarget, SelectQuery, TableRef, UpdateStmt } from '../../sql/ast.ts';
import type { ViewDef } from '../../catalog/objects.ts';
import { tableTriggers } from '../../catalog/routines.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { executeAll } from '../../exec/executor.ts';
import { findCast } from '../../types/cast.ts';
import { formatType } from '../../types/sql-type.ts';
import type { Row } from '../../storage/version.ts';
import { resultOf, type BoundStatement, type StatementEnv } from './statement-env.ts';
import { newRow } from '../../exec/new-row.ts';

type Op = 'insert' | 'update' | 'delete';

/** Does `view` have an enabled INSTEAD OF trigger for `op`? */
export function hasInsteadOf(catalog: Catalog, view: ViewDef, op: Op): boolean {
  if (catalog.triggers.size === 0) return false;
  return tableTriggers(catalog, view.oid).some((t) => t.enabled && t.timing === 'instead_of' && t.events.includes(op));
}

function noReturning(returning: readonly ResTarget[], loc: number): void {
  if (returning.length > 0) {
    throw new DbError('feature_not_supported', 'RETURNING with INSTEAD OF triggers is not supported yet', { position: loc + 1 });
  }
}

function select(targets: ResTarget[], from: TableRef[], where: Expr | null, loc: number): SelectQuery {
  return {
    kind: 'Select', with: null, orderBy: [], limit: null, limitWithTies: false, offset: null, locking: [],
    distinct: false, distinctOn: null, targets, into: null, from, where, groupBy: [], groupByDistinct: false,
    having: null, windows: [], loc,
  } as SelectQuery;
}

function viewRef(view: ViewDef, alias: string | null, loc: number): TableRef {
  return {
    kind: 'RangeVar', name: { kind: 'ObjectName', schema: view.schema, name: view.name, loc } as never, only: false, asOf: null,
    alias: alias === null ? null : { kind: 'Alias', name: alias, columns: null, loc }, loc,
  } as TableRef;
}

function star(alias: string, loc: number): ResTarget {
  return { kind: 'ResTarget', expr: { kind: 'ColumnRef', names: [alias], star: true, loc } as Expr, alias: null, loc };
}

export function bindInsteadOfInsert(stmt: InsertStmt, view: ViewDef, env: StatementEnv): BoundStatement {
  noReturning(stmt.returning, stmt.loc);
  if (stmt.onConflict) throw new DbError('feature_not_supported', 'ON CONFLICT with INSTEAD OF triggers is not supported', { position: stmt.loc + 1 });
  const positions = stmt.columns.length === 0 ? view.columns.map((_c, i) => i) : stmt.columns.map((t) => {
    const i = view.columns.findIndex((c) => c.name === t.name);
    if (i < 0) throw new DbError('undefined_column', `column "${t.name}" of relation "${view.name}" does not exist`, { position: t.loc + 1 });
    return i;
  });
  const src = stmt.source;
  const q = src === null ? null : bindQuery(src, new Scope(null), env.bc, { unknownAs: positions.map((p) => view.columns[p]!.type) });
  if (q !== null && q.columns.length > positions.length) {
    throw new DbError('syntax_error', 'INSERT has more expressions than target columns', { position: (src?.loc ?? stmt.loc) + 1 });
  }
  const casts = (q?.columns ?? []).map((c, i) => {
    const to = view.columns[positions[i]!]!.type;
    const f = findCast(c.type, to, 'assignment');
    if (f === null) {
      throw new DbError('datatype_mismatch', `column "${view.columns[positions[i]!]!.name}" is of type ${formatType(to)} but expression is of type ${formatType(c.type)}`);
    }
    return f;
  });
  return {
    columns: null,
    run: () => {
      const { ctx, writer } = env;
      const trg = writer.triggers(view)!;
      const rows = q === null ? [[]] : executeAll(q.plan, ctx);
      let count = 0;
      for (const r of rows) {
        const row: Row = newRow(view.columns.length);
        r.forEach((v, i) => { row[positions[i]!] = v === null ? null : casts[i]!(v, ctx.types); });
        if (trg.fireBeforeRow('instead_of', 'insert', null, row, ctx) !== null) count++;
      }
      return resultOf('INSERT', count, null, null, `INSERT 0 ${count}`);
    },
  };
}

export function bindInsteadOfUpdate(stmt: UpdateStmt, view: ViewDef, env: StatementEnv): BoundStatement {
  noReturning(stmt.returning, stmt.loc);
  const alias = stmt.alias ?? view.name;
  const targets: ResTarget[] = [star(alias, stmt.loc)];
  const setPositions: number[] = [];
  for (const s of stmt.set) {
    if (s.multi || s.targets.length !== 1 || s.targets[0]!.indirection.length > 0) {
      throw new DbError('feature_not_supported', 'only simple SET col = expr is supported with INSTEAD OF triggers', { position: s.loc + 1 });
    }
    const name = s.targets[0]!.name;
    const i = view.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new DbError('undefined_column', `column "${name}" of relation "${view.name}" does not exist`, { position: s.loc + 1 });
    setPositions.push(i);
    targets.push({ kind: 'ResTarget', expr: s.value, alias: null, loc: s.loc });
  }
  const width = view.columns.length;
  const unknownAs = [...view.columns.map((c) => c.type), ...setPositions.map((p) => view.columns[p]!.type)];
  const q = bindQuery(select(targets, [viewRef(view, stmt.alias, stmt.loc), ...stmt.from], stmt.where, stmt.loc), new Scope(null), env.bc, { unknownAs });
  const casts = setPositions.map((p, i) => {
    const from = q.columns[width + i]!.type;
    const to = view.columns[p]!.type;
    const f = findCast(from, to, 'assignment');
    if (f === null) {
      throw new DbError('datatype_mismatch', `column "${view.columns[p]!.name}" is of type ${formatType(to)} but expression is of type ${formatType(from)}`,
        { position: stmt.set[i]!.loc + 1 });
    }
    return f;
  });
  return {
    columns: null,
    run: () => {
      const { ctx, writer } = env;
      const trg = writer.triggers(view)!;
      let count = 0;
      for (const r of executeAll(q.plan, ctx)) {
        const oldRow = r.slice(0, width);
        const newRow = oldRow.slice();
        setPositions.forEach((p, i) => {
          const v = r[width + i] ?? null;
          newRow[p] = v === null ? null : casts[i]!(v, ctx.types);
        });
        if (trg.fireBeforeRow('instead_of', 'update', oldRow, newRow, ctx) !== null) count++;
      }
      return resultOf('UPDATE', count, null, null, `UPDATE ${count}`);
    },
  };
}

export function bindInsteadOfDelete(stmt: DeleteStmt, view: ViewDef, env: StatementEnv): BoundStatement {
  noReturning(stmt.returning, stmt.loc);
  const alias = stmt.alias ?? view.name;
  const q = bindQuery(select([star(alias, stmt.loc)], [viewRef(view, stmt.alias, stmt.loc), ...stmt.using], stmt.where, stmt.loc),
    new Scope(null), env.bc);
  const width = view.columns.length;
  return {
    columns: null,
    run: () => {
      const { ctx, writer } = env;
      const trg = writer.triggers(view)!;
      let count = 0;
      for (const r of executeAll(q.plan, ctx)) {
        if (trg.fireBeforeRow('instead_of', 'delete', r.slice(0, width), null, ctx) !== null) count++;
      }
      return resultOf('DELETE', count, null, null, `DELETE ${count}`);
    },
  };
}
