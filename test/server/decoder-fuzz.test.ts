/**
 * Seeded fuzz test of the frontend message decoder: random bytes and mutated valid messages fed
 * through the framer and decoder in random chunk sizes either decode or throw ProtocolError —
 * never another exception, never a hang. Failures print the seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { Framer, ProtocolError, decodeMessage, decodeStartup } from '../../src/server/pg/frontend.ts';
import { message, startupPacket } from './helpers.ts';

const VALID: Buffer[] = [
  message('Q', Buffer.from('select 1\0')),
  message('P', Buffer.concat([Buffer.from('s\0select $1\0'), Buffer.from([0, 1, 0, 0, 0, 23])])),
  message('B', Buffer.concat([Buffer.from('\0s\0'), Buffer.from([0, 1, 0, 1, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0])])),
  message('D', Buffer.from('S\0')), message('E', Buffer.from([0, 0, 0, 0, 0])), message('S'), message('H'),
  message('C', Buffer.from('P\0')), message('d', Buffer.from('1\t2\n')), message('c'), message('f', Buffer.from('no\0')),
];

function feed(bytes: Uint8Array, rnd: SeededRandom, startup: boolean): number {
  const f = new Framer();
  f.startupPhase = startup;
  let decoded = 0;
  let pos = 0;
  try {
    while (pos < bytes.length) {
      const n = 1 + (rnd.nextU32() % 64);
      f.push(bytes.subarray(pos, pos + n));
      pos += n;
      for (;;) {
        const pkt = f.next();
        if (pkt === null) break;
        if (f.startupPhase) {
          const p = decodeStartup(pkt.body);
          if (p.kind === 'startup') f.startupPhase = false;
        } else {
          decodeMessage(pkt.type, pkt.body);
        }
        decoded++;
      }
    }
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
  }
  return decoded;
}

test('decoder fuzz: random and mutated input only ever raises ProtocolError', () => {
  const seed = Number(process.env['FUZZ_SEED'] ?? 20240601);
  const rnd = new SeededRandom(seed);
  try {
    for (let iter = 0; iter < 3000; iter++) {
      const parts: Buffer[] = [];
      const count = 1 + (rnd.nextU32() % 6);
      for (let i = 0; i < count; i++) parts.push(VALID[rnd.nextU32() % VALID.length]!);
      const bytes = Buffer.concat(parts);
      const mutations = rnd.nextU32() % 4;
      for (let m = 0; m < mutations; m++) bytes[rnd.nextU32() % bytes.length] = rnd.nextU32() & 0xff;
      feed(bytes, rnd, false);
      feed(Buffer.from(rnd.bytes(1 + (rnd.nextU32() % 200))), rnd, rnd.next() < 0.5);
      const sp = startupPacket({ user: 'u', database: 'd' });
      sp[rnd.nextU32() % sp.length] = rnd.nextU32() & 0xff;
      feed(sp, rnd, true);
    }
    // Unmutated messages all decode.
    assert.equal(feed(Buffer.concat(VALID), rnd, false), VALID.length);
  } catch (e) {
    console.error(`decoder fuzz failed with FUZZ_SEED=${seed}`);
    throw e;
  }
});
