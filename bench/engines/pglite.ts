/**
 * PGlite adapter (PostgreSQL compiled to WebAssembly, in memory). PGlite has no client-side
 * statement handle: `query(sql, params, { rowMode: 'array' })` sends an extended-protocol
 * Parse/Bind/Execute each time, which is its natural prepared path. Bulk loads use multi-row
 * INSERTs of literals inside one transaction.
 */
import { PGlite } from '@electric-sql/pglite';
import { chunks, sqlLiteral } from './engine.ts';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';

class PgPrepared implements PreparedStatement {
  private readonly db: PGlite;
  private readonly sql: string;
  constructor(db: PGlite, sql: string) {
    this.db = db;
    this.sql = sql;
  }
  async run(params: readonly unknown[]): Promise<void> {
    await this.db.query(this.sql, params as unknown[]);
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    return (await this.db.query<unknown[]>(this.sql, params as unknown[], { rowMode: 'array' })).rows;
  }
  async close(): Promise<void> {}
}

class PgEngine implements Engine {
  readonly id = 'pglite';
  readonly label: string;
  readonly dialect = 'postgres' as const;
  private readonly db: PGlite;
  constructor(db: PGlite, label: string) {
    this.db = db;
    this.label = label;
  }
  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    return (await this.db.query<unknown[]>(sql, params as unknown[], { rowMode: 'array' })).rows;
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    return new PgPrepared(this.db, sql);
  }
  async memoryBytes(): Promise<number | null> {
    const rows = await this.query('SELECT pg_database_size(current_database())');
    return Number(rows[0]?.[0]);
  }
  async bulkLoad(table: string, _kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    await this.db.exec('BEGIN');
    for (const chunk of chunks(rows, 1000)) {
      const values = chunk.map((row) => `(${row.map(sqlLiteral).join(',')})`).join(',');
      await this.db.exec(`INSERT INTO ${table} VALUES ${values}`);
    }
    await this.db.exec('COMMIT');
  }
  async close(): Promise<void> {
    await this.db.close();
  }
}

export const pglite: EngineFactory = {
  id: 'pglite',
  label: 'PGlite',
  async open() {
    const db = await PGlite.create();
    const rows = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows;
    return new PgEngine(db, `PGlite (PostgreSQL ${rows[0]?.v ?? '?'})`);
  },
};
