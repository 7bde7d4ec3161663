import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { Types, arrayOf, formatType, withTypmod } from '../../src/types/sql-type.ts';
import { commonType, isPreferred, promoteNumeric, typeCategory } from '../../src/types/coerce.ts';

test('select_common_type', () => {
  const name = (ts: Parameters<typeof commonType>[0]) => formatType(commonType(ts, 'UNION'));
  assert.equal(name([Types.int4, Types.int8]), 'bigint');
  assert.equal(name([Types.int4, Types.numeric]), 'numeric');
  assert.equal(name([Types.numeric, Types.float8, Types.int2]), 'double precision');
  assert.equal(name([Types.unknown, Types.unknown]), 'text');
  assert.equal(name([Types.unknown, Types.int4]), 'integer');
  // PostgreSQL's quirk: text -> varchar is implicit too, so the first of the two wins.
  assert.equal(name([Types.text, Types.varchar]), 'text');
  assert.equal(name([Types.varchar, Types.text]), 'character varying');
  assert.equal(name([Types.date, Types.timestamptz]), 'timestamp with time zone');
  assert.equal(name([Types.float8, Types.int4]), 'double precision');
  assert.equal(name([arrayOf(Types.int4), arrayOf(Types.int8)]), 'bigint[]');
  const v5 = withTypmod(Types.varchar, 5);
  assert.equal(name([v5, v5]), 'character varying(5)');
  assert.equal(name([v5, withTypmod(Types.varchar, 7)]), 'character varying');
  assert.throws(() => commonType([Types.int4, Types.text], 'UNION'), (e: unknown) =>
    e instanceof DbError && e.code === '42804' && e.message === 'UNION types integer and text cannot be matched');
  assert.throws(() => commonType([Types.bool, Types.int4], 'CASE'), /CASE types boolean and integer cannot be matched/);
  assert.equal(commonType([Types.bool, Types.int4], null), null);
});

test('categories, preferred types and numeric promotion', () => {
  assert.equal(typeCategory(Types.int4), 'N');
  assert.equal(typeCategory(arrayOf(Types.int4)), 'A');
  assert.ok(isPreferred(Types.float8) && isPreferred(Types.text) && !isPreferred(Types.int4));
  assert.equal(promoteNumeric(Types.int2, Types.int4), Types.int4);
  assert.equal(promoteNumeric(Types.int2, Types.int2), Types.int2);
  assert.equal(promoteNumeric(Types.int4, Types.int8), Types.int8);
  assert.equal(promoteNumeric(Types.int8, Types.numeric), Types.numeric);
  assert.equal(promoteNumeric(Types.float4, Types.int4), Types.float8);
  assert.equal(promoteNumeric(Types.float4, Types.float4), Types.float4);
  assert.equal(promoteNumeric(Types.numeric, Types.float8), Types.float8);
});
