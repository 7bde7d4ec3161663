/**
 * COPY ... FROM STDIN and COPY ... TO STDOUT in text and CSV formats. The engine parses COPY but
 * does not execute it, so the server translates: TO runs the equivalent SELECT and streams rows
 * as CopyData; FROM parses CopyData into rows and inserts them in batches through a
 * parameterized INSERT (text parameters: each value goes through its column type's input
 * function, exactly as COPY's own input).
 *
 * Invariants:
 * - COPY FROM is atomic: it runs inside the statement's transaction (an implicit block when the
 *   session is idle), so an error rolls back every batch already inserted.
 * - Input is decoded as a UTF-8 stream (a character may span CopyData messages); rows are cut
 *   only at line ends outside CSV quotes.
 */
import { DbError } from '../../errors/index.ts';
import type { CopyStmt } from '../../sql/ast/utility.ts';
import type { ObjectName } from '../../sql/ast/common.ts';
import type { Statement } from '../../sql/ast.ts';
import { parse } from '../../sql/index.ts';
import { WireSqlError } from './backend.ts';
import type { OutputColumn } from '../../plan/plan-nodes.ts';
import type { SqlType } from '../../types/sql-type.ts';
import { outputFunction } from '../../types/text-io.ts';
import { Limits } from '../../limits.ts';
import type { PgConnection } from './connection.ts';
import { describeStatement } from './describe.ts';

interface CopyFormat {
  readonly csv: boolean;
  readonly delimiter: string;
  readonly nullText: string;
  readonly quote: string;
  readonly escape: string;
  readonly header: boolean;
}

function optionText(v: string | readonly string[] | null): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : v.join(',');
}

function copyFormat(stmt: CopyStmt): CopyFormat {
  let format = 'text';
  let delimiter: string | null = null;
  let nullText: string | null = null;
  let quote = '"';
  let escape: string | null = null;
  let header = false;
  for (const o of stmt.options) {
    const v = optionText(o.value);
    switch (o.name.toLowerCase()) {
      case 'format': format = (v ?? 'text').toLowerCase(); break;
      case 'csv': format = 'csv'; break;
      case 'binary': format = 'binary'; break;
      case 'delimiter': delimiter = v ?? ''; break;
      case 'null': nullText = v ?? ''; break;
      case 'header': header = v === null || /^(true|on|1|match)$/i.test(v); break;
      case 'quote': quote = v ?? '"'; break;
      case 'escape': escape = v ?? ''; break;
      case 'encoding':
        if (v !== null && v.toUpperCase().replace(/[-_]/g, '') !== 'UTF8') {
          throw new DbError('feature_not_supported', `COPY encoding "${v}" is not supported`);
        }
        break;
      case 'freeze': case 'force_quote': case 'force_not_null': case 'force_null': case 'oids': break;
      default:
        throw new DbError('syntax_error', `option "${o.name}" not recognized`, { position: o.loc + 1 });
    }
  }
  if (format === 'binary') throw new DbError('feature_not_supported', 'COPY BINARY is not supported yet');
  if (format !== 'text' && format !== 'csv') throw new DbError('invalid_parameter_value', `COPY format "${format}" not recognized`);
  const csv = format === 'csv';
  const d = delimiter ?? (csv ? ',' : '\t');
  if (d.length !== 1) throw new DbError('feature_not_supported', 'COPY delimiter must be a single one-byte character');
  if (!csv && header) throw new DbError('feature_not_supported', 'COPY HEADER available only in CSV mode');
  return { csv, delimiter: d, nullText: nullText ?? (csv ? '' : '\\N'), quote, escape: escape ?? quote, header };
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function relationText(n: ObjectName): string {
  return n.schema === null ? quoteIdent(n.name) : `${quoteIdent(n.schema)}.${quoteIdent(n.name)}`;
}

function columnList(stmt: CopyStmt): string {
  return stmt.columns === null || stmt.columns.length === 0 ? '*' : stmt.columns.map(quoteIdent).join(', ');
}

/** Runs one COPY statement (stdin/stdout only), ending with its CommandComplete. */
export async function runCopy(conn: PgConnection, stmt: CopyStmt, text: string): Promise<void> {
  if (stmt.target !== 'stdio') {
    throw new DbError('feature_not_supported', 'COPY to or from a file or program is not supported; use STDIN / STDOUT', { position: stmt.loc + 1 });
  }
  if (stmt.where !== null) throw new DbError('feature_not_supported', 'COPY FROM ... WHERE is not supported yet');
  const fmt = copyFormat(stmt);
  if (stmt.isFrom) await copyFrom(conn, stmt, fmt);
  else await copyTo(conn, stmt, fmt, text);
}

// ---- COPY TO STDOUT ----

async function copyTo(conn: PgConnection, stmt: CopyStmt, fmt: CopyFormat, text: string): Promise<void> {
  const s = conn.session!;
  const r = stmt.query !== null
    ? await conn.runner.run(stmt.query, text, [], [])
    : (await s.execute(`SELECT ${columnList(stmt)} FROM ${relationText(stmt.table!)}`))[0]!;
  const columns = r.columns ?? [];
  const rows = r.rows ?? [];
  const out = conn.out;
  out.copyResponse('H', false, columns.length);
  const ctx = s.typeContext(s.txn);
  const fns = columns.map((c) => outputFunction(c.type));
  if (fmt.header) copyData(conn, columns.map((c) => csvField(c.name, fmt)).join(fmt.delimiter) + '\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) line += fmt.delimiter;
      const v = row[c];
      if (v === null || v === undefined) { line += fmt.nullText; continue; }
      const t = fns[c]!(v, ctx);
      line += fmt.csv ? csvField(t, fmt) : textEscape(t, fmt.delimiter);
    }
    copyData(conn, line + '\n');
    if ((i & 255) === 255) await conn.maybeFlush();
  }
  out.copyDone();
  out.commandComplete(`COPY ${rows.length}`);
}

function copyData(conn: PgConnection, line: string): void {
  conn.out.begin(0x64);
  conn.out.text(line);
  conn.out.end();
}

function textEscape(t: string, delimiter: string): string {
  let out = '';
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t' && delimiter === '\t') out += '\\t';
    else if (ch === delimiter) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

function csvField(t: string, fmt: CopyFormat): string {
  const needs = t === fmt.nullText || t.includes(fmt.delimiter) || t.includes(fmt.quote) ||
    t.includes('\n') || t.includes('\r') || t === '\\.';
  if (!needs) return t;
  const q = fmt.quote;
  let body = '';
  for (const ch of t) body += ch === q || ch === fmt.escape ? fmt.escape + ch : ch;
  return q + body + q;
}

// ---- COPY FROM STDIN ----

async function copyFrom(conn: PgConnection, stmt: CopyStmt, fmt: CopyFormat): Promise<void> {
  if (stmt.table === null) throw new DbError('syntax_error', 'COPY FROM requires a table');
  const s = conn.session!;
  const table = relationText(stmt.table);
  const probe = s.parse(`SELECT ${columnList(stmt)} FROM ${table}`)[0]!;
  const columns: readonly OutputColumn[] = describeStatement(s, probe.stmt, []).columns ?? [];
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const width = columns.length;
  const batchRows = Math.max(1, Math.min(Limits.pgCopyBatchRowsMax, Math.floor(Limits.parametersMax / Math.max(1, width))));
  await conn.runner.beginImplicit();
  conn.out.copyResponse('G', false, width);
  conn.flush();
  const parser = new CopyParser(fmt, width);
  let count = 0;
  let batch: (string | null)[][] = [];
  // Every full batch runs the same INSERT: parsing it once, and passing the same AST each time,
  // lets the session's plan cache bind it once for the whole COPY (bind cost grows with the
  // number of parameters; it dominated COPY time).
  let cached: { rows: number; sql: string; stmt: Statement; types: (SqlType | null)[] } | null = null;
  const insertStatement = (rows: number): { sql: string; stmt: Statement; types: (SqlType | null)[] } => {
    if (cached !== null && cached.rows === rows) return cached;
    const values: string[] = [];
    const types: (SqlType | null)[] = [];
    for (let r = 0; r < rows; r++) {
      const slots: string[] = [];
      for (let c = 0; c < width; c++) {
        types.push(columns[c]!.type);
        slots.push(`$${types.length}`);
      }
      values.push(`(${slots.join(', ')})`);
    }
    const sql = `INSERT INTO ${table} (${names}) VALUES ${values.join(', ')}`;
    const made = { rows, sql, stmt: parse(sql)[0]!.stmt, types };
    if (rows === batchRows) cached = made;
    return made;
  };
  const insert = async (rows: (string | null)[][]): Promise<void> => {
    if (rows.length === 0) return;
    const params: (string | null)[] = [];
    for (const r of rows) for (let c = 0; c < width; c++) params.push(r[c] ?? null);
    const ins = insertStatement(rows.length);
    await conn.runner.run(ins.stmt, ins.sql, params, ins.types);
    count += rows.length;
  };
  let done = false;
  for (;;) {
    const msg = await conn.nextMessage();
    if (msg === null) throw new DbError('connection_exception', 'connection closed during COPY');
    if (msg.type === 'CopyData') {
      parser.push(msg.data, batch);
    } else if (msg.type === 'CopyDone') {
      parser.end(batch);
      done = true;
    } else if (msg.type === 'CopyFail') {
      throw new DbError('query_canceled', `COPY from stdin failed: ${msg.message}`);
    } else if (msg.type === 'Flush' || msg.type === 'Sync') {
      continue;
    } else {
      throw new DbError('protocol_violation', `unexpected message type ${msg.type} during COPY from stdin`);
    }
    if (conn.cancelRequested) throw new DbError('query_canceled', 'canceling statement due to user request');
    if (batch.length >= batchRows) {
      let at = 0;
      for (; batch.length - at >= batchRows; at += batchRows) await insert(batch.slice(at, at + batchRows));
      batch = batch.slice(at);
    }
    if (done || parser.finished) break;
  }
  if (!done) {
    // `\.` ends the data; the client still sends CopyDone, consumed here.
    for (;;) {
      const msg = await conn.nextMessage();
      if (msg === null || msg.type === 'CopyDone') break;
      if (msg.type === 'CopyFail') throw new DbError('query_canceled', `COPY from stdin failed: ${msg.message}`);
    }
  }
  await insert(batch);
  conn.out.commandComplete(`COPY ${count}`);
}

/** Incremental text / CSV row parser. */
class CopyParser {
  private readonly fmt: CopyFormat;
  private readonly width: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private buf = '';
  private lineNo = 0;
  private skipHeader: boolean;
  finished = false;

  constructor(fmt: CopyFormat, width: number) {
    this.fmt = fmt;
    this.width = width;
    this.skipHeader = fmt.header;
  }

  push(data: Uint8Array, out: (string | null)[][]): void {
    if (this.finished) return;
    try {
      this.buf += this.decoder.decode(data, { stream: true });
    } catch {
      throw new DbError('character_not_in_repertoire', 'invalid byte sequence for encoding "UTF8"');
    }
    this.drain(out, false);
  }

  end(out: (string | null)[][]): void {
    if (this.finished) return;
    this.drain(out, true);
    this.finished = true;
  }

  private drain(out: (string | null)[][], atEnd: boolean): void {
    let pos = 0;
    for (;;) {
      const lineEnd = this.fmt.csv ? this.csvRecordEnd(pos) : this.buf.indexOf('\n', pos);
      if (lineEnd < 0 && !(atEnd && pos < this.buf.length)) break;
      const end = lineEnd < 0 ? this.buf.length : lineEnd;
      let line = this.buf.slice(pos, end);
      pos = lineEnd < 0 ? this.buf.length : lineEnd + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.lineNo++;
      if (line === '\\.') { this.finished = true; break; }
      if (this.skipHeader) { this.skipHeader = false; continue; }
      out.push(this.fmt.csv ? this.csvFields(line) : this.textFields(line));
    }
    this.buf = this.buf.slice(pos);
  }

  private checkWidth(fields: (string | null)[]): (string | null)[] {
    if (fields.length > this.width) throw new WireSqlError('22P04', 'extra data after last expected column', `COPY, line ${this.lineNo}`);
    if (fields.length < this.width) throw new WireSqlError('22P04', `missing data for column ${fields.length + 1}`, `COPY, line ${this.lineNo}`);
    return fields;
  }

  private textFields(line: string): (string | null)[] {
    const fields: (string | null)[] = [];
    const d = this.fmt.delimiter;
    let cur = '';
    let raw = '';
    for (let i = 0; i <= line.length; i++) {
      const ch = line[i];
      if (ch === undefined || ch === d) {
        fields.push(raw === this.fmt.nullText ? null : cur);
        cur = '';
        raw = '';
        continue;
      }
      if (ch === '\\' && i + 1 < line.length) {
        const n = line[++i]!;
        raw += ch + n;
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };
        cur += map[n] ?? n;
        continue;
      }
      raw += ch;
      cur += ch;
    }
    return this.checkWidth(fields);
  }

  /** Index of the newline ending the CSV record starting at `pos` (outside quotes), or -1. */
  private csvRecordEnd(pos: number): number {
    const q = this.fmt.quote;
    let inQuote = false;
    for (let i = pos; i < this.buf.length; i++) {
      const ch = this.buf[i]!;
      if (inQuote) {
        if (ch === this.fmt.escape && this.fmt.escape !== q && this.buf[i + 1] === q) { i++; continue; }
        if (ch === q) inQuote = false;
      } else if (ch === q) {
        inQuote = true;
      } else if (ch === '\n') {
        return i;
      }
    }
    return -1;
  }

  private csvFields(line: string): (string | null)[] {
    const { delimiter: d, quote: q, escape: esc, nullText } = this.fmt;
    const fields: (string | null)[] = [];
    let cur = '';
    let quoted = false;
    let inQuote = false;
    for (let i = 0; i <= line.length; i++) {
      const ch = line[i];
      if (ch === undefined || (!inQuote && ch === d)) {
        fields.push(!quoted && cur === nullText ? null : cur);
        cur = '';
        quoted = false;
        continue;
      }
      if (inQuote) {
        if (ch === esc && line[i + 1] === q) { cur += q; i++; continue; }
        if (ch === q) { inQuote = false; continue; }
        cur += ch;
      } else if (ch === q) {
        inQuote = true;
        quoted = true;
      } else {
        cur += ch;
      }
    }
    if (inQuote) throw new WireSqlError('22P04', 'unterminated CSV quoted field', `COPY, line ${this.lineNo}`);
    return this.checkWidth(fields);
  }
}
