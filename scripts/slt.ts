/**
 * sqllogictest command line: `node scripts/slt.ts [--verbose] [--failures=N] FILE_OR_DIR...`.
 * Runs every .test file (directories recursively, sorted) on a fresh in-memory database, prints
 * `file: N passed, N failed, N skipped` per file with its first failures, and a last line
 * `N passed, N failed, N skipped`; exits 1 when any record failed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EXCLUSIONS, exclusionIndex, runFileText, type Failure } from '../src/slt/index.ts';

function collect(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test')) {
    out.push(path);
  }
}

function indent(s: string): string {
  return s.split('\n').map((l) => `      ${l}`).join('\n');
}

function printFailure(file: string, f: Failure): void {
  console.log(`  FAIL ${file}:${f.line}`);
  console.log(indent(f.sql));
  console.log('    expected:');
  console.log(indent(f.expected));
  console.log('    actual:');
  console.log(indent(f.actual));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const shownArg = args.find((a) => a.startsWith('--failures='));
  const shown = verbose ? Infinity : Number(shownArg?.slice('--failures='.length) ?? '3');
  const files: string[] = [];
  for (const a of args) if (!a.startsWith('--')) collect(a, files);
  if (files.length === 0) {
    console.error('usage: node scripts/slt.ts [--verbose] [--failures=N] FILE_OR_DIR...');
    return 2;
  }
  const excluded = exclusionIndex(EXCLUSIONS);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const started = performance.now();
    const lines = excluded.get(basename(file));
    const r = await runFileText(text, lines === undefined ? {} : { excludedLines: lines });
    const ms = Math.round(performance.now() - started);
    console.log(`${file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${ms} ms)`);
    for (const f of r.failures.slice(0, shown)) printFailure(file, f);
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
