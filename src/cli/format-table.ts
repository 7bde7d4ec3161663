/**
 * psql's "aligned" output (border 1), used for query results and the \d listings:
 *
 *    id | name  | price
 *   ----+-------+-------
 *     1 | apple |  1.50
 *   (1 row)
 *
 * Headers are centered, numeric types right-aligned, NULL is an empty cell, a value with line
 * breaks continues on the next line with a `+` in the divider column, and the output ends with a
 * blank line. `formatExpanded` is \x's layout (`-[ RECORD 1 ]-+-----` then `name | value` lines).
 *
 * Invariants: every function returns the complete text (each line ending in "\n"); widths are
 * display widths (text-width.ts), so wide characters keep columns aligned; the last column of a
 * data line carries no trailing padding, as in psql.
 */
import type { FieldInfo } from '../api/types.ts';
import { formatValueText, isRightAligned } from './format-value.ts';
import { displayWidth, padEnd, padStart } from './text-width.ts';

export interface AlignedTable {
  /** Centered above the table (\d uses it: `Table "public.t"`). */
  readonly title?: string;
  readonly headers: readonly string[];
  /** Per column: right-align (numbers) instead of left. */
  readonly rightAlign: readonly boolean[];
  /** Cells as text; null prints as the null display string (empty by default). */
  readonly rows: readonly (readonly (string | null)[])[];
  /** Lines after the table: `(N rows)`, or \d's `Indexes:` sections. */
  readonly footers: readonly string[];
}

export interface TableOptions {
  /** What NULL prints as (psql's \pset null); empty by default. */
  readonly nullDisplay?: string;
}

/** `(1 row)` / `(N rows)`. */
export function rowCountFooter(count: number): string {
  return `(${count} ${count === 1 ? 'row' : 'rows'})`;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

export function formatAligned(table: AlignedTable, options: TableOptions = {}): string {
  const nullText = options.nullDisplay ?? '';
  const colCount = table.headers.length;
  const headerLines = table.headers.map(splitLines);
  const dataLines = table.rows.map((row) =>
    table.headers.map((_, j) => splitLines(row[j] ?? nullText)));

  const widths = headerLines.map((lines) => Math.max(0, ...lines.map(displayWidth)));
  for (const row of dataLines) {
    for (let j = 0; j < colCount; j++) {
      for (const line of row[j] ?? []) widths[j] = Math.max(widths[j] ?? 0, displayWidth(line));
    }
  }

  let out = '';
  if (table.title !== undefined) {
    const total = widths.reduce((a, w) => a + w, 0) + 3 * Math.max(0, colCount - 1) + 2;
    const titleWidth = displayWidth(table.title);
    const indent = titleWidth < total ? Math.floor((total - titleWidth) / 2) : 0;
    out += `${' '.repeat(indent)}${table.title}\n`;
  }
  if (colCount > 0) {
    out += renderRow(headerLines, widths, () => false, true);
    out += `${widths.map((w) => '-'.repeat(w + 2)).join('+')}\n`;
    for (const row of dataLines) {
      out += renderRow(row, widths, (j) => table.rightAlign[j] === true, false);
    }
  }
  for (const footer of table.footers) out += `${footer}\n`;
  return `${out}\n`;
}

/** One logical row, possibly several physical lines when a cell holds line breaks. */
function renderRow(
  cells: readonly (readonly string[])[], widths: readonly number[],
  rightAligned: (column: number) => boolean, header: boolean,
): string {
  const height = Math.max(1, ...cells.map((c) => c.length));
  const last = cells.length - 1;
  let out = '';
  for (let k = 0; k < height; k++) {
    let line = ' ';
    for (let j = 0; j <= last; j++) {
      const lines = cells[j] ?? [];
      const text = lines[k] ?? '';
      const width = widths[j] ?? 0;
      const continues = k < lines.length - 1;
      if (header) {
        // Headers are centered and always padded, trailing spaces included (psql does the same).
        const room = width - displayWidth(text);
        const left = Math.floor(room / 2);
        line += ' '.repeat(left) + text + ' '.repeat(room - left);
      } else if (rightAligned(j) && k < lines.length) {
        line += padStart(text, width);
      } else if (j < last || continues) {
        line += padEnd(text, width);
      } else {
        line += text;
      }
      if (continues) line += '+';
      else if (j < last || header) line += ' ';
      if (j < last) line += '| ';
    }
    out += `${line}\n`;
  }
  return out;
}

/** \x layout: one block per row, `column | value` lines under a `-[ RECORD n ]` rule. */
export function formatExpanded(table: AlignedTable, options: TableOptions = {}): string {
  const nullText = options.nullDisplay ?? '';
  if (table.rows.length === 0) return `${rowCountFooter(0)}\n\n`;
  const headerLines = table.headers.map(splitLines);
  const hwidth = Math.max(0, ...headerLines.flat().map(displayWidth));
  let dwidth = 0;
  for (const row of table.rows) {
    for (let j = 0; j < table.headers.length; j++) {
      for (const line of splitLines(row[j] ?? nullText)) dwidth = Math.max(dwidth, displayWidth(line));
    }
  }
  let out = table.title !== undefined ? `${table.title}\n` : '';
  table.rows.forEach((row, r) => {
    out += recordRule(r + 1, hwidth, dwidth);
    table.headers.forEach((_, j) => {
      const names = headerLines[j] ?? [''];
      const values = splitLines(row[j] ?? nullText);
      const height = Math.max(names.length, values.length);
      for (let k = 0; k < height; k++) {
        const nameMore = k < names.length - 1;
        const valueMore = k < values.length - 1;
        let line = padEnd(names[k] ?? '', hwidth) + (nameMore ? '+' : ' ') + '| ';
        line += valueMore ? `${padEnd(values[k] ?? '', dwidth)}+` : (values[k] ?? '');
        out += `${line}\n`;
      }
    });
  });
  for (const footer of table.footers) out += `${footer}\n`;
  return `${out}\n`;
}

/** psql's print_aligned_vertical_line for border 1: `-[ RECORD 1 ]-+------`. */
function recordRule(record: number, hwidth: number, dwidth: number): string {
  const label = `[ RECORD ${record} ]`;
  let out = `-${label}`;
  let used = label.length + 1;
  if (used < hwidth) out += '-'.repeat(hwidth - used);
  used -= hwidth;
  // The three columns around the divider: '-', then '+' where the '|' of data lines falls, '-'.
  for (const ch of ['-', '+', '-']) {
    if (used-- <= 0) out += ch;
  }
  if (used < 0) used = 0;
  if (used < dwidth) out += '-'.repeat(dwidth - used);
  return `${out}\n`;
}

/** Minimal shape of a result this module prints (QueryResult or a queryArrays result). */
export interface ResultSet {
  readonly fields: readonly FieldInfo[];
  /** Rows as positional cells, in field order. */
  readonly cells: readonly (readonly unknown[])[];
}

export function resultToAligned(result: ResultSet): AlignedTable {
  const { fields } = result;
  return {
    headers: fields.map((f) => f.name),
    rightAlign: fields.map((f) => isRightAligned(f.typeOid)),
    rows: result.cells.map((row) => fields.map((f, j) => {
      const v = row[j];
      return v === null || v === undefined ? null : formatValueText(v, f.typeOid);
    })),
    footers: [rowCountFooter(result.cells.length)],
  };
}

/** A query result as psql prints it in aligned mode (or expanded, with \x on). */
export function formatResultTable(
  result: ResultSet, options: TableOptions & { expanded?: boolean } = {},
): string {
  const table = resultToAligned(result);
  return options.expanded === true
    ? formatExpanded({ ...table, footers: [] }, options)
    : formatAligned(table, options);
}
