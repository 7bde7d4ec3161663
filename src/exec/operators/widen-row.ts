/**
 * Rows stored before ALTER TABLE ADD COLUMN are shorter than the table; reading them fills the new
 * columns with each column's `missing` value (PostgreSQL's attmissingval), never undefined.
 */
import type { TableDef } from '../../catalog/objects.ts';
import type { Row } from '../../storage/version.ts';

export function widenRow(row: Row, table: TableDef): Row {
  const out = row.slice();
  out.length = table.nextAttnum;
  for (let i = row.length; i < out.length; i++) out[i] = null;
  for (const c of table.columns) {
    if (c.attnum >= row.length) out[c.attnum] = c.missing ?? null;
  }
  return out;
}
