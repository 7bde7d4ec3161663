/**
 * Client authentication during startup: picks the method from the hba rules, runs the exchange
 * (SCRAM-SHA-256 over SASL, clear-text password, trust, reject), then the role checks PostgreSQL
 * makes after it (LOGIN, VALID UNTIL, CONNECTION LIMIT).
 *
 * Invariants:
 * - A failed password login answers only after the limiter's delay (exponential per address +
 *   user, Env timers) and always with the same FATAL 28P01, whether the role exists, has no
 *   password, has an expired one, or the password is wrong (the reason is logged, not sent).
 * - md5 runs SCRAM-SHA-256 (stored passwords are SCRAM verifiers; PostgreSQL does the same).
 */
import type { Catalog } from '../../catalog/catalog.ts';
import type { Env } from '../../env/env.ts';
import { ScramExchange, ScramProtocolError, SCRAM_MECHANISM, verifyPassword } from '../../auth/scram.ts';
import type { RoleDef } from '../../auth/auth-state.ts';
import { hasDatabasePrivilege } from '../../auth/privileges.ts';
import { Priv } from '../../auth/acl.ts';
import { matchHba, type HbaRule } from './hba.ts';
import type { BackendWriter, ErrorFields } from './backend.ts';
import type { FrontendMessage } from './frontend.ts';

/** Exponential delay for repeated failed logins from one address as one user. */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; lastMs: number }>();
  readonly baseMs: number;
  readonly maxMs: number;
  /** Failures older than this are forgotten. */
  readonly forgetMs: number;

  constructor(baseMs = 100, maxMs = 10_000, forgetMs = 600_000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.forgetMs = forgetMs;
  }

  /** Records a failure; returns the delay (ms) to wait before answering it. */
  fail(key: string, nowMs: number): number {
    const f = this.failures.get(key);
    const count = f !== undefined && nowMs - f.lastMs < this.forgetMs ? f.count + 1 : 1;
    this.failures.set(key, { count, lastMs: nowMs });
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value!);
    return Math.min(this.maxMs, this.baseMs * 2 ** (count - 1));
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  /** Consecutive recent failures for a key (tests, diagnostics). */
  failureCount(key: string): number {
    return this.failures.get(key)?.count ?? 0;
  }
}

/** What authentication needs from the server. */
export interface AuthConfig {
  readonly rules: readonly HbaRule[];
  readonly limiter: LoginLimiter;
  /** The committed catalog (roles). */
  catalog(): Catalog;
  /** Active connections per role name (CONNECTION LIMIT). */
  connectionsOf(user: string): number;
}

export interface AuthIo {
  readonly env: Env;
  readonly out: BackendWriter;
  flush(): void;
  nextMessage(): Promise<FrontendMessage | null>;
  log(level: 'info' | 'warn', message: string): void;
}

export type AuthOutcome = { ok: true; role: RoleDef } | { ok: false; error: ErrorFields | null };

const R = 0x52;

function authRequest(out: BackendWriter, code: number, payload?: Uint8Array | string[]): void {
  out.begin(R);
  out.int32(code);
  if (Array.isArray(payload)) { for (const m of payload) out.cstring(m); out.byte(0); }
  else if (payload !== undefined) out.bytes(payload);
  out.end();
}

/** Reads the next PasswordMessage-family message body, or null (connection gone / wrong message). */
async function passwordData(io: AuthIo): Promise<Uint8Array | null> {
  const msg = await io.nextMessage();
  if (msg === null || msg.type !== 'Password') return null;
  return msg.data;
}

function passwordFailed(user: string): ErrorFields {
  return { code: '28P01', message: `password authentication failed for user "${user}"` };
}

/** Runs authentication for a startup packet. The caller sends the FATAL error and closes. */
export async function authenticate(io: AuthIo, cfg: AuthConfig, user: string, database: string, address: string): Promise<AuthOutcome> {
  const catalog = cfg.catalog();
  const auth = catalog.auth;
  const { method, rule } = matchHba(cfg.rules, {
    user, database, address,
    isMember: (u, g) => {
      const ur = auth.role(u);
      const gr = auth.role(g);
      return ur !== undefined && gr !== undefined && auth.effectiveRoles(ur.oid, true).has(gr.oid);
    },
  });
  const role = auth.role(user);
  if (method === 'reject') {
    io.log('warn', `connection rejected for user "${user}" database "${database}" from ${address}: ${rule ? `pg_hba line ${rule.line}` : 'no pg_hba entry'}`);
    return { ok: false, error: { code: '28000', message: rule
      ? `pg_hba.conf rejects connection for host "${address}", user "${user}", database "${database}", no encryption`
      : `no pg_hba.conf entry for host "${address}", user "${user}", database "${database}", no encryption` } };
  }
  const key = `${address}\u0000${user}`;
  const nowMicros = (): number => io.env.clock.nowMicros();
  if (method !== 'trust') {
    // An expired password fails like a wrong one; so does a role that does not exist.
    const expired = role?.validUntil != null && role.validUntil < nowMicros();
    const verifier = role !== undefined && !expired ? role.password : null;
    let ok: boolean;
    try {
      ok = method === 'password' ? await clearText(io, verifier) : await scram(io, verifier);
    } catch (e) {
      if (e instanceof ScramProtocolError) return { ok: false, error: { code: '08P01', message: e.message } };
      throw e;
    }
    if (!ok) {
      const why = role === undefined ? `Role "${user}" does not exist.` : expired ? `User "${user}" has an expired password.`
        : role.password === null ? `User "${user}" has no password assigned.` : 'Password does not match.';
      const delay = cfg.limiter.fail(key, io.env.clock.nowMs());
      io.log('warn', `password authentication failed for user "${user}" from ${address} (${method}): ${why} Answering after ${delay} ms.`);
      await io.env.timers.sleep(delay);
      return { ok: false, error: passwordFailed(user) };
    }
    cfg.limiter.succeed(key);
  }
  if (role === undefined) return { ok: false, error: { code: '28000', message: `role "${user}" does not exist` } };
  if (!role.login) return { ok: false, error: { code: '28000', message: `role "${user}" is not permitted to log in` } };
  if (role.connectionLimit >= 0 && !role.superuser && cfg.connectionsOf(user) >= role.connectionLimit) {
    return { ok: false, error: { code: '53300', message: `too many connections for role "${user}"` } };
  }
  if (!hasDatabasePrivilege(catalog, user, Priv.connect)) {
    return { ok: false, error: { code: '42501', message: `permission denied for database "${database}"`, detail: 'User does not have CONNECT privilege.' } };
  }
  io.log('info', `connection authorized: user=${user} database=${database} method=${method} from ${address}`);
  return { ok: true, role };
}

async function clearText(io: AuthIo, verifier: string | null): Promise<boolean> {
  authRequest(io.out, 3);
  io.flush();
  const data = await passwordData(io);
  if (data === null) return false;
  const end = data.indexOf(0);
  const password = Buffer.from(data.subarray(0, end < 0 ? data.length : end)).toString('utf8');
  return verifier !== null && verifyPassword(verifier, password);
}

async function scram(io: AuthIo, verifier: string | null): Promise<boolean> {
  const exchange = new ScramExchange(verifier, io.env.random.bytes(18), io.env.random.bytes(16));
  authRequest(io.out, 10, [SCRAM_MECHANISM]);
  io.flush();
  const init = await passwordData(io);
  if (init === null) return false;
  const buf = Buffer.from(init);
  const nul = buf.indexOf(0);
  if (nul < 0 || nul + 5 > buf.length) throw new ScramProtocolError('malformed SASLInitialResponse message');
  const mechanism = buf.subarray(0, nul).toString('utf8');
  if (mechanism !== SCRAM_MECHANISM) throw new ScramProtocolError('client selected an invalid SASL authentication mechanism');
  const len = buf.readInt32BE(nul + 1);
  const first = buf.subarray(nul + 5, len < 0 ? nul + 5 : nul + 5 + len).toString('utf8');
  authRequest(io.out, 11, Buffer.from(exchange.first(first), 'utf8'));
  io.flush();
  const fin = await passwordData(io);
  if (fin === null) return false;
  const serverFinal = exchange.final(Buffer.from(fin).toString('utf8'));
  if (serverFinal === null) return false;
  authRequest(io.out, 12, Buffer.from(serverFinal, 'utf8'));
  return true;
}
