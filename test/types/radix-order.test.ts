/**
 * The radix sort of numeric sort keys (src/types/radix-order.ts) yields exactly the stable order
 * of the comparator it stands in for: ASC/DESC per key, ties in input order, negatives, -0 = 0,
 * infinities, fractions and large magnitudes; and ORDER BY over many rows matches a reference.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { radixOrder } from '../../src/types/radix-order.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';
import { Oxibase } from '../../src/index.ts';

function reference(cols: Float64Array[], desc: boolean[], n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (let k = 0; k < cols.length; k++) {
      const x = cols[k]![a]!;
      const y = cols[k]![b]!;
      if (x !== y) return (x < y ? -1 : 1) * (desc[k] ? -1 : 1);
    }
    return a - b;
  });
  return order;
}

const SPECIAL = [0, -0, 1, -1, 0.5, -0.5, 2 ** 53, -(2 ** 53), 1e300, -1e300, Infinity, -Infinity, 5e-324, -5e-324];

test('radixOrder equals the stable comparator order', () => {
  const random = new SeededRandom(7);
  for (let round = 0; round < 40; round++) {
    const n = 1 + random.nextInt(6000);
    const keys = 1 + random.nextInt(3);
    const cols: Float64Array[] = [];
    const desc: boolean[] = [];
    for (let k = 0; k < keys; k++) {
      const col = new Float64Array(n);
      const kind = random.nextInt(4);
      for (let i = 0; i < n; i++) {
        if (kind === 0) col[i] = random.nextInt(5) - 2; // many ties, negatives
        else if (kind === 1) col[i] = (random.nextU32() - 2 ** 31) * 1000; // wide integers
        else if (kind === 2) col[i] = (random.next() - 0.5) * 10 ** random.nextInt(12);
        else col[i] = SPECIAL[random.nextInt(SPECIAL.length)]!;
      }
      cols.push(col);
      desc.push(random.nextInt(2) === 1);
    }
    const got = radixOrder(cols, desc, n);
    assert.ok(got !== null);
    assert.deepEqual(Array.from(got), reference(cols, desc, n), `round ${round}: ${keys} keys, desc ${desc.join()}`);
  }
});

test('ORDER BY over many numeric rows matches the comparator path, ties in input order', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t(id int, g int, x float8)');
  await db.query(`INSERT INTO t SELECT i, i % 7 - 3, CASE WHEN i % 11 = 0 THEN -0.0 ELSE ((i * 7919) % 1000) / 8.0 - 60 END
    FROM generate_series(1, 20000) i`);
  for (const order of ['x', 'x DESC', 'g, x DESC', 'g DESC, x']) {
    const rows = (await db.queryArrays(`SELECT id, g, x FROM t ORDER BY ${order}`)).rows as number[][];
    const keyed = rows.map((r) => r);
    const expected = [...keyed].sort((a, b) => {
      for (const part of order.split(', ')) {
        const [col, dir] = part.split(' ');
        const i = col === 'g' ? 1 : 2;
        const c = (a[i]! < b[i]! ? -1 : a[i]! > b[i]! ? 1 : 0) * (dir === 'DESC' ? -1 : 1);
        if (c !== 0) return c;
      }
      return a[0]! - b[0]!; // generate_series inserted ids in order: ties keep it
    });
    assert.deepEqual(rows, expected, order);
  }
  await db.close();
});
