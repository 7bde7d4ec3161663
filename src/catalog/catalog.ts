/**
 * The catalog: schemas and relations (tables, views, sequences, indexes), immutable per version.
 * DDL clones the catalog (`mutable()`), edits the clone, and the transaction installs it at commit;
 * rollback simply drops the clone. Relation names share one namespace per schema, like pg_class.
 */
import { DbError } from '../errors/index.ts';
import type { ObjectName } from '../sql/ast.ts';
import type { TableStore } from '../storage/table-store.ts';
import type { RelationDef, SchemaDef, TableDef } from './objects.ts';
import type { ScheduleDef } from './schedules.ts';
import type { EventTriggerDef, RoutineDef, TriggerDef } from './routines.ts';
import { AuthState } from '../auth/auth-state.ts';

export const FIRST_USER_OID = 16384;

export function relKey(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

export class Catalog {
  readonly version: number;
  readonly schemas: Map<string, SchemaDef>;
  readonly relations: Map<string, RelationDef>;
  readonly byOid: Map<number, RelationDef>;
  nextOid: number;
  /** Scheduled jobs by name (src/scheduler/). */
  schedules: Map<string, ScheduleDef> = new Map();
  /** User functions, procedures and aggregates by oid (src/catalog/routines.ts has the lookups). */
  routines: Map<number, RoutineDef> = new Map();
  /** Table triggers by oid. */
  triggers: Map<number, TriggerDef> = new Map();
  /** Event triggers by oid. */
  eventTriggers: Map<number, EventTriggerDef> = new Map();
  /** Roles, memberships and ACLs (src/auth/); DDL replaces it in its private copy. */
  auth: AuthState = EMPTY_AUTH;

  constructor(
    version: number, schemas: Map<string, SchemaDef>, relations: Map<string, RelationDef>,
    byOid: Map<number, RelationDef>, nextOid: number,
  ) {
    this.version = version;
    this.schemas = schemas;
    this.relations = relations;
    this.byOid = byOid;
    this.nextOid = nextOid;
  }

  static initial(owner: string): Catalog {
    const schemas = new Map<string, SchemaDef>();
    schemas.set('public', { oid: 2200, name: 'public', owner, comment: 'standard public schema' });
    schemas.set('pg_catalog', { oid: 11, name: 'pg_catalog', owner, comment: 'system catalog schema' });
    schemas.set('information_schema', { oid: 13000, name: 'information_schema', owner, comment: null });
    const c = new Catalog(1, schemas, new Map(), new Map(), FIRST_USER_OID);
    c.auth = AuthState.bootstrap(owner);
    return c;
  }

  /** A private copy for a DDL transaction to edit. */
  mutable(): Catalog {
    const copy = new Catalog(this.version + 1, new Map(this.schemas), new Map(this.relations),
      new Map(this.byOid), this.nextOid);
    copy.schedules = new Map(this.schedules);
    copy.routines = new Map(this.routines);
    copy.triggers = new Map(this.triggers);
    copy.eventTriggers = new Map(this.eventTriggers);
    copy.auth = this.auth;
    return copy;
  }

  allocOid(): number {
    return this.nextOid++;
  }

  putRelation(rel: RelationDef): void {
    this.relations.set(relKey(rel.schema, rel.name), rel);
    this.byOid.set(rel.oid, rel);
  }

  /** Replaces a relation possibly under a new name/schema. */
  replaceRelation(old: RelationDef, next: RelationDef): void {
    this.relations.delete(relKey(old.schema, old.name));
    this.putRelation(next);
  }

  removeRelation(rel: RelationDef): void {
    this.relations.delete(relKey(rel.schema, rel.name));
    this.byOid.delete(rel.oid);
  }

  getRelation(schema: string, name: string): RelationDef | undefined {
    return this.relations.get(relKey(schema, name));
  }

  /** Resolves a relation name through the search path (first match wins). */
  findRelation(name: ObjectName, searchPath: readonly string[]): RelationDef | undefined {
    if (name.schema !== null) return this.getRelation(name.schema, name.name);
    for (const schema of searchPath) {
      const rel = this.getRelation(schema, name.name);
      if (rel) return rel;
    }
    return undefined;
  }

  /** Resolves a relation that must be a table, with PostgreSQL's errors. */
  requireTable(name: ObjectName, searchPath: readonly string[]): TableDef {
    const rel = this.findRelation(name, searchPath);
    if (!rel) throw undefinedRelation(name);
    if (rel.kind !== 'table') {
      throw new DbError('wrong_object_type', `"${name.name}" is not a table`, { position: name.loc + 1 });
    }
    return rel;
  }

  /** The schema new objects go to: the first existing schema in the search path. */
  creationSchema(name: ObjectName, searchPath: readonly string[]): string {
    if (name.schema !== null) {
      if (!this.schemas.has(name.schema)) {
        throw new DbError('invalid_schema_name', `schema "${name.schema}" does not exist`,
          { position: name.loc + 1 });
      }
      return name.schema;
    }
    for (const s of searchPath) if (this.schemas.has(s) && s !== 'pg_catalog') return s;
    throw new DbError('invalid_schema_name', 'no schema has been selected to create in',
      { position: name.loc + 1 });
  }

  /** The stores of this catalog's tables that `later` no longer has: dropped, or replaced by a rewrite. */
  storesMissingFrom(later: Catalog): TableStore[] {
    const kept = new Set<TableStore>();
    for (const t of later.tables()) kept.add(t.store);
    const missing: TableStore[] = [];
    for (const t of this.tables()) if (!kept.has(t.store)) missing.push(t.store);
    return missing;
  }

  tables(): TableDef[] {
    const out: TableDef[] = [];
    for (const r of this.relations.values()) if (r.kind === 'table') out.push(r);
    return out;
  }
}

const EMPTY_AUTH = AuthState.bootstrap('oxibase');

export function undefinedRelation(name: ObjectName): DbError {
  const full = name.schema ? `${name.schema}.${name.name}` : name.name;
  return new DbError('undefined_table', `relation "${full}" does not exist`, { position: name.loc + 1 });
}
