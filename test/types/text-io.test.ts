import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { defaultTypeContext as ctx } from '../../src/types/context.ts';
import { Types, arrayOf, numericTypmod, withTypmod, type SqlType } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction, roundTripText } from '../../src/types/text-io.ts';

const rt = (t: SqlType, s: string) => roundTripText(t, s, ctx);

test('PostgreSQL text formats', () => {
  assert.equal(rt(Types.bool, 'yes'), 't');
  assert.equal(rt(Types.int8, '9223372036854775807'), '9223372036854775807');
  assert.equal(rt(Types.numeric, '1.50'), '1.50');
  assert.equal(rt(withTypmod(Types.numeric, numericTypmod(5, 2)), '1.5'), '1.50');
  assert.equal(rt(Types.float8, '1e20'), '1e+20');
  assert.equal(rt(Types.float4, '0.1'), '0.1');
  assert.equal(rt(withTypmod(Types.bpchar, 3), 'a'), 'a  ');
  assert.equal(rt(Types.date, '2024-01-31'), '2024-01-31');
  assert.equal(rt(Types.timestamp, '2024-01-31 12:00:00'), '2024-01-31 12:00:00');
  assert.equal(rt(Types.timestamptz, '2024-01-31 12:00:00+00'), '2024-01-31 12:00:00+00');
  assert.equal(rt(Types.interval, '1 day 2 hours'), '1 day 02:00:00');
  assert.equal(rt(Types.bytea, '\\x0102'), '\\x0102');
  assert.equal(rt(Types.uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  assert.equal(rt(Types.jsonb, '{"b": 1, "a": 2}'), '{"a": 2, "b": 1}');
  assert.equal(rt(Types.json, '{"b": 1, "a": 2}'), '{"b": 1, "a": 2}');
  assert.equal(rt(arrayOf(Types.int4), '{1,2,NULL}'), '{1,2,NULL}');
  assert.equal(rt(arrayOf(Types.text), '{"a b",c}'), '{"a b",c}');
  assert.throws(() => rt(withTypmod(Types.varchar, 2), 'abc'), /value too long for type character varying\(2\)/);
});

test('parse(format(x)) == x for scalar types (seeded)', () => {
  const seed = 31337;
  const rng = new SeededRandom(seed);
  const gens: [SqlType, () => string][] = [
    [Types.int2, () => String((rng.nextU32() & 0xffff) - 32768)],
    [Types.int4, () => String(rng.nextU32() | 0)],
    [Types.int8, () => String(BigInt.asIntN(64, (BigInt(rng.nextU32()) << 32n) | BigInt(rng.nextU32())))],
    [Types.numeric, () => `${rng.nextU32()}.${String(rng.nextU32()).padStart(10, '0')}`],
    [Types.float8, () => String(rng.next() * 10 ** (rng.nextInt(60) - 30))],
    [Types.bool, () => (rng.nextInt(2) ? 't' : 'f')],
    [Types.text, () => String.fromCodePoint(...Array.from({ length: rng.nextInt(8) }, () => 32 + rng.nextInt(0x2000)))],
    [Types.date, () => `${1000 + rng.nextInt(8000)}-0${1 + rng.nextInt(9)}-1${rng.nextInt(9)}`],
    [Types.timestamp, () => `${1970 + rng.nextInt(100)}-1${rng.nextInt(3)}-2${rng.nextInt(8)} 1${rng.nextInt(10)}:3${rng.nextInt(10)}:0${rng.nextInt(10)}.${1 + rng.nextInt(9)}`],
  ];
  for (const [type, gen] of gens) {
    const input = inputFunction(type);
    const output = outputFunction(type);
    for (let iter = 0; iter < 500; iter++) {
      const s = output(input(gen(), ctx), ctx);
      assert.equal(output(input(s, ctx), ctx), s, `seed=${seed} type=${type.oid} iter=${iter} text=${s}`);
    }
  }
});

test('input functions with a typmod are shared per (type, typmod) and apply their own typmod', () => {
  const v3 = inputFunction(withTypmod(Types.varchar, 3));
  const v5 = inputFunction(withTypmod(Types.varchar, 5));
  assert.equal(inputFunction(withTypmod(Types.varchar, 3)), v3);
  assert.notEqual(v3, v5);
  assert.equal(v5('abcd', ctx), 'abcd');
  assert.throws(() => v3('abcd', ctx), { code: '22001' });
  // Same typmod, other types: each its own coercion.
  assert.equal(inputFunction(withTypmod(Types.bpchar, 3))('a', ctx), 'a  ');
  assert.equal(outputFunction(Types.numeric)(inputFunction(withTypmod(Types.numeric, numericTypmod(3, 1)))('1.25', ctx), ctx), '1.3');
  assert.equal(inputFunction(Types.varchar)('abcdefgh', ctx), 'abcdefgh');
});
