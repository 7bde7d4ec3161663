/**
 * Command-line parsing (node:util parseArgs) into a plain description of what to do; main.ts
 * acts on it. Usage errors come back as `{ kind: 'usage-error' }` (exit status 2), never thrown.
 *
 *   oxibase [--help | --version]
 *   oxibase sql [--db DSN] [-c SQL]... [-f FILE]... [--format table|csv|json] [--echo]
 *               [--single-transaction] [--quiet]
 *   oxibase serve [--db DSN] [--host 127.0.0.1] [--pg-port 5432] [--http-port 8080] [--tls-cert F --tls-key F]
 *                 [--hba FILE | --auth METHOD]
 *
 * Invariant: -c and -f keep their command-line order (psql runs them in the order given).
 */
import { parseArgs } from 'node:util';
import type { BatchAction } from './sql-runner.ts';
import { outputFormats, type OutputFormat } from './output.ts';

/**
 * The database `oxibase sql` opens without --db. One constant, so the default can become a data
 * directory once file databases exist.
 */
export const DEFAULT_DSN = 'memory://';

export interface SqlCommandOptions {
  readonly dsn: string;
  /** -c and -f in command-line order; empty means shell or stdin script. */
  readonly actions: readonly BatchAction[];
  readonly format: OutputFormat;
  readonly echo: boolean;
  readonly singleTransaction: boolean;
  readonly quiet: boolean;
}

/** The database `oxibase serve` opens without --db: a data directory in the working directory. */
export const DEFAULT_SERVE_DSN = 'oxibase-data';

export interface ServeOptions {
  readonly dsn: string;
  readonly host: string;
  readonly pgPort: number;
  /** Reserved for the HTTP server (a later release); accepted and reported, nothing listens. */
  readonly httpPort: number | null;
  /** PEM certificate / key files for TLS; both or neither (default: server.crt / server.key in the data directory). */
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  /** pg_hba.conf-format file (default: DATADIR/pg_hba.conf when present). */
  readonly hbaFile?: string;
  /** One method for every connection (`host all all all METHOD`), instead of an hba file. */
  readonly auth?: string;
}

export type CliCommand =
  | { readonly kind: 'help'; readonly topic: 'main' | 'sql' | 'serve' }
  | { readonly kind: 'version' }
  | { readonly kind: 'serve'; readonly options: ServeOptions }
  | { readonly kind: 'backup'; readonly dsn: string; readonly to: string }
  | { readonly kind: 'sql'; readonly options: SqlCommandOptions }
  | { readonly kind: 'usage-error'; readonly message: string };

export const mainHelp = `oxibase: a PostgreSQL-dialect SQL database

Usage:
  oxibase sql [OPTIONS]     run SQL: interactive shell, -c/-f commands, or a script on stdin
  oxibase serve [OPTIONS]   PostgreSQL protocol server ("oxibase serve --help")
  oxibase backup --db DSN --to DIR
                            online backup of a database into DIR (opens as a normal database)
  oxibase --version         print the version
  oxibase --help            show this help ("oxibase sql --help" for the sql options)

See docs/cli.md for details.
`;

export const sqlHelp = `Usage:
  oxibase sql [OPTIONS]

With -c/-f: runs them in order and exits (status 1 at the first error).
Without, on a terminal: interactive shell (\\? for help). Otherwise: runs stdin as a script.

Options:
  -d, --db DSN              database to open (default: ${DEFAULT_DSN}); also file:///dir or a
                            directory path
  -c, --command SQL         run SQL or one meta-command (repeatable)
  -f, --file FILE           run commands from FILE, "-" for stdin (repeatable)
      --format FORMAT       table (default, psql-aligned), csv or json
  -e, --echo                print each statement before running it
  -1, --single-transaction  run all -c/-f (or the stdin script) as one transaction
  -q, --quiet               do not print command tags (INSERT 0 1, CREATE TABLE, ...)
  -h, --help                show this help
`;

export const serveHelp = `Usage:
  oxibase serve [OPTIONS]

Serves the database over the PostgreSQL protocol (psql, pgbench and drivers connect unchanged).
Stops on SIGINT / SIGTERM, rolling back open transactions.

Options:
  -d, --db DSN              database to open (default: ${DEFAULT_SERVE_DSN}, a data directory
                            in the working directory; memory:// for a throwaway database)
      --host HOST           address to listen on (default: 127.0.0.1)
      --pg-port PORT        PostgreSQL protocol port (default: 5432; 0 picks a free port)
      --http-port PORT      reserved for the HTTP API (not served yet; accepted for scripts)
      --tls-cert FILE       PEM certificate for TLS (SSLRequest); default: server.crt in the
                            data directory, when present
      --tls-key FILE        PEM private key for --tls-cert; default: server.key in the data directory
      --hba FILE            client authentication rules in pg_hba.conf format (default:
                            DATADIR/pg_hba.conf if present, else scram-sha-256 for everyone)
      --auth METHOD         one method for all connections: scram-sha-256, md5, password,
                            trust or reject (trust: only for local development)

The first start creates the superuser "oxibase"; its password is $OXIBASE_PASSWORD, or a
generated one printed once on stderr. Change it with ALTER ROLE oxibase PASSWORD '...'.
  -h, --help                show this help
`;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help') {
    if (rest[0] === 'serve') return { kind: 'help', topic: 'serve' };
    return rest[0] === 'sql' ? { kind: 'help', topic: 'sql' } : { kind: 'help', topic: 'main' };
  }
  if (first === '--help' || first === '-h') return { kind: 'help', topic: 'main' };
  if (first === '--version' || first === '-V' || first === 'version') return { kind: 'version' };
  if (first === 'serve') return parseServeArgs(rest);
  if (first === 'backup') return parseBackupArgs(rest);
  if (first === 'sql') return parseSqlArgs(rest);
  return { kind: 'usage-error', message: `unknown command "${first}"` };
}

function parseSqlArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: {
        db: { type: 'string', short: 'd' },
        command: { type: 'string', short: 'c', multiple: true },
        file: { type: 'string', short: 'f', multiple: true },
        format: { type: 'string' },
        echo: { type: 'boolean', short: 'e' },
        'single-transaction': { type: 'boolean', short: '1' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return { kind: 'usage-error', message: e instanceof Error ? e.message : String(e) };
  }
  const { values, tokens } = parsed;
  if (values.help === true) return { kind: 'help', topic: 'sql' };

  const format = values.format ?? 'table';
  const formatName = format === 'aligned' ? 'table' : format;
  if (!outputFormats.includes(formatName as OutputFormat)) {
    return { kind: 'usage-error', message: `--format must be one of ${outputFormats.join(', ')} (got "${format}")` };
  }
  // Tokens keep the command-line order that values.command / values.file lose.
  const actions: BatchAction[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'command') actions.push({ kind: 'command', text: t.value });
    else if (t.name === 'file') actions.push({ kind: 'file', path: t.value });
  }
  const dsn = values.db ?? DEFAULT_DSN;
  if (dsn === '') return { kind: 'usage-error', message: '--db must not be empty' };
  return {
    kind: 'sql',
    options: {
      dsn,
      actions,
      format: formatName as OutputFormat,
      echo: values.echo === true,
      singleTransaction: values['single-transaction'] === true,
      quiet: values.quiet === true,
    },
  };
}

function parseServeArgs(argv: readonly string[]): CliCommand {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        db: { type: 'string', short: 'd' },
        host: { type: 'string' },
        'pg-port': { type: 'string' },
        'http-port': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        hba: { type: 'string' },
        auth: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return { kind: 'usage-error', message: e instanceof Error ? e.message : String(e) };
  }
  if (values.help === true) return { kind: 'help', topic: 'serve' };
  const dsn = values.db ?? DEFAULT_SERVE_DSN;
  if (dsn === '') return { kind: 'usage-error', message: '--db must not be empty' };
  const portText = values['pg-port'] ?? '5432';
  const pgPort = Number(portText);
  if (!/^\d+$/.test(portText) || pgPort > 65535) {
    return { kind: 'usage-error', message: `--pg-port must be a port number 0..65535 (got "${portText}")` };
  }
  const host = values.host ?? '127.0.0.1';
  if (host === '') return { kind: 'usage-error', message: '--host must not be empty' };
  const httpText = values['http-port'];
  const httpPort = httpText === undefined ? null : Number(httpText);
  if (httpText !== undefined && (!/^\d+$/.test(httpText) || httpPort! > 65535)) {
    return { kind: 'usage-error', message: `--http-port must be a port number 0..65535 (got "${httpText}")` };
  }
  const tlsCert = values['tls-cert'] ?? null;
  const tlsKey = values['tls-key'] ?? null;
  if ((tlsCert === null) !== (tlsKey === null)) {
    return { kind: 'usage-error', message: '--tls-cert and --tls-key must be given together' };
  }
  const auth = values.auth;
  if (auth !== undefined && !['trust', 'reject', 'scram-sha-256', 'md5', 'password'].includes(auth)) {
    return { kind: 'usage-error', message: `--auth must be trust, scram-sha-256, md5, password or reject (got "${auth}")` };
  }
  if (auth !== undefined && values.hba !== undefined) return { kind: 'usage-error', message: '--auth and --hba are exclusive' };
  return { kind: 'serve', options: { dsn, host, pgPort, httpPort, tlsCert, tlsKey, ...(values.hba !== undefined ? { hbaFile: values.hba } : {}), ...(auth !== undefined ? { auth } : {}) } };
}

function parseBackupArgs(argv: readonly string[]): CliCommand {
  let values;
  try {
    values = parseArgs({
      args: [...argv], strict: true, allowPositionals: false,
      options: { db: { type: 'string', short: 'd' }, to: { type: 'string' } },
    }).values;
  } catch (e) {
    return { kind: 'usage-error', message: e instanceof Error ? e.message : String(e) };
  }
  const dsn = values.db ?? DEFAULT_SERVE_DSN;
  if (dsn === '') return { kind: 'usage-error', message: '--db must not be empty' };
  if (values.to === undefined || values.to === '') return { kind: 'usage-error', message: 'backup needs --to DIR' };
  return { kind: 'backup', dsn, to: values.to };
}
