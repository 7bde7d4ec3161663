/** The PostgreSQL wire-protocol server (protocol 3.0). See docs/server.md. */
export { PgServer, DEFAULT_SERVER_VERSION, type PgServerConfig } from './server.ts';
