/**
 * SQL-level cursors: DECLARE ... CURSOR FOR query, FETCH / MOVE, CLOSE. A cursor's rows are
 * computed at DECLARE (one snapshot, as PostgreSQL's cursor sees) and kept by its session; FETCH
 * moves through them in either direction (every cursor here is scrollable).
 *
 * Invariants:
 *  - A cursor WITHOUT HOLD belongs to the transaction that declared it and is gone when that
 *    transaction ends; one WITH HOLD survives its commit (not its rollback) until CLOSE or the
 *    end of the session.
 *  - The position follows PostgreSQL: 0 is before the first row, rows.length + 1 after the last.
 */
import { DbError } from '../errors/index.ts';
import type { CloseCursorStmt, DeclareCursorStmt, FetchDirection, FetchStmt, Statement } from '../sql/ast.ts';
import type { Row } from '../storage/version.ts';
import { TxnState, type Txn } from '../txn/txn.ts';
import type { OutputColumn } from '../plan/plan-nodes.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';
import type { Session } from './session.ts';

interface Cursor {
  readonly columns: readonly OutputColumn[];
  readonly rows: Row[];
  readonly txn: Txn;
  readonly hold: boolean;
  pos: number;
}

export const CURSOR_KINDS: ReadonlySet<string> = new Set(['DeclareCursor', 'Fetch', 'CloseCursor']);

const cursorsBySession = new WeakMap<Session, Map<string, Cursor>>();

function cursorsOf(session: Session): Map<string, Cursor> {
  let m = cursorsBySession.get(session);
  if (m === undefined) cursorsBySession.set(session, (m = new Map()));
  return m;
}

/** The cursor, dropping it first when its transaction has ended (see the invariants). */
function live(session: Session, name: string, txn: Txn): Cursor | undefined {
  const m = cursorsOf(session);
  const c = m.get(name);
  if (c === undefined) return undefined;
  if (c.txn === txn || (c.hold && c.txn.state === TxnState.COMMITTED)) return c;
  m.delete(name);
  return undefined;
}

/**
 * Runs a cursor statement; `runQuery` executes the cursor's query in the current transaction
 * (statement-exec.ts passes its executeStatement).
 */
export function runCursorStatement(stmt: Statement, session: Session, txn: Txn, runQuery: (q: Statement) => StatementResult): StatementResult {
  switch (stmt.kind) {
    case 'DeclareCursor': return declare(stmt, session, txn, runQuery);
    case 'Fetch': return fetch(stmt, session, txn);
    case 'CloseCursor': return close(stmt, session, txn);
    default: throw new DbError('internal_error', `not a cursor statement: ${stmt.kind}`);
  }
}

function declare(stmt: DeclareCursorStmt, session: Session, txn: Txn, runQuery: (q: Statement) => StatementResult): StatementResult {
  if (!stmt.hold && !session.inBlock) {
    throw new DbError('no_active_sql_transaction', 'DECLARE CURSOR can only be used in transaction blocks', { position: stmt.loc + 1 });
  }
  if (live(session, stmt.name, txn) !== undefined) {
    throw new DbError('duplicate_cursor', `cursor "${stmt.name}" already exists`, { position: stmt.loc + 1 });
  }
  const r = runQuery(stmt.query);
  cursorsOf(session).set(stmt.name, { columns: r.columns ?? [], rows: r.rows ?? [], txn, hold: stmt.hold, pos: 0 });
  return resultOf('DECLARE CURSOR', 0);
}

function fetch(stmt: FetchStmt, session: Session, txn: Txn): StatementResult {
  const c = live(session, stmt.name, txn);
  if (c === undefined) throw new DbError('invalid_cursor_name', `cursor "${stmt.name}" does not exist`, { position: stmt.loc + 1 });
  const rows = move(c, stmt.direction);
  if (stmt.move) return resultOf('MOVE', rows.length, null, null, `MOVE ${rows.length}`);
  return resultOf('FETCH', rows.length, c.columns, rows, `FETCH ${rows.length}`);
}

/** Moves the cursor and returns the rows it passed over (in the order fetched). */
function move(c: Cursor, d: FetchDirection): Row[] {
  const n = c.rows.length;
  const out: Row[] = [];
  const step = (count: number, forward: boolean): void => {
    while (out.length < count) {
      if (forward ? c.pos >= n : c.pos <= 1) { c.pos = forward ? n + 1 : 0; return; }
      c.pos += forward ? 1 : -1;
      out.push(c.rows[c.pos - 1]!);
    }
  };
  const goTo = (target: number): void => {
    if (target < 1) { c.pos = 0; return; }
    if (target > n) { c.pos = n + 1; return; }
    c.pos = target;
    out.push(c.rows[target - 1]!);
  };
  switch (d.kind) {
    case 'forward': case 'backward': {
      const count = d.count === 'all' ? Infinity : d.count;
      const forward = (d.kind === 'forward') === (count >= 0);
      if (count === 0) goTo(c.pos);
      else step(Math.abs(count), forward);
      break;
    }
    case 'absolute': goTo(d.position >= 0 ? d.position : n + 1 + d.position); break;
    case 'relative': goTo(c.pos + d.offset); break;
    case 'first': goTo(1); break;
    case 'last': goTo(n); break;
  }
  return out;
}

function close(stmt: CloseCursorStmt, session: Session, txn: Txn): StatementResult {
  const m = cursorsOf(session);
  if (stmt.name === null) {
    m.clear();
  } else {
    if (live(session, stmt.name, txn) === undefined) {
      throw new DbError('invalid_cursor_name', `cursor "${stmt.name}" does not exist`, { position: stmt.loc + 1 });
    }
    m.delete(stmt.name);
  }
  return resultOf('CLOSE CURSOR', 0);
}
