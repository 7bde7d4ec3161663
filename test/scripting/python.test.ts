// One file for every Python test: the interpreter starts once per process (seconds), then each
// compile and call is fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { Types, arrayOf } from '../../src/types/sql-type.ts';
import { parseNumeric } from '../../src/types/numeric.ts';
import { SqlArray } from '../../src/types/array.ts';
import type { TriggerCall } from '../../src/scripting/language.ts';
import { pythonLanguage as py } from '../../src/scripting/python/python-language.ts';
import { FakeHost, result, routine, simHost, throwsDb } from './fake-host.ts';


const text = { language: 'python', returnType: Types.text };

describe('Python routines', () => {
  it('runs calculate_total with named arguments and the args tuple', () => {
    const host = simHost();
    const f = py.compile(routine('return price * (1 + tax)', {
      language: 'python', argNames: ['price', 'tax'], argTypes: [Types.int4, Types.float8], returnType: Types.float8,
    }));
    assert.equal(f.call([100, 0.25], host), 125);
    const g = py.compile(routine('return args[0] + args[1]', {
      language: 'python', argNames: [null, 'b'], argTypes: [Types.int4, Types.int4],
    }));
    assert.equal(g.call([2, 3], host), 5);
    assert.deepEqual(g.callBatch!([[1, 1], [2, null === null ? 2 : 0], [5, 5]], host), [2, 4, 10]);
  });

  it('maps SQL types to Python values exactly', () => {
    const host = simHost();
    const f = py.compile(routine(
      'return ",".join([type(a).__name__, type(b).__name__, str(b), type(c).__name__, str(c.tzinfo), str(c.microsecond),'
      + ' type(d).__name__, type(e).__name__, type(g).__name__, str(h), type(x).__name__])', {
        ...text,
        argNames: ['a', 'b', 'c', 'd', 'e', 'g', 'h', 'x'],
        argTypes: [Types.int8, Types.numeric, Types.timestamptz, Types.jsonb, arrayOf(Types.int4), Types.bytea, Types.bool, Types.float8],
      }));
    const jsonb = py.compile(routine('return {"k": [1, 2]}', { language: 'python', returnType: Types.jsonb })).call([], host);
    assert.equal(f.call([2n ** 60n, parseNumeric('1.50'), 1_700_000_000_123_456, jsonb, new SqlArray([1]),
      new Uint8Array([1]), true, 2], host), 'int,Decimal,1.50,datetime,UTC,123456,dict,list,bytes,True,float');
    const ret = (body: string, returnType = Types.int4) => py.compile(routine(body, { language: 'python', returnType })).call([], host);
    assert.equal(ret('return 2 ** 62', Types.int8), 2n ** 62n);
    assert.equal(String(ret('import decimal\nreturn decimal.Decimal("12345678901234567890.123")', Types.numeric)), '12345678901234567890.123');
    assert.equal(ret('import datetime\nreturn datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)', Types.timestamptz),
      Date.UTC(2024, 0, 2, 3, 4, 5) * 1000 + 678901);
    assert.deepEqual((ret('return [1, None, 3]', arrayOf(Types.int4)) as SqlArray).elems, [1, null, 3]);
    assert.deepEqual(ret('return b"\\x01\\x02"', Types.bytea), new Uint8Array([1, 2]));
    assert.equal(ret('return float("nan")', Types.float8), NaN);
    throwsDb(() => ret('return "abc"'), '22P02');
    throwsDb(() => ret('return object()'), 'P0001', /cannot convert a value of type object/);
  });

  it('returns sets from lists and generators, and rows from dicts', () => {
    const host = simHost();
    const gen = py.compile(routine('for i in range(n):\n    yield i * i', {
      language: 'python', argNames: ['n'], argTypes: [Types.int4], returnsSet: true,
    }));
    assert.deepEqual(gen.call([4], host), [0, 1, 4, 9]);
    const cols = [{ name: 'id', type: Types.int4 }, { name: 'label', type: Types.text }];
    const table = py.compile(routine('return [{"id": 1, "label": "a"}, (2, "b")]', {
      language: 'python', returnsSet: true, outColumns: cols,
    }));
    assert.deepEqual(table.call([], host), [[1, 'a'], [2, 'b']]);
  });

  it('reports syntax errors at compile time and run-time errors with their body line', () => {
    throwsDb(() => py.compile(routine('x = 1\nif x\n    return 2', { language: 'python' })), '42601', /line 2/);
    const e = throwsDb(() => py.compile(routine('x = 1\nreturn x.nope', { language: 'python' })).call([], simHost()),
      'P0001', /^AttributeError: 'int' object has no attribute 'nope'$/);
    assert.match(e.where ?? '', /Python function public\.f line 2, column \d+/);
    throwsDb(() => py.compile(routine('oxibase.error("dup", sqlstate="23505")', { language: 'python' })).call([], simHost()),
      '23505', /^dup$/);
    throwsDb(() => py.compile(routine('raise oxibase.Error("boom")', { language: 'python' })).call([], simHost()),
      'P0001', /^boom$/);
  });

  it('queries the host, propagates SQL errors, and lets scripts catch them', () => {
    const host = simHost();
    host.on('select v from t where k = $1', (params) => result([{ name: 'v', type: Types.numeric }], [[parseNumeric(`${String(params[0])}.5`)]]));
    host.on('bad', () => { throw new DbError('unique_violation', 'duplicate key'); });
    host.on('delete from t', { command: 'DELETE', rowCount: 2, fields: [], rows: [] });
    const f = py.compile(routine(
      'rows = oxibase.query("select v from t where k = $1", [k])\n'
      + 'n = oxibase.execute("delete from t")\n'
      + 'print("rows", len(rows), "deleted", n)\n'
      + 'oxibase.notice("hi", n)\n'
      + 'try:\n    oxibase.query("bad")\nexcept oxibase.SqlError as e:\n    return "%s %s %s" % (rows[0]["v"], e.sqlstate, e)',
      { ...text, argNames: ['k'], argTypes: [Types.int4] }));
    assert.equal(f.call([7], host), '7.5 23505 duplicate key');
    assert.deepEqual(host.printed, ['rows 1 deleted 2']);
    assert.deepEqual(host.logs, [{ level: 'notice', message: 'hi 2' }]);
    assert.deepEqual(host.queries[0]!.params, [7]);
    throwsDb(() => py.compile(routine('oxibase.query("bad")', { language: 'python' })).call([], host), '23505', /duplicate key/);
  });

  it('runs a with-block in a subtransaction that rolls back on an exception', () => {
    const host = simHost();
    const f = py.compile(routine(
      'try:\n    with oxibase.subtransaction():\n        raise ValueError("inner")\nexcept ValueError as e:\n    return str(e)', text));
    assert.equal(f.call([], host), 'inner');
    assert.deepEqual(host.subtransactions, { started: 1, rolledBack: 1 });
  });

  it('runs trigger functions with TD and NEW/OLD', () => {
    const host = simHost();
    const columns = [{ name: 'id', type: Types.int4 }, { name: 'name', type: Types.text }];
    const call = (over: Partial<TriggerCall>): TriggerCall => ({
      name: 'trg', when: 'BEFORE', level: 'ROW', op: 'INSERT', tableSchema: 'public', tableName: 'items',
      columns, oldRow: null, newRow: [1, 'bob'], args: ['x'], ...over,
    });
    const modify = py.compile(routine(
      'NEW["name"] = "%s/%s/%s/%s:%s" % (TG_OP, TD["when"], TG_TABLE_NAME, TG_ARGV[0], NEW["name"].upper())\nreturn NEW',
      { language: 'python', isTrigger: true }));
    assert.deepEqual(modify.callTrigger!(call({}), host), [1, 'INSERT/BEFORE/items/x:BOB']);
    const skip = py.compile(routine('return None', { language: 'python', isTrigger: true }));
    assert.equal(skip.callTrigger!(call({}), host), null);
    const ok = py.compile(routine('TD["new"]["id"] = 9\nreturn "MODIFY"', { language: 'python', isTrigger: true }));
    assert.deepEqual(ok.callTrigger!(call({}), host), [9, 'bob']);
  });

  it('is deterministic: random and time come from the host environment', () => {
    const body = 'import random, time\nreturn "%r %r" % (random.random(), time.time())';
    const a = py.compile(routine(body, text)).call([], simHost(3));
    const b = py.compile(routine(body, text)).call([], simHost(3));
    assert.equal(a, b);
  });

  it('cannot reach the JavaScript realm, the host file system or Node', () => {
    const host = simHost();
    const probe = (body: string) => py.compile(routine(body, text)).call([], host);
    for (const m of ['js', 'pyodide_js', 'pyodide.ffi', 'ctypes']) {
      throwsDb(() => probe(`import ${m}\nreturn "reached"`), 'P0001', /ImportError: module .* is not available/);
    }
    throwsDb(() => probe('return open("/etc/passwd").read()'), 'P0001', /FileNotFoundError/);
    assert.equal(probe('import os\nreturn repr(dict(os.environ))'), '{}');
    // Objects of the FFI are still reachable through sys.modules and gc, but lead nowhere.
    assert.equal(probe(
      'import sys\napi = sys.modules["pyodide_js._api"]\n'
      + 'return api.constructor.constructor("return typeof process + typeof require + typeof fetch + typeof Buffer")()'),
    'undefinedundefinedundefinedundefined');
    throwsDb(() => probe(
      'import sys\nm = sys.modules["pyodide_js._api"].public_api._module\n'
      + 'm.FS.mkdir("/mnt")\nm.FS.mount(m.FS.filesystems.NODEFS, {"root": "/"}, "/mnt")\nreturn open("/mnt/etc/hostname").read()'),
    'P0001', /AttributeError: NODEFS/);
    throwsDb(() => probe('import sys\nreturn str(sys.modules["pyodide_js._api"].loadBinaryFile("/etc/passwd"))'),
      'P0001', /AttributeError: loadBinaryFile/);
    assert.equal(probe(
      'import sys\napi = sys.modules["pyodide_js._api"]\n'
      + 'return api.constructor.constructor("try { return String(import(\\"node:fs\\")) } catch (e) { return \\"threw\\" }")()'),
    '[object Promise]'); // a promise that can never settle: the worker never returns to its event loop
  });

  it('ends infinite loops (57014) and memory bombs (53200), and stays usable', () => {
    const host = new FakeHost();
    const limits = (cpuMillis: number, memoryBytes: number) => ({ language: 'python', limits: { cpuMillis, memoryBytes } });
    const ok = py.compile(routine('return 1', { language: 'python' }));
    throwsDb(() => py.compile(routine('while True:\n    pass', limits(100, 0))).call([], host), '57014', /100 ms/);
    assert.equal(ok.call([], host), 1);
    throwsDb(() => py.compile(routine('x = []\nwhile True:\n    x.append("a" * 100000)', limits(60000, 32 << 20))).call([], host),
      '53200', /out of memory/);
    assert.equal(ok.call([], host), 1);
    throwsDb(() => py.compile(routine('def r(n):\n    return r(n + 1)\nreturn r(0)', limits(0, 0))).call([], host), '54001');
    host.cancel = new DbError('query_canceled', 'canceling statement due to user request');
    throwsDb(() => py.compile(routine('while True:\n    pass', limits(0, 0))).call([], host), '57014', /user request/);
    host.cancel = null;
    assert.equal(ok.call([], host), 1);
  });

  it('survives a script that swallows the interrupt: the interpreter is replaced', () => {
    const host = new FakeHost();
    const ok = py.compile(routine('return 2', { language: 'python' }));
    const stubborn = py.compile(routine('while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass',
      { language: 'python', limits: { cpuMillis: 50, memoryBytes: 0 } }));
    throwsDb(() => stubborn.call([], host), '57014');
    // Routines compiled into the old interpreter recompile themselves into the new one.
    assert.equal(ok.call([], host), 2);
  });
});
