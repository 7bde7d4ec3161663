/**
 * A JavaScript (or stripped TypeScript) routine compiled into its own QuickJS sandbox.
 *
 * The body becomes `function <name>(<args>) { var args = arguments; <body> }`, written on the
 * body's first line so that line N of the body is line N of the guest source (column offsets
 * only on line 1). Arguments cross as primitive handles where the type allows (numbers,
 * strings, booleans) and as tagged JSON decoded by a small per-routine adapter otherwise;
 * everything type-dependent is decided here, at compile time.
 */
import type { QuickJSHandle } from 'quickjs-emscripten';
import { DbError } from '../../errors/index.ts';
import { Oid, type SqlType } from '../../types/sql-type.ts';
import type { TypeContext } from '../../types/context.ts';
import type {
  CompiledRoutine, FieldInfo, RoutineHost, RoutineSource, TriggerCall,
} from '../language.ts';
import {
  resultConverter, rowFromScriptConverter, toScriptConverter, type ToScript,
} from '../values.ts';
import { compileError, type BodyPosition } from '../errors.ts';
import { JsSandbox, scriptErrorMapper, stackPosition, type GuestError } from './sandbox.ts';
import { encodeTagged } from './codec.ts';
import { triggerInvocation, TRIGGER_PARAMS } from './js-trigger.ts';
import { FastCall, type ResultMode } from './fast-call.ts';
import { BatchCaller } from './batch.ts';

/** How one argument crosses into the guest. */
type ArgKind = 'number' | 'string' | 'bool' | 'int8' | 'tagged';

const RESERVED = new Set(('break case catch class const continue debugger default delete do else enum export '
  + 'extends false finally for function if import in instanceof new null return super switch this throw true '
  + 'try typeof var void while with yield let static implements interface package private protected public '
  + 'await arguments eval args').split(' '));

function argKind(t: SqlType): ArgKind {
  if (t.elem !== null) return 'tagged';
  switch (t.oid) {
    case Oid.int2: case Oid.int4: case Oid.float4: case Oid.float8: case Oid.oid: case Oid.numeric:
      return 'number';
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid: case Oid.unknown:
      return 'string';
    case Oid.bool:
      return 'bool';
    case Oid.int8:
      return 'int8';
    default:
      return 'tagged';
  }
}

function identifier(name: string | null, fallback: string): string {
  if (name !== null && /^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name)) return name;
  return fallback;
}

/** What compiling found: the guest source and where the body starts on its first line. */
export interface GuestSource {
  readonly code: string;
  readonly headerColumns: number;
}

/** The guest source of a body (already JavaScript) for `source`. */
export function guestSource(source: RoutineSource, body: string): GuestSource {
  const params = source.isTrigger
    ? TRIGGER_PARAMS
    : source.argNames.map((n, i) => identifier(n, `$${i + 1}`));
  const fnName = identifier(source.name.slice(source.name.lastIndexOf('.') + 1), 'routine');
  const header = `(function ${fnName}(${params.join(', ')}) { var args = arguments; `;
  return { code: `${header}${body}\n})`, headerColumns: header.length };
}

export class JsRoutine implements CompiledRoutine {
  // Sandbox-bound state; replaced wholesale by build() when a sandbox has to be abandoned.
  private sandbox!: JsSandbox;
  private fn!: QuickJSHandle;
  /** `fn`, or an adapter decoding tagged arguments before calling it. */
  private entry!: QuickJSHandle;
  private fast!: FastCall;
  private protocol!: QuickJSHandle;
  private batch: BatchCaller | null = null;
  private adapterForTrigger: QuickJSHandle | null = null;

  private readonly kinds: readonly ArgKind[];
  private readonly toScript: readonly ToScript[];
  private readonly result: (v: unknown, ctx: TypeContext) => unknown;
  private readonly errorMapper: (e: GuestError) => DbError;
  private readonly source: RoutineSource;
  private readonly guest: GuestSource;
  private readonly languageLabel: string;
  private readonly mode: ResultMode;
  private triggerColumns: readonly FieldInfo[] | null = null;
  private triggerRow: ((v: unknown, ctx: TypeContext) => unknown[]) | null = null;

  constructor(source: RoutineSource, body: string, languageLabel: string) {
    this.source = source;
    this.languageLabel = languageLabel;
    this.guest = guestSource(source, body);
    this.errorMapper = scriptErrorMapper(languageLabel, source.name, source.name, this.guest.headerColumns);
    this.kinds = source.argTypes.map(argKind);
    this.toScript = source.argTypes.map(toScriptConverter);
    this.result = resultConverter(source);
    this.mode = resultMode(source);
    this.build();
  }

  /** Creates the sandbox and compiles the body into it. */
  private build(): void {
    const source = this.source;
    const sandbox = new JsSandbox(source.name, source.limits);
    const def = sandbox.evalDefinition(this.guest.code, source.name);
    if ('error' in def) {
      sandbox.dispose();
      throw definitionError(this.languageLabel, source.name, def.error, this.guest.headerColumns);
    }
    this.sandbox = sandbox;
    this.fn = def.value;
    this.protocol = source.returnsSet ? sandbox.fnCallSet
      : this.mode === 'number' ? sandbox.fnCallNum : this.mode === 'string' ? sandbox.fnCallStr : sandbox.fnCall;
    this.entry = this.makeEntry();
    this.fast = new FastCall(sandbox.ctx, this.entry, this.kinds.length + 1);
    this.batch = null;
    this.adapterForTrigger = null;
    sandbox.applyMemoryLimit();
  }

  /**
   * The host's own stack overflowed inside the guest (QuickJS's stack check counts its shadow
   * stack, and deeply nested native paths such as JSON.parse can exhaust V8's first). The guest
   * was unwound without its cleanup, so its runtime is abandoned, not disposed (disposing
   * checks for leaked objects and would abort the WASM module), and the routine is rebuilt.
   */
  private recover(e: unknown): unknown {
    if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) return e;
    this.build();
    return new DbError('statement_too_complex', `stack depth limit exceeded in ${this.source.name}`,
      { hint: 'The function recurses or nests values too deeply.' });
  }

  /** An adapter `(a0, a1) => fn(a0, dec(a1))` when some argument travels as tagged JSON. */
  private makeEntry(): QuickJSHandle {
    if (this.source.isTrigger || !this.kinds.some((k) => k === 'tagged' || k === 'int8')) return this.fn;
    const params = this.kinds.map((_, i) => `a${i}`);
    const passed = this.kinds.map((k, i) => (k === 'tagged' ? `dec(a${i})`
      : k === 'int8' ? `(typeof a${i} === 'string' ? dec(a${i}) : a${i})` : `a${i}`));
    const code = `(function (fn, dec) { return function (${params.join(', ')}) { return fn(${passed.join(', ')}); }; })`;
    return this.sandbox.instantiate(code, '<oxibase adapter>', this.fn);
  }

  call(args: readonly unknown[], host: RoutineHost): unknown {
    // A call nested inside one of this routine's own calls (through a query) gets its own argv.
    const nested = this.fast.busy;
    const fast = nested ? new FastCall(this.sandbox.ctx, this.entry, this.kinds.length + 1) : this.fast;
    try {
      return this.callWith(fast, args, host);
    } finally {
      if (nested) fast.dispose();
    }
  }

  private callWith(fast: FastCall, args: readonly unknown[], host: RoutineHost): unknown {
    const types = host.types;
    for (let i = 0; i < this.kinds.length; i++) this.setArg(fast, i, args[i], types);
    const sandbox = this.sandbox;
    const saved = sandbox.enter(host);
    try {
      const r = fast.invoke(this.protocol, this.mode);
      if (!r.ok) throw sandbox.failure(r.error, this.errorMapper);
      return this.result(sandbox.finish(r.value, this.errorMapper), types);
    } catch (e) {
      throw this.recover(e);
    } finally {
      sandbox.exit(saved);
    }
  }

  private setArg(fast: FastCall, i: number, v: unknown, types: TypeContext): void {
    const slot = i + 1;
    if (v === null || v === undefined) {
      fast.setBorrowed(slot, fast.nullPtr);
      return;
    }
    switch (this.kinds[i]) {
      case 'number': fast.setNumber(slot, this.toScript[i]!(v, types) as number); return;
      case 'string': fast.setString(slot, v as string); return;
      case 'bool': fast.setBorrowed(slot, v === true ? fast.truePtr : fast.falsePtr); return;
      case 'int8':
        // Beyond 2^53 the guest gets a BigInt through the tagged path.
        if (typeof v === 'bigint') fast.setString(slot, encodeTagged(v));
        else fast.setNumber(slot, v as number);
        return;
      default: fast.setString(slot, encodeTagged(this.toScript[i]!(v, types)));
    }
  }

  callBatch(argRows: readonly (readonly unknown[])[], host: RoutineHost): unknown[] {
    if (this.source.returnsSet || this.source.isTrigger) {
      return argRows.map((row) => this.call(row, host));
    }
    this.batch ??= new BatchCaller(this.sandbox, this.fn, this.source.argTypes, this.toScript, this.mode === 'number');
    const types = host.types;
    const handles = this.batch.pack(argRows, types);
    const ctx = this.sandbox.ctx;
    try {
      const out = this.sandbox.runBatch(host, this.batch.entry, handles, this.errorMapper);
      const res = new Array<unknown>(out.length);
      for (let i = 0; i < out.length; i++) res[i] = this.result(out[i], types);
      return res;
    } catch (e) {
      throw this.recover(e);
    } finally {
      for (const h of handles) if (h !== ctx.null) h.dispose();
    }
  }

  callTrigger(trigger: TriggerCall, host: RoutineHost): readonly unknown[] | null {
    if (this.triggerColumns !== trigger.columns) {
      this.triggerColumns = trigger.columns;
      this.triggerRow = rowFromScriptConverter(trigger.columns, this.source.name);
    }
    const inv = triggerInvocation(trigger, host.types);
    const ctx = this.sandbox.ctx;
    const arg = ctx.newString(inv.json);
    try {
      const v = this.sandbox.run(host, this.sandbox.fnCall, [this.triggerAdapter(), arg], this.errorMapper);
      if (v === null || v === undefined) return null;
      return inv.restore(this.triggerRow!(v, host.types), v);
    } catch (e) {
      throw this.recover(e);
    } finally {
      arg.dispose();
    }
  }

  /** `(json) => fn(NEW, OLD, TG_OP, ...)` built on first trigger call. */
  private triggerAdapter(): QuickJSHandle {
    if (this.adapterForTrigger !== null) return this.adapterForTrigger;
    if (!this.source.isTrigger) {
      throw new DbError('object_not_in_prerequisite_state', `${this.source.name} is not a trigger function`);
    }
    const code = `(function (fn, dec) { return function (json) { const t = dec(json);
      return fn(t.new, t.old, t.op, t.when, t.level, t.name, t.table, t.schema, t.argv, t.table); }; })`;
    this.adapterForTrigger = this.sandbox.instantiate(code, '<oxibase trigger adapter>', this.fn);
    return this.adapterForTrigger;
  }

  dispose(): void {
    this.fast.dispose();
    this.batch?.dispose();
    if (this.entry !== this.fn) this.entry.dispose();
    this.adapterForTrigger?.dispose();
    this.fn.dispose();
    this.sandbox.dispose();
  }
}

/** How call() reads the guest's answer without a typeof round trip. */
function resultMode(source: RoutineSource): ResultMode {
  const t = source.returnType;
  if (source.returnsSet || source.outColumns !== null || source.isTrigger || t === null || t.elem !== null) return 'any';
  switch (t.oid) {
    case Oid.int2: case Oid.int4: case Oid.int8: case Oid.float4: case Oid.float8: case Oid.numeric: case Oid.oid:
      return 'number';
    case Oid.text: case Oid.varchar: case Oid.bpchar: case Oid.name: case Oid.uuid:
      return 'string';
    default:
      return 'any';
  }
}

/** A compile-time error (syntax error, or the body threw while being defined). */
function definitionError(language: string, routine: string, e: GuestError, headerColumns: number): DbError {
  const pos = stackPosition(e.stack, routine, headerColumns);
  const at: BodyPosition | null = pos === null ? null : { line: pos.line, column: pos.column };
  return compileError(language, routine, `${e.name}: ${e.message}`, at);
}
