/**
 * Time travel snapshots (AS OF TIMESTAMP / AS OF TRANSACTION). The history that makes them possible
 * arrives with durability (issue 4); until then only points the transaction manager still retains
 * are accepted, and anything else is a clear error rather than a silently wrong answer.
 */
import { DbError } from '../../errors/index.ts';
import type { BoundExpr } from '../../plan/bound-expr.ts';
import type { Snapshot } from '../../txn/txn.ts';
import { compileExpr } from '../compile-expr.ts';
import type { ExecContext } from '../exec-context.ts';

export function asOfSnapshot(
  asOf: { readonly type: 'timestamp' | 'transaction'; readonly expr: BoundExpr }, ctx: ExecContext,
): Snapshot {
  const value = compileExpr(asOf.expr)([], ctx);
  if (value === null) throw new DbError('invalid_parameter_value', 'AS OF point must not be NULL');
  const seq = ctx.txnManager.seqAsOf(asOf.type, value);
  return ctx.txnManager.snapshotAt(seq, ctx.txn);
}
