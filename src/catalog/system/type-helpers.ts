/** Re-exports the type helpers the system relations need (kept in one place for the family files). */
export { allTypeInfos, typeOf } from '../../types/sql-type.ts';
import type { ArgType } from '../../functions/registry.ts';
export type ArgTypeLike = ArgType;
