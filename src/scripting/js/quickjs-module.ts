/**
 * The QuickJS WebAssembly module, instantiated once per process when this module is first
 * imported. Compiling a routine is synchronous in the language contract, and instantiating WASM is
 * not, so the ~25 ms load happens here, at import time (top-level await), and every sandbox after
 * that is created synchronously from the one module. The release-sync variant is used: no
 * asyncify, so calls into the guest are plain function calls.
 */
import { newQuickJSWASMModule, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

/** The process-wide QuickJS module (each routine gets its own runtime inside it). */
export const quickjs: QuickJSWASMModule = await newQuickJSWASMModule(RELEASE_SYNC);

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface EmscriptenInternals {
  HEAPU8: Uint8Array;
  quickjsEmscriptenInit(log: () => void): { getWasmMemory(): WasmMemory };
}

const internals = (quickjs as unknown as { module: EmscriptenInternals }).module;

/** Bytes of WASM memory the module holds now (it only grows; shared by all sandboxes). */
export function wasmHeapBytes(): number {
  return internals.HEAPU8.buffer.byteLength;
}

/**
 * The memory ceiling of the innermost running call (0: none). QuickJS's own allocator cap
 * (JS_SetMemoryLimit) misses some paths (growing fast arrays), so the module's memory.grow is
 * intercepted too: a grow past the ceiling fails, malloc returns NULL, and the guest gets its
 * usual "out of memory" exception.
 */
export const heapGuard = { ceiling: 0 };

const memory = internals.quickjsEmscriptenInit(() => {}).getWasmMemory();
const grow = memory.grow.bind(memory);
Object.defineProperty(memory, 'grow', {
  value: (pages: number): number => {
    if (heapGuard.ceiling !== 0 && memory.buffer.byteLength + pages * 65536 > heapGuard.ceiling) {
      throw new RangeError('routine memory limit reached');
    }
    return grow(pages);
  },
});
