/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL uses it: password verifiers in pg_authid's
 * format (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, base64 parts) and the
 * server side of the SASL exchange. Channel binding is not offered (no TLS), so clients must
 * send the `n` or `y` GS2 flag. Hashing uses node:crypto (deterministic); salts and nonces come
 * from the caller (Env randomness).
 *
 * Invariants:
 * - The clear-text password is never stored: only StoredKey = H(ClientKey) and ServerKey.
 * - A proof is compared in constant time.
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const SCRAM_ITERATIONS = 4096;
export const SCRAM_MECHANISM = 'SCRAM-SHA-256';

export interface ScramVerifier {
  readonly iterations: number;
  readonly salt: Buffer;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

function hmac(key: Uint8Array, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** SASLprep is approximated by NFKC normalization (PostgreSQL uses the raw bytes when prep fails). */
function prep(password: string): string {
  return password.normalize('NFKC');
}

export function makeVerifier(password: string, salt: Uint8Array, iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(prep(password), salt, iterations, 32, 'sha256');
  const storedKey = sha256(hmac(salted, 'Client Key'));
  const serverKey = hmac(salted, 'Server Key');
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  return `${SCRAM_MECHANISM}$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}

export function parseVerifier(text: string): ScramVerifier | null {
  const m = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/.exec(text);
  if (m === null) return null;
  const storedKey = Buffer.from(m[3]!, 'base64');
  const serverKey = Buffer.from(m[4]!, 'base64');
  if (storedKey.length !== 32 || serverKey.length !== 32) return null;
  return { iterations: Number(m[1]), salt: Buffer.from(m[2]!, 'base64'), storedKey, serverKey };
}

/** Checks a clear-text password (the `password` auth method) against a verifier. */
export function verifyPassword(verifierText: string, password: string): boolean {
  const v = parseVerifier(verifierText);
  if (v === null) return false;
  const salted = pbkdf2Sync(prep(password), v.salt, v.iterations, 32, 'sha256');
  return timingSafeEqual(sha256(hmac(salted, 'Client Key')), v.storedKey);
}

/** Thrown for a malformed SCRAM message (the connection ends with 08P01). */
export class ScramProtocolError extends Error {}

/**
 * One server-side exchange. `verifier` null means the role does not exist or has no password:
 * the exchange runs against a mock verifier and always fails, so a client cannot tell which.
 */
export class ScramExchange {
  private readonly verifier: ScramVerifier;
  private readonly real: boolean;
  private readonly serverNonce: string;
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private gs2 = '';

  /** `serverNonce`: random bytes (base64-encoded here) or, for test vectors, the nonce text itself. */
  constructor(verifierText: string | null, serverNonce: Uint8Array | string, mockSalt: Uint8Array) {
    const parsed = verifierText === null ? null : parseVerifier(verifierText);
    this.real = parsed !== null;
    this.verifier = parsed ?? { iterations: SCRAM_ITERATIONS, salt: Buffer.from(mockSalt), storedKey: Buffer.alloc(32), serverKey: Buffer.alloc(32) };
    this.serverNonce = typeof serverNonce === 'string' ? serverNonce : Buffer.from(serverNonce).toString('base64');
  }

  /** client-first-message → server-first-message. */
  first(clientFirst: string): string {
    const m = /^([ny])(?:=[^,]*)?,(a=[^,]*)?,(.*)$/.exec(clientFirst);
    if (m === null) {
      if (clientFirst.startsWith('p')) throw new ScramProtocolError('channel binding is not supported by this server');
      throw new ScramProtocolError('malformed SCRAM message');
    }
    this.gs2 = clientFirst.slice(0, clientFirst.length - m[3]!.length);
    this.clientFirstBare = m[3]!;
    const r = /(?:^|,)r=([^,]+)/.exec(this.clientFirstBare);
    if (r === null) throw new ScramProtocolError('malformed SCRAM message: missing nonce');
    this.nonce = r[1]! + this.serverNonce;
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString('base64')},i=${this.verifier.iterations}`;
    return this.serverFirst;
  }

  /** client-final-message → server-final-message, or null when the proof is wrong. */
  final(clientFinal: string): string | null {
    const p = clientFinal.lastIndexOf(',p=');
    if (p < 0) throw new ScramProtocolError('malformed SCRAM message: missing proof');
    const withoutProof = clientFinal.slice(0, p);
    const proof = Buffer.from(clientFinal.slice(p + 3), 'base64');
    const c = /(?:^|,)c=([^,]*)/.exec(withoutProof);
    const r = /(?:^|,)r=([^,]*)/.exec(withoutProof);
    if (c === null || r === null) throw new ScramProtocolError('malformed SCRAM message');
    if (Buffer.from(c[1]!, 'base64').toString('latin1') !== this.gs2) throw new ScramProtocolError('SCRAM channel binding check failed');
    if (r[1] !== this.nonce) throw new ScramProtocolError('SCRAM nonce mismatch');
    if (proof.length !== 32 || !this.real) return null;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const signature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(sha256(clientKey), this.verifier.storedKey)) return null;
    return `v=${hmac(this.verifier.serverKey, authMessage).toString('base64')}`;
  }
}
