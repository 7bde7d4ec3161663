/** The PostgreSQL wire-protocol server (protocol 3.0). See docs/server.md. */
export { PgServer, DEFAULT_SERVER_VERSION, type PgServerConfig } from './server.ts';
export { DEFAULT_HBA, LOCAL_TRUST_HBA, parseHba, HbaError, type AuthMethod, type HbaRule } from './hba.ts';
export { LoginLimiter } from './authenticate.ts';
