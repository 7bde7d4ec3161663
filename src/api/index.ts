export { Oxibase, type OpenOptions } from './database.ts';
export type * from './types.ts';
