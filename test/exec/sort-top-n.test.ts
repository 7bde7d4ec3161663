/**
 * Top-N sort (src/exec/operators/sort.ts): the bounded heap under ORDER BY ... LIMIT returns
 * exactly the first rows of the full stable sort, with ties, NULLs, DESC and OFFSET.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

test('ORDER BY ... LIMIT equals the prefix of the full sort', async () => {
  const db = await Oxibase.open('memory://');
  await db.query('CREATE TABLE t(id int, x int, y text)');
  await db.query(`INSERT INTO t SELECT g, CASE WHEN g % 17 = 0 THEN NULL ELSE (g * 37) % 101 END,
    'v' || (g % 5) FROM generate_series(1, 3000) g`);
  const orders = ['x', 'x DESC', 'x NULLS FIRST', 'x DESC NULLS LAST', 'y, x DESC', 'y DESC, x, id'];
  for (const order of orders) {
    const full = (await db.queryArrays(`SELECT id, x, y FROM t ORDER BY ${order}`)).rows;
    for (const [limit, offset] of [[0, 0], [1, 0], [10, 0], [10, 5], [250, 40], [5000, 0]] as const) {
      const sql = `SELECT id, x, y FROM t ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`;
      const top = (await db.queryArrays(sql)).rows;
      // Stable: ties keep input order in both paths, so even tied rows line up.
      assert.deepEqual(top, full.slice(offset, offset + limit), sql);
    }
  }
  await db.close();
});
