/**
 * The text of psql's informational meta-commands, computed from the Session introspection API
 * (listRelations / describeRelation), never from catalog queries: a catalog query that failed
 * inside the user's transaction would abort it.
 *
 *   \d, \dt, \dv, \dm, \di, \ds [PATTERN]  -> "List of relations" (Schema | Name | Type | Owner)
 *   \d NAME                                -> Table "public.t": Column | Type | Nullable | Default,
 *                                             then Indexes:, Check constraints:,
 *                                             Foreign-key constraints:, Referenced by:
 *
 * Patterns follow psql: `*` any text, `?` one character, `.` separates schema from name,
 * unquoted letters fold to lower case, "double quotes" keep case and special characters.
 *
 * Invariant: pure functions of their inputs (RelationDescription values); printing is
 * format-table.ts's job.
 */
import type { RelationDescription } from '../api/types.ts';
import { formatAligned, rowCountFooter, type AlignedTable } from './format-table.ts';

export type RelationKind = RelationDescription['kind'];

export interface NamePattern {
  readonly schema: RegExp | null;
  readonly name: RegExp;
  /** True when the pattern has wildcards (so \d NAME describes every match). */
  readonly wildcard: boolean;
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Parses a psql name pattern (`public.t*`, `"MyTable"`); null for an empty pattern. */
export function parseNamePattern(pattern: string): NamePattern | null {
  const parts: string[] = [''];
  let wildcard = false;
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '"') {
      if (quoted && pattern.charAt(i + 1) === '"') { parts[parts.length - 1] += '"'; i++; continue; }
      quoted = !quoted;
      continue;
    }
    if (quoted) { parts[parts.length - 1] += escapeRegExp(ch); continue; }
    if (ch === '.') { parts.push(''); continue; }
    let piece: string;
    if (ch === '*') { piece = '.*'; wildcard = true; } else if (ch === '?') { piece = '.'; wildcard = true; } else {
      piece = escapeRegExp(ch.toLowerCase());
    }
    parts[parts.length - 1] += piece;
  }
  const name = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] ?? '' : null;
  if (name === '' && (schema === null || schema === '')) return null;
  return {
    schema: schema === null || schema === '' ? null : new RegExp(`^(?:${schema})$`),
    name: new RegExp(`^(?:${name === '' ? '.*' : name})$`),
    wildcard: wildcard || name === '',
  };
}

export function matchesPattern(rel: { schema: string; name: string }, pattern: NamePattern | null): boolean {
  if (pattern === null) return true;
  if (pattern.schema !== null && !pattern.schema.test(rel.schema)) return false;
  return pattern.name.test(rel.name);
}

/**
 * psql's lower-casing of an unquoted name (`MyTab` -> `mytab`, `"MyTab"` -> `MyTab`), for
 * describeRelation when the engine looks names up exactly.
 */
export function normalizeName(name: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name.charAt(i);
    if (ch === '"') {
      if (quoted && name.charAt(i + 1) === '"') { out += '"'; i++; continue; }
      quoted = !quoted;
      continue;
    }
    out += quoted ? ch : ch.toLowerCase();
  }
  return out;
}

const kindOrder: Record<RelationKind, number> = {
  table: 0, view: 1, 'materialized view': 2, sequence: 3, index: 4,
};

function byName(a: RelationDescription, b: RelationDescription): number {
  return a.schema === b.schema ? (a.name < b.name ? -1 : a.name > b.name ? 1 : kindOrder[a.kind] - kindOrder[b.kind])
    : a.schema < b.schema ? -1 : 1;
}

/** What psql says when a listing is empty. */
export function noneFoundMessage(kinds: readonly RelationKind[], pattern: string | null): string {
  const noun = kinds.length === 1
    ? { table: 'tables', view: 'views', 'materialized view': 'materialized views', sequence: 'sequences', index: 'indexes' }[kinds[0] ?? 'table']
    : 'relations';
  return pattern === null ? `Did not find any ${noun}.` : `Did not find any ${noun} named "${pattern}".`;
}

/**
 * "List of relations". `indexTables` maps schema-qualified index names to their table, for the
 * Table column \di shows.
 */
export function formatRelationList(
  relations: readonly RelationDescription[], options: {
    withTableColumn?: boolean; indexTables?: ReadonlyMap<string, string>; verbose?: boolean;
  } = {},
): string {
  const sorted = [...relations].sort(byName);
  const headers = ['Schema', 'Name', 'Type', 'Owner'];
  if (options.withTableColumn === true) headers.push('Table');
  if (options.verbose === true) headers.push('Description');
  const rows = sorted.map((r) => {
    const row: (string | null)[] = [r.schema, r.name, r.kind, r.owner];
    if (options.withTableColumn === true) row.push(options.indexTables?.get(`${r.schema}.${r.name}`) ?? '');
    if (options.verbose === true) row.push(r.comment ?? '');
    return row;
  });
  const table: AlignedTable = {
    title: 'List of relations', headers, rightAlign: headers.map(() => false), rows,
    footers: [rowCountFooter(rows.length)],
  };
  return formatAligned(table);
}

/** Maps `schema.index` to the table that owns it, from the tables' index lists. */
export function indexOwners(tables: readonly RelationDescription[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const t of tables) {
    for (const ix of t.indexes) owners.set(`${t.schema}.${ix.name}`, t.name);
  }
  return owners;
}

/** `CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)` -> `btree (id)`, as psql shows. */
export function indexMethodAndColumns(definition: string): string {
  const using = / USING /i.exec(definition);
  if (using !== null) return definition.slice(using.index + using[0].length);
  const on = / ON /i.exec(definition);
  if (on !== null) {
    const paren = definition.indexOf('(', on.index);
    if (paren >= 0) return definition.slice(paren);
  }
  return definition;
}

const titleKind: Record<RelationKind, string> = {
  table: 'Table', view: 'View', 'materialized view': 'Materialized view', sequence: 'Sequence',
  index: 'Index',
};

function quoted(name: string): string {
  return `"${name}"`;
}

/** The Default column: identity and generated columns read as psql prints them. */
function defaultText(c: RelationDescription['columns'][number]): string {
  if (c.identity !== null) return `generated ${c.identity} as identity`;
  if (c.generated !== null) return `generated always as (${c.generated}) stored`;
  return c.default ?? '';
}

/**
 * \d NAME. `owningIndex` is the table-side entry of an index being described (for psql's
 * `primary key, btree, for table "public.t"` footer); `verbose` is \d+.
 */
export function formatRelationDescription(
  rel: RelationDescription, options: {
    verbose?: boolean; owningTable?: { schema: string; name: string; index: RelationDescription['indexes'][number] };
  } = {},
): string {
  const footers: string[] = [];
  const title = `${titleKind[rel.kind]} ${quoted(`${rel.schema}.${rel.name}`)}`;

  if (rel.kind === 'table' || rel.kind === 'materialized view') {
    const constraintNames = new Map(rel.constraints.map((c) => [c.name, c]));
    const indexes = [...rel.indexes].sort((a, b) =>
      a.primary !== b.primary ? (a.primary ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const indexLines = indexes.map((ix) => {
      const kind = ix.primary ? 'PRIMARY KEY, '
        : ix.unique ? (constraintNames.get(ix.name)?.type === 'u' ? 'UNIQUE CONSTRAINT, ' : 'UNIQUE, ') : '';
      return `    ${quoted(ix.name)} ${kind}${indexMethodAndColumns(ix.definition)}`;
    });
    // Key constraints normally show through their index; one without an index still shows.
    const indexNames = new Set(rel.indexes.map((ix) => ix.name));
    for (const c of rel.constraints) {
      if ((c.type === 'p' || c.type === 'u') && !indexNames.has(c.name)) {
        indexLines.push(`    ${quoted(c.name)} ${c.definition}`);
      }
    }
    const section = (heading: string, lines: readonly string[]): void => {
      if (lines.length > 0) footers.push(heading, ...lines);
    };
    const sortedConstraints = [...rel.constraints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    section('Indexes:', indexLines);
    section('Check constraints:', sortedConstraints.filter((c) => c.type === 'c')
      .map((c) => `    ${quoted(c.name)} ${c.definition}`));
    section('Foreign-key constraints:', sortedConstraints.filter((c) => c.type === 'f')
      .map((c) => `    ${quoted(c.name)} ${c.definition}`));
    section('Referenced by:', [...rel.referencedBy]
      .sort((a, b) => (a.table === b.table ? (a.constraint < b.constraint ? -1 : 1) : a.table < b.table ? -1 : 1))
      .map((r) => `    TABLE ${quoted(r.table)} CONSTRAINT ${quoted(r.constraint)} ${r.definition}`));
  }
  if (rel.kind === 'index' && options.owningTable !== undefined) {
    const { index, schema, name } = options.owningTable;
    const flags = index.primary ? 'primary key, ' : index.unique ? 'unique, ' : '';
    const method = /\bUSING\s+(\w+)/i.exec(index.definition)?.[1] ?? 'btree';
    footers.push(`${flags}${method}, for table ${quoted(`${schema}.${name}`)}`);
  }
  if ((rel.kind === 'view' || rel.kind === 'materialized view') && options.verbose === true &&
    rel.viewDefinition !== null) {
    footers.push('View definition:',
      ...rel.viewDefinition.split('\n').map((l) => (/^\s/.test(l) ? l : ` ${l}`)));
  }
  if (options.verbose === true && rel.comment !== null) footers.push(`Comment: ${rel.comment}`);

  const headers = rel.kind === 'index' || rel.kind === 'sequence'
    ? ['Column', 'Type'] : ['Column', 'Type', 'Nullable', 'Default'];
  const rows = rel.columns.map((c) => (headers.length === 2
    ? [c.name, c.type]
    : [c.name, c.type, c.nullable ? '' : 'not null', defaultText(c)]));
  return formatAligned({
    title, headers, rightAlign: headers.map(() => false), rows, footers,
  });
}
