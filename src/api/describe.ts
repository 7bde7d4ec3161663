/**
 * Catalog introspection for tools (the shell's \d family): plain descriptions of relations as
 * psql would show them. Reads the catalog the session currently sees.
 */
import { indexDef } from '../catalog/system/definitions.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef, TableDef } from '../catalog/objects.ts';
import { formatType } from '../types/sql-type.ts';
import { parseRelationName } from '../plan/binder/bind-sequence.ts';
import type { RelationDescription } from './types.ts';

function colName(t: TableDef, attnum: number): string {
  return t.columns.find((c) => c.attnum === attnum)?.name ?? '?';
}

function describeTable(t: TableDef, catalog: Catalog): RelationDescription {
  const columns = t.columns.map((c) => ({
    name: c.name, type: formatType(c.type), nullable: !c.notNull,
    default: c.identity ? null : c.default?.text ?? null, identity: c.identity, generated: c.generated?.text ?? null,
  }));
  const indexes = t.indexes.map((i) => ({
    name: i.name, primary: i.primary, unique: i.unique,
    definition: indexDef(catalog, i, []),
  }));
  const constraints = t.constraints.map((k) => {
    let definition: string;
    switch (k.type) {
      case 'p': definition = `PRIMARY KEY (${k.columns.map((a) => colName(t, a)).join(', ')})`; break;
      case 'u': definition = `UNIQUE (${k.columns.map((a) => colName(t, a)).join(', ')})`; break;
      case 'c': definition = `CHECK (${k.check!.text})`; break;
      case 'f': {
        const parent = catalog.byOid.get(k.fk!.refTableOid) as TableDef | undefined;
        const action = (a: string, what: string): string => (a === 'no_action' ? '' : ` ON ${what} ${a.replace('_', ' ').toUpperCase()}`);
        definition = `FOREIGN KEY (${k.columns.map((a) => colName(t, a)).join(', ')}) REFERENCES ${parent?.name ?? '?'}(${k.fk!.refColumns.map((a) => (parent ? colName(parent, a) : '?')).join(', ')})${action(k.fk!.onUpdate, 'UPDATE')}${action(k.fk!.onDelete, 'DELETE')}`;
        break;
      }
    }
    return { name: k.name, type: k.type, definition };
  });
  const referencedBy: RelationDescription['referencedBy'][number][] = [];
  for (const other of catalog.tables()) {
    for (const k of other.constraints) {
      if (k.fk?.refTableOid === t.oid) {
        referencedBy.push({ table: other.name, constraint: k.name, definition: `FOREIGN KEY (${k.columns.map((a) => colName(other, a)).join(', ')}) REFERENCES ${t.name}(${k.fk.refColumns.map((a) => colName(t, a)).join(', ')})` });
      }
    }
  }
  return { schema: t.schema, name: t.name, kind: 'table', owner: t.owner, columns, indexes, constraints, referencedBy, viewDefinition: null, comment: t.comment };
}

export function describe(rel: RelationDef, catalog: Catalog): RelationDescription {
  const base = { schema: rel.schema, name: rel.name, indexes: [], constraints: [], referencedBy: [], viewDefinition: null, comment: rel.comment };
  switch (rel.kind) {
    case 'table':
      return describeTable(rel, catalog);
    case 'view':
      return { ...base, kind: 'view', owner: rel.owner, viewDefinition: rel.text,
        columns: rel.columns.map((c) => ({ name: c.name, type: formatType(c.type), nullable: true, default: null, identity: null, generated: null })) };
    case 'sequence':
      return { ...base, kind: 'sequence', owner: rel.owner, columns: [
        { name: 'last_value', type: 'bigint', nullable: false, default: null, identity: null, generated: null },
        { name: 'is_called', type: 'boolean', nullable: false, default: null, identity: null, generated: null },
      ] };
    case 'index': {
      const t = catalog.byOid.get(rel.tableOid) as TableDef | undefined;
      return { ...base, kind: 'index', owner: t?.owner ?? '', columns: rel.keys.map((k) => ({
        name: typeof k === 'number' && t ? colName(t, k) : String((k as { text?: string }).text ?? k),
        type: typeof k === 'number' && t ? formatType(t.columns.find((c) => c.attnum === k)!.type) : 'expression',
        nullable: true, default: null, identity: null, generated: null,
      })) };
    }
  }
}

export function listRelations(catalog: Catalog, searchPath: readonly string[], kinds?: readonly RelationDescription['kind'][]): RelationDescription[] {
  const out: RelationDescription[] = [];
  for (const rel of catalog.relations.values()) {
    if (!searchPath.includes(rel.schema)) continue;
    const d = describe(rel, catalog);
    if (kinds && !kinds.includes(d.kind)) continue;
    out.push(d);
  }
  return out.sort((a, b) => (a.schema === b.schema ? (a.name < b.name ? -1 : 1) : a.schema < b.schema ? -1 : 1));
}

export function findRelation(catalog: Catalog, searchPath: readonly string[], name: string): RelationDescription | null {
  const rel = catalog.findRelation(parseRelationName(name, 0), searchPath);
  return rel ? describe(rel, catalog) : null;
}
