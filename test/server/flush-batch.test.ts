/**
 * FlushBatch: replies of one event-loop turn are written together at its end, once per
 * connection however often it was added (driven by the simulated environment's timers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimEnv } from '../../src/env/sim-env.ts';
import { FlushBatch } from '../../src/server/pg/flush-batch.ts';

test('replies added during a turn are flushed once each, at the end of the turn', () => {
  const sim = createSimEnv({ seed: 1 });
  const batch = new FlushBatch(sim.timers);
  const flushed: string[] = [];
  const a = { flush: () => flushed.push('a') };
  const b = { flush: () => flushed.push('b') };
  batch.add(a);
  batch.add(b);
  batch.add(a);
  assert.deepEqual(flushed, [], 'nothing is written before the turn ends');
  sim.timers.advance(0);
  assert.deepEqual(flushed, ['a', 'b']);
  batch.add(b);
  sim.timers.advance(0);
  assert.deepEqual(flushed, ['a', 'b', 'b'], 'a later turn flushes again');
  sim.timers.advance(0);
  assert.equal(flushed.length, 3, 'nothing pending, nothing written');
});
