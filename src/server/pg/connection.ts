/**
 * One client connection: socket I/O, the startup handshake, and the message loop that dispatches
 * to the simple-query, extended-query and COPY handlers (query-simple.ts, query-extended.ts,
 * copy.ts). Each connection owns one engine session.
 *
 * Invariants:
 * - Messages are decoded synchronously as bytes arrive (framing depends on the startup phase) and
 *   handled strictly in order by one async loop; a handler never runs concurrently with another
 *   handler of the same connection.
 * - A protocol violation sends ErrorResponse (FATAL, 08P01 unless more specific) and closes this
 *   connection only. Closing always closes the session, which rolls back an open transaction.
 * - Output is buffered in one BackendWriter and flushed at ReadyForQuery, Flush, before waiting
 *   for COPY data, and whenever it grows large; a socket that cannot keep up pauses the loop.
 * - Time comes from the Env's timers (startup timeout, mid-message stall, idle in transaction).
 */
import type { Socket } from 'node:net';
import { DbError, isDbError } from '../../errors/index.ts';
import type { Session } from '../../engine/session.ts';
import type { TimerHandle } from '../../env/env.ts';
import { Limits } from '../../limits.ts';
import { durationMs } from '../../engine/settings.ts';
import { BackendWriter, WireSqlError, type ErrorFields } from './backend.ts';
import {
  Framer, ProtocolError, decodeMessage, decodeStartup, type FrontendMessage,
} from './frontend.ts';
import type { ServerContext } from './server-context.ts';
import { handleSimpleQuery } from './query-simple.ts';
import { ExtendedQuery } from './query-extended.ts';
import { StatementRunner } from './statement-runner.ts';
import { applyStartupParams, reportedParams } from './startup.ts';
import type { BackendActivity } from '../../engine/backends.ts';
import { upgradeToTls } from './tls.ts';
import { authenticate } from './authenticate.ts';

const OUTPUT_FLUSH_BYTES = 256 * 1024;
const QUEUE_MESSAGES_MAX = 10_000;

export class PgConnection {
  /** The client socket; replaced by its TLS wrapper after an accepted SSLRequest. */
  socket: Socket;
  readonly server: ServerContext;
  readonly out = new BackendWriter();
  private readonly framer = new Framer();
  private readonly queue: FrontendMessage[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private wake: (() => void) | null = null;
  private stallTimer: TimerHandle | null = null;
  private startupTimer: TimerHandle | null = null;
  private idleTimer: TimerHandle | null = null;
  private paused = false;
  /** Set once: the socket is closing and the loop must stop. */
  closed = false;
  session: Session | null = null;
  pid = 0;
  secretKey = 0;
  /** A CancelRequest for this backend arrived while it was running a statement. */
  cancelRequested = false;
  /** True while a query or extended-protocol message is being handled. */
  busy = false;
  /** pg_stat_activity: connection start, the last statement and when it / the state changed (µs). */
  private readonly startMicros: number;
  lastQuery = '';
  queryStartMicros: number | null = null;
  private stateChangeMicros: number | null = null;
  /** Extended protocol state (statements, portals, implicit transaction). */
  readonly extended = new ExtendedQuery(this);
  /** Runs statements with implicit-transaction, LISTEN/NOTIFY and cancel semantics. */
  readonly runner = new StatementRunner(this);
  /** ParameterStatus values last sent, to report changes after SET / RESET / ROLLBACK. */
  private readonly reported = new Map<string, string>();
  /** The session's settings version when parameters were last compared (-1: never). */
  private reportedVersion = -1;
  /** LISTEN channels of this connection, and notifications waiting for the client to be idle. */
  readonly channels = new Set<string>();
  readonly pendingNotifications: { pid: number; channel: string; payload: string }[] = [];

  constructor(socket: Socket, server: ServerContext) {
    this.socket = socket;
    this.server = server;
    socket.setNoDelay(true);
    this.listen(socket);
    this.startMicros = server.env.clock.nowMicros();
    this.startupTimer = server.env.timers.after(() => {
      this.startupTimer = null;
      this.fatal({ code: '08006', message: 'timeout expired during startup' });
    }, server.options.startupMs);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('drain', () => this.wakeLoop());
  }

  /** Answers an SSLRequest: 'S' and a TLS handshake when the server has a certificate, else 'N'. */
  private answerSslRequest(): void {
    if (this.queueHead < this.queue.length || this.framer.pendingBytes > 0) {
      throw new ProtocolError('received unencrypted data after SSL request');
    }
    const context = this.server.tls;
    if (context === null) {
      this.socket.write(new Uint8Array([0x4e]));
      return;
    }
    const raw = this.socket;
    raw.write(new Uint8Array([0x53]));
    raw.removeAllListeners('data');
    raw.removeAllListeners('drain');
    const secure = upgradeToTls(raw, context);
    this.socket = secure;
    this.listen(secure);
  }

  // ---- input ----

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.framer.push(chunk);
      for (;;) {
        const pkt = this.framer.next();
        if (pkt === null) break;
        let msg: FrontendMessage;
        if (this.framer.startupPhase) {
          const packet = decodeStartup(pkt.body);
          // SSL/GSS requests are answered and followed by another startup packet; a real
          // StartupMessage switches the framing to typed messages.
          if (packet.kind === 'startup') this.framer.startupPhase = false;
          msg = { type: 'Startup', packet };
        } else {
          msg = decodeMessage(pkt.type, pkt.body);
        }
        this.queue.push(msg);
        this.queuedBytes += pkt.body.byteLength;
      }
    } catch (e) {
      this.fatal(e instanceof ProtocolError ? e : { code: '08P01', message: String(e) });
      return;
    }
    this.armStallTimer();
    if (!this.paused && (this.queuedBytes + this.framer.pendingBytes > Limits.pgReceiveBufferBytesMax ||
      this.queue.length - this.queueHead > QUEUE_MESSAGES_MAX)) {
      this.paused = true;
      this.socket.pause();
    }
    this.wakeLoop();
  }

  /** A client that sent part of a message and then stalls is disconnected. */
  private armStallTimer(): void {
    const timers = this.server.env.timers;
    if (this.framer.pendingBytes === 0) {
      if (this.stallTimer !== null) { timers.cancel(this.stallTimer); this.stallTimer = null; }
      return;
    }
    if (this.stallTimer !== null) return;
    this.stallTimer = timers.after(() => {
      this.stallTimer = null;
      this.fatal({ code: '08P01', message: 'incomplete message from client: timed out waiting for the rest' });
    }, this.server.options.messageStallMs);
  }

  private wakeLoop(): void {
    const w = this.wake;
    if (w !== null) { this.wake = null; w(); }
  }

  /** The next message, waiting for input; null once the connection is closed. */
  async nextMessage(): Promise<FrontendMessage | null> {
    for (;;) {
      if (this.closed) return null;
      if (this.queueHead < this.queue.length) {
        const msg = this.queue[this.queueHead]!;
        this.queue[this.queueHead++] = undefined as unknown as FrontendMessage;
        if (this.queueHead === this.queue.length) { this.queue.length = 0; this.queueHead = 0; this.queuedBytes = 0; }
        if (this.paused && this.queue.length - this.queueHead < QUEUE_MESSAGES_MAX / 2) {
          this.paused = false;
          this.queuedBytes = 0;
          this.socket.resume();
        }
        return msg;
      }
      // Nothing more to answer now: the reply goes out with the others of this turn.
      if (this.out.length > 0) this.server.flushBatch.add(this);
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  /** Queued messages not yet handled (the extended protocol looks ahead for Sync / Execute). */
  peekQueued(): readonly FrontendMessage[] {
    return this.queue.slice(this.queueHead);
  }

  // ---- output ----

  flush(): void {
    if (this.out.length === 0 || this.closed) return;
    this.socket.write(this.out.take());
  }

  /** Flushes when the buffer is large and waits while the socket is backed up. */
  async maybeFlush(): Promise<void> {
    if (this.out.length < OUTPUT_FLUSH_BYTES) return;
    this.flush();
    while (!this.closed && this.socket.writableNeedDrain) {
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  sendError(e: unknown): void {
    this.out.error(toErrorFields(e), 'ERROR');
  }

  sendNotices(): void {
    const s = this.session;
    if (s === null) return;
    for (const n of s.notices) this.out.notice(n);
    s.notices = [];
  }

  readyForQuery(): void {
    const s = this.session!;
    this.reportParameterChanges();
    const status = s.transactionStatus;
    if (status === 'idle') this.deliverNotifications();
    this.out.readyForQuery(status === 'idle' ? 'I' : status === 'in transaction' ? 'T' : 'E');
    // A transaction others wait for (a hot row) answers at once: its client's next statement,
    // and so the release of what it holds, should not wait for the rest of this turn.
    if (s.txn?.hasWaiters === true) this.flush();
    else this.server.flushBatch.add(this);
    this.armIdleInTransactionTimer(status !== 'idle');
  }

  private armIdleInTransactionTimer(inTxn: boolean): void {
    const timers = this.server.env.timers;
    if (this.idleTimer !== null) { timers.cancel(this.idleTimer); this.idleTimer = null; }
    if (!inTxn) return;
    const ms = durationMs(this.session!.setting('idle_in_transaction_session_timeout') ?? '0') ?? 0;
    if (ms <= 0) return;
    this.idleTimer = timers.after(() => {
      this.idleTimer = null;
      if (!this.busy) this.fatal({ code: '25P03', message: 'terminating connection due to idle-in-transaction timeout' });
    }, ms);
  }

  /** Sends ParameterStatus for reported settings whose value changed. */
  reportParameterChanges(): void {
    const s = this.session;
    if (s === null) return;
    // Reported values derive from settings only: nothing to compare while they are unchanged.
    const version = s.settingsVersion;
    if (version === this.reportedVersion) return;
    this.reportedVersion = version;
    for (const [name, value] of reportedParams(s, this.server.serverVersion)) {
      if (this.reported.get(name) !== value) {
        this.reported.set(name, value);
        this.out.parameterStatus(name, value);
      }
    }
  }

  deliverNotifications(): void {
    for (const n of this.pendingNotifications) this.out.notificationResponse(n.pid, n.channel, n.payload);
    this.pendingNotifications.length = 0;
  }

  /** Called by the server: a notification on a channel this connection listens to. */
  notify(pid: number, channel: string, payload: string): void {
    this.pendingNotifications.push({ pid, channel, payload });
    if (!this.busy && this.session?.transactionStatus === 'idle') {
      this.deliverNotifications();
      this.flush();
    }
  }

  /** CancelRequest / pg_cancel_backend: interrupts the running statement (ignored when idle). */
  cancelRunning(): void {
    if (!this.busy || this.session === null) return;
    this.cancelRequested = true;
    this.session.interrupts.interrupt('cancel');
  }

  /** pg_terminate_backend: the running statement stops, the client gets FATAL 57P01. */
  terminate(): void {
    this.session?.interrupts.interrupt('terminate');
    this.fatal({ code: '57P01', message: 'terminating connection due to administrator command' });
  }

  /** This backend as pg_stat_activity shows it. */
  activity(): BackendActivity {
    const s = this.session;
    const status = s?.transactionStatus ?? 'idle';
    const state = this.busy ? 'active' : status === 'in failed transaction' ? 'idle in transaction (aborted)' : status;
    return {
      pid: this.pid, user: s?.user ?? '', applicationName: s?.setting('application_name') ?? '',
      clientAddr: this.socket.remoteAddress ?? null, clientPort: this.socket.remotePort ?? null,
      backendStartMicros: this.startMicros, state, query: this.lastQuery, queryStartMicros: this.queryStartMicros,
      xactStartMicros: s?.txn?.startMicros ?? null, stateChangeMicros: this.stateChangeMicros,
    };
  }

  /** FATAL error, then close. */
  fatal(e: ErrorFields | ProtocolError): void {
    if (this.closed) return;
    this.out.error(e instanceof ProtocolError ? { code: e.code, message: e.message } : e, 'FATAL');
    this.flush();
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const timers = this.server.env.timers;
    for (const t of [this.stallTimer, this.startupTimer, this.idleTimer]) if (t !== null) timers.cancel(t);
    this.stallTimer = this.startupTimer = this.idleTimer = null;
    this.socket.end();
    this.socket.destroySoon?.();
    this.wakeLoop();
    if (this.busy && this.session !== null) {
      // A statement is running (suspended between slices, sleeping, waiting for a lock or
      // committing): stop it at its next interruption point and close the session once the
      // handler has returned, never under it.
      this.session.interrupts.interrupt('terminate');
    } else {
      this.closeSession();
    }
    this.server.unregister(this);
  }

  private closeSession(): void {
    const s = this.session;
    this.session = null;
    // Closing the session rolls back an open transaction (a client that vanished mid-block).
    if (s !== null) void s.run(() => s.close()).catch(() => undefined);
  }

  // ---- the loop ----

  async run(): Promise<void> {
    try {
      if (!(await this.startup())) return;
      for (;;) {
        const msg = await this.nextMessage();
        if (msg === null) return;
        if (msg.type === 'Terminate') { this.close(); return; }
        this.busy = true;
        this.stateChangeMicros = this.server.env.clock.nowMicros();
        try {
          await this.dispatch(msg);
        } finally {
          this.busy = false;
          this.cancelRequested = false;
          this.stateChangeMicros = this.server.env.clock.nowMicros();
          if (this.closed) this.closeSession();
        }
      }
    } catch (e) {
      this.fatal({ code: '08P01', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async dispatch(msg: FrontendMessage): Promise<void> {
    switch (msg.type) {
      case 'Query':
        await handleSimpleQuery(this, msg.sql);
        return;
      case 'Parse': case 'Bind': case 'Describe': case 'Execute': case 'Close': case 'Sync': case 'Flush':
        await this.extended.handle(msg);
        return;
      case 'CopyData': case 'CopyDone': case 'CopyFail':
        // Left over from a COPY that failed: PostgreSQL ignores them too.
        return;
      case 'FunctionCall':
        this.sendError(new DbError('feature_not_supported', 'the fastpath function call interface is not supported'));
        this.readyForQuery();
        return;
      case 'Password':
        throw new ProtocolError('unexpected password message');
      case 'Terminate':
        return;
      case 'Startup':
        throw new ProtocolError('unexpected startup packet');
    }
  }

  /** The startup handshake; false when the connection ended (cancel request, error). */
  private async startup(): Promise<boolean> {
    for (;;) {
      const raw = await this.nextMessage();
      if (raw === null) return false;
      if (raw.type !== 'Startup') throw new ProtocolError('expected a startup packet');
      const p = raw.packet;
      if (p.kind === 'ssl') {
        this.answerSslRequest();
        continue;
      }
      if (p.kind === 'gssenc') {
        // No GSSAPI: the client continues in plain text (or gives up) on 'N'.
        if (this.queueHead < this.queue.length) throw new ProtocolError('received unencrypted data after GSSENC request');
        this.socket.write(new Uint8Array([0x4e]));
        continue;
      }
      if (p.kind === 'cancel') {
        this.server.cancel(p.pid, p.key);
        this.close();
        return false;
      }
      const user = p.params.get('user');
      if (user === undefined || user === '') {
        this.fatal({ code: '28000', message: 'no PostgreSQL user name specified in startup packet' });
        return false;
      }
      if (p.params.get('replication') !== undefined && p.params.get('replication') !== 'false') {
        this.fatal({ code: '0A000', message: 'replication connections are not supported' });
        return false;
      }
      if (!this.server.register(this)) {
        this.fatal({ code: '53300', message: 'sorry, too many clients already' });
        return false;
      }
      const env = this.server.env;
      const outcome = await authenticate({
        env, out: this.out, flush: () => this.flush(), nextMessage: () => this.nextMessage(),
        log: (level, message) => env.log(level, message),
      }, this.server.auth, user, p.params.get('database') ?? user, this.socket.remoteAddress ?? '');
      if (this.closed) return false;
      if (!outcome.ok) {
        if (outcome.error !== null) this.fatal(outcome.error); else this.close();
        return false;
      }
      if (this.startupTimer !== null) { env.timers.cancel(this.startupTimer); this.startupTimer = null; }
      const session = this.server.newSession(user);
      session.backendPid = this.pid;
      this.session = session;
      try {
        // ALTER ROLE ... SET defaults first; startup parameters override them, as in PostgreSQL.
        for (const entry of outcome.role.config) {
          const eq = entry.indexOf('=');
          session.setSetting(entry.slice(0, eq), entry.slice(eq + 1), false);
        }
        applyStartupParams(session, p.params);
      } catch (e) {
        this.fatal(toErrorFields(e));
        return false;
      }
      this.out.authenticationOk();
      this.reportParameterChanges();
      this.out.backendKeyData(this.pid, this.secretKey);
      this.readyForQuery();
      return true;
    }
  }
}

/** ErrorResponse fields for anything thrown while handling a message. */
export function toErrorFields(e: unknown): ErrorFields {
  if (isDbError(e)) return e;
  if (e instanceof WireSqlError) return e;
  if (e instanceof ProtocolError) return { code: e.code, message: e.message };
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return { code: '54001', message: 'stack depth limit exceeded' };
  }
  return { code: 'XX000', message: e instanceof Error ? e.message : String(e) };
}
