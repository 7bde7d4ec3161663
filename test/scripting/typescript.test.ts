import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { Types } from '../../src/types/sql-type.ts';
import { typescriptLanguage as ts } from '../../src/scripting/js/js-language.ts';
import { routine, simHost } from './fake-host.ts';

function compileFails(body: string, message: RegExp): DbError {
  try {
    ts.compile(routine(body, { language: 'ts', argNames: ['a'], argTypes: [Types.int4] }));
  } catch (e) {
    assert.ok(e instanceof DbError, String(e));
    assert.equal(e.code, '42601');
    assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a compile error');
}

describe('TypeScript routines', () => {
  it('strips types once at compile time and runs the JavaScript', () => {
    const f = ts.compile(routine(
      'interface Item { price: number }\n'
      + 'const items: Item[] = [{ price: a }, { price: 2 }];\n'
      + 'const total = items.reduce((s: number, i: Item): number => s + i.price, 0) as number;\n'
      + 'return total satisfies number;', { language: 'ts', argNames: ['a'], argTypes: [Types.int4] }));
    assert.equal(f.call([40], simHost()), 42);
  });

  it('supports syntax that needs transformation (enum)', () => {
    const f = ts.compile(routine('enum Color { Red, Green }\nreturn Color.Green + a;', {
      language: 'ts', argNames: ['a'], argTypes: [Types.int4],
    }));
    assert.equal(f.call([1], simHost()), 2);
  });

  it('reports syntax errors at compile time with the position inside the body', () => {
    compileFails('const x: = 1;\nreturn x;', /line 1, column 10 of TypeScript function public\.f/);
    compileFails('const y = 1;\n  const x: number = ;\nreturn x;', /line 2, column 21/);
  });

  it('keeps body positions for run-time errors (strip mode preserves columns)', () => {
    const f = ts.compile(routine('const n: number = a;\nconst o: { x: number } | null = null;\nreturn (o as any).x + n;', {
      language: 'ts', argNames: ['a'], argTypes: [Types.int4],
    }));
    try {
      f.call([1], simHost());
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof DbError);
      assert.equal(e.code, 'P0001');
      assert.match(e.where ?? '', /TypeScript function public\.f line 3, column \d+/);
    }
  });
});
