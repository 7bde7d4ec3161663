/**
 * The smaller DDL statements: CREATE SCHEMA, CREATE VIEW, CREATE / ALTER SEQUENCE, CREATE INDEX,
 * TRUNCATE and COMMENT ON.
 */
import { fireTruncateTriggers } from '../triggers.ts';
import { putRoutine } from '../../catalog/routines.ts';
import { findRoutineForComment } from './routines-create.ts';
import { DbError } from '../../errors/index.ts';
import type {
  AlterSequenceStmt, CommentStmt, CreateSchemaStmt, CreateSequenceStmt, CreateViewStmt, TruncateStmt,
} from '../../sql/ast.ts';
import type { SequenceDef, TableDef, ViewDef } from '../../catalog/objects.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { Oid, Types, formatType } from '../../types/sql-type.ts';
import { visibleVersion } from '../../storage/version.ts';
import { type DdlContext } from './ddl-context.ts';
import { newSequenceState, sequenceSet, sequenceSpec } from './sequences.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';

export function runCreateSchema(stmt: CreateSchemaStmt, dc: DdlContext): StatementResult {
  const name = stmt.name ?? stmt.authorization!;
  if (dc.catalog.schemas.has(name)) {
    if (stmt.ifNotExists) { dc.notice(`schema "${name}" already exists, skipping`); return resultOf('CREATE SCHEMA', 0); }
    throw new DbError('duplicate_schema', `schema "${name}" already exists`, { position: stmt.loc + 1 });
  }
  if (name.startsWith('pg_')) {
    throw new DbError('reserved_name', `unacceptable schema name "${name}"`, { detail: 'The prefix "pg_" is reserved for system schemas.', position: stmt.loc + 1 });
  }
  dc.catalog.schemas.set(name, { oid: dc.catalog.allocOid(), name, owner: stmt.authorization ?? dc.user, comment: null });
  return resultOf('CREATE SCHEMA', 0);
}

export function runCreateView(stmt: CreateViewStmt, dc: DdlContext): StatementResult {
  const schema = dc.catalog.creationSchema(stmt.name, dc.searchPath);
  const existing = dc.catalog.getRelation(schema, stmt.name.name);
  if (existing && !(stmt.orReplace && existing.kind === 'view')) {
    throw new DbError('duplicate_table', `relation "${stmt.name.name}" already exists`, { position: stmt.name.loc + 1 });
  }
  if (stmt.recursive) throw new DbError('feature_not_supported', 'CREATE RECURSIVE VIEW is not supported yet', { position: stmt.loc + 1 });
  const sub = bindQuery(stmt.query, new Scope(null), dc.bc);
  if (stmt.columns && stmt.columns.length > sub.columns.length) {
    throw new DbError('syntax_error', 'CREATE VIEW specifies more column names than columns', { position: stmt.loc + 1 });
  }
  const columns = sub.columns.map((c, i) => ({ name: stmt.columns?.[i] ?? c.name, type: c.type.oid === Oid.unknown ? Types.text : c.type }));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new DbError('duplicate_column', `column "${c.name}" specified more than once`, { position: stmt.loc + 1 });
    seen.add(c.name);
  }
  if (existing && existing.kind === 'view') {
    existing.columns.forEach((c, i) => {
      const n = columns[i];
      if (!n) throw new DbError('invalid_table_definition', 'cannot drop columns from view');
      if (n.name !== c.name) {
        throw new DbError('invalid_table_definition', `cannot change name of view column "${c.name}" to "${n.name}"`,
          { hint: 'Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.' });
      }
      if (n.type.oid !== c.type.oid) {
        throw new DbError('invalid_table_definition', `cannot change data type of view column "${c.name}" from ${formatType(c.type)} to ${formatType(n.type)}`);
      }
    });
  }
  const view: ViewDef = {
    kind: 'view', oid: existing?.oid ?? dc.catalog.allocOid(), schema, name: stmt.name.name, columns,
    query: stmt.query, text: stmt.source.text, owner: dc.user, checkOption: stmt.checkOption, comment: existing?.comment ?? null,
  };
  dc.catalog.putRelation(view);
  return resultOf('CREATE VIEW', 0);
}

export function runCreateSequence(stmt: CreateSequenceStmt, dc: DdlContext): StatementResult {
  const schema = dc.catalog.creationSchema(stmt.name, dc.searchPath);
  if (dc.catalog.getRelation(schema, stmt.name.name)) {
    if (stmt.ifNotExists) { dc.notice(`relation "${stmt.name.name}" already exists, skipping`); return resultOf('CREATE SEQUENCE', 0); }
    throw new DbError('duplicate_table', `relation "${stmt.name.name}" already exists`, { position: stmt.name.loc + 1 });
  }
  const spec = sequenceSpec(stmt.options, null);
  const seq: SequenceDef = {
    kind: 'sequence', oid: dc.catalog.allocOid(), schema, name: stmt.name.name, dataType: spec.dataType,
    increment: spec.increment, min: spec.min, max: spec.max, start: spec.start, cache: spec.cache, cycle: spec.cycle,
    ownedBy: ownedBy(dc, spec.ownedBy), state: newSequenceState(spec), owner: dc.user, comment: null,
  };
  dc.catalog.putRelation(seq);
  return resultOf('CREATE SEQUENCE', 0);
}

function ownedBy(dc: DdlContext, names: readonly string[] | null | undefined): SequenceDef['ownedBy'] {
  if (!names) return null;
  const tableName = names.slice(0, -1);
  const colName = names[names.length - 1]!;
  const table = dc.catalog.requireTable({ kind: 'ObjectName', catalog: null, schema: tableName.length > 1 ? tableName[0]! : null, name: tableName[tableName.length - 1]!, loc: 0 }, dc.searchPath);
  const col = table.columns.find((c) => c.name === colName);
  if (!col) throw new DbError('undefined_column', `column "${colName}" of relation "${table.name}" does not exist`);
  return { tableOid: table.oid, attnum: col.attnum };
}

export function runAlterSequence(stmt: AlterSequenceStmt, dc: DdlContext): StatementResult {
  const rel = dc.catalog.findRelation(stmt.name, dc.searchPath);
  if (!rel) {
    if (stmt.ifExists) { dc.notice(`relation "${stmt.name.name}" does not exist, skipping`); return resultOf('ALTER SEQUENCE', 0); }
    throw new DbError('undefined_table', `relation "${stmt.name.name}" does not exist`, { position: stmt.name.loc + 1 });
  }
  if (rel.kind !== 'sequence') throw new DbError('wrong_object_type', `"${rel.name}" is not a sequence`, { position: stmt.name.loc + 1 });
  const spec = sequenceSpec(stmt.options, rel);
  const next: SequenceDef = {
    ...rel, dataType: spec.dataType, increment: spec.increment, min: spec.min, max: spec.max, start: spec.start,
    cache: spec.cache, cycle: spec.cycle, ownedBy: spec.ownedBy === undefined ? rel.ownedBy : ownedBy(dc, spec.ownedBy),
  };
  if (spec.restart !== null) sequenceSet(next, spec.restart, false);
  dc.catalog.putRelation(next);
  return resultOf('ALTER SEQUENCE', 0);
}

export { runCreateIndex } from './create-index.ts';

/** TRUNCATE: deletes every visible row as one MVCC-safe change (concurrent snapshots keep theirs). */
export function runTruncate(stmt: TruncateStmt, dc: DdlContext): StatementResult {
  const tables = stmt.tables.map((r) => dc.catalog.requireTable(r.name, dc.searchPath));
  const oids = new Set(tables.map((t) => t.oid));
  // Referencing tables, transitively (a cascaded table's own referencers are truncated too).
  for (let grew = true; grew;) {
    grew = false;
    for (const t of dc.catalog.tables()) {
      if (oids.has(t.oid)) continue;
      const k = t.constraints.find((x) => x.fk !== null && oids.has(x.fk.refTableOid));
      if (!k) continue;
      if (stmt.behavior !== 'cascade') {
        throw new DbError('feature_not_supported', 'cannot truncate a table referenced in a foreign key constraint', {
          detail: `Table "${t.name}" references "${dc.catalog.byOid.get(k.fk!.refTableOid)?.name}".`,
          hint: `Truncate table "${t.name}" at the same time, or use TRUNCATE ... CASCADE.`,
        });
      }
      dc.notice(`truncate cascades to table "${t.name}"`);
      tables.push(t);
      oids.add(t.oid);
      grew = true;
    }
  }
  for (const t of tables) fireTruncateTriggers(dc.catalog, t, dc.db.registry, dc.searchPath, dc.ctx, 'before');
  for (const t of tables) {
    t.store.enterDdl(dc.txn);
    for (const slot of t.store.slots) {
      const v = visibleVersion(slot, dc.ctx.snapshot);
      if (v !== null) t.store.delete(dc.txn, dc.ctx.snapshot, slot, v);
    }
    if (stmt.restartIdentity) {
      for (const c of t.columns) {
        if (!c.sequence) continue;
        const [s, n] = c.sequence.split('.');
        const seq = dc.catalog.getRelation(s!, n!);
        if (seq?.kind === 'sequence') sequenceSet(seq, seq.start, false);
      }
    }
  }
  for (const t of tables) fireTruncateTriggers(dc.catalog, t, dc.db.registry, dc.searchPath, dc.ctx, 'after');
  return resultOf('TRUNCATE TABLE', 0);
}

/** COMMENT ON FUNCTION / PROCEDURE / AGGREGATE name[(types)] (src/engine/ddl/routines-create.ts). */
function commentOnRoutine(stmt: CommentStmt, dc: DdlContext): void {
  const def = findRoutineForComment(dc.catalog, stmt, dc.searchPath);
  putRoutine(dc.catalog, { ...def, comment: stmt.comment });
}

export function runComment(stmt: CommentStmt, dc: DdlContext): StatementResult {
  const names = stmt.object;
  const obj = (schema: string | null, name: string) => ({ kind: 'ObjectName' as const, catalog: null, schema, name, loc: stmt.loc });
  switch (stmt.objectType) {
    case 'schema': {
      const s = dc.catalog.schemas.get(names[0]!);
      if (!s) throw new DbError('invalid_schema_name', `schema "${names[0]}" does not exist`);
      dc.catalog.schemas.set(s.name, { ...s, comment: stmt.comment });
      break;
    }
    case 'column': {
      const tableNames = names.slice(0, -1);
      const table = dc.catalog.requireTable(obj(tableNames.length > 1 ? tableNames[0]! : null, tableNames[tableNames.length - 1]!), dc.searchPath);
      const col = table.columns.find((c) => c.name === names[names.length - 1]);
      if (!col) throw new DbError('undefined_column', `column "${names[names.length - 1]}" of relation "${table.name}" does not exist`);
      dc.catalog.replaceRelation(table, { ...table, columns: table.columns.map((c) => (c === col ? { ...c, comment: stmt.comment } : c)) });
      break;
    }
    case 'table': case 'view': case 'index': case 'sequence': case 'materialized_view': {
      const rel = dc.catalog.findRelation(obj(names.length > 1 ? names[0]! : null, names[names.length - 1]!), dc.searchPath);
      if (!rel) throw new DbError('undefined_table', `relation "${names.join('.')}" does not exist`);
      dc.catalog.replaceRelation(rel, { ...rel, comment: stmt.comment });
      break;
    }
    case 'function': case 'procedure':
      commentOnRoutine(stmt, dc);
      break;
    default:
      throw new DbError('feature_not_supported', `COMMENT ON ${stmt.objectType.toUpperCase()} is not supported yet`);
  }
  return resultOf('COMMENT', 0);
}
