/**
 * A RoutineHost for driving language handlers directly: statements are answered by handlers the
 * test registers (matched on the exact SQL text), and everything the routine does (queries,
 * logs, prints, subtransactions) is recorded for assertions.
 */
import assert from 'node:assert/strict';
import { DbError } from '../../src/errors/index.ts';
import { createNodeEnv, createSimEnv, type Env } from '../../src/env/index.ts';
import { defaultTypeContext, type TypeContext } from '../../src/types/context.ts';
import { Types, type SqlType } from '../../src/types/sql-type.ts';
import type {
  FieldInfo, HostPrepared, HostQueryResult, LogLevel, RoutineHost, RoutineLimits, RoutineSource,
} from '../../src/scripting/language.ts';

export type QueryHandler = (params: readonly unknown[], types: readonly SqlType[]) => HostQueryResult;

export interface RecordedQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly types: readonly SqlType[];
}

export class FakeHost implements RoutineHost {
  readonly env: Env;
  readonly types: TypeContext = defaultTypeContext;
  readonly handlers = new Map<string, QueryHandler>();
  readonly queries: RecordedQuery[] = [];
  readonly logs: { level: LogLevel; message: string }[] = [];
  readonly printed: string[] = [];
  subtransactions = { started: 0, rolledBack: 0 };
  /** When set, checkInterrupt throws it (a cancelled statement). */
  cancel: DbError | null = null;

  constructor(env?: Env) {
    this.env = env ?? createNodeEnv();
  }

  /** Answers `sql` with a fixed result (or a function of the parameters). */
  on(sql: string, answer: HostQueryResult | QueryHandler): this {
    this.handlers.set(sql, typeof answer === 'function' ? answer : () => answer);
    return this;
  }

  query(sql: string, params: readonly unknown[] = [], paramTypes: readonly SqlType[] = []): HostQueryResult {
    this.queries.push({ sql, params, types: paramTypes });
    const h = this.handlers.get(sql);
    if (h === undefined) throw new DbError('syntax_error', `fake host: no answer for ${sql}`);
    return h(params, paramTypes);
  }

  prepare(sql: string, paramTypes: readonly SqlType[] = []): HostPrepared {
    return { fields: [], paramTypes, run: (params) => this.query(sql, params, paramTypes) };
  }

  log(level: LogLevel, message: string): void {
    this.logs.push({ level, message });
  }

  print(text: string): void {
    this.printed.push(text);
  }

  subtransaction<T>(fn: () => T): T {
    this.subtransactions.started++;
    try {
      return fn();
    } catch (e) {
      this.subtransactions.rolledBack++;
      throw e;
    }
  }

  checkInterrupt(): void {
    if (this.cancel !== null) throw this.cancel;
  }
}

/** A host on a deterministic environment (seeded randomness, a clock at a fixed instant). */
export function simHost(seed = 1): FakeHost {
  return new FakeHost(createSimEnv({ seed }));
}

/** A SELECT result with the given columns and rows. */
export function result(fields: readonly FieldInfo[], rows: readonly (readonly unknown[])[]): HostQueryResult {
  return { command: 'SELECT', rowCount: rows.length, fields, rows };
}

const noLimits: RoutineLimits = { cpuMillis: 0, memoryBytes: 0 };

/** A routine source with defaults for everything a test does not care about. */
export function routine(body: string, over: Partial<RoutineSource> = {}): RoutineSource {
  return {
    name: 'public.f',
    language: 'js',
    body,
    argNames: [],
    argTypes: [],
    returnType: Types.int4,
    returnsSet: false,
    outColumns: null,
    isTrigger: false,
    isProcedure: false,
    limits: noLimits,
    ...over,
  };
}

/** Runs `fn`, which must throw a DbError with SQLSTATE `code` (and a message matching `message`). */
export function throwsDb(fn: () => unknown, code: string, message?: RegExp): DbError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DbError, `expected DbError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected an error');
}
