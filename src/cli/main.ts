/**
 * The `oxibase` command's entry point: parses arguments (args.ts) and wires the process — stdin,
 * stdout, stderr, files, the home directory, the engine — into the CLI modules, which never touch
 * the process themselves. Run as `node src/cli/main.ts ...` or through bin/oxibase.js.
 *
 * Exit status: 0 success; 1 a statement or script failed; 2 usage error, database could not be
 * opened, or the server could not listen.
 *
 * Invariant: this is the only file in src/cli/ that uses process, node:fs or node:os; time still
 * comes from the Env (createNodeEnv).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createNodeEnv, type Env } from '../env/index.ts';
import { mainHelp, parseCliArgs, serveHelp, sqlHelp } from './args.ts';
import { runServe } from './serve.ts';
import type { Output } from './output.ts';
import { fileHistory } from './shell.ts';
import { runSqlCommand, type OpenedDatabase } from './sql-command.ts';

async function packageVersion(): Promise<string> {
  try {
    const pkg: unknown = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = (pkg as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Loads the engine only for `sql`, so --help and --version start instantly. */
async function openDatabase(dsn: string, env: Env): Promise<OpenedDatabase> {
  const { Oxibase } = await import('../index.ts');
  return Oxibase.open(dsn, { env });
}

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const output: Output = {
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
  };
  const command = parseCliArgs(argv);
  switch (command.kind) {
    case 'help':
      output.out(command.topic === 'sql' ? sqlHelp : command.topic === 'serve' ? serveHelp : mainHelp);
      return 0;
    case 'version':
      output.out(`oxibase ${await packageVersion()}\n`);
      return 0;
    case 'serve': {
      const stop = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      return runServe(command.options, { env: createNodeEnv(), output, stop, environment: process.env });
    }
    case 'backup': {
      // Opens the source (taking its directory lock), writes a consistent checkpoint into the
      // target, closes. A database served by another process must be backed up with BACKUP TO
      // through that process instead (the lock refuses a second opener).
      const env = createNodeEnv();
      const { Oxibase } = await import('../index.ts');
      const { backupTo } = await import('../engine/durable.ts');
      try {
        const db = await Oxibase.open(command.dsn, { env });
        try {
          const stats = await backupTo(db.engine, command.to);
          output.out(`backup of ${command.dsn} written to ${command.to}: ${stats.rows} rows, ${stats.bytes} bytes\n`);
        } finally {
          await db.close();
        }
        return 0;
      } catch (e) {
        output.err(`oxibase: error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
    }
    case 'usage-error':
      output.err(`oxibase: error: ${command.message}\nTry "oxibase --help" for more information.\n`);
      return 2;
    case 'sql': {
      const env = createNodeEnv();
      // OXIBASE_HISTORY picks the history file (like PSQL_HISTORY); set it empty for none.
      const historyPath = process.env['OXIBASE_HISTORY'] ?? join(homedir(), '.oxibase_history');
      const stdinIsTTY = process.stdin.isTTY === true;
      return runSqlCommand(command.options, {
        env,
        output,
        openDatabase: (dsn) => openDatabase(dsn, env),
        readFile: async (path) => (path === '-'
          ? readAllStdin()
          : new TextDecoder().decode(await env.fs.readFile(path))),
        stdinIsTTY,
        shell: {
          input: process.stdin,
          output: process.stdout,
          terminal: stdinIsTTY && process.stdout.isTTY === true,
          history: historyPath === '' ? null : fileHistory(env, historyPath),
        },
        version: await packageVersion(),
      });
    }
  }
}

// `oxibase ... | head` closes stdout early: stop quietly instead of dying on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

if (import.meta.main) {
  process.exitCode = await runCli(process.argv.slice(2));
}
