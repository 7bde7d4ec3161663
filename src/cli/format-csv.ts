/**
 * CSV output (RFC 4180): a header record with the column names, then one record per row, each
 * record ending in CRLF as the RFC specifies. A field is quoted when it contains a comma, a
 * double quote, CR or LF, or leading/trailing spaces; quotes inside are doubled. NULL is an empty
 * unquoted field and the empty string is `""`, so the two stay distinguishable (PostgreSQL's
 * COPY ... CSV convention). Values use PostgreSQL's text output (format-value.ts).
 *
 * Invariant: the output parses back (RFC 4180) to exactly the header and the cell texts.
 */
import type { ResultSet } from './format-table.ts';
import { formatValueText } from './format-value.ts';

const needsQuotes = /[",\r\n]|^\s|\s$/;

export function csvField(text: string | null): string {
  if (text === null) return '';
  if (text === '' || needsQuotes.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRecord(fields: readonly (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function formatResultCsv(result: ResultSet): string {
  let out = csvRecord(result.fields.map((f) => f.name));
  for (const row of result.cells) {
    out += csvRecord(result.fields.map((f, j) => {
      const v = row[j];
      return v === null || v === undefined ? null : formatValueText(v, f.typeOid);
    }));
  }
  return out;
}
