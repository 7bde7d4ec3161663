/**
 * ExecContext: the run-time state of one statement execution — transaction, snapshot, parameters,
 * the stack of enclosing rows for correlated subqueries, and access to the session (settings,
 * sequences). Plans are immutable; everything that changes while a statement runs lives here.
 */
import type { Env } from '../env/index.ts';
import type { EvalContext } from '../functions/registry.ts';
import type { TypeContext } from '../types/context.ts';
import type { Snapshot, Txn } from '../txn/txn.ts';
import type { TxnManager } from '../txn/txn-manager.ts';
import type { Row } from '../storage/version.ts';
import type { SequenceDef } from '../catalog/objects.ts';
import { Interrupts } from './interrupts.ts';
import type { BackendControl } from '../functions/builtins/backend-fns.ts';

/** What the executor needs from the session it runs in. */
export interface SessionHooks {
  setting(name: string): string | null;
  /** Resolves a sequence name at run time (nextval('s') with a non-constant argument). */
  resolveSequence(name: string): SequenceDef;
  nextval(seq: SequenceDef): unknown;
  currval(seq: SequenceDef): unknown;
  setval(seq: SequenceDef, value: bigint, isCalled: boolean): unknown;
  lastval(): unknown;
  notice(severity: 'NOTICE' | 'WARNING' | 'INFO', message: string): void;
  /** The engine session behind these hooks, opaque here: user routines reach their host through it. */
  readonly owner?: object;
  /** The session's interrupt state (cancel, statement_timeout, time slices); see interrupts.ts. */
  readonly interrupts?: Interrupts;
  /** pg_backend_pid / pg_cancel_backend / pg_stat_activity (functions/builtins/backend-fns.ts). */
  readonly backend?: BackendControl;
}

export class ExecContext implements EvalContext {
  readonly env: Env;
  readonly types: TypeContext;
  readonly txnStartMicros: number;
  readonly statementStartMicros: number;
  readonly user: string;
  readonly database: string;
  readonly searchPath: readonly string[];
  readonly catalog: object | null;
  readonly txn: Txn;
  readonly snapshot: Snapshot;
  readonly txnManager: TxnManager;
  readonly params: readonly unknown[];
  readonly session: SessionHooks;
  /** See `outer`: created on first use, as most statements have no correlated subquery. */
  private outerRows: Row[] | null = null;
  // The per-execution maps below are created on first use: most single-row statements (point
  // lookups, INSERT ... VALUES, UPDATE by key) never touch them, and the plan cache made the
  // ExecContext one of the few allocations left per execution.
  private materializedMap: Map<number, Row[]> | null = null;
  private subqueryMap: Map<object, unknown> | null = null;
  private srfMap: Map<object, unknown> | null = null;
  /** Rows processed, for cooperative cancellation checks. */
  ticks = 0;
  /**
   * EXPLAIN ANALYZE: per-plan-node counters, or null when not instrumenting. `firstMs` sums,
   * over loops, the time until the node returned its first batch (PostgreSQL's startup time).
   */
  instrument: Map<object, { rows: number; timeMs: number; loops: number; firstMs?: number }> | null = null;
  /** Cancel / terminate / statement_timeout / time-slice state, shared with the session. */
  readonly interrupts: Interrupts;

  /**
   * Positional, not an options object: a statement builds one per execution, and the object
   * would be a second allocation of about the same size on every point query and insert.
   */
  constructor(
    env: Env, types: TypeContext, txn: Txn, snapshot: Snapshot, txnManager: TxnManager, params: readonly unknown[],
    session: SessionHooks, user: string, database: string, searchPath: readonly string[], statementStartMicros: number,
    catalog: object | null,
  ) {
    this.env = env;
    this.types = types;
    this.txn = txn;
    this.snapshot = snapshot;
    this.txnManager = txnManager;
    this.params = params;
    this.session = session;
    this.user = user;
    this.database = database;
    this.searchPath = searchPath;
    this.catalog = catalog;
    this.txnStartMicros = txn.startMicros;
    this.statementStartMicros = statementStartMicros;
    this.interrupts = session.interrupts ?? new Interrupts(env.clock);
  }

  /** Rows of enclosing queries, innermost last (correlated subqueries read from here). */
  get outer(): Row[] {
    return this.outerRows ??= [];
  }

  /** The session's view of the server's backends (undefined outside a session). */
  get backend(): BackendControl | undefined {
    return this.session.backend;
  }

  /** Throws 57014 / 57P01 when the statement must stop (for routines' checkInterrupt). */
  checkInterrupts(): void {
    this.interrupts.poll();
  }

  /** Materialized CTE results by node id, for this execution. */
  get materialized(): Map<number, Row[]> {
    return this.materializedMap ??= new Map();
  }

  /** Cached results of uncorrelated subqueries, keyed by their plan. */
  get subqueryCache(): Map<object, unknown> {
    return this.subqueryMap ??= new Map();
  }

  /** Current element of each set-returning function a Project is expanding (keyed by node). */
  get srfValues(): Map<object, unknown> {
    return this.srfMap ??= new Map();
  }

  setting(name: string): string | null {
    return this.session.setting(name);
  }
}
