/**
 * Differential test harness: runs the same SQL on Oxibase (a fresh in-memory database per group)
 * and on a real PostgreSQL 15 (a fresh database per group, `CREATE DATABASE`), and compares
 * outcomes: errors by SQLSTATE; results by column names and rows rendered to PostgreSQL's text
 * output (see render.ts), order-insensitive unless the statement has a top-level ORDER BY; and the
 * affected-row count of INSERT/UPDATE/DELETE.
 *
 * `diffSuite(suite, groups)` registers one node:test test per suite file. Every mismatch is
 * collected and reported in a single assertion message. Mismatches listed in KNOWN_DIFFERENCES
 * (known-differences.ts) are printed but do not fail; a known difference that now matches, or that
 * no longer runs, fails the suite so the list cannot go stale. Without PostgreSQL 15 binaries the
 * suite is skipped with the reason (set OXIBASE_DIFF_REQUIRE_PG=1 to fail instead, e.g. in CI).
 * OXIBASE_DIFF_DUMP=file appends every unexpected mismatch to `file` as JSON lines.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import type pg from 'pg';
import { Oxibase } from '../../src/index.ts';
import { KNOWN_DIFFERENCES, type KnownDifference } from './known-differences.ts';
import { normalizePgText, renderValue } from './render.ts';
import { pgUnavailableReason, startPgServer, type PgServer } from './pg-server.ts';

/** One statement to compare; `ordered` overrides the ORDER BY detection. */
export interface DiffQuery {
  readonly sql: string;
  readonly ordered?: boolean;
}

export interface DiffGroup {
  /** Unique name, `suite/topic` (known differences refer to it). */
  readonly name: string;
  /** Statements run first on both sides; they are compared too (errors, RETURNING rows). */
  readonly setup?: readonly string[];
  readonly queries: readonly (string | DiffQuery)[];
}

/** What one side produced for one statement. */
export type Outcome =
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'ok'; readonly columns: readonly string[]; readonly rows: readonly (readonly (string | null)[])[]; readonly rowCount: number | null; readonly command: string };

export interface Mismatch {
  readonly group: string;
  readonly sql: string;
  readonly oxibase: Outcome;
  readonly postgres: Outcome;
  readonly reason: string;
}

export interface GroupStats { statements: number; matching: number; known: number; mismatches: Mismatch[]; knownSeen: Set<KnownDifference>; knownNowMatching: KnownDifference[] }

/** Removes string literals, quoted identifiers and parenthesized parts, leaving the top level. */
function topLevel(sql: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

export function isOrdered(sql: string): boolean {
  return /\border\s+by\b/i.test(topLevel(sql));
}

const ROW_COUNT_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function errorOutcome(e: unknown): Outcome {
  const err = e as { code?: unknown; message?: unknown };
  return { kind: 'error', code: typeof err.code === 'string' ? err.code : 'NO-SQLSTATE', message: String(err.message ?? e) };
}

async function runOxibase(db: Oxibase, sql: string): Promise<Outcome> {
  try {
    const r = await db.queryArrays(sql);
    const rows = r.rows.map((row) => row.map((v, i) => renderValue(v, r.fields[i]?.typeOid)));
    return { kind: 'ok', columns: r.fields.map((f) => f.name), rows, rowCount: r.rowCount, command: r.command.split(' ')[0] ?? '' };
  } catch (e) {
    return errorOutcome(e);
  }
}

async function runPostgres(client: pg.Client, sql: string): Promise<Outcome> {
  try {
    const r = await client.query({ text: sql, rowMode: 'array' });
    const fields = r.fields ?? [];
    const rows = (r.rows as unknown[][]).map((row) => row.map((v, i) => normalizePgText(v, fields[i]?.dataTypeID ?? 0)));
    return { kind: 'ok', columns: fields.map((f) => f.name), rows, rowCount: r.rowCount, command: r.command ?? '' };
  } catch (e) {
    return errorOutcome(e);
  }
}

function rowKey(row: readonly (string | null)[]): string {
  return JSON.stringify(row);
}

/** Null when the outcomes agree, else what differs. */
export function compareOutcomes(ordered: boolean, ox: Outcome, pgo: Outcome): string | null {
  if (ox.kind === 'error' || pgo.kind === 'error') {
    if (ox.kind === 'error' && pgo.kind === 'error') {
      return ox.code === pgo.code ? null : `SQLSTATE ${ox.code} vs ${pgo.code}`;
    }
    return ox.kind === 'error' ? `Oxibase failed (${ox.code}), PostgreSQL succeeded` : `Oxibase succeeded, PostgreSQL failed (${(pgo as { code: string }).code})`;
  }
  if (rowKey(ox.columns) !== rowKey(pgo.columns)) return 'column names differ';
  if (ROW_COUNT_COMMANDS.has(pgo.command) && ox.rowCount !== pgo.rowCount) return `row count ${ox.rowCount} vs ${pgo.rowCount}`;
  const a = ox.rows.map(rowKey);
  const b = pgo.rows.map(rowKey);
  if (!ordered) {
    a.sort();
    b.sort();
  }
  if (a.length !== b.length) return `${a.length} rows vs ${b.length} rows`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return ordered ? `row ${i + 1} differs` : 'rows differ';
  return null;
}

export function formatOutcome(o: Outcome, maxRows = 12): string {
  if (o.kind === 'error') return `ERROR ${o.code}: ${o.message}`;
  const rows = o.rows.slice(0, maxRows).map((r) => `    ${JSON.stringify(r)}`);
  if (o.rows.length > maxRows) rows.push(`    ... ${o.rows.length - maxRows} more`);
  const head = o.columns.length > 0 ? `columns ${JSON.stringify(o.columns)}` : `${o.command} (rowCount ${o.rowCount})`;
  return [head, ...rows].join('\n');
}

function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

function findKnown(group: string, sql: string): KnownDifference | undefined {
  const n = normalizeSql(sql);
  return KNOWN_DIFFERENCES.find((k) => k.group === group && normalizeSql(k.sql) === n);
}

let dbCounter = 0;

/** Runs one group on both sides and folds the results into `stats`. */
export async function runGroup(server: PgServer, group: DiffGroup, stats: GroupStats): Promise<void> {
  const dbName = `diff_${process.pid}_${++dbCounter}`;
  await server.client.query(`CREATE DATABASE ${dbName} STRATEGY = FILE_COPY`);
  const client = await server.connect(dbName);
  const db = await Oxibase.open('memory://');
  try {
    const statements: DiffQuery[] = [...(group.setup ?? []), ...group.queries].map((q) => (typeof q === 'string' ? { sql: q } : q));
    for (const q of statements) {
      const ox = await runOxibase(db, q.sql);
      const pgo = await runPostgres(client, q.sql);
      const reason = compareOutcomes(q.ordered ?? isOrdered(q.sql), ox, pgo);
      stats.statements++;
      const known = findKnown(group.name, q.sql);
      if (known !== undefined) stats.knownSeen.add(known);
      if (reason === null) {
        stats.matching++;
        if (known !== undefined) stats.knownNowMatching.push(known);
      } else if (known !== undefined) {
        stats.known++;
      } else {
        stats.mismatches.push({ group: group.name, sql: q.sql, oxibase: ox, postgres: pgo, reason });
      }
    }
  } finally {
    await db.close();
    await client.end();
    await server.client.query(`DROP DATABASE ${dbName}`);
  }
}

export function formatMismatch(m: Mismatch): string {
  return [
    `--- [${m.group}] ${m.reason}`,
    `  SQL: ${m.sql}`,
    `  Oxibase:    ${formatOutcome(m.oxibase).replace(/\n/g, '\n  ')}`,
    `  PostgreSQL: ${formatOutcome(m.postgres).replace(/\n/g, '\n  ')}`,
  ].join('\n');
}

/** Registers the differential test for one suite (a test file): all its groups, one verdict. */
export function diffSuite(suite: string, groups: readonly DiffGroup[]): void {
  const unavailable = pgUnavailableReason();
  const require = process.env['OXIBASE_DIFF_REQUIRE_PG'] === '1';
  const skip = unavailable !== null && !require ? `skipped: ${unavailable}` : false;
  test(`differential vs PostgreSQL 15: ${suite}`, { skip, timeout: 120_000 }, async (t: TestContext) => {
    if (unavailable !== null) assert.fail(`OXIBASE_DIFF_REQUIRE_PG=1 but ${unavailable}`);
    const names = new Set<string>();
    for (const g of groups) {
      assert.ok(g.name.startsWith(`${suite}/`), `group ${g.name} must be named ${suite}/...`);
      assert.ok(!names.has(g.name), `duplicate group name ${g.name}`);
      names.add(g.name);
    }
    const server = await startPgServer();
    const stats: GroupStats = { statements: 0, matching: 0, known: 0, mismatches: [], knownSeen: new Set(), knownNowMatching: [] };
    try {
      for (const g of groups) await runGroup(server, g, stats);
    } finally {
      await server.stop();
    }
    const mine = KNOWN_DIFFERENCES.filter((k) => k.group.startsWith(`${suite}/`));
    const knownFailing = mine.filter((k) => stats.knownSeen.has(k) && !stats.knownNowMatching.includes(k));
    for (const k of knownFailing) t.diagnostic(`known difference [${k.group}] ${normalizeSql(k.sql)} -- ${k.differs}`);
    t.diagnostic(`${suite}: ${stats.statements} statements, ${stats.matching} match, ${stats.known} known differences, ${stats.mismatches.length} unexpected mismatches`);
    const dump = process.env['OXIBASE_DIFF_DUMP'];
    if (dump !== undefined && dump !== '') {
      for (const m of stats.mismatches) appendFileSync(dump, `${JSON.stringify(m)}\n`);
    }
    const problems: string[] = stats.mismatches.map(formatMismatch);
    for (const k of stats.knownNowMatching) {
      problems.push(`--- [${k.group}] known difference now MATCHES PostgreSQL; remove it from KNOWN_DIFFERENCES:\n  SQL: ${k.sql}`);
    }
    for (const k of mine) {
      if (!stats.knownSeen.has(k)) problems.push(`--- [${k.group}] known difference is never run (stale entry); remove or fix it:\n  SQL: ${k.sql}`);
    }
    if (problems.length > 0) {
      assert.fail(`${problems.length} differential problem(s) in ${suite}:\n${problems.join('\n')}`);
    }
  });
}
