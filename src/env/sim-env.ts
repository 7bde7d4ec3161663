/**
 * SimEnv: a deterministic environment for tests and, later, the cluster simulator. Time only moves
 * when the test advances it; timers fire in (time, creation) order; randomness comes from one seed;
 * files live in memory. Fault injection in the file system arrives with durability (issue 4).
 */
import type {
  Clock, Env, FileHandle, FileStat, FileSystem, OpenMode, Random, TimerHandle, Timers,
} from './env.ts';
import { SeededRandom } from './seeded-random.ts';

class SimClock implements Clock {
  /** Virtual wall-clock time in microseconds since the epoch. */
  micros: number;
  private readonly startMicros: number;

  constructor(startMs: number) {
    this.micros = startMs * 1000;
    this.startMicros = this.micros;
  }

  nowMs(): number {
    return Math.floor(this.micros / 1000);
  }

  nowMicros(): number {
    return this.micros;
  }

  monotonicMs(): number {
    return (this.micros - this.startMicros) / 1000;
  }
}

interface SimTimer extends TimerHandle {
  readonly dueMicros: number;
  readonly callback: () => void;
}

class SimTimers implements Timers {
  private nextId = 1;
  private pending: SimTimer[] = [];
  private readonly clock: SimClock;

  constructor(clock: SimClock) {
    this.clock = clock;
  }

  after(callback: () => void, delayMs: number): TimerHandle {
    const timer: SimTimer = {
      id: this.nextId++,
      dueMicros: this.clock.micros + Math.max(0, delayMs) * 1000,
      callback,
    };
    this.pending.push(timer);
    return timer;
  }

  cancel(handle: TimerHandle): void {
    this.pending = this.pending.filter((t) => t.id !== handle.id);
  }

  nextTurn(callback: () => void): TimerHandle {
    return this.after(callback, 0);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.after(resolve, delayMs));
  }

  /** Advances virtual time by `ms`, firing due timers in order. Returns how many fired. */
  advance(ms: number): number {
    const target = this.clock.micros + ms * 1000;
    let fired = 0;
    for (;;) {
      let next: SimTimer | undefined;
      for (const t of this.pending) {
        if (t.dueMicros <= target && (!next || t.dueMicros < next.dueMicros ||
          (t.dueMicros === next.dueMicros && t.id < next.id))) next = t;
      }
      if (!next) break;
      this.pending = this.pending.filter((t) => t !== next);
      this.clock.micros = Math.max(this.clock.micros, next.dueMicros);
      next.callback();
      fired++;
    }
    this.clock.micros = target;
    return fired;
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}

interface SimFile {
  data: Uint8Array;
  size: number;
}

class SimFileHandle implements FileHandle {
  private readonly file: SimFile;
  private closed = false;

  constructor(file: SimFile) {
    this.file = file;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.check();
    const n = Math.max(0, Math.min(length, this.file.size - position));
    buffer.set(this.file.data.subarray(position, position + n), offset);
    return n;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.check();
    const end = position + length;
    if (end > this.file.data.length) {
      const grown = new Uint8Array(Math.max(end, this.file.data.length * 2));
      grown.set(this.file.data.subarray(0, this.file.size));
      this.file.data = grown;
    }
    this.file.data.set(buffer.subarray(offset, offset + length), position);
    this.file.size = Math.max(this.file.size, end);
    return length;
  }

  async sync(): Promise<void> {
    this.check();
  }

  async truncate(size: number): Promise<void> {
    this.check();
    if (size < this.file.size) this.file.data.fill(0, size, this.file.size);
    this.file.size = size;
  }

  async stat(): Promise<FileStat> {
    return { size: this.file.size, isFile: true, isDirectory: false };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('file handle is closed');
  }
}

function enoent(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT' });
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** An in-memory file system with POSIX-like paths. */
export class SimFileSystem implements FileSystem {
  private readonly files = new Map<string, SimFile>();
  private readonly dirs = new Set<string>(['/']);

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    let file = this.files.get(path);
    if (!file) {
      if (mode === 'r' || mode === 'r+') throw enoent(path);
      if (!this.dirs.has(parentOf(path))) throw enoent(parentOf(path));
      file = { data: new Uint8Array(256), size: 0 };
      this.files.set(path, file);
    } else if (mode === 'wx') {
      throw Object.assign(new Error(`EEXIST: file already exists, '${path}'`), { code: 'EEXIST' });
    } else if (mode === 'w') {
      file.size = 0;
    }
    return new SimFileHandle(file);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = this.files.get(path);
    if (!file) throw enoent(path);
    return file.data.slice(0, file.size);
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (!this.dirs.has(parentOf(path))) throw enoent(parentOf(path));
    this.files.set(path, { data: bytes.slice(), size: bytes.length });
  }

  async rename(from: string, to: string): Promise<void> {
    const file = this.files.get(from);
    if (!file) throw enoent(from);
    this.files.delete(from);
    this.files.set(to, file);
  }

  async unlink(path: string): Promise<void> {
    if (!this.files.delete(path)) throw enoent(path);
  }

  async mkdir(path: string, recursive = false): Promise<void> {
    if (recursive) {
      const parts = path.split('/').filter(Boolean);
      let cur = '';
      for (const p of parts) {
        cur += '/' + p;
        this.dirs.add(cur);
      }
      return;
    }
    if (!this.dirs.has(parentOf(path))) throw enoent(parentOf(path));
    this.dirs.add(path);
  }

  async readdir(path: string): Promise<string[]> {
    if (!this.dirs.has(path)) throw enoent(path);
    const prefix = path.endsWith('/') ? path : path + '/';
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    return [...names].sort();
  }

  async stat(path: string): Promise<FileStat | null> {
    const file = this.files.get(path);
    if (file) return { size: file.size, isFile: true, isDirectory: false };
    if (this.dirs.has(path)) return { size: 0, isFile: false, isDirectory: true };
    return null;
  }

  async syncDir(path: string): Promise<void> {
    if (!this.dirs.has(path)) throw enoent(path);
  }

  async rm(path: string, recursive = false): Promise<void> {
    this.files.delete(path);
    if (recursive) {
      const prefix = path + '/';
      for (const p of [...this.files.keys()]) if (p.startsWith(prefix)) this.files.delete(p);
      for (const d of [...this.dirs]) if (d === path || d.startsWith(prefix)) this.dirs.delete(d);
    }
  }
}

/** The deterministic environment; `timers.advance(ms)` drives time forward. */
export interface SimEnv extends Env {
  readonly clock: SimClock;
  readonly timers: SimTimers;
  readonly random: SeededRandom & Random;
  readonly fs: FileSystem;
  readonly seed: number;
}

export interface SimEnvOptions {
  seed: number;
  /** Initial wall-clock time (ms since epoch); a fixed default keeps runs reproducible. */
  startMs?: number;
  /** Process id (a simulated restart uses a new one, so the old lock file reads as stale). */
  pid?: number;
  /** The file system (e.g. a FaultFileSystem); defaults to a fresh SimFileSystem. */
  fs?: FileSystem;
}

export function createSimEnv(options: SimEnvOptions): SimEnv {
  const clock = new SimClock(options.startMs ?? Date.UTC(2026, 0, 1));
  const messages: string[] = [];
  return {
    seed: options.seed,
    clock,
    timers: new SimTimers(clock),
    random: new SeededRandom(options.seed),
    fs: options.fs ?? new SimFileSystem(),
    process: { pid: options.pid ?? 1, isProcessAlive: (pid: number) => pid === (options.pid ?? 1) },
    log: (level, message) => {
      messages.push(`${level}: ${message}`);
    },
  };
}
