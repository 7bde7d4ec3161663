/**
 * INSERT / UPDATE / DELETE through automatically updatable views (PostgreSQL 15): writes reach the
 * base table, the view's WHERE limits UPDATE / DELETE, WITH [LOCAL | CASCADED] CHECK OPTION is
 * enforced (44000), RETURNING yields view columns, and non-updatable views fail with 55000 and
 * PostgreSQL's DETAIL / HINT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Oxibase } from '../../src/index.ts';
import { fails } from './helpers.ts';

async function setup(): Promise<Oxibase> {
  const db = await Oxibase.open('memory://');
  await db.query("CREATE TABLE base (a int PRIMARY KEY, b text DEFAULT 'Unspecified', c int)");
  await db.query("INSERT INTO base VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', 30)");
  await db.query('CREATE VIEW v AS SELECT a, b, c * 2 AS c2 FROM base WHERE a > 1');
  return db;
}

test('INSERT through a view fills base defaults; RETURNING yields the view columns', async () => {
  const db = await setup();
  const r = await db.query('INSERT INTO v (a) VALUES (4) RETURNING *');
  assert.deepEqual(r.rows, [{ a: 4, b: 'Unspecified', c2: null }]);
  assert.equal(r.commandTag, 'INSERT 0 1');
  await db.query("INSERT INTO v VALUES (5, 'five')");
  // Without a check option a row the view cannot see may be inserted (PostgreSQL allows it).
  await db.query("INSERT INTO v VALUES (0, 'zero')");
  assert.deepEqual((await db.query('SELECT * FROM base WHERE a IN (0, 4, 5) ORDER BY a')).rows, [
    { a: 0, b: 'zero', c: null }, { a: 4, b: 'Unspecified', c: null }, { a: 5, b: 'five', c: null },
  ]);
  await db.query("INSERT INTO v SELECT 6, 'six'");
  assert.deepEqual((await db.query('SELECT b FROM base WHERE a = 6')).rows, [{ b: 'six' }]);
  await db.close();
});

test('UPDATE and DELETE through a view apply its WHERE and return view columns', async () => {
  const db = await setup();
  const u = await db.query('UPDATE v SET b = upper(b) WHERE a < 4 RETURNING *');
  assert.deepEqual(u.rows, [{ a: 2, b: 'TWO', c2: 40 }, { a: 3, b: 'THREE', c2: 60 }]);
  const all = await db.query("UPDATE v SET b = b || '!'");
  assert.equal(all.commandTag, 'UPDATE 2', 'row 1 is outside the view');
  const d = await db.query('DELETE FROM v WHERE a = 1');
  assert.equal(d.commandTag, 'DELETE 0');
  const d2 = await db.query('DELETE FROM v WHERE c2 = 40 RETURNING a, c2');
  assert.deepEqual(d2.rows, [{ a: 2, c2: 40 }]);
  assert.deepEqual((await db.query('SELECT * FROM base ORDER BY a')).rows, [
    { a: 1, b: 'one', c: 10 }, { a: 3, b: 'THREE!', c: 30 },
  ]);
  const aliased = await db.query('UPDATE v AS x SET b = x.b || x.c2 WHERE x.a = 3 RETURNING x.b');
  assert.deepEqual(aliased.rows, [{ b: 'THREE!60' }]);
  await db.close();
});

test('UPDATE ... FROM and DELETE ... USING with a view target; SELECT * views; views on views', async () => {
  const db = await setup();
  await db.query('CREATE TABLE m (a int, nb text)');
  await db.query("INSERT INTO m VALUES (2, 'fromm'), (1, 'hidden')");
  const u = await db.query('UPDATE v SET b = m.nb FROM m WHERE v.a = m.a RETURNING v.a, v.b, m.nb');
  assert.deepEqual(u.rows, [{ a: 2, b: 'fromm', nb: 'fromm' }]);
  const d = await db.query('DELETE FROM v USING m WHERE v.a = m.a RETURNING v.a');
  assert.deepEqual(d.rows, [{ a: 2 }]);
  await db.query('CREATE VIEW vs AS SELECT * FROM base');
  const i = await db.query("INSERT INTO vs VALUES (20, 'twenty', 200) RETURNING *");
  assert.deepEqual(i.rows, [{ a: 20, b: 'twenty', c: 200 }]);
  // A view on a view: columns renamed and filtered at both levels.
  await db.query('CREATE VIEW vv (k, label) AS SELECT a, b FROM v WHERE a < 100');
  const vv = await db.query("UPDATE vv SET label = 'via-vv' WHERE k >= 3 RETURNING *");
  assert.deepEqual(vv.rows, [{ k: 3, label: 'via-vv' }, { k: 20, label: 'via-vv' }]);
  await db.query('INSERT INTO vv VALUES (50)');
  assert.deepEqual((await db.query('SELECT a, b FROM base WHERE a = 50')).rows, [{ a: 50, b: 'Unspecified' }]);
  await db.close();
});

test('WITH CHECK OPTION: LOCAL and CASCADED, on INSERT and UPDATE (44000)', async () => {
  const db = await setup();
  await db.query('CREATE VIEW vc AS SELECT a, b FROM base WHERE a < 10 WITH CHECK OPTION');
  await fails(db.query("INSERT INTO vc VALUES (11, 'x')"), '44000', 'new row violates check option for view "vc"',
    'Failing row contains (11, x, null).');
  assert.deepEqual((await db.query("INSERT INTO vc VALUES (9, 'x') RETURNING *")).rows, [{ a: 9, b: 'x' }]);
  await fails(db.query('UPDATE vc SET a = a + 100 WHERE a = 9'), '44000', 'new row violates check option for view "vc"',
    'Failing row contains (109, x, null).');
  // A view without its own option over a checked view is still checked (the lower view's option).
  await db.query('CREATE VIEW vc2 AS SELECT a FROM vc WHERE a > 0');
  await fails(db.query('INSERT INTO vc2 VALUES (50)'), '44000', 'new row violates check option for view "vc"');
  await db.query('INSERT INTO vc2 VALUES (-5)');
  // CASCADED checks the conditions of the views below, naming the view whose condition failed.
  await db.query('CREATE VIEW vc3 AS SELECT a, b FROM v WHERE a <> 7 WITH CASCADED CHECK OPTION');
  await fails(db.query("INSERT INTO vc3 VALUES (0, 'z')"), '44000', 'new row violates check option for view "v"');
  await fails(db.query("INSERT INTO vc3 VALUES (7, 'z')"), '44000', 'new row violates check option for view "vc3"');
  assert.deepEqual((await db.query("INSERT INTO vc3 VALUES (8, 'z') RETURNING *")).rows, [{ a: 8, b: 'z' }]);
  // LOCAL checks only the view's own condition.
  await db.query('CREATE VIEW vl AS SELECT a, b FROM v WHERE a <> 7 WITH LOCAL CHECK OPTION');
  await db.query("INSERT INTO vl VALUES (0, 'local')");
  await fails(db.query("INSERT INTO vl VALUES (7, 'z')"), '44000', 'new row violates check option for view "vl"');
  // A NULL condition fails the check too.
  await fails(db.query('INSERT INTO vc (b) VALUES (\'nokey\')'), '23502');
  assert.deepEqual((await db.query('SELECT a FROM base WHERE a IN (0, 7, 8, 9, 11, 50, 109, -5) ORDER BY a')).rows,
    [{ a: -5 }, { a: 0 }, { a: 8 }, { a: 9 }]);
  await db.close();
});

test('non-updatable columns: 0A000 naming the column', async () => {
  const db = await setup();
  const detail = 'View columns that are not columns of their base relation are not updatable.';
  await fails(db.query("INSERT INTO v (a, b, c2) VALUES (5, 'five', 1)"), '0A000', 'cannot insert into column "c2" of view "v"', detail);
  await fails(db.query("INSERT INTO v VALUES (5, 'five', 1)"), '0A000', 'cannot insert into column "c2" of view "v"', detail);
  await fails(db.query('UPDATE v SET c2 = 1'), '0A000', 'cannot update column "c2" of view "v"', detail);
  await fails(db.query('UPDATE v SET nope = 1'), '42703', 'column "nope" of relation "v" does not exist');
  await db.close();
});

test('non-updatable views fail with 55000 and PostgreSQL DETAIL and HINT', async () => {
  const db = await setup();
  const ins = 'To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule.';
  const upd = 'To enable updating the view, provide an INSTEAD OF UPDATE trigger or an unconditional ON UPDATE DO INSTEAD rule.';
  const del = 'To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an unconditional ON DELETE DO INSTEAD rule.';
  const cases: [string, string, string][] = [
    ['SELECT DISTINCT a, b FROM base', 'DISTINCT', 'Views containing DISTINCT are not automatically updatable.'],
    ['SELECT a, b FROM base GROUP BY a, b', 'GROUP', 'Views containing GROUP BY are not automatically updatable.'],
    ['SELECT 1 AS one FROM base HAVING max(a) > 0', 'HAVING', 'Views containing HAVING are not automatically updatable.'],
    ['SELECT count(*) FROM base', 'AGG', 'Views that return aggregate functions are not automatically updatable.'],
    ['SELECT a, rank() OVER () FROM base', 'WINDOW', 'Views that return window functions are not automatically updatable.'],
    ['SELECT a, b FROM base UNION SELECT -a, b FROM base', 'UNION', 'Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.'],
    ['WITH t AS (SELECT a, b FROM base) SELECT * FROM t', 'WITH', 'Views containing WITH are not automatically updatable.'],
    ['SELECT a, b FROM base ORDER BY a OFFSET 1', 'OFFSET', 'Views containing LIMIT or OFFSET are not automatically updatable.'],
    ['SELECT a, b FROM base ORDER BY a LIMIT 1', 'LIMIT', 'Views containing LIMIT or OFFSET are not automatically updatable.'],
    ['SELECT 1 AS a', 'NOREL', 'Views that do not select from a single table or view are not automatically updatable.'],
    ['SELECT b1.a, b2.b FROM base b1, base b2', 'TWO', 'Views that do not select from a single table or view are not automatically updatable.'],
    ['SELECT a, b FROM (SELECT * FROM base) AS t', 'SUB', 'Views that do not select from a single table or view are not automatically updatable.'],
  ];
  let n = 0;
  for (const [query, , detail] of cases) {
    const name = `ro${n++}`;
    await db.query(`CREATE VIEW ${name} AS ${query}`);
    await fails(db.query(`INSERT INTO ${name} VALUES (9)`), '55000', `cannot insert into view "${name}"`, detail, ins);
    await fails(db.query(`UPDATE ${name} SET a = 1`), '55000', `cannot update view "${name}"`, detail, upd);
    await fails(db.query(`DELETE FROM ${name}`), '55000', `cannot delete from view "${name}"`, detail, del);
  }
  // A view on a non-updatable view is not updatable either (the error names the lower view).
  await db.query('CREATE VIEW ro_on_ro AS SELECT * FROM ro0');
  await fails(db.query('DELETE FROM ro_on_ro'), '55000', 'cannot delete from view "ro0"', cases[0]![2]);
  // No updatable columns: INSERT / UPDATE refused, DELETE allowed (PostgreSQL).
  await db.query('CREATE VIEW ve AS SELECT a + 1 AS a1, upper(b) AS ub FROM base');
  await fails(db.query('INSERT INTO ve VALUES (1)'), '55000', 'cannot insert into view "ve"',
    'Views that have no updatable columns are not automatically updatable.', ins);
  assert.deepEqual((await db.query('DELETE FROM ve WHERE a1 = 3 RETURNING *')).rows, [{ a1: 3, ub: 'TWO' }]);
  assert.equal((await db.query('SELECT count(*)::int AS n FROM base')).rows[0]!.n, 2);
  await db.close();
});

test('data-modifying CTEs on views, and atomicity of a failing write through a view', async () => {
  const db = await setup();
  const r = await db.query('WITH d AS (DELETE FROM v WHERE a = 3 RETURNING *) SELECT a, c2 FROM d');
  assert.deepEqual(r.rows, [{ a: 3, c2: 60 }]);
  await db.query('CREATE VIEW vc AS SELECT a, b FROM base WHERE a < 10 WITH CHECK OPTION');
  await fails(db.query("INSERT INTO vc VALUES (4, 'ok'), (40, 'bad')"), '44000');
  assert.equal((await db.query('SELECT count(*)::int AS n FROM base WHERE a IN (4, 40)')).rows[0]!.n, 0);
  await fails(db.query("INSERT INTO v VALUES (1, 'dup')"), '23505');
  await fails(db.query("INSERT INTO v VALUES (9) ON CONFLICT DO NOTHING"), '0A000');
  await db.close();
});
