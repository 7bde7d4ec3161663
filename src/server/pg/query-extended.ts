/**
 * The extended query protocol: Parse / Bind / Describe / Execute / Close / Sync / Flush, with
 * named and unnamed statements and portals, row limits (PortalSuspended) and pipelining.
 *
 * Invariants:
 * - After an error, messages are skipped until Sync, which then reports ReadyForQuery.
 * - The Executes up to a Sync share one implicit transaction when more than one is pipelined
 *   (statement-runner.ts); Sync commits it (or rolls it back after an error).
 * - A portal runs its statement once; the materialized result is streamed by Execute calls.
 *   Describe on a portal that returns rows runs it early (its row description is only known
 *   from the result); statements without rows describe as NoData without running.
 * - Portals are dropped when the transaction they belong to ends (at Sync when idle).
 */
import { DbError } from '../../errors/index.ts';
import type { Statement } from '../../sql/ast.ts';
import { typeInfo, typeOf, type SqlType } from '../../types/sql-type.ts';
import type { StatementResult } from '../../engine/dml/statement-env.ts';
import { Limits } from '../../limits.ts';
import type { FrontendMessage, RawParam } from './frontend.ts';
import { decodeUtf8 } from './frontend.ts';
import type { PgConnection } from './connection.ts';
import { describeStatement, returnsRows, type StatementShape } from './describe.ts';
import { readBinaryParam } from './binary-format.ts';
import { RowEncoder, checkResultFormats, columnFormat, wireOid, writeRowDescription } from './results.ts';
import { runCopy } from './copy.ts';
import { WireSqlError } from './backend.ts';

interface WireStatement {
  readonly sql: string;
  /** null for an empty query string. */
  readonly stmt: Statement | null;
  readonly text: string;
  /** Declared at Parse (null = infer). */
  readonly declared: (SqlType | null)[];
  /** Parameter types and columns found when Parse analyzed the statement (null: not analyzed). */
  analyzed: { readonly catalog: object; readonly shape: StatementShape } | null;
}

/** Statements Parse analyzes (as PostgreSQL's parse analysis; utility statements wait for Execute). */
const ANALYZED_AT_PARSE = new Set(['Select', 'Values', 'SetOperation', 'Insert', 'Update', 'Delete']);

interface Portal {
  readonly ws: WireStatement;
  readonly params: readonly unknown[];
  readonly formats: readonly number[];
  result: StatementResult | null;
  rowIdx: number;
  encoder: RowEncoder | null;
}

type Msg<T extends FrontendMessage['type']> = Extract<FrontendMessage, { type: T }>;

export class ExtendedQuery {
  private readonly conn: PgConnection;
  private readonly statements = new Map<string, WireStatement>();
  private readonly portals = new Map<string, Portal>();
  /** Parse analyses by parsed statement (see analyze()). */
  private readonly shapes = new WeakMap<Statement, { catalog: object; key: string; shape: StatementShape }>();
  /** Skipping messages until Sync after an error. */
  private skipping = false;
  private failedInBatch = false;

  constructor(conn: PgConnection) {
    this.conn = conn;
  }

  async handle(msg: FrontendMessage): Promise<void> {
    if (msg.type === 'Sync') return this.sync();
    if (msg.type === 'Flush') { this.conn.flush(); return; }
    if (this.skipping) return;
    try {
      switch (msg.type) {
        case 'Parse': this.parse(msg); return;
        case 'Bind': this.bind(msg); return;
        case 'Describe': await this.describe(msg); return;
        case 'Execute': await this.execute(msg); return;
        case 'Close': this.close(msg); return;
        default: return;
      }
    } catch (e) {
      this.conn.sendNotices();
      this.conn.sendError(e);
      this.skipping = true;
      this.failedInBatch = true;
    }
  }

  private async sync(): Promise<void> {
    const conn = this.conn;
    this.skipping = false;
    const failed = this.failedInBatch;
    this.failedInBatch = false;
    try {
      await conn.runner.endImplicit(failed);
    } catch (e) {
      conn.sendError(e);
    }
    conn.runner.syncIdle();
    if (conn.session!.txn === null) this.portals.clear();
    conn.readyForQuery();
  }

  private parse(msg: Msg<'Parse'>): void {
    const s = this.conn.session!;
    if (msg.name !== '' && this.statements.has(msg.name)) {
      throw new DbError('duplicate_prepared_statement', `prepared statement "${msg.name}" already exists`);
    }
    if (msg.name !== '' && this.statements.size >= Limits.preparedStatementsPerSessionMax) {
      throw new DbError('program_limit_exceeded', `too many prepared statements (the limit is ${Limits.preparedStatementsPerSessionMax})`);
    }
    const parsed = s.parse(msg.sql);
    if (parsed.length > 1) throw new DbError('syntax_error', 'cannot insert multiple commands into a prepared statement');
    const declared = msg.paramOids.map((oid) => {
      if (oid === 0) return null;
      if (typeInfo(oid) === undefined) throw new DbError('undefined_object', `type with OID ${oid} does not exist`);
      return typeOf(oid);
    });
    const p = parsed[0];
    // Parse analysis: an unknown table or column is reported at Parse, as PostgreSQL does. In an
    // aborted transaction the statement is kept for Execute, which reports 25P02.
    let analyzed: WireStatement['analyzed'] = null;
    if (p !== undefined && !s.failed && ANALYZED_AT_PARSE.has(p.stmt.kind)) analyzed = this.analyze(p.stmt, declared);
    this.statements.set(msg.name, {
      sql: msg.sql, stmt: p?.stmt ?? null, text: p === undefined ? '' : msg.sql.slice(p.start, p.end), declared, analyzed,
    });
    this.conn.out.parseComplete();
  }

  /**
   * Describes a statement, reusing the last analysis of the same parsed statement (the session's
   * parse cache returns the same AST for the same text) while the catalog version, search_path
   * and declared types are unchanged: extended-protocol clients Parse the same text for every
   * execution, and binding it once per catalog version keeps Parse cheap.
   */
  private analyze(stmt: Statement, declared: readonly (SqlType | null)[]): NonNullable<WireStatement['analyzed']> {
    const s = this.conn.session!;
    const catalog = s.catalog;
    const key = `${s.searchPath().join(',')}|${declared.map((t) => (t === null ? 0 : `${t.oid}.${t.typmod}`)).join(',')}`;
    const hit = this.shapes.get(stmt);
    if (hit !== undefined && hit.catalog === catalog && hit.key === key) return hit;
    const entry = { catalog, key, shape: describeStatement(s, stmt, declared) };
    this.shapes.set(stmt, entry);
    return entry;
  }

  /** The statement's shape: its Parse analysis while still valid, else a fresh description. */
  private shapeOf(ws: WireStatement): StatementShape {
    const s = this.conn.session!;
    if (ws.analyzed !== null && ws.analyzed.catalog === s.catalog) return ws.analyzed.shape;
    return describeStatement(s, ws.stmt!, ws.declared);
  }

  private statement(name: string): WireStatement {
    const ws = this.statements.get(name);
    if (ws === undefined) {
      throw new DbError('undefined_prepared_statement', name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`);
    }
    return ws;
  }

  private bind(msg: Msg<'Bind'>): void {
    const ws = this.statement(msg.statement);
    if (msg.portal !== '' && this.portals.has(msg.portal)) {
      throw new WireSqlError('42P03', `portal "${msg.portal}" already exists`);
    }
    const params = this.convertParams(ws, msg.paramFormats, msg.params);
    this.portals.set(msg.portal, { ws, params, formats: msg.resultFormats, result: null, rowIdx: 0, encoder: null });
    this.conn.out.bindComplete();
  }

  /** Text parameters stay strings (the engine runs the type's input function); binary are decoded. */
  private convertParams(ws: WireStatement, formats: readonly number[], raw: readonly RawParam[]): unknown[] {
    const out: unknown[] = new Array<unknown>(raw.length);
    let inferred: readonly (SqlType | null)[] | null = null;
    const ctx = this.conn.session!.typeContext(this.conn.session!.txn);
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      if (r === null) { out[i] = null; continue; }
      if (columnFormat(formats, i) === 0) { out[i] = decodeUtf8(r); continue; }
      let t = ws.declared[i] ?? null;
      if (t === null && ws.stmt !== null) {
        inferred ??= this.shapeOf(ws).paramTypes;
        t = inferred[i] ?? null;
      }
      if (t === null) {
        throw new DbError('indeterminate_datatype', `could not determine data type of parameter $${i + 1}`);
      }
      out[i] = readBinaryParam(t.oid, r, ctx);
    }
    return out;
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name);
    if (p === undefined) throw new WireSqlError('34000', name === '' ? 'unnamed portal does not exist' : `portal "${name}" does not exist`);
    return p;
  }

  private async describe(msg: Msg<'Describe'>): Promise<void> {
    const out = this.conn.out;
    if (msg.target === 'S') {
      const ws = this.statement(msg.name);
      if (ws.stmt === null) { out.parameterDescription([]); out.noData(); return; }
      const shape = ws.stmt.kind === 'Show' || ws.stmt.kind === 'Explain'
        ? { paramTypes: ws.declared, columns: (await this.conn.runner.run(ws.stmt, ws.text, [], ws.declared)).columns }
        : this.shapeOf(ws);
      out.parameterDescription(shape.paramTypes.map((t) => (t === null ? 25 : wireOid(t))));
      if (shape.columns === null) out.noData();
      else writeRowDescription(out, shape.columns, []);
      return;
    }
    const p = this.portal(msg.name);
    if (p.ws.stmt === null || !returnsRows(p.ws.stmt)) { out.noData(); return; }
    await this.runPortal(p);
    const columns = p.result!.columns;
    if (columns === null) out.noData();
    else writeRowDescription(out, columns, p.formats);
  }

  /** Runs the portal's statement once (first Describe or Execute). */
  private async runPortal(p: Portal): Promise<void> {
    if (p.result !== null) return;
    const stmt = p.ws.stmt!;
    const conn = this.conn;
    if (stmt.kind !== 'Transaction' && this.moreExecutesBeforeSync()) await conn.runner.beginImplicit();
    const r = await conn.runner.run(stmt, p.ws.text, p.params, p.ws.declared);
    if (r.columns !== null) checkResultFormats(r.columns, p.formats);
    p.result = r;
  }

  /** True when this batch holds another Execute before its Sync, or its Sync has not arrived. */
  private moreExecutesBeforeSync(): boolean {
    const queued = this.conn.peekQueued();
    for (const m of queued) {
      if (m.type === 'Sync') return false;
      if (m.type === 'Execute') return true;
    }
    return true;
  }

  private async execute(msg: Msg<'Execute'>): Promise<void> {
    const conn = this.conn;
    const p = this.portal(msg.portal);
    if (p.ws.stmt === null) { conn.out.emptyQueryResponse(); return; }
    if (p.ws.stmt.kind === 'Copy' && p.result === null) {
      await runCopy(conn, p.ws.stmt, p.ws.text);
      conn.sendNotices();
      p.result = { command: 'COPY', rowCount: 0, columns: null, rows: null, tag: 'COPY 0' };
      p.rowIdx = -1;
      return;
    }
    await this.runPortal(p);
    conn.sendNotices();
    const r = p.result!;
    const rows = r.rows ?? [];
    if (r.columns !== null && p.rowIdx < rows.length) {
      p.encoder ??= new RowEncoder(r.columns, p.formats, conn.session!.typeContext(conn.session!.txn));
      const end = msg.maxRows > 0 ? Math.min(rows.length, p.rowIdx + msg.maxRows) : rows.length;
      const first = p.rowIdx;
      for (let i = first; i < end; i++) {
        p.encoder.write(conn.out, rows[i]!);
        if ((i & 255) === 255) await conn.maybeFlush();
      }
      p.rowIdx = end;
      if (end < rows.length) { conn.out.portalSuspended(); return; }
      conn.out.commandComplete(first > 0 && r.command === 'SELECT' ? `SELECT ${end - first}` : r.tag);
      return;
    }
    conn.out.commandComplete(r.columns !== null && p.rowIdx > 0 && r.command === 'SELECT' ? 'SELECT 0' : r.tag);
  }

  private close(msg: Msg<'Close'>): void {
    if (msg.target === 'S') this.statements.delete(msg.name);
    else this.portals.delete(msg.name);
    this.conn.out.closeComplete();
  }
}
