import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { Types, arrayOf } from '../../src/types/sql-type.ts';
import { parseNumeric } from '../../src/types/numeric.ts';
import type { TriggerCall } from '../../src/scripting/language.ts';
import { SqlArray } from '../../src/types/array.ts';
import { javascriptLanguage as js } from '../../src/scripting/js/js-language.ts';
import { FakeHost, result, routine, simHost, throwsDb } from './fake-host.ts';


describe('JavaScript routines: arguments and results', () => {
  it('runs the calculate_total example with named and positional arguments', () => {
    const host = simHost();
    const f = js.compile(routine('return price * (1 + tax);', {
      argNames: ['price', 'tax'], argTypes: [Types.int4, Types.float8], returnType: Types.float8,
    }));
    assert.equal(f.call([100, 0.25], host), 125);
    const g = js.compile(routine('return arguments[0] + args[1];', {
      argNames: [null, null], argTypes: [Types.int4, Types.int4],
    }));
    assert.equal(g.call([2, 3], host), 5);
    f.dispose();
    g.dispose();
  });

  it('maps SQL types to JavaScript values', () => {
    const host = simHost();
    const f = js.compile(routine(
      'return [typeof a, typeof b, typeof c, c instanceof Date, typeof d, Array.isArray(e), d.k, e[1], typeof g, g.length, typeof h].join(",");',
      {
        argNames: ['a', 'b', 'c', 'd', 'e', 'g', 'h'],
        argTypes: [Types.int8, Types.numeric, Types.timestamptz, Types.jsonb, arrayOf(Types.int4), Types.bytea, Types.bool],
        returnType: Types.text,
      }));
    const jsonb = js.compile(routine('return {k: 1}', { returnType: Types.jsonb }));
    const arg = jsonb.call([], host);
    const out = f.call([2n ** 60n, parseNumeric('1.5'),
      1_700_000_000_000_000, arg, new SqlArray([1, 2]), new Uint8Array([1, 2, 3]), true], host);
    assert.equal(out, 'bigint,number,object,true,object,true,1,2,object,3,boolean');
  });

  it('converts results to the declared type', () => {
    const host = simHost();
    const ret = (body: string, returnType = Types.int4) => js.compile(routine(body, { returnType })).call([], host);
    assert.equal(ret('return 7'), 7);
    assert.equal(ret('return "12"'), 12);
    assert.equal(ret('return 2n ** 62n', Types.int8), 2n ** 62n);
    assert.equal(ret('return 42', Types.text), '42');
    assert.equal(ret('return "x"', Types.text), 'x');
    assert.equal(ret('return "\\u0000"', Types.text), '\u0000');
    assert.equal(ret('return true', Types.bool), true);
    assert.equal(ret('return null'), null);
    assert.equal(ret('return undefined'), null);
    assert.equal(String(ret('return 1.25', Types.numeric)), '1.25');
    assert.equal(ret('return new Date(Date.UTC(2024, 0, 2))', Types.timestamptz), Date.UTC(2024, 0, 2) * 1000);
    assert.deepEqual((ret('return [1, null, 3]', arrayOf(Types.int4)) as SqlArray).elems, [1, null, 3]);
    assert.deepEqual(ret('return {a: [1, "x"]}', Types.json), '{"a":[1,"x"]}');
    throwsDb(() => ret('return "abc"'), '22P02', /integer/);
    throwsDb(() => ret('return 1e10'), '22003');
    throwsDb(() => ret('return {a: 1}'), '42804', /cannot convert an object to the result of public.f/);
    throwsDb(() => ret('return NaN'), '42804');
  });

  it('returns sets from arrays and generators, and rows from objects or arrays', () => {
    const host = simHost();
    const setOf = js.compile(routine('return [1, 2, n];', {
      argNames: ['n'], argTypes: [Types.int4], returnsSet: true,
    }));
    assert.deepEqual(setOf.call([9], host), [1, 2, 9]);
    const gen = js.compile(routine('function* g() { for (let i = 0; i < n; i++) yield i * i; } return g();', {
      argNames: ['n'], argTypes: [Types.int4], returnsSet: true,
    }));
    assert.deepEqual(gen.call([4], host), [0, 1, 4, 9]);
    const cols = [{ name: 'id', type: Types.int4 }, { name: 'label', type: Types.text }];
    const table = js.compile(routine('return [{id: 1, label: "a"}, [2, "b"], {id: 3}];', {
      returnsSet: true, outColumns: cols, returnType: Types.record,
    }));
    assert.deepEqual(table.call([], host), [[1, 'a'], [2, 'b'], [3, null]]);
    const bad = js.compile(routine('return [{id: 1, nope: 2}];', { returnsSet: true, outColumns: cols }));
    throwsDb(() => bad.call([], host), '42703', /no column "nope"/);
    const notIterable = js.compile(routine('return 5;', { returnsSet: true }));
    throwsDb(() => notIterable.call([], host), 'P0001', /array or an iterable/);
    const out = js.compile(routine('return {label: "x", id: 4};', { outColumns: cols, isProcedure: true }));
    assert.deepEqual(out.call([], host), [4, 'x']);
  });

  it('names unusable argument names positionally', () => {
    const f = js.compile(routine('return $1 + args[1];', {
      argNames: ['class', 'my arg'], argTypes: [Types.int4, Types.int4],
    }));
    assert.equal(f.call([1, 2], simHost()), 3);
  });

  it('callBatch gives the same answers as call, NULLs included', () => {
    const host = simHost();
    const f = js.compile(routine('return a === null ? -1 : a * 2 + (flag ? 1 : 0) + s.length;', {
      argNames: ['a', 'flag', 's'], argTypes: [Types.int4, Types.bool, Types.text],
    }));
    const rows = [[1, true, 'x'], [null, false, 'yy'], [5, null, ''], [7, false, 'abc']];
    assert.deepEqual(f.callBatch!(rows, host), rows.map((r) => f.call(r, host)));
    const t = js.compile(routine('return x === null ? null : "v" + x;', {
      argNames: ['x'], argTypes: [Types.float8], returnType: Types.text,
    }));
    assert.deepEqual(t.callBatch!([[1.5], [null], [Infinity]], host), ['v1.5', null, 'vInfinity']);
    const mixed = js.compile(routine('return x > 1 ? "7" : x;', { argNames: ['x'], argTypes: [Types.int4] }));
    assert.deepEqual(mixed.callBatch!([[1], [2]], host), [1, 7]);
    const boom = js.compile(routine('if (x === 2) throw new Error("two"); return x;', {
      argNames: ['x'], argTypes: [Types.int4],
    }));
    throwsDb(() => boom.callBatch!([[1], [2]], host), 'P0001', /two/);
  });
});

describe('JavaScript routines: errors', () => {
  it('reports syntax errors at compile time with the body position', () => {
    const e = throwsDb(() => js.compile(routine('let x = 1;\n  x = ;')), '42601', /line 2, column 7/);
    assert.match(e.where ?? '', /JavaScript function public\.f line 2, column 7/);
    throwsDb(() => js.compile(routine('return )')), '42601', /line 1, column 8/);
  });

  it('maps thrown errors to P0001 with the stack position, or to the thrown SQLSTATE', () => {
    const host = simHost();
    const e = throwsDb(() => js.compile(routine('const a = 1;\n  throw new TypeError("bad " + a);')).call([], host),
      'P0001', /^TypeError: bad 1$/);
    assert.match(e.where ?? '', /line 2, column \d+ \(in f\)/);
    const dup = throwsDb(() => js.compile(routine('throw {sqlstate: "23505", message: "dup", detail: "d"};')).call([], host),
      '23505', /^dup$/);
    assert.equal(dup.detail, 'd');
    throwsDb(() => js.compile(routine('throw "plain";')).call([], host), 'P0001', /^plain$/);
    throwsDb(() => js.compile(routine('throw new oxibase.SqlError("custom", "22012");')).call([], host), '22012', /custom/);
    throwsDb(() => js.compile(routine('function r(n) { return r(n + 1) + 1; } return r(0);')).call([], host), '54001');
  });
});

describe('JavaScript routines: host API', () => {
  it('runs queries in the caller\'s host and returns rows as objects', () => {
    const host = simHost();
    host.on('select id, name from t where id > $1 and name = $2', (params) => result(
      [{ name: 'id', type: Types.int8 }, { name: 'name', type: Types.text }],
      [[Number(params[0]) + 1, params[1]]]));
    const f = js.compile(routine(
      'const rows = oxibase.query("select id, name from t where id > $1 and name = $2", [n, "bob"]);\n'
      + 'return rows[0].id * 10 + rows.length;', { argNames: ['n'], argTypes: [Types.int4] }));
    assert.equal(f.call([4], host), 51);
    assert.deepEqual(host.queries[0]!.params, [4, 'bob']);
    assert.deepEqual(host.queries[0]!.types.map((t) => t.oid), [Types.int4.oid, Types.unknown.oid]);
  });

  it('execute returns the row count; log and console output reach the host', () => {
    const host = simHost();
    host.on('delete from t', { command: 'DELETE', rowCount: 3, fields: [], rows: [] });
    const f = js.compile(routine(
      'const n = oxibase.execute("delete from t");\n'
      + 'oxibase.log("notice", "deleted", n); oxibase.notice("done");\n'
      + 'console.log("rows:", n, {a: 1}); print("bye");\n'
      + 'return n;'));
    assert.equal(f.call([], host), 3);
    assert.deepEqual(host.logs, [{ level: 'notice', message: 'deleted 3' }, { level: 'notice', message: 'done' }]);
    assert.deepEqual(host.printed, ['rows: 3 {"a":1}', 'bye']);
    throwsDb(() => js.compile(routine('oxibase.log("loud", "x")')).call([], host), 'P0001', /unknown level/);
  });

  it('propagates SQL errors with their SQLSTATE, and lets the script catch them', () => {
    const host = simHost();
    host.on('insert', () => { throw new DbError('unique_violation', 'duplicate key', { detail: 'Key (id)=(1)' }); });
    const uncaught = js.compile(routine('oxibase.query("insert"); return 1;'));
    const e = throwsDb(() => uncaught.call([], host), '23505', /duplicate key/);
    assert.equal(e.detail, 'Key (id)=(1)');
    const caught = js.compile(routine(
      'try { oxibase.query("insert"); } catch (e) { return e.sqlstate + ":" + e.message; }', { returnType: Types.text }));
    assert.equal(caught.call([], host), '23505:duplicate key');
    throwsDb(() => js.compile(routine('oxibase.query(42)')).call([], host), 'P0001', /must be a string/);
  });

  it('runs a callback in a subtransaction that rolls back when it throws', () => {
    const host = simHost();
    const f = js.compile(routine(
      'try { oxibase.subtransaction(() => { throw new Error("inner"); }); } catch (e) { return e.message; }',
      { returnType: Types.text }));
    assert.equal(f.call([], host), 'inner');
    assert.deepEqual(host.subtransactions, { started: 1, rolledBack: 1 });
    const ok = js.compile(routine('return oxibase.subtransaction(() => 5);'));
    assert.equal(ok.call([], host), 5);
  });

  it('allows nested calls of the same routine through the host', () => {
    const host = simHost();
    const f = js.compile(routine('return n <= 0 ? 0 : n + oxibase.query("again", [n - 1])[0].v;', {
      argNames: ['n'], argTypes: [Types.int4],
    }));
    host.on('again', (params) => result([{ name: 'v', type: Types.int4 }], [[f.call(params, host)]]));
    assert.equal(f.call([4], host), 10);
    const g = js.compile(routine('return n <= 0 ? s : s + oxibase.query("again2", [n - 1, s + "!"])[0].v;', {
      argNames: ['n', 's'], argTypes: [Types.int4, Types.text], returnType: Types.text,
    }));
    host.on('again2', (params) => result([{ name: 'v', type: Types.text }], [[g.call(params, host)]]));
    assert.equal(g.call([2, 'a'], host), 'aa!a!!');
    assert.equal(g.call([0, 'z'], host), 'z');
    g.dispose(); // all argument values were released: disposing the runtime finds no leak
  });

  it('takes Math.random and Date from the host environment', () => {
    const body = 'return JSON.stringify([Math.random(), Date.now(), new Date().getTime()]);';
    const a = js.compile(routine(body, { returnType: Types.text })).call([], simHost(7));
    const b = js.compile(routine(body, { returnType: Types.text })).call([], simHost(7));
    assert.equal(a, b);
    const host = simHost(7);
    const [rnd, now, date] = JSON.parse(a as string) as number[];
    assert.equal(rnd, host.env.random.next());
    assert.equal(now, host.env.clock.nowMs());
    assert.equal(date, now);
    assert.equal(js.compile(routine('return new Date(86400000).getTime();')).call([], host), 86400000);
    assert.equal(js.compile(routine('return typeof Date() === "string" && new Date() instanceof Date'
      + ' && new Date(0).constructor === Date && Date.UTC(1970, 0, 2) === 86400000;', { returnType: Types.bool })).call([], host), true);
  });
});

describe('JavaScript routines: triggers', () => {
  const columns = [
    { name: 'id', type: Types.int4 }, { name: 'name', type: Types.text }, { name: 'at', type: Types.timestamptz },
  ];
  const call = (over: Partial<TriggerCall>): TriggerCall => ({
    name: 'trg', when: 'BEFORE' as const, level: 'ROW' as const, op: 'INSERT' as const,
    tableSchema: 'public', tableName: 'items', columns, oldRow: null, newRow: null, args: ['a1'], ...over,
  });

  it('exposes NEW/OLD and TG_* and maps the returned row back', () => {
    const host = simHost();
    const f = js.compile(routine(
      'NEW.name = [TG_OP, TG_WHEN, TG_LEVEL, TG_NAME, TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_ARGV[0]].join("/") + ":" + NEW.name.toUpperCase();\n'
      + 'return NEW;', { isTrigger: true, returnType: Types.record }));
    const at = 1_700_000_000_123_456; // microseconds: more precise than a Date
    const row = f.callTrigger!(call({ newRow: [1, 'bob', at] }), host);
    assert.deepEqual(row, [1, 'INSERT/BEFORE/ROW/trg/public/items/a1:BOB', at]);
  });

  it('skips the row on null, returns OLD on delete, and rejects unknown columns', () => {
    const host = simHost();
    const skip = js.compile(routine('return null;', { isTrigger: true }));
    assert.equal(skip.callTrigger!(call({ newRow: [1, 'a', 0] }), host), null);
    const old = js.compile(routine('return OLD;', { isTrigger: true }));
    assert.deepEqual(old.callTrigger!(call({ op: 'DELETE', oldRow: [2, 'b', 5] }), host), [2, 'b', 5]);
    const bad = js.compile(routine('NEW.nope = 1; return NEW;', { isTrigger: true }));
    throwsDb(() => bad.callTrigger!(call({ newRow: [1, 'a', 0] }), host), '42703', /nope/);
    const typed = js.compile(routine('NEW.id = "x"; return NEW;', { isTrigger: true }));
    throwsDb(() => typed.callTrigger!(call({ newRow: [1, 'a', 0] }), host), '22P02', /column "id"/);
  });
});

describe('JavaScript routines: isolation between routines', () => {
  it('gives each routine its own global scope', () => {
    const host = simHost();
    const f = js.compile(routine('globalThis.shared = 42; Object.prototype.leak = 1; return 1;'));
    const g = js.compile(routine('return typeof shared === "undefined" && ({}).leak === undefined ? 1 : 0;'));
    f.call([], host);
    assert.equal(g.call([], host), 1);
  });

  it('raises a clear error after dispose', () => {
    const f = js.compile(routine('return 1;'));
    f.dispose();
    throwsDb(() => f.call([], new FakeHost()), '55000', /dropped/);
  });
});
