export { SqlState, type SqlStateName, type SqlStateCode } from './sqlstate.ts';
export { DbError, err, withPosition, isDbError, toDbError, type DbErrorFields } from './db-error.ts';
export { assert, unreachable, VERIFY } from './assert.ts';
