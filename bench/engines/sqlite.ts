/**
 * SQLite adapter through better-sqlite3 (synchronous native binding, prebuilt binary shipped in
 * the npm package). Statements are prepared once with `db.prepare` and run with `.run`/`.raw().all`.
 * When better-sqlite3 cannot be loaded, node:sqlite (built into Node 24) drives the same SQLite.
 */
import { createRequire } from 'node:module';
import { toQuestionMarks } from './engine.ts';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';

/** The slice of better-sqlite3 / node:sqlite statements this adapter uses. */
interface SqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  reader?: boolean;
}
interface SqliteDb {
  exec(sql: string): unknown;
  prepare(sql: string): SqliteStatement;
  close(): unknown;
}

class SqlitePrepared implements PreparedStatement {
  private readonly stmt: SqliteStatement;
  private readonly arrays: boolean;
  constructor(stmt: SqliteStatement, arrays: boolean) {
    this.stmt = stmt;
    this.arrays = arrays;
  }
  async run(params: readonly unknown[]): Promise<void> {
    this.stmt.run(...params);
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    const rows = this.stmt.all(...params);
    return this.arrays ? (rows as unknown[][]) : rows.map((r) => Object.values(r as object));
  }
  async close(): Promise<void> {}
}

class SqliteEngine implements Engine {
  readonly id = 'sqlite';
  readonly label: string;
  readonly dialect = 'sqlite' as const;
  private readonly db: SqliteDb;
  private readonly native: boolean;
  private readonly cache = new Map<string, SqlitePrepared>();
  constructor(db: SqliteDb, label: string, native: boolean) {
    this.db = db;
    this.label = label;
    this.native = native;
  }
  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    let p = this.cache.get(sql);
    if (p === undefined) {
      p = (await this.prepare(sql)) as SqlitePrepared;
      this.cache.set(sql, p);
    }
    return p.all(params);
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    const stmt = this.db.prepare(toQuestionMarks(sql));
    // better-sqlite3: .raw(true) returns arrays, but only on statements that return rows.
    const raw = (stmt as { raw?: (on: boolean) => SqliteStatement }).raw;
    if (this.native && raw !== undefined && stmt.reader === true) return new SqlitePrepared(raw.call(stmt, true), true);
    const setReturnArrays = (stmt as { setReturnArrays?: (on: boolean) => void }).setReturnArrays;
    if (setReturnArrays !== undefined) {
      setReturnArrays.call(stmt, true);
      return new SqlitePrepared(stmt, true);
    }
    return new SqlitePrepared(stmt, false);
  }
  async memoryBytes(): Promise<number | null> {
    const rows = await this.query('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()');
    return Number(rows[0]?.[0]);
  }
  async bulkLoad(table: string, kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    const stmt = this.db.prepare(`INSERT INTO ${table} VALUES (${kinds.map(() => '?').join(',')})`);
    this.db.exec('BEGIN');
    for (const row of rows) stmt.run(...row);
    this.db.exec('COMMIT');
  }
  async close(): Promise<void> {
    this.db.close();
  }
}

export const sqlite: EngineFactory = {
  id: 'sqlite',
  label: 'SQLite',
  async open() {
    const require = createRequire(import.meta.url);
    try {
      const Database = require('better-sqlite3') as new (path: string) => SqliteDb;
      const db = new Database(':memory:');
      const version = db.prepare('SELECT sqlite_version()').all()[0] as Record<string, string>;
      return new SqliteEngine(db, `SQLite ${Object.values(version)[0]} (better-sqlite3)`, true);
    } catch {
      const { DatabaseSync } = (await import('node:sqlite')) as unknown as {
        DatabaseSync: new (path: string) => SqliteDb;
      };
      const db = new DatabaseSync(':memory:');
      const version = db.prepare('SELECT sqlite_version() AS v').all()[0] as { v: string };
      return new SqliteEngine(db, `SQLite ${version.v} (node:sqlite)`, false);
    }
  },
};
