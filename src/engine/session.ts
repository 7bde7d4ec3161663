/**
 * Session: one client's connection to a database — its transaction state machine (idle, in a
 * transaction block, failed), settings, savepoints, prepared statements and sequence state.
 *
 * Every statement runs synchronously against a snapshot. When it meets a row or table held by
 * another active transaction (a LockWait), the statement is rolled back to its start, the session
 * waits for the holder to finish (after a deadlock check) and re-runs it. A failed statement
 * leaves no trace: its writes, catalog changes and index-set changes are undone, and inside a
 * transaction block the block becomes failed (25P02) until ROLLBACK, as in PostgreSQL.
 */
import { CallQueue } from './call-queue.ts';
import { SessionSettings } from './session-settings.ts';
import { SessionSequences } from './session-sequences.ts';
import { DbError, isDbError } from '../errors/index.ts';
import { parse } from '../sql/index.ts';
import type { ParsedStatement, Statement } from '../sql/ast.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { SequenceDef } from '../catalog/objects.ts';
import type { IsolationLevel, Txn } from '../txn/txn.ts';
import type { RowIndex } from '../storage/row-index.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { TypeContext } from '../types/context.ts';
import type { SqlType } from '../types/sql-type.ts';
import type { Database } from './database.ts';
import { executeStatement } from './statement-exec.ts';
import type { StatementResult } from './dml/statement-env.ts';
import { durationMs, settingDef, isCustomSetting, unknownSetting } from './settings.ts';
import { parseRelationName } from '../plan/binder/bind-sequence.ts';
import type { Notice } from '../api/types.ts';
import { PlanCache } from './plan-cache.ts';
import { StatementShapes } from './statement-shapes.ts';
import { planScript, runScript } from './shaped-script.ts';
import { autoAnalyzeAfterCommit } from './analyze.ts';
import { Interrupts } from '../exec/interrupts.ts';
import { runStatementAsync } from './statement-wait.ts';
import { executeWithIo } from './session-io.ts';
import { procedureTransactionControl, setTransactionModes, transactionControl } from './session-txn-control.ts';

export interface Mark {
  readonly writes: number;
  readonly undo: number;
  readonly catalog: Catalog | null;
  readonly base: Catalog | null;
}

export type MaybePromise<T> = T | Promise<T>;

/** executeSql keeps each script statement's result as it is (runScript's mapping). */
const sameResult = (r: StatementResult): StatementResult => r;

export interface Savepoint extends Mark {
  readonly name: string;
  /** Settings when the savepoint was set: ROLLBACK TO restores them, as PostgreSQL's GUCs. */
  readonly settings: ReadonlyMap<string, string>;
}

export interface PreparedStatement {
  readonly name: string;
  readonly stmt: Statement;
  readonly text: string;
  readonly paramTypes: (SqlType | null)[];
}

/** The mark of a transaction that has done nothing yet (beginTxn resets everything a mark records). */
const FRESH_TXN: Mark = Object.freeze({ writes: 0, undo: 0, catalog: null, base: null });

/** The (never mutated) baseline of a transaction that began with no settings changed. */
const NO_SETTINGS: ReadonlyMap<string, string> = new Map();
const NO_STORES: readonly TableStore[] = [];

/** Parsed statements kept per session (FIFO), and the longest text worth caching. */
const PARSE_CACHE_ENTRIES_MAX = 256;
const PARSE_CACHE_TEXT_MAX = 16 * 1024;

/** Lower-case forms of the setting names the engine itself reads on every statement. */
const LOWER_NAMES: ReadonlyMap<string, string> = new Map(
  ['timezone', 'extra_float_digits', 'intervalstyle', 'search_path', 'default_transaction_isolation',
    'default_transaction_read_only', 'lock_timeout', 'statement_timeout'].map((n) => [n, n]),
);

export class Session {
  readonly db: Database;
  readonly id: number;
  /** The authenticated user (login role); SET SESSION AUTHORIZATION / SET ROLE layer on it. */
  readonly loginUser: string;
  private userOverride: string | null = null;
  // Transaction state. Not private: session-txn-control.ts (transaction statements) and
  // statement-wait.ts (a statement's asynchronous path) drive it too; nothing else writes it.
  /** @internal */
  readonly settings = new SessionSettings();
  /** @internal Settings as they were when the transaction block began (restored on rollback). */
  settingsAtBegin: ReadonlyMap<string, string> | null = null;
  txn: Txn | null = null;
  /** True while in an explicit transaction block (BEGIN ... COMMIT). */
  inBlock = false;
  failed = false;
  /** @internal */
  savepoints: Savepoint[] = [];
  /** @internal The transaction's private catalog copy (its DDL), and the committed one it copied. */
  txnCatalog: Catalog | null = null;
  /** @internal */
  txnCatalogBase: Catalog | null = null;
  /** @internal Undo actions of the transaction's DDL, in order. */
  ddlUndo: (() => void)[] = [];
  readonly prepared = new Map<string, PreparedStatement>();
  /** currval / lastval state: nextval, currval, setval and lastval go through it. */
  readonly sequences: SessionSequences;
  notices: Notice[] = [];
  private readonly parseCache = new Map<string, ParsedStatement[]>();
  /** Literal statements of one shape run as one parameterized statement (statement-shapes.ts). */
  readonly shapes = new StatementShapes();
  /** Bound plans of this session's statements, keyed by their parsed AST (plan-cache.ts). */
  readonly planCache = new PlanCache();
  /** Statements of texts too long for the parse cache: their plans are not cached either. */
  readonly oneShot = new WeakSet<Statement>();
  private readonly calls = new CallQueue();
  closed = false;
  /** Cancel, statement_timeout and time slices of the running statement (src/exec/interrupts.ts). */
  readonly interrupts: Interrupts;
  /** pg_backend_pid(): the wire server sets its BackendKeyData pid; embedded sessions use the id. */
  backendPid: number;
  /** When the session began (pg_stat_activity.backend_start), µs. */
  readonly startMicros: number;

  constructor(db: Database, id: number, user: string) {
    this.db = db;
    this.id = id;
    this.loginUser = user;
    this.sequences = new SessionSequences(db);
    this.interrupts = new Interrupts(db.env.clock);
    this.backendPid = id;
    this.startMicros = db.env.clock.nowMicros();
  }

  /** current_user: SET ROLE's role, else the session user (both settings: ROLLBACK restores them). */
  get user(): string {
    if (this.userOverride !== null) return this.userOverride;
    if (this.settings.size === 0) return this.loginUser;
    return this.settings.get('auth:role') ?? this.settings.get('auth:session') ?? this.loginUser;
  }

  /** SECURITY DEFINER switch; restoring the settings-given value clears it (SET ROLE rules again). */
  set user(name: string) {
    this.userOverride = null;
    if (name !== this.user) this.userOverride = name;
  }

  /** Bumped by every settings change (SET, RESET, rollback of SETs, SET ROLE). */
  get settingsVersion(): number {
    return this.settings.version;
  }

  /** session_user: SET SESSION AUTHORIZATION's role, else the login user. */
  get sessionUser(): string {
    return this.settings.get('auth:session') ?? this.loginUser;
  }

  /** SET ROLE (null: NONE) / SET SESSION AUTHORIZATION (null: DEFAULT); validated by the caller. */
  setAuthorization(kind: 'role' | 'session', name: string | null): void {
    if (name === null) this.settings.delete(`auth:${kind}`);
    else this.settings.set(`auth:${kind}`, name);
    if (kind === 'session') this.settings.delete('auth:role');
  }

  get transactionStatus(): 'idle' | 'in transaction' | 'in failed transaction' {
    if (this.failed) return 'in failed transaction';
    return this.inBlock ? 'in transaction' : 'idle';
  }

  /** Serializes calls on the session (call-queue.ts): the API may be called concurrently. */
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.calls.run(fn);
  }

  /** run(() => fn(a, b)) without a closure per call (prepared statements). */
  runCall<A, B, T>(fn: (a: A, b: B) => T | Promise<T>, a: A, b: B): Promise<T> {
    return this.calls.runCall(fn, a, b);
  }

  /** Parses and runs SQL text; all statements, in order. Stops at the first error. */
  async execute(sql: string, params: readonly unknown[] = [], paramTypes: (SqlType | null)[] = []): Promise<StatementResult[]> {
    return this.executeSql(sql, params, paramTypes);
  }

  /** execute(), synchronous while every statement completes synchronously. */
  executeSql(sql: string, params: readonly unknown[] = [], paramTypes: (SqlType | null)[] = []): MaybePromise<StatementResult[]> {
    this.checkOpen();
    if (params.length === 0 && paramTypes.length === 0) return runScript(this, sql, planScript(this, sql), sameResult);
    const parsed = this.parse(sql);
    if (params.length > 0 && parsed.length > 1) {
      throw new DbError('syntax_error', 'cannot insert multiple commands into a prepared statement');
    }
    // Sized up front: a first push would give the usual one-statement result a 17-slot store.
    const results: StatementResult[] = new Array(parsed.length);
    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]!;
      const r = this.executeStatement(p.stmt, sql.slice(p.start, p.end), params, paramTypes);
      if (r instanceof Promise) {
        results.length = i;
        return this.executeRest(r, results, parsed, i + 1, sql, params, paramTypes);
      }
      results[i] = r;
    }
    return results;
  }

  private async executeRest(
    pending: Promise<StatementResult>, results: StatementResult[], parsed: readonly ParsedStatement[], from: number,
    sql: string, params: readonly unknown[], paramTypes: (SqlType | null)[],
  ): Promise<StatementResult[]> {
    results.push(await pending);
    for (let i = from; i < parsed.length; i++) {
      const p = parsed[i]!;
      results.push(await this.executeStatement(p.stmt, sql.slice(p.start, p.end), params, paramTypes));
    }
    return results;
  }

  /** Throws 57P01 once the session is closed (every entry point that runs SQL checks it). */
  checkOpen(): void {
    if (this.closed) throw new DbError('admin_shutdown', 'the session is closed');
  }

  /** True when `sql` is in the parse cache. */
  hasParsed(sql: string): boolean {
    return this.parseCache.has(sql);
  }

  /** Whether parse() keeps `sql`'s statements for the next time (short texts only). */
  cachesParse(sql: string): boolean {
    return sql.length <= PARSE_CACHE_TEXT_MAX;
  }

  /** Parses SQL; a syntax error inside a transaction block aborts the block, as in PostgreSQL. */
  parse(sql: string): ParsedStatement[] {
    const cached = this.parseCache.get(sql);
    if (cached !== undefined) return cached;
    try {
      const parsed = parse(sql);
      // ASTs are immutable plain data, so repeated statements (the common case for applications
      // issuing parameterized queries) skip lexing and parsing.
      if (sql.length <= PARSE_CACHE_TEXT_MAX) {
        if (this.parseCache.size >= PARSE_CACHE_ENTRIES_MAX) {
          this.parseCache.delete(this.parseCache.keys().next().value!);
        }
        this.parseCache.set(sql, parsed);
      } else {
        // A long script is parsed afresh each time, so its statements' plans could never be
        // found again: do not let them fill the plan cache.
        for (const p of parsed) this.oneShot.add(p.stmt);
      }
      return parsed;
    } catch (e) {
      if (this.inBlock) this.failed = true;
      throw e;
    }
  }

  /**
   * Runs one statement. The outermost call arms statement_timeout and the interrupt state; calls
   * nested inside it (routines) run under the same deadline.
   */
  executeStatement(stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[] = []): MaybePromise<StatementResult> {
    const ix = this.interrupts;
    if (ix.depth > 0) return this.executeOne(stmt, text, params, paramTypes);
    ix.depth = 1;
    ix.beginStatement(this.statementTimeoutMs(), true);
    let r: MaybePromise<StatementResult>;
    try {
      r = this.executeOne(stmt, text, params, paramTypes);
    } catch (e) {
      this.endTopStatement();
      throw e;
    }
    if (r instanceof Promise) return r.finally(this.endTopStatement);
    this.endTopStatement();
    return r;
  }

  private readonly endTopStatement = (): void => {
    this.interrupts.depth = 0;
    this.interrupts.endStatement();
    this.planCache.useCatalog(this.catalog);
  };

  private executeOne(stmt: Statement, text: string, params: readonly unknown[], paramTypes: (SqlType | null)[]): MaybePromise<StatementResult> {
    this.notices = [];
    switch (stmt.kind) {
      case 'Transaction':
        return transactionControl(this, stmt);
      case 'Checkpoint':
      case 'Backup':
      case 'Vacuum':
        return executeWithIo(this, stmt, text, params, paramTypes);
      case 'Execute': {
        this.checkNotFailed();
        const p = this.prepared.get(stmt.name);
        if (!p) throw new DbError('undefined_prepared_statement', `prepared statement "${stmt.name}" does not exist`, { position: stmt.loc + 1 });
        return this.runInTxn(p.stmt, p.text, params, stmt);
      }
      default:
        this.checkNotFailed();
        return this.runInTxn(stmt, text, params, null, paramTypes);
    }
  }

  /** @internal session-io.ts */
  checkNotFailed(): void {
    if (this.failed) {
      throw new DbError('in_failed_sql_transaction', 'current transaction is aborted, commands ignored until end of transaction block');
    }
  }

  /**
   * Runs a statement in the session's transaction, or in its own when there is none. The first
   * attempt runs synchronously; a statement that suspends (time slice), meets a lock, fails,
   * sleeps or whose commit must reach the log continues in runStatementAsync (statement-wait.ts).
   */
  /** @internal session-io.ts */
  runInTxn(
    stmt: Statement, text: string, params: readonly unknown[], execute: Extract<Statement, { kind: 'Execute' }> | null,
    paramTypes: (SqlType | null)[] = [],
  ): MaybePromise<StatementResult> {
    const implicit = this.txn === null;
    let txn = this.txn;
    if (txn === null) {
      const modes = this.settings.txnDefaults(this);
      txn = this.beginTxn(modes.isolation, modes.readOnly);
    }
    const mark = implicit ? FRESH_TXN : this.mark(txn);
    const ix = this.interrupts;
    let result: StatementResult;
    try {
      ix.suspendable = ix.sliceMs > 0;
      ix.sleepMs = 0;
      result = executeStatement(stmt, { session: this, txn, text, params, execute, paramTypes, implicitTxn: implicit });
    } catch (e) {
      return runStatementAsync(this, stmt, text, params, execute, paramTypes, implicit, txn, { mark, error: e });
    }
    if (ix.sleepMs > 0) return runStatementAsync(this, stmt, text, params, execute, paramTypes, implicit, txn, { mark, result });
    if (implicit && this.txn !== null) {
      const committing = this.commitTxn(this.txn);
      if (committing !== undefined) return committing.then(() => result);
    }
    return result;
  }

  /** @internal statement-wait.ts: a failed statement ends an implicit transaction, or fails the block. */
  failStatement(txn: Txn, implicit: boolean): void {
    if (implicit) this.abortTxn(txn);
    else this.failed = true;
  }

  /** @internal session-txn-control.ts */
  mark(txn: Txn): Mark {
    return { writes: txn.writes.length, undo: this.ddlUndo.length, catalog: this.txnCatalog, base: this.txnCatalogBase };
  }

  /** @internal session-txn-control.ts */
  rollbackTo(txn: Txn, mark: Mark): void {
    this.db.txns.rollbackTo(txn, mark.writes);
    for (let i = this.ddlUndo.length - 1; i >= mark.undo; i--) this.ddlUndo[i]!();
    this.ddlUndo.length = mark.undo;
    this.txnCatalog = mark.catalog;
    this.txnCatalogBase = mark.base;
  }

  /** COMMIT / ROLLBACK from a procedure body (session-txn-control.ts). */
  procedureTransactionControl(): { commit(): void; rollback(): void } {
    return procedureTransactionControl(this);
  }

  /** SET TRANSACTION: only before the transaction's first query (session-txn-control.ts). */
  setTransactionModes(isolation: string | null, readOnly: boolean | null): void {
    setTransactionModes(this, isolation, readOnly);
  }

  /** A savepoint-like mark a routine's subtransaction rolls back to (src/routines/host.ts). */
  subtransactionMark(txn: Txn): object {
    return this.mark(txn);
  }

  rollbackSubtransaction(txn: Txn, mark: object): void {
    this.rollbackTo(txn, mark as Mark);
  }

  /** The catalog statements of this session see: the transaction's private copy, or the committed one. */
  get catalog(): Catalog {
    return this.txnCatalog ?? this.db.catalog;
  }

  /**
   * A transaction's DDL committed, replacing catalog `old`: what this session cached under it can
   * no longer be used, and holding it would keep a dropped table's rows in memory (plan entries
   * and memos refer to the catalog, whose tables hold their stores). A session with DDL of its
   * own in progress keeps its entries (they are under its private catalog).
   */
  catalogInstalled(old: Catalog): void {
    this.settings.forgetCatalog(old);
    if (this.txnCatalog === null) this.planCache.useCatalog(this.db.catalog);
  }

  /** Gives the running DDL statement a fresh private catalog copy to edit. */
  catalogForDdl(txn: Txn): Catalog {
    if (this.txnCatalogBase === null) this.txnCatalogBase = this.db.catalog;
    this.txnCatalog = (this.txnCatalog ?? this.db.catalog).mutable();
    txn.catalogChanged = true;
    return this.txnCatalog;
  }

  onUndo(fn: () => void): void {
    this.ddlUndo.push(fn);
  }

  /** @internal session-txn-control.ts */
  beginTxn(isolation: IsolationLevel, readOnly: boolean): Txn {
    const txn = this.db.txns.begin(isolation, readOnly);
    this.txn = txn;
    this.txnCatalog = null;
    this.txnCatalogBase = null;
    // Fresh arrays only when used: most transactions set no savepoint and run no DDL.
    if (this.ddlUndo.length > 0) this.ddlUndo = [];
    if (this.savepoints.length > 0) this.savepoints = [];
    // Most transactions start with no SET in effect: share one empty baseline instead of copying.
    this.settingsAtBegin = this.settings.size === 0 ? NO_SETTINGS : this.settings.snapshot();
    return txn;
  }

  /** Commits `txn`; synchronously unless the commit has to reach the log (then a promise). */
  /** @internal session-txn-control.ts */
  commitTxn(txn: Txn): Promise<void> | undefined {
    let installed: Catalog | null = null;
    let logging: Promise<void> | undefined;
    try {
      if (this.txnCatalog !== null) {
        this.db.installCatalog(txn, this.txnCatalog, this.txnCatalogBase!);
        installed = this.txnCatalogBase;
      }
      logging = this.db.txns.commit(txn, txn.reads === null ? null : this.indexResolver());
    } catch (e) {
      this.commitFailed(txn, installed);
      throw e;
    }
    // A table whose store the new catalog no longer has (DROP TABLE, a rewrite) keeps its rows
    // reachable from the committed write logs queued for GC until they are dropped from the queue.
    const freed = installed !== null ? installed.storesMissingFrom(this.db.catalog) : NO_STORES;
    if (logging === undefined) {
      this.committed(txn, freed);
      return undefined;
    }
    return logging.then(() => this.committed(txn, freed), (e: unknown) => {
      this.commitFailed(txn, installed);
      throw e;
    });
  }

  /** Maps the index oids of SERIALIZABLE index reads to this session's runtime indexes. */
  /** @internal session-txn-control.ts */
  indexResolver(): (oid: number) => RowIndex | null {
    const catalog = this.catalog;
    return (oid) => {
      const def = catalog.byOid.get(oid);
      return def?.kind === 'index' ? def.runtime : null;
    };
  }

  private committed(txn: Txn, freed: readonly TableStore[] = NO_STORES): void {
    this.endTxn();
    autoAnalyzeAfterCommit(this.db, txn, this.naptimeMs);
    txn.releaseTables();
    if (freed.length !== 0) this.db.txns.forgetTables(freed);
  }

  /** autovacuum_naptime in ms, read only when a table is due (one function, not one per commit). */
  private readonly naptimeMs = (): number => durationMs(this.setting('autovacuum_naptime') ?? '10s') ?? 10_000;

  /**
   * The catalog is installed before the commit can still fail (SERIALIZABLE validation, the log):
   * put the committed one back so the aborted DDL does not stay visible.
   */
  private commitFailed(txn: Txn, installed: Catalog | null): void {
    if (installed !== null && this.db.catalog === this.txnCatalog) this.db.catalog = installed;
    this.abortTxn(txn);
  }

  /** @internal session-txn-control.ts */
  abortTxn(txn: Txn): void {
    this.db.txns.abort(txn);
    for (let i = this.ddlUndo.length - 1; i >= 0; i--) this.ddlUndo[i]!();
    if (this.settingsAtBegin) this.restoreSettings(this.settingsAtBegin);
    this.endTxn();
  }

  /** @internal session-txn-control.ts */
  restoreSettings(saved: ReadonlyMap<string, string>): void {
    this.settings.restore(saved);
  }

  /** @internal session-txn-control.ts */
  endTxn(): void {
    this.txn = null;
    this.inBlock = false;
    this.failed = false;
    this.txnCatalog = null;
    this.txnCatalogBase = null;
    // Fresh arrays only when used: most transactions set no savepoint and run no DDL.
    if (this.ddlUndo.length > 0) this.ddlUndo = [];
    if (this.savepoints.length > 0) this.savepoints = [];
    this.settingsAtBegin = null;
    this.settings.clearLocal();
  }

  /** @internal session-txn-control.ts */
  defaultIsolation(): IsolationLevel {
    return this.settings.txnDefaults(this).isolation;
  }

  // ---- settings ----

  setting(name: string): string | null {
    const n = LOWER_NAMES.get(name) ?? name.toLowerCase();
    const v = this.settings.stored(n);
    if (v !== null) return v;
    if (n === 'transaction_isolation') return this.txn?.isolation ?? this.defaultIsolation();
    if (n === 'role') return this.settings.get('auth:role') ?? 'none';
    if (n === 'session_authorization') return this.sessionUser;
    if (n === 'is_superuser') return this.catalog.auth.role(this.user)?.superuser ? 'on' : 'off';
    if (n === 'transaction_read_only') return this.txn?.readOnly ? 'on' : 'off';
    return settingDef(n)?.defaultValue ?? null;
  }

  setSetting(name: string, value: string | null, local: boolean): void {
    const n = name.toLowerCase() === 'time zone' ? 'timezone' : name.toLowerCase();
    const def = settingDef(n);
    if (!def && !isCustomSetting(n)) throw unknownSetting(name);
    if (def?.readOnly) throw new DbError('cant_change_runtime_param', `parameter "${n}" cannot be changed`);
    if (n === 'transaction_isolation') {
      if (value !== null) this.setTransactionModes(value, null);
      return;
    }
    const key = local ? `local:${n}` : n;
    if (value === null) {
      this.settings.delete(key);
      return;
    }
    const normalized = def ? def.normalize(value) : value;
    if (local && !this.inBlock) {
      this.notice('WARNING', '25P01', 'SET LOCAL can only be used in transaction blocks');
      return;
    }
    this.settings.set(key, normalized);
    if (n === 'history_retention') this.db.txns.retentionMicros = (durationMs(normalized) ?? 0) * 1000;
  }

  resetAll(): void {
    this.settings.resetAll();
  }

  /** Schemas of the search path, `$user` resolved, non-existent ones kept (as PostgreSQL). */
  searchPath(): string[] {
    return this.settings.searchPath(this);
  }

  /** statement_timeout in ms (read by every statement). */
  statementTimeoutMs(): number {
    return this.settings.statementTimeoutMs(this);
  }

  /** The TypeContext of a statement of `txn` (or outside one). */
  typeContext(txn: Txn | null): TypeContext {
    return this.settings.typeContext(this, this.db.env.clock, txn);
  }

  notice(severity: Notice['severity'], code: string, message: string, detail?: string): void {
    this.notices.push(detail === undefined ? { severity, code, message } : { severity, code, message, detail });
  }

  // ---- sequences (session side of nextval/currval/lastval) ----

  resolveSequence(name: string): SequenceDef {
    const rel = this.catalog.findRelation(parseRelationName(name, 0), this.searchPath());
    if (!rel) throw new DbError('undefined_table', `relation "${name}" does not exist`);
    if (rel.kind !== 'sequence') throw new DbError('wrong_object_type', `"${rel.name}" is not a sequence`);
    return rel;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.txn !== null) this.abortTxn(this.txn);
    this.closed = true;
    this.db.sessions.delete(this);
  }

  static isDbError = isDbError;
}
