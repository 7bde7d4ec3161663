/**
 * DuckDB adapter through @duckdb/node-api (native binary shipped in an npm platform package).
 * Statements are prepared once (`connection.prepare`), bound with the parameter types DuckDB
 * inferred at prepare time (so an integer key binds as INTEGER, not DOUBLE), and run with
 * `run()` or `runAndReadAll()`. Bulk loads use DuckDB's appender.
 */
import { DuckDBInstance, DuckDBTypeId, version } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';

class DuckPrepared implements PreparedStatement {
  private readonly stmt: DuckDBPreparedStatement;
  private readonly types: (DuckDBType | undefined)[];
  constructor(stmt: DuckDBPreparedStatement) {
    this.stmt = stmt;
    this.types = [];
    for (let paramIdx = 1; paramIdx <= stmt.parameterCount; paramIdx++) {
      const typeId = stmt.parameterTypeId(paramIdx);
      const unknown = typeId === DuckDBTypeId.INVALID || typeId === DuckDBTypeId.ANY || typeId === DuckDBTypeId.SQLNULL;
      this.types.push(unknown ? undefined : stmt.parameterType(paramIdx));
    }
  }
  private bind(params: readonly unknown[]): void {
    if (params.length > 0) this.stmt.bind(params as DuckDBValue[], this.types as DuckDBType[]);
  }
  async run(params: readonly unknown[]): Promise<void> {
    this.bind(params);
    await this.stmt.run();
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    this.bind(params);
    return (await this.stmt.runAndReadAll()).getRows();
  }
  async close(): Promise<void> {
    this.stmt.destroySync();
  }
}

class DuckEngine implements Engine {
  readonly id = 'duckdb';
  readonly label = `DuckDB ${version()}`;
  readonly dialect = 'duckdb' as const;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  private readonly cache = new Map<string, DuckPrepared>();
  constructor(instance: DuckDBInstance, conn: DuckDBConnection) {
    this.instance = instance;
    this.conn = conn;
  }
  async exec(sql: string): Promise<void> {
    await this.conn.run(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    if (params.length === 0) return (await this.conn.runAndReadAll(sql)).getRows();
    let p = this.cache.get(sql);
    if (p === undefined) {
      p = new DuckPrepared(await this.conn.prepare(sql));
      this.cache.set(sql, p);
    }
    return p.all(params);
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    return new DuckPrepared(await this.conn.prepare(sql));
  }
  async memoryBytes(): Promise<number | null> {
    const rows = await this.query('SELECT sum(memory_usage_bytes) FROM duckdb_memory()');
    return Number(rows[0]?.[0]);
  }
  async bulkLoad(table: string, kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    const appender = await this.conn.createAppender(table);
    for (const row of rows) {
      for (let colIdx = 0; colIdx < kinds.length; colIdx++) {
        const value = row[colIdx];
        if (value === null || value === undefined) appender.appendNull();
        else if (kinds[colIdx] === 'int') appender.appendInteger(value as number);
        else if (kinds[colIdx] === 'float') appender.appendDouble(value as number);
        else appender.appendVarchar(String(value)); // dates too: the appender casts VARCHAR
      }
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
  }
  async close(): Promise<void> {
    for (const p of this.cache.values()) await p.close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

export const duckdb: EngineFactory = {
  id: 'duckdb',
  label: 'DuckDB',
  async open() {
    const instance = await DuckDBInstance.create(':memory:');
    return new DuckEngine(instance, await instance.connect());
  },
};
