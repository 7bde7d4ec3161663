/**
 * The registry of server backends a database's sessions can see (pg_stat_activity) and signal
 * (pg_cancel_backend, pg_terminate_backend). The wire server installs one per database it serves;
 * without a server, a session sees only itself.
 */
import type { BackendActivity, BackendControl } from '../functions/builtins/backend-fns.ts';
import type { Database } from './database.ts';
import type { Session } from './session.ts';

export type { BackendActivity, BackendControl };

/** What the server provides. */
export interface BackendRegistry {
  list(): BackendActivity[];
  signal(pid: number, kind: 'cancel' | 'terminate'): boolean;
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
      if (reg !== undefined) return reg.signal(pid, kind);
      if (pid !== session.backendPid) return false;
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
