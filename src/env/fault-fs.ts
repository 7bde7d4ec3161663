/**
 * FaultFileSystem: an in-memory file system with a crash model and seeded fault injection, for
 * durability tests (SQLite's crash tests and TigerBeetle's testing/storage.zig, in miniature).
 *
 * Durability model (what a real disk + OS may do):
 *  - File contents: writes and truncates are volatile until `sync()` on a handle of that file.
 *  - Names: creating, renaming and unlinking are volatile until `syncDir()` of the parent.
 *  - Directories themselves are durable once made (simplification).
 *
 * `crash()` returns the file system as a machine would find it after power loss: each file keeps
 * its synced content plus a random prefix of its unsynced operations, the next one possibly torn
 * at any byte; each directory keeps a random prefix of its unsynced name operations. All choices
 * come from the seed, so a failing seed replays exactly.
 *
 * Other faults: `holdSyncs()` stalls fsyncs until released (a slow disk); `failSyncAfter(n)`
 * makes the n+1-th sync throw EIO (its data stays volatile, as after a real fsync failure);
 * `flipBit()` flips one random bit of a random file's durable data; `syncCount` counts fsyncs
 * (group-commit tests).
 *
 * Invariants:
 *  1. Without a crash it behaves like a POSIX file system (read your writes).
 *  2. crash() never invents bytes: every byte it keeps was written at that position, or is zero
 *     fill inside a file extended by a kept write.
 */
import type { FileHandle, FileStat, FileSystem, OpenMode } from './env.ts';
import { SeededRandom } from './seeded-random.ts';

type FileOp = { kind: 'write'; pos: number; bytes: Uint8Array } | { kind: 'truncate'; size: number };
type NameOp = { kind: 'link'; path: string; id: number } | { kind: 'unlink'; path: string };

class FaultFile {
  data: Uint8Array;
  durable: Uint8Array;
  unsynced: FileOp[] = [];

  constructor(data: Uint8Array, durable: Uint8Array) {
    this.data = data;
    this.durable = durable;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

function applyOp(data: Uint8Array, op: FileOp, limit = Infinity): Uint8Array {
  if (op.kind === 'truncate') return data.length <= op.size ? grow(data, op.size) : data.slice(0, op.size);
  const n = Math.min(op.bytes.length, limit);
  const out = grow(data, op.pos + n);
  out.set(op.bytes.subarray(0, n), op.pos);
  return out;
}

function grow(data: Uint8Array, size: number): Uint8Array {
  if (data.length >= size) return data.slice();
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}

class FaultHandle implements FileHandle {
  private readonly fs: FaultFileSystem;
  private readonly file: FaultFile;
  private closed = false;

  constructor(fs: FaultFileSystem, file: FaultFile) {
    this.fs = fs;
    this.file = file;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.check();
    const n = Math.max(0, Math.min(length, this.file.data.length - position));
    buffer.set(this.file.data.subarray(position, position + n), offset);
    return n;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    this.check();
    await this.fs.ioDelay();
    const op: FileOp = { kind: 'write', pos: position, bytes: buffer.slice(offset, offset + length) };
    this.file.data = applyOp(this.file.data, op);
    this.file.unsynced.push(op);
    return length;
  }

  async sync(): Promise<void> {
    this.check();
    await this.fs.ioDelay();
    while (this.fs.syncGate !== null) await this.fs.syncGate;
    this.fs.beforeSync();
    this.file.durable = this.file.data.slice();
    this.file.unsynced = [];
  }

  async truncate(size: number): Promise<void> {
    this.check();
    const op: FileOp = { kind: 'truncate', size };
    this.file.data = applyOp(this.file.data, op);
    this.file.unsynced.push(op);
  }

  async stat(): Promise<FileStat> {
    return { size: this.file.data.length, isFile: true, isDirectory: false };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new Error('file handle is closed');
  }
}

export class FaultFileSystem implements FileSystem {
  private readonly files = new Map<number, FaultFile>();
  private readonly names = new Map<string, number>();
  private readonly durableNames = new Map<string, number>();
  private readonly pendingNames = new Map<string, NameOp[]>();
  private readonly dirs = new Set<string>(['/']);
  private nextId = 1;
  readonly random: SeededRandom;
  syncCount = 0;
  private syncsBeforeFailure = -1;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** While set, every sync waits for it (see holdSyncs). */
  syncGate: Promise<void> | null = null;

  /**
   * Holds every sync (a slow disk) until the returned function is called: tests of what other
   * transactions may do while a commit waits for its fsync.
   */
  holdSyncs(): () => void {
    let release!: () => void;
    this.syncGate = new Promise<void>((resolve) => { release = resolve; });
    return () => {
      this.syncGate = null;
      release();
    };
  }

  /** The n+1-th sync from now throws EIO (n = 0: the next one). */
  failSyncAfter(n: number): void {
    this.syncsBeforeFailure = n;
  }

  /**
   * Writes and syncs take one event-loop turn (a real disk is slow), so a crash can land between
   * a write and its fsync and concurrent commits can queue behind an fsync in flight.
   */
  ioDelay(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Called by handles before making data durable; may inject a failure. */
  beforeSync(): void {
    this.syncCount++;
    if (this.syncsBeforeFailure === 0) {
      this.syncsBeforeFailure = -1;
      throw errno('EIO', 'injected fsync failure');
    }
    if (this.syncsBeforeFailure > 0) this.syncsBeforeFailure--;
  }

  private nameOp(path: string, op: NameOp): void {
    const dir = parentOf(path);
    let list = this.pendingNames.get(dir);
    if (list === undefined) this.pendingNames.set(dir, (list = []));
    list.push(op);
  }

  private fileAt(path: string): FaultFile | undefined {
    const id = this.names.get(path);
    return id === undefined ? undefined : this.files.get(id);
  }

  async open(path: string, mode: OpenMode): Promise<FileHandle> {
    let file = this.fileAt(path);
    if (file === undefined) {
      if (mode === 'r' || mode === 'r+') throw errno('ENOENT', `no such file '${path}'`);
      if (!this.dirs.has(parentOf(path))) throw errno('ENOENT', `no such directory '${parentOf(path)}'`);
      const id = this.nextId++;
      file = new FaultFile(new Uint8Array(0), new Uint8Array(0));
      this.files.set(id, file);
      this.names.set(path, id);
      this.nameOp(path, { kind: 'link', path, id });
    } else if (mode === 'wx') {
      throw errno('EEXIST', `file already exists '${path}'`);
    } else if (mode === 'w') {
      const op: FileOp = { kind: 'truncate', size: 0 };
      file.data = applyOp(file.data, op);
      file.unsynced.push(op);
    }
    return new FaultHandle(this, file);
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = this.fileAt(path);
    if (file === undefined) throw errno('ENOENT', `no such file '${path}'`);
    return file.data.slice();
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const h = await this.open(path, 'w');
    await h.write(bytes, 0, bytes.length, 0);
    await h.close();
  }

  async rename(from: string, to: string): Promise<void> {
    const id = this.names.get(from);
    if (id === undefined) throw errno('ENOENT', `no such file '${from}'`);
    this.names.delete(from);
    this.names.set(to, id);
    this.nameOp(to, { kind: 'link', path: to, id });
    this.nameOp(from, { kind: 'unlink', path: from });
  }

  async unlink(path: string): Promise<void> {
    if (!this.names.delete(path)) throw errno('ENOENT', `no such file '${path}'`);
    this.nameOp(path, { kind: 'unlink', path });
  }

  async mkdir(path: string, recursive = false): Promise<void> {
    if (recursive) {
      let cur = '';
      for (const p of path.split('/').filter(Boolean)) this.dirs.add((cur += '/' + p));
      return;
    }
    if (!this.dirs.has(parentOf(path))) throw errno('ENOENT', `no such directory '${parentOf(path)}'`);
    if (this.dirs.has(path)) throw errno('EEXIST', `directory exists '${path}'`);
    this.dirs.add(path);
  }

  async readdir(path: string): Promise<string[]> {
    if (!this.dirs.has(path)) throw errno('ENOENT', `no such directory '${path}'`);
    const prefix = path.endsWith('/') ? path : path + '/';
    const out = new Set<string>();
    for (const p of [...this.names.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) out.add(p.slice(prefix.length).split('/')[0]!);
    }
    return [...out].sort();
  }

  async stat(path: string): Promise<FileStat | null> {
    const file = this.fileAt(path);
    if (file !== undefined) return { size: file.data.length, isFile: true, isDirectory: false };
    if (this.dirs.has(path)) return { size: 0, isFile: false, isDirectory: true };
    return null;
  }

  async syncDir(path: string): Promise<void> {
    if (!this.dirs.has(path)) throw errno('ENOENT', `no such directory '${path}'`);
    await this.ioDelay();
    this.beforeSync();
    for (const op of this.pendingNames.get(path) ?? []) applyNameOp(this.durableNames, op);
    this.pendingNames.delete(path);
  }

  async rm(path: string, recursive = false): Promise<void> {
    for (const p of [...this.names.keys()]) {
      if (p === path || (recursive && p.startsWith(path + '/'))) await this.unlink(p);
    }
  }

  /** The file system after a simulated power loss (this one is left unchanged). */
  crash(seed: number = this.random.nextU32()): FaultFileSystem {
    const rnd = new SeededRandom(seed);
    const out = new FaultFileSystem(rnd.nextU32());
    for (const d of this.dirs) out.dirs.add(d);
    const names = new Map(this.durableNames);
    for (const ops of this.pendingNames.values()) {
      const keep = Math.floor(rnd.next() * (ops.length + 1));
      for (let i = 0; i < keep; i++) applyNameOp(names, ops[i]!);
    }
    const copied = new Map<number, number>();
    for (const [path, id] of names) {
      let newId = copied.get(id);
      if (newId === undefined) {
        const f = this.files.get(id)!;
        let data: Uint8Array = f.durable.slice();
        const keep = Math.floor(rnd.next() * (f.unsynced.length + 1));
        for (let i = 0; i < keep; i++) data = applyOp(data, f.unsynced[i]!);
        const torn = f.unsynced[keep];
        if (torn !== undefined && torn.kind === 'write' && rnd.next() < 0.5) {
          data = applyOp(data, torn, Math.floor(rnd.next() * torn.bytes.length));
        }
        newId = out.nextId++;
        out.files.set(newId, new FaultFile(data, data.slice()));
        copied.set(id, newId);
      }
      out.names.set(path, newId);
      out.durableNames.set(path, newId);
    }
    return out;
  }

  /** Flips one random bit in the durable data of a random file under `prefix`; returns where. */
  flipBit(prefix = '/'): { path: string; offset: number } | null {
    const candidates = [...this.names.entries()].filter(([p, id]) =>
      p.startsWith(prefix) && (this.files.get(id)?.data.length ?? 0) > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (candidates.length === 0) return null;
    const [path, id] = candidates[Math.floor(this.random.next() * candidates.length)]!;
    const f = this.files.get(id)!;
    const offset = Math.floor(this.random.next() * f.data.length);
    const bit = 1 << Math.floor(this.random.next() * 8);
    f.data[offset]! ^= bit;
    if (offset < f.durable.length) f.durable[offset]! ^= bit;
    return { path, offset };
  }
}

function applyNameOp(names: Map<string, number>, op: NameOp): void {
  if (op.kind === 'link') names.set(op.path, op.id);
  else names.delete(op.path);
}
