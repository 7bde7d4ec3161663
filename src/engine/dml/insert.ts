/**
 * INSERT: VALUES (with DEFAULT items), INSERT ... SELECT and DEFAULT VALUES, identity and
 * generated columns, ON CONFLICT DO NOTHING / DO UPDATE (with EXCLUDED) and RETURNING; the target
 * may be an automatically updatable view (see view-target.ts).
 */
import { needRelation, type PrivilegeNeed } from '../../auth/needs.ts';
import { Priv } from '../../auth/acl.ts';
import { inferArbiter } from './conflict-inference.ts';
import { DbError } from '../../errors/index.ts';
import type { Expr, InsertStmt } from '../../sql/ast.ts';
import type { ColumnDef, IndexDef, TableDef } from '../../catalog/objects.ts';
import type { PlanNode } from '../../plan/plan-nodes.ts';
import { compileExpr, compilePredicate, type Evaluator } from '../../exec/compile-expr.ts';
import { executeAll } from '../../exec/executor.ts';
import { type BindContext, QueryState } from '../../plan/binder/bind-context.ts';
import { bindExpr } from '../../plan/binder/bind-expr.ts';
import { coerce, coerceBoolean, literalInput, readLiteral } from '../../plan/binder/coerce-expr.ts';
import { formatType, Oid, sameType, type SqlType, Types } from '../../types/sql-type.ts';
import type { InputFn } from '../../types/text-io.ts';
import { bindQuery } from '../../plan/binder/bind-select.ts';
import { Scope } from '../../plan/binder/scope.ts';
import { LockWait } from '../../txn/lock-wait.ts';
import type { Row, RowSlot, Version } from '../../storage/version.ts';
import { bindReturning, resolveTargets, type Returning } from './returning.ts';
import { resultOf, type BoundStatement, type StatementEnv, type StatementResult } from './statement-env.ts';
import { nonUpdatableColumn, resolveViewTarget, type ViewTarget } from './view-target.ts';
import { tableScope, type TableRuntime } from './table-runtime.ts';
import { bindInsteadOfInsert, hasInsteadOf } from './instead-of.ts';
import { widenRow } from '../../exec/operators/widen-row.ts';
import { newRow } from '../../exec/new-row.ts';

/**
 * A VALUES item: DEFAULT, an expression to evaluate per execution, or (any other value) a
 * constant, already coerced to its column: a 25,000-row VALUES list of literals then costs no
 * closure per value.
 */
class EvalCell {
  readonly eval: Evaluator;
  constructor(e: Evaluator) {
    this.eval = e;
  }
}

/** The input row of a VALUES cell's expression (it reads no columns). */
const NO_ROW: Row = [];

/**
 * Where an INSERT's rows come from: rows listed in the statement (constants or EvalCells), or a
 * query whose rows are read in full before the first insert (so it never sees them), each then
 * converted to the target columns' types by `casts`.
 */
type ValueSource =
  | { kind: 'rows'; rows: unknown[][] }
  | { kind: 'query'; plan: PlanNode; run: () => Row[]; casts: readonly Evaluator[] };

interface ConflictPlan {
  readonly index: IndexDef | null;
  readonly update: { attnum: number; eval: Evaluator }[] | null;
  readonly where: ((row: Row, ctx: import('../../exec/exec-context.ts').ExecContext) => boolean) | null;
}

function checkOverride(col: ColumnDef, stmt: InsertStmt, loc: number): void {
  if (col.generated) {
    throw new DbError('generated_always', `cannot insert a non-DEFAULT value into column "${col.name}"`,
      { detail: `Column "${col.name}" is a generated column.`, position: loc + 1 });
  }
  if (col.identity === 'always' && stmt.overriding !== 'system') {
    throw new DbError('generated_always', `cannot insert a non-DEFAULT value into column "${col.name}"`, {
      detail: `Column "${col.name}" is an identity column defined as GENERATED ALWAYS.`,
      hint: 'Use OVERRIDING SYSTEM VALUE to override.', position: loc + 1,
    });
  }
}

export function runInsert(stmt: InsertStmt, env: StatementEnv): StatementResult {
  return bindInsert(stmt, env).run();
}

/**
 * Binds an INSERT (its WITH clause is handled by the caller). The target may be a table or an
 * automatically updatable view, whose columns map to the base table's.
 */
export function bindInsert(stmt: InsertStmt, env: StatementEnv): BoundStatement {
  // Bind everything before touching env.ctx / env.writer: the first access converts the
  // parameters, and their types must by then be inferred from the target columns ($1 -> int8).
  const bc = env.bc;
  const rel = env.catalog.findRelation(stmt.table, bc.searchPath);
  let view: ViewTarget | null = null;
  let table: TableDef;
  if (rel?.kind === 'view' && hasInsteadOf(env.catalog, rel, 'insert')) {
    bc.relationsUsed.add(rel.oid);
    return bindInsteadOfInsert(stmt, rel, env);
  }
  if (rel?.kind === 'view') {
    view = resolveViewTarget(rel, 'insert', bc);
    table = view.base;
    bc.relationsUsed.add(rel.oid);
    if (stmt.onConflict) {
      throw new DbError('feature_not_supported', 'INSERT ... ON CONFLICT on a view is not supported yet', { position: stmt.onConflict.loc + 1 });
    }
  } else {
    table = env.catalog.requireTable(stmt.table, bc.searchPath);
  }
  bc.relationsUsed.add(table.oid);
  const candidates: Candidate[] = view ? viewTargets(stmt, view)
    : (stmt.columns.length > 0 ? resolveTargets(table, stmt.columns) : implicitTargets(stmt, table)).map((col) => ({ col, type: col.type, fail: null }));
  const { source, targets } = bindSource(stmt, table, candidates, env);
  needRelation(bc, view ? view.view : table, Priv.insert, view ? null : new Set(targets.map((c) => c.attnum)));
  const conflict = stmt.onConflict ? bindConflict(stmt, table, env) : null;
  if (conflict?.update) needRelation(bc, table, Priv.update, new Set(conflict.update.map((u) => u.attnum)));
  if (view && stmt.returning.length > 0) needRelation(bc, view.view, Priv.select);
  const retScope = view ? view.scope(stmt.alias ?? view.view.name, stmt.loc) : tableScope(table, stmt.alias ?? undefined);
  if (!view) trackColumnReads(retScope, needRelation(bc, table, Priv.select, new Set(), true));
  const returning = bindReturning(stmt.returning, retScope, bc);
  // Columns no target names get their defaults; computed once per bound statement.
  const targeted = new Set(targets.map((c) => c.attnum));
  const untargeted = table.columns.filter((c) => !targeted.has(c.attnum) && !c.generated);
  return {
    columns: returning?.columns ?? null,
    explain: { op: 'Insert', table, alias: stmt.alias, input: sourcePlan(source, targets), listed: source.kind === 'rows', details: conflictLines(conflict) },
    run: () => executeInsert(table, targets, untargeted, source, conflict, returning, view, env),
  };
}

/**
 * The plan EXPLAIN shows under an INSERT: its SELECT's, or for rows listed in the statement
 * PostgreSQL's Result (one row) or Values Scan (several); those two are never executed.
 */
function sourcePlan(source: ValueSource, targets: readonly ColumnDef[]): PlanNode {
  if (source.kind === 'query') return source.plan;
  const columns = targets.map((c) => ({ name: c.name, type: c.type }));
  const n = source.rows.length;
  return n === 1 ? { node: 'OneRow', columns, estRows: 1 } : { node: 'Values', rows: [], columns, estRows: n };
}

function conflictLines(conflict: ConflictPlan | null): string[] {
  if (conflict === null) return [];
  const out = [`Conflict Resolution: ${conflict.update === null ? 'NOTHING' : 'UPDATE'}`];
  if (conflict.index !== null) out.push(`Conflict Arbiter Indexes: ${conflict.index.name}`);
  return out;
}

function executeInsert(
  table: TableDef, targets: ColumnDef[], untargeted: readonly ColumnDef[], source: ValueSource, conflict: ConflictPlan | null,
  returning: Returning | null, view: ViewTarget | null, env: StatementEnv,
): StatementResult {
  const run = new InsertRun(table, targets, untargeted, conflict, returning, view, env);
  const { ctx, writer } = env;
  writer.beginStatement(table, 'insert');
  // One scratch array for every source row: handle copies what it needs into the new row.
  const provided: unknown[] = newRow(targets.length);
  if (source.kind === 'rows') {
    for (const r of source.rows) {
      for (let i = 0; i < r.length; i++) {
        const cell = r[i];
        provided[i] = cell instanceof EvalCell ? cell.eval(NO_ROW, ctx) : cell;
      }
      run.handle(provided);
    }
  } else {
    const casts = source.casts;
    for (const r of source.run()) {
      for (let i = 0; i < casts.length; i++) provided[i] = casts[i]!(r, ctx);
      run.handle(provided);
    }
  }
  writer.endStatement(table, 'insert');
  const count = run.count;
  return resultOf('INSERT', count, returning?.columns ?? null, run.out, `INSERT 0 ${count}`);
}

/**
 * One execution of a bound INSERT: turns each provided row into a stored one (defaults, ON
 * CONFLICT, RETURNING). An object, not closures: a single-row INSERT allocates it once instead of
 * three closures and their shared context.
 */
class InsertRun {
  /** RETURNING rows (null without RETURNING). */
  readonly out: Row[] | null;
  count = 0;
  private readonly table: TableDef;
  private readonly targets: readonly ColumnDef[];
  private readonly untargeted: readonly ColumnDef[];
  private readonly conflict: ConflictPlan | null;
  private readonly returning: Returning | null;
  private readonly view: ViewTarget | null;
  private readonly env: StatementEnv;
  private readonly rt: TableRuntime;
  private readonly width: number;

  constructor(
    table: TableDef, targets: readonly ColumnDef[], untargeted: readonly ColumnDef[], conflict: ConflictPlan | null,
    returning: Returning | null, view: ViewTarget | null, env: StatementEnv,
  ) {
    this.table = table;
    this.targets = targets;
    this.untargeted = untargeted;
    this.conflict = conflict;
    this.returning = returning;
    this.out = returning ? [] : null;
    this.view = view;
    this.env = env;
    this.rt = env.writer.runtime(table);
    this.width = table.nextAttnum;
  }

  /** Inserts one row given as the target columns' values (DEFAULT where the VALUES item said so). */
  handle(provided: readonly (unknown | typeof DEFAULT)[]): void {
    const { table, targets, conflict, env } = this;
    const { ctx, writer } = env;
    const row: Row = newRow(this.width);
    let explicitDefault = false;
    for (let i = 0; i < targets.length; i++) {
      const v = provided[i];
      if (v === DEFAULT) explicitDefault = true;
      else row[targets[i]!.attnum] = v;
    }
    if (!explicitDefault) {
      const untargeted = this.untargeted;
      for (let i = 0; i < untargeted.length; i++) this.fillDefault(row, untargeted[i]!);
    } else {
      // DEFAULT in the VALUES list: every defaulted column in table order (nextval order).
      for (const c of table.columns) {
        if (c.generated) continue;
        const at = targets.findIndex((t) => t.attnum === c.attnum);
        if (at < 0 || provided[at] === DEFAULT) this.fillDefault(row, c);
      }
    }
    if (conflict) {
      const existing = findConflict(table, conflict.index, row, env);
      if (existing) {
        if (conflict.update === null) return;
        if (existing.version.xmin === ctx.txn && existing.version.cmin === ctx.snapshot.cmdId) {
          // The row was inserted or updated by this very command (a duplicate in the VALUES list).
          throw secondTimeError();
        }
        const width = this.width;
        const old = existing.version.values.length < width ? widenRow(existing.version.values, table) : existing.version.values;
        const combined = old.concat(row);
        if (conflict.where && !conflict.where(combined, ctx)) return;
        const next = old.slice();
        for (const u of conflict.update) next[u.attnum] = u.eval(combined, ctx);
        const nv = writer.update(table, existing.slot, existing.version, next);
        if (nv === null) throw secondTimeError();
        this.emit(next);
        return;
      }
    }
    if (writer.insert(table, row, this.rt) === null) return;
    this.emit(row);
  }

  private fillDefault(row: Row, c: ColumnDef): void {
    const d = this.rt.defaults[c.attnum];
    row[c.attnum] = d ? d(row, this.env.ctx) : null;
  }

  private emit(row: Row): void {
    this.count++;
    const { view, returning } = this;
    const ctx = this.env.ctx;
    if (view) {
      const ext = view.extend(row, null, ctx);
      view.check(ext, ctx);
      if (returning) this.out!.push(returning.evals.map((e) => e(ext, ctx)));
      return;
    }
    if (returning) this.out!.push(returning.evals.map((e) => e(row, ctx)));
  }
}

/**
 * INSERT into a view: the target list names view columns (all of them, or the first N for a
 * VALUES list of width N, without a column list); each must be a base-table column.
 */
function viewTargets(stmt: InsertStmt, view: ViewTarget): Candidate[] {
  let picked: { name: string; attnum: number | null; loc: number }[];
  if (stmt.columns.length > 0) {
    const seen = new Set<string>();
    picked = stmt.columns.map((t) => {
      if (t.indirection.length > 0) {
        throw new DbError('feature_not_supported', 'assignment to array elements or fields is not supported yet', { position: t.loc + 1 });
      }
      const c = view.columns.find((x) => x.name === t.name);
      if (!c) throw new DbError('undefined_column', `column "${t.name}" of relation "${view.view.name}" does not exist`, { position: t.loc + 1 });
      if (seen.has(t.name)) throw new DbError('duplicate_column', `column "${t.name}" specified more than once`, { position: t.loc + 1 });
      seen.add(t.name);
      return { name: c.name, attnum: c.attnum, loc: t.loc };
    });
  } else {
    const src = stmt.source;
    let n = view.columns.length;
    if (src !== null && src.kind === 'Values' && src.rows.length > 0) {
      n = src.rows[0]!.length;
      if (n > view.columns.length) {
        throw new DbError('syntax_error', 'INSERT has more expressions than target columns', { position: src.rows[0]![view.columns.length]!.loc + 1 });
      }
    }
    picked = view.columns.slice(0, n).map((c) => ({ name: c.name, attnum: c.attnum, loc: stmt.loc }));
  }
  return picked.map((p) => {
    const col = p.attnum === null ? null : view.base.columns.find((c) => c.attnum === p.attnum)!;
    const type = view.columns.find((c) => c.name === p.name)!.type;
    return { col, type, fail: () => nonUpdatableColumn('insert', p.name, view.view, p.loc) };
  });
}

/**
 * A possible target column. Without a column list a query source may fill only the first N
 * columns (PostgreSQL defaults the rest), so a view column that cannot be assigned is an error
 * only once it is known to be used.
 */
interface Candidate {
  readonly col: ColumnDef | null;
  readonly type: SqlType;
  readonly fail: (() => DbError) | null;
}

/** A VALUES item that is not a plain literal: a constant when it folds to one, else an EvalCell. */
function boundCell(e: Expr, col: ColumnDef, bc: BindContext, qs: QueryState): unknown {
  const b = bindExpr(e, null, bc, qs);
  const c = coerce(b, col.type, 'assignment', bc, e.loc,
    () => `column "${col.name}" is of type ${typeName(col)} but expression is of type ${typeNameOf(b.type)}`);
  return c.k === 'const' ? c.value : new EvalCell(compileExpr(c));
}

/** The columns actually assigned: each must be a base column, and assigned once. */
function checkCandidates(cands: readonly Candidate[]): ColumnDef[] {
  const used = new Set<number>();
  return cands.map((c) => {
    if (c.col === null) throw c.fail!();
    if (used.has(c.col.attnum)) throw new DbError('syntax_error', `multiple assignments to same column "${c.col.name}"`);
    used.add(c.col.attnum);
    return c.col;
  });
}

const DEFAULT = Symbol('DEFAULT');

function secondTimeError(): DbError {
  return new DbError('cardinality_violation', 'ON CONFLICT DO UPDATE command cannot affect row a second time',
    { hint: 'Ensure that no rows proposed for insertion within the same command have duplicate constrained values.' });
}

/**
 * Without a column list, the targets are the table's first N columns, N being the width of the
 * VALUES rows (PostgreSQL fills the rest with defaults); other sources use every column.
 */
function implicitTargets(stmt: InsertStmt, table: TableDef): ColumnDef[] {
  const all = table.columns;
  const src = stmt.source;
  if (src !== null && src.kind === 'Values' && src.rows.length > 0) {
    const width = src.rows[0]!.length;
    if (width > all.length) {
      throw new DbError('syntax_error', 'INSERT has more expressions than target columns', { position: src.rows[0]![all.length]!.loc + 1 });
    }
    return all.slice(0, width);
  }
  if (src !== null && src.kind !== 'Values') return all.slice();
  return all.slice();
}

function bindSource(stmt: InsertStmt, table: TableDef, cands: Candidate[], env: StatementEnv): { source: ValueSource; targets: ColumnDef[] } {
  const bc = env.bc;
  const src = stmt.source;
  if (src === null) {
    // DEFAULT VALUES assigns nothing: every column takes its default.
    return { source: { kind: 'rows', rows: [[]] }, targets: [] };
  }
  if (src.kind === 'Values' && src.orderBy.length === 0 && src.limit === null && src.offset === null && src.with === null) {
    const targets = checkCandidates(cands);
    const qs = new QueryState();
    qs.noAggClause = 'VALUES';
    qs.noWindowClause = 'VALUES';
    const width0 = src.rows[0]?.length ?? 0;
    for (const r of src.rows) {
      if (r.length !== width0) {
        throw new DbError('syntax_error', 'VALUES lists must all be the same length', { position: (r[0]?.loc ?? src.loc) + 1 });
      }
    }
    // Literal items convert straight to the column's type, as coerce would, with each column's
    // input function resolved once (a bulk VALUES list is mostly literals).
    const inputs: (InputFn | undefined)[] = new Array(targets.length);
    const int4: boolean[] = targets.map((c) => sameType(c.type, Types.int4));
    // Plain loops: a map() per row (and its callback, a closure per row) cost about a tenth of
    // binding a 25,000-row list.
    const srcRows = src.rows;
    const rows: unknown[][] = new Array(srcRows.length);
    const checks = stmt.columns.length > 0 || targets.some((c) => c.identity === 'always' || c.generated);
    for (let k = 0; k < srcRows.length; k++) {
      const r = srcRows[k]!;
      if (r.length > targets.length) {
        throw new DbError('syntax_error', 'INSERT has more expressions than target columns', { position: r[targets.length]!.loc + 1 });
      }
      if (r.length < targets.length) {
        throw new DbError('syntax_error', 'INSERT has more target columns than expressions', { position: (stmt.columns[r.length]?.loc ?? r[0]?.loc ?? stmt.loc) + 1 });
      }
      const out: unknown[] = new Array(r.length);
      for (let i = 0; i < r.length; i++) {
        const e = r[i]!;
        const col = targets[i]!;
        if (e.kind === 'DefaultExpr') {
          out[i] = DEFAULT;
          continue;
        }
        if (checks && (stmt.columns.length > 0 || col.identity === 'always' || col.generated)) checkOverride(col, stmt, e.loc);
        if (e.kind === 'StringLiteral' && col.type.oid !== Oid.unknown) {
          out[i] = readLiteral(inputs[i] ??= literalInput(col.type, 'assignment'), e.value, bc, e.loc);
        } else if (e.kind === 'IntegerLiteral' && int4[i] === true && e.value.length <= 9) {
          // Nine characters stay below 2^31 in any spelling: bindExpr would type it int4 as well.
          out[i] = Number(e.value);
        } else {
          out[i] = boundCell(e, col, bc, qs);
        }
      }
      rows[k] = out;
    }
    return { source: { kind: 'rows', rows }, targets };
  }
  // Untyped literals of the select list take the target columns' types (PostgreSQL).
  const sub = bindQuery(src, new Scope(null), bc, { unknownAs: cands.map((c) => c.type) });
  if (sub.columns.length > cands.length) throw new DbError('syntax_error', 'INSERT has more expressions than target columns', { position: src.loc + 1 });
  if (sub.columns.length < cands.length && stmt.columns.length > 0) {
    throw new DbError('syntax_error', 'INSERT has more target columns than expressions', { position: src.loc + 1 });
  }
  // Without a column list, fewer expressions fill the first columns (transformInsertStmt).
  const targets = checkCandidates(cands.slice(0, sub.columns.length));
  targets.forEach((c) => { if (c.identity === 'always' || c.generated) checkOverride(c, stmt, src.loc); });
  const casts = sub.columns.map((c, i) => {
    const col = targets[i]!;
    return compileExpr(coerce({ k: 'col', type: c.type, index: i, levelsUp: 0 }, col.type, 'assignment', bc, src.loc,
      () => `column "${col.name}" is of type ${typeName(col)} but expression is of type ${typeNameOf(c.type)}`));
  });
  return {
    source: {
      kind: 'query',
      plan: sub.plan,
      run: () => executeAll(sub.plan, env.ctx),
      casts,
    },
    targets,
  };
}

function typeName(c: ColumnDef): string { return formatType({ ...c.type, typmod: -1 }); }
function typeNameOf(t: SqlType): string { return formatType({ ...t, typmod: -1 }); }

function bindConflict(stmt: InsertStmt, table: TableDef, env: StatementEnv): ConflictPlan {
  const oc = stmt.onConflict!;
  let index: IndexDef | null = null;
  if (oc.target?.constraint) {
    index = table.indexes.find((i) => i.constraint === oc.target!.constraint || i.name === oc.target!.constraint) ?? null;
    if (!index) throw new DbError('undefined_object', `constraint "${oc.target.constraint}" for table "${table.name}" does not exist`, { position: oc.loc + 1 });
  } else if (oc.target) {
    index = inferArbiter(env.catalog, table, oc.target, oc.loc);
  } else if (oc.action === 'update') {
    throw new DbError('syntax_error', 'ON CONFLICT DO UPDATE requires inference specification or constraint name',
      { hint: 'For example, ON CONFLICT (column_name).', position: oc.loc + 1 });
  }
  if (oc.action === 'nothing') return { index, update: null, where: null };
  // Scope: the existing row (attnum positions) followed by EXCLUDED (same layout, shifted).
  const scope = tableScope(table, stmt.alias ?? undefined);
  scope.add({ alias: 'excluded', schema: null, table, columns: table.columns.map((c) => ({ name: c.name, type: c.type, index: table.nextAttnum + c.attnum })) }, oc.loc);
  scope.width = table.nextAttnum * 2;
  const qs = new QueryState();
  qs.noAggClause = 'ON CONFLICT DO UPDATE';
  const update: { attnum: number; eval: Evaluator }[] = [];
  for (const set of oc.set) {
    const cols = resolveTargets(table, set.targets);
    if (cols.length !== 1 || set.multi) {
      throw new DbError('feature_not_supported', 'multi-column SET in ON CONFLICT is not supported yet', { position: set.loc + 1 });
    }
    const col = cols[0]!;
    if (set.value.kind === 'DefaultExpr') {
      // Resolved at run time: env.writer must not be touched while binding (see runInsert).
      const attnum = col.attnum;
      update.push({ attnum, eval: (row, ctx) => env.writer.runtime(table).defaults[attnum]?.(row, ctx) ?? null });
      continue;
    }
    const e = coerce(bindExpr(set.value, scope, env.bc, qs), col.type, 'assignment', env.bc, set.value.loc);
    update.push({ attnum: col.attnum, eval: compileExpr(e) });
  }
  const where = oc.where ? compilePredicate(coerceBoolean(bindExpr(oc.where, scope, env.bc, qs), env.bc, oc.where.loc, 'WHERE')) : null;
  return { index, update, where };
}

/** Finds a live row conflicting with `row` on the arbiter index (or any unique index). */
function findConflict(table: TableDef, index: IndexDef | null, row: Row, env: StatementEnv): { slot: RowSlot; version: Version } | null {
  const indexes = index ? [index] : table.indexes.filter((i) => i.unique);
  const txn = env.ctx.txn;
  for (const idx of indexes) {
    const key = idx.runtime.keyOf(row);
    if (key === null) continue;
    const hit = idx.runtime.lookup(key);
    if (hit === undefined) continue;
    const slots = Array.isArray(hit) ? (hit as RowSlot[]) : [hit as RowSlot];
    for (const slot of slots) {
      const head = slot.head;
      if (head === null) continue;
      if (head.xmin !== txn && head.xmin.isActive) throw new LockWait(head.xmin, 'unique key');
      const x = head.xmax;
      if (x !== null && !head.lockOnly) {
        if (x !== txn && x.isActive) throw new LockWait(x, 'unique key');
        continue;
      }
      if (idx.runtime.keyOf(head.values.length < table.nextAttnum ? widenRow(head.values, table) : head.values) !== key) continue;
      if (x !== null && x !== txn && x.isActive) throw new LockWait(x, 'row');
      const snap = env.ctx.snapshot;
      const visible = head.xmin === txn || (head.xmin.commitSeq !== 0 && head.xmin.commitSeq <= snap.seq);
      if (!visible && txn.isolation !== 'read committed') {
        throw new DbError('serialization_failure', 'could not serialize access due to concurrent update');
      }
      return { slot, version: head };
    }
  }
  return null;
}

/** Makes a one-table scope (tableScope) record the columns RETURNING reads into `need`. */
function trackColumnReads(scope: Scope, need: PrivilegeNeed): void {
  const e = scope.entries[0]!;
  scope.entries[0] = { ...e, used: need.cols!, columns: e.columns.map((c) => ({ ...c, attnum: c.index })) };
}
