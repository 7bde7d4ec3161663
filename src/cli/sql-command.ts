/**
 * `oxibase sql`: opens the database, then one of three modes —
 *   -c/-f given         run them in order, exit;
 *   stdin not a TTY     run all of stdin as a script, exit;
 *   otherwise           the interactive shell.
 * Exit status: 0 success (also after \q), 1 when a statement or meta-command failed (the batch
 * stops there, like psql with ON_ERROR_STOP — psql would exit 3; 1 is what scripts check for),
 * 2 when the database cannot be opened.
 *
 * Invariant: everything process-specific (streams, files, the engine itself) arrives in
 * SqlCommandDeps, so tests drive every mode with fakes.
 */
import type { Session } from '../api/types.ts';
import type { Env } from '../env/index.ts';
import type { SqlCommandOptions } from './args.ts';
import { formatError } from './error-format.ts';
import { defaultSettings, type Output } from './output.ts';
import { runShell, type HistoryStore } from './shell.ts';
import { Runner } from './sql-runner.ts';

/** The part of an Oxibase database the CLI uses. */
export interface OpenedDatabase {
  session(): Session;
  close(): Promise<void>;
}

export interface SqlCommandDeps {
  readonly env: Env;
  readonly output: Output;
  readonly openDatabase: (dsn: string) => Promise<OpenedDatabase>;
  /** Reads a script file; `-` means stdin. */
  readonly readFile: (path: string) => Promise<string>;
  readonly stdinIsTTY: boolean;
  /** Streams for the interactive shell. */
  readonly shell: {
    readonly input: NodeJS.ReadableStream;
    readonly output: NodeJS.WritableStream;
    readonly terminal: boolean;
    readonly history: HistoryStore | null;
  };
  readonly version: string;
}

export async function runSqlCommand(options: SqlCommandOptions, deps: SqlCommandDeps): Promise<number> {
  const { output } = deps;
  let db: OpenedDatabase;
  try {
    db = await deps.openDatabase(options.dsn);
  } catch (e) {
    output.err(`oxibase: error: could not open database "${options.dsn}"\n${formatError(e)}`);
    return 2;
  }
  const session = db.session();
  const settings = defaultSettings({ format: options.format, echo: options.echo, quiet: options.quiet });
  const runner = new Runner({ session, env: deps.env, output, settings, readFile: deps.readFile });
  try {
    if (options.actions.length > 0) {
      return (await runner.runBatch(options.actions, options.singleTransaction)) === 'error' ? 1 : 0;
    }
    if (!deps.stdinIsTTY) {
      // Reading `-` is reading stdin; errors are then reported as oxibase:<stdin>:LINE:.
      const outcome = await runner.runBatch([{ kind: 'file', path: '-' }], options.singleTransaction);
      return outcome === 'error' ? 1 : 0;
    }
    return await runShell({
      runner,
      input: deps.shell.input,
      output: deps.shell.output,
      terminal: deps.shell.terminal,
      history: deps.shell.history,
      banner: `oxibase ${deps.version} (${options.dsn})\nType "\\?" for help, "\\q" to quit.\n\n`,
    });
  } finally {
    await session.close().catch(() => undefined);
    await db.close().catch(() => undefined);
  }
}
