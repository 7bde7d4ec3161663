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
  let tls: { cert: Uint8Array; key: Uint8Array } | null;
  let server: InstanceType<typeof PgServer>;
  try {
    tls = await readTls(options, deps.env);
    server = new PgServer(db, tls === null ? {} : { tls });
  } catch (e) {
    deps.output.err(`oxibase serve: ${e instanceof Error ? e.message : String(e)}\n`);
    await db.close();
    return 2;
  }
  let address: { host: string; port: number };
  try {
    address = await server.listen(options.host, options.pgPort);
  } catch (e) {
    deps.output.err(`oxibase serve: cannot listen on ${options.host}:${options.pgPort}: ${e instanceof Error ? e.message : String(e)}\n`);
    await db.close();
    return 2;
  }
  deps.output.err(`oxibase: database ${options.dsn}\n`);
  if (options.httpPort !== null) {
    deps.output.err(`oxibase: --http-port ${options.httpPort} is reserved for the HTTP API, which is not served yet\n`);
  }
  // The listening line comes last: scripts (and tests) wait for it before connecting.
  deps.output.err(`oxibase: PostgreSQL protocol listening on ${address.host}:${address.port}${tls !== null ? ' (TLS available)' : ''}\n`);
  const signal = await deps.stop;
  deps.output.err(`oxibase: ${signal} received, shutting down\n`);
  await server.close();
  await db.close();
  deps.output.err('oxibase: stopped\n');
  return 0;
}

/**
 * The TLS certificate and key: --tls-cert / --tls-key, else server.crt / server.key in the data
 * directory when both exist (PostgreSQL's ssl_cert_file / ssl_key_file defaults); null for none.
 */
async function readTls(options: ServeOptions, env: Env): Promise<{ cert: Uint8Array; key: Uint8Array } | null> {
  let certPath = options.tlsCert;
  let keyPath = options.tlsKey;
  if (certPath === null || keyPath === null) {
    const { parseDsn } = await import('../api/database.ts');
    const dir = parseDsn(options.dsn);
    if (dir === null) return null;
    const [c, k] = [`${dir}/server.crt`, `${dir}/server.key`];
    if ((await env.fs.stat(c))?.isFile !== true || (await env.fs.stat(k))?.isFile !== true) return null;
    certPath = c;
    keyPath = k;
  }
  let cert: Uint8Array;
  let key: Uint8Array;
  try {
    cert = await env.fs.readFile(certPath);
    key = await env.fs.readFile(keyPath);
  } catch (e) {
    throw new Error(`cannot read TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const { tlsContext } = await import('../server/pg/tls.ts');
  tlsContext({ cert, key });
  return { cert, key };
}
