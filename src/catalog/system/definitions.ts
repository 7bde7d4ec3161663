/**
 * Reconstructed definitions as PostgreSQL's ruleutils prints them: pg_get_constraintdef,
 * pg_get_indexdef and pg_get_viewdef text, shared by the catalog functions and the pg_indexes /
 * information_schema views so every path shows the same text.
 */
import type { Catalog } from '../catalog.ts';
import type { ConstraintDef, IndexDef, RefAction, TableDef } from '../objects.ts';
import { columnName, indexTable, quoteIdent } from './sys-relation.ts';

const ACTION: Record<RefAction, string> = {
  no_action: 'NO ACTION', restrict: 'RESTRICT', cascade: 'CASCADE', set_null: 'SET NULL', set_default: 'SET DEFAULT',
};

function colList(t: TableDef, attnums: readonly number[]): string {
  return attnums.map((a) => quoteIdent(columnName(t, a))).join(', ');
}

/** Qualifies a relation name unless its schema is visible on the search path (like ruleutils). */
export function relName(schema: string, name: string, searchPath: readonly string[]): string {
  const visible = searchPath.find((s) => s === schema) !== undefined;
  return visible ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function constraintDef(catalog: Catalog, t: TableDef, k: ConstraintDef, searchPath: readonly string[]): string {
  switch (k.type) {
    case 'p': return `PRIMARY KEY (${colList(t, k.columns)})`;
    case 'u': return `UNIQUE ${k.nullsNotDistinct ? 'NULLS NOT DISTINCT ' : ''}(${colList(t, k.columns)})`;
    case 'c': return `CHECK (${k.check?.text ?? 'true'})`;
    case 'f': {
      const fk = k.fk!;
      const parent = catalog.byOid.get(fk.refTableOid);
      const pt = parent?.kind === 'table' ? parent : null;
      let s = `FOREIGN KEY (${colList(t, k.columns)}) REFERENCES ${pt ? relName(pt.schema, pt.name, searchPath) : '?'}(${pt ? colList(pt, fk.refColumns) : '?'})`;
      if (fk.match === 'full') s += ' MATCH FULL';
      if (fk.onUpdate !== 'no_action') s += ` ON UPDATE ${ACTION[fk.onUpdate]}`;
      if (fk.onDelete !== 'no_action') s += ` ON DELETE ${ACTION[fk.onDelete]}`;
      return s;
    }
  }
}

/** One key of an index: column name, function call, or parenthesized expression (as ruleutils). */
export function indexKeyText(t: TableDef, k: number | { text: string }): string {
  if (typeof k === 'number') return quoteIdent(columnName(t, k));
  return isFunctionCall(k.text) ? k.text : `(${k.text})`;
}

/** `f(...)` whose opening parenthesis closes at the very end (not `f(a) || g(b)`). */
function isFunctionCall(text: string): boolean {
  const m = /^[A-Za-z_][A-Za-z0-9_.]*\(/.exec(text);
  if (m === null || !text.endsWith(')')) return false;
  let depth = 0;
  let quote = false;
  for (let i = m[0].length - 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quote = !quote;
    if (quote) continue;
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i === text.length - 1;
  }
  return false;
}

export function indexDef(catalog: Catalog, ix: IndexDef, searchPath: readonly string[]): string {
  const t = indexTable(catalog, ix);
  if (!t) return '';
  const keys = ix.keys.map((k, i) => indexKeyText(t, k) + keyOrderText(ix.keyOptions?.[i]));
  let s = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(ix.name)} ON ${relName(t.schema, t.name, searchPath)} USING ${ix.method} (${keys.join(', ')})`;
  if (ix.include.length > 0) s += ` INCLUDE (${colList(t, ix.include)})`;
  if (ix.nullsNotDistinct) s += ' NULLS NOT DISTINCT';
  if (ix.predicate) s += ` WHERE (${ix.predicate.text})`;
  return s;
}

/** ruleutils' key options: DESC, and NULLS FIRST / LAST where it differs from the default. */
function keyOrderText(o: { desc: boolean; nullsFirst: boolean } | undefined): string {
  if (o === undefined) return '';
  if (o.desc) return o.nullsFirst ? ' DESC' : ' DESC NULLS LAST';
  return o.nullsFirst ? ' NULLS FIRST' : '';
}

/** pg_get_viewdef: the stored query text, formatted the way psql expects (leading space, ';'). */
export function viewDef(text: string): string {
  const body = text.trim().replace(/;\s*$/, '');
  return ` ${body};`;
}
