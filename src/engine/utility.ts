/**
 * Utility statements: SET / SHOW / RESET, SET TRANSACTION, PREPARE / DEALLOCATE, VACUUM,
 * ANALYZE, CHECKPOINT, and clear "not supported yet" errors for statements whose layers arrive
 * with later issues (roles and privileges, routines and triggers, COPY, LISTEN / NOTIFY).
 */
import { DbError } from '../errors/index.ts';
import type { Statement } from '../sql/ast.ts';
import { Types } from '../types/sql-type.ts';
import { resolveTypeName } from '../plan/binder/type-names.ts';
import { vacuumTable } from '../storage/vacuum.ts';
import { analyzeTargets } from './analyze.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';
import { SETTINGS, settingDef, unknownSetting, isCustomSetting } from './settings.ts';
import type { StatementContext } from './statement-exec.ts';
import { Limits } from '../limits.ts';
import type { TableDef } from '../catalog/objects.ts';
import { hasOwnership } from '../auth/privileges.ts';
import { AUTH_UTILITY_KINDS, runAuthUtility, runSetAuthorization } from '../auth/auth-exec.ts';

export const UTILITY_KINDS = new Set<Statement['kind']>([
  'Set', 'Show', 'Reset', 'SetTransaction', 'Prepare', 'Deallocate', 'Vacuum', 'Analyze', 'Checkpoint',
  'CreateRole', 'AlterRole', 'DropRole', 'Grant', 'GrantRole', 'CreateFunction', 'CreateTrigger', 'Do', 'Call',
  'Copy', 'Listen', 'Unlisten', 'Notify', 'DropFunction', 'DropTrigger', 'CreateMaterializedView',
  'RefreshMaterializedView', 'AlterDefaultPrivileges', 'ReassignOwned', 'DropOwned',
]);

const LATER: Partial<Record<Statement['kind'], string>> = {
  CreateRole: 'roles', AlterRole: 'roles', DropRole: 'roles', Grant: 'privileges', GrantRole: 'roles',
  CreateFunction: 'user-defined functions', CreateTrigger: 'triggers', Do: 'DO blocks', Call: 'procedures',
  Copy: 'COPY', Listen: 'LISTEN', Unlisten: 'UNLISTEN', Notify: 'NOTIFY', DropFunction: 'user-defined functions',
  DropTrigger: 'triggers', CreateMaterializedView: 'materialized views', RefreshMaterializedView: 'materialized views',
};

function setValueText(values: readonly { type: string; value: string }[]): string {
  return values.map((v) => v.value).join(', ');
}

export function runUtility(stmt: Statement, sc: StatementContext): StatementResult {
  const session = sc.session;
  switch (stmt.kind) {
    case 'Set': {
      const value = stmt.values === null ? null : setValueText(stmt.values);
      if (stmt.name === 'session_authorization' || stmt.name === 'role') {
        return runSetAuthorization(stmt.name, value, sc);
      }
      session.setSetting(stmt.name, value, stmt.local);
      return resultOf('SET', 0);
    }
    case 'Reset':
      if (stmt.name === 'role' || stmt.name === 'session_authorization') return runSetAuthorization(stmt.name, null, sc);
      if (stmt.name === 'all') session.resetAll();
      else session.setSetting(stmt.name, null, false);
      return resultOf('RESET', 0);
    case 'Show': {
      if (stmt.name === 'all') {
        const rows = [...SETTINGS.values()].map((d) => [d.name, session.setting(d.name) ?? '', d.description]);
        return resultOf('SHOW', rows.length, [
          { name: 'name', type: Types.text }, { name: 'setting', type: Types.text }, { name: 'description', type: Types.text },
        ], rows);
      }
      const def = settingDef(stmt.name);
      const authSetting = stmt.name === 'role' || stmt.name === 'session_authorization';
      if (!def && !isCustomSetting(stmt.name) && !authSetting) throw unknownSetting(stmt.name);
      const value = session.setting(stmt.name);
      if (value === null) throw unknownSetting(stmt.name);
      const shown = stmt.name === 'timezone' ? 'TimeZone' : stmt.name === 'datestyle' ? 'DateStyle' : stmt.name === 'intervalstyle' ? 'IntervalStyle' : stmt.name;
      return resultOf('SHOW', 1, [{ name: shown, type: Types.text }], [[value]]);
    }
    case 'SetTransaction': {
      const iso = stmt.modes.isolation?.replace('_', ' ') ?? null;
      if (stmt.session) {
        if (iso) session.setSetting('default_transaction_isolation', iso, false);
        if (stmt.modes.readOnly !== null) session.setSetting('default_transaction_read_only', stmt.modes.readOnly ? 'on' : 'off', false);
      } else {
        session.setTransactionModes(iso, stmt.modes.readOnly);
      }
      return resultOf('SET', 0);
    }
    case 'Prepare': {
      if (session.prepared.has(stmt.name)) {
        throw new DbError('duplicate_prepared_statement', `prepared statement "${stmt.name}" already exists`, { position: stmt.loc + 1 });
      }
      if (session.prepared.size >= Limits.preparedStatementsPerSessionMax) {
        throw new DbError('program_limit_exceeded', `too many prepared statements (limit ${Limits.preparedStatementsPerSessionMax})`);
      }
      session.prepared.set(stmt.name, {
        name: stmt.name, stmt: stmt.statement, text: stmt.source.text, paramTypes: stmt.paramTypes.map(resolveTypeName),
      });
      return resultOf('PREPARE', 0);
    }
    case 'Deallocate':
      if (stmt.name === null) session.prepared.clear();
      else if (!session.prepared.delete(stmt.name)) {
        throw new DbError('undefined_prepared_statement', `prepared statement "${stmt.name}" does not exist`, { position: stmt.loc + 1 });
      }
      return resultOf('DEALLOCATE', 0);
    case 'Vacuum': {
      if (session.inBlock) throw new DbError('active_sql_transaction', 'VACUUM cannot run inside a transaction block');
      const txns = session.db.txns;
      txns.vacuumNow(sc.txn);
      const tables = ownedForMaintenance(stmt.tables.length > 0
        ? stmt.tables.map((t) => session.catalog.requireTable(t.name, session.searchPath()))
        : session.catalog.tables(), 'vacuum', sc, stmt.tables.length > 0);
      for (const t of tables) vacuumTable(t.store, txns.horizon(), txns.mayPackRows(sc.txn));
      if (stmt.analyze) analyzeTargets(session.db, session.catalog, session.searchPath(), stmt.tables, txns.statementSnapshot(sc.txn));
      return resultOf('VACUUM', 0);
    }
    case 'Analyze': {
      // Only tables the user owns; named others are skipped with a WARNING (ownedForMaintenance).
      const named = stmt.tables.length > 0;
      const allowed = new Set(ownedForMaintenance(named
        ? stmt.tables.map((t) => session.catalog.requireTable(t.name, session.searchPath()))
        : session.catalog.tables(), 'analyze', sc, named));
      analyzeTargets(session.db, session.catalog, session.searchPath(), stmt.tables,
        session.db.txns.statementSnapshot(sc.txn), (t) => allowed.has(t));
      return resultOf('ANALYZE', 0);
    }
    case 'Checkpoint':
      return resultOf('CHECKPOINT', 0);
    default: {
      if (AUTH_UTILITY_KINDS.has(stmt.kind)) return runAuthUtility(stmt, sc);
      const what = LATER[stmt.kind] ?? stmt.kind;
      throw new DbError('feature_not_supported', `${what} are not supported yet`, { position: stmt.loc + 1 });
    }
  }
}

/**
 * VACUUM / ANALYZE process only tables the user owns (or the database owner, a superuser);
 * named ones it does not own are skipped with PostgreSQL's WARNING.
 */
function ownedForMaintenance(tables: TableDef[], verb: string, sc: StatementContext, named: boolean): TableDef[] {
  const { catalog, user } = sc.session;
  return tables.filter((t) => {
    if (hasOwnership(catalog, user, t.owner)) return true;
    if (named) sc.session.notice('WARNING', '42501', `permission denied to ${verb} "${t.name}", skipping it`);
    return false;
  });
}
