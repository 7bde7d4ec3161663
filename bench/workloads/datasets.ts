/**
 * The shared data sets, created lazily once per engine process and reused by every workload:
 *   items(id PK, k indexed, name, val)      point/range/update workloads (k is a permutation of id)
 *   big(id, grp, name text(20), val float)  1M rows, no index: scans, aggregates, sort, join, memory
 *   dim(id PK, cat, weight, label)          100k rows: join build side and window input
 *   lineitem(...)                           TPC-H-like rows for Q1 and Q6
 * Rows come from a seeded PRNG, so every engine loads identical data. Loading `big` also records
 * the memory it took: the engine's own accounting where its data lives in a native or wasm arena
 * (SQLite/sql.js page count, DuckDB's duckdb_memory(), PGlite's database size), else the growth of
 * the JS heap's live bytes + external buffers after a forced GC (Oxibase, AlaSQL). The growth of
 * the process's resident set is recorded beside it for every engine: it also counts what the
 * load's garbage left mapped (V8 keeps freed heap pages; a wasm memory never shrinks).
 */
import type { ColumnKind, Dialect, Engine } from '../engines/engine.ts';
import { dayNumber, isoDate, Prng } from '../lib/prng.ts';
import type { Sizes } from './workload.ts';

type Row = unknown[];

interface TypeNames {
  int: string;
  float: string;
  text: string;
  date: string;
  pk: string;
}

export function typeNames(dialect: Dialect): TypeNames {
  switch (dialect) {
    case 'sqlite':
      return { int: 'INTEGER', float: 'REAL', text: 'TEXT', date: 'TEXT', pk: 'INTEGER PRIMARY KEY' };
    case 'alasql':
      return { int: 'INT', float: 'FLOAT', text: 'STRING', date: 'STRING', pk: 'INT PRIMARY KEY' };
    case 'duckdb':
      return { int: 'INTEGER', float: 'DOUBLE', text: 'VARCHAR', date: 'DATE', pk: 'INTEGER PRIMARY KEY' };
    case 'postgres':
      return { int: 'integer', float: 'double precision', text: 'text', date: 'date', pk: 'integer PRIMARY KEY' };
  }
}

export interface MemorySample {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly rss: number;
}

export function sampleMemory(): MemorySample {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) {
    g();
    g();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss };
}

/**
 * Bytes a pure-JS engine keeps: live JS heap + external buffers (typed arrays) after a forced GC.
 * Resident pages the heap no longer uses are not the table's: they depend on how much garbage
 * the load made and when V8 returns them, and rssGrowth reports them.
 */
export function retainedBytes(before: MemorySample, after: MemorySample): number {
  return after.heapUsed - before.heapUsed + (after.external - before.external);
}

const CHUNK_ROWS = 50_000;

export class DataSets {
  private readonly engine: Engine;
  private readonly dialect: Dialect;
  private readonly sizes: Sizes;
  private readonly loaded = new Set<string>();
  /** Bytes retained per row of `big`, measured while loading it. */
  bigBytesPerRow = NaN;
  /** How bigBytesPerRow was measured. */
  memoryMethod = '';
  /** Growth of the process's resident set per row of `big`, while loading it (every engine). */
  bigRssPerRow = NaN;

  constructor(engine: Engine, dialect: Dialect, sizes: Sizes) {
    this.engine = engine;
    this.dialect = dialect;
    this.sizes = sizes;
  }

  async ensure(name: 'items' | 'big' | 'dim' | 'lineitem'): Promise<void> {
    if (this.loaded.has(name)) return;
    this.loaded.add(name);
    if (name === 'items') await this.loadItems();
    else if (name === 'big') await this.loadBig();
    else if (name === 'dim') await this.loadDim();
    else await this.loadLineitem();
  }

  /** Creates a table of (id PK, k, name, val) with `rows` rows (used by items and delete tests). */
  async createItemsLike(table: string, rows: number, withIndex: boolean): Promise<void> {
    const t = typeNames(this.dialect);
    await this.engine.exec(`CREATE TABLE ${table} (id ${t.pk}, k ${t.int}, name ${t.text}, val ${t.float})`);
    const prng = new Prng(11);
    // k = (id * 7919) mod rows is a permutation of 0..rows-1 when rows is not a multiple of 7919.
    await this.loadChunked(table, ['int', 'int', 'text', 'float'], rows, (i) => [i, (i * 7919) % rows, prng.text(20), prng.next() * 1000]);
    if (withIndex) await this.engine.exec(`CREATE INDEX ${table}_k ON ${table} (k)`);
  }

  private async loadItems(): Promise<void> {
    await this.createItemsLike('items', this.sizes.itemRows, true);
  }

  private async loadBig(): Promise<void> {
    const t = typeNames(this.dialect);
    await this.engine.exec(`CREATE TABLE big (id ${t.int}, grp ${t.int}, name ${t.text}, val ${t.float})`);
    const prng = new Prng(42);
    const before = sampleMemory();
    const engineBefore = await this.engine.memoryBytes();
    await this.loadChunked('big', ['int', 'int', 'text', 'float'], this.sizes.bigRows, (i) => [i, prng.int(0, 999), prng.text(20), prng.next() * 1000]);
    const engineAfter = await this.engine.memoryBytes();
    const after = sampleMemory();
    const bytes = engineBefore !== null && engineAfter !== null ? engineAfter - engineBefore : retainedBytes(before, after);
    this.bigBytesPerRow = bytes / this.sizes.bigRows;
    this.memoryMethod = engineBefore !== null ? 'engine-reported' : 'heap+external delta';
    // Never below zero: what the process gave back was not the load's.
    this.bigRssPerRow = Math.max(0, after.rss - before.rss) / this.sizes.bigRows;
  }

  private async loadDim(): Promise<void> {
    const t = typeNames(this.dialect);
    await this.engine.exec(`CREATE TABLE dim (id ${t.pk}, cat ${t.int}, weight ${t.float}, label ${t.text})`);
    const prng = new Prng(7);
    await this.loadChunked('dim', ['int', 'int', 'float', 'text'], this.sizes.dimRows, (i) => [i, prng.int(0, 9), prng.next() * 100, prng.text(12)]);
  }

  private async loadLineitem(): Promise<void> {
    const t = typeNames(this.dialect);
    await this.engine.exec(`CREATE TABLE lineitem (l_orderkey ${t.int}, l_quantity ${t.float}, ` +
      `l_extendedprice ${t.float}, l_discount ${t.float}, l_tax ${t.float}, l_returnflag ${t.text}, ` +
      `l_linestatus ${t.text}, l_shipdate ${t.date})`);
    const prng = new Prng(1992);
    const first = dayNumber('1992-01-01');
    const last = dayNumber('1998-08-02');
    const cutoff = dayNumber('1995-06-17');
    await this.loadChunked('lineitem', ['int', 'float', 'float', 'float', 'float', 'text', 'text', 'date'], this.sizes.lineitemRows, (i) => {
      const quantity = prng.int(1, 50);
      const price = 900 + prng.int(0, 110_000) / 100;
      const ship = prng.int(first, last) + prng.int(1, 121);
      const receipt = ship + prng.int(1, 30);
      const returnflag = receipt <= cutoff ? (prng.next() < 0.5 ? 'R' : 'A') : 'N';
      return [Math.floor(i / 4), quantity, quantity * price, prng.int(0, 10) / 100, prng.int(0, 8) / 100,
        returnflag, ship > cutoff ? 'O' : 'F', isoDate(ship)];
    });
  }

  /** Generates rows in chunks (bounded garbage) and hands each chunk to the engine's bulk load. */
  private async loadChunked(table: string, kinds: readonly ColumnKind[], count: number, make: (i: number) => Row): Promise<void> {
    for (let start = 0; start < count; start += CHUNK_ROWS) {
      const rows: Row[] = [];
      const end = Math.min(count, start + CHUNK_ROWS);
      for (let i = start; i < end; i++) rows.push(make(i));
      await this.engine.bulkLoad(table, kinds, rows);
    }
  }
}
