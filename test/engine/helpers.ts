/**
 * Assertions shared by the engine tests: expected SQL errors (SQLSTATE plus, optionally, the exact
 * or matching message, detail and hint) and a rows shorthand.
 */
import assert from 'node:assert/strict';
import { DbError, type Oxibase } from '../../src/index.ts';

type Expect = string | RegExp | undefined;

function check(actual: string | undefined, expected: Expect, what: string): void {
  if (typeof expected === 'string') assert.equal(actual, expected, what);
  else if (expected) assert.match(actual ?? '', expected, what);
}

/** Awaits `p`, which must fail with SQLSTATE `code`; returns the error for further checks. */
export async function fails(p: Promise<unknown>, code: string, message?: Expect, detail?: Expect, hint?: Expect): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected DbError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    check(e.message, message, 'message');
    check(e.detail, detail, 'detail');
    check(e.hint, hint, 'hint');
    return e;
  }
  assert.fail('expected an error');
}

export async function rows(db: Oxibase, sql: string): Promise<unknown[]> {
  return (await db.query(sql)).rows;
}
