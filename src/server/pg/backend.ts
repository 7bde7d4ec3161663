/**
 * Backend (server -> client) message encoding into one reusable, growable buffer per
 * connection. Messages are appended and the buffer is handed to the socket on flush (at
 * ReadyForQuery, Flush, CopyOut chunks, or when it grows past a threshold).
 *
 * Invariants:
 * - A message is written between begin() and end(); end() patches the Int32 length, which counts
 *   itself and the body but not the type byte. Messages never nest.
 * - take() returns bytes the caller owns (the socket keeps them until written): small outputs are
 *   copied out, large ones hand the buffer over and a fresh one is allocated.
 */
import type { DbError } from '../../errors/index.ts';
import type { Notice } from '../../api/types.ts';

const INITIAL_BYTES = 16 * 1024;
const HAND_OVER_ABOVE_BYTES = 64 * 1024;
const ASCII_FAST_PATH_CHARS = 64;
const encoder = new TextEncoder();

export class BackendWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private msgStart = -1;

  constructor() {
    this.buf = new Uint8Array(INITIAL_BYTES);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.byteLength) return;
    let cap = this.buf.byteLength * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  begin(type: number): void {
    if (this.msgStart !== -1) throw new Error('BackendWriter: message already open');
    this.ensure(5);
    this.buf[this.pos] = type;
    this.msgStart = this.pos + 1;
    this.pos += 5;
  }

  end(): void {
    if (this.msgStart === -1) throw new Error('BackendWriter: no message open');
    this.view.setInt32(this.msgStart, this.pos - this.msgStart);
    this.msgStart = -1;
  }

  byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  int16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }

  int32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  /** UTF-8 text without terminator; returns the byte length written. */
  text(s: string): number {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.buf;
    const at = this.pos;
    if (n <= ASCII_FAST_PATH_CHARS) {
      // Short ASCII values (numbers, tags, names) are the common case: no encoder call.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) {
        this.pos += n;
        return n;
      }
    }
    const written = encoder.encodeInto(s, buf.subarray(at)).written;
    this.pos += written;
    return written;
  }

  cstring(s: string): void {
    this.text(s);
    this.byte(0);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }

  /** A length-prefixed text value (DataRow column, CopyData). */
  lengthPrefixedText(s: string): void {
    const at = this.pos;
    this.int32(0);
    const n = this.text(s);
    this.view.setInt32(at, n);
  }

  /** Everything written so far, owned by the caller; the writer is empty afterwards. */
  take(): Uint8Array {
    if (this.msgStart !== -1) throw new Error('BackendWriter: take() inside a message');
    let out: Uint8Array;
    if (this.pos > HAND_OVER_ABOVE_BYTES) {
      out = this.buf.subarray(0, this.pos);
      this.buf = new Uint8Array(INITIAL_BYTES);
      this.view = new DataView(this.buf.buffer);
    } else {
      out = this.buf.slice(0, this.pos);
    }
    this.pos = 0;
    return out;
  }

  // ---- whole messages ----

  authenticationOk(): void { this.begin(0x52); this.int32(0); this.end(); }

  parameterStatus(name: string, value: string): void {
    this.begin(0x53); this.cstring(name); this.cstring(value); this.end();
  }

  backendKeyData(pid: number, key: number): void {
    this.begin(0x4b); this.int32(pid); this.int32(key); this.end();
  }

  readyForQuery(status: 'I' | 'T' | 'E'): void {
    this.begin(0x5a); this.byte(status.charCodeAt(0)); this.end();
  }

  commandComplete(tag: string): void { this.begin(0x43); this.cstring(tag); this.end(); }
  emptyQueryResponse(): void { this.begin(0x49); this.end(); }
  parseComplete(): void { this.begin(0x31); this.end(); }
  bindComplete(): void { this.begin(0x32); this.end(); }
  closeComplete(): void { this.begin(0x33); this.end(); }
  noData(): void { this.begin(0x6e); this.end(); }
  portalSuspended(): void { this.begin(0x73); this.end(); }
  copyDone(): void { this.begin(0x63); this.end(); }

  parameterDescription(oids: readonly number[]): void {
    this.begin(0x74);
    this.int16(oids.length);
    for (const oid of oids) this.int32(oid);
    this.end();
  }

  /** CopyInResponse ('G') / CopyOutResponse ('H'): overall format and per-column formats. */
  copyResponse(type: 'G' | 'H', binary: boolean, columnCount: number): void {
    this.begin(type.charCodeAt(0));
    this.byte(binary ? 1 : 0);
    this.int16(columnCount);
    for (let i = 0; i < columnCount; i++) this.int16(binary ? 1 : 0);
    this.end();
  }

  notificationResponse(pid: number, channel: string, payload: string): void {
    this.begin(0x41); this.int32(pid); this.cstring(channel); this.cstring(payload); this.end();
  }

  error(e: ErrorFields, severity: 'ERROR' | 'FATAL'): void {
    this.begin(0x45);
    this.fields(severity, e);
    this.end();
  }

  notice(n: Notice): void {
    this.begin(0x4e);
    this.fields(n.severity, { code: n.code, message: n.message, detail: n.detail, hint: n.hint });
    this.end();
  }

  private fields(severity: string, e: ErrorFields): void {
    this.field(0x53, severity); // S: localized severity
    this.field(0x56, severity); // V: non-localized severity
    this.field(0x43, e.code);
    this.field(0x4d, e.message);
    if (e.detail !== undefined) this.field(0x44, e.detail);
    if (e.hint !== undefined) this.field(0x48, e.hint);
    if (e.position !== undefined) this.field(0x50, String(e.position));
    if (e.where !== undefined) this.field(0x57, e.where);
    if (e.schema !== undefined) this.field(0x73, e.schema);
    if (e.table !== undefined) this.field(0x74, e.table);
    if (e.column !== undefined) this.field(0x63, e.column);
    if (e.constraint !== undefined) this.field(0x6e, e.constraint);
    this.byte(0);
  }

  private field(code: number, value: string): void {
    this.byte(code);
    this.cstring(value);
  }
}

/** The fields of an ErrorResponse; a DbError has all of them. */
export type ErrorFields = Pick<DbError, 'code' | 'message'> & {
  readonly detail?: string | undefined; readonly hint?: string | undefined;
  readonly position?: number | undefined; readonly where?: string | undefined;
  readonly schema?: string | undefined; readonly table?: string | undefined;
  readonly column?: string | undefined; readonly constraint?: string | undefined;
};

/**
 * An SQL-level error whose SQLSTATE the shared table (src/errors/sqlstate.ts) does not name yet
 * (portals: 42P03, 34000; COPY data: 22P04). Reported as a normal ErrorResponse, never fatal.
 */
export class WireSqlError extends Error {
  readonly code: string;
  readonly where: string | undefined;
  constructor(code: string, message: string, where?: string) {
    super(message);
    this.name = 'WireSqlError';
    this.code = code;
    this.where = where;
  }
}
