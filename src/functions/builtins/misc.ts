/**
 * System information and utility functions: pg_typeof, num_nulls / num_nonnulls, version(),
 * current_setting, current_database / current_schema / current_schemas, current_user /
 * session_user / user as functions, gen_random_uuid / uuid_generate_v4.
 *
 * Invariants:
 *  - pg_typeof returns regtype in PostgreSQL; Oxibase has no regtype, so it is registered as
 *    returning text with exactly the text regtype prints (format_type of the resolved type).
 *  - Session information comes only from the EvalContext, so these are STABLE; the UUID
 *    generators are VOLATILE and draw their 16 bytes from ctx.env.random.
 */
import { defineScalar, type FunctionRegistry } from '../registry.ts';
import { Types, arrayOf, formatType, typeOf, type SqlType } from '../../types/sql-type.ts';
import { DbError } from '../../errors/index.ts';
import { SqlArray } from '../../types/array.ts';
import { uuidFromBytes } from '../../types/uuid.ts';

const { text, int4, bool, name, uuid } = Types;

export const VERSION_STRING = 'PostgreSQL 15.0 (Oxibase 0.1.0) on x86_64, compiled by TypeScript';

/** regtype output: the type's name without its modifier (varchar(10) prints as varchar). */
function regtypeText(t: SqlType): string {
  return formatType(t.elem !== null ? arrayOf(typeOf(t.elem.oid)) : typeOf(t.oid));
}

function countNulls(args: unknown[]): number {
  let n = 0;
  for (const v of args) if (v === null || v === undefined) n++;
  return n;
}

function currentSetting(setting: string | null, key: string, missingOk: boolean): string | null {
  if (setting !== null) return setting;
  if (missingOk) return null;
  throw new DbError('undefined_object', `unrecognized configuration parameter "${key}"`);
}

function registerIntrospection(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'pg_typeof', args: ['any'], returns: text, strict: false, volatility: 'stable', keepsUnknown: true,
    impl: (_a, _ctx, t) => (t[0] === undefined ? 'unknown' : regtypeText(t[0])),
  }));
  reg.add(defineScalar({
    name: 'num_nulls', args: ['any'], variadic: true, minArgs: 1, returns: int4, strict: false,
    impl: (a) => countNulls(a),
  }));
  reg.add(defineScalar({
    name: 'num_nonnulls', args: ['any'], variadic: true, minArgs: 1, returns: int4, strict: false,
    impl: (a) => a.length - countNulls(a),
  }));
  reg.add(defineScalar({ name: 'version', args: [], returns: text, impl: () => VERSION_STRING }));
}

function registerSession(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'current_setting', args: [text], returns: text, volatility: 'stable',
    impl: (a, ctx) => currentSetting(ctx.setting(a[0] as string), a[0] as string, false),
  }));
  reg.add(defineScalar({
    name: 'current_setting', args: [text, bool], returns: text, volatility: 'stable',
    impl: (a, ctx) => currentSetting(ctx.setting(a[0] as string), a[0] as string, a[1] as boolean),
  }));
  reg.add(defineScalar({
    name: 'current_database', args: [], returns: name, volatility: 'stable',
    impl: (_a, ctx) => ctx.database,
  }));
  reg.add(defineScalar({
    name: 'current_catalog', args: [], returns: name, volatility: 'stable',
    impl: (_a, ctx) => ctx.database,
  }));
  reg.add(defineScalar({
    name: 'current_schema', args: [], returns: name, volatility: 'stable',
    impl: (_a, ctx) => ctx.searchPath[0] ?? null,
  }));
  reg.add(defineScalar({
    name: 'current_schemas', args: [bool], returns: arrayOf(name), volatility: 'stable',
    impl: (a, ctx) => {
      const path = ctx.searchPath.filter((s) => s !== 'pg_catalog');
      return new SqlArray(a[0] === true ? ['pg_catalog', ...path] : path);
    },
  }));
  for (const fname of ['current_user', 'session_user', 'user', 'current_role']) {
    reg.add(defineScalar({
      name: fname, args: [], returns: name, volatility: 'stable',
      impl: fname === 'session_user' ? (_a, ctx) => ctx.setting('session_authorization') ?? ctx.user : (_a, ctx) => ctx.user,
    }));
  }
}

function registerUuid(reg: FunctionRegistry): void {
  for (const fname of ['gen_random_uuid', 'uuid_generate_v4']) {
    reg.add(defineScalar({
      name: fname, args: [], returns: uuid, volatility: 'volatile',
      impl: (_a, ctx) => uuidFromBytes(ctx.env.random.bytes(16)),
    }));
  }
}

export function registerMisc(reg: FunctionRegistry): void {
  registerIntrospection(reg);
  registerSession(reg);
  registerUuid(reg);
}
