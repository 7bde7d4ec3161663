/**
 * TLS for the PostgreSQL protocol: an SSLRequest is answered 'S' when the server has a certificate
 * and the connection continues inside TLS (node:tls wraps the accepted socket, as PostgreSQL's
 * secure_open_server does); 'N' otherwise. The certificate and key are PEM text (files are read
 * by the CLI, `oxibase serve --tls-cert/--tls-key` or server.crt/server.key in the data directory).
 */
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { Socket } from 'node:net';

/** PEM certificate chain and private key. */
export interface TlsConfig {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
}

/** Builds the context once per server; throws a clear error for a bad certificate or key. */
export function tlsContext(config: TlsConfig): SecureContext {
  try {
    return createSecureContext({
      cert: toPem(config.cert), key: toPem(config.key),
      // PostgreSQL 15's default ssl_min_protocol_version.
      minVersion: 'TLSv1.2',
    });
  } catch (e) {
    throw new Error(`invalid TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function toPem(v: string | Uint8Array): string | Buffer {
  return typeof v === 'string' ? v : Buffer.from(v);
}

/** Wraps an accepted plain socket (after 'S' was written) in a server-side TLS socket. */
export function upgradeToTls(socket: Socket, context: SecureContext): TLSSocket {
  return new TLSSocket(socket, { isServer: true, secureContext: context });
}
