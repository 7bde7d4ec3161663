/**
 * Engine side of the routine log (storage and relation in src/catalog/system/routine-log.ts).
 */
import type { Database } from '../engine/database.ts';
import { appendLogEntry, type RoutineLogEntry } from '../catalog/system/routine-log.ts';

export function appendRoutineLog(db: Database, entry: RoutineLogEntry): void {
  appendLogEntry(db, entry);
}
