/**
 * Oxibase's public entry point: the embedded database API, its types, and the error class.
 */
export { Oxibase, type OpenOptions } from './api/index.ts';
export type * from './api/types.ts';
export { DbError, SqlState } from './errors/index.ts';
export { createNodeEnv, createSimEnv, type Env, type SimEnv } from './env/index.ts';
