/**
 * sql.js adapter (SQLite compiled to WebAssembly). Statements are prepared once with
 * `db.prepare`; each run binds, steps through the rows (`get()` returns arrays) and resets.
 */
import { createRequire } from 'node:module';
import { toQuestionMarks } from './engine.ts';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';
import type { Database, SqlJsStatic, Statement, SqlValue } from 'sql.js';

class SqlJsPrepared implements PreparedStatement {
  private readonly stmt: Statement;
  constructor(stmt: Statement) {
    this.stmt = stmt;
  }
  async run(params: readonly unknown[]): Promise<void> {
    this.stmt.run(params as SqlValue[]);
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    const stmt = this.stmt;
    if (params.length > 0) stmt.bind(params as SqlValue[]);
    const rows: unknown[][] = [];
    while (stmt.step()) rows.push(stmt.get());
    stmt.reset();
    return rows;
  }
  async close(): Promise<void> {
    this.stmt.free();
  }
}

class SqlJsEngine implements Engine {
  readonly id = 'sqljs';
  readonly label: string;
  readonly dialect = 'sqlite' as const;
  private readonly db: Database;
  private readonly cache = new Map<string, SqlJsPrepared>();
  constructor(db: Database, label: string) {
    this.db = db;
    this.label = label;
  }
  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    let p = this.cache.get(sql);
    if (p === undefined) {
      p = new SqlJsPrepared(this.db.prepare(toQuestionMarks(sql)));
      this.cache.set(sql, p);
    }
    return p.all(params);
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    return new SqlJsPrepared(this.db.prepare(toQuestionMarks(sql)));
  }
  async memoryBytes(): Promise<number | null> {
    const rows = await this.query('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()');
    return Number(rows[0]?.[0]);
  }
  async bulkLoad(table: string, kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    const stmt = this.db.prepare(`INSERT INTO ${table} VALUES (${kinds.map(() => '?').join(',')})`);
    this.db.exec('BEGIN');
    for (const row of rows) stmt.run(row as SqlValue[]);
    this.db.exec('COMMIT');
    stmt.free();
  }
  async close(): Promise<void> {
    for (const p of this.cache.values()) await p.close();
    this.db.close();
  }
}

export const sqljs: EngineFactory = {
  id: 'sqljs',
  label: 'sql.js',
  async open() {
    const require = createRequire(import.meta.url);
    const init = require('sql.js') as (config?: object) => Promise<SqlJsStatic>;
    const SQL = await init();
    const db = new SQL.Database();
    const version = db.exec('SELECT sqlite_version()')[0]?.values[0]?.[0];
    return new SqlJsEngine(db, `sql.js (SQLite ${String(version)}, wasm)`);
  },
};
