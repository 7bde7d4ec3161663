/**
 * The per-call hot path into a QuickJS guest, on the library's raw FFI instead of its handle
 * objects: arguments are created straight into a preallocated argv array in WASM memory, and a
 * result of the declared kind is read without asking its type first (a number through
 * QTS_GetFloat64, where a NaN means "look closer"; a string through QTS_GetString, the guest
 * framing everything else). This avoids a malloc, several wrapper objects and a typeof round
 * trip per call compared with QuickJSContext.callFunction (about 3x faster for f(int) -> int).
 *
 * It reaches into quickjs-emscripten's context internals (ctx, ffi, module, memory), which are
 * TypeScript-private but stable within the pinned 0.32 line; everything is confined to this file.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten';
import { readPrimitive } from './sandbox.ts';

interface Ffi {
  QTS_NewFloat64(ctx: number, n: number): number;
  QTS_NewString(ctx: number, p: number): number;
  QTS_GetFloat64(ctx: number, v: number): number;
  QTS_GetString(ctx: number, v: number): number;
  QTS_FreeCString(ctx: number, p: number): void;
  QTS_FreeValuePointer(ctx: number, v: number): void;
  QTS_Call(ctx: number, fn: number, self: number, argc: number, argv: number): number;
  QTS_ResolveException(ctx: number, v: number): number;
  QTS_GetUndefined(): number;
  QTS_GetNull(): number;
  QTS_GetTrue(): number;
  QTS_GetFalse(): number;
}

interface EmModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, p: number, max: number): void;
  UTF8ToString(p: number): string;
}

interface ContextInternals {
  ctx: { value: number };
  ffi: Ffi;
  module: EmModule;
  memory: { heapValueHandle(ptr: number): QuickJSHandle };
}

/** What a call produced: a value (primitive, maybe framed) or the handle of an uncaught error. */
export type FastResult = { ok: true; value: unknown } | { ok: false; error: QuickJSHandle };

/** How to read the result of a protocol function without asking its type. */
export type ResultMode = 'number' | 'string' | 'any';

export class FastCall {
  private readonly ffi: Ffi;
  private readonly module: EmModule;
  private readonly ctxPtr: number;
  private readonly internals: ContextInternals;
  private readonly context: QuickJSContext;
  private readonly argv: number;
  private readonly argc: number;
  /** Which argv slots hold values this call created (freed after it). */
  private readonly owned: Uint8Array;
  readonly nullPtr: number;
  readonly truePtr: number;
  readonly falsePtr: number;
  private readonly undefinedPtr: number;
  private heap32: Int32Array;
  /** True while a call through this argv is running (a nested call must use another one). */
  busy = false;

  /** `fn` is called as protocol(entry, ...args); argc counts `entry`. */
  constructor(context: QuickJSContext, entry: QuickJSHandle, argc: number) {
    const internals = context as unknown as ContextInternals;
    this.internals = internals;
    this.context = context;
    this.ffi = internals.ffi;
    this.module = internals.module;
    this.ctxPtr = internals.ctx.value;
    this.argc = argc;
    this.argv = this.module._malloc(4 * Math.max(1, argc));
    this.owned = new Uint8Array(argc);
    this.nullPtr = this.ffi.QTS_GetNull();
    this.truePtr = this.ffi.QTS_GetTrue();
    this.falsePtr = this.ffi.QTS_GetFalse();
    this.undefinedPtr = this.ffi.QTS_GetUndefined();
    this.heap32 = new Int32Array(this.module.HEAPU8.buffer);
    this.heap()[this.argv >> 2] = entry.value as unknown as number;
  }

  /** An Int32 view of WASM memory, renewed after the memory grew (which detaches old views). */
  private heap(): Int32Array {
    const buf = this.module.HEAPU8.buffer;
    if (this.heap32.buffer !== buf) this.heap32 = new Int32Array(buf);
    return this.heap32;
  }

  setNumber(slot: number, n: number): void {
    const v = this.ffi.QTS_NewFloat64(this.ctxPtr, n);
    this.heap()[(this.argv >> 2) + slot] = v;
    this.owned[slot] = 1;
  }

  setString(slot: number, s: string): void {
    const m = this.module;
    const size = m.lengthBytesUTF8(s) + 1;
    const p = m._malloc(size);
    m.stringToUTF8(s, p, size);
    const v = this.ffi.QTS_NewString(this.ctxPtr, p);
    m._free(p);
    this.heap()[(this.argv >> 2) + slot] = v;
    this.owned[slot] = 1;
  }

  /** A guest value the caller keeps alive (null/true/false or a handle it disposes itself). */
  setBorrowed(slot: number, ptr: number): void {
    this.heap()[(this.argv >> 2) + slot] = ptr;
    this.owned[slot] = 0;
  }

  invoke(protocol: QuickJSHandle, mode: ResultMode): FastResult {
    const ffi = this.ffi;
    const ctx = this.ctxPtr;
    this.busy = true;
    let raw: number;
    try {
      raw = ffi.QTS_Call(ctx, protocol.value as unknown as number, this.undefinedPtr, this.argc, this.argv);
    } finally {
      this.busy = false;
      this.releaseArgs();
    }
    const err = ffi.QTS_ResolveException(ctx, raw);
    if (err !== 0) {
      ffi.QTS_FreeValuePointer(ctx, raw);
      return { ok: false, error: this.internals.memory.heapValueHandle(err) };
    }
    let value: unknown;
    if (mode === 'number') {
      const n = ffi.QTS_GetFloat64(ctx, raw);
      value = n === n ? n : this.readAny(raw);
    } else if (mode === 'string') {
      const p = ffi.QTS_GetString(ctx, raw);
      value = this.module.UTF8ToString(p);
      ffi.QTS_FreeCString(ctx, p);
    } else {
      value = this.readAny(raw);
    }
    ffi.QTS_FreeValuePointer(ctx, raw);
    return { ok: true, value };
  }

  private readAny(raw: number): unknown {
    return readPrimitive(this.context, this.internals.memory.heapValueHandle(raw));
  }

  private releaseArgs(): void {
    const heap = this.heap();
    const base = this.argv >> 2;
    for (let i = 1; i < this.argc; i++) {
      if (this.owned[i] === 1) {
        this.ffi.QTS_FreeValuePointer(this.ctxPtr, heap[base + i]!);
        this.owned[i] = 0;
      }
    }
  }

  dispose(): void {
    this.module._free(this.argv);
  }
}
