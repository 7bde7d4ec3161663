/** Units: CRC32C, the value codec over every runtime representation, record framing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cUpdate } from '../../src/wal/crc32c.ts';
import { ByteReader, ByteWriter } from '../../src/wal/byte-io.ts';
import { decodeRow, encodeRow, valueFromBytes, valueToBytes } from '../../src/wal/value-codec.ts';
import { NumericValue, Numeric } from '../../src/types/numeric.ts';
import { Interval } from '../../src/types/interval.ts';
import { Jsonb, JsonbNumber, JsonbObject } from '../../src/types/json.ts';
import { SqlArray } from '../../src/types/array.ts';
import { findValidRecordAfter, frameRecord, scanRecords } from '../../src/wal/record.ts';

test('crc32c matches the standard check values', () => {
  const enc = new TextEncoder();
  assert.equal(crc32c(enc.encode('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  const data = enc.encode('The quick brown fox jumps over the lazy dog, twice over for slicing');
  for (let cut = 0; cut <= data.length; cut += 5) {
    assert.equal(crc32cUpdate(crc32cUpdate(0, data, 0, cut), data, cut), crc32c(data));
  }
});

const VALUES: unknown[] = [
  null, true, false, 0, 1, -1, 2147483647, -2147483648, 2147483648, 2 ** 53 - 1, -(2 ** 53 - 1),
  -0, 0.5, Math.fround(1.1), NaN, Infinity, -Infinity, 9007199254740993n, -9223372036854775808n,
  '', 'hello', 'ünïcödé ✓ 𝄞', 'x'.repeat(100_000), new Uint8Array([0, 1, 255]),
  new NumericValue(new Numeric('1.5'), 2), new NumericValue(new Numeric('-123456789012345678901234567890.000001'), 6),
  new NumericValue(new Numeric(NaN), 0), new NumericValue(new Numeric(-Infinity), 0),
  new Interval(14, -3, 86_400_000_001), new Interval(0, 0, 0.5),
  new Jsonb(new JsonbObject(['a', 'b'], [[null, true, false, 'x', new JsonbNumber('1.50')], new JsonbObject([], [])])),
  new Jsonb('plain'), new Jsonb(null),
  new SqlArray([1, null, 3]), new SqlArray([]), new SqlArray(['a', 'b', 'c', 'd'], [2, 2], [0, 5]),
  new SqlArray([new SqlArray([1])]), undefined,
];

test('value codec round-trips every runtime representation', () => {
  for (const v of VALUES) {
    const back = valueFromBytes(valueToBytes(v));
    if (typeof v === 'number' && Number.isNaN(v)) assert.ok(Number.isNaN(back));
    else if (typeof v === 'number') assert.ok(Object.is(back, v), `number ${v}`);
    else assert.deepEqual(back, v);
    if (v !== null && typeof v === 'object') assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(v));
  }
  const w = new ByteWriter(4);
  encodeRow(w, VALUES);
  const r = new ByteReader(w.finish());
  assert.equal(decodeRow(r).length, VALUES.length);
  assert.ok(r.done);
  // int8 canonical form survives: a safe integer never comes back as a bigint.
  assert.equal(typeof valueFromBytes(valueToBytes(2 ** 40)), 'number');
});

test('value codec rejects unknown representations and truncated data', () => {
  assert.throws(() => valueToBytes(new Map()));
  const bytes = valueToBytes('hello world');
  assert.throws(() => valueFromBytes(bytes.subarray(0, 5)));
});

test('record framing: scan stops at a torn tail and finds records after corruption', () => {
  const recs = [1, 2, 3].map((n) => frameRecord(new Uint8Array(10 * n).fill(n)));
  const all = new Uint8Array(recs.reduce((a, r) => a + r.length, 0));
  let at = 0;
  for (const r of recs) { all.set(r, at); at += r.length; }
  const ok = scanRecords(all);
  assert.equal(ok.records.length, 3);
  assert.equal(ok.problem, null);
  // Torn: cut the last record anywhere.
  for (let cut = recs[0]!.length + recs[1]!.length; cut < all.length; cut++) {
    const s = scanRecords(all.subarray(0, cut));
    assert.equal(s.records.length, 2);
    assert.equal(findValidRecordAfter(all.subarray(0, cut), s.validEnd), -1);
  }
  // Corrupt the middle record: the scan stops there and a valid record follows.
  const bad = all.slice();
  bad[recs[0]!.length + 12]! ^= 0x10;
  const s = scanRecords(bad);
  assert.equal(s.records.length, 1);
  assert.match(s.problem ?? '', /checksum/);
  assert.equal(findValidRecordAfter(bad, s.validEnd), recs[0]!.length + recs[1]!.length);
});
