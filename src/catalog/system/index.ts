/**
 * Lookup of the virtual system relations by schema and name, and the per-database "catalog the
 * running statement sees" slot the catalog functions read (EvalContext carries no catalog yet).
 */
import type { Catalog } from '../catalog.ts';
import type { Env } from '../../env/index.ts';
import type { SystemRelation } from './sys-relation.ts';
import { pgAttrdef, pgAttribute, pgClass, pgConstraint, pgDescription, pgIndex, pgNamespace } from './pg-class.ts';
import { emptyRelations, pgAm, pgCollation, pgProc, pgType } from './pg-type-proc.ts';
import {
  pgAuthid, pgAuthMembers, pgDatabase, pgIndexes, pgRoles, pgSequence, pgSequences, pgSettings, pgTables,
  pgTablespace, pgUser, pgViews,
} from './pg-misc.ts';
import { informationSchema } from './information-schema.ts';
import { pgEventTrigger, pgLanguage, pgTrigger } from './pg-routines.ts';
import { routineLogRelation, scheduleRunsRelation, schedulesRelation } from './routine-log.ts';

export type { SystemRelation, SysContext } from './sys-relation.ts';

const RELATIONS: SystemRelation[] = [
  pgNamespace, pgClass, pgAttribute, pgIndex, pgConstraint, pgAttrdef, pgDescription, pgType, pgProc, pgAm,
  pgCollation, ...emptyRelations.filter((r) => r.name !== 'pg_trigger'), pgTrigger, pgEventTrigger, pgLanguage,
  routineLogRelation, scheduleRunsRelation, schedulesRelation, pgRoles, pgAuthid, pgUser, pgAuthMembers, pgDatabase, pgTablespace, pgSettings,
  pgTables, pgViews, pgIndexes, pgSequences, pgSequence, ...informationSchema,
];

// Scanning a system relation also records its catalog for the reg* types' name output
// (reg-names.ts): psql prints `conrelid::regclass` columns of pg_constraint rows.
const ALL: SystemRelation[] = RELATIONS.map((r) => ({
  ...r,
  rows(sc) {
    return r.rows(sc);
  },
}));

const BY_KEY = new Map<string, SystemRelation>(ALL.map((r) => [`${r.schema}.${r.name}`, r]));

export function systemRelation(schema: string, name: string): SystemRelation | undefined {
  return BY_KEY.get(`${schema}.${name}`);
}

export function systemRelations(): readonly SystemRelation[] {
  return ALL;
}
