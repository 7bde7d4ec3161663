/**
 * Runs the whole conformance corpus (select1-5 and evidence/*.test, with the exclusion list
 * applied) and asserts zero failures: the issue's target, kept by the test command. The corpus
 * sits beside the project (../shared/conformance); `npm run slt -- DIR` runs it with a report.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXCLUSIONS, exclusionIndex, runFileText } from '../../src/slt/index.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/conformance/sqllogictest', import.meta.url));
const excluded = exclusionIndex(EXCLUSIONS);

async function assertFilePasses(path: string, minPassed: number): Promise<void> {
  const lines = excluded.get(basename(path));
  const r = await runFileText(readFileSync(path, 'utf8'), lines === undefined ? {} : { excludedLines: lines });
  const first = r.failures[0];
  assert.equal(r.failed, 0, first ? `${path}:${first.line}\n${first.sql}\nexpected ${first.expected}\nactual ${first.actual}` : '');
  assert.ok(r.passed >= minPassed, `${path}: only ${r.passed} records passed`);
}

const SELECT_FILES: [string, number][] = [
  ['select1.test', 1031], ['select2.test', 1031], ['select3.test', 3351], ['select4.test', 3857], ['select5.test', 1436],
];

for (const [name, records] of SELECT_FILES) {
  test(`${name} passes completely`, { skip: !existsSync(CORPUS) && 'corpus not present' }, async () => {
    await assertFilePasses(join(CORPUS, name), records);
  });
}

test('evidence/*.test pass apart from the documented SQLite-only exclusions', { skip: !existsSync(CORPUS) && 'corpus not present' }, async () => {
  const dir = join(CORPUS, 'evidence');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.test')) await assertFilePasses(join(dir, name), 5);
  }
});
