/**
 * sqllogictest record parser: turns a .test file's text into a flat list of records.
 *
 * Format (see /work/shared/conformance/sqllogictest/README.md and docs/sqllogictest.md):
 * records are separated by blank lines; lines beginning with '#' are comments and are removed
 * before anything else (they do not end a record). A record is a `statement ok|error`, a
 * `query <types> [sort] [label]`, a `hash-threshold N` or a `halt`, optionally preceded by any
 * number of `skipif <engine>` / `onlyif <engine>` guard lines.
 *
 * Invariants: every record carries the 1-based line number of its first (guard or command) line,
 * so failures can point into the file; the parser never throws on unknown commands, it returns
 * them as `unknown` records for the driver to count as skipped.
 */

export type SortMode = 'nosort' | 'rowsort' | 'valuesort';

export interface Condition {
  readonly kind: 'skipif' | 'onlyif';
  readonly engine: string;
}

export interface StatementRecord {
  readonly kind: 'statement';
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly expectError: boolean;
  readonly sql: string;
}

export interface QueryRecord {
  readonly kind: 'query';
  readonly line: number;
  readonly conditions: readonly Condition[];
  /** One letter per column: I, R or T. */
  readonly types: string;
  readonly sort: SortMode;
  readonly label: string | null;
  readonly sql: string;
  /** Expected lines after `----` (values, or a single `N values hashing to H` line). */
  readonly expected: readonly string[];
}

export interface HashThresholdRecord {
  readonly kind: 'hash-threshold';
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly threshold: number;
}

export interface HaltRecord {
  readonly kind: 'halt';
  readonly line: number;
  readonly conditions: readonly Condition[];
}

export interface UnknownRecord {
  readonly kind: 'unknown';
  readonly line: number;
  readonly conditions: readonly Condition[];
  readonly text: string;
}

export type SltRecord = StatementRecord | QueryRecord | HashThresholdRecord | HaltRecord | UnknownRecord;

interface Line {
  readonly text: string;
  readonly no: number;
}

/** Splits the file into blocks of consecutive non-blank, non-comment lines. */
function blocksOf(text: string): Line[][] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  const lines = text.split('\n');
  for (let lineIdx = 0; lineIdx < lines.length; lineIdx++) {
    const raw = lines[lineIdx] ?? '';
    const textNoCr = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // Comments vanish entirely, so they neither end a record nor become part of it.
    if (textNoCr.startsWith('#')) continue;
    if (textNoCr.trim() === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
      continue;
    }
    current.push({ text: textNoCr, no: lineIdx + 1 });
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

/** Drops a trailing `# comment` from a command line (guards may carry one). */
function stripTrailingComment(s: string): string {
  const hash = s.indexOf('#');
  return (hash >= 0 ? s.slice(0, hash) : s).trim();
}

function parseQuery(words: string[], body: Line[], line: number, conditions: Condition[]): QueryRecord {
  const types = words[1] ?? '';
  let sort: SortMode = 'nosort';
  let label: string | null = null;
  for (const w of words.slice(2)) {
    if (w === 'nosort' || w === 'rowsort' || w === 'valuesort') sort = w;
    else if (label === null) label = w;
  }
  const sep = body.findIndex((l) => l.text === '----');
  const sqlLines = sep >= 0 ? body.slice(0, sep) : body;
  const expected = sep >= 0 ? body.slice(sep + 1).map((l) => l.text) : [];
  return {
    kind: 'query', line, conditions, types, sort, label,
    sql: sqlLines.map((l) => l.text).join('\n'), expected,
  };
}

function parseBlock(block: Line[]): SltRecord {
  const conditions: Condition[] = [];
  let idx = 0;
  const first = block[0];
  const line = first === undefined ? 0 : first.no;
  for (; idx < block.length; idx++) {
    const l = block[idx];
    if (l === undefined) break;
    const words = stripTrailingComment(l.text).split(/\s+/);
    if (words[0] !== 'skipif' && words[0] !== 'onlyif') break;
    conditions.push({ kind: words[0], engine: words[1] ?? '' });
  }
  const head = block[idx];
  if (head === undefined) return { kind: 'unknown', line, conditions, text: '' };
  const words = stripTrailingComment(head.text).split(/\s+/);
  const body = block.slice(idx + 1);
  switch (words[0]) {
    case 'statement':
      return {
        kind: 'statement', line, conditions, expectError: words[1] === 'error',
        sql: body.map((l) => l.text).join('\n'),
      };
    case 'query':
      return parseQuery(words, body, line, conditions);
    case 'hash-threshold':
      return { kind: 'hash-threshold', line, conditions, threshold: Number(words[1] ?? '8') };
    case 'halt':
      return { kind: 'halt', line, conditions };
    default:
      return { kind: 'unknown', line, conditions, text: head.text };
  }
}

/** Parses a whole .test file. */
export function parseRecords(text: string): SltRecord[] {
  return blocksOf(text).map(parseBlock);
}

/** Whether guards let a record run under `engine` (all guards must agree). */
export function conditionsAllow(conditions: readonly Condition[], engine: string): boolean {
  for (const c of conditions) {
    if (c.kind === 'skipif' && c.engine === engine) return false;
    if (c.kind === 'onlyif' && c.engine !== engine) return false;
  }
  return true;
}
