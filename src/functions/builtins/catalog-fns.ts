/**
 * Catalog information functions psql and drivers call: format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_table_is_visible, pg_type_is_visible,
 * pg_get_userbyid, obj_description, col_description, size estimates, pg_encoding_to_char and the
 * privilege checks (always true until roles and privileges exist).
 *
 * They are STABLE (never folded at bind time) and read the catalog of the running statement from
 * the evaluation context.
 */
import { defineScalar, defineTableFunction, type EvalContext, type FunctionRegistry } from '../registry.ts';
import { formatType, Types, typeInfo, typeOf, withTypmod } from '../../types/sql-type.ts';
import { constraintDef, indexDef, indexKeyText, viewDef } from '../../catalog/system/definitions.ts';
import { findConstraint, PG_CLASS_OID, PG_NAMESPACE_OID, PG_CONSTRAINT_OID } from '../../catalog/system/sys-relation.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { registerPrivilegeFunctions } from '../../auth/sql-functions.ts';
import { functionArguments, functionResult, procByOid } from '../../catalog/system/reg-names.ts';
import { routineArguments, routineDefinition, routineResult, triggerDefinition } from '../../catalog/system/pg-routines.ts';
import type { RoutineDef } from '../../catalog/routines.ts';

/** pg_proc's own oid (pg_description.classoid of function comments). */
const PG_PROC_OID = 1255;

function cat(ctx: EvalContext): Catalog | null {
  return ctx.catalog as Catalog | null;
}

const stable = { volatility: 'stable' as const };

export function registerCatalogFunctions(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'format_type', args: [Types.oid, Types.int4], returns: Types.text, strict: false, ...stable,
    impl: ([oid, typmod]) => {
      if (oid === null) return null;
      const info = typeInfo(oid as number);
      if (!info) return '???';
      return formatType(typmod === null || typmod === undefined ? typeOf(oid as number) : withTypmod(typeOf(oid as number), typmod as number));
    },
  }));
  for (const args of [[Types.text, Types.oid], [Types.text, Types.oid, Types.bool]]) {
    reg.add(defineScalar({ name: 'pg_get_expr', args, returns: Types.text, ...stable, impl: ([e]) => e }));
  }
  for (const args of [[Types.oid], [Types.oid, Types.bool]]) {
    reg.add(defineScalar({
      name: 'pg_get_constraintdef', args, returns: Types.text, ...stable,
      impl: ([oid], ctx) => {
        const c = cat(ctx);
        const f = c ? findConstraint(c, oid as number) : null;
        return c && f ? constraintDef(c, f.table, f.con, ctx.searchPath) : null;
      },
    }));
    reg.add(defineScalar({
      name: 'pg_get_viewdef', args, returns: Types.text, ...stable,
      impl: ([oid], ctx) => {
        const r = cat(ctx)?.byOid.get(oid as number);
        return r?.kind === 'view' ? viewDef(r.text) : null;
      },
    }));
  }
  for (const args of [[Types.oid], [Types.oid, Types.int4, Types.bool]]) {
    reg.add(defineScalar({
      name: 'pg_get_indexdef', args, returns: Types.text, ...stable,
      impl: ([oid, col], ctx) => {
        const c = cat(ctx);
        const r = c?.byOid.get(oid as number);
        if (!c || r?.kind !== 'index') return null;
        if (typeof col === 'number' && col > 0) {
          const t = c.byOid.get(r.tableOid);
          const k = [...r.keys, ...r.include][col - 1];
          return t?.kind === 'table' && k !== undefined ? indexKeyText(t, k) : '';
        }
        return indexDef(c, r, ctx.searchPath);
      },
    }));
  }
  reg.add(defineScalar({
    name: 'pg_table_is_visible', args: [Types.oid], returns: Types.bool, ...stable,
    impl: ([oid], ctx) => {
      const c = cat(ctx);
      const r = c?.byOid.get(oid as number);
      if (!c || !r) return false;
      // Visible when no earlier schema on the search path has a relation of the same name.
      for (const s of ctx.searchPath) {
        const found = c.getRelation(s, r.name);
        if (found) return found.oid === r.oid;
      }
      return false;
    },
  }));
  reg.add(defineScalar({ name: 'pg_type_is_visible', args: [Types.oid], returns: Types.bool, ...stable, impl: ([oid]) => typeInfo(oid as number) !== undefined }));
  reg.add(defineScalar({ name: 'pg_function_is_visible', args: [Types.oid], returns: Types.bool, ...stable, impl: () => true }));
  reg.add(defineScalar({ name: 'pg_get_userbyid', args: [Types.oid], returns: Types.name, ...stable, impl: ([oid], ctx) => {
    const role = (ctx.catalog as { auth?: { roles: ReadonlyMap<number, { name: string }> } } | null)?.auth?.roles.get(oid as number);
    return role?.name ?? (oid === 10 ? ctx.user : `unknown (OID=${String(oid)})`);
  } }));
  const describe = (ctx: EvalContext, oid: number, classoid: number | null, sub: number): string | null => {
    const c = cat(ctx);
    if (!c) return null;
    if (classoid === PG_NAMESPACE_OID || classoid === null) {
      for (const s of c.schemas.values()) if (s.oid === oid) return sub === 0 ? s.comment : null;
    }
    if (classoid === PG_CONSTRAINT_OID) return findConstraint(c, oid) ? null : null;
    if (classoid === PG_PROC_OID || classoid === null) {
      const routine = c.routines.get(oid);
      if (routine !== undefined) return sub === 0 ? routine.comment : null;
    }
    const r = c.byOid.get(oid);
    if (!r || (classoid !== null && classoid !== PG_CLASS_OID)) return null;
    if (sub === 0) return r.comment;
    return r.kind === 'table' ? r.columns[sub - 1]?.comment ?? null : null;
  };
  const classOid = (n: unknown): number | null => ({ pg_class: PG_CLASS_OID, pg_namespace: PG_NAMESPACE_OID, pg_constraint: PG_CONSTRAINT_OID, pg_proc: PG_PROC_OID } as Record<string, number>)[n as string] ?? -1;
  reg.add(defineScalar({ name: 'obj_description', args: [Types.oid, Types.name], returns: Types.text, ...stable, impl: ([o, n], ctx) => describe(ctx, o as number, classOid(n), 0) }));
  reg.add(defineScalar({ name: 'obj_description', args: [Types.oid], returns: Types.text, ...stable, impl: ([o], ctx) => describe(ctx, o as number, null, 0) }));
  reg.add(defineScalar({ name: 'shobj_description', args: [Types.oid, Types.name], returns: Types.text, ...stable, impl: () => null }));
  reg.add(defineScalar({ name: 'col_description', args: [Types.oid, Types.int4], returns: Types.text, ...stable, impl: ([o, n], ctx) => describe(ctx, o as number, PG_CLASS_OID, n as number) }));
  // Size estimates: no page files, so ~100 bytes per row for tables and ~40 per entry for indexes.
  const tableBytes = (ctx: EvalContext, oid: number): number => {
    const r = cat(ctx)?.byOid.get(oid);
    if (r?.kind === 'table') return Math.ceil(r.store.rowEstimate / 80) * 8192;
    if (r?.kind === 'index') {
      const t = cat(ctx)?.byOid.get(r.tableOid);
      return t?.kind === 'table' ? Math.ceil(t.store.rowEstimate / 200) * 8192 + 8192 : 8192;
    }
    return r?.kind === 'sequence' ? 8192 : 0;
  };
  const indexesBytes = (ctx: EvalContext, oid: number): number => {
    const r = cat(ctx)?.byOid.get(oid);
    return r?.kind === 'table' ? r.indexes.reduce((s, i) => s + tableBytes(ctx, i.oid), 0) : 0;
  };
  for (const name of ['pg_relation_size', 'pg_table_size']) {
    reg.add(defineScalar({ name, args: [Types.oid], returns: Types.int8, ...stable, impl: ([o], ctx) => tableBytes(ctx, o as number) }));
  }
  reg.add(defineScalar({ name: 'pg_indexes_size', args: [Types.oid], returns: Types.int8, ...stable, impl: ([o], ctx) => indexesBytes(ctx, o as number) }));
  reg.add(defineScalar({ name: 'pg_total_relation_size', args: [Types.oid], returns: Types.int8, ...stable, impl: ([o], ctx) => tableBytes(ctx, o as number) + indexesBytes(ctx, o as number) }));
  // Objects that never exist here (extended statistics, triggers, rules, partitioning): psql's
  // \d queries call these on the (empty) catalogs' rows or on plain tables.
  for (const name of ['pg_get_statisticsobjdef_columns', 'pg_get_statisticsobjdef', 'pg_get_partkeydef',
    'pg_get_partition_constraintdef', 'pg_get_ruledef']) {
    reg.add(defineScalar({ name, args: [Types.oid], returns: Types.text, ...stable, impl: () => null }));
  }
  for (const args of [[Types.oid], [Types.oid, Types.bool]]) {
    reg.add(defineScalar({
      name: 'pg_get_triggerdef', args, returns: Types.text, ...stable,
      impl: ([oid], ctx) => {
        const c = cat(ctx);
        const t = c?.triggers.get(oid as number);
        return c && t ? triggerDefinition(c, t) : null;
      },
    }));
  }
  // pg_proc oids are synthetic; these read the registry noted by the pg_proc scan (reg-names.ts).
  // User routines (real oids) come from the statement's catalog.
  const procText = (f: (d: NonNullable<ReturnType<typeof procByOid>>) => string, u: (r: RoutineDef) => string | null) =>
    ([oid]: unknown[], ctx: EvalContext): string | null => {
      const r = cat(ctx)?.routines.get(oid as number);
      if (r !== undefined) return u(r);
      const d = procByOid(oid as number);
      return d ? f(d) : null;
    };
  reg.add(defineScalar({ name: 'pg_get_function_result', args: [Types.oid], returns: Types.text, ...stable, impl: procText(functionResult, routineResult) }));
  reg.add(defineScalar({ name: 'pg_get_function_arguments', args: [Types.oid], returns: Types.text, ...stable, impl: procText(functionArguments, routineArguments) }));
  reg.add(defineScalar({ name: 'pg_get_function_identity_arguments', args: [Types.oid], returns: Types.text, ...stable, impl: procText(functionArguments, (r) => routineArguments(r, false)) }));
  reg.add(defineScalar({
    name: 'pg_get_functiondef', args: [Types.oid], returns: Types.text, ...stable,
    impl: ([oid], ctx) => { const r = cat(ctx)?.routines.get(oid as number); return r ? routineDefinition(r) : null; },
  }));
  reg.add(defineScalar({
    name: 'pg_relation_is_publishable', args: [Types.regclass], returns: Types.bool, ...stable,
    impl: ([oid], ctx) => cat(ctx)?.byOid.get(oid as number)?.kind === 'table',
  }));
  // No partitioning: a relation is its own only ancestor.
  reg.add(defineTableFunction({
    name: 'pg_partition_ancestors', args: [Types.regclass], ...stable,
    columns: () => [{ name: 'relid', type: Types.regclass }],
    rows: ([oid], ctx) => (cat(ctx)?.byOid.has(oid as number) ? [[oid]] : []),
  }));
  reg.add(defineScalar({ name: 'pg_encoding_to_char', args: [Types.int4], returns: Types.name, impl: ([e]) => (e === 6 ? 'UTF8' : e === 0 ? 'SQL_ASCII' : '') }));
  registerPrivilegeFunctions(reg);
}
