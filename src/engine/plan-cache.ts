/**
 * Per-session plan cache: a bound statement (query plan, or a DML BoundStatement) reused across
 * executions of the same parsed statement, so a repeated `query(sql, params)` or EXECUTE skips
 * binding, planning and expression compilation (compiled closures are memoized by bound-node
 * identity in compile-expr.ts, so reusing the bound tree reuses them too).
 *
 * Key: the Statement AST object (the session's parse cache and its prepared statements hand back
 * the same object for the same text), and, checked on every lookup, everything binding depends on:
 *  - the catalog's identity (Catalogs are immutable once a statement is done with them;
 *    `db.catalog` changes identity on every DDL commit, and every DDL statement of a transaction
 *    edits a fresh private copy). A transaction with private DDL caches under its private
 *    catalog, which only this session sees: nothing uncommitted can leak;
 *  - the search path;
 *  - the TypeContext settings constant folding reads (TimeZone, extra_float_digits, IntervalStyle);
 *  - the declared parameter types (PREPARE / wire Parse / EXECUTE argument types).
 * Parameter *values* never reach the binder (they are converted after binding, with the types
 * binding inferred), so they are not part of the key.
 *
 * Not cached (decided by the caller at bind time): a statement whose binding read the transaction
 * start time (`'now'::timestamp` literals fold it), and a DML statement whose binder touched the
 * per-execution context. Volatile calls (now(), nextval, random) are never folded by the binder,
 * so a cached plan still evaluates them per execution.
 *
 * Replanning: a plan also records the row estimates of the tables it reads; when one drifts by
 * more than 4x the plan is rebuilt, so a plan made on an empty table is not kept forever. It also
 * records each table's statistics object: ANALYZE or auto-analyze (after 50 + 10% of the rows
 * changed) replaces it, and the next use replans with the new statistics.
 *
 * Entries of an older catalog are dropped as soon as the session works with a newer one: they can
 * no longer be hit (the catalog is part of the key), and each holds its catalog, whose tables hold
 * their rows. A dropped table's rows stayed in memory for as long as a cached statement that had
 * read it was kept (a shape-cached INSERT into it: until the statement's text was evicted).
 *
 * Invariant: an entry is immutable except `busy`, which guards against re-entrant use of a DML
 * entry's shared environment (a nested execution of the same statement binds afresh).
 */
import type { PrivilegeNeed } from '../auth/needs.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { Statement } from '../sql/ast.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { TypeContext } from '../types/context.ts';
import type { OutputColumn, PlanNode } from '../plan/plan-nodes.ts';
import type { BoundStatement } from './dml/statement-env.ts';

/** A table's row estimate when the plan was made (for drift-triggered replanning). */
export interface PlannedEstimate {
  readonly store: { readonly rowEstimate: number; readonly stats?: unknown; currentStats?(): unknown };
  readonly rows: number;
  /** The table's statistics object when planned: a new ANALYZE / auto-analyze replans. */
  readonly stats?: unknown;
}

/** Something a DML entry's shared StatementEnv can be pointed at for one execution. */
export interface ReusableEnvHandle {
  /** Clears per-execution state after a run (so the entry does not keep it alive). */
  release(): void;
}

export interface PlanEntry {
  readonly catalog: Catalog;
  readonly searchPath: readonly string[];
  readonly timeZone: string;
  readonly extraFloatDigits: number;
  readonly intervalStyle: string;
  /** TypeContext.scanDisabled when planned (enable_seqscan etc.). */
  readonly scanDisabled?: number;
  readonly declared: readonly (SqlType | null)[];
  /** Parameter types after binding (null where the statement left a parameter's type open). */
  readonly paramTypes: readonly (SqlType | null)[];
  readonly estimates: readonly PlannedEstimate[];
  /** A plain query: run `plan`, return `columns`. */
  readonly plan: PlanNode | null;
  readonly columns: readonly OutputColumn[] | null;
  /** DML (or a query with data-modifying CTEs): `bound.run()` with `env` pointed at the execution. */
  readonly bound: BoundStatement | null;
  readonly env: ReusableEnvHandle | null;
  busy: boolean;
  /** Privileges the statement needs: re-checked on every hit (the role may have changed). */
  readonly needs?: readonly PrivilegeNeed[];
}

/** Drift factor of a table's row count that makes a cached plan stale. */
const DRIFT = 4;
/** Below this many rows, estimates are too small to matter. */
const DRIFT_FLOOR = 64;

export class PlanCache {
  /** Weak: an entry lives as long as its AST (parse cache / prepared statement) does. */
  private entries = new WeakMap<Statement, PlanEntry>();
  /**
   * The catalog of the last lookup or store: every entry was made under it. It is not kept past
   * a DDL commit (Session.catalogInstalled moves every session's cache to the new catalog).
   */
  private catalog: Catalog | null = null;
  /** Counters (for tests and diagnostics). */
  hits = 0;
  misses = 0;
  /**
   * Lookups that found an entry made under a different search path or settings, or drifted, and
   * catalog changes that dropped the entries.
   */
  stale = 0;

  lookup(
    stmt: Statement, catalog: Catalog, searchPath: readonly string[], types: TypeContext,
    declared: readonly (SqlType | null)[],
  ): PlanEntry | null {
    this.useCatalog(catalog);
    const e = this.entries.get(stmt);
    if (e === undefined) {
      this.misses++;
      return null;
    }
    if (e.busy) {
      this.misses++;
      return null;
    }
    if (e.catalog !== catalog || !samePath(e.searchPath, searchPath) || e.timeZone !== types.timeZone ||
      e.extraFloatDigits !== types.extraFloatDigits || e.intervalStyle !== types.intervalStyle ||
      (e.scanDisabled ?? 0) !== (types.scanDisabled ?? 0) ||
      !sameTypes(e.declared, declared) || drifted(e.estimates)) {
      this.entries.delete(stmt);
      this.stale++;
      this.misses++;
      return null;
    }
    this.hits++;
    return e;
  }

  store(stmt: Statement, entry: PlanEntry): void {
    this.useCatalog(entry.catalog);
    this.entries.set(stmt, entry);
  }

  /**
   * Drops every entry when the session moved to another catalog (see the header). Lookups and
   * stores call it; the session calls it after each statement, so a DROP frees the table's rows
   * at once rather than at the session's next query.
   */
  useCatalog(catalog: Catalog): void {
    const last = this.catalog;
    if (last === catalog) return;
    if (last !== null) {
      this.entries = new WeakMap();
      this.stale++;
    }
    this.catalog = catalog;
  }

  /** The entry for a statement, without counting or validating it (tests, diagnostics). */
  peek(stmt: Statement): PlanEntry | null {
    return this.entries.get(stmt) ?? null;
  }

  /** DISCARD PLANS / tests: forget everything. */
  clear(): void {
    this.entries = new WeakMap();
    this.catalog = null;
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameTypes(a: readonly (SqlType | null)[], b: readonly (SqlType | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null || y === null || !sameType(x, y)) return false;
  }
  return true;
}

function sameType(x: SqlType, y: SqlType): boolean {
  if (x.oid !== y.oid || x.typmod !== y.typmod) return false;
  if (x.elem === y.elem) return true;
  return x.elem !== null && y.elem !== null && sameType(x.elem, y.elem);
}

function drifted(estimates: readonly PlannedEstimate[]): boolean {
  for (let i = 0; i < estimates.length; i++) {
    const e = estimates[i]!;
    // currentStats runs an auto-analyze due since the plan was made, as planning would.
    if (e.stats !== undefined && (e.store.currentStats?.() ?? e.store.stats) !== e.stats) return true;
    const now = e.store.rowEstimate;
    if (now === e.rows) continue;
    const hi = Math.max(now, e.rows);
    const lo = Math.min(now, e.rows);
    if (hi >= DRIFT_FLOOR && hi > lo * DRIFT) return true;
  }
  return false;
}
