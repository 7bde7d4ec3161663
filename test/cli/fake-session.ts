/**
 * A scripted stand-in for the engine's Session (src/api/types.ts), so the CLI's runner, meta-
 * commands and shell are tested without the engine. Each query is answered by a handler; the
 * handler sees every statement in order (tests assert on `sent`).
 */
import type {
  FieldInfo, Notice, PreparedStatement, QueryResult, Queryable, RelationDescription, Session,
} from '../../src/api/types.ts';
import { DbError } from '../../src/errors/index.ts';

export type Handler = (sql: string, session: FakeSession) => QueryResult | Promise<QueryResult>;

export function field(name: string, typeOid = 25, type = 'text'): FieldInfo {
  return { name, typeOid, type };
}

/** A row-returning result. */
export function rowsResult(fields: FieldInfo[], rows: Record<string, unknown>[], command = 'SELECT'): QueryResult {
  return {
    rows, fields, rowCount: rows.length, command,
    commandTag: command === 'INSERT' ? `INSERT 0 ${rows.length}` : `${command} ${rows.length}`,
    notices: [],
  };
}

/** A result without rows, e.g. tagResult('CREATE TABLE'), tagResult('INSERT', 'INSERT 0 2', 2). */
export function tagResult(command: string, commandTag = command, rowCount = 0, notices: Notice[] = []): QueryResult {
  return { rows: [], fields: [], rowCount, command, commandTag, notices };
}

export function relation(partial: Partial<RelationDescription> & { name: string }): RelationDescription {
  return {
    schema: 'public', kind: 'table', owner: 'oxibase', columns: [], indexes: [], constraints: [],
    referencedBy: [], viewDefinition: null, comment: null, ...partial,
  };
}

/** Answers the common statements: BEGIN/COMMIT/ROLLBACK track the transaction status. */
export function defaultHandler(sql: string, session: FakeSession): QueryResult {
  const verb = sql.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  if (verb === 'BEGIN') { session.transactionStatus = 'in transaction'; return tagResult('BEGIN'); }
  if (verb === 'COMMIT' || verb === 'END') {
    const failed = session.transactionStatus === 'in failed transaction';
    session.transactionStatus = 'idle';
    return tagResult(failed ? 'ROLLBACK' : 'COMMIT');
  }
  if (verb === 'ROLLBACK') { session.transactionStatus = 'idle'; return tagResult('ROLLBACK'); }
  if (verb === 'FAIL') {
    if (session.transactionStatus === 'in transaction') session.transactionStatus = 'in failed transaction';
    throw new DbError('syntax_error', 'syntax error at or near "FAIL"', { position: sql.indexOf('FAIL') + 1 });
  }
  if (/^select\s+1$/i.test(sql)) return rowsResult([field('?column?', 23, 'integer')], [{ '?column?': 1 }]);
  return tagResult(verb);
}

export class FakeSession implements Session {
  transactionStatus: Session['transactionStatus'] = 'idle';
  readonly sent: string[] = [];
  closed = false;
  relations: RelationDescription[] = [];
  private readonly handler: Handler;

  constructor(handler: Handler = defaultHandler) {
    this.handler = handler;
  }

  async query<R = Record<string, unknown>>(sql: string): Promise<QueryResult<R>> {
    this.sent.push(sql);
    return (await this.handler(sql, this)) as unknown as QueryResult<R>;
  }

  async exec(sql: string): Promise<QueryResult[]> {
    return [await this.query(sql)];
  }

  async queryArrays(sql: string) {
    const r = await this.query(sql);
    return {
      rows: r.rows.map((row) => r.fields.map((f) => row[f.name])), fields: r.fields,
      rowCount: r.rowCount, command: r.command,
    };
  }

  async prepare(sql: string): Promise<PreparedStatement> {
    return { sql, query: () => this.query(sql), queryArrays: () => this.queryArrays(sql) } as PreparedStatement;
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async listRelations(kinds?: readonly RelationDescription['kind'][]): Promise<RelationDescription[]> {
    return this.relations.filter((r) => kinds === undefined || kinds.includes(r.kind));
  }

  async describeRelation(name: string): Promise<RelationDescription | null> {
    // Exact matching on `name` or `schema.name`, as the simplest engine would do.
    return this.relations.find((r) => r.name === name || `${r.schema}.${r.name}` === name) ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
