/**
 * Composite (record) values: a row of field values held as a plain array, in the field order of
 * the type's RowShape (sql-type.ts). Text output follows PostgreSQL's record_out; ordering and
 * equality follow btrecordcmp / record_eq (fieldwise, a NULL field equal to a NULL field and
 * sorting after every non-NULL one), which is what ORDER BY, DISTINCT and GROUP BY on a composite
 * column use. ROW(...) = ROW(...) in expressions is expanded fieldwise by the binder instead.
 */

/** record_out: `(f1,f2,...)`, NULL fields empty, a field quoted when it could be misread. */
export function formatRecord(values: readonly unknown[], width: number, formatField: (i: number, v: unknown) => string): string {
  let out = '(';
  for (let i = 0; i < width; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) continue;
    out += quoteRecordField(formatField(i, v));
  }
  return out + ')';
}

function quoteRecordField(s: string): string {
  if (s !== '' && !/["\\(),\t\n\v\f\r ]/.test(s)) return s;
  return '"' + s.replace(/["\\]/g, (c) => c + c) + '"';
}

/** btrecordcmp over the given field comparators. */
export function compareRecords(a: readonly unknown[], b: readonly unknown[],
  cmpField: readonly ((x: unknown, y: unknown) => number)[]): number {
  for (let i = 0; i < cmpField.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const c = cmpField[i]!(x, y);
    if (c !== 0) return c;
  }
  return 0;
}
