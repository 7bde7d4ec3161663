/**
 * Runs the conformance corpus files that are fast enough for the unit suite (select1.test and
 * evidence/*.test, with the exclusion list applied) and asserts zero failures. The full corpus
 * (select2-5) runs with `npm run slt -- /work/shared/conformance/sqllogictest`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXCLUSIONS, exclusionIndex, runFileText } from '../../src/slt/index.ts';

const CORPUS = '/work/shared/conformance/sqllogictest';
const excluded = exclusionIndex(EXCLUSIONS);

async function assertFilePasses(path: string, minPassed: number): Promise<void> {
  const lines = excluded.get(basename(path));
  const r = await runFileText(readFileSync(path, 'utf8'), lines === undefined ? {} : { excludedLines: lines });
  const first = r.failures[0];
  assert.equal(r.failed, 0, first ? `${path}:${first.line}\n${first.sql}\nexpected ${first.expected}\nactual ${first.actual}` : '');
  assert.ok(r.passed >= minPassed, `${path}: only ${r.passed} records passed`);
}

test('select1.test passes completely', { skip: !existsSync(CORPUS) && 'corpus not present' }, async () => {
  await assertFilePasses(join(CORPUS, 'select1.test'), 1031);
});

test('evidence/*.test pass apart from the documented SQLite-only exclusions', { skip: !existsSync(CORPUS) && 'corpus not present' }, async () => {
  const dir = join(CORPUS, 'evidence');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.test')) await assertFilePasses(join(dir, name), 5);
  }
});
