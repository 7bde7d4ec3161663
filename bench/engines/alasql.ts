/**
 * AlaSQL adapter (pure JavaScript). Each run gets its own `new alasql.Database()`; statements are
 * prepared with `db.compile(sql)` (AlaSQL's compiled-statement API) and called with a parameter
 * array. Bulk loads push row objects into the table through `INSERT INTO t SELECT * FROM ?`.
 * Typings are declared locally: the package's own .d.ts pulls in optional dependencies.
 */
import { createRequire } from 'node:module';
import { toQuestionMarks } from './engine.ts';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';

type Compiled = (params?: unknown[]) => unknown;
interface AlaDatabase {
  readonly databaseid: string;
  exec(sql: string, params?: unknown[]): unknown;
  tables: Record<string, { columns: { columnid: string }[] }>;
}
interface AlaSql {
  Database: new (name?: string) => AlaDatabase;
  compile(sql: string, databaseid: string): Compiled;
  version: string;
  options: { cache: boolean };
}

/** AlaSQL returns row objects; the harness wants positional arrays. */
function toArrays(result: unknown): unknown[][] {
  if (!Array.isArray(result)) return [[result]];
  return result.map((row) => (typeof row === 'object' && row !== null ? Object.values(row) : [row]));
}

class AlaPrepared implements PreparedStatement {
  private readonly fn: Compiled;
  constructor(fn: Compiled) {
    this.fn = fn;
  }
  async run(params: readonly unknown[]): Promise<void> {
    this.fn(params as unknown[]);
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    return toArrays(this.fn(params as unknown[]));
  }
  async close(): Promise<void> {}
}

class AlaEngine implements Engine {
  readonly id = 'alasql';
  readonly label: string;
  readonly dialect = 'alasql' as const;
  private readonly lib: AlaSql;
  private readonly db: AlaDatabase;
  private readonly cache = new Map<string, AlaPrepared>();
  constructor(lib: AlaSql, db: AlaDatabase, label: string) {
    this.lib = lib;
    this.db = db;
    this.label = label;
  }
  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    let p = this.cache.get(sql);
    if (p === undefined) {
      p = (await this.prepare(sql)) as AlaPrepared;
      this.cache.set(sql, p);
    }
    return p.all(params);
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    return new AlaPrepared(this.lib.compile(toQuestionMarks(sql), this.db.databaseid));
  }
  async memoryBytes(): Promise<number | null> {
    return null;
  }
  async bulkLoad(table: string, _kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    const names = this.db.tables[table]?.columns.map((c) => c.columnid) ?? [];
    const objects = rows.map((row) => {
      const obj: Record<string, unknown> = {};
      for (let colIdx = 0; colIdx < names.length; colIdx++) obj[names[colIdx] as string] = row[colIdx];
      return obj;
    });
    this.db.exec(`INSERT INTO ${table} SELECT * FROM ?`, [objects]);
  }
  async close(): Promise<void> {}
}

let counter = 0;

export const alasql: EngineFactory = {
  id: 'alasql',
  label: 'AlaSQL',
  async open() {
    const require = createRequire(import.meta.url);
    const lib = require('alasql') as AlaSql;
    counter++;
    return new AlaEngine(lib, new lib.Database(`bench${counter}`), `AlaSQL ${lib.version}`);
  },
};
