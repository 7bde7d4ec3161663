/**
 * Database: the engine instance. Owns the environment, the committed catalog, the transaction
 * manager and the function registry, and creates sessions. There is no global state: several
 * databases (later: several simulated nodes) can live in one process.
 */
import type { Env } from '../env/index.ts';
import { Catalog } from '../catalog/catalog.ts';
import { TxnManager } from '../txn/txn-manager.ts';
import type { Txn } from '../txn/txn.ts';
import { builtinRegistry } from '../functions/index.ts';
import type { FunctionRegistry } from '../functions/registry.ts';
import { DbError } from '../errors/index.ts';
import { Session } from './session.ts';
import { Scheduler } from '../scheduler/scheduler.ts';

/** What a file database attaches (src/engine/durable.ts): statements that need file I/O. */
export interface DurabilityHook {
  /** CHECKPOINT: writes a checkpoint and drops covered WAL segments. */
  checkpoint(): Promise<void>;
  /** VACUUM: a checkpoint, unless it would cover exactly what the last one did. */
  checkpointIfChanged(): Promise<void>;
  /** Flushes the log, writes a final checkpoint and releases the directory lock. */
  close(): Promise<void>;
  /** BACKUP TO: writes a consistent copy into `target` (a new or empty directory). */
  backup(target: string): Promise<void>;
}

export interface DatabaseOptions {
  readonly env: Env;
  /** Name reported by current_database(). */
  readonly name?: string;
  /** Owner of built-in objects and default session user. */
  readonly user?: string;
}

export class Database {
  readonly env: Env;
  readonly name: string;
  readonly defaultUser: string;
  catalog: Catalog;
  readonly txns: TxnManager;
  readonly registry: FunctionRegistry;
  readonly sessions = new Set<Session>();
  private nextSessionId = 1;
  private nextStorageId = 1;
  closed = false;
  /** The durability layer (src/engine/durable.ts) when this is a file database, else null. */
  durability: DurabilityHook | null = null;
  /** Fires CREATE SCHEDULE jobs; started by the API once the database is open. */
  readonly scheduler: Scheduler;

  constructor(options: DatabaseOptions) {
    this.env = options.env;
    this.name = options.name ?? 'oxibase';
    this.defaultUser = options.user ?? 'oxibase';
    this.catalog = Catalog.initial(this.defaultUser);
    this.txns = new TxnManager({ clock: options.env.clock, timers: options.env.timers });
    this.registry = builtinRegistry();
    this.scheduler = new Scheduler(this);
  }

  newSession(user?: string): Session {
    if (this.closed) throw new DbError('admin_shutdown', 'the database is closed');
    // Without a user, sessions run as the bootstrap superuser (whatever its name in this database).
    const s = new Session(this, this.nextSessionId++, user ?? this.catalog.auth.bootstrapName);
    this.sessions.add(s);
    return s;
  }

  allocStorageId(): number {
    return this.nextStorageId++;
  }

  /** Durability: the next storage id (checkpoints record it; recovery restores it). */
  get storageIdNext(): number {
    return this.nextStorageId;
  }

  set storageIdNext(next: number) {
    this.nextStorageId = Math.max(this.nextStorageId, next);
  }

  /**
   * Installs a transaction's private catalog at commit. Fails with 40001 when another
   * transaction committed DDL since this one branched (concurrent DDL is serialized this way).
   */
  installCatalog(txn: Txn, catalog: Catalog, base: Catalog): void {
    if (this.catalog !== base) {
      throw new DbError('serialization_failure',
        'could not serialize access due to concurrent schema change',
        { hint: 'The transaction might succeed if retried.' });
    }
    void txn;
    this.catalog = catalog;
    for (const s of this.sessions) s.catalogInstalled(base);
    this.scheduler.refresh();
  }

  async close(): Promise<void> {
    await this.scheduler.stop();
    for (const s of [...this.sessions]) await s.close();
    this.closed = true;
    this.txns.stop();
    if (this.durability !== null) await this.durability.close();
  }
}
