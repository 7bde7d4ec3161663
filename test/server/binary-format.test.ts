/**
 * Binary wire formats: every supported type written by the encoder reads back (through the
 * Bind-parameter decoder and the type's input function) to the same value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackendWriter } from '../../src/server/pg/backend.ts';
import { readBinaryParam, writeBinary } from '../../src/server/pg/binary-format.ts';
import { Oid, typeOf } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';
import type { TypeContext } from '../../src/types/context.ts';

const ctx: TypeContext = { timeZone: 'UTC', nowMicros: 0, extraFloatDigits: 1, intervalStyle: 'postgres' };

function roundTrip(oid: number, text: string): string {
  const t = typeOf(oid);
  const value = inputFunction(t)(text, ctx);
  const w = new BackendWriter();
  writeBinary(w, t, value, ctx);
  const bytes = w.take();
  const len = new DataView(bytes.buffer, bytes.byteOffset).getInt32(0);
  assert.equal(len, bytes.byteLength - 4);
  const back = readBinaryParam(oid, bytes.subarray(4), ctx);
  const again = typeof back === 'string' ? inputFunction(t)(back, ctx) : back instanceof Uint8Array || typeof back === 'boolean' ? back : inputFunction(t)(String(back), ctx);
  return outputFunction(t)(again, ctx);
}

test('binary formats round-trip', () => {
  const cases: [number, string][] = [
    [Oid.bool, 't'], [Oid.bool, 'f'], [Oid.int2, '-32768'], [Oid.int4, '2147483647'],
    [Oid.int8, '-9223372036854775808'], [Oid.int8, '12345678901234'], [Oid.float4, '1.5'], [Oid.float8, '-2.25e+100'],
    [Oid.numeric, '0'], [Oid.numeric, '-12.340'], [Oid.numeric, '10000'], [Oid.numeric, '0.00001'],
    [Oid.numeric, '123456789.987654321'], [Oid.numeric, 'NaN'], [Oid.numeric, '1e-20'], [Oid.numeric, '99990000'],
    [Oid.text, 'héllo'], [Oid.varchar, ''], [Oid.json, '{"a": [1, 2]}'], [Oid.jsonb, '{"a": [1, 2]}'],
    [Oid.bytea, '\\x00ff10'], [Oid.date, '2024-02-29'], [Oid.date, '1999-12-31'], [Oid.date, 'infinity'],
    [Oid.time, '12:34:56.789'], [Oid.timestamp, '2000-01-01 00:00:00.000001'], [Oid.timestamp, '1970-01-01 00:00:00'],
    [Oid.timestamptz, '2024-05-06 07:08:09.5+00'], [Oid.interval, '1 year 2 mons 3 days 04:05:06.7'],
    [Oid.uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ];
  for (const [oid, text] of cases) {
    const t = typeOf(oid);
    const expected = outputFunction(t)(inputFunction(t)(text, ctx), ctx);
    assert.equal(roundTrip(oid, text), expected, `${oid} ${text}`);
  }
});
