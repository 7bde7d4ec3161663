import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUuid, formatUuid, uuidFromBytes, compareUuid, uuidToBytes } from '../../src/types/uuid.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const canonical = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';

test('accepted input forms (PostgreSQL docs)', () => {
  for (const s of ['A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}',
    'a0eebc999c0b4ef8bb6d6bb9bd380a11', 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11',
    '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', canonical]) {
    assert.equal(formatUuid(parseUuid(s)), canonical, s);
  }
});

test('rejected input', () => {
  for (const s of ['', 'xyz', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111',
    '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11', ' ' + canonical,
    'a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11']) {
    assert.throws(() => parseUuid(s), { code: '22P02', message: `invalid input syntax for type uuid: "${s}"` }, s);
  }
});

test('v4 from random bytes, round trips, ordering (seeded)', () => {
  const seed = 99;
  const rnd = new SeededRandom(seed);
  let prev: string | null = null;
  for (let i = 0; i < 500; i++) {
    const u = uuidFromBytes(rnd.bytes(16));
    assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `seed ${seed}`);
    assert.equal(parseUuid(u.toUpperCase()), u, `seed ${seed} iteration ${i}`);
    if (prev !== null) {
      const a = uuidToBytes(prev);
      const b = uuidToBytes(u);
      let byteCmp = 0;
      for (let k = 0; k < 16 && byteCmp === 0; k++) byteCmp = Math.sign((a[k] ?? 0) - (b[k] ?? 0));
      assert.equal(compareUuid(prev, u), byteCmp, `seed ${seed} iteration ${i}`);
    }
    prev = u;
  }
});
