/**
 * Test helpers: an in-memory database behind a PgServer on a free loopback port, and a small
 * raw-socket client for protocol-level tests. Every test stops what it starts.
 */
import { connect, type Socket } from 'node:net';
import { Oxibase } from '../../src/index.ts';
import { LOCAL_TRUST_HBA, PgServer, type PgServerConfig } from '../../src/server/pg/index.ts';

export interface Running {
  readonly db: Oxibase;
  readonly server: PgServer;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Protocol and client tests authenticate with trust on loopback (test/server/auth*.test.ts cover
 * the password methods); the extra role names they log in as exist as superusers.
 */
export async function startServer(config: PgServerConfig = {}): Promise<Running> {
  const db = await Oxibase.open('memory://');
  await db.exec('CREATE ROLE alice LOGIN SUPERUSER; CREATE ROLE postgres LOGIN SUPERUSER');
  const server = new PgServer(db, { hba: LOCAL_TRUST_HBA, ...config });
  const { port } = await server.listen('127.0.0.1', 0);
  return {
    db, server, port,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

/** Raw protocol client: write bytes, read whatever the server answers. */
export class RawClient {
  readonly socket: Socket;
  private chunks: Buffer[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => { this.chunks.push(c); this.wakeAll(); });
    socket.on('close', () => { this.closed = true; this.wakeAll(); });
    socket.on('error', () => undefined);
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Forgets what was received so far. */
  clear(): void {
    this.chunks = [];
  }

  write(b: Uint8Array): void {
    this.socket.write(b);
  }

  /** Waits until `pred(bytes)` holds or the socket closes; returns the bytes received. */
  async until(pred: (all: Buffer) => boolean, timeoutMs = 5000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = Buffer.concat(this.chunks);
      if (pred(all) || this.closed) return all;
      if (Date.now() > deadline) throw new Error(`timeout; got ${all.toString('latin1')}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A startup packet for protocol 3.0. */
export function startupPacket(params: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(params)) parts.push(Buffer.from(`${k}\0${v}\0`));
  parts.push(Buffer.from([0]));
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, body]);
}

/** A typed frontend message. */
export function message(type: string, body: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

/** Splits backend output into [type, body] messages (stops at an incomplete tail). */
export function backendMessages(all: Buffer): { type: string; body: Buffer }[] {
  const out: { type: string; body: Buffer }[] = [];
  let pos = 0;
  while (pos + 5 <= all.length) {
    const len = all.readInt32BE(pos + 1);
    if (pos + 1 + len > all.length) break;
    out.push({ type: String.fromCharCode(all[pos]!), body: all.subarray(pos + 5, pos + 1 + len) });
    pos += 1 + len;
  }
  return out;
}

/** ErrorResponse / NoticeResponse fields by code letter. */
export function errorFields(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < body.length && body[pos] !== 0) {
    const code = String.fromCharCode(body[pos]!);
    const end = body.indexOf(0, pos + 1);
    out[code] = body.subarray(pos + 1, end).toString('utf8');
    pos = end + 1;
  }
  return out;
}
