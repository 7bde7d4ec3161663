/**
 * The process's Python interpreter: one Pyodide instance in a worker thread (worker.ts), started
 * on first use and shared by every Python routine. Calls are synchronous: the engine thread
 * sends a request and blocks on the channel, answering Python's host calls as they come, until
 * the reply arrives.
 *
 * While it waits it enforces the call's limits: past the CPU deadline (or when the host reports
 * a cancel) it raises KeyboardInterrupt inside Python through Pyodide's interrupt buffer; if
 * Python does not stop within a grace period (stuck in C code, or a script that swallows the
 * interrupt), the worker is terminated and the next call starts a fresh interpreter, into which
 * routines recompile themselves (`generation`).
 */
import { Worker } from 'node:worker_threads';
import { DbError } from '../../errors/index.ts';
import type { Clock } from '../../env/index.ts';
import { Channel, State } from './channel.ts';

/** How long Python gets to honour an interrupt before its worker is terminated. */
const INTERRUPT_GRACE_MS = 2000;
/** How long starting the interpreter may take (loading ~10 MB of WebAssembly and stdlib). */
const START_TIMEOUT_MS = 120_000;
/** How often a waiting engine thread wakes to check deadlines and cancels. */
const POLL_MS = 25;

/** What a waiting call checks and how it answers Python's host calls. */
export interface CallControl {
  readonly clock: Clock;
  /** Monotonic ms after which the call is interrupted; 0 for none. */
  readonly deadlineMs: number;
  /** Throws to cancel the call (statement cancel or timeout). */
  checkInterrupt(): void;
  /** Answers one host call (JSON in, JSON out); may re-enter `serve` for subtransactions. */
  onHost(message: string, runtime: PythonRuntime): string;
}

/** Why a call ended without a reply. */
export class CallAborted extends Error {
  readonly reason: 'cpu' | 'cancel' | 'crash';
  override readonly cause: unknown;

  constructor(reason: 'cpu' | 'cancel' | 'crash', cause?: unknown) {
    super(`python call aborted: ${reason}`);
    this.reason = reason;
    this.cause = cause;
  }
}

let current: PythonRuntime | null = null;
let generations = 0;

export class PythonRuntime {
  readonly generation: number;
  private readonly worker: Worker;
  private readonly channel: Channel;
  private readonly interrupt: Int32Array;
  private dead = false;
  private nextId = 1;

  private constructor() {
    this.generation = ++generations;
    const { control, data } = Channel.allocate();
    const interrupt = new SharedArrayBuffer(4);
    this.channel = new Channel(control, data);
    this.interrupt = new Int32Array(interrupt);
    // Sources run as .ts; the dist build (tsconfig.build.json) emits .js beside this module.
    const workerFile = import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js';
    this.worker = new Worker(new URL(workerFile, import.meta.url), {
      workerData: { control, data, interrupt },
      stdout: true,
      stderr: true,
    });
    // The interpreter must not keep the process alive.
    this.worker.unref();
    this.waitForStart();
  }

  /** The running interpreter, started (synchronously, ~1-3 s) on first use. */
  static get(): PythonRuntime {
    if (current === null || current.dead) current = new PythonRuntime();
    return current;
  }

  /** A fresh routine id in this interpreter. */
  allocateId(): number {
    return this.nextId++;
  }

  get alive(): boolean {
    return !this.dead;
  }

  private waitForStart(): void {
    let waited = 0;
    while (this.channel.state === State.loading && waited < START_TIMEOUT_MS) {
      this.channel.waitWhile(State.loading, 100);
      waited += 100;
    }
    const s = this.channel.state;
    if (s === State.ready) return;
    const why = s === State.failed ? this.channel.read()[1] : 'timed out';
    this.kill();
    throw new DbError('external_routine_exception', `could not start the Python interpreter: ${why.split('\n')[0]}`,
      { detail: why });
  }

  /**
   * Runs one request (`op` on routine `id`) and returns Python's reply text; host calls are
   * answered through `ctl` meanwhile. Throws CallAborted when a limit ended the call.
   */
  request(op: string, id: number, args: unknown[], memoryBytes: number, ctl: CallControl): string {
    if (this.dead) throw new CallAborted('crash');
    this.channel.send('Q', JSON.stringify({ op, id, memoryBytes, args }));
    return this.serve(ctl, null);
  }

  /**
   * Waits for the worker, answering host calls, until its reply (returned) or, when `until` is
   * set, until a host call for which `until` returns true (returned as is, unanswered).
   */
  serve(ctl: CallControl, until: ((message: string) => boolean) | null): string {
    let interruptedAt = 0;
    let cancel: unknown = null;
    for (;;) {
      const s = this.channel.waitWhile(State.toWorker, POLL_MS);
      if (s === State.toMain) {
        const [kind, text] = this.channel.read();
        if (kind === 'R') {
          if (interruptedAt !== 0 && cancel !== null) throw new CallAborted('cancel', cancel);
          return text;
        }
        if (until !== null && until(text)) return text;
        this.channel.send('A', ctl.onHost(text, this));
        continue;
      }
      if (s !== State.toWorker) {
        this.kill();
        throw new CallAborted('crash', s === State.failed ? this.channel.read()[1] : undefined);
      }
      const now = ctl.clock.monotonicMs();
      if (interruptedAt === 0) {
        if (ctl.deadlineMs !== 0 && now > ctl.deadlineMs) interruptedAt = now;
        try {
          ctl.checkInterrupt();
        } catch (e) {
          cancel = e;
          interruptedAt = now;
        }
        if (interruptedAt !== 0) Atomics.store(this.interrupt, 0, 2); // SIGINT
      } else if (now - interruptedAt > INTERRUPT_GRACE_MS) {
        this.kill();
        throw new CallAborted(cancel !== null ? 'cancel' : 'cpu', cancel);
      } else {
        // The script may have swallowed the KeyboardInterrupt: raise it again.
        Atomics.store(this.interrupt, 0, 2);
      }
    }
  }

  /** Answers the pending host call (subtransactions answer in two steps). */
  answer(text: string): void {
    this.channel.send('A', text);
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
    if (current === this) current = null;
  }
}
