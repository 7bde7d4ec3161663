/**
 * NodeEnv: the production environment, a thin wrapper over Node's clock, timers, crypto and fs.
 * This file (with the rest of src/env/) is the only place the engine touches those globals.
 */
import * as fsp from 'node:fs/promises';
import { randomBytes, randomInt } from 'node:crypto';
import type {
  Clock, Env, FileHandle, FileStat, FileSystem, OpenMode, ProcessInfo, Random, TimerHandle, Timers,
} from './env.ts';

class NodeClock implements Clock {
  private readonly originMs = performance.timeOrigin;
  private readonly monotonicOriginMs = performance.now();

  nowMs(): number {
    return Date.now();
  }

  nowMicros(): number {
    // Date.now() is only millisecond-precise; combine the high-resolution time origin with the
    // elapsed monotonic time to get microseconds that still track the wall clock.
    return Math.floor((this.originMs + performance.now()) * 1000);
  }

  monotonicMs(): number {
    // performance.now() is monotonic too, and returns a double without hrtime.bigint()'s BigInt
    // allocation and conversion (statement deadlines and EXPLAIN ANALYZE timings read it often).
    return performance.now() - this.monotonicOriginMs;
  }
}

class NodeTimerHandle implements TimerHandle {
  readonly id: number;
  readonly raw: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate>;
  readonly immediate: boolean;

  constructor(id: number, raw: NodeTimerHandle['raw'], immediate: boolean) {
    this.id = id;
    this.raw = raw;
    this.immediate = immediate;
  }
}

class NodeTimers implements Timers {
  private nextId = 1;

  after(callback: () => void, delayMs: number): TimerHandle {
    const raw = setTimeout(callback, delayMs);
    // Engine timers (checkpoints, schedules) must never keep the process alive on their own.
    raw.unref?.();
    return new NodeTimerHandle(this.nextId++, raw, false);
  }

  cancel(handle: TimerHandle): void {
    const h = handle as NodeTimerHandle;
    if (h.immediate) clearImmediate(h.raw as ReturnType<typeof setImmediate>);
    else clearTimeout(h.raw as ReturnType<typeof setTimeout>);
  }

  nextTurn(callback: () => void): TimerHandle {
    return new NodeTimerHandle(this.nextId++, setImmediate(callback), true);
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

class NodeRandom implements Random {
  next(): number {
    return Math.random();
  }

  nextU32(): number {
    return randomInt(0, 0x1_0000_0000);
  }

  bytes(count: number): Uint8Array {
    return new Uint8Array(randomBytes(count));
  }
}

function toStat(s: { size: number; isFile(): boolean; isDirectory(): boolean }): FileStat {
  return { size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory() };
}

class NodeFileHandle implements FileHandle {
  private readonly fh: fsp.FileHandle;

  constructor(fh: fsp.FileHandle) {
    this.fh = fh;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.fh.read(buffer, offset, length, position)).bytesRead;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.fh.write(buffer, offset, length, position)).bytesWritten;
  }

  sync(): Promise<void> {
    return this.fh.sync();
  }

  truncate(size: number): Promise<void> {
    return this.fh.truncate(size);
  }

  async stat(): Promise<FileStat> {
    return toStat(await this.fh.stat());
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

class NodeFileSystem implements FileSystem {
  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    return new NodeFileHandle(await fsp.open(path, mode));
  }

  async readFile(path: string): Promise<Uint8Array> {
    return new Uint8Array(await fsp.readFile(path));
  }

  writeFile(path: string, data: Uint8Array | string): Promise<void> {
    return fsp.writeFile(path, data);
  }

  rename(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }

  unlink(path: string): Promise<void> {
    return fsp.unlink(path);
  }

  async mkdir(path: string, recursive = false): Promise<void> {
    await fsp.mkdir(path, { recursive });
  }

  readdir(path: string): Promise<string[]> {
    return fsp.readdir(path);
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      return toStat(await fsp.stat(path));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async syncDir(path: string): Promise<void> {
    const fh = await fsp.open(path, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  rm(path: string, recursive = false): Promise<void> {
    return fsp.rm(path, { recursive, force: true });
  }
}

export interface NodeEnvOptions {
  /** Where engine diagnostics go; defaults to stderr for warnings and errors only. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Creates the production environment. */
export function createNodeEnv(options: NodeEnvOptions = {}): Env {
  const processInfo: ProcessInfo = {
    pid: process.pid,
    isProcessAlive: (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (e) {
        // EPERM: it exists but belongs to someone else.
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
  const log = options.log ?? ((level, message) => {
    if (level === 'warn' || level === 'error') process.stderr.write(`oxibase ${level}: ${message}\n`);
  });
  return {
    clock: new NodeClock(),
    timers: new NodeTimers(),
    random: new NodeRandom(),
    fs: new NodeFileSystem(),
    process: processInfo,
    log,
  };
}
