/**
 * TEST-ONLY language handler: evaluates bodies with `new Function`, so the engine side of routines
 * (catalog, binder, host, triggers) is tested without the QuickJS sandbox of the langs branch. It
 * registers as `testjs`, and as `js` only when no real `js` handler is registered (tests name
 * `LANGUAGE testjs` explicitly except where they show the JavaScript default).
 *
 * Scripts see their arguments by name, `oxibase.query(sql, params)` (rows as objects of JS values),
 * `oxibase.log(msg)`, `oxibase.subtransaction(fn)`, and trigger bodies `TG` = { op, when, level,
 * table, args, NEW, OLD } (rows as objects by column name); returning null skips the row.
 */
import '../../src/scripting/languages.ts';
import { registerLanguage, findLanguage } from '../../src/scripting/registry.ts';
import type {
  CompiledRoutine, LanguageHandler, RoutineHost, RoutineSource, TriggerCall,
} from '../../src/scripting/language.ts';
import { fromJs, toJs } from '../../src/engine/js-values.ts';
import { DbError } from '../../src/errors/index.ts';
import type { SqlType } from '../../src/types/sql-type.ts';

function api(host: RoutineHost): unknown {
  return {
    query(sql: string, params: unknown[] = []) {
      const r = host.query(sql, params.map((p) => (typeof p === 'number' && !Number.isInteger(p) ? p : p)));
      return r.rows.map((row) => Object.fromEntries(r.fields.map((f, i) => [f.name, toJs(row[i], f.type, host.types)])));
    },
    log(msg: string) { host.log('notice', String(msg)); },
    subtransaction(fn: () => unknown) { return host.subtransaction(fn); },
  };
}

function toEngine(v: unknown, t: SqlType, host: RoutineHost): unknown {
  return v === undefined ? null : fromJs(v, t, host.types, 0);
}

class TestRoutine implements CompiledRoutine {
  private readonly fn: (...args: unknown[]) => unknown;
  private readonly source: RoutineSource;

  constructor(source: RoutineSource) {
    this.source = source;
    const names = source.isTrigger ? ['TG'] : source.argNames.map((n, i) => n ?? `$${i + 1}`);
    try {
      // eslint-disable-next-line no-new-func
      this.fn = new Function('oxibase', ...names, source.body) as (...args: unknown[]) => unknown;
    } catch (e) {
      throw new DbError('syntax_error', `syntax error in function body: ${(e as Error).message}`);
    }
  }

  call(args: readonly unknown[], host: RoutineHost): unknown {
    const s = this.source;
    const jsArgs = args.map((a, i) => toJs(a, s.argTypes[i]!, host.types));
    const out = this.run(host, jsArgs);
    if (s.returnType === null) return null;
    if (s.outColumns !== null) {
      const toRow = (o: unknown): unknown[] => {
        const rec = Array.isArray(o) ? o : s.outColumns!.map((c) => (o as Record<string, unknown>)[c.name]);
        return s.outColumns!.map((c, i) => toEngine(rec[i], c.type, host));
      };
      return s.returnsSet ? (out as unknown[]).map(toRow) : out === null || out === undefined ? null : toRow(out);
    }
    if (s.returnsSet) return (out as unknown[]).map((v) => toEngine(v, s.returnType!, host));
    return toEngine(out, s.returnType, host);
  }

  private run(host: RoutineHost, args: unknown[]): unknown {
    try {
      return this.fn(api(host), ...args);
    } catch (e) {
      // DbErrors and the engine's lock waits pass through untouched.
      if (e instanceof DbError || !(e instanceof Error)) throw e;
      throw new DbError('external_routine_exception', (e as Error).message ?? String(e));
    }
  }

  callTrigger(t: TriggerCall, host: RoutineHost): readonly unknown[] | null {
    const obj = (row: readonly unknown[] | null): Record<string, unknown> | null => row === null ? null
      : Object.fromEntries(t.columns.map((c, i) => [c.name, toJs(row[i], c.type, host.types)]));
    const TG = { op: t.op, when: t.when, level: t.level, table: t.tableName, args: t.args, NEW: obj(t.newRow), OLD: obj(t.oldRow) };
    const out = this.run(host, [TG]) as Record<string, unknown> | null | undefined;
    if (out === null || out === undefined) return null;
    return t.columns.map((c) => toEngine(out[c.name], c.type, host));
  }

  callEventTrigger(e: { event: string; tag: string }, host: RoutineHost): void {
    this.run(host, [{ event: e.event, tag: e.tag }]);
  }

  dispose(): void { /* nothing held */ }
}

export const testJs: LanguageHandler = {
  names: ['testjs'],
  trusted: true,
  compile: (source) => new TestRoutine(source),
};

registerLanguage(testJs);
if (findLanguage('js') === undefined) registerLanguage({ ...testJs, names: ['js'] });
