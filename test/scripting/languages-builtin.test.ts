import { it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinLanguages } from '../../src/scripting/languages-builtin.ts';

it('lists the JavaScript, TypeScript and Python handlers, canonical name first, all trusted', () => {
  assert.deepEqual(builtinLanguages.map((l) => l.names), [['js', 'javascript'], ['ts', 'typescript'], ['python', 'py']]);
  assert.ok(builtinLanguages.every((l) => l.trusted));
  for (const l of builtinLanguages) for (const n of l.names) assert.equal(n, n.toLowerCase());
});
