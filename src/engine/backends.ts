/**
 * The registry of server backends a database's sessions can see (pg_stat_activity) and signal
 * (pg_cancel_backend, pg_terminate_backend). The wire server installs one per database it serves;
 * without a server, a session sees only itself.
 *
 * Signals are checked here, where the session's current user and catalog are known: a missing
 * backend is `false` (the caller warns), then the privilege check may raise 42501.
 */
import type { BackendActivity, BackendControl } from '../functions/builtins/backend-fns.ts';
import type { Database } from './database.ts';
import type { Session } from './session.ts';
import { checkSignalBackend } from '../auth/privileges.ts';

export type { BackendActivity, BackendControl };

/** What the server provides. */
export interface BackendRegistry {
  list(): BackendActivity[];
  signal(pid: number, kind: 'cancel' | 'terminate'): boolean;
  /**
   * The role backend `pid` logged in as (PostgreSQL's PGPROC roleId, which SET ROLE does not
   * change): null when there is no such backend, '' while it has not authenticated yet.
   */
  loginRole(pid: number): string | null;
  /** pg_notify from the session with this backend pid (the server queues it in its transaction). */
  notify(pid: number, channel: string, payload: string): void;
}

const registries = new WeakMap<Database, BackendRegistry>();

export function setBackendRegistry(db: Database, registry: BackendRegistry | null): void {
  if (registry === null) registries.delete(db);
  else registries.set(db, registry);
}

/** The BackendControl of one session (its pid, the server's registry or just itself). */
export function backendControl(session: Session): BackendControl {
  return {
    pid: () => session.backendPid,
    list: () => registries.get(session.db)?.list() ?? [selfActivity(session)],
    signal: (pid, kind) => {
      const reg = registries.get(session.db);
      const target = reg !== undefined ? reg.loginRole(pid) : pid === session.backendPid ? session.loginUser : null;
      if (target === null) return false;
      checkSignalBackend(session.catalog, session.user, target, kind);
      if (reg !== undefined) return reg.signal(pid, kind);
      session.interrupts.interrupt(kind);
      return true;
    },
    // Without a server there are no listeners: the notification goes nowhere.
    notify: (channel, payload) => registries.get(session.db)?.notify(session.backendPid, channel, payload),
  };
}

function selfActivity(session: Session): BackendActivity {
  const txnStart = session.txn?.startMicros ?? null;
  return {
    pid: session.backendPid, user: session.user, applicationName: session.setting('application_name') ?? '',
    clientAddr: null, clientPort: null, backendStartMicros: session.startMicros, state: 'active', query: '',
    queryStartMicros: null, xactStartMicros: txnStart, stateChangeMicros: null,
  };
}
