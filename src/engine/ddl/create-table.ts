/**
 * CREATE TABLE (columns, SERIAL / IDENTITY, DEFAULT, GENERATED, NOT NULL, CHECK, PRIMARY KEY,
 * UNIQUE, FOREIGN KEY) and CREATE TABLE AS. Constraint and sequence names follow PostgreSQL's
 * conventions (t_pkey, t_a_key, t_a_check, t_a_fkey, t_a_seq).
 */
import { DbError } from '../../errors/index.ts';
import type {
  ColumnDef as ColumnAst, CreateTableAsStmt, CreateTableStmt, Expr, ForeignKeyConstraint, SequenceOption,
  TableConstraint,
} from '../../sql/ast.ts';
import { parseExpression } from '../../sql/index.ts';
import type { ColumnDef, ConstraintDef, ForeignKeyDef, IndexDef, RefAction, SequenceDef, TableDef } from '../../catalog/objects.ts';
import { Limits } from '../../limits.ts';
import { TableStore } from '../../storage/table-store.ts';
import { Oid, formatType, type SqlType } from '../../types/sql-type.ts';
import { commonType } from '../../types/coerce.ts';
import { resolveTypeName, SERIAL_TYPES } from '../../plan/binder/type-names.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { checkNeeds } from '../../auth/privileges.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { executeAll } from '../../exec/executor.ts';
import { chooseName, syncStoreIndexes, type DdlContext } from './ddl-context.ts';
import { buildIndexDef } from './index-builder.ts';
import { newSequenceState, sequenceSpec } from './sequences.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';

interface PendingColumn {
  def: ColumnDef;
  serialOptions: readonly SequenceOption[] | null;
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function seqDefault(seqSchema: string, seqName: string): { text: string; expr: Expr } {
  const qualified = seqSchema === 'public' ? quoteIdent(seqName) : `${quoteIdent(seqSchema)}.${quoteIdent(seqName)}`;
  return { text: `nextval('${qualified}'::regclass)`, expr: parseExpression(`nextval('${qualified.replace(/'/g, "''")}')`) };
}

export function buildColumn(ast: ColumnAst, attnum: number): PendingColumn {
  const serial = ast.type.schema === null && ast.type.arrayDims === 0 ? SERIAL_TYPES[ast.type.name] : undefined;
  const type: SqlType = serial ?? resolveTypeName(ast.type);
  let notNull = serial !== undefined;
  let def: ColumnDef['default'] = null;
  let identity: ColumnDef['identity'] = null;
  let generated: ColumnDef['generated'] = null;
  let serialOptions: readonly SequenceOption[] | null = serial ? [] : null;
  for (const c of ast.constraints) {
    switch (c.kind) {
      case 'NotNullConstraint': notNull = true; break;
      case 'NullConstraint':
        if (serial) throw new DbError('syntax_error', `conflicting NULL/NOT NULL declarations for column "${ast.name}"`, { position: c.loc + 1 });
        notNull = false;
        break;
      case 'DefaultConstraint':
        if (serial) throw new DbError('syntax_error', `multiple default values specified for column "${ast.name}"`, { position: c.loc + 1 });
        def = { text: c.source.text, expr: c.expr };
        break;
      case 'IdentityConstraint':
        if (def || serial) throw new DbError('syntax_error', `both default and identity specified for column "${ast.name}"`, { position: c.loc + 1 });
        if (![Oid.int2, Oid.int4, Oid.int8].includes(type.oid as 21)) {
          throw new DbError('datatype_mismatch', `identity column type must be smallint, integer, or bigint`, { position: c.loc + 1 });
        }
        identity = c.always ? 'always' : 'by default';
        notNull = true;
        serialOptions = c.options;
        break;
      case 'GeneratedConstraint':
        generated = { text: c.source.text, expr: c.expr };
        break;
      default:
        break;
    }
  }
  return {
    def: { name: ast.name, type, attnum, notNull, default: def, identity, sequence: null, generated, comment: null, missing: null },
    serialOptions,
  };
}

/** Normalizes column-level PK/UNIQUE/CHECK/FK constraints to table-level ones. */
export function columnConstraints(ast: ColumnAst): TableConstraint[] {
  const out: TableConstraint[] = [];
  for (const c of ast.constraints) {
    if (c.kind === 'PrimaryKeyConstraint' || c.kind === 'UniqueConstraint' || c.kind === 'ForeignKeyConstraint') {
      out.push({ ...c, columns: [ast.name] } as TableConstraint);
    } else if (c.kind === 'CheckConstraint') {
      out.push({ ...c, name: c.name ?? null } as TableConstraint);
    }
  }
  return out;
}

function refAction(a: ForeignKeyConstraint['onDelete']): RefAction {
  return a === null ? 'no_action' : a.type;
}

function findAttnums(table: { columns: readonly ColumnDef[] }, names: readonly string[], loc: number, what: string): number[] {
  return names.map((n) => {
    const c = table.columns.find((x) => x.name === n);
    if (!c) {
      // PostgreSQL's two wordings: parse_utilcmd.c for keys, tablecmds.c for foreign keys.
      const msg = what === 'foreign key' ? `column "${n}" referenced in foreign key constraint does not exist` : `column "${n}" named in ${what} does not exist`;
      throw new DbError('undefined_column', msg, { position: loc + 1 });
    }
    return c.attnum;
  });
}

/**
 * Adds constraints to a table definition (CREATE TABLE and ALTER TABLE ADD CONSTRAINT share this),
 * returning the new definition with its indexes. `self` resolves self-referencing foreign keys.
 */
export function addConstraints(dc: DdlContext, table: TableDef, constraints: readonly TableConstraint[]): TableDef {
  let cons = [...table.constraints];
  let indexes = [...table.indexes];
  let columns = [...table.columns];
  const taken = (name: string): boolean => cons.some((c) => c.name === name) || dc.catalog.getRelation(table.schema, name) !== undefined || indexes.some((i) => i.name === name);
  const pick = (base: string): string => {
    let name = base.slice(0, 63);
    for (let i = 1; taken(name); i++) name = `${base.slice(0, 63 - String(i).length)}${i}`;
    return name;
  };
  for (const c of constraints) {
    if (c.name !== null && cons.some((x) => x.name === c.name)) {
      throw new DbError('duplicate_object', `constraint "${c.name}" for relation "${table.name}" already exists`, { position: c.loc + 1 });
    }
    switch (c.kind) {
      case 'PrimaryKeyConstraint':
      case 'UniqueConstraint': {
        const primary = c.kind === 'PrimaryKeyConstraint';
        const attnums = findAttnums({ columns }, c.columns, c.loc, 'key');
        if (primary && cons.some((x) => x.type === 'p')) {
          throw new DbError('invalid_table_definition', `multiple primary keys for table "${table.name}" are not allowed`, { position: c.loc + 1 });
        }
        const colNames = attnums.map((a) => columns.find((x) => x.attnum === a)!.name);
        const name = c.name ?? pick(primary ? `${table.name}_pkey` : `${table.name}_${colNames.join('_')}_key`);
        if (primary) columns = columns.map((col) => (attnums.includes(col.attnum) ? { ...col, notNull: true } : col));
        const nnd = c.kind === 'UniqueConstraint' && c.nullsNotDistinct;
        cons.push({ name, type: primary ? 'p' : 'u', columns: attnums, check: null, fk: null, nullsNotDistinct: nnd });
        const withCols: TableDef = { ...table, columns };
        indexes.push(buildIndexDef(dc.catalog, withCols, { name, keys: attnums, unique: true, primary, method: 'btree', constraint: name, nullsNotDistinct: nnd, include: findAttnums({ columns }, c.include, c.loc, 'INCLUDE') }));
        break;
      }
      case 'CheckConstraint': {
        // PostgreSQL (heap.c) names an unnamed CHECK after its column only when the expression
        // references exactly one column, wherever the constraint was written.
        const only = singleColumnIn(c.expr, columns);
        const name = c.name ?? pick(only ? `${table.name}_${only}_check` : `${table.name}_check`);
        cons.push({ name, type: 'c', columns: [], check: { text: c.source.text, expr: c.expr }, fk: null, nullsNotDistinct: false });
        break;
      }
      case 'ForeignKeyConstraint': {
        const colNames = c.columns;
        const name = c.name ?? pick(`${table.name}_${colNames.join('_')}_fkey`);
        const fk = bindForeignKey(dc, { ...table, columns, constraints: cons, indexes }, c, name);
        cons.push({ name, type: 'f', columns: findAttnums({ columns }, c.columns, c.loc, 'foreign key'), check: null, fk, nullsNotDistinct: false });
        break;
      }
    }
  }
  return { ...table, columns, constraints: cons, indexes };
}

/** The one table column `e` references, or undefined when it references none or several. */
function singleColumnIn(e: Expr, columns: readonly ColumnDef[]): string | undefined {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { for (const x of node) visit(x); return; }
    if (node === null || typeof node !== 'object') return;
    const rec = node as { kind?: unknown; names?: unknown };
    if (rec.kind === 'ColumnRef' && Array.isArray(rec.names)) {
      const last = rec.names[rec.names.length - 1];
      if (typeof last === 'string' && columns.some((c) => c.name === last)) found.add(last);
      return;
    }
    for (const v of Object.values(node)) visit(v);
  };
  visit(e);
  return found.size === 1 ? [...found][0] : undefined;
}

function bindForeignKey(dc: DdlContext, table: TableDef, c: ForeignKeyConstraint, name: string): ForeignKeyDef {
  const self = (c.refTable.schema === null || c.refTable.schema === table.schema) && c.refTable.name === table.name;
  const rel = self ? table : dc.catalog.findRelation(c.refTable, dc.searchPath);
  if (!rel) throw new DbError('undefined_table', `relation "${c.refTable.name}" does not exist`, { position: c.refTable.loc + 1 });
  if (rel.kind !== 'table') throw new DbError('wrong_object_type', `referenced relation "${rel.name}" is not a table`, { position: c.loc + 1 });
  const parent: TableDef = rel;
  let refCols: number[];
  if (c.refColumns) {
    refCols = findAttnums(parent, c.refColumns, c.loc, 'foreign key');
  } else {
    const pk = parent.constraints.find((x) => x.type === 'p');
    if (!pk) throw new DbError('undefined_object', `there is no primary key for referenced table "${parent.name}"`, { position: c.loc + 1 });
    refCols = [...pk.columns];
  }
  if (refCols.length !== c.columns.length) {
    throw new DbError('invalid_foreign_key', 'number of referencing and referenced columns for foreign key disagree', { position: c.loc + 1 });
  }
  const hasUnique = parent.indexes.some((i) => i.unique && i.keys.length === refCols.length && i.keys.every((k, j) => k === refCols[j]));
  if (!hasUnique) {
    throw new DbError('invalid_foreign_key', `there is no unique constraint matching given keys for referenced table "${parent.name}"`, { position: c.loc + 1 });
  }
  const childCols = findAttnums(table, c.columns, c.loc, 'foreign key');
  childCols.forEach((a, i) => {
    const ct = table.columns.find((x) => x.attnum === a)!;
    const pt = parent.columns.find((x) => x.attnum === refCols[i])!;
    if (ct.type.oid !== pt.type.oid && commonType([ct.type, pt.type], null) === null) {
      throw new DbError('datatype_mismatch', `foreign key constraint "${name}" cannot be implemented`, {
        detail: `Key columns "${ct.name}" and "${pt.name}" are of incompatible types: ${formatType(ct.type)} and ${formatType(pt.type)}.`,
      });
    }
  });
  const delCols = c.onDelete?.columns ? findAttnums(table, c.onDelete.columns, c.loc, 'foreign key action') : null;
  return {
    refTableOid: parent.oid, refColumns: refCols, onDelete: refAction(c.onDelete), onUpdate: refAction(c.onUpdate),
    match: c.match === 'full' ? 'full' : 'simple', onDeleteColumns: delCols,
  };
}

/** Creates the sequence behind a SERIAL / IDENTITY column and points the column at it. */
export function attachSequence(dc: DdlContext, table: TableDef, col: ColumnDef, options: readonly SequenceOption[]): ColumnDef {
  const named = options.find((o) => o.kind === 'SeqOptName');
  const seqName = named && named.kind === 'SeqOptName' ? named.name.name : chooseName(dc.catalog, table.schema, `${table.name}_${col.name}_seq`);
  const spec = sequenceSpec(options.filter((o) => o.kind !== 'SeqOptName'), null, col.type);
  const seq: SequenceDef = {
    kind: 'sequence', oid: dc.catalog.allocOid(), schema: table.schema, name: seqName, dataType: spec.dataType,
    increment: spec.increment, min: spec.min, max: spec.max, start: spec.start, cache: spec.cache, cycle: spec.cycle,
    ownedBy: { tableOid: table.oid, attnum: col.attnum }, state: newSequenceState(spec), owner: dc.user, comment: null,
  };
  dc.catalog.putRelation(seq);
  return { ...col, default: seqDefault(table.schema, seqName), sequence: `${table.schema}.${seqName}` };
}

export function runCreateTable(stmt: CreateTableStmt, dc: DdlContext): StatementResult {
  const schema = dc.catalog.creationSchema(stmt.name, dc.searchPath);
  if (dc.catalog.getRelation(schema, stmt.name.name)) {
    if (stmt.ifNotExists) {
      dc.notice(`relation "${stmt.name.name}" already exists, skipping`);
      return resultOf('CREATE TABLE', 0);
    }
    throw new DbError('duplicate_table', `relation "${stmt.name.name}" already exists`, { position: stmt.name.loc + 1 });
  }
  const pending: PendingColumn[] = [];
  const constraints: TableConstraint[] = [];
  for (const el of stmt.elements) {
    if (el.kind === 'ColumnDef') {
      if (pending.some((p) => p.def.name === el.name)) {
        throw new DbError('duplicate_column', `column "${el.name}" specified more than once`, { position: el.loc + 1 });
      }
      pending.push(buildColumn(el, pending.length));
      constraints.push(...columnConstraints(el));
    } else if (el.kind === 'TableLike') {
      const src = dc.catalog.requireTable(el.table, dc.searchPath);
      for (const c of src.columns) {
        if (pending.some((p) => p.def.name === c.name)) throw new DbError('duplicate_column', `column "${c.name}" specified more than once`, { position: el.loc + 1 });
        const withDefaults = el.including.includes('all') || el.including.includes('defaults');
        pending.push({ def: { ...c, attnum: pending.length, default: withDefaults ? c.default : null, identity: null, sequence: null, generated: null, missing: null }, serialOptions: null });
      }
    } else {
      constraints.push(el);
    }
  }
  if (pending.length > Limits.tableColumnsMax) {
    throw new DbError('too_many_columns', `tables can have at most ${Limits.tableColumnsMax} columns`, { position: stmt.loc + 1 });
  }
  let table: TableDef = {
    kind: 'table', oid: dc.catalog.allocOid(), schema, name: stmt.name.name, columns: pending.map((p) => p.def),
    nextAttnum: pending.length, constraints: [], indexes: [], store: new TableStore(dc.db.allocStorageId()),
    owner: dc.user, persistence: stmt.persistence, comment: null,
  };
  table = { ...table, columns: table.columns.map((c, i) => (pending[i]!.serialOptions ? attachSequence(dc, table, c, pending[i]!.serialOptions!) : c)) };
  table = addConstraints(dc, table, constraints);
  dc.catalog.putRelation(table);
  for (const idx of table.indexes) dc.catalog.putRelation(idx satisfies IndexDef);
  syncStoreIndexes(dc, table);
  return resultOf('CREATE TABLE', 0);
}

export function runCreateTableAs(stmt: CreateTableAsStmt, dc: DdlContext): StatementResult {
  const schema = dc.catalog.creationSchema(stmt.name, dc.searchPath);
  if (dc.catalog.getRelation(schema, stmt.name.name)) {
    if (stmt.ifNotExists) {
      dc.notice(`relation "${stmt.name.name}" already exists, skipping`);
      return resultOf('CREATE TABLE AS', 0, null, null, 'SELECT 0');
    }
    throw new DbError('duplicate_table', `relation "${stmt.name.name}" already exists`, { position: stmt.name.loc + 1 });
  }
  const sub = bindQuery(stmt.query, new Scope(null), dc.bc);
  checkNeeds(dc.catalog, dc.user, dc.bc.privilegeNeeds);
  if (stmt.columns && stmt.columns.length > sub.columns.length) {
    throw new DbError('syntax_error', 'too many column names were specified', { position: stmt.loc + 1 });
  }
  const columns: ColumnDef[] = sub.columns.map((c, i) => ({
    name: stmt.columns?.[i] ?? c.name, type: c.type.oid === Oid.unknown ? { ...c.type, oid: Oid.text } : c.type, attnum: i, notNull: false,
    default: null, identity: null, sequence: null, generated: null, comment: null, missing: null,
  }));
  const table: TableDef = {
    kind: 'table', oid: dc.catalog.allocOid(), schema, name: stmt.name.name, columns, nextAttnum: columns.length,
    constraints: [], indexes: [], store: new TableStore(dc.db.allocStorageId()), owner: dc.user,
    persistence: stmt.persistence, comment: null,
  };
  dc.catalog.putRelation(table);
  let count = 0;
  if (stmt.withData) {
    for (const row of executeAll(sub.plan, dc.ctx)) {
      table.store.insert(dc.txn, dc.ctx.snapshot.cmdId, row.slice(0, columns.length));
      count++;
    }
  }
  return resultOf('CREATE TABLE AS', count, null, null, `SELECT ${count}`);
}
