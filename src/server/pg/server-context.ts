/**
 * What a connection needs from its server: the environment, options, session creation, the
 * backend registry (BackendKeyData / CancelRequest) and LISTEN/NOTIFY fan-out. The server
 * (server.ts) implements it; connections never reach the listener directly.
 */
import type { Env } from '../../env/env.ts';
import type { Session } from '../../engine/session.ts';
import type { PgConnection } from './connection.ts';
import type { SecureContext } from 'node:tls';
import type { AuthConfig } from './authenticate.ts';
import type { FlushBatch } from './flush-batch.ts';

export interface PgServerOptions {
  /** Startup + authentication must finish within this many ms. */
  readonly startupMs: number;
  /** A partly received message must complete within this many ms. */
  readonly messageStallMs: number;
  /** Connections accepted at once. */
  readonly connectionsMax: number;
}

export interface ServerContext {
  readonly env: Env;
  readonly options: PgServerOptions;
  /** server_version as reported in ParameterStatus. */
  readonly serverVersion: string;
  /** TLS context when a certificate is configured (SSLRequest is then answered 'S'). */
  readonly tls: SecureContext | null;
  /** Client authentication: hba rules, failed-login limiter, roles (authenticate.ts). */
  readonly auth: AuthConfig;
  /** Replies flushed together at the end of the event-loop turn (flush-batch.ts). */
  readonly flushBatch: FlushBatch;
  newSession(user: string): Session;
  /** Assigns pid and secret key; false when the connection limit is reached. */
  register(conn: PgConnection): boolean;
  unregister(conn: PgConnection): void;
  /** CancelRequest: flags the backend with this pid when the key matches. */
  cancel(pid: number, key: number): void;
  /** pg_cancel_backend / pg_terminate_backend. */
  signal(pid: number, kind: 'cancel' | 'terminate'): boolean;
  /** Delivers a committed NOTIFY to every connection listening on `channel`. */
  notify(senderPid: number, channel: string, payload: string): void;
}
