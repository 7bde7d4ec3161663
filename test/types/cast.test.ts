import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { defaultTypeContext as ctx } from '../../src/types/context.ts';
import { Types, numericTypmod, withTypmod, type SqlType } from '../../src/types/sql-type.ts';
import { canCoerce, castContextOf, findCast, type CastContext } from '../../src/types/cast.ts';
import { formatNumeric, parseNumeric, type NumericValue } from '../../src/types/numeric.ts';
import { INT8_MAX, INT8_MIN, canonInt8 } from '../../src/types/int.ts';

function cast(from: SqlType, to: SqlType, v: unknown, context: CastContext = 'explicit'): unknown {
  const fn = findCast(from, to, context);
  assert.ok(fn !== null, `no cast ${from.oid} -> ${to.oid} (${context})`);
  return fn(v, ctx);
}
function errMsg(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof DbError) return `${e.code} ${e.message}`; throw e; }
  return 'no error';
}

test('pg_cast levels of the numeric tower', () => {
  assert.equal(castContextOf(Types.int4, Types.int8), 'implicit');
  assert.equal(castContextOf(Types.int8, Types.int4), 'assignment');
  assert.equal(castContextOf(Types.int4, Types.numeric), 'implicit');
  assert.equal(castContextOf(Types.numeric, Types.float8), 'implicit');
  assert.equal(castContextOf(Types.float8, Types.numeric), 'assignment');
  assert.equal(castContextOf(Types.float4, Types.float8), 'implicit');
  assert.equal(castContextOf(Types.int4, Types.bool), 'explicit');
  assert.equal(castContextOf(Types.int4, Types.text), 'assignment');
  assert.equal(castContextOf(Types.text, Types.int4), 'explicit');
  assert.equal(castContextOf(Types.unknown, Types.int4), 'implicit');
  assert.equal(castContextOf(Types.date, Types.timestamptz), 'implicit');
  assert.equal(castContextOf(Types.timestamptz, Types.date), 'assignment');
  assert.equal(castContextOf(Types.json, Types.jsonb), 'assignment');
  assert.equal(castContextOf(Types.bool, Types.date), null);
  assert.equal(castContextOf(Types.int4, Types.date), null);
  assert.ok(canCoerce(Types.int2, Types.float8, 'implicit'));
  assert.ok(!canCoerce(Types.int8, Types.int4, 'implicit'));
  assert.ok(canCoerce(Types.int8, Types.int4, 'assignment'));
  assert.equal(findCast(Types.text, Types.int4, 'assignment'), null);
});

test('numeric tower conversions', () => {
  assert.equal(cast(Types.int8, Types.int4, 5), 5);
  assert.equal(errMsg(() => cast(Types.int8, Types.int4, 2147483648)), '22003 integer out of range');
  assert.equal(cast(Types.float8, Types.int4, 2.5), 2);
  assert.equal(cast(Types.float8, Types.int4, 3.5), 4);
  assert.equal(cast(Types.numeric, Types.int4, parseNumeric('2.5')), 3);
  assert.equal(formatNumeric(cast(Types.float8, Types.numeric, 0.1) as NumericValue), '0.1');
  const n52 = withTypmod(Types.numeric, numericTypmod(5, 2));
  assert.equal(formatNumeric(cast(Types.int4, n52, 12) as NumericValue), '12.00');
  assert.equal(errMsg(() => cast(Types.int4, n52, 1000)), '22003 numeric field overflow');
  assert.equal(cast(Types.int4, Types.bool, 7), true);
  assert.equal(cast(Types.bool, Types.int4, false), 0);
  assert.equal(cast(Types.float8, Types.float4, 0.1), Math.fround(0.1));
  assert.equal(errMsg(() => cast(Types.float8, Types.float4, 1e300)), '22003 value out of range: overflow');
});

test('string casts, typmods and I/O conversion', () => {
  const vc3 = withTypmod(Types.varchar, 3);
  const ch4 = withTypmod(Types.bpchar, 4);
  assert.equal(cast(Types.text, vc3, 'abcdef', 'explicit'), 'abc');
  assert.equal(errMsg(() => cast(Types.text, vc3, 'abcdef', 'assignment')),
    '22001 value too long for type character varying(3)');
  assert.equal(cast(Types.text, vc3, 'abc   ', 'assignment'), 'abc');
  assert.equal(cast(Types.unknown, vc3, 'abcdef', 'explicit'), 'abc');
  assert.equal(cast(Types.text, ch4, 'ab', 'assignment'), 'ab  ');
  assert.equal(cast(ch4, Types.text, 'ab  ', 'implicit'), 'ab');
  assert.equal(cast(Types.bool, Types.text, true, 'assignment'), 'true');
  assert.equal(cast(Types.int8, Types.text, INT8_MIN, 'assignment'), '-9223372036854775808');
  assert.equal(cast(Types.float8, Types.text, 1e20, 'assignment'), '1e+20');
  assert.equal(cast(Types.text, Types.int4, ' 42 '), 42);
  assert.equal(cast(Types.unknown, Types.bool, 'yes', 'implicit'), true);
  assert.equal(errMsg(() => cast(Types.text, Types.int4, 'x')),
    '22P02 invalid input syntax for type integer: "x"');
  assert.equal(cast(Types.text, Types.name, 'a'.repeat(70), 'implicit'), 'a'.repeat(63));
});

test('cast round trips through text (seeded)', () => {
  const seed = 2024;
  const rng = new SeededRandom(seed);
  const toText = (t: SqlType) => findCast(t, Types.text, 'assignment');
  const fromText = (t: SqlType) => findCast(Types.text, t, 'explicit');
  const i8out = toText(Types.int8)!, i8in = fromText(Types.int8)!;
  const f8out = toText(Types.float8)!, f8in = fromText(Types.float8)!;
  const nout = toText(Types.numeric)!, nin = fromText(Types.numeric)!;
  const buf = new DataView(new ArrayBuffer(8));
  for (let iter = 0; iter < 5000; iter++) {
    const msg = `seed=${seed} iter=${iter}`;
    let big = BigInt.asIntN(64, (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32()));
    if (iter % 7 === 0) big = iter % 2 ? INT8_MAX : INT8_MIN;
    const i = canonInt8(big >> BigInt(rng.nextInt(64)));
    assert.equal(i8in(i8out(i, ctx), ctx), i, msg);
    buf.setUint32(0, rng.nextU32());
    buf.setUint32(4, rng.nextU32());
    const x = buf.getFloat64(0);
    if (!Number.isNaN(x)) assert.ok(Object.is(f8in(f8out(x, ctx), ctx), x), `${msg} x=${x}`);
    const n = parseNumeric(`${rng.nextInt(2) ? '-' : ''}${rng.nextU32()}.${rng.nextU32()}0`);
    const back = nin(nout(n, ctx), ctx) as NumericValue;
    assert.equal(formatNumeric(back), formatNumeric(n), msg);
  }
});
