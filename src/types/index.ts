/**
 * The types layer's public API: the type table, the session I/O context, and the semantics of
 * every SQL type (parsing, formatting, arithmetic, comparison, hashing, casts, resolution).
 * Other layers import from here only. See README.md for the runtime value representation.
 */
export * from './sql-type.ts';
export * from './context.ts';
export * from './int.ts';
export * from './float.ts';
export * from './numeric.ts';
export * from './bool.ts';
export * from './text.ts';
export * from './compare.ts';
export * from './text-io.ts';
export * from './cast.ts';
export * from './coerce.ts';
export * from './datetime.ts';
export * from './interval.ts';
export * from './json.ts';
export * from './uuid.ts';
export * from './bytea.ts';
export * from './array.ts';
export * from './interval-arith.ts';
export * from './jsonb-ops.ts';
