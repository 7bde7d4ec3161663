/** The AST pieces UPDATE and DELETE share for target binding. */
import type { DeleteStmt, Expr, ObjectName, TableRef, UpdateStmt } from '../../sql/ast.ts';

export type { DeleteStmt, TableRef, UpdateStmt };

export interface WhereClauseHost {
  readonly table: ObjectName;
  readonly alias: string | null;
  readonly where: Expr | null;
  readonly currentOf: string | null;
  readonly loc: number;
}
