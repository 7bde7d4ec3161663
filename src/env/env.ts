/**
 * The environment seam. Every source of nondeterminism the engine depends on (wall clock,
 * monotonic clock, timers, randomness, files, network) is reached through an `Env`, never through
 * Node globals. The production `NodeEnv` wraps Node; the deterministic simulator (ROADMAP layer 5)
 * swaps in `SimEnv`, where one seed drives everything and any run replays exactly.
 *
 * Invariant: nothing outside src/env/ (CLI entry points and client-facing listeners excepted) calls
 * Date.now, new Date(), Math.random, performance.now, setTimeout/setInterval/setImmediate, node:fs
 * or node:net.
 */

/** Wall-clock and monotonic time. */
export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch (may jump; used for timestamps users see). */
  nowMs(): number;
  /** Wall-clock microseconds since the Unix epoch (PostgreSQL timestamps are microsecond-precise). */
  nowMicros(): number;
  /** Monotonic milliseconds from an arbitrary origin (for durations and timeouts). */
  monotonicMs(): number;
}

/** An opaque handle for a scheduled timer. */
export interface TimerHandle {
  readonly id: number;
}

export interface Timers {
  /** Runs `callback` once after `delayMs` (named apart from the global setTimeout on purpose). */
  after(callback: () => void, delayMs: number): TimerHandle;
  cancel(handle: TimerHandle): void;
  /** Runs the callback after the current turn (I/O may interleave); used to yield cooperatively. */
  nextTurn(callback: () => void): TimerHandle;
  /** Resolves after `delayMs`; convenience over setTimeout. */
  sleep(delayMs: number): Promise<void>;
}

export interface Random {
  /** A uniformly distributed double in [0, 1). */
  next(): number;
  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number;
  /** Fills a new array with `count` random bytes (cryptographic strength in NodeEnv). */
  bytes(count: number): Uint8Array;
}

/** File metadata that storage needs. */
export interface FileStat {
  readonly size: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

/** An open file. Writes are not durable until `sync()` resolves. */
export interface FileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  sync(): Promise<void>;
  truncate(size: number): Promise<void>;
  stat(): Promise<FileStat>;
  close(): Promise<void>;
}

export type OpenMode = 'r' | 'r+' | 'w' | 'wx' | 'a';

/** The file system, with the operations a write-ahead log and checkpoints need. */
export interface FileSystem {
  open(path: string, mode: OpenMode): Promise<FileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, recursive?: boolean): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat | null>;
  /** fsync on a directory, making renames and creations inside it durable. */
  syncDir(path: string): Promise<void>;
  rm(path: string, recursive?: boolean): Promise<void>;
}

/** What the engine knows about the process it runs in (for lock files and pg_backend_pid). */
export interface ProcessInfo {
  readonly pid: number;
  /** True when a process with this pid runs (stale lock files of crashed processes). */
  readonly isProcessAlive?: (pid: number) => boolean;
}

/** The environment: everything nondeterministic, in one object handed to the engine. */
export interface Env {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly fs: FileSystem;
  readonly process: ProcessInfo;
  /** Diagnostics from the engine itself (recovery messages, warnings); not query results. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}
