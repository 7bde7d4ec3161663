/**
 * The registry of engine adapters, in the order the harness runs them (Oxibase first: every
 * ratio is Oxibase against a peer).
 */
import type { EngineFactory } from './engine.ts';
import { alasql } from './alasql.ts';
import { duckdb } from './duckdb.ts';
import { oxibaseDisk, oxibaseMemory } from './oxibase.ts';
import { pglite } from './pglite.ts';
import { sqlite } from './sqlite.ts';
import { sqljs } from './sqljs.ts';

export const ENGINES: readonly EngineFactory[] = [oxibaseMemory, oxibaseDisk, sqlite, duckdb, pglite, alasql, sqljs];

/** Engine ids that are Oxibase itself (the numerator of every ratio). */
export const OXIBASE_IDS: readonly string[] = ['oxibase', 'oxibase-disk'];
