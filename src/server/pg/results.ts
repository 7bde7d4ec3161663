/**
 * Result encoding: RowDescription and DataRow messages for engine results, in text or binary
 * per column. Per-column encoders are resolved once per result (not per row), so the row loop is
 * a flat walk over values.
 *
 * Invariants: the `unknown` pseudo-type (an untyped literal in a select list) is described and
 * sent as text, as PostgreSQL resolves it; typmod and typlen come from the column's SqlType and
 * pg_type's typlen.
 */
import { DbError } from '../../errors/index.ts';
import type { OutputColumn } from '../../plan/plan-nodes.ts';
import type { TypeContext } from '../../types/context.ts';
import { Oid, typeInfo, formatType, type SqlType } from '../../types/sql-type.ts';
import { outputFunction, type OutputFn } from '../../types/text-io.ts';
import type { Row } from '../../storage/version.ts';
import type { BackendWriter } from './backend.ts';
import { hasBinaryFormat, writeBinary } from './binary-format.ts';

/** The OID a column is described with (unknown literals are text on the wire). */
export function wireOid(t: SqlType): number {
  return t.oid === Oid.unknown ? Oid.text : t.oid;
}

/** The format code of column `i` from Bind's result-format list (0 = text, 1 = binary). */
export function columnFormat(formats: readonly number[], i: number): number {
  if (formats.length === 0) return 0;
  if (formats.length === 1) return formats[0]!;
  return formats[i] ?? 0;
}

/** Checks Bind's result formats against the columns (count and binary support). */
export function checkResultFormats(columns: readonly OutputColumn[], formats: readonly number[]): void {
  if (formats.length > 1 && formats.length !== columns.length) {
    throw new DbError('protocol_violation', `bind message has ${formats.length} result formats but query has ${columns.length} columns`);
  }
  for (let i = 0; i < columns.length; i++) {
    const t = columns[i]!.type;
    if (columnFormat(formats, i) === 1 && !hasBinaryFormat(wireOid(t))) {
      throw new DbError('feature_not_supported', `binary format is not supported for type ${formatType(t)}`);
    }
  }
}

export function writeRowDescription(w: BackendWriter, columns: readonly OutputColumn[], formats: readonly number[]): void {
  w.begin(0x54);
  w.int16(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const oid = wireOid(c.type);
    w.cstring(c.name);
    w.int32(0); // table OID: results do not carry their source column yet
    w.int16(0); // attribute number
    w.int32(oid);
    w.int16(typeInfo(oid)?.len ?? -1);
    w.int32(c.type.typmod);
    w.int16(columnFormat(formats, i));
  }
  w.end();
}

/** Encodes rows of one result; built once per result, then `write` per row. */
export class RowEncoder {
  private readonly types: readonly SqlType[];
  private readonly binary: readonly boolean[];
  private readonly text: readonly (OutputFn | null)[];
  private readonly ctx: TypeContext;

  constructor(columns: readonly OutputColumn[], formats: readonly number[], ctx: TypeContext) {
    this.types = columns.map((c) => (c.type.oid === Oid.unknown ? { ...c.type, oid: Oid.text } : c.type));
    this.binary = columns.map((_, i) => columnFormat(formats, i) === 1);
    this.text = this.types.map((t, i) => (this.binary[i] || isPlainText(t) ? null : outputFunction(t)));
    this.ctx = ctx;
  }

  write(w: BackendWriter, row: Row): void {
    const n = this.types.length;
    w.begin(0x44);
    w.int16(n);
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (v === null || v === undefined) {
        w.int32(-1);
      } else if (this.binary[i]) {
        writeBinary(w, this.types[i]!, v, this.ctx);
      } else {
        const out = this.text[i];
        w.lengthPrefixedText(out === null || out === undefined ? (v as string) : out(v, this.ctx));
      }
    }
    w.end();
  }
}

function isPlainText(t: SqlType): boolean {
  return t.oid === Oid.text || t.oid === Oid.varchar || t.oid === Oid.name || t.oid === Oid.bpchar;
}
