/**
 * ALTER TABLE: add / drop / rename columns, defaults, NOT NULL, types, identity, constraints,
 * rename table, set schema. Each action produces a new TableDef; actions that must look at
 * existing rows (SET NOT NULL, ADD CHECK / FOREIGN KEY, ALTER TYPE, ADD COLUMN with a volatile
 * default) validate or rewrite them within the transaction.
 */
import { indexColumns } from '../../plan/binder/index-shape.ts';
import { DbError } from '../../errors/index.ts';
import type { AlterTableAction, AlterTableStmt, Expr, RenameStmt } from '../../sql/ast.ts';
import type { ColumnDef, StoredExpr, TableDef } from '../../catalog/objects.ts';
import { findCast } from '../../types/cast.ts';
import { formatType } from '../../types/sql-type.ts';
import { outputFunction } from '../../types/text-io.ts';
import { visibleVersion } from '../../storage/version.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { compileExpr } from '../../exec/compile-expr.ts';
import { QueryState } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { coerce } from '../../plan/binder/coerce-expr.ts';
import { resolveTypeName } from '../../plan/binder/type-names.ts';
import { isConstant } from '../../plan/bound-expr.ts';
import { tableRuntime, tableScope } from '../dml/table-runtime.ts';
import { addConstraints, attachSequence, buildColumn, columnConstraints } from './create-table.ts';
import { describeKeyFor, syncStoreIndexes, type DdlContext } from './ddl-context.ts';
import { rebuildIndexDef } from './index-builder.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import { dropTableDependents, dropViewsCascade, relLabel, viewsUsingColumn } from './drop.ts';

function column(table: TableDef, name: string, loc: number): ColumnDef {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new DbError('undefined_column', `column "${name}" of relation "${table.name}" does not exist`, { position: loc + 1 });
  return c;
}

function replaceColumn(table: TableDef, col: ColumnDef): TableDef {
  return { ...table, columns: table.columns.map((c) => (c.attnum === col.attnum ? col : c)) };
}

/** Visits every row version visible now (the statement snapshot) with its widened values. */
function forEachRow(dc: DdlContext, table: TableDef, fn: (row: unknown[], slot: import('../../storage/version.ts').RowSlot, v: import('../../storage/version.ts').Version) => void): void {
  for (const slot of table.store.slots.slice()) {
    const v = visibleVersion(slot, dc.ctx.snapshot);
    if (v === null) continue;
    fn(v.values.length < table.nextAttnum ? widenRow(v.values, table) : v.values, slot, v);
  }
}

export function runAlterTable(stmt: AlterTableStmt, dc: DdlContext): StatementResult {
  const rel = dc.catalog.findRelation(stmt.name, dc.searchPath);
  if (!rel) {
    if (stmt.ifExists) {
      dc.notice(`relation "${stmt.name.name}" does not exist, skipping`);
      return resultOf('ALTER TABLE', 0);
    }
    throw new DbError('undefined_table', `relation "${stmt.name.name}" does not exist`, { position: stmt.name.loc + 1 });
  }
  if (rel.kind !== 'table') {
    throw new DbError('wrong_object_type', `"${rel.name}" is not a table`, { position: stmt.name.loc + 1 });
  }
  rel.store.enterDdl(dc.txn);
  let table: TableDef = rel;
  for (const action of stmt.actions) table = applyAction(dc, table, action);
  dc.catalog.replaceRelation(rel, table);
  for (const idx of rel.indexes) dc.catalog.removeRelation(idx);
  table = { ...table, indexes: table.indexes.map((i) => rebuildIndexDef(dc.catalog, table, i)) };
  dc.catalog.replaceRelation(rel, table);
  for (const idx of table.indexes) dc.catalog.putRelation({ ...idx, schema: table.schema });
  syncStoreIndexes(dc, table);
  return resultOf('ALTER TABLE', 0);
}

function applyAction(dc: DdlContext, table: TableDef, a: AlterTableAction): TableDef {
  switch (a.kind) {
    case 'AddColumn': return addColumn(dc, table, a);
    case 'DropColumn': {
      const c = table.columns.find((x) => x.name === a.name);
      if (!c) {
        if (a.ifExists) { dc.notice(`column "${a.name}" of relation "${table.name}" does not exist, skipping`); return table; }
        throw new DbError('undefined_column', `column "${a.name}" of relation "${table.name}" does not exist`, { position: a.loc + 1 });
      }
      const usedBy = table.constraints.filter((k) => k.columns.includes(c.attnum) || (k.check && JSON.stringify(k.check.expr).includes(`"names":["${c.name}"]`)));
      const referencing = dc.catalog.tables().flatMap((t) => t.constraints.filter((k) => k.fk?.refTableOid === table.oid && t.oid !== table.oid && k.fk.refColumns.includes(c.attnum)).map((k) => ({ t, k })));
      const referenced = referencing.length > 0;
      const views = viewsUsingColumn(dc, table, c.attnum);
      if ((referenced || views.length > 0) && a.behavior !== 'cascade') {
        const detail = [
          ...views.map((v) => `view ${relLabel(dc, v)} depends on column ${c.name} of table ${relLabel(dc, table)}`),
          ...referencing.map(({ t, k }) => `constraint ${k.name} on table ${relLabel(dc, t)} depends on column ${c.name} of table ${relLabel(dc, table)}`),
        ].join('\n');
        throw new DbError('dependent_objects_still_exist', `cannot drop column ${c.name} of table ${relLabel(dc, table)} because other objects depend on it`,
          { detail, hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
      }
      dropViewsCascade(dc, views);
      if (table.columns.length === 1) {
        // PostgreSQL allows zero-column tables; so do we.
      }
      if (c.sequence) {
        const [s, n] = c.sequence.split('.');
        const seq = dc.catalog.getRelation(s!, n!);
        if (seq) dc.catalog.removeRelation(seq);
      }
      if (referenced) dropTableDependents(dc, table, c.attnum);
      const dropIdx = new Set(usedBy.map((k) => k.name));
      return {
        ...table,
        columns: table.columns.filter((x) => x !== c),
        constraints: table.constraints.filter((k) => !dropIdx.has(k.name)),
        indexes: table.indexes.filter((i) => !(i.constraint && dropIdx.has(i.constraint)) && !indexColumns(i).has(c.attnum)),
      };
    }
    case 'AlterColumnSetDefault': {
      const c = column(table, a.column, a.loc);
      if (c.identity) throw new DbError('syntax_error', `column "${c.name}" of relation "${table.name}" is an identity column`, { position: a.loc + 1, hint: 'Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.' });
      return replaceColumn(table, { ...c, default: { text: a.source.text, expr: a.expr } });
    }
    case 'AlterColumnDropDefault':
      return replaceColumn(table, { ...column(table, a.column, a.loc), default: null });
    case 'AlterColumnSetNotNull': {
      const c = column(table, a.column, a.loc);
      forEachRow(dc, table, (row) => {
        if (row[c.attnum] === null || row[c.attnum] === undefined) {
          throw new DbError('not_null_violation', `column "${c.name}" of relation "${table.name}" contains null values`, { column: c.name, table: table.name });
        }
      });
      return replaceColumn(table, { ...c, notNull: true });
    }
    case 'AlterColumnDropNotNull': {
      const c = column(table, a.column, a.loc);
      if (table.constraints.some((k) => k.type === 'p' && k.columns.includes(c.attnum))) {
        throw new DbError('invalid_table_definition', `column "${c.name}" is in a primary key`, { position: a.loc + 1 });
      }
      if (c.identity) throw new DbError('invalid_table_definition', `column "${c.name}" of relation "${table.name}" is an identity column`, { position: a.loc + 1 });
      return replaceColumn(table, { ...c, notNull: false });
    }
    case 'AlterColumnType': return alterType(dc, table, a);
    case 'AlterColumnAddIdentity': {
      const c = column(table, a.column, a.loc);
      if (c.identity) throw new DbError('object_not_in_prerequisite_state', `column "${c.name}" of relation "${table.name}" is already an identity column`, { position: a.loc + 1 });
      if (c.default) throw new DbError('object_not_in_prerequisite_state', `column "${c.name}" of relation "${table.name}" already has a default value`, { position: a.loc + 1 });
      const withSeq = attachSequence(dc, table, { ...c, identity: a.identity.always ? 'always' : 'by default', notNull: true }, a.identity.options);
      return replaceColumn(table, withSeq);
    }
    case 'AlterColumnSetIdentity': {
      const c = column(table, a.column, a.loc);
      if (!c.identity) throw new DbError('object_not_in_prerequisite_state', `column "${c.name}" of relation "${table.name}" is not an identity column`, { position: a.loc + 1 });
      return replaceColumn(table, { ...c, identity: a.always === null ? c.identity : a.always ? 'always' : 'by default' });
    }
    case 'AlterColumnDropIdentity': {
      const c = column(table, a.column, a.loc);
      if (!c.identity) {
        if (a.ifExists) { dc.notice(`column "${c.name}" of relation "${table.name}" is not an identity column, skipping`); return table; }
        throw new DbError('object_not_in_prerequisite_state', `column "${c.name}" of relation "${table.name}" is not an identity column`, { position: a.loc + 1 });
      }
      if (c.sequence) {
        const [s, n] = c.sequence.split('.');
        const seq = dc.catalog.getRelation(s!, n!);
        if (seq) dc.catalog.removeRelation(seq);
      }
      return replaceColumn(table, { ...c, identity: null, default: null, sequence: null });
    }
    case 'AddConstraint': {
      const next = addConstraints(dc, table, [a.constraint]);
      validateNewConstraints(dc, table, next);
      return next;
    }
    case 'DropConstraint': {
      const k = table.constraints.find((x) => x.name === a.name);
      if (!k) {
        if (a.ifExists) { dc.notice(`constraint "${a.name}" of relation "${table.name}" does not exist, skipping`); return table; }
        throw new DbError('undefined_object', `constraint "${a.name}" of relation "${table.name}" does not exist`, { position: a.loc + 1 });
      }
      if ((k.type === 'p' || k.type === 'u')) {
        const dependents = dc.catalog.tables().filter((t) => t.constraints.some((f) => f.fk?.refTableOid === table.oid && f.fk.refColumns.length === k.columns.length && f.fk.refColumns.every((c, i) => c === k.columns[i])));
        if (dependents.length > 0 && a.behavior !== 'cascade') {
          throw new DbError('dependent_objects_still_exist', `cannot drop constraint ${k.name} on table ${table.name} because other objects depend on it`,
            { hint: 'Use DROP ... CASCADE to drop the dependent objects too.', position: a.loc + 1 });
        }
      }
      const idx = table.indexes.find((i) => i.constraint === k.name);
      if (idx) dc.catalog.removeRelation(idx);
      return { ...table, constraints: table.constraints.filter((x) => x !== k), indexes: table.indexes.filter((i) => i !== idx) };
    }
    case 'ValidateConstraint':
      return table;
    case 'SetSchema': {
      if (!dc.catalog.schemas.has(a.schema)) throw new DbError('invalid_schema_name', `schema "${a.schema}" does not exist`, { position: a.loc + 1 });
      if (dc.catalog.getRelation(a.schema, table.name)) throw new DbError('duplicate_table', `relation "${table.name}" already exists in schema "${a.schema}"`, { position: a.loc + 1 });
      return { ...table, schema: a.schema };
    }
    case 'OwnerTo':
      return { ...table, owner: a.role };
  }
}

function addColumn(dc: DdlContext, table: TableDef, a: Extract<AlterTableAction, { kind: 'AddColumn' }>): TableDef {
  if (table.columns.some((c) => c.name === a.column.name)) {
    if (a.ifNotExists) { dc.notice(`column "${a.column.name}" of relation "${table.name}" already exists, skipping`); return table; }
    throw new DbError('duplicate_column', `column "${a.column.name}" of relation "${table.name}" already exists`, { position: a.loc + 1 });
  }
  const pending = buildColumn(a.column, table.nextAttnum);
  let col = pending.def;
  let next: TableDef = { ...table, nextAttnum: table.nextAttnum + 1 };
  if (pending.serialOptions) col = attachSequence(dc, next, col, pending.serialOptions);
  // Existing rows get the default evaluated once when it is constant (attmissingval); otherwise
  // every row is rewritten with its own evaluation.
  let rewrite = false;
  if (col.default) {
    const qs = new QueryState();
    const e = coerce(bindExpr(col.default.expr, null, dc.bc, qs), col.type, 'assignment', dc.bc, a.loc);
    if (isConstant(e) && e.k === 'const') col = { ...col, missing: e.value };
    else rewrite = true;
  }
  next = { ...next, columns: [...next.columns, col] };
  const withColumn = next;
  next = addConstraints(dc, next, columnConstraints(a.column));
  // Existing rows read the new column through `missing`, so constraints on it can be checked now;
  // a rewritten column's CHECKs are checked on the rewritten rows below.
  if (!rewrite) validateNewConstraints(dc, withColumn, next);
  if (rewrite || col.notNull || col.generated) {
    const rt = tableRuntime(dc.catalog, next, dc.db.registry, dc.searchPath, dc.ctx.types);
    const added = new Set(next.constraints.filter((k) => !withColumn.constraints.includes(k)).map((k) => k.name));
    const checks = rewrite ? rt.checks.filter((chk) => added.has(chk.name)) : [];
    forEachRow(dc, next, (row, slot, v) => {
      const updated = row.slice();
      updated.length = next.nextAttnum;
      if (col.default && rewrite) updated[col.attnum] = rt.defaults[col.attnum]!(updated, dc.ctx);
      else if (updated[col.attnum] === undefined) updated[col.attnum] = col.missing ?? null;
      for (const g of rt.generated) updated[g.attnum] = g.eval(updated, dc.ctx);
      if (col.notNull && (updated[col.attnum] === null || updated[col.attnum] === undefined)) {
        throw new DbError('not_null_violation', `column "${col.name}" of relation "${table.name}" contains null values`, { column: col.name, table: table.name });
      }
      for (const chk of checks) {
        if (chk.eval(updated, dc.ctx) === false) {
          throw new DbError('check_violation', `check constraint "${chk.name}" of relation "${table.name}" is violated by some row`, { constraint: chk.name });
        }
      }
      if (rewrite || col.generated) table.store.update(dc.txn, dc.ctx.snapshot, slot, v, updated);
    });
  }
  return next;
}

function alterType(dc: DdlContext, table: TableDef, a: Extract<AlterTableAction, { kind: 'AlterColumnType' }>): TableDef {
  const c = column(table, a.column, a.loc);
  const type = resolveTypeName(a.type);
  let convert: (row: unknown[]) => unknown;
  if (a.using) {
    const e = coerce(bindExpr(a.using, tableScope(table), dc.bc, new QueryState()), type, 'assignment', dc.bc, a.using.loc);
    const f = compileExpr(e);
    convert = (row) => f(row, dc.ctx);
  } else {
    const cast = findCast(c.type, type, 'assignment');
    if (!cast) {
      throw new DbError('datatype_mismatch', `column "${c.name}" cannot be cast automatically to type ${formatType(type)}`,
        { hint: `You might need to specify "USING ${c.name}::${formatType(type)}".`, position: a.loc + 1 });
    }
    convert = (row) => (row[c.attnum] === null || row[c.attnum] === undefined ? null : cast(row[c.attnum], dc.ctx.types));
  }
  const next = replaceColumn(table, { ...c, type, missing: null });
  // The store's indexes still compute keys with the old type; detach them while rows are
  // rewritten (runAlterTable rebuilds them for the new definition) and check uniqueness here.
  const store = table.store;
  const prevIndexes = store.indexes;
  const prevUniques = store.uniques;
  store.setIndexes([], []);
  dc.onUndo(() => store.setIndexes(prevIndexes, prevUniques));
  const uniques = next.indexes.filter((i) => i.unique && i.keys.includes(c.attnum)).map((i) => rebuildIndexDef(dc.catalog, next, i));
  const seen = uniques.map(() => new Set<unknown>());
  forEachRow(dc, table, (row, slot, v) => {
    const updated = row.slice();
    updated[c.attnum] = convert(row);
    uniques.forEach((idx, i) => {
      const key = idx.codec.ofRow(updated);
      if (key === null) return;
      if (seen[i]!.has(key)) {
        throw new DbError('unique_violation', `could not create unique index "${idx.name}"`,
          { detail: `Key ${describeKeyFor(next, idx)(updated)} is duplicated.`, constraint: idx.name });
      }
      seen[i]!.add(key);
    });
    store.update(dc.txn, dc.ctx.snapshot, slot, v, updated);
  });
  return next;
}

/** Checks existing rows against constraints added by ALTER TABLE ADD CONSTRAINT. */
function validateNewConstraints(dc: DdlContext, before: TableDef, after: TableDef): void {
  const added = after.constraints.filter((k) => !before.constraints.includes(k));
  if (added.length === 0) return;
  const rt = tableRuntime(dc.catalog, after, dc.db.registry, dc.searchPath, dc.ctx.types);
  const checks = rt.checks.filter((c) => added.some((k) => k.name === c.name));
  const uniques = after.indexes.filter((i) => added.some((k) => k.name === i.constraint));
  const seen = uniques.map(() => new Map<unknown, true>());
  forEachRow(dc, after, (row) => {
    for (const chk of checks) {
      if (chk.eval(row, dc.ctx) === false) {
        throw new DbError('check_violation', `check constraint "${chk.name}" of relation "${after.name}" is violated by some row`, { constraint: chk.name });
      }
    }
    uniques.forEach((idx, i) => {
      const key = idx.runtime.keyOf(row);
      if (key === null) return;
      if (seen[i]!.has(key)) {
        throw new DbError('unique_violation', `could not create unique index "${idx.name}"`, { detail: `Key ${describeKeyFor(after, idx)(row)} is duplicated.`, constraint: idx.name });
      }
      seen[i]!.set(key, true);
    });
    for (const k of added) {
      if (k.type !== 'p') continue;
      for (const a of k.columns) {
        if (row[a] === null || row[a] === undefined) {
          const name = after.columns.find((c) => c.attnum === a)!.name;
          throw new DbError('not_null_violation', `column "${name}" of relation "${after.name}" contains null values`);
        }
      }
    }
  });
  const fks = rt.outgoing.filter((f) => added.includes(f.constraint));
  if (fks.length > 0) {
    forEachRow(dc, after, (row) => {
      for (const fk of fks) {
        const vals = fk.constraint.columns.map((c) => row[c] ?? null);
        if (vals.some((v) => v === null)) continue;
        const parent = fk.parent;
        const codecIdx = parent.indexes.find((i) => i.unique && i.keys.length === vals.length && i.keys.every((k, j) => k === fk.constraint.fk!.refColumns[j]));
        const key = codecIdx?.codec.ofValues(vals);
        const hit = key === undefined || key === null ? undefined : codecIdx!.runtime.lookup(key);
        const slots = hit === undefined ? [] : Array.isArray(hit) ? hit : [hit];
        const ok = (slots as import('../../storage/version.ts').RowSlot[]).some((s) => visibleVersion(s, dc.ctx.snapshot) !== null);
        if (!ok) {
          const names = (t: TableDef, attnums: readonly number[]): string => attnums.map((a) => t.columns.find((c) => c.attnum === a)?.name ?? '?').join(', ');
          const shown = fk.constraint.columns.map((a, i) => outputFunction(after.columns.find((c) => c.attnum === a)!.type)(vals[i], dc.ctx.types)).join(', ');
          throw new DbError('foreign_key_violation', `insert or update on table "${after.name}" violates foreign key constraint "${fk.constraint.name}"`, {
            detail: `Key (${names(after, fk.constraint.columns)})=(${shown}) is not present in table "${parent.name}".`, constraint: fk.constraint.name,
          });
        }
      }
    });
  }
}

export function runRename(stmt: RenameStmt, dc: DdlContext): StatementResult {
  const tag = `ALTER ${stmt.relationType === 'materialized_view' ? 'MATERIALIZED VIEW' : stmt.relationType.toUpperCase()}`;
  if (stmt.relationType === 'schema') {
    const s = dc.catalog.schemas.get(stmt.name.name);
    if (!s) throw new DbError('invalid_schema_name', `schema "${stmt.name.name}" does not exist`, { position: stmt.name.loc + 1 });
    if (dc.catalog.schemas.has(stmt.newName)) throw new DbError('duplicate_schema', `schema "${stmt.newName}" already exists`);
    dc.catalog.schemas.delete(s.name);
    dc.catalog.schemas.set(stmt.newName, { ...s, name: stmt.newName });
    for (const rel of [...dc.catalog.relations.values()]) {
      if (rel.schema === s.name) dc.catalog.replaceRelation(rel, { ...rel, schema: stmt.newName });
    }
    return resultOf('ALTER SCHEMA', 0);
  }
  const rel = dc.catalog.findRelation(stmt.name, dc.searchPath);
  if (!rel) {
    if (stmt.ifExists) { dc.notice(`relation "${stmt.name.name}" does not exist, skipping`); return resultOf(tag, 0); }
    throw new DbError('undefined_table', `relation "${stmt.name.name}" does not exist`, { position: stmt.name.loc + 1 });
  }
  if (rel.kind === 'table') rel.store.enterDdl(dc.txn);
  if (stmt.objectType === 'column') {
    if (rel.kind !== 'table') throw new DbError('feature_not_supported', 'renaming columns of views is not supported yet');
    const c = column(rel, stmt.subName!, stmt.loc);
    if (rel.columns.some((x) => x.name === stmt.newName)) {
      throw new DbError('duplicate_column', `column "${stmt.newName}" of relation "${rel.name}" already exists`, { position: stmt.loc + 1 });
    }
    const renamed = renameColumnRefs(replaceColumn(rel, { ...c, name: stmt.newName }), c.name, stmt.newName);
    dc.catalog.replaceRelation(rel, renamed);
    // Index relations are separate catalog entries: keep their expression texts in step.
    for (const idx of renamed.indexes) {
      const old = dc.catalog.byOid.get(idx.oid);
      if (old === undefined) continue;
      dc.catalog.removeRelation(old);
      dc.catalog.putRelation(old.kind === 'index' ? { ...idx, name: old.name, schema: old.schema, comment: old.comment } : idx);
    }
    return resultOf(tag, 0);
  }
  if (stmt.objectType === 'constraint') {
    if (rel.kind !== 'table') throw new DbError('wrong_object_type', `"${rel.name}" is not a table`);
    const k = rel.constraints.find((x) => x.name === stmt.subName);
    if (!k) throw new DbError('undefined_object', `constraint "${stmt.subName}" for table "${rel.name}" does not exist`);
    dc.catalog.replaceRelation(rel, { ...rel, constraints: rel.constraints.map((x) => (x === k ? { ...k, name: stmt.newName } : x)), indexes: rel.indexes.map((i) => (i.constraint === k.name ? { ...i, constraint: stmt.newName } : i)) });
    return resultOf(tag, 0);
  }
  if (dc.catalog.getRelation(rel.schema, stmt.newName)) {
    throw new DbError('duplicate_table', `relation "${stmt.newName}" already exists`, { position: stmt.loc + 1 });
  }
  dc.catalog.replaceRelation(rel, { ...rel, name: stmt.newName });
  return resultOf(tag, 0);
}

/**
 * Stored expressions of a table (CHECK constraints, generated columns) keep parsed column names,
 * where PostgreSQL keeps attnums; after RENAME COLUMN they must name the column's new name.
 */
function renameColumnRefs(table: TableDef, from: string, to: string): TableDef {
  const fix = (e: StoredExpr): StoredExpr => ({ text: renameInText(e.text, from, to), expr: renameInExpr(e.expr, from, to) as Expr });
  return {
    ...table,
    constraints: table.constraints.map((k) => (k.check ? { ...k, check: fix(k.check) } : k)),
    columns: table.columns.map((col) => (col.generated ? { ...col, generated: fix(col.generated) } : col)),
    indexes: table.indexes.map((i) => ({
      ...i, keys: i.keys.map((k) => (typeof k === 'number' ? k : fix(k))), predicate: i.predicate ? fix(i.predicate) : null,
    })),
  };
}

function renameInExpr(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((x) => renameInExpr(x, from, to));
  if (node === null || typeof node !== 'object') return node;
  const rec = node as { kind?: unknown; names?: unknown };
  if (rec.kind === 'ColumnRef' && Array.isArray(rec.names) && rec.names[rec.names.length - 1] === from) {
    return { ...rec, names: [...rec.names.slice(0, -1), to] };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = renameInExpr(v, from, to);
  return out;
}

/** Replaces the identifier outside string literals and quoted identifiers (display text only). */
function renameInText(text: string, from: string, to: string): string {
  const quoted = /^[a-z_][a-z0-9_$]*$/.test(to) ? to : `"${to.replace(/"/g, '""')}"`;
  return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*/g, (tok) => (tok.toLowerCase() === from || tok === `"${from}"` ? quoted : tok));
}
