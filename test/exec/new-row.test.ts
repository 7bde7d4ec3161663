/**
 * newRow: every call returns a fresh row of nulls of its own (rows are copies of one template
 * per width, which must never leak or change), at widths with and without a template.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRow } from '../../src/exec/new-row.ts';

test('newRow returns fresh rows of nulls that share nothing', () => {
  for (const n of [0, 1, 4, 17, 256, 257, 1000]) {
    const a = newRow(n);
    assert.deepEqual([...a], Array.from({ length: n }, () => null), `width ${n}: all null`);
    for (let i = 0; i < n; i++) a[i] = i * 1.5;
    a.push('extra');
    const b = newRow(n);
    assert.notEqual(a, b);
    assert.deepEqual(b, Array.from({ length: n }, () => null), `width ${n}: a change to an earlier row does not reach the next`);
    assert.equal(Object.isFrozen(b), false);
  }
});

test('an INSERT that names some columns leaves the others NULL, row after row', async () => {
  const { Oxibase } = await import('../../src/index.ts');
  const db = await Oxibase.open('memory://');
  try {
    await db.exec('CREATE TABLE t (a int, b text, c float8, d int)');
    const ins = await db.prepare('INSERT INTO t (b, d) VALUES ($1, $2)');
    for (let i = 0; i < 5; i++) await ins.queryArrays([`v${i}`, i]);
    await db.exec("INSERT INTO t VALUES (9, 'full', 2.5, 9)");
    await ins.queryArrays(['after', 7]);
    const rows = (await db.queryArrays('SELECT a, b, c, d FROM t ORDER BY d, b')).rows;
    assert.deepEqual(rows, [
      [null, 'v0', null, 0], [null, 'v1', null, 1], [null, 'v2', null, 2], [null, 'v3', null, 3],
      [null, 'v4', null, 4], [null, 'after', null, 7], [9, 'full', 2.5, 9],
    ]);
  } finally {
    await db.close();
  }
});
