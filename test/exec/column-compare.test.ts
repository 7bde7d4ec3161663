/**
 * `column op constant` and `column op $n` compile to a specialized comparison (plain numbers
 * compared inline). Each is checked against the mirrored form `constant op' column`, which takes
 * the general path, over values with NULL, NaN, -0, infinities, int8 beyond 2^53 and text.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';

const MIRROR: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' };

test('specialized column comparisons agree with the general path', async () => {
  const db = await Oxibase.open('memory://');
  await db.exec(`CREATE TABLE v (id int, f float8, i8 int8, s text);
    INSERT INTO v VALUES (1, 1.5, 1, 'a'), (2, 'NaN', 9007199254740993, 'b'), (3, '-0', -5, 'ab'),
      (4, 0, 9007199254740992, NULL), (5, 'Infinity', NULL, 'B'), (6, '-Infinity', 0, ''), (7, NULL, 2, 'a')`);
  const probes: [string, string, unknown][] = [
    ['f', "'NaN'::float8", 'NaN'], ['f', '0', 0], ['f', "'-0'::float8", -0], ['f', '1.5', 1.5],
    ['f', "'Infinity'::float8", Infinity], ['i8', '9007199254740992', 9007199254740992n], ['i8', '0', 0],
    ['s', "'a'", 'a'], ['s', "'B'", 'B'],
  ];
  for (const [col, literal, param] of probes) {
    for (const op of Object.keys(MIRROR)) {
      const general = (await db.queryArrays(`SELECT id FROM v WHERE ${literal} ${MIRROR[op]} ${col} ORDER BY id`)).rows;
      const constant = (await db.queryArrays(`SELECT id FROM v WHERE ${col} ${op} ${literal} ORDER BY id`)).rows;
      assert.deepEqual(constant, general, `${col} ${op} ${literal}`);
      const cast = col === 'f' ? 'float8' : col === 'i8' ? 'int8' : 'text';
      const withParam = (await db.queryArrays(`SELECT id FROM v WHERE ${col} ${op} $1::${cast} ORDER BY id`, [param])).rows;
      assert.deepEqual(withParam, general, `${col} ${op} $1 (${String(param)})`);
    }
  }
  // NULL on either side: unknown, so no row passes and NOT does not flip it.
  assert.deepEqual((await db.queryArrays('SELECT count(*) FROM v WHERE f < $1', [null])).rows, [[0]]);
  assert.deepEqual((await db.queryArrays('SELECT count(*) FROM v WHERE NOT (f < NULL)')).rows, [[0]]);
  assert.deepEqual((await db.queryArrays('SELECT count(*) FROM v WHERE NOT (f < 1)')).rows, [[3]]);
  await db.close();
});
