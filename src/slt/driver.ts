/**
 * sqllogictest driver: runs parsed records against a fresh Oxibase database and tallies results.
 *
 * Invariants: every record ends as exactly one of passed / failed / skipped; an exception thrown
 * anywhere while running one record (engine bug, formatting bug) becomes that record's failure
 * and the file goes on; `halt` stops the file, leaving later records uncounted (as in SQLite's
 * runner).
 */
import { Oxibase } from '../api/index.ts';
import { conditionsAllow, parseRecords, type QueryRecord, type SltRecord } from './records.ts';
import { hashValues, parseHashLine, renderRows, sortedValues } from './format.ts';

export const ENGINE_NAME = 'oxibase';
export const DEFAULT_HASH_THRESHOLD = 8;

export interface Failure {
  readonly line: number;
  readonly sql: string;
  readonly expected: string;
  readonly actual: string;
}

export interface FileResult {
  passed: number;
  failed: number;
  skipped: number;
  readonly failures: Failure[];
}

export interface RunOptions {
  /** Lines (record first lines) to skip as excluded; null skips the whole file. */
  readonly excludedLines?: ReadonlySet<number> | null;
}

/** The minimal database surface the driver needs (Oxibase's embedded API provides it). */
export interface SltDatabase {
  queryArrays(sql: string): Promise<{ rows: unknown[][] }>;
  close(): Promise<void>;
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `ERROR ${code}: ${e.message}` : `${e.name}: ${e.message}`;
  }
  return String(e);
}

function summarize(values: readonly string[], threshold: number): string {
  if (threshold > 0 && values.length > threshold) {
    const head = values.slice(0, 40).join(' ');
    const more = values.length > 40 ? ' ...' : '';
    return `${values.length} values hashing to ${hashValues(values)}\n  [${head}${more}]`;
  }
  return values.join('\n');
}

class FileRun {
  readonly db: SltDatabase;
  readonly result: FileResult = { passed: 0, failed: 0, skipped: 0, failures: [] };
  hashThreshold = DEFAULT_HASH_THRESHOLD;
  readonly labels = new Map<string, string>();

  constructor(db: SltDatabase) {
    this.db = db;
  }

  fail(line: number, sql: string, expected: string, actual: string): void {
    this.result.failed++;
    this.result.failures.push({ line, sql, expected, actual });
  }

  async statement(sql: string, expectError: boolean, line: number): Promise<void> {
    try {
      await this.db.queryArrays(sql);
    } catch (e) {
      if (expectError) this.result.passed++;
      else this.fail(line, sql, 'statement ok', errorText(e));
      return;
    }
    if (expectError) this.fail(line, sql, 'statement error', 'statement succeeded');
    else this.result.passed++;
  }

  async query(rec: QueryRecord): Promise<void> {
    let rows: unknown[][];
    try {
      rows = (await this.db.queryArrays(rec.sql)).rows;
    } catch (e) {
      this.fail(rec.line, rec.sql, rec.expected.join('\n'), errorText(e));
      return;
    }
    const width = rows[0]?.length ?? rec.types.length;
    if (width !== rec.types.length) {
      this.fail(rec.line, rec.sql, `${rec.types.length} columns`, `${width} columns`);
      return;
    }
    const values = sortedValues(renderRows(rows, rec.types), rec.sort);
    const hash = hashValues(values);
    if (!this.matches(rec, values, hash)) {
      this.fail(rec.line, rec.sql, rec.expected.join('\n'), summarize(values, this.hashThreshold));
      return;
    }
    if (rec.label !== null) {
      const prev = this.labels.get(rec.label);
      if (prev !== undefined && prev !== hash) {
        this.fail(rec.line, rec.sql, `label ${rec.label} hash ${prev}`, `hash ${hash}`);
        return;
      }
      this.labels.set(rec.label, hash);
    }
    this.result.passed++;
  }

  matches(rec: QueryRecord, values: readonly string[], hash: string): boolean {
    const hashed = parseHashLine(rec.expected);
    if (hashed !== null) return hashed.count === values.length && hashed.hash === hash;
    if (rec.expected.length !== values.length) return false;
    // Expected values keep their text exactly; trailing blanks are not significant.
    return rec.expected.every((e, idx) => e.trimEnd() === values[idx]);
  }

  /** Runs one record; returns false when the file must stop (halt). */
  async run(rec: SltRecord): Promise<boolean> {
    switch (rec.kind) {
      case 'statement':
        await this.statement(rec.sql, rec.expectError, rec.line);
        return true;
      case 'query':
        await this.query(rec);
        return true;
      case 'hash-threshold':
        this.hashThreshold = rec.threshold;
        return true;
      case 'halt':
        return false;
      case 'unknown':
        this.result.skipped++;
        return true;
    }
  }
}

/** Runs already-parsed records on `db`. */
export async function runRecords(
  records: readonly SltRecord[], db: SltDatabase, options: RunOptions = {},
): Promise<FileResult> {
  const run = new FileRun(db);
  const excluded = options.excludedLines;
  for (const rec of records) {
    const countable = rec.kind === 'statement' || rec.kind === 'query';
    if (!conditionsAllow(rec.conditions, ENGINE_NAME) || excluded === null
      || (excluded !== undefined && excluded.has(rec.line))) {
      if (countable) run.result.skipped++;
      continue;
    }
    try {
      if (!(await run.run(rec))) break;
    } catch (e) {
      const sql = rec.kind === 'statement' || rec.kind === 'query' ? rec.sql : rec.kind;
      run.fail(rec.line, sql, '(runner)', `runner exception: ${errorText(e)}`);
    }
  }
  return run.result;
}

/** Parses `text` and runs it on a fresh in-memory database. */
export async function runFileText(text: string, options: RunOptions = {}): Promise<FileResult> {
  const records = parseRecords(text);
  const db = await Oxibase.open('memory://');
  try {
    return await runRecords(records, db, options);
  } finally {
    await db.close();
  }
}
