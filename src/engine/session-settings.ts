/**
 * A session's settings store and the values derived from it that every statement needs (the
 * TypeContext, the search path, statement_timeout, a new transaction's default modes). The store holds session values under their
 * name, SET LOCAL values under `local:name` and the role switches under `auth:role` /
 * `auth:session`, so snapshots (BEGIN, SAVEPOINT) and restores cover them all.
 *
 * Invariant: every mutation bumps `version`, and every derived value is keyed by it (plus the
 * catalog, user or transaction it also depends on), so nothing derived can go stale.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Clock } from '../env/index.ts';
import type { IsolationLevel, Txn } from '../txn/txn.ts';
import type { TypeContext } from '../types/context.ts';
import { scanDisabledMask } from '../plan/binder/access-options.ts';
import { durationMs } from './settings.ts';

/** Isolation level names as SET / SHOW spell them, and as BEGIN's modes carry them. */
export const ISOLATION: Record<string, IsolationLevel> = {
  read_committed: 'read committed', read_uncommitted: 'read committed', repeatable_read: 'repeatable read',
  serializable: 'serializable', 'read committed': 'read committed', 'read uncommitted': 'read committed',
  'repeatable read': 'repeatable read',
};

/** What the derived values read from their session. */
export interface SettingsReader {
  setting(name: string): string | null;
  readonly user: string;
  readonly catalog: Catalog;
}

interface TypeContextMemo {
  readonly version: number;
  readonly catalog: Catalog;
  readonly user: string;
  /** For statements outside a transaction: 'now' is read when used. */
  readonly outside: TypeContext;
  /**
   * The id of the transaction inTxn was made for (-1: none). An id, not the Txn: a finished
   * transaction still holds the tables it wrote, dropped ones included.
   */
  txnId: number;
  inTxn: TypeContext;
}

export class SessionSettings {
  private readonly map = new Map<string, string>();
  /** Bumped on every change to the store. */
  version = 0;
  private typeContextMemo: TypeContextMemo | null = null;
  private searchPathMemo: { version: number; user: string; path: string[] } | null = null;
  private timeoutMemo = { version: -1, ms: 0 };
  private txnDefaultsMemo = { version: -1, isolation: 'read committed' as IsolationLevel, readOnly: false };

  get size(): number {
    return this.map.size;
  }

  /** Forgets what was memoized under `catalog`, which is being replaced (Session.catalogInstalled). */
  forgetCatalog(catalog: Catalog): void {
    if (this.typeContextMemo?.catalog === catalog) this.typeContextMemo = null;
  }

  get(key: string): string | undefined {
    return this.map.get(key);
  }

  set(key: string, value: string): void {
    this.version++;
    this.map.set(key, value);
  }

  delete(key: string): void {
    this.version++;
    this.map.delete(key);
  }

  /** The stored value of a (lower-case) setting: SET LOCAL first, then SET; null when unset. */
  stored(name: string): string | null {
    // Most sessions never SET anything: skip building the `local:` key on every statement.
    if (this.map.size === 0) return null;
    return this.map.get(`local:${name}`) ?? this.map.get(name) ?? null;
  }

  snapshot(): ReadonlyMap<string, string> {
    return new Map(this.map);
  }

  restore(saved: ReadonlyMap<string, string>): void {
    this.version++;
    this.map.clear();
    for (const [k, v] of saved) this.map.set(k, v);
  }

  /** End of a transaction: SET LOCAL values go. */
  clearLocal(): void {
    if (this.map.size === 0) return;
    // Runs at every transaction end: only a real change may bump the version (ParameterStatus
    // reporting and the memos recompute on every bump).
    let locals: string[] | null = null;
    for (const k of this.map.keys()) if (k.startsWith('local:')) (locals ??= []).push(k);
    if (locals === null) return;
    this.version++;
    for (const k of locals) this.map.delete(k);
  }

  /** RESET ALL: session values go; SET LOCAL and role switches stay (as PostgreSQL). */
  resetAll(): void {
    this.version++;
    for (const k of [...this.map.keys()]) if (!k.startsWith('local:') && !k.startsWith('auth:')) this.map.delete(k);
  }

  /** statement_timeout in ms, parsed once per settings change (read by every statement). */
  statementTimeoutMs(s: SettingsReader): number {
    const m = this.timeoutMemo;
    if (m.version !== this.version) {
      m.ms = durationMs(s.setting('statement_timeout') ?? '0') ?? 0;
      m.version = this.version;
    }
    return m.ms;
  }

  /**
   * default_transaction_isolation / _read_only, parsed once per settings change: every
   * autocommit statement begins a transaction with them.
   */
  txnDefaults(s: SettingsReader): { readonly isolation: IsolationLevel; readonly readOnly: boolean } {
    const m = this.txnDefaultsMemo;
    if (m.version !== this.version) {
      m.isolation = ISOLATION[s.setting('default_transaction_isolation') ?? 'read committed'] ?? 'read committed';
      m.readOnly = s.setting('default_transaction_read_only') === 'on';
      m.version = this.version;
    }
    return m;
  }

  /** Schemas of the search path, `$user` resolved, non-existent ones kept (as PostgreSQL). */
  searchPath(s: SettingsReader): string[] {
    const memo = this.searchPathMemo;
    if (memo !== null && memo.version === this.version && memo.user === s.user) return memo.path;
    const out: string[] = [];
    for (const part of (s.setting('search_path') ?? 'public').split(',')) {
      let name = part.trim();
      if (name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/""/g, '"');
      else name = name.toLowerCase();
      if (name === '$user') name = s.user;
      if (name !== '') out.push(name);
    }
    if (!out.includes('pg_catalog')) out.push('pg_catalog');
    this.searchPathMemo = { version: this.version, user: s.user, path: out };
    return out;
  }

  /**
   * The statement's TypeContext: the settings part is built once per settings / catalog / user
   * change, the transaction part (now) once per transaction.
   */
  typeContext(s: SettingsReader, clock: Clock, txn: Txn | null): TypeContext {
    let memo = this.typeContextMemo;
    const catalog = s.catalog;
    const user = s.user;
    if (memo === null || memo.version !== this.version || memo.catalog !== catalog || memo.user !== user) {
      const outside: TypeContext = {
        timeZone: s.setting('timezone') ?? 'UTC',
        get nowMicros() { return clock.nowMicros(); },
        extraFloatDigits: Number(s.setting('extra_float_digits') ?? 1),
        intervalStyle: (s.setting('intervalstyle') ?? 'postgres') as TypeContext['intervalStyle'],
        catalogScope: { catalog, searchPath: this.searchPath(s), user },
        scanDisabled: scanDisabledMask((n) => s.setting(n)),
      };
      memo = { version: this.version, catalog, user, outside, txnId: -1, inTxn: outside };
      this.typeContextMemo = memo;
    }
    if (txn === null) return memo.outside;
    if (memo.txnId !== txn.id) {
      const o = memo.outside;
      memo.inTxn = {
        timeZone: o.timeZone, nowMicros: txn.startMicros, extraFloatDigits: o.extraFloatDigits, intervalStyle: o.intervalStyle,
        catalogScope: o.catalogScope, scanDisabled: o.scanDisabled,
      };
      memo.txnId = txn.id;
    }
    return memo.inTxn;
  }
}
