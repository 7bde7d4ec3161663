/**
 * Transaction statements of a session: BEGIN / START TRANSACTION, COMMIT and ROLLBACK (AND
 * CHAIN), SAVEPOINT, RELEASE, ROLLBACK TO, SET TRANSACTION, and COMMIT / ROLLBACK issued by a
 * procedure body. The session owns the transaction state; these functions are its state machine
 * for the explicit block, as PostgreSQL's xact.c is for TBLOCK_* states.
 */
import { DbError } from '../errors/index.ts';
import type { TransactionStmt } from '../sql/ast.ts';
import { TxnState, type IsolationLevel, type Txn } from '../txn/txn.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';
import type { MaybePromise, Session } from './session.ts';
import { ISOLATION } from './session-settings.ts';


export function transactionControl(s: Session, stmt: TransactionStmt): MaybePromise<StatementResult> {
  switch (stmt.action) {
    case 'begin':
    case 'start': {
      if (s.inBlock) {
        if (s.failed) throw new DbError('in_failed_sql_transaction', 'current transaction is aborted, commands ignored until end of transaction block');
        s.notice('WARNING', '25001', 'there is already a transaction in progress');
        return resultOf(stmt.action === 'begin' ? 'BEGIN' : 'START TRANSACTION', 0);
      }
      const iso = stmt.modes?.isolation ? ISOLATION[stmt.modes.isolation]! : s.defaultIsolation();
      const ro = stmt.modes?.readOnly ?? s.setting('default_transaction_read_only') === 'on';
      s.beginTxn(iso, ro);
      s.inBlock = true;
      return resultOf(stmt.action === 'begin' ? 'BEGIN' : 'START TRANSACTION', 0);
    }
    case 'commit': {
      if (!s.inBlock || s.txn === null) {
        s.notice('WARNING', '25P01', 'there is no transaction in progress');
        return resultOf('COMMIT', 0);
      }
      const txn = s.txn;
      const chain = stmt.chain ? { iso: txn.isolation, ro: txn.readOnly } : null;
      if (s.failed) {
        s.abortTxn(txn);
        if (chain) { s.beginTxn(chain.iso, chain.ro); s.inBlock = true; }
        return resultOf('ROLLBACK', 0);
      }
      const done = (): StatementResult => {
        if (chain) { s.beginTxn(chain.iso, chain.ro); s.inBlock = true; }
        return resultOf('COMMIT', 0);
      };
      const committing = s.commitTxn(txn);
      return committing === undefined ? done() : committing.then(done);
    }
    case 'rollback': {
      if (!s.inBlock || s.txn === null) {
        s.notice('WARNING', '25P01', 'there is no transaction in progress');
        return resultOf('ROLLBACK', 0);
      }
      const txn = s.txn;
      const chain = stmt.chain ? { iso: txn.isolation, ro: txn.readOnly } : null;
      s.abortTxn(txn);
      if (chain) { s.beginTxn(chain.iso, chain.ro); s.inBlock = true; }
      return resultOf('ROLLBACK', 0);
    }
    case 'savepoint': {
      if (!s.inBlock || s.txn === null) {
        throw new DbError('no_active_sql_transaction', 'SAVEPOINT can only be used in transaction blocks');
      }
      if (s.failed) throw new DbError('in_failed_sql_transaction', 'current transaction is aborted, commands ignored until end of transaction block');
      s.savepoints.push({ name: stmt.savepoint!, ...s.mark(s.txn), settings: s.settings.snapshot() });
      return resultOf('SAVEPOINT', 0);
    }
    case 'release': {
      if (!s.inBlock || s.txn === null) {
        throw new DbError('no_active_sql_transaction', 'RELEASE SAVEPOINT can only be used in transaction blocks');
      }
      if (s.failed) throw new DbError('in_failed_sql_transaction', 'current transaction is aborted, commands ignored until end of transaction block');
      const i = findSavepoint(s, stmt.savepoint!);
      s.savepoints.length = i;
      return resultOf('RELEASE', 0);
    }
    case 'rollback_to': {
      if (!s.inBlock || s.txn === null) {
        throw new DbError('no_active_sql_transaction', 'ROLLBACK TO SAVEPOINT can only be used in transaction blocks');
      }
      const i = findSavepoint(s, stmt.savepoint!);
      const sp = s.savepoints[i]!;
      s.rollbackTo(s.txn, sp);
      s.restoreSettings(sp.settings);
      s.savepoints.length = i + 1;
      s.failed = false;
      return resultOf('ROLLBACK', 0);
    }
    default:
      throw new DbError('feature_not_supported', 'prepared transactions (two-phase commit) are not supported', { position: stmt.loc + 1 });
  }
}

function findSavepoint(s: Session, name: string): number {
  for (let i = s.savepoints.length - 1; i >= 0; i--) if (s.savepoints[i]!.name === name) return i;
  throw new DbError('invalid_savepoint_specification', `savepoint "${name}" does not exist`);
}

/** SET TRANSACTION: only before the transaction's first query. */
export function setTransactionModes(s: Session, isolation: string | null, readOnly: boolean | null): void {
  const txn = s.txn;
  if (!s.inBlock || txn === null) {
    s.notice('WARNING', '25P01', 'SET TRANSACTION can only be used in transaction blocks');
    return;
  }
  // Every query takes a statement snapshot, which bumps cmdId; utility statements (SET, SHOW) do
  // not. So cmdId > 0 is PostgreSQL's "a snapshot has been taken" (FirstSnapshotSet).
  const queried = txn.snapshotSeq >= 0 || txn.cmdId > 0;
  if (isolation !== null) {
    const iso = ISOLATION[isolation]!;
    if (queried && iso !== txn.isolation) {
      throw new DbError('active_sql_transaction', 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
    }
    if (iso !== txn.isolation) {
      // Nothing ran yet, so the transaction is replaced; keep the block's settings baseline.
      const settingsAtBegin = s.settingsAtBegin;
      s.db.txns.abort(txn);
      s.beginTxn(iso, readOnly ?? txn.readOnly);
      s.settingsAtBegin = settingsAtBegin;
      s.inBlock = true;
    }
  }
  const cur = s.txn!;
  if (readOnly !== null && readOnly !== cur.readOnly) {
    if (!readOnly && queried) {
      throw new DbError('active_sql_transaction', 'transaction read-write mode must be set before any query');
    }
    cur.readOnly = readOnly;
  }
}

/**
 * COMMIT / ROLLBACK from a procedure body (CALL / DO outside a transaction block): ends the
 * current transaction synchronously and begins the next one with the same characteristics.
 * A file database makes commits durable asynchronously, so there it is not supported yet.
 */
export function procedureTransactionControl(s: Session): { commit(): void; rollback(): void } {
  const next = (txn: Txn): void => {
    s.endTxn();
    s.beginTxn(txn.isolation, txn.readOnly);
  };
  return {
    commit: () => {
      const txn = s.txn!;
      if (s.db.durability !== null && (txn.writes.length > 0 || txn.catalogChanged)) {
        throw new DbError('feature_not_supported', 'COMMIT inside a procedure is supported on in-memory databases only (for now)');
      }
      const indexByOid = s.indexResolver();
      if (s.txnCatalog !== null) s.db.installCatalog(txn, s.txnCatalog, s.txnCatalogBase!);
      // In memory the commit completes synchronously.
      try {
        void s.db.txns.commit(txn, indexByOid);
      } catch {
        // Reported below from the transaction's state.
      }
      if (txn.state !== TxnState.COMMITTED) {
        if (s.txnCatalog !== null && s.db.catalog === s.txnCatalog) s.db.catalog = s.txnCatalogBase!;
        throw new DbError('serialization_failure', 'could not serialize access due to read/write dependencies among transactions');
      }
      txn.releaseTables();
      next(txn);
    },
    rollback: () => {
      const txn = s.txn!;
      s.db.txns.abort(txn);
      for (let i = s.ddlUndo.length - 1; i >= 0; i--) s.ddlUndo[i]!();
      next(txn);
    },
  };
}
