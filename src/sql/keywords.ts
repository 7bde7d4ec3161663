/**
 * PostgreSQL keyword categories (kwlist.h). Only the categories that restrict where a word may be
 * used as a name are listed; every other word — including all unreserved keywords — is a plain
 * identifier to the parser, which recognizes unreserved keywords by context.
 *
 * Invariants: entries are lower case; a word is in at most one set.
 */

/** Never usable as a column/table/function name without quoting. */
export const reservedKeywords: ReadonlySet<string> = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case',
  'cast', 'check', 'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date',
  'current_role', 'current_time', 'current_timestamp', 'current_user', 'default', 'deferrable',
  'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch', 'for', 'foreign', 'from',
  'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into', 'lateral', 'leading',
  'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or', 'order',
  'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric',
  'system_user', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using',
  'variadic', 'when', 'where', 'window', 'with',
]);

/** Usable as function or type names but not as column/table names (TYPE_FUNC_NAME_KEYWORD). */
export const typeFuncNameKeywords: ReadonlySet<string> = new Set([
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze',
  'full', 'ilike', 'inner', 'is', 'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer',
  'overlaps', 'right', 'similar', 'tablesample', 'verbose',
]);

/** Usable as column/table names but not as function or type names (COL_NAME_KEYWORD). */
export const colNameKeywords: ReadonlySet<string> = new Set([
  'between', 'bigint', 'bit', 'boolean', 'char', 'character', 'coalesce', 'dec', 'decimal',
  'exists', 'extract', 'float', 'greatest', 'grouping', 'inout', 'int', 'integer', 'interval',
  'least', 'national', 'nchar', 'none', 'normalize', 'nullif', 'numeric', 'out', 'overlay',
  'position', 'precision', 'real', 'row', 'setof', 'smallint', 'substring', 'time', 'timestamp',
  'treat', 'trim', 'values', 'varchar', 'xmlattributes', 'xmlconcat', 'xmlelement', 'xmlexists',
  'xmlforest', 'xmlnamespaces', 'xmlparse', 'xmlpi', 'xmlroot', 'xmlserialize', 'xmltable',
]);

/**
 * Non-reserved words that may not be a bare (AS-less) column alias because they can continue the
 * expression before them (PostgreSQL's AS_LABEL keywords plus the postfix-ish type_func_name
 * words).
 */
export const notBareLabel: ReadonlySet<string> = new Set([
  'array', 'char', 'character', 'day', 'filter', 'hour', 'minute', 'month', 'over', 'precision',
  'second', 'varying', 'within', 'without', 'year', 'is', 'isnull', 'notnull', 'like', 'ilike',
  'similar', 'between', 'overlaps', 'at', 'collate', 'escape', 'uescape',
]);
