/**
 * Answers a Python routine's host calls (oxibase.query/execute/log, print, subtransactions)
 * against the calling session's RoutineHost. Errors go back to Python as SqlError descriptors;
 * the original DbError is kept by id so that, if the script does not catch it, the engine
 * rethrows it unchanged (same SQLSTATE, detail, position).
 */
import { DbError } from '../../errors/index.ts';
import type { LogLevel, RoutineHost } from '../language.ts';
import { scriptParam } from '../values.ts';
import { decodeTagged, encodeTagged } from '../js/codec.ts';
import { CallAborted, type CallControl, type PythonRuntime } from './python-runtime.ts';
import { rowToPython } from './python-values.ts';

interface HostMessage {
  op: 'query' | 'execute' | 'log' | 'print' | 'subxact_begin' | 'subxact_end';
  sql?: string;
  params?: unknown[];
  level?: string;
  message?: string;
  text?: string;
  failed?: boolean;
}

const LEVELS: ReadonlySet<string> = new Set(['debug', 'log', 'info', 'notice', 'warning']);
const OK = '{"value":null}';

/** Thrown inside host.subtransaction to roll it back when the with-block raised. */
class Rollback extends Error {}

export class PythonHostBridge {
  private readonly host: RoutineHost;
  private readonly errors = new Map<string, DbError>();
  private nextError = 1;

  constructor(host: RoutineHost) {
    this.host = host;
  }

  hostError(id: string): DbError | undefined {
    return this.errors.get(id);
  }

  private errorAnswer(e: unknown): string {
    const err = e instanceof DbError ? e : new DbError('internal_error', String(e));
    const id = String(this.nextError++);
    this.errors.set(id, err);
    return JSON.stringify({
      error: { message: err.message, sqlstate: err.code, detail: err.detail, hint: err.hint, hostError: id },
    });
  }

  onHost(text: string, runtime: PythonRuntime, ctl: CallControl): string {
    const msg = decodeTagged(text) as HostMessage;
    try {
      switch (msg.op) {
        case 'query':
        case 'execute':
          return this.query(msg.sql ?? '', msg.params ?? [], msg.op === 'execute');
        case 'log':
          if (LEVELS.has(msg.level ?? '')) this.host.log(msg.level as LogLevel, msg.message ?? '');
          return OK;
        case 'print':
          this.host.print((msg.text ?? '').replace(/\n$/, ''));
          return OK;
        case 'subxact_begin':
          return this.subtransaction(runtime, ctl);
        default:
          return this.errorAnswer(new DbError('internal_error', `unknown Python host call ${String(msg.op)}`));
      }
    } catch (e) {
      if (e instanceof CallAborted) throw e;
      return this.errorAnswer(e);
    }
  }

  private query(sql: string, params: readonly unknown[], countOnly: boolean): string {
    const types = this.host.types;
    const values: unknown[] = [];
    const paramTypes = [];
    for (const p of params) {
      const { value, type } = scriptParam(p, types);
      values.push(value);
      paramTypes.push(type);
    }
    const r = this.host.query(sql, values, paramTypes);
    if (countOnly) return JSON.stringify({ value: r.rowCount });
    const toRow = rowToPython(r.fields);
    return encodeTagged({ value: r.rows.map((row) => toRow(row, types)) });
  }

  /**
   * `with oxibase.subtransaction():` — the with-block runs inside host.subtransaction: the
   * begin call is answered from inside the callback, the block's host calls are served there,
   * and its end call says whether to commit or roll back.
   */
  private subtransaction(runtime: PythonRuntime, ctl: CallControl): string {
    try {
      this.host.subtransaction(() => {
        runtime.answer(OK);
        const end = decodeTagged(runtime.serve(ctl, (m) => (decodeTagged(m) as HostMessage).op === 'subxact_end')) as HostMessage;
        if (end.failed === true) throw new Rollback();
      });
    } catch (e) {
      if (e instanceof CallAborted) throw e;
      if (!(e instanceof Rollback)) return this.errorAnswer(e);
    }
    return OK;
  }
}
