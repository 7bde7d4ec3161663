/**
 * Growable byte writer and bounds-checked reader for the WAL and checkpoint formats.
 * Integers are little-endian; `varuint` is LEB128 over non-negative safe integers (up to 2^53-1);
 * strings are UTF-8 prefixed by their byte length.
 *
 * Invariants:
 *  1. Every `ByteWriter.x(v)` has a `ByteReader.x()` that returns v (round trip).
 *  2. A reader never reads past its end: it throws `CodecError` instead (the caller turns that into
 *     XX001 with the file and offset).
 */
import { assert } from '../errors/index.ts';

export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  length = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
  }

  ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
  }

  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }

  varuint(v: number): void {
    assert(Number.isSafeInteger(v) && v >= 0, 'varuint needs a non-negative safe integer');
    this.ensure(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Zigzag varint for signed safe integers. */
  varint(v: number): void {
    this.varuint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  bytes(data: Uint8Array): void {
    this.varuint(data.length);
    this.raw(data);
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  string(s: string): void {
    // Worst case 3 bytes per UTF-16 unit; write the length after encoding.
    this.ensure(s.length * 3 + 5);
    if (s.length < 0x80 / 3) {
      const at = this.length++;
      const n = encoder.encodeInto(s, this.buf.subarray(this.length)).written;
      this.buf[at] = n;
      this.length += n;
      return;
    }
    const encoded = encoder.encode(s);
    this.bytes(encoded);
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export class ByteReader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new CodecError(`truncated data at byte ${this.pos} (need ${n})`);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 0x80;
    }
    throw new CodecError(`varint too long at byte ${this.pos}`);
  }

  varint(): number {
    const z = this.varuint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  bytes(): Uint8Array {
    const n = this.varuint();
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.varuint();
    this.need(n);
    let s: string;
    try {
      s = decoder.decode(this.buf.subarray(this.pos, this.pos + n));
    } catch {
      throw new CodecError(`invalid UTF-8 at byte ${this.pos}`);
    }
    this.pos += n;
    return s;
  }
}
