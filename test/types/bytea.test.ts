import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseBytea, formatBytea, compareBytea, byteaHashKey, formatByteaEscape,
} from '../../src/types/bytea.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

test('hex and escape input, hex output', () => {
  assert.equal(formatBytea(parseBytea('\\x0a0B')), '\\x0a0b');
  assert.equal(formatBytea(parseBytea('\\x 0a 0b ')), '\\x0a0b');
  assert.equal(formatBytea(parseBytea('\\x')), '\\x');
  assert.equal(formatBytea(parseBytea('abc\\000\\377')), '\\x61626300ff');
  assert.equal(formatBytea(parseBytea('a\\\\b')), '\\x615c62');
  assert.equal(formatBytea(parseBytea('é')), '\\xc3a9');
  assert.equal(formatBytea(parseBytea('')), '\\x');
  assert.equal(formatByteaEscape(parseBytea('\\x61005c7f')), 'a\\000\\\\\\177');
});

test('errors', () => {
  assert.throws(() => parseBytea('\\xzz'), { code: '22023', message: 'invalid hexadecimal digit: "z"' });
  assert.throws(() => parseBytea('\\x0'), { code: '22023', message: 'invalid hexadecimal data: odd number of digits' });
  assert.throws(() => parseBytea('a\\9'), { code: '22P02', message: 'invalid input syntax for type bytea' });
  assert.throws(() => parseBytea('a\\'), { code: '22P02' });
});

test('ordering: memcmp then length', () => {
  const b = (s: string): Uint8Array => parseBytea(s);
  assert.equal(compareBytea(b('\\x01'), b('\\x02')), -1);
  assert.equal(compareBytea(b('\\x0102'), b('\\x01')), 1);
  assert.equal(compareBytea(b('\\xff'), b('\\x0102')), 1);
  assert.equal(compareBytea(b('\\x'), b('\\x')), 0);
});

test('round trips and hash keys (seeded)', () => {
  const seed = 31337;
  const rnd = new SeededRandom(seed);
  for (let i = 0; i < 500; i++) {
    const v = rnd.bytes(rnd.nextInt(40));
    const back = parseBytea(formatBytea(v));
    assert.deepEqual(back, v, `seed ${seed} iteration ${i}`);
    assert.deepEqual(parseBytea(formatByteaEscape(v)), v, `seed ${seed} iteration ${i} (escape)`);
    assert.equal(byteaHashKey(back), byteaHashKey(v));
    assert.equal(compareBytea(back, v), 0);
  }
  assert.notEqual(byteaHashKey(parseBytea('\\x0001')), byteaHashKey(parseBytea('\\x01')));
});
