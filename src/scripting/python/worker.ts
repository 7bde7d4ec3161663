/**
 * The Python interpreter's thread. Pyodide (CPython in WebAssembly) is loaded here, offline from
 * node_modules/pyodide, and then the thread serves requests synchronously over shared memory
 * (channel.ts): the engine thread blocks while Python runs, and Python's host calls (queries,
 * logs, prints) are answered by the engine thread while Python blocks. No event loop turn
 * happens after start-up, so no promise a script might create can ever settle.
 *
 * Hardening, in this realm, before any script runs: Python's `js` module is an empty null-
 * prototype object (no constructor chain to Function); process, fetch and the other Node
 * globals are deleted; Pyodide's APIs that reach the host (mountNodeFS, NODEFS, loadPackage)
 * are removed; module loading is blocked by a resolve hook; Python's environment is empty.
 * Memory: memory.grow is wrapped so the heap cannot grow past the current call's ceiling, and
 * the failed allocation surfaces in Python as MemoryError.
 */
import { workerData } from 'node:worker_threads';
import { registerHooks } from 'node:module';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { BOOTSTRAP_PY } from './bootstrap.ts';
import { Channel } from './channel.ts';

interface WorkerInput {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
  readonly interrupt: SharedArrayBuffer;
}

const input = workerData as WorkerInput;
const channel = new Channel(input.control, input.data);

/** Pages (64 KiB) the WASM heap may grow to during the current call; 0 = unlimited. */
let ceilingPages = 0;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
const memoryProto = (globalThis as unknown as { WebAssembly: { Memory: { prototype: WasmMemory } } })
  .WebAssembly.Memory.prototype;
const realGrow = memoryProto.grow;
memoryProto.grow = function grow(this: WasmMemory, delta: number): number {
  if (ceilingPages !== 0 && this.buffer.byteLength / 65536 + delta > ceilingPages) {
    throw new RangeError('routine memory limit reached');
  }
  return realGrow.call(this, delta);
};

type PyFn = (...args: unknown[]) => string;

interface Entry {
  compile: PyFn;
  call: PyFn;
  batch: PyFn;
  trigger: PyFn;
  drop: PyFn;
}

/** Properties of Pyodide's API, its internal API and its Emscripten module that reach the host. */
const HOST_REACHING: Record<string, readonly string[]> = {
  api: ['mountNodeFS', 'mountNativeFS', 'loadPackage', 'loadPackagesFromImports', 'runPythonAsync'],
  internal: ['loadBinaryFile', 'install', 'loadDynlib', 'initializeNodeSockFS', 'package_loader'],
  module: ['NODEFS', 'IDBFS', 'WORKERFS', 'PROXYFS', 'NATIVEFS_ASYNC', 'NODERAWFS', 'asyncLoad', 'readBinary',
    'readAsync', 'loadDynamicLibrary', 'loadWebAssemblyModule', 'loadDylibs', 'FS_createLazyFile',
    'FS_createPreloadedFile', 'websocket', 'webSockets', 'Sockets', 'SOCKFS'],
};

function strip(obj: unknown, keys: readonly string[]): void {
  if (obj === null || typeof obj !== 'object') return;
  const o = obj as Record<string, unknown>;
  for (const k of keys) {
    try {
      delete o[k];
    } catch {
      // non-configurable
    }
    if (k in o) o[k] = undefined;
  }
}

function harden(py: PyodideAPI): void {
  const api = py as unknown as Record<string, unknown>;
  const internal = api['_api'] as Record<string, unknown> | undefined;
  const module = api['_module'] as Record<string, unknown> | undefined;
  strip(api, HOST_REACHING['api']!);
  strip(internal?.['public_api'], HOST_REACHING['api']!);
  strip(internal, HOST_REACHING['internal']!);
  strip(module, HOST_REACHING['module']!);
  const fs = (module?.['FS'] ?? {}) as { filesystems?: Record<string, unknown> };
  if (fs.filesystems) strip(fs.filesystems, Object.keys(fs.filesystems).filter((k) => k !== 'MEMFS'));
  const g = globalThis as Record<string, unknown>;
  for (const k of ['process', 'fetch', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers',
    'XMLHttpRequest', 'navigator', 'Buffer', 'require', 'module', 'global', 'setTimeout', 'setInterval',
    'setImmediate', 'queueMicrotask', 'BroadcastChannel', 'MessageChannel', 'Worker']) {
    try {
      delete g[k];
    } catch {
      // non-configurable: leave it
    }
  }
  registerHooks({
    resolve(specifier) {
      throw new Error(`module loading is disabled in the Python sandbox (${specifier})`);
    },
  });
}

async function start(): Promise<Entry> {
  const py = await loadPyodide({
    jsglobals: Object.create(null) as object,
    env: {},
    stdout: () => {},
    stderr: () => {},
    checkAPIVersion: true,
  });
  py.setInterruptBuffer(new Int32Array(input.interrupt));
  const host = (json: string): string => channel.callMain(json, handle);
  py.runPython(BOOTSTRAP_PY);
  const globals = py.globals;
  globals.set('_host', host);
  py.runPython(`
import os, sys
os.environ.clear()
for _m in ('js', 'pyodide_js', 'pyodide.ffi', 'pyodide.http', 'pyodide.code', 'pyodide.webloop'):
    sys.modules.pop(_m, None)

class _Blocked:
    BLOCKED = ('js', 'pyodide_js', 'pyodide', '_pyodide', 'pyodide_http', 'micropip', 'ctypes',
               'subprocess', 'socket', 'ssl', 'select', 'multiprocessing', 'threading')
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in self.BLOCKED:
            raise ImportError('module %s is not available in Oxibase Python routines' % name)
        return None

sys.meta_path.insert(0, _Blocked())
`);
  const module = (py as unknown as { _module: { HEAPU8: Uint8Array } })._module;
  heapBytes = () => module.HEAPU8.buffer.byteLength;
  harden(py);
  return {
    compile: globals.get('_compile') as PyFn,
    call: globals.get('_call') as PyFn,
    batch: globals.get('_batch') as PyFn,
    trigger: globals.get('_trigger') as PyFn,
    drop: globals.get('_drop') as PyFn,
  };
}

interface Request {
  op: 'compile' | 'call' | 'batch' | 'trigger' | 'drop';
  id: number;
  memoryBytes: number;
  args: unknown[];
}

let entry: Entry | null = null;
let heapBytes: () => number = () => 0;

/** Serves one request; nested ones (from inside a host call) come through here too. */
function handle(text: string): string {
  const req = JSON.parse(text) as Request;
  const outer = ceilingPages;
  if (req.memoryBytes > 0) {
    const allowed = Math.ceil((heapBytes() + req.memoryBytes) / 65536);
    ceilingPages = outer === 0 ? allowed : Math.min(outer, allowed);
  }
  try {
    return entry![req.op](req.id, ...req.args) ?? 'null';
  } catch (e) {
    return JSON.stringify({ fatal: e instanceof Error ? e.message : String(e) });
  } finally {
    ceilingPages = outer;
  }
}

function serve(e: Entry): never {
  entry = e;
  channel.ready();
  for (;;) channel.reply(handle(channel.waitForRequest()));
}

function failed(e: unknown): void {
  channel.fail(e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e));
}

start().then((e) => {
  try {
    serve(e);
  } catch (err) {
    failed(err);
  }
}, failed);
