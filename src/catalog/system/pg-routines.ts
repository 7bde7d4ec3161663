/**
 * pg_catalog views of user routines: the pg_proc rows of user functions / procedures / aggregates,
 * pg_trigger, pg_event_trigger, pg_language, and the signature / definition texts psql's \df and
 * \d print (pg_get_function_arguments / _result, pg_get_triggerdef, pg_get_functiondef).
 */
import type { Catalog } from '../catalog.ts';
import { inputArgs, type RoutineDef, type TriggerDef } from '../routines.ts';
import { formatType, Oid } from '../../types/sql-type.ts';
import type { SystemRelation } from './sys-relation.ts';
import { arr, cols, quoteIdent, SUPERUSER_OID, T } from './sys-relation.ts';

/** Language oids: PostgreSQL's for internal / c / sql / plpgsql, ours after them. */
export const LANGUAGE_OIDS: Readonly<Record<string, number>> = {
  internal: 12, c: 13, sql: 14, plpgsql: 13000, js: 13001, ts: 13002, python: 13003,
};

export function languageOid(name: string): number {
  return LANGUAGE_OIDS[name] ?? 13999;
}

function schemaOid(catalog: Catalog, schema: string): number {
  return catalog.schemas.get(schema)?.oid ?? 0;
}

const MODE_LETTER = { in: 'i', out: 'o', inout: 'b', variadic: 'v' } as const;

/** pg_proc rows for the catalog's user routines (column order of pg-type-proc.ts's pgProc). */
export function userProcRows(catalog: Catalog): unknown[][] {
  const out: unknown[][] = [];
  for (const r of catalog.routines.values()) {
    const ins = inputArgs(r);
    const hasModes = r.args.some((a) => a.mode !== 'in');
    const ret = r.kind === 'procedure' ? (r.args.some((a) => a.mode !== 'in' && a.mode !== 'variadic') ? Oid.record : Oid.void)
      : r.returnType?.oid ?? Oid.void;
    const vol = r.volatility === 'immutable' ? 'i' : r.volatility === 'stable' ? 's' : 'v';
    const variadic = ins.find((a) => a.mode === 'variadic');
    out.push([
      r.oid, r.name, schemaOid(catalog, r.schema), SUPERUSER_OID, languageOid(r.language), 100, r.returnsSet ? 1000 : 0,
      variadic?.type.elem?.oid ?? 0, '-', r.kind === 'aggregate' ? 'a' : r.kind === 'procedure' ? 'p' : 'f',
      r.securityDefiner, false, r.strict, r.returnsSet, vol, 'u', ins.length, ins.filter((a) => a.default !== null).length,
      ret, arr(ins.map((a) => a.type.oid)), hasModes ? arr(r.args.map((a) => a.type.oid)) : null,
      hasModes ? arr(r.args.map((a) => MODE_LETTER[a.mode])) : null,
      r.args.some((a) => a.name !== null) ? arr(r.args.map((a) => a.name ?? '')) : null, null, null,
      r.body, null, null, r.config.length > 0 ? arr(r.config.map(([k, v]) => `${k}=${v}`)) : null, null,
    ]);
  }
  return out;
}

/** pg_get_function_arguments for a user routine: `a integer, b text DEFAULT 'x'::text`. */
export function routineArguments(r: RoutineDef, withDefaults = true): string {
  return r.args.map((a) => {
    const mode = a.mode === 'in' ? '' : `${a.mode.toUpperCase()} `;
    const name = a.name !== null ? `${quoteIdent(a.name)} ` : '';
    const def = withDefaults && a.default !== null ? ` DEFAULT ${a.default.text}` : '';
    return `${mode}${name}${formatType(a.type)}${def}`;
  }).join(', ');
}

/** pg_get_function_result for a user routine. */
export function routineResult(r: RoutineDef): string | null {
  if (r.kind === 'procedure') return null;
  if (r.trigger !== null) return r.trigger === 'row' ? 'trigger' : 'event_trigger';
  if (r.outColumns !== null && r.returnsSet && !r.args.some((a) => a.mode === 'out' || a.mode === 'inout')) {
    return `TABLE(${r.outColumns.map((c) => `${quoteIdent(c.name)} ${formatType(c.type)}`).join(', ')})`;
  }
  const t = r.returnType === null ? 'void' : formatType(r.returnType);
  return r.returnsSet ? `SETOF ${t}` : t;
}

/** pg_get_functiondef: a CREATE OR REPLACE statement that recreates the routine. */
export function routineDefinition(r: RoutineDef): string {
  const kind = r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION';
  const lines = [`CREATE OR REPLACE ${kind} ${quoteIdent(r.schema)}.${quoteIdent(r.name)}(${routineArguments(r)})`];
  const result = routineResult(r);
  if (result !== null) lines.push(` RETURNS ${result}`);
  lines.push(` LANGUAGE ${r.language}`);
  if (r.kind !== 'procedure' && r.volatility !== 'volatile') lines.push(` ${r.volatility.toUpperCase()}`);
  if (r.strict) lines.push(' STRICT');
  if (r.securityDefiner) lines.push(' SECURITY DEFINER');
  for (const [k, v] of r.config) lines.push(` SET ${k} TO '${v.replace(/'/g, "''")}'`);
  let tag = '$function$';
  while (r.body.includes(tag)) tag = `$${tag.slice(1, -1)}x$`;
  lines.push(`AS ${tag}${r.body}${tag}`);
  return `${lines.join('\n')}\n`;
}

/** PostgreSQL's tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32, INSTEAD 64. */
export function triggerType(t: TriggerDef): number {
  let v = t.level === 'row' ? 1 : 0;
  if (t.timing === 'before') v |= 2;
  if (t.timing === 'instead_of') v |= 64;
  for (const e of t.events) v |= e === 'insert' ? 4 : e === 'delete' ? 8 : e === 'update' ? 16 : 32;
  return v;
}

/** pg_get_triggerdef: the CREATE TRIGGER statement. */
export function triggerDefinition(catalog: Catalog, t: TriggerDef): string | null {
  const rel = catalog.byOid.get(t.tableOid);
  const fn = catalog.routines.get(t.functionOid);
  if (rel === undefined || fn === undefined) return null;
  const timing = t.timing === 'instead_of' ? 'INSTEAD OF' : t.timing.toUpperCase();
  const events = t.events.map((e) => {
    if (e !== 'update' || t.updateColumns.length === 0 || rel.kind !== 'table') return e.toUpperCase();
    return `UPDATE OF ${t.updateColumns.map((a) => quoteIdent(rel.columns.find((c) => c.attnum === a)?.name ?? '?')).join(', ')}`;
  }).join(' OR ');
  const when = t.when !== null ? ` WHEN (${t.when.text})` : '';
  const args = t.args.map((a) => `'${a.replace(/'/g, "''")}'`).join(', ');
  return `CREATE TRIGGER ${quoteIdent(t.name)} ${timing} ${events} ON ${quoteIdent(rel.schema)}.${quoteIdent(rel.name)} ` +
    `FOR EACH ${t.level.toUpperCase()}${when} EXECUTE FUNCTION ${quoteIdent(fn.schema)}.${quoteIdent(fn.name)}(${args})`;
}

export const pgTrigger: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_trigger',
  columns: cols([['oid', T.oid], ['tgrelid', T.oid], ['tgparentid', T.oid], ['tgname', T.name],
    ['tgfoid', T.oid], ['tgtype', T.int2], ['tgenabled', T.char], ['tgisinternal', T.bool], ['tgconstrrelid', T.oid],
    ['tgconstrindid', T.oid], ['tgconstraint', T.oid], ['tgdeferrable', T.bool], ['tginitdeferred', T.bool],
    ['tgnargs', T.int2], ['tgattr', T.int2v], ['tgqual', T.text]]),
  rows: ({ catalog }) => [...catalog.triggers.values()].filter((t) => catalog.byOid.has(t.tableOid)).map((t) => [
    t.oid, t.tableOid, 0, t.name, t.functionOid, triggerType(t), t.enabled ? 'O' : 'D', false, 0, 0, 0, false, false,
    t.args.length, arr(t.updateColumns), t.when?.text ?? null,
  ]),
};

export const pgEventTrigger: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_event_trigger',
  columns: cols([['oid', T.oid], ['evtname', T.name], ['evtevent', T.name], ['evtowner', T.oid], ['evtfoid', T.oid],
    ['evtenabled', T.char], ['evttags', T.textArr]]),
  rows: ({ catalog }) => [...catalog.eventTriggers.values()].map((t) => [
    t.oid, t.name, t.event, SUPERUSER_OID, t.functionOid, t.enabled ? 'O' : 'D', t.tags.length > 0 ? arr(t.tags) : null,
  ]),
};

export const pgLanguage: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_language',
  columns: cols([['oid', T.oid], ['lanname', T.name], ['lanowner', T.oid], ['lanispl', T.bool], ['lanpltrusted', T.bool],
    ['lanplcallfoid', T.oid], ['laninline', T.oid], ['lanvalidator', T.oid]]),
  rows: () => Object.entries(LANGUAGE_OIDS).map(([name, oid]) => [
    oid, name, SUPERUSER_OID, oid >= 13000, name !== 'c' && name !== 'internal', 0, 0, 0,
  ]),
};
