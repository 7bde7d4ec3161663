/**
 * The statements that do file I/O on a file database (src/engine/durable.ts): CHECKPOINT, BACKUP
 * and VACUUM (which checkpoints what it freed). They are the session's only awaiting statements
 * outside lock waits and log writes; the executor itself never awaits.
 */
import { DbError } from '../errors/index.ts';
import type { Statement } from '../sql/ast.ts';
import type { SqlType } from '../types/sql-type.ts';
import { resultOf, type StatementResult } from './dml/statement-env.ts';
import type { Session } from './session.ts';

export async function executeWithIo(
  s: Session, stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[],
): Promise<StatementResult> {
  const durability = s.db.durability;
  if (stmt.kind === 'Checkpoint' && durability !== null && !s.inBlock) {
    await durability.checkpoint();
    return resultOf('CHECKPOINT', 0);
  }
  if (stmt.kind === 'Backup') return backup(s, stmt.target);
  s.checkNotFailed();
  const result = await s.runInTxn(stmt, text, params, null, paramTypes);
  // VACUUM frees dead versions in memory; a checkpoint then drops them from disk too.
  if (stmt.kind === 'Vacuum' && durability !== null) await durability.checkpointIfChanged();
  return result;
}

/** BACKUP TO 'dir': file databases only, outside transaction blocks (it is not transactional). */
async function backup(s: Session, target: string): Promise<StatementResult> {
  s.checkNotFailed();
  if (s.inBlock) throw new DbError('active_sql_transaction', 'BACKUP cannot run inside a transaction block');
  if (s.db.durability === null) {
    throw new DbError('feature_not_supported', 'BACKUP needs a file database; this one is in memory');
  }
  await s.db.durability.backup(target);
  return resultOf('BACKUP', 0);
}
