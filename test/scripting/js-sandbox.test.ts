import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { Types } from '../../src/types/sql-type.ts';
import { SqlArray } from '../../src/types/array.ts';
import { javascriptLanguage as js } from '../../src/scripting/js/js-language.ts';
import { FakeHost, result, routine, simHost, throwsDb } from './fake-host.ts';


const text = { returnType: Types.text };

describe('JavaScript sandbox: escapes', () => {
  it('has no process, require, module loader or Node globals', () => {
    const host = simHost();
    const f = js.compile(routine(
      'return [typeof process, typeof require, typeof module, typeof Buffer, typeof setTimeout, typeof fetch,'
      + ' typeof globalThis.process, typeof WebAssembly, typeof std, typeof os].join(",");', text));
    assert.equal(f.call([], host), 'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined');
  });

  it('constructor chains reach only the sandbox\'s own Function', () => {
    const host = simHost();
    host.on('select 1', result([{ name: 'x', type: Types.int4 }], [[1]]));
    const chains = [
      'this.constructor.constructor("return typeof process")()',
      '(function(){}).constructor("return typeof process")()',
      'oxibase.query.constructor("return typeof process")()',
      'oxibase.constructor.constructor("return typeof require")()',
      'oxibase.query("select 1").constructor.constructor("return typeof process")()',
      'oxibase.query("select 1")[0].constructor.constructor("return typeof globalThis.process")()',
      'console.log.constructor("return typeof process")()',
      'Math.random.constructor("return typeof process")()',
      '(() => {}).constructor.constructor("return this")().process === undefined ? "undefined" : "leak"',
      'eval("typeof process")',
    ];
    for (const c of chains) {
      assert.equal(js.compile(routine(`return ${c};`, text)).call([], host), 'undefined', c);
    }
  });

  it('dynamic import and module loading fail', () => {
    const host = simHost();
    const f = js.compile(routine(
      'let out = "none"; import("node:fs").then(() => { out = "loaded"; }, (e) => { out = "rejected"; }); return out;', text));
    assert.equal(f.call([], host), 'none');
    throwsDb(() => js.compile(routine('import fs from "node:fs"; return 1;')), '42601');
    throwsDb(() => js.compile(routine('return require("fs");')).call([], host), 'P0001', /require.* is not defined/);
  });

  it('prototype pollution inside the sandbox does not reach the host', () => {
    const host = simHost();
    host.on('select 1', result([{ name: 'x', type: Types.int4 }], [[1]]));
    const f = js.compile(routine(
      'Object.prototype.polluted = "yes"; Array.prototype.polluted = "yes";\n'
      + 'const rows = oxibase.query("select 1"); rows.__proto__.polluted2 = "yes";\n'
      + 'oxibase.__proto__.polluted3 = "yes"; JSON.parse = () => ({x: 666});\n'
      + 'return {a: 1};', { returnType: Types.jsonb }));
    f.call([], host);
    const plain: Record<string, unknown> = {};
    assert.equal(plain['polluted'], undefined);
    assert.equal(([] as unknown as Record<string, unknown>)['polluted'], undefined);
    assert.equal(plain['polluted2'], undefined);
    assert.equal(plain['polluted3'], undefined);
    assert.deepEqual(JSON.parse('{"x":1}'), { x: 1 });
    // The protocol captured its helpers: results still decode after JSON.parse was replaced.
    const g = js.compile(routine('JSON.stringify = () => "{}"; JSON.parse = () => 1; return [1, 2];', {
      returnsSet: true,
    }));
    assert.deepEqual(g.call([], host), [1, 2]);
  });

  it('host values handed in are copies, not references', () => {
    const host = simHost();
    const arr = [1, 2];
    const f = js.compile(routine('a.push(3); a.constructor.prototype.evil = 1; return a.length;', {
      argNames: ['a'], argTypes: [{ oid: 1007, typmod: -1, elem: Types.int4 }],
    }));
    assert.equal(f.call([new SqlArray(arr)], host), 3);
    assert.deepEqual(arr, [1, 2]);
    assert.equal(([] as unknown as Record<string, unknown>)['evil'], undefined);
  });
});

describe('JavaScript sandbox: limits', () => {
  const limits = (cpuMillis: number, memoryBytes: number) => ({ limits: { cpuMillis, memoryBytes } });

  it('ends an infinite loop with 57014 and stays usable', () => {
    const host = new FakeHost();
    const f = js.compile(routine('if (n > 0) { while (true) {} } return 1;', {
      argNames: ['n'], argTypes: [Types.int4], ...limits(50, 0),
    }));
    throwsDb(() => f.call([1], host), '57014', /CPU time limit.*public\.f.*50 ms/);
    assert.equal(f.call([0], host), 1);
    // try/catch cannot swallow the interrupt.
    const g = js.compile(routine('for (;;) { try { while (true) {} } catch (e) {} }', limits(30, 0)));
    throwsDb(() => g.call([], host), '57014');
    assert.equal(f.call([0], host), 1);
  });

  it('applies the CPU limit per row in a batch', () => {
    const host = new FakeHost();
    const f = js.compile(routine('const end = Date.now() + 20; while (Date.now() < end) {} return n;', {
      argNames: ['n'], argTypes: [Types.int4], ...limits(60, 0),
    }));
    // Six rows of ~20 ms each: far over 60 ms in total, under it per row.
    const rows = Array.from({ length: 6 }, (_, i) => [i]);
    assert.deepEqual(f.callBatch!(rows, host), [0, 1, 2, 3, 4, 5]);
    const loop = js.compile(routine('if (n === 3) { while (true) {} } return n;', {
      argNames: ['n'], argTypes: [Types.int4], ...limits(40, 0),
    }));
    throwsDb(() => loop.callBatch!(rows, host), '57014');
  });

  it('cancels when the host reports a cancel', () => {
    const host = new FakeHost();
    host.cancel = new DbError('query_canceled', 'canceling statement due to user request');
    const f = js.compile(routine('while (true) {}', limits(0, 0)));
    throwsDb(() => f.call([], host), '57014', /user request/);
  });

  it('ends a memory bomb with 53200 and stays usable', () => {
    const host = new FakeHost();
    const f = js.compile(routine(
      'if (n === 0) return 0; const a = []; while (true) a.push(new Array(10000).fill(n)); ', {
        argNames: ['n'], argTypes: [Types.int4], ...limits(5000, 8 * 1024 * 1024),
      }));
    throwsDb(() => f.call([1], host), '53200', /out of memory in routine public\.f/);
    assert.equal(f.call([0], host), 0);
    const big = js.compile(routine('return "x".repeat(64 * 1024 * 1024).length;', limits(5000, 4 * 1024 * 1024)));
    throwsDb(() => big.call([], host), '53200');
    // Other routines are unaffected, and a runtime that hit its limit is freed cleanly (a leak
    // would abort the shared WASM module and take every routine with it).
    f.dispose();
    big.dispose();
    assert.equal(js.compile(routine('return 7;')).call([], host), 7);
  });

  it('turns deep recursion and deep nesting into 54001 and recovers', () => {
    const host = new FakeHost();
    const f = js.compile(routine('function r(n) { return r(n + 1) + 1; } return r(0);'));
    throwsDb(() => f.call([], host), '54001');
    const deep = js.compile(routine(
      'if (n === 0) return 1; return JSON.parse("[".repeat(200000) + "]".repeat(200000)).length;', {
        argNames: ['n'], argTypes: [Types.int4],
      }));
    throwsDb(() => deep.call([1], host), '54001');
    assert.equal(deep.call([0], host), 1);
  });
});
