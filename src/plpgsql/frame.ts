/**
 * The run-time state of one call (PostgreSQL's PLpgSQL_execstate): variable values by slot, the
 * host, diagnostics (ROW_COUNT), the errors being handled, the pending EXIT/CONTINUE label, the
 * return value and the rows a set-returning function has produced.
 */
import { DbError } from '../errors/index.ts';
import type { RoutineHost, HostPrepared } from '../scripting/language.ts';
import { Types, type SqlType } from '../types/sql-type.ts';
import type { FunctionAst, Stmt } from './ast.ts';
import { stmtName } from './ast.ts';
import { newRow } from '../exec/new-row.ts';

const UNKNOWN = Types.unknown;
/** Loop iterations between clock reads for the time limit (a power of two). */
const LOOP_TICKS = 256;

/** Statement outcomes (integers: compared on every statement). */
export const NORMAL = 0;
export const EXIT = 1;
export const CONTINUE = 2;
export const RETURN = 3;

/** A built SQL text with its parameter sources, prepared once per host. */
export interface PreparedExpr {
  readonly key: string;
  readonly sql: string;
  readonly paramTypes: readonly SqlType[];
  /** Reads parameter i's value from a frame. */
  readonly getters: readonly ((f: Frame) => unknown)[];
  /** Prepared through the host on first use (never, for an expression evaluated directly). */
  prepared: HostPrepared | null;
  /**
   * Evaluates without the host when the expression is simple enough to compile directly
   * (fast-expr.ts); null otherwise.
   */
  readonly direct: ((f: Frame) => { value: unknown; type: SqlType }) | null;
}

/** Per-host cache of prepared expressions, indexed by SqlExpr id (one entry per record shape). */
export class HostCache {
  /** A PreparedExpr for static SQL, a per-shape cache (run-sql.ts) for record-dependent SQL. */
  readonly exprs: (PreparedExpr | object | undefined)[];
  /** Column names of relations the body's statements use (variable/column conflict checks). */
  readonly columns = new Map<string, readonly string[]>();

  constructor(exprCount: number) {
    this.exprs = new Array(exprCount);
  }
}

/** What the compiled routine shares with every frame (immutable after compile). */
export interface RoutineInfo {
  readonly ast: FunctionAst;
  /** `f(integer,text)` as PostgreSQL prints it in context lines. */
  readonly signature: string;
  readonly returnType: SqlType | null;
  readonly returnsSet: boolean;
  readonly isProcedure: boolean;
  readonly isTrigger: boolean;
  /** RoutineLimits.cpuMillis: time a call may run (0 = unlimited). */
  readonly cpuMillis: number;
}

export class Frame {
  readonly info: RoutineInfo;
  readonly host: RoutineHost;
  readonly cache: HostCache;
  readonly values: unknown[];
  rowCount = 0;
  /** Errors caught by the handlers currently running, innermost last. */
  readonly caught: DbError[] = [];
  /** Label of a pending EXIT / CONTINUE (null: the innermost loop). */
  label: string | null = null;
  returnValue: unknown = null;
  readonly results: unknown[] = [];
  /** Number of EXCEPTION blocks (subtransactions) entered and not yet left. */
  subtxnDepth = 0;
  /** Monotonic ms after which the call is cancelled (0 = no limit); checked every LOOP_TICKS. */
  readonly deadlineMs: number;
  ticks = 0;
  /** Errors that already carry this call's context line (created on the first error). */
  private annotated: WeakSet<object> | null = null;
  /** The result of the latest expression evaluation (reused: read it before evaluating again). */
  readonly result: { value: unknown; type: SqlType } = { value: null, type: UNKNOWN };

  constructor(info: RoutineInfo, host: RoutineHost, cache: HostCache) {
    this.info = info;
    this.host = host;
    this.cache = cache;
    this.values = newRow(info.ast.vars.length);
    this.deadlineMs = info.cpuMillis > 0 ? host.env.clock.monotonicMs() + info.cpuMillis : 0;
  }

  /**
   * Called once per loop iteration: lets the host cancel (statement_timeout, cancel requests)
   * and enforces the routine's time limit, reading the clock only every LOOP_TICKS iterations.
   */
  tick(): void {
    this.host.checkInterrupt();
    if (this.deadlineMs !== 0 && (++this.ticks & (LOOP_TICKS - 1)) === 0
      && this.host.env.clock.monotonicMs() > this.deadlineMs) {
      throw new DbError('query_canceled',
        `canceling statement due to the time limit of PL/pgSQL function ${this.info.signature} (${this.info.cpuMillis} ms)`);
    }
  }

  /** Adds `PL/pgSQL function f(integer) line 3 at RAISE` to an error's context, once per call. */
  annotate(e: DbError, s: Stmt): void {
    this.annotateLine(e, s.line, `at ${stmtName(s)}`);
  }

  annotateLine(e: DbError, line: number, what: string): void {
    this.annotated ??= new WeakSet();
    if (this.annotated.has(e)) return;
    this.annotated.add(e);
    const text = `PL/pgSQL function ${this.info.signature} line ${line} ${what}`;
    e.where = e.where === undefined || e.where === '' ? text : `${e.where}\n${text}`;
  }

  contextLine(s: Stmt): string {
    return `PL/pgSQL function ${this.info.signature} line ${s.line} at ${stmtName(s)}`;
  }
}
