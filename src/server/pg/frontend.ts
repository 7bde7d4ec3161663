/**
 * Frontend (client -> server) messages of PostgreSQL protocol 3.0: framing of the byte stream
 * into messages and decoding of each message body into a plain object.
 *
 * Invariants:
 * - Every length is checked against src/limits.ts before its body is buffered: an oversized
 *   header is rejected as soon as its 4 length bytes arrive (08P01), never after buffering.
 * - Decoding never reads past the message body: every field read is bounds-checked, and a body
 *   with bytes left over after its last field is malformed. All errors are ProtocolError.
 * - Strings are NUL-terminated UTF-8; invalid UTF-8 is a protocol violation (the connection is
 *   closed, as for any malformed message).
 */
import { Limits } from '../../limits.ts';

/** A violation of the protocol: the connection gets an ErrorResponse (FATAL) and is closed. */
export class ProtocolError extends Error {
  readonly code: string;
  constructor(message: string, code = '08P01') {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

export const PROTOCOL_3_0 = 196608;
export const SSL_REQUEST_CODE = 80877103;
export const GSSENC_REQUEST_CODE = 80877104;
export const CANCEL_REQUEST_CODE = 80877102;

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly pid: number; readonly key: number }
  | { readonly kind: 'startup'; readonly params: ReadonlyMap<string, string> };

/** A Bind parameter: null (SQL NULL) or its raw bytes (text or binary per its format code). */
export type RawParam = Uint8Array | null;

export type FrontendMessage =
  | { readonly type: 'Startup'; readonly packet: StartupPacket }
  | { readonly type: 'Query'; readonly sql: string }
  | { readonly type: 'Parse'; readonly name: string; readonly sql: string; readonly paramOids: readonly number[] }
  | {
    readonly type: 'Bind'; readonly portal: string; readonly statement: string;
    readonly paramFormats: readonly number[]; readonly params: readonly RawParam[];
    readonly resultFormats: readonly number[];
  }
  | { readonly type: 'Describe'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly type: 'Execute'; readonly portal: string; readonly maxRows: number }
  | { readonly type: 'Close'; readonly target: 'S' | 'P'; readonly name: string }
  | { readonly type: 'Sync' }
  | { readonly type: 'Flush' }
  | { readonly type: 'Terminate' }
  | { readonly type: 'CopyData'; readonly data: Uint8Array }
  | { readonly type: 'CopyDone' }
  | { readonly type: 'CopyFail'; readonly message: string }
  | { readonly type: 'Password'; readonly data: Uint8Array }
  | { readonly type: 'FunctionCall' };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Sequential bounds-checked reader over one message body. */
class BodyReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos: number;
  private readonly end: number;
  private readonly what: string;

  constructor(buf: Uint8Array, what: string) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.end = buf.byteLength;
    this.what = what;
  }

  private need(count: number): void {
    if (count < 0 || this.pos + count > this.end) {
      throw new ProtocolError(`invalid message format: ${this.what} message is truncated`);
    }
  }

  int16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  cstring(): string {
    const zero = this.buf.indexOf(0, this.pos);
    if (zero < 0 || zero >= this.end) {
      throw new ProtocolError(`invalid message format: unterminated string in ${this.what} message`);
    }
    const s = decodeUtf8(this.buf.subarray(this.pos, zero));
    this.pos = zero + 1;
    return s;
  }

  bytes(count: number): Uint8Array {
    this.need(count);
    const out = this.buf.subarray(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }

  rest(): Uint8Array {
    const out = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return out;
  }

  /** A count field (Int16) that must be non-negative. */
  count16(): number {
    const n = this.int16();
    if (n < 0) throw new ProtocolError(`invalid message format: negative count in ${this.what} message`);
    return n;
  }

  done(): void {
    if (this.pos !== this.end) {
      throw new ProtocolError(`invalid message format: ${this.what} message has ${this.end - this.pos} extra bytes`);
    }
  }
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtocolError('invalid byte sequence for encoding "UTF8"');
  }
}

/** Decodes a startup-phase packet body (after its Int32 length). */
export function decodeStartup(body: Uint8Array): StartupPacket {
  const r = new BodyReader(body, 'startup');
  const code = r.int32();
  if (code === SSL_REQUEST_CODE) { r.done(); return { kind: 'ssl' }; }
  if (code === GSSENC_REQUEST_CODE) { r.done(); return { kind: 'gssenc' }; }
  if (code === CANCEL_REQUEST_CODE) {
    const pid = r.int32();
    const key = r.int32();
    r.done();
    return { kind: 'cancel', pid, key };
  }
  if (code >>> 16 !== 3) {
    throw new ProtocolError(`unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.0`, '0A000');
  }
  const params = new Map<string, string>();
  for (;;) {
    const name = r.cstring();
    if (name === '') break;
    params.set(name, r.cstring());
  }
  r.done();
  return { kind: 'startup', params };
}

/** Decodes a typed message body. Unknown types are protocol violations. */
export function decodeMessage(type: number, body: Uint8Array): FrontendMessage {
  switch (type) {
    case 0x51: { // 'Q'
      const r = new BodyReader(body, 'Query');
      const sql = r.cstring();
      r.done();
      return { type: 'Query', sql };
    }
    case 0x50: return decodeParse(body); // 'P'
    case 0x42: return decodeBind(body); // 'B'
    case 0x44: // 'D'
    case 0x43: { // 'C'
      const what = type === 0x44 ? 'Describe' : 'Close';
      const r = new BodyReader(body, what);
      const t = r.byte();
      if (t !== 0x53 && t !== 0x50) throw new ProtocolError(`invalid ${what.toUpperCase()} message subtype ${t}`);
      const name = r.cstring();
      r.done();
      const target = t === 0x53 ? 'S' : 'P';
      return type === 0x44 ? { type: 'Describe', target, name } : { type: 'Close', target, name };
    }
    case 0x45: { // 'E'
      const r = new BodyReader(body, 'Execute');
      const portal = r.cstring();
      const maxRows = r.int32();
      r.done();
      return { type: 'Execute', portal, maxRows: maxRows <= 0 ? 0 : maxRows };
    }
    case 0x53: return emptyBody(body, 'Sync', { type: 'Sync' });
    case 0x48: return emptyBody(body, 'Flush', { type: 'Flush' });
    case 0x58: return emptyBody(body, 'Terminate', { type: 'Terminate' });
    case 0x64: return { type: 'CopyData', data: body.slice() }; // 'd' (copied: the buffer is reused)
    case 0x63: return { type: 'CopyDone' }; // 'c'
    case 0x66: { // 'f'
      const r = new BodyReader(body, 'CopyFail');
      return { type: 'CopyFail', message: r.cstring() };
    }
    case 0x70: return { type: 'Password', data: body.slice() }; // 'p'
    case 0x46: return { type: 'FunctionCall' }; // 'F'
    default:
      throw new ProtocolError(`invalid frontend message type ${type}`);
  }
}

function emptyBody(body: Uint8Array, what: string, msg: FrontendMessage): FrontendMessage {
  if (body.byteLength !== 0) throw new ProtocolError(`invalid message format: ${what} message has a body`);
  return msg;
}

function decodeParse(body: Uint8Array): FrontendMessage {
  const r = new BodyReader(body, 'Parse');
  const name = r.cstring();
  const sql = r.cstring();
  const count = r.count16();
  const paramOids: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) paramOids[i] = r.int32() >>> 0;
  r.done();
  return { type: 'Parse', name, sql, paramOids };
}

function decodeBind(body: Uint8Array): FrontendMessage {
  const r = new BodyReader(body, 'Bind');
  const portal = r.cstring();
  const statement = r.cstring();
  const formatCount = r.count16();
  const paramFormats: number[] = new Array<number>(formatCount);
  for (let i = 0; i < formatCount; i++) paramFormats[i] = checkFormat(r.int16());
  const paramCount = r.count16();
  const params: RawParam[] = new Array<RawParam>(paramCount);
  for (let i = 0; i < paramCount; i++) {
    const len = r.int32();
    if (len < -1) throw new ProtocolError(`invalid message format: parameter length ${len}`);
    // Copied: the receive buffer the body lives in is reused after this message.
    params[i] = len === -1 ? null : r.bytes(len).slice();
  }
  const resultCount = r.count16();
  const resultFormats: number[] = new Array<number>(resultCount);
  for (let i = 0; i < resultCount; i++) resultFormats[i] = checkFormat(r.int16());
  r.done();
  if (formatCount > 1 && formatCount !== paramCount) {
    throw new ProtocolError(`bind message has ${formatCount} parameter formats but ${paramCount} parameters`);
  }
  return { type: 'Bind', portal, statement, paramFormats, params, resultFormats };
}

function checkFormat(f: number): number {
  if (f !== 0 && f !== 1) throw new ProtocolError(`unsupported format code: ${f}`, '22023');
  return f;
}

const SHRINK_ABOVE_BYTES = 1024 * 1024;

/**
 * Accumulates received bytes and cuts them into packets. Before startup completes packets have no
 * type byte; afterwards each is Byte1 type + Int32 length (including itself) + body.
 */
export class Framer {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  /** True until the startup packet has been taken (packets without a type byte). */
  startupPhase = true;

  /** Bytes received and not yet taken as complete packets. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.byteLength > this.buf.byteLength) {
      const pending = this.end - this.start;
      if (pending + chunk.byteLength <= this.buf.byteLength) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(pending + chunk.byteLength, this.buf.byteLength * 2, 8192));
        next.set(this.buf.subarray(this.start, this.end), 0);
        this.buf = next;
      }
      this.start = 0;
      this.end = pending;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.byteLength;
  }

  /**
   * The next complete packet as { type, body } (type 0 in the startup phase), or null when more
   * bytes are needed. The body is a view valid until the next push.
   */
  next(): { type: number; body: Uint8Array } | null {
    const avail = this.end - this.start;
    const header = this.startupPhase ? 4 : 5;
    if (avail < header) return null;
    const b = this.buf;
    const s = this.start;
    const type = this.startupPhase ? 0 : b[s]!;
    const lenAt = this.startupPhase ? s : s + 1;
    const len = ((b[lenAt]! << 24) | (b[lenAt + 1]! << 16) | (b[lenAt + 2]! << 8) | b[lenAt + 3]!) >>> 0;
    const max = this.startupPhase ? Limits.pgStartupBytesMax : Limits.pgMessageBytesMax;
    if (len < 4 || (this.startupPhase && len < 8)) throw new ProtocolError(`invalid message length ${len}`);
    if (len > max) throw new ProtocolError(`invalid message length ${len}: the limit is ${max} bytes`);
    const total = len + (this.startupPhase ? 0 : 1);
    if (avail < total) return null;
    const body = b.subarray(s + header, s + total);
    this.start += total;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // Drop a buffer grown for one huge message once it is consumed (the body view stays valid:
      // it points into the old buffer).
      if (this.buf.byteLength > SHRINK_ABOVE_BYTES) this.buf = new Uint8Array(8192);
    }
    return { type, body };
  }
}
