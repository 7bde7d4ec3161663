/**
 * `oxibase serve`: opens the database, starts the PostgreSQL protocol server, logs where it
 * listens, and on shutdown (SIGINT / SIGTERM, delivered by main.ts as `stop`) closes the listener,
 * ends every connection (open transactions roll back) and closes the database.
 *
 * Invariant: like every src/cli module except main.ts, this never touches `process`; signals
 * and output come in through ServeDeps.
 */
import type { Env } from '../env/index.ts';
import type { Output } from './output.ts';
import type { ServeOptions } from './args.ts';

export interface ServeDeps {
  readonly env: Env;
  readonly output: Output;
  /** Resolves with the signal name when the process is asked to stop. */
  readonly stop: Promise<string>;
}

/** Runs the server until `stop` resolves; returns the exit status. */
export async function runServe(options: ServeOptions, deps: ServeDeps): Promise<number> {
  const { Oxibase } = await import('../index.ts');
  const { PgServer } = await import('../server/pg/index.ts');
  let db: Awaited<ReturnType<typeof Oxibase.open>>;
  try {
    db = await Oxibase.open(options.dsn, { env: deps.env });
  } catch (e) {
    deps.output.err(`oxibase serve: cannot open database ${options.dsn}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const server = new PgServer(db);
  let address: { host: string; port: number };
  try {
    address = await server.listen(options.host, options.pgPort);
  } catch (e) {
    deps.output.err(`oxibase serve: cannot listen on ${options.host}:${options.pgPort}: ${e instanceof Error ? e.message : String(e)}\n`);
    await db.close();
    return 2;
  }
  deps.output.err(`oxibase: database ${options.dsn}\n`);
  deps.output.err(`oxibase: PostgreSQL protocol listening on ${address.host}:${address.port}\n`);
  const signal = await deps.stop;
  deps.output.err(`oxibase: ${signal} received, shutting down\n`);
  await server.close();
  await db.close();
  deps.output.err('oxibase: stopped\n');
  return 0;
}
