/**
 * Runs statements and meta-commands against a Session and prints what psql would print: the
 * result (aligned table, CSV or JSON), the command tag for statements without rows
 * (`INSERT 0 1`, `CREATE TABLE`; also after the rows of INSERT/UPDATE/DELETE/MERGE ... RETURNING),
 * notices (`NOTICE:  ...`), errors (error-format.ts) and, with \timing, `Time: 1.234 ms`.
 * Shared by `-c`/`-f`, scripts on stdin, `\i` and the interactive shell.
 *
 * Each statement is sent on its own (the splitter finds them), so an error's position refers to
 * the text printed under LINE n:, and a script stops at the first failing statement.
 *
 * Invariants: results go to Output.out, diagnostics to Output.err; the clock is the Env's
 * monotonic clock; files are read through the injected `readFile` (main.ts decides what a path
 * means, including `-` for stdin).
 */
import type { QueryResult, Session } from '../api/types.ts';
import type { Env } from '../env/index.ts';
import { formatError } from './error-format.ts';
import { formatResultCsv } from './format-csv.ts';
import { formatResultJson } from './format-json.ts';
import { formatResultTable, type ResultSet } from './format-table.ts';
import { runMetaCommand, type MetaOutcome } from './meta-commands.ts';
import type { Output, ShellSettings } from './output.ts';
import { StatementSplitter, type SplitItem } from './statement-splitter.ts';

/** Deepest \i nesting: a file that includes itself must fail, not exhaust the stack. */
const includeDepthMax = 16;

export interface RunnerOptions {
  readonly session: Session;
  readonly env: Env;
  readonly output: Output;
  readonly settings: ShellSettings;
  /** Reads a script file as text; throws (with a message) when it cannot. */
  readonly readFile: (path: string) => Promise<string>;
}

/** Where a script came from, for psql's `oxibase:FILE:LINE: ` error prefix. */
export interface ScriptSource {
  readonly name: string;
}

/** One thing to run in a batch (`-c` text or `-f` file), in command-line order. */
export type BatchAction = { readonly kind: 'command'; readonly text: string } |
  { readonly kind: 'file'; readonly path: string };

/** Command verbs whose tag psql also prints after RETURNING rows. */
const dmlVerbs: ReadonlySet<string> = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** psql's PrintTiming: `Time: 12.345 ms`, plus `(mm:ss.fff)` etc. from one second on. */
export function formatTiming(ms: number): string {
  if (ms < 1000) return `Time: ${ms.toFixed(3)} ms`;
  let seconds = ms / 1000;
  let minutes = Math.floor(seconds / 60);
  seconds -= 60 * minutes;
  if (minutes < 60) return `Time: ${ms.toFixed(3)} ms (${pad2(minutes)}:${seconds.toFixed(3).padStart(6, '0')})`;
  let hours = Math.floor(minutes / 60);
  minutes -= 60 * hours;
  if (hours < 24) {
    return `Time: ${ms.toFixed(3)} ms (${pad2(hours)}:${pad2(minutes)}:${seconds.toFixed(3).padStart(6, '0')})`;
  }
  const days = Math.floor(hours / 24);
  hours -= 24 * days;
  return `Time: ${ms.toFixed(3)} ms (${days} d ${pad2(hours)}:${pad2(minutes)}:${seconds.toFixed(3).padStart(6, '0')})`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A QueryResult's rows as positional cells in field order (the printers' input). */
export function toResultSet(result: Pick<QueryResult, 'fields' | 'rows'>): ResultSet {
  // Rows are objects keyed by column name; with duplicate names the later column's value is the
  // only one available (documented in docs/cli.md).
  const names = result.fields.map((f) => f.name);
  return {
    fields: result.fields,
    cells: result.rows.map((row) => names.map((n) => (row as Record<string, unknown>)[n])),
  };
}

export class Runner {
  readonly session: Session;
  readonly settings: ShellSettings;
  readonly output: Output;
  private readonly env: Env;
  private readonly readFile: (path: string) => Promise<string>;
  private includeDepth = 0;

  constructor(options: RunnerOptions) {
    this.session = options.session;
    this.env = options.env;
    this.output = options.output;
    this.settings = options.settings;
    this.readFile = options.readFile;
  }

  /** Sends one statement and prints its outcome; false when it failed. */
  async runStatement(sql: string, source: ScriptSource | null = null, line = 0): Promise<boolean> {
    const { output, settings } = this;
    if (settings.echo) output.out(`${sql};\n`);
    const started = this.env.clock.monotonicMs();
    let result: QueryResult;
    try {
      result = await this.session.query(sql);
    } catch (e) {
      const prefix = source === null ? '' : `oxibase:${source.name}:${line}: `;
      output.err(formatError(e, { statement: sql, prefix }));
      if (settings.timing) output.out(`${formatTiming(this.env.clock.monotonicMs() - started)}\n`);
      return false;
    }
    const elapsed = this.env.clock.monotonicMs() - started;
    this.printNotices(result);
    this.printResult(result);
    if (settings.timing) output.out(`${formatTiming(elapsed)}\n`);
    return true;
  }

  private printNotices(result: QueryResult): void {
    for (const n of result.notices ?? []) {
      let text = `${n.severity}:  ${n.message}\n`;
      if (n.detail !== undefined && n.detail !== '') text += `DETAIL:  ${n.detail}\n`;
      if (n.hint !== undefined && n.hint !== '') text += `HINT:  ${n.hint}\n`;
      this.output.err(text);
    }
  }

  private printResult(result: QueryResult): void {
    const { output, settings } = this;
    const hasRows = result.fields.length > 0;
    if (hasRows) {
      const set = toResultSet(result);
      if (settings.format === 'csv') output.out(formatResultCsv(set));
      else if (settings.format === 'json') output.out(formatResultJson(set));
      else output.out(formatResultTable(set, { expanded: settings.expanded, nullDisplay: settings.nullDisplay }));
    }
    // Command tags are for people: the machine formats (csv/json) carry only data.
    if (settings.quiet || settings.format !== 'table' || result.commandTag === '') return;
    if (!hasRows || dmlVerbs.has(result.command)) output.out(`${result.commandTag}\n`);
  }

  /** Runs one splitter item; a meta-command may consume the splitter's pending statement. */
  async runItem(item: SplitItem, splitter: StatementSplitter, source: ScriptSource | null): Promise<MetaOutcome> {
    if (item.kind === 'sql') return (await this.runStatement(item.text, source, item.line)) ? 'ok' : 'error';
    const result = await runMetaCommand(item.text, item.pendingSql, {
      session: this.session,
      settings: this.settings,
      output: this.output,
      executeSql: (sql) => this.runStatement(sql, source, item.line),
      includeFile: (path) => this.runFile(path),
    });
    if (result.discardPending) splitter.discardPending();
    return result.outcome;
  }

  /**
   * Runs script text: every statement and meta-command in order, stopping at the first error
   * (psql's ON_ERROR_STOP) or at \q.
   */
  async runScript(text: string, source: ScriptSource | null): Promise<MetaOutcome> {
    const splitter = new StatementSplitter();
    splitter.push(text);
    splitter.end();
    for (let item = splitter.next(); item !== null; item = splitter.next()) {
      const outcome = await this.runItem(item, splitter, source);
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  }

  /** Reads and runs a script file (-f, \i). */
  async runFile(path: string): Promise<MetaOutcome> {
    if (this.includeDepth >= includeDepthMax) {
      this.output.err(`oxibase: error: ${path}: \\i nested too deeply (more than ${includeDepthMax} levels)\n`);
      return 'error';
    }
    let text: string;
    try {
      text = await this.readFile(path);
    } catch (e) {
      this.output.err(`oxibase: error: ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 'error';
    }
    this.includeDepth++;
    try {
      return await this.runScript(text, { name: path === '-' ? '<stdin>' : path });
    } finally {
      this.includeDepth--;
    }
  }

  /**
   * Runs `-c`/`-f` actions in order. With `singleTransaction`, wraps them in BEGIN/COMMIT (no
   * tags printed for those) and rolls back when any fails, like psql --single-transaction.
   */
  async runBatch(actions: readonly BatchAction[], singleTransaction: boolean): Promise<MetaOutcome> {
    if (singleTransaction && !(await this.silently('BEGIN'))) return 'error';
    let outcome: MetaOutcome = 'ok';
    for (const action of actions) {
      outcome = action.kind === 'file'
        ? await this.runFile(action.path)
        : await this.runScript(action.text, null);
      if (outcome !== 'ok') break;
    }
    if (singleTransaction) {
      if (outcome === 'error') await this.silently('ROLLBACK');
      else if (!(await this.silently('COMMIT'))) outcome = 'error';
    }
    return outcome;
  }

  /** Runs transaction control without printing its tag; errors still print. */
  private async silently(sql: string): Promise<boolean> {
    try {
      await this.session.query(sql);
      return true;
    } catch (e) {
      this.output.err(formatError(e, { statement: sql }));
      return false;
    }
  }
}
