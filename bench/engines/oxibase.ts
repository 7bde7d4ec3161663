/**
 * Oxibase adapter: the embedded API (`Oxibase.open`, `queryArrays`, `prepare`). Prepared
 * statements are `db.prepare(sql)` handles: parsed once, planned once through the session's
 * plan cache. The disk variant opens a `file://` database in a fresh temporary directory and is
 * offered only when opening one works in this build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Oxibase } from '../../src/index.ts';
import { chunks } from './engine.ts';
import type { ColumnKind, Engine, EngineFactory, PreparedStatement } from './engine.ts';

type Db = Awaited<ReturnType<typeof Oxibase.open>>;

type Prepared = Awaited<ReturnType<Db['prepare']>>;

class OxibasePrepared implements PreparedStatement {
  private readonly stmt: Prepared;
  constructor(stmt: Prepared) {
    this.stmt = stmt;
  }
  async run(params: readonly unknown[]): Promise<void> {
    await this.stmt.queryArrays(params);
  }
  async all(params: readonly unknown[]): Promise<unknown[][]> {
    return (await this.stmt.queryArrays(params)).rows;
  }
  async close(): Promise<void> {}
}

class OxibaseEngine implements Engine {
  readonly id: string;
  readonly label: string;
  readonly dialect = 'postgres' as const;
  private readonly db: Db;
  private readonly dir: string | null;
  constructor(id: string, label: string, db: Db, dir: string | null) {
    this.id = id;
    this.label = label;
    this.db = db;
    this.dir = dir;
  }
  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }
  async query(sql: string, params: readonly unknown[] = []): Promise<unknown[][]> {
    return (await this.db.queryArrays(sql, params)).rows;
  }
  async prepare(sql: string): Promise<PreparedStatement> {
    return new OxibasePrepared(await this.db.prepare(sql));
  }
  async memoryBytes(): Promise<number | null> {
    return null;
  }
  async bulkLoad(table: string, _kinds: readonly ColumnKind[], rows: readonly (readonly unknown[])[]): Promise<void> {
    // Parameterized multi-row INSERTs in one transaction: one statement text (one cached plan)
    // per chunk size, no literal formatting.
    await this.db.query('BEGIN');
    for (const chunk of chunks(rows, 250)) {
      const width = chunk[0]?.length ?? 0;
      let p = 0;
      const values = chunk.map(() => `(${Array.from({ length: width }, () => `$${++p}`).join(',')})`).join(',');
      await this.db.queryArrays(`INSERT INTO ${table} VALUES ${values}`, chunk.flat());
    }
    await this.db.query('COMMIT');
  }
  async close(): Promise<void> {
    await this.db.close();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
  }
}

export const oxibaseMemory: EngineFactory = {
  id: 'oxibase',
  label: 'Oxibase (memory)',
  async open() {
    const db = await Oxibase.open('memory://');
    return new OxibaseEngine('oxibase', 'Oxibase (memory)', db, null);
  },
};

export const oxibaseDisk: EngineFactory = {
  id: 'oxibase-disk',
  label: 'Oxibase (disk)',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'oxibase-bench-'));
    try {
      const db = await Oxibase.open(`file://${dir}`);
      await db.exec('CREATE TABLE oxibase_bench_probe (a int); DROP TABLE oxibase_bench_probe');
      return new OxibaseEngine('oxibase-disk', 'Oxibase (disk)', db, dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      return `file databases unavailable: ${(err as Error).message}`;
    }
  },
};
