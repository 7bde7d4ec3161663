/**
 * One QuickJS runtime + context: the sandbox a compiled JavaScript/TypeScript routine lives in.
 * Nothing of Node is reachable from inside: the guest is a separate JavaScript engine in
 * WebAssembly memory, and the only bridges are the native functions installed here, which take
 * and return primitives (see prelude.ts for the protocol).
 *
 * Limits: the runtime's allocator is capped at (footprint after set-up + memoryBytes), so a
 * memory bomb fails inside the guest with "out of memory" (53200); QuickJS calls the interrupt
 * handler every few thousand operations, which ends the call once the Env's monotonic clock
 * passes the deadline (57014) or the host reports a cancel. The interrupt is uncatchable by the
 * script. Calls may nest (a routine's query runs a statement that calls it again), so the
 * per-call state is saved and restored around each call.
 */
import { Limits } from '../../limits.ts';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { DbError } from '../../errors/index.ts';
import type { RoutineHost, RoutineLimits, LogLevel } from '../language.ts';
import { heapGuard, quickjs, wasmHeapBytes } from './quickjs-module.ts';
import { PRELUDE_SOURCE } from './prelude.ts';
import { decodeTagged, encodeTagged } from './codec.ts';
import { cpuLimitError, errorWithCode, isSqlState, memoryLimitError, whereLine } from '../errors.ts';
import { rowToScriptConverter, scriptParam } from '../values.ts';

/** The JSON descriptor of an error thrown inside the sandbox (prelude.ts `describe`). */
interface GuestError {
  name: string;
  message: string;
  stack: string;
  sqlstate?: string;
  code?: string;
  detail?: string;
  hint?: string;
  hostError?: string;
}

/** Where a call is: its host, deadline and errors raised by the host during it. */
interface CallState {
  host: RoutineHost | null;
  deadlineMs: number;
  interruptError: DbError | null;
  /** In a batch: the last row index seen by the interrupt handler (-1 outside batches). */
  batchRow: number;
  /** WASM memory size past which the call is ended as out of memory (0: no limit). */
  heapCeiling: number;
  /** heapGuard's ceiling when the call started (an enclosing call, maybe of another routine). */
  outerHeapCeiling: number;
}

const LOG_LEVELS: ReadonlySet<string> = new Set(['debug', 'log', 'info', 'notice', 'warning']);

/** Thrown inside host.subtransaction to make it roll back when the guest callback failed. */
class GuestFailed extends Error {}

export class JsSandbox {
  readonly runtime: QuickJSRuntime;
  readonly ctx: QuickJSContext;
  /** Protocol functions: call*(fn, ...args) return a primitive or a framed string. */
  readonly fnCall: QuickJSHandle;
  readonly fnCallNum: QuickJSHandle;
  readonly fnCallStr: QuickJSHandle;
  readonly fnCallSet: QuickJSHandle;
  readonly fnDecode: QuickJSHandle;
  private readonly fnEncode: QuickJSHandle;
  private readonly fnDescribe: QuickJSHandle;
  /** The guest's Int32Array(1) where batch loops record the current row. */
  private readonly progress: QuickJSHandle;
  private readonly progressBuffer: QuickJSHandle;
  private state: CallState = { host: null, deadlineMs: 0, interruptError: null, batchRow: -1, heapCeiling: 0, outerHeapCeiling: 0 };
  /** Host errors raised during the current outermost call, by id, to rethrow them unchanged. */
  private readonly hostErrors = new Map<string, DbError>();
  private nextErrorId = 1;
  private depth = 0;
  private disposed = false;

  readonly routine: string;
  readonly limits: RoutineLimits;

  constructor(routine: string, limits: RoutineLimits) {
    this.routine = routine;
    this.limits = limits;
    this.runtime = quickjs.newRuntime();
    this.ctx = this.runtime.newContext();
    // Deep recursion is a catchable RangeError in the guest instead of a crash of the host stack.
    this.runtime.setMaxStackSize(512 * 1024);
    const api = this.installHostFunctions();
    const prelude = this.ctx.unwrapResult(this.ctx.evalCode(PRELUDE_SOURCE, '<oxibase prelude>'));
    const exportsHandle = this.ctx.unwrapResult(this.ctx.callFunction(prelude, this.ctx.undefined, api));
    prelude.dispose();
    api.dispose();
    this.fnCall = this.ctx.getProp(exportsHandle, 'call');
    this.fnCallNum = this.ctx.getProp(exportsHandle, 'callNum');
    this.fnCallStr = this.ctx.getProp(exportsHandle, 'callStr');
    this.fnCallSet = this.ctx.getProp(exportsHandle, 'callSet');
    this.fnDecode = this.ctx.getProp(exportsHandle, 'dec');
    this.fnEncode = this.ctx.getProp(exportsHandle, 'enc');
    this.fnDescribe = this.ctx.getProp(exportsHandle, 'describe');
    this.progress = this.ctx.getProp(exportsHandle, 'prog');
    this.progressBuffer = this.ctx.getProp(this.progress, 'buffer');
    exportsHandle.dispose();
    this.runtime.setInterruptHandler(() => this.shouldInterrupt());
  }

  /** Caps the heap at what set-up and compiling used plus the routine's memory limit. */
  applyMemoryLimit(): void {
    if (this.limits.memoryBytes <= 0) return;
    const h = this.runtime.computeMemoryUsage();
    const usage = this.ctx.dump(h) as { memory_used_size?: number };
    h.dispose();
    this.runtime.setMemoryLimit((usage.memory_used_size ?? 0) + this.limits.memoryBytes);
  }

  /** Evaluates code at compile time (no host); returns the value's handle or throws its error. */
  evalDefinition(code: string, filename: string): { value: QuickJSHandle } | { error: GuestError } {
    const r = this.ctx.evalCode(code, filename);
    if ('error' in r && r.error !== undefined) {
      const d = this.ctx.dump(r.error) as GuestError;
      r.error.dispose();
      return { error: { name: String(d.name), message: String(d.message), stack: String(d.stack ?? '') } };
    }
    return { value: r.value };
  }

  /**
   * Runs `fn` (a protocol function: call/callSet/callBatch) with the given guest arguments as the
   * outermost or a nested call, under the routine's limits. Returns the raw guest result: a
   * primitive, a "\u0002"-framed composite (decoded here) or throws the mapped error.
   */
  run(host: RoutineHost, fn: QuickJSHandle, args: QuickJSHandle[], errorMapper: (e: GuestError) => DbError): unknown {
    const saved = this.enter(host);
    const ctx = this.ctx;
    try {
      const r = ctx.callFunction(fn, ctx.undefined, ...args);
      if (r.error !== undefined) throw this.failure(r.error, errorMapper);
      const v = readPrimitive(ctx, r.value);
      r.value.dispose();
      return this.finish(v, errorMapper);
    } finally {
      this.exit(saved);
    }
  }

  /** Starts a (possibly nested) call: installs its host and deadline; returns the outer state. */
  enter(host: RoutineHost): CallState {
    if (this.disposed) throw new DbError('object_not_in_prerequisite_state', `routine ${this.routine} was dropped`);
    if (this.depth >= Limits.scriptReentryDepthMax) {
      // Each nested entry (a routine whose SQL calls it again) runs on the same WebAssembly
      // stack; past this depth it would overflow that stack instead of failing cleanly.
      throw new DbError('statement_too_complex', 'stack depth limit exceeded', {
        hint: `${this.routine} re-entered itself more than ${Limits.scriptReentryDepthMax} times through SQL (runaway recursion?).`,
      });
    }
    const saved = this.state;
    const cpu = this.limits.cpuMillis;
    this.state = {
      host, deadlineMs: cpu > 0 ? host.env.clock.monotonicMs() + cpu : 0, interruptError: null, batchRow: -1,
      heapCeiling: this.heapCeiling(), outerHeapCeiling: heapGuard.ceiling,
    };
    this.depth++;
    heapGuard.ceiling = this.state.heapCeiling;
    return saved;
  }

  exit(saved: CallState): void {
    this.depth--;
    heapGuard.ceiling = this.state.outerHeapCeiling;
    this.state = saved;
    if (this.depth === 0) this.hostErrors.clear();
  }

  /**
   * Runs a batch entry (batch.ts): returns the numeric results (Float64Array) or the decoded
   * array of script values.
   */
  runBatch(host: RoutineHost, entry: QuickJSHandle, args: QuickJSHandle[], errorMapper: (e: GuestError) => DbError):
    Float64Array | unknown[] {
    const saved = this.enter(host);
    this.state.batchRow = 0;
    const ctx = this.ctx;
    try {
      const r = ctx.callFunction(entry, ctx.undefined, ...args);
      if (r.error !== undefined) throw this.failure(r.error, errorMapper);
      if (ctx.typeof(r.value) === 'object') {
        const bytes = ctx.getArrayBuffer(r.value);
        r.value.dispose();
        const copy = new Float64Array(bytes.value.byteLength / 8);
        new Uint8Array(copy.buffer).set(bytes.value);
        bytes.dispose();
        return copy;
      }
      const v = ctx.getString(r.value);
      r.value.dispose();
      return this.finish(v, errorMapper) as unknown[];
    } finally {
      this.exit(saved);
    }
  }

  private batchProgress(): number {
    const bytes = this.ctx.getArrayBuffer(this.progressBuffer);
    const row = new DataView(bytes.value.buffer, bytes.value.byteOffset, 4).getInt32(0, true);
    bytes.dispose();
    return row;
  }

  /**
   * Evaluates a factory `(fn, dec, enc, describe, prog) => entry` and applies it to `fn`: the
   * per-routine adapters and batch loops are built this way.
   */
  instantiate(factorySource: string, filename: string, fn: QuickJSHandle): QuickJSHandle {
    const ctx = this.ctx;
    const factory = ctx.unwrapResult(ctx.evalCode(factorySource, filename));
    try {
      return ctx.unwrapResult(ctx.callFunction(factory, ctx.undefined,
        fn, this.fnDecode, this.fnEncode, this.fnDescribe, this.progress));
    } finally {
      factory.dispose();
    }
  }

  /** Unframes a protocol result: decodes a composite, throws a described error. */
  finish(v: unknown, errorMapper: (e: GuestError) => DbError): unknown {
    if (typeof v === 'string') {
      const c = v.charCodeAt(0);
      if (c === 2) return decodeTagged(v.slice(1));
      if (c === 1) throw this.guestError(JSON.parse(v.slice(1)) as GuestError, errorMapper);
    }
    return v;
  }

  /** The error for an exception that escaped the protocol function (disposes its handle). */
  failure(error: QuickJSHandle, errorMapper: (e: GuestError) => DbError): DbError {
    // Only the interrupt (uncatchable) and internal failures escape the prelude's try/catch.
    const d = this.ctx.dump(error) as GuestError;
    error.dispose();
    return this.uncaught(d, errorMapper);
  }

  /** Error for what escaped the guest uncaught: the interrupt, or an internal failure. */
  private uncaught(d: GuestError, errorMapper: (e: GuestError) => DbError): DbError {
    if (this.state.interruptError !== null) return this.state.interruptError;
    if (/interrupted/i.test(String(d.message))) return cpuLimitError(this.routine, this.limits.cpuMillis);
    return this.guestError(d, errorMapper);
  }

  /** Maps a guest error descriptor to a DbError. */
  private guestError(d: GuestError, errorMapper: (e: GuestError) => DbError): DbError {
    if (this.state.interruptError !== null) return this.state.interruptError;
    if (d.hostError !== undefined) {
      const original = this.hostErrors.get(d.hostError);
      if (original !== undefined) return original;
    }
    if (d.name === 'InternalError' && /out of memory/i.test(d.message)) {
      return memoryLimitError(this.routine, this.limits.memoryBytes);
    }
    if ((d.name === 'InternalError' || d.name === 'RangeError') && /stack overflow|call stack/i.test(d.message)) {
      return new DbError('statement_too_complex', `stack depth limit exceeded in ${this.routine}`,
        { hint: 'The function recurses too deeply.' });
    }
    return errorMapper(d);
  }

  /**
   * The WASM memory size this call may grow the module to (see heapGuard): what it is now plus
   * the limit, at least what the enclosing call allows. Freed guest memory is reused before
   * the module grows, so this is a backstop to the runtime's allocator cap, not a replacement.
   */
  private heapCeiling(): number {
    const limit = this.limits.memoryBytes;
    if (limit <= 0) return 0;
    return wasmHeapBytes() + limit;
  }

  private shouldInterrupt(): boolean {
    const s = this.state;
    if (s.host === null) return false;
    if (s.deadlineMs !== 0) {
      const now = s.host.env.clock.monotonicMs();
      if (now > s.deadlineMs) {
        if (s.batchRow < 0) return true;
        // In a batch the limit is per row: a row that moved on since the last check gets a fresh one.
        const row = this.batchProgress();
        if (row === s.batchRow) return true;
        s.batchRow = row;
        s.deadlineMs = now + this.limits.cpuMillis;
      }
    }
    try {
      s.host.checkInterrupt();
    } catch (e) {
      s.interruptError = e instanceof DbError ? e : new DbError('query_canceled', String(e));
      return true;
    }
    return false;
  }

  private currentHost(): RoutineHost {
    const h = this.state.host;
    if (h === null) throw new DbError('object_not_in_prerequisite_state', 'the routine is not running');
    return h;
  }

  /** Registers a host error for the guest and returns its descriptor frame. */
  private hostErrorFrame(e: unknown): string {
    const err = e instanceof DbError ? e : new DbError('internal_error', String(e));
    const id = String(this.nextErrorId++);
    this.hostErrors.set(id, err);
    return '\u0001' + JSON.stringify({
      message: err.message, sqlstate: err.code, detail: err.detail, hint: err.hint, hostError: id,
    });
  }

  private installHostFunctions(): QuickJSHandle {
    const ctx = this.ctx;
    const api = ctx.newObject();
    const def = (name: string, fn: (...a: QuickJSHandle[]) => QuickJSHandle | undefined): void => {
      const f = ctx.newFunction(name, fn);
      ctx.setProp(api, name, f);
      f.dispose();
    };
    def('query', (sqlH, paramsH, modeH) => {
      const sql = ctx.getString(sqlH!);
      const params = decodeTagged(ctx.getString(paramsH!)) as unknown[];
      const mode = ctx.getString(modeH!);
      return ctx.newString(this.hostQuery(sql, params, mode === 'count'));
    });
    def('log', (levelH, msgH) => {
      const level = ctx.getString(levelH!);
      if (LOG_LEVELS.has(level)) this.currentHost().log(level as LogLevel, ctx.getString(msgH!));
      return undefined;
    });
    def('print', (textH) => {
      this.currentHost().print(ctx.getString(textH!));
      return undefined;
    });
    def('random', () => ctx.newNumber(this.currentHost().env.random.next()));
    def('now', () => ctx.newNumber(this.currentHost().env.clock.nowMs()));
    def('subtransaction', (cbH) => this.subtransaction(cbH!));
    return api;
  }

  private hostQuery(sql: string, params: unknown[], countOnly: boolean): string {
    const host = this.currentHost();
    try {
      const values: unknown[] = [];
      const types = [];
      for (const p of params) {
        const { value, type } = scriptParam(p, host.types);
        values.push(value);
        types.push(type);
      }
      const r = host.query(sql, values, types);
      if (countOnly) return String(r.rowCount);
      const toRow = rowToScriptConverter(r.fields);
      return encodeTagged(r.rows.map((row) => toRow(row, host.types)));
    } catch (e) {
      return this.hostErrorFrame(e);
    }
  }

  /** Runs a guest callback in a host subtransaction; returns the guest's error value on failure. */
  private subtransaction(cb: QuickJSHandle): QuickJSHandle | undefined {
    const ctx = this.ctx;
    let failure: QuickJSHandle | undefined;
    try {
      this.currentHost().subtransaction(() => {
        const r = ctx.callFunction(cb, ctx.undefined);
        if (r.error !== undefined) {
          failure = r.error;
          throw new GuestFailed('guest callback failed');
        }
        r.value.dispose();
      });
    } catch (e) {
      if (e instanceof GuestFailed && failure !== undefined) return failure;
      // A host failure (e.g. the rollback itself) becomes a SqlError inside the guest.
      const frame = JSON.parse(this.hostErrorFrame(e).slice(1)) as Record<string, string>;
      const err = ctx.newError({ name: 'SqlError', message: frame['message'] ?? '' });
      for (const k of ['sqlstate', 'hostError']) {
        const v = frame[k];
        if (v !== undefined) ctx.setProp(err, k, ctx.newString(v));
      }
      return err;
    }
    return undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of [this.fnCall, this.fnCallNum, this.fnCallStr, this.fnCallSet, this.fnDecode,
      this.fnEncode, this.fnDescribe, this.progressBuffer, this.progress]) h.dispose();
    this.ctx.dispose();
    this.runtime.dispose();
  }
}

/** Reads a primitive result handle (the protocol never returns objects); does not dispose it. */
export function readPrimitive(ctx: QuickJSContext, h: QuickJSHandle): unknown {
  switch (ctx.typeof(h)) {
    case 'number': return ctx.getNumber(h);
    case 'string': return ctx.getString(h);
    case 'boolean': return ctx.dump(h) as boolean;
    case 'bigint': return ctx.getBigInt(h);
    default: return null;
  }
}

/** Maps a script's own error (not a limit) to a DbError: its SQLSTATE or P0001, with context. */
export function scriptErrorMapper(language: string, routine: string, filename: string, headerColumns: number):
  (d: GuestError) => DbError {
  return (d) => {
    const code = isSqlState(d.sqlstate) ? d.sqlstate : isSqlState(d.code) ? d.code : 'P0001';
    const message = code === 'P0001' && d.name !== '' && d.name !== 'Error' ? `${d.name}: ${d.message}` : d.message;
    const pos = stackPosition(d.stack, filename, headerColumns);
    const fields: { detail?: string; hint?: string; where: string } = {
      where: whereLine(language, routine, pos === null ? null : pos, pos?.fn),
    };
    if (d.detail !== undefined) fields.detail = d.detail;
    if (d.hint !== undefined) fields.hint = d.hint;
    return errorWithCode(code, message, fields);
  };
}

/** The first stack frame inside the routine body: function name and body line:column. */
export function stackPosition(stack: string, filename: string, headerColumns: number):
  { line: number; column: number; fn: string } | null {
  for (const line of stack.split('\n')) {
    const m = /at (?:(\S*) \()?(.*?):(\d+):(\d+)\)?$/.exec(line.trim());
    if (m === null || m[2] !== filename) continue;
    const ln = Number(m[3]);
    const col = Number(m[4]) - (ln === 1 ? headerColumns : 0);
    return { line: ln, column: Math.max(1, col), fn: m[1] ?? '' };
  }
  return null;
}

export type { GuestError };
