/**
 * The PostgreSQL protocol listener: accepts TCP connections (node:net — client-facing listeners
 * may open sockets, see DEVELOPERS.md), gives each a PgConnection with its own engine session,
 * and keeps the backend registry for CancelRequest and LISTEN/NOTIFY.
 *
 * Invariants:
 * - Backend pids are unique among live connections; secret keys come from the Env's randomness.
 * - close() stops accepting, ends every connection (FATAL 57P01; their sessions roll back open
 *   transactions) and resolves once the listener is closed.
 * - Every connection authenticates as a role by the hba rules (authenticate.ts, hba.ts); the
 *   default is SCRAM-SHA-256 for everyone.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { FlushBatch } from './flush-batch.ts';
import type { Oxibase } from '../../api/database.ts';
import type { Session } from '../../engine/session.ts';
import type { Env } from '../../env/env.ts';
import { Limits } from '../../limits.ts';
import { PgConnection } from './connection.ts';
import { setBackendRegistry, type BackendActivity } from '../../engine/backends.ts';
import type { SecureContext } from 'node:tls';
import { tlsContext, type TlsConfig } from './tls.ts';
import { LoginLimiter, type AuthConfig } from './authenticate.ts';
import { DEFAULT_HBA, parseHba } from './hba.ts';
import type { PgServerOptions, ServerContext } from './server-context.ts';

export interface PgServerConfig {
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  readonly startupMs?: number;
  readonly messageStallMs?: number;
  readonly connectionsMax?: number;
  /** Reported as server_version; PostgreSQL-compatible, naming Oxibase. */
  readonly serverVersion?: string;
  /** Certificate and key (PEM): SSLRequest is answered 'S' and the connection upgraded to TLS. */
  readonly tls?: TlsConfig;
  /** pg_hba.conf-format rules (hba.ts); default DEFAULT_HBA (scram-sha-256 for all). */
  readonly hba?: string;
  /** Failed-login delay: first failure waits baseMs, doubling per failure up to maxMs. */
  readonly loginDelay?: { readonly baseMs: number; readonly maxMs: number };
}

export const DEFAULT_SERVER_VERSION = '15.0 (Oxibase 0.1.0)';

/** How long a query runs before it lets the event loop turn (see src/exec/interrupts.ts). */
const QUERY_SLICE_MS = 10;

export type { BackendActivity };

export class PgServer implements ServerContext {
  readonly env: Env;
  readonly options: PgServerOptions;
  readonly serverVersion: string;
  readonly tls: SecureContext | null;
  readonly auth: AuthConfig;
  private readonly db: Oxibase;
  private readonly listener: Server;
  private readonly byPid = new Map<number, PgConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<PgConnection>();
  readonly flushBatch: FlushBatch;
  private nextPid = 1;
  private closing = false;

  constructor(db: Oxibase, config: PgServerConfig = {}) {
    this.db = db;
    this.env = db.engine.env;
    this.options = {
      startupMs: config.startupMs ?? Limits.pgStartupMsMax,
      messageStallMs: config.messageStallMs ?? Limits.pgMessageStallMsMax,
      connectionsMax: Math.min(config.connectionsMax ?? Limits.pgConnectionsMax, Limits.pgConnectionsMax),
    };
    this.serverVersion = config.serverVersion ?? DEFAULT_SERVER_VERSION;
    this.tls = config.tls ? tlsContext(config.tls) : null;
    const rules = parseHba(config.hba ?? DEFAULT_HBA);
    const limiter = new LoginLimiter(config.loginDelay?.baseMs, config.loginDelay?.maxMs);
    this.auth = {
      rules, limiter,
      catalog: () => db.engine.catalog,
      connectionsOf: (user) => {
        let n = 0;
        for (const c of this.byPid.values()) if (c.session?.loginUser === user) n++;
        return n;
      },
    };
    this.flushBatch = new FlushBatch(this.env.timers);
    this.listener = createServer((socket) => this.accept(socket));
    this.listener.maxConnections = this.options.connectionsMax + 16;
    setBackendRegistry(db.engine, {
      list: () => [...this.byPid.values()].map((c) => c.activity()),
      signal: (pid, kind) => this.signal(pid, kind),
      loginRole: (pid) => {
        const c = this.byPid.get(pid);
        return c === undefined ? null : c.session?.loginUser ?? '';
      },
      notify: (pid, channel, payload) => this.byPid.get(pid)?.runner.queueNotify(channel, payload),
    });
  }

  /** Starts listening; resolves with the bound address. */
  listen(host = '127.0.0.1', port = 5432): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(port, host, () => {
        this.listener.off('error', reject);
        const a = this.listener.address();
        if (a === null || typeof a === 'string') return resolve({ host, port });
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  private accept(socket: Socket): void {
    if (this.closing) { socket.destroy(); return; }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new PgConnection(socket, this);
    this.connections.add(conn);
    void conn.run().finally(() => this.connections.delete(conn));
  }

  newSession(user: string): Session {
    const s = this.db.engine.newSession(user);
    // Long queries of server sessions yield every slice so that other connections (and a
    // CancelRequest for this one) are served meanwhile (src/exec/interrupts.ts).
    s.interrupts.sliceMs = QUERY_SLICE_MS;
    return s;
  }

  register(conn: PgConnection): boolean {
    if (this.byPid.size >= this.options.connectionsMax) return false;
    // pids are small positive integers, unique among live backends.
    while (this.byPid.has(this.nextPid)) this.nextPid = this.nextPid >= 0x7fffffff ? 1 : this.nextPid + 1;
    conn.pid = this.nextPid;
    this.nextPid = this.nextPid >= 0x7fffffff ? 1 : this.nextPid + 1;
    conn.secretKey = this.env.random.nextU32() | 0;
    this.byPid.set(conn.pid, conn);
    return true;
  }

  unregister(conn: PgConnection): void {
    if (this.byPid.get(conn.pid) === conn) this.byPid.delete(conn.pid);
  }

  cancel(pid: number, key: number): void {
    const conn = this.byPid.get(pid);
    // Wrong keys are ignored silently, as PostgreSQL does (no oracle for guessing).
    if (conn === undefined || conn.secretKey !== key) return;
    conn.cancelRunning();
  }

  /** pg_cancel_backend / pg_terminate_backend: false when no backend has this pid. */
  signal(pid: number, kind: 'cancel' | 'terminate'): boolean {
    const conn = this.byPid.get(pid);
    if (conn === undefined) return false;
    if (kind === 'cancel') conn.cancelRunning();
    else conn.terminate();
    return true;
  }

  notify(senderPid: number, channel: string, payload: string): void {
    for (const conn of this.byPid.values()) {
      if (conn.channels.has(channel)) conn.notify(senderPid, channel, payload);
    }
  }

  /** Live connections (after startup). */
  get connectionCount(): number {
    return this.byPid.size;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    setBackendRegistry(this.db.engine, null);
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const conn of [...this.connections]) {
      conn.fatal({ code: '57P01', message: 'terminating connection due to administrator command' });
    }
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}
