/**
 * A synchronous, strictly alternating message channel between the engine thread and the Python
 * worker, over shared memory: `control` holds the turn (State) and the message length, `data`
 * (a growable SharedArrayBuffer) the UTF-8 text. Whoever does not hold the turn blocks in
 * Atomics.wait, so a call into Python, and Python's calls back into the engine, are plain
 * synchronous calls on both sides. Messages start with a kind letter: Q request and A answer
 * (engine -> worker), R reply and H host call (worker -> engine).
 */

/** Whose turn it is (control[0]). */
export const State = {
  loading: 0,
  toWorker: 1,
  toMain: 2,
  ready: 3,
  failed: 4,
} as const;

/** Largest message: a batch or a result set past this is refused (program_limit_exceeded). */
export const MESSAGE_BYTES_MAX = 256 * 1024 * 1024;

// Not Buffer: the worker deletes Node globals before serving.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** ES2024's growable SharedArrayBuffer (the project's lib is ES2023). */
interface GrowableShared extends SharedArrayBuffer {
  grow(byteLength: number): void;
}
type GrowableSharedCtor = new (length: number, options: { maxByteLength: number }) => GrowableShared;

export class Channel {
  private readonly control: Int32Array;
  private readonly data: GrowableShared;

  constructor(control: SharedArrayBuffer, data: SharedArrayBuffer) {
    this.control = new Int32Array(control);
    this.data = data as GrowableShared;
  }

  static allocate(): { control: SharedArrayBuffer; data: SharedArrayBuffer } {
    return {
      control: new SharedArrayBuffer(8),
      data: new (SharedArrayBuffer as unknown as GrowableSharedCtor)(64 * 1024, { maxByteLength: MESSAGE_BYTES_MAX }),
    };
  }

  get state(): number {
    return Atomics.load(this.control, 0);
  }

  private write(kind: string, text: string): void {
    const bytes = encoder.encode(kind + text);
    if (bytes.length > MESSAGE_BYTES_MAX) {
      throw new RangeError(`message of ${bytes.length} bytes exceeds the Python channel limit`);
    }
    if (bytes.length > this.data.byteLength) this.data.grow(Math.min(MESSAGE_BYTES_MAX, bytes.length * 2));
    new Uint8Array(this.data).set(bytes);
    this.control[1] = bytes.length;
  }

  /** The current message: [kind, text]. */
  read(): [string, string] {
    const len = this.control[1]!;
    // TextDecoder does not read shared memory: decode a private copy.
    const text = decoder.decode(new Uint8Array(this.data, 0, len).slice());
    return [text.charAt(0), text.slice(1)];
  }

  private hand(state: number): void {
    Atomics.store(this.control, 0, state);
    Atomics.notify(this.control, 0);
  }

  // ---- engine side ----

  /** Sends a request (Q) or an answer to a host call (A) and hands the turn to the worker. */
  send(kind: 'Q' | 'A', text: string): void {
    this.write(kind, text);
    this.hand(State.toWorker);
  }

  /** Blocks while the worker holds the turn, at most `timeoutMs`; returns the state. */
  waitWhile(state: number, timeoutMs: number): number {
    Atomics.wait(this.control, 0, state, timeoutMs);
    return Atomics.load(this.control, 0);
  }

  // ---- worker side ----

  ready(): void {
    this.hand(State.ready);
  }

  fail(message: string): void {
    this.write('F', message);
    this.hand(State.failed);
  }

  /** Blocks until the engine sends a request; returns its text. */
  waitForRequest(): string {
    for (;;) {
      const s = Atomics.load(this.control, 0);
      if (s === State.toWorker) return this.read()[1];
      Atomics.wait(this.control, 0, s);
    }
  }

  reply(text: string): void {
    this.write('R', text);
    this.hand(State.toMain);
  }

  /**
   * A host call from Python: hands the turn to the engine and blocks until it answers. The
   * engine may first send nested requests (a query that calls another Python routine); those
   * are served by `onRequest` and replied to here.
   */
  callMain(text: string, onRequest: (request: string) => string): string {
    this.write('H', text);
    this.hand(State.toMain);
    for (;;) {
      while (Atomics.load(this.control, 0) !== State.toWorker) Atomics.wait(this.control, 0, State.toMain);
      const [kind, body] = this.read();
      if (kind === 'A') return body;
      this.reply(onRequest(body));
    }
  }
}
