/**
 * Trigger calls for the JavaScript runtime. The body sees NEW and OLD (objects keyed by column
 * name, or null), TG_OP, TG_WHEN, TG_LEVEL, TG_NAME, TG_TABLE_NAME, TG_TABLE_SCHEMA, TG_ARGV and
 * TG_RELNAME (PostgreSQL's deprecated alias of TG_TABLE_NAME), and returns NEW (possibly
 * modified), OLD, or null/undefined to skip the row in a BEFORE ROW trigger.
 *
 * A column the script hands back unchanged keeps its original engine value: script values are
 * lossy for some types (Date has milliseconds, timestamps microseconds; numeric becomes a
 * number), and a trigger that only sets one column must not round the others.
 */
import type { TypeContext } from '../../types/context.ts';
import type { TriggerCall } from '../language.ts';
import { rowToScriptConverter } from '../values.ts';
import { encodeTagged } from './codec.ts';

/** Parameter names of a trigger function's guest function, in the adapter's order. */
export const TRIGGER_PARAMS: readonly string[] = [
  'NEW', 'OLD', 'TG_OP', 'TG_WHEN', 'TG_LEVEL', 'TG_NAME', 'TG_TABLE_NAME', 'TG_TABLE_SCHEMA', 'TG_ARGV',
  'TG_RELNAME',
];

/** What one trigger call sends and how its answer maps back. */
export interface TriggerInvocation {
  /** The tagged-JSON frame the guest adapter decodes. */
  readonly json: string;
  /** Replaces converted columns the script did not change with the original engine values. */
  restore(converted: unknown[], returned: unknown): unknown[];
}

export function triggerInvocation(t: TriggerCall, ctx: TypeContext): TriggerInvocation {
  const toRow = rowToScriptConverter(t.columns);
  const newObj = t.newRow === null ? null : toRow(t.newRow, ctx);
  const oldObj = t.oldRow === null ? null : toRow(t.oldRow, ctx);
  const json = encodeTagged({
    new: newObj, old: oldObj, op: t.op, when: t.when, level: t.level, name: t.name,
    table: t.tableName, schema: t.tableSchema, argv: t.args,
  });
  return {
    json,
    restore(converted, returned) {
      for (let i = 0; i < t.columns.length; i++) {
        const name = t.columns[i]!.name;
        const r = Array.isArray(returned) ? returned[i] : (returned as Record<string, unknown>)[name];
        if (newObj !== null && t.newRow !== null && sameScriptValue(r, newObj[name])) converted[i] = t.newRow[i];
        else if (oldObj !== null && t.oldRow !== null && sameScriptValue(r, oldObj[name])) converted[i] = t.oldRow[i];
      }
      return converted;
    },
  };
}

function sameScriptValue(a: unknown, b: unknown): boolean {
  if (a === b) return a !== undefined;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}
