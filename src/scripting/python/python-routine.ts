/**
 * A Python routine: its body compiled once into a function inside the shared interpreter
 * (python-runtime.ts), `def __ox_fn(<args>):` with `args = (<args>)` as its first line and the
 * body indented under it (PL/Python's shape), so body line N is line N + 2 and every column is
 * shifted by the 4-space indent. Compiled again, transparently, if the interpreter was replaced.
 */
import { DbError } from '../../errors/index.ts';
import type { TypeContext } from '../../types/context.ts';
import type { CompiledRoutine, FieldInfo, RoutineHost, RoutineSource, TriggerCall } from '../language.ts';
import { resultConverter, rowFromScriptConverter } from '../values.ts';
import {
  compileError, cpuLimitError, errorWithCode, isSqlState, memoryLimitError, whereLine,
} from '../errors.ts';
import { decodeTagged, encodeTagged } from '../js/codec.ts';
import { CallAborted, PythonRuntime, type CallControl } from './python-runtime.ts';
import { isFloatType, rowToPython, toPythonConverter } from './python-values.ts';
import { PythonHostBridge } from './python-host.ts';
import type { ToScript } from '../values.ts';

const HEADER_LINES = 2;

const KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else '
  + 'except finally for from global if import in is lambda nonlocal not or pass raise return try while with '
  + 'yield args match case').split(' '));

const TRIGGER_PARAMS = ['NEW', 'OLD', 'TG_OP', 'TG_WHEN', 'TG_LEVEL', 'TG_NAME', 'TG_TABLE_NAME',
  'TG_TABLE_SCHEMA', 'TG_ARGV', 'TD'];

function identifier(name: string | null, i: number): string {
  if (name !== null && /^[A-Za-z_]\w*$/.test(name) && !KEYWORDS.has(name)) return name;
  return `_arg${i + 1}`;
}

/** The Python source of a routine. */
export function pythonSource(source: RoutineSource): string {
  const params = source.isTrigger ? TRIGGER_PARAMS : source.argNames.map(identifier);
  const argsLine = source.isTrigger ? 'args = TG_ARGV' : `args = (${params.join(', ')}${params.length === 1 ? ',' : ''})`;
  const body = source.body.replace(/\r\n?/g, '\n').split('\n').map((l) => `    ${l}`).join('\n');
  return `def __ox_fn(${params.join(', ')}):\n    ${argsLine}\n${body}\n    pass\n`;
}

/** The error descriptor the Python side sends (bootstrap.ts `_describe`). */
interface PyError {
  type: string;
  message: string;
  sqlstate: string | null;
  detail: string | null;
  hint: string | null;
  hostError: string | null;
  interrupt: boolean;
  memory: boolean;
  recursion: boolean;
  pos: { line: number; col: number | null; fn: string } | null;
}

interface PyReply {
  ok?: unknown;
  err?: PyError;
  fatal?: string;
  syntax?: { message: string; line: number; col: number };
}

export class PythonRoutine implements CompiledRoutine {
  private readonly source: RoutineSource;
  private readonly code: string;
  private readonly toPy: readonly ToScript[];
  private readonly floats: readonly number[];
  private readonly result: (v: unknown, ctx: TypeContext) => unknown;
  private runtime: PythonRuntime | null = null;
  private id = 0;
  private triggerColumns: readonly FieldInfo[] | null = null;
  private triggerRow: ((v: unknown, ctx: TypeContext) => unknown[]) | null = null;

  constructor(source: RoutineSource) {
    this.source = source;
    this.code = pythonSource(source);
    this.toPy = source.argTypes.map(toPythonConverter);
    this.floats = source.argTypes.flatMap((t, i) => (isFloatType(t) ? [i] : []));
    this.result = resultConverter(source);
    this.ensureCompiled();
  }

  /** Compiles into the current interpreter (again, after it was replaced). */
  private ensureCompiled(): PythonRuntime {
    const rt = PythonRuntime.get();
    if (this.runtime === rt) return rt;
    const id = rt.allocateId();
    const ctl: CallControl = {
      clock: { nowMs: () => 0, nowMicros: () => 0, monotonicMs: () => 0 },
      deadlineMs: 0,
      checkInterrupt: () => {},
      onHost: () => JSON.stringify({ error: { message: 'no database access while compiling', sqlstate: '0A000' } }),
    };
    const reply = JSON.parse(rt.request('compile', id, [
      this.source.name, this.code, HEADER_LINES, this.floats, this.source.returnsSet, this.source.isTrigger,
    ], 0, ctl)) as PyReply;
    if (reply.syntax !== undefined) {
      const s = reply.syntax;
      throw compileError('Python', this.source.name, s.message, { line: Math.max(1, s.line), column: s.col });
    }
    if (reply.fatal !== undefined || reply.err !== undefined) {
      const why = reply.fatal ?? `${reply.err!.type}: ${reply.err!.message}`;
      throw new DbError('invalid_function_definition', `could not define Python function ${this.source.name}: ${why}`);
    }
    this.runtime = rt;
    this.id = id;
    return rt;
  }

  private run(op: string, payload: Record<string, unknown>, host: RoutineHost): unknown {
    const rt = this.ensureCompiled();
    const bridge = new PythonHostBridge(host);
    const cpu = this.source.limits.cpuMillis;
    const ctl: CallControl = {
      clock: host.env.clock,
      deadlineMs: cpu > 0 ? host.env.clock.monotonicMs() + cpu : 0,
      checkInterrupt: () => host.checkInterrupt(),
      onHost: (msg, runtime) => bridge.onHost(msg, runtime, ctl),
    };
    payload['now'] = host.env.clock.nowMs();
    payload['seed'] = host.env.random.nextU32();
    let text: string;
    try {
      text = rt.request(op, this.id, [encodeTagged(payload)], this.source.limits.memoryBytes, ctl);
    } catch (e) {
      if (!(e instanceof CallAborted)) throw e;
      if (e.reason === 'cancel' && e.cause instanceof DbError) throw e.cause;
      if (e.reason === 'crash') {
        throw new DbError('external_routine_exception', `the Python interpreter stopped while running ${this.source.name}`,
          { detail: typeof e.cause === 'string' ? e.cause : undefined });
      }
      throw cpuLimitError(this.source.name, cpu);
    }
    const reply = decodeTagged(text) as PyReply;
    if (reply.err !== undefined) throw this.mapError(reply.err, bridge);
    if (reply.fatal !== undefined) throw new DbError('external_routine_exception', reply.fatal);
    return reply.ok;
  }

  private mapError(e: PyError, bridge: PythonHostBridge): DbError {
    const name = this.source.name;
    if (e.hostError !== null) {
      const original = bridge.hostError(e.hostError);
      if (original !== undefined) return original;
    }
    if (e.interrupt) return cpuLimitError(name, this.source.limits.cpuMillis);
    if (e.memory) return memoryLimitError(name, this.source.limits.memoryBytes);
    if (e.recursion) {
      return new DbError('statement_too_complex', `stack depth limit exceeded in ${name}`, { hint: e.message });
    }
    const pos = e.pos === null ? null : { line: e.pos.line, column: Math.max(1, e.pos.col ?? 1) };
    const fields: { detail?: string; hint?: string; where: string } = {
      where: whereLine('Python', name, pos, e.pos?.fn === '__ox_fn' ? undefined : e.pos?.fn),
    };
    if (e.detail !== null) fields.detail = e.detail;
    if (e.hint !== null) fields.hint = e.hint;
    if (isSqlState(e.sqlstate)) return errorWithCode(e.sqlstate, e.message, fields);
    return errorWithCode('P0001', e.type === 'SqlError' ? e.message : `${e.type}: ${e.message}`, fields);
  }

  private args(args: readonly unknown[], types: TypeContext): unknown[] {
    const out = new Array<unknown>(this.toPy.length);
    for (let i = 0; i < out.length; i++) {
      const v = args[i];
      out[i] = v === null || v === undefined ? null : this.toPy[i]!(v, types);
    }
    return out;
  }

  call(args: readonly unknown[], host: RoutineHost): unknown {
    return this.result(this.run('call', { args: this.args(args, host.types) }, host), host.types);
  }

  callBatch(argRows: readonly (readonly unknown[])[], host: RoutineHost): unknown[] {
    if (this.source.returnsSet || this.source.isTrigger) return argRows.map((r) => this.call(r, host));
    const rows = argRows.map((r) => this.args(r, host.types));
    const out = this.run('batch', { rows }, host) as unknown[];
    return out.map((v) => this.result(v, host.types));
  }

  callTrigger(t: TriggerCall, host: RoutineHost): readonly unknown[] | null {
    if (this.triggerColumns !== t.columns) {
      this.triggerColumns = t.columns;
      this.triggerRow = rowFromScriptConverter(t.columns, this.source.name);
    }
    const toRow = rowToPython(t.columns);
    const td = {
      new: t.newRow === null ? null : toRow(t.newRow, host.types),
      old: t.oldRow === null ? null : toRow(t.oldRow, host.types),
      event: t.op, when: t.when, level: t.level, name: t.name,
      table_name: t.tableName, table_schema: t.tableSchema, args: t.args,
    };
    const v = this.run('trigger', { td }, host);
    return v === null || v === undefined ? null : this.triggerRow!(v, host.types);
  }

  dispose(): void {
    const rt = this.runtime;
    this.runtime = null;
    if (rt === null || !rt.alive) return;
    const ctl: CallControl = {
      clock: { nowMs: () => 0, nowMicros: () => 0, monotonicMs: () => 0 },
      deadlineMs: 0, checkInterrupt: () => {}, onHost: () => 'null',
    };
    try {
      rt.request('drop', this.id, [], 0, ctl);
    } catch {
      // The interpreter is gone; nothing left to free.
    }
  }
}
