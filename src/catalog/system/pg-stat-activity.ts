/**
 * pg_stat_activity: one row per server backend (the wire server's registry, src/engine/backends.ts;
 * an embedded session sees itself). client_addr is text (Oxibase has no inet type); wait events,
 * backend_xid / backend_xmin and query_id are NULL.
 */
import { Oid, typeOf } from '../../types/sql-type.ts';
import { backendOf } from '../../functions/builtins/backend-fns.ts';
import { T, cols, DATABASE_OID, SUPERUSER_OID, type SystemRelation } from './sys-relation.ts';

const tstz = typeOf(Oid.timestamptz);

export const pgStatActivity: SystemRelation = {
  schema: 'pg_catalog', name: 'pg_stat_activity',
  columns: cols([
    ['datid', T.oid], ['datname', T.name], ['pid', T.int4], ['leader_pid', T.int4], ['usesysid', T.oid],
    ['usename', T.name], ['application_name', T.text], ['client_addr', T.text], ['client_hostname', T.text],
    ['client_port', T.int4], ['backend_start', tstz], ['xact_start', tstz], ['query_start', tstz],
    ['state_change', tstz], ['wait_event_type', T.text], ['wait_event', T.text], ['state', T.text],
    ['backend_xid', T.text], ['backend_xmin', T.text], ['query_id', T.int8], ['query', T.text], ['backend_type', T.text],
  ]),
  rows: ({ eval: e }) => (backendOf(e)?.list() ?? []).map((b) => [
    DATABASE_OID, e.database, b.pid, null, SUPERUSER_OID, b.user, b.applicationName, b.clientAddr, null,
    b.clientPort, b.backendStartMicros, b.xactStartMicros, b.queryStartMicros, b.stateChangeMicros, null, null,
    b.state, null, null, null, b.query, 'client backend',
  ]),
};
