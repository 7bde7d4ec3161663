/**
 * information_schema views (SQL standard), computed from the catalog: schemata, tables, columns,
 * views, table_constraints, key_column_usage, referential_constraints, constraint_column_usage,
 * sequences, routines (user routines only; built-in functions omitted, as allowed), triggers. Identifier columns use `name`
 * where PostgreSQL uses sql_identifier (a domain over name) and text for character_data.
 */
import { formatType, typeInfo, Oid, numericPrecision, numericScale } from '../../types/sql-type.ts';
import type { RefAction, TableDef } from '../objects.ts';
import { T, cols, columnName, relationsByOid, type SystemRelation } from './sys-relation.ts';

const IS = 'information_schema' as const;

function rel(name: string, spec: [string, typeof T.text][], rows: SystemRelation['rows']): SystemRelation {
  return { schema: IS, name, columns: cols(spec), rows };
}

const ACTION: Record<RefAction, string> = { no_action: 'NO ACTION', restrict: 'RESTRICT', cascade: 'CASCADE', set_null: 'SET NULL', set_default: 'SET DEFAULT' };
const CON_TYPE = { p: 'PRIMARY KEY', u: 'UNIQUE', c: 'CHECK', f: 'FOREIGN KEY' } as const;

function tables(c: { catalog: { byOid: Map<number, unknown> } } & Parameters<SystemRelation['rows']>[0]): TableDef[] {
  return relationsByOid(c.catalog).filter((r): r is TableDef => r.kind === 'table');
}

function dataType(oid: number): string {
  if (oid === Oid.varchar) return 'character varying';
  if (oid === Oid.bpchar) return 'character';
  if (typeInfo(oid)?.category === 'A') return 'ARRAY';
  return typeInfo(oid)?.name ?? 'USER-DEFINED';
}

export const informationSchema: SystemRelation[] = [
  rel('schemata', [['catalog_name', T.name], ['schema_name', T.name], ['schema_owner', T.name],
    ['default_character_set_catalog', T.name], ['default_character_set_schema', T.name],
    ['default_character_set_name', T.name], ['sql_path', T.text]],
  ({ catalog, eval: e }) => [...catalog.schemas.values()].sort((a, b) => a.oid - b.oid)
    .map((s) => [e.database, s.name, s.owner, null, null, null, null])),
  rel('tables', [['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name], ['table_type', T.text],
    ['self_referencing_column_name', T.name], ['reference_generation', T.text], ['user_defined_type_catalog', T.name],
    ['user_defined_type_schema', T.name], ['user_defined_type_name', T.name], ['is_insertable_into', T.text],
    ['is_typed', T.text], ['commit_action', T.text]],
  ({ catalog, eval: e }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'table' || r.kind === 'view'
    ? [[e.database, r.schema, r.name, r.kind === 'view' ? 'VIEW' : r.persistence === 'temp' ? 'LOCAL TEMPORARY' : 'BASE TABLE',
      null, null, null, null, null, 'YES', 'NO', null]] : []))),
  rel('columns', [['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name], ['column_name', T.name],
    ['ordinal_position', T.int4], ['column_default', T.text], ['is_nullable', T.text], ['data_type', T.text],
    ['character_maximum_length', T.int4], ['character_octet_length', T.int4], ['numeric_precision', T.int4],
    ['numeric_precision_radix', T.int4], ['numeric_scale', T.int4], ['datetime_precision', T.int4],
    ['udt_catalog', T.name], ['udt_schema', T.name], ['udt_name', T.name], ['is_identity', T.text],
    ['identity_generation', T.text], ['is_generated', T.text], ['generation_expression', T.text], ['is_updatable', T.text]],
  ({ catalog, eval: e }) => relationsByOid(catalog).flatMap((r) => {
    if (r.kind !== 'table' && r.kind !== 'view') return [];
    return r.columns.map((c, i) => {
      const t = r.kind === 'table' ? r.columns[i]! : null;
      const oid = c.type.oid;
      const tm = c.type.typmod;
      const charLen = (oid === Oid.varchar || oid === Oid.bpchar) && tm >= 4 ? tm - 4 : null;
      const intPrec = oid === Oid.int2 ? 16 : oid === Oid.int4 ? 32 : oid === Oid.int8 ? 64 : oid === Oid.float4 ? 24 : oid === Oid.float8 ? 53 : null;
      const numPrec = oid === Oid.numeric && tm >= 4 ? numericPrecision(tm) : intPrec;
      const numScale = oid === Oid.numeric && tm >= 4 ? numericScale(tm) : intPrec !== null && oid !== Oid.float4 && oid !== Oid.float8 ? 0 : null;
      return [e.database, r.schema, r.name, c.name, i + 1, t && !t.identity ? t.default?.text ?? null : null,
        t?.notNull ? 'NO' : 'YES', dataType(oid), charLen, charLen !== null ? charLen * 4 : oid === Oid.text ? 1073741824 : null,
        numPrec, numPrec !== null ? (oid === Oid.numeric ? 10 : 2) : null, numScale, null, e.database, 'pg_catalog',
        typeInfo(oid)?.typname ?? formatType(c.type), t?.identity ? 'YES' : 'NO',
        t?.identity ? (t.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT') : null, t?.generated ? 'ALWAYS' : 'NEVER',
        t?.generated?.text ?? null, 'YES'];
    });
  })),
  rel('views', [['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name], ['view_definition', T.text],
    ['check_option', T.text], ['is_updatable', T.text], ['is_insertable_into', T.text], ['is_trigger_updatable', T.text],
    ['is_trigger_deletable', T.text], ['is_trigger_insertable_into', T.text]],
  ({ catalog, eval: e }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'view'
    ? [[e.database, r.schema, r.name, r.text, r.checkOption === 'none' ? 'NONE' : r.checkOption.toUpperCase(), 'YES', 'YES', 'NO', 'NO', 'NO']] : []))),
  rel('table_constraints', [['constraint_catalog', T.name], ['constraint_schema', T.name], ['constraint_name', T.name],
    ['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name], ['constraint_type', T.text],
    ['is_deferrable', T.text], ['initially_deferred', T.text], ['enforced', T.text], ['nulls_distinct', T.text]],
  (c) => tables(c).flatMap((t) => t.constraints.map((k) => [c.eval.database, t.schema, k.name, c.eval.database, t.schema,
    t.name, CON_TYPE[k.type], 'NO', 'NO', 'YES', k.type === 'u' ? (k.nullsNotDistinct ? 'NO' : 'YES') : null]))),
  rel('key_column_usage', [['constraint_catalog', T.name], ['constraint_schema', T.name], ['constraint_name', T.name],
    ['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name], ['column_name', T.name],
    ['ordinal_position', T.int4], ['position_in_unique_constraint', T.int4]],
  (c) => tables(c).flatMap((t) => t.constraints.filter((k) => k.type !== 'c').flatMap((k) => k.columns.map((a, i) => [
    c.eval.database, t.schema, k.name, c.eval.database, t.schema, t.name, columnName(t, a), i + 1, k.type === 'f' ? i + 1 : null])))),
  rel('referential_constraints', [['constraint_catalog', T.name], ['constraint_schema', T.name], ['constraint_name', T.name],
    ['unique_constraint_catalog', T.name], ['unique_constraint_schema', T.name], ['unique_constraint_name', T.name],
    ['match_option', T.text], ['update_rule', T.text], ['delete_rule', T.text]],
  (c) => tables(c).flatMap((t) => t.constraints.filter((k) => k.fk).map((k) => {
    const p = c.catalog.byOid.get(k.fk!.refTableOid);
    const pk = p?.kind === 'table' ? p.constraints.find((x) => (x.type === 'p' || x.type === 'u')
      && x.columns.length === k.fk!.refColumns.length && x.columns.every((a) => k.fk!.refColumns.includes(a))) : undefined;
    return [c.eval.database, t.schema, k.name, c.eval.database, p?.schema ?? null, pk?.name ?? null,
      k.fk!.match === 'full' ? 'FULL' : 'NONE', ACTION[k.fk!.onUpdate], ACTION[k.fk!.onDelete]];
  }))),
  rel('constraint_column_usage', [['table_catalog', T.name], ['table_schema', T.name], ['table_name', T.name],
    ['column_name', T.name], ['constraint_catalog', T.name], ['constraint_schema', T.name], ['constraint_name', T.name]],
  (c) => tables(c).flatMap((t) => t.constraints.flatMap((k) => {
    // For a foreign key the used columns are the referenced ones (as in PostgreSQL).
    const p = k.fk ? c.catalog.byOid.get(k.fk.refTableOid) : t;
    if (p?.kind !== 'table') return [];
    const attnums = k.fk ? k.fk.refColumns : k.columns;
    return attnums.map((a) => [c.eval.database, p.schema, p.name, columnName(p, a), c.eval.database, t.schema, k.name]);
  }))),
  rel('sequences', [['sequence_catalog', T.name], ['sequence_schema', T.name], ['sequence_name', T.name],
    ['data_type', T.text], ['numeric_precision', T.int4], ['numeric_precision_radix', T.int4], ['numeric_scale', T.int4],
    ['start_value', T.text], ['minimum_value', T.text], ['maximum_value', T.text], ['increment', T.text], ['cycle_option', T.text]],
  ({ catalog, eval: e }) => relationsByOid(catalog).flatMap((r) => (r.kind === 'sequence'
    ? [[e.database, r.schema, r.name, formatType(r.dataType), r.dataType.oid === Oid.int2 ? 16 : r.dataType.oid === Oid.int4 ? 32 : 64,
      2, 0, String(r.start), String(r.min), String(r.max), String(r.increment), r.cycle ? 'YES' : 'NO']] : []))),
  rel('routines', [['specific_catalog', T.name], ['specific_schema', T.name], ['specific_name', T.name],
    ['routine_catalog', T.name], ['routine_schema', T.name], ['routine_name', T.name], ['routine_type', T.text],
    ['data_type', T.text], ['routine_definition', T.text], ['external_language', T.text]],
  ({ catalog, eval: e }) => [...catalog.routines.values()].filter((r) => r.kind !== 'aggregate').map((r) => [
    e.database, r.schema, `${r.name}_${r.oid}`, e.database, r.schema, r.name, r.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION',
    r.kind === 'procedure' ? null : r.trigger !== null ? 'trigger' : r.returnType === null ? 'void' : r.returnType.elem !== null ? 'ARRAY'
      : r.outColumns !== null ? 'record' : dataType(r.returnType.oid),
    r.body, r.language.toUpperCase(),
  ])),
  rel('triggers', [['trigger_catalog', T.name], ['trigger_schema', T.name], ['trigger_name', T.name],
    ['event_manipulation', T.text], ['event_object_catalog', T.name], ['event_object_schema', T.name],
    ['event_object_table', T.name], ['action_order', T.int4], ['action_condition', T.text], ['action_statement', T.text],
    ['action_orientation', T.text], ['action_timing', T.text]],
  ({ catalog, eval: e }) => [...catalog.triggers.values()].flatMap((t) => {
    const table = catalog.byOid.get(t.tableOid);
    const fn = catalog.routines.get(t.functionOid);
    if (table === undefined || fn === undefined) return [];
    const args = t.args.map((a) => `'${a.replace(/'/g, "''")}'`).join(', ');
    // One row per event, as PostgreSQL.
    return t.events.filter((ev) => ev !== 'truncate').map((ev) => [
      e.database, table.schema, t.name, ev.toUpperCase(), e.database, table.schema, table.name, 1, t.when?.text ?? null,
      `EXECUTE FUNCTION ${fn.name}(${args})`, t.level.toUpperCase(), t.timing === 'instead_of' ? 'INSTEAD OF' : t.timing.toUpperCase(),
    ]);
  })),
];
