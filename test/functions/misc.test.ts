/**
 * System-information and utility functions registered by registerCore.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, ctx, resolve, throwsState } from './harness.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { Types, arrayOf, withTypmod } from '../../src/types/sql-type.ts';
import { SqlArray } from '../../src/types/array.ts';

const { int4, text, bool, numeric, varchar } = Types;

test('pg_typeof prints the type name as regtype does', () => {
  assert.equal(call('pg_typeof', [int4], 1), 'integer');
  assert.equal(call('pg_typeof', [numeric], null), 'numeric');
  assert.equal(call('pg_typeof', [withTypmod(varchar, 14)], 'a'), 'character varying');
  assert.equal(call('pg_typeof', [arrayOf(text)], new SqlArray(['a'])), 'text[]');
});

test('num_nulls / num_nonnulls', () => {
  assert.equal(call('num_nulls', [int4, text, bool], 1, null, null), 2);
  assert.equal(call('num_nonnulls', [int4, text, bool], 1, null, true), 2);
});

test('version and session information', () => {
  assert.equal(call('version', []), 'PostgreSQL 15.0 (Oxibase 0.1.0) on x86_64, compiled by TypeScript');
  assert.equal(call('current_database', []), 'db');
  assert.equal(call('current_schema', []), 'public');
  assert.equal(call('current_user', []), 'alice');
  assert.equal(call('session_user', []), 'alice');
  assert.deepEqual((call('current_schemas', [bool], true) as SqlArray).elems, ['pg_catalog', 'public']);
  assert.deepEqual((call('current_schemas', [bool], false) as SqlArray).elems, ['public']);
});

test('current_setting', () => {
  assert.equal(call('current_setting', [text], 'timezone'), 'UTC');
  throwsState(() => call('current_setting', [text], 'no_such'), '42704', 'unrecognized configuration parameter "no_such"');
  assert.equal(call('current_setting', [text, bool], 'no_such', true), null);
});

test('gen_random_uuid: version 4, deterministic per seed, volatile', () => {
  const def = resolve('gen_random_uuid', []);
  assert.equal(def.volatility, 'volatile');
  const u1 = def.impl([], { ...ctx, env: createSimEnv({ seed: 3 }) }, []) as string;
  const u2 = def.impl([], { ...ctx, env: createSimEnv({ seed: 3 }) }, []) as string;
  assert.equal(u1, u2);
  assert.match(u1, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(call('gen_random_uuid', []), call('uuid_generate_v4', []));
});
