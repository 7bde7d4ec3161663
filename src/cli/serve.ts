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
  /** Environment variables (OXIBASE_PASSWORD). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** Runs the server until `stop` resolves; returns the exit status. */
export async function runServe(options: ServeOptions, deps: ServeDeps): Promise<number> {
  const { Oxibase } = await import('../index.ts');
  const { PgServer, parseHba } = await import('../server/pg/index.ts');
  let db: Awaited<ReturnType<typeof Oxibase.open>>;
  try {
    db = await Oxibase.open(options.dsn, { env: deps.env });
  } catch (e) {
    deps.output.err(`oxibase serve: cannot open database ${options.dsn}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let tls: { cert: Uint8Array; key: Uint8Array } | null;
  let hba: string;
  try {
    tls = await readTls(options, deps.env);
    hba = await hbaRules(options, deps);
    parseHba(hba);
    await bootstrapPassword(db, deps);
  } catch (e) {
    deps.output.err(`oxibase serve: ${e instanceof Error ? e.message : String(e)}\n`);
    await db.close();
    return 2;
  }
  const server = new PgServer(db, tls === null ? { hba } : { hba, tls });
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

/** The hba rules: --auth, --hba FILE, DATADIR/pg_hba.conf, else SCRAM for everyone. */
async function hbaRules(options: ServeOptions, deps: ServeDeps): Promise<string> {
  const { DEFAULT_HBA } = await import('../server/pg/hba.ts');
  const { parseDsn } = await import('../api/database.ts');
  if (options.auth !== undefined) return `host all all all ${options.auth}\n`;
  if (options.hbaFile !== undefined) return new TextDecoder().decode(await deps.env.fs.readFile(options.hbaFile));
  const dir = parseDsn(options.dsn);
  if (dir !== null) {
    const path = `${dir.replace(/\/+$/, '')}/pg_hba.conf`;
    if ((await deps.env.fs.stat(path))?.isFile === true) return new TextDecoder().decode(await deps.env.fs.readFile(path));
  }
  return DEFAULT_HBA;
}

/**
 * First start: the bootstrap superuser has no password yet. It gets $OXIBASE_PASSWORD, or a
 * generated one (Env randomness) printed once on stderr.
 */
async function bootstrapPassword(db: { engine: { catalog: { auth: { bootstrapName: string; role(n: string): { password: string | null } | undefined } } }; exec(sql: string): Promise<unknown> }, deps: ServeDeps): Promise<void> {
  const auth = db.engine.catalog.auth;
  const name = auth.bootstrapName;
  if (auth.role(name)?.password !== null) return;
  const given = deps.environment?.['OXIBASE_PASSWORD'];
  const password = given !== undefined && given !== '' ? given : Buffer.from(deps.env.random.bytes(18)).toString('base64url');
  const quotedName = `"${name.replace(/"/g, '""')}"`;
  await db.exec(`ALTER ROLE ${quotedName} PASSWORD '${password.replace(/'/g, "''")}'`);
  if (given === undefined || given === '') {
    deps.output.err(`oxibase: created superuser ${quotedName} with password ${password}\n`);
    deps.output.err('oxibase: (shown once; set OXIBASE_PASSWORD on first start to choose it, or ALTER ROLE to change it)\n');
  } else {
    deps.output.err(`oxibase: superuser ${quotedName} has the password from OXIBASE_PASSWORD\n`);
  }
}
