/**
 * Privilege checks for DDL, made once before the DDL runs: CREATE needs CREATE on the target
 * schema (CREATE SCHEMA: CREATE on the database), ALTER / DROP / COMMENT / CREATE INDEX need
 * ownership of the object (or of its schema, for DROP, as PostgreSQL allows), TRUNCATE needs the
 * TRUNCATE privilege. Names that do not resolve are left to the DDL itself, which raises the
 * usual "does not exist" errors.
 */
import { DbError } from '../errors/index.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { RelationDef } from '../catalog/objects.ts';
import type { ObjectName, Statement } from '../sql/ast.ts';
import { Priv } from './acl.ts';
import {
  checkSchemaCreate, hasDatabasePrivilege, hasOwnership, hasRelationPrivilege, isSuperuser, mustBeOwner,
  ownerOf, permissionDenied,
} from './privileges.ts';

const KIND_WORD: Record<RelationDef['kind'], string> = { table: 'table', view: 'view', sequence: 'sequence', index: 'index' };

function creationSchema(catalog: Catalog, name: ObjectName, searchPath: readonly string[]): string | null {
  try {
    return catalog.creationSchema(name, searchPath);
  } catch {
    return null;
  }
}

/** Must own the relation (a missing one is the DDL's error to raise). */
function checkRelationOwner(catalog: Catalog, user: string, name: ObjectName, searchPath: readonly string[], orSchemaOwner = false): void {
  const rel = catalog.findRelation(name, searchPath);
  if (rel === undefined) return;
  if (hasOwnership(catalog, user, ownerOf(catalog, rel))) return;
  if (orSchemaOwner) {
    const s = catalog.schemas.get(rel.schema);
    if (s !== undefined && hasOwnership(catalog, user, s.owner)) return;
  }
  throw mustBeOwner(KIND_WORD[rel.kind], rel.name);
}

function checkSchemaOwner(catalog: Catalog, user: string, name: string): void {
  const s = catalog.schemas.get(name);
  if (s !== undefined && !hasOwnership(catalog, user, s.owner)) throw mustBeOwner('schema', s.name);
}

export function checkDdlPrivileges(stmt: Statement, catalog: Catalog, user: string, searchPath: readonly string[], database: string): void {
  if (isSuperuser(catalog, user)) return;
  switch (stmt.kind) {
    case 'CreateTable': case 'CreateTableAs': case 'CreateSequence': {
      // Temporary objects need TEMPORARY on the database instead of CREATE on a schema.
      const temp = 'persistence' in stmt && stmt.persistence === 'temp';
      if (temp && !hasDatabasePrivilege(catalog, user, Priv.temporary)) throw permissionDenied('database', database);
      const schema = temp ? null : creationSchema(catalog, stmt.name, searchPath);
      if (schema !== null) checkSchemaCreate(catalog, user, schema);
      if (stmt.kind === 'CreateTable') checkReferences(catalog, user, stmt, searchPath);
      return;
    }
    case 'CreateView': {
      const schema = creationSchema(catalog, stmt.name, searchPath);
      if (schema !== null) checkSchemaCreate(catalog, user, schema);
      if (stmt.orReplace) checkRelationOwner(catalog, user, stmt.name, searchPath);
      return;
    }
    case 'CreateIndex':
      checkRelationOwner(catalog, user, stmt.table, searchPath);
      return;
    case 'CreateSchema':
      if (!hasDatabasePrivilege(catalog, user, Priv.create)) throw permissionDenied('database', database);
      if (stmt.authorization !== null && !hasOwnership(catalog, user, stmt.authorization)) {
        throw new DbError('insufficient_privilege', `must be member of role "${stmt.authorization}"`);
      }
      return;
    case 'Drop':
      for (const n of stmt.names) {
        if (stmt.objectType === 'schema') checkSchemaOwner(catalog, user, n.name);
        else if (stmt.objectType === 'table' || stmt.objectType === 'view' || stmt.objectType === 'sequence' || stmt.objectType === 'index') {
          checkRelationOwner(catalog, user, n, searchPath, true);
        }
      }
      return;
    case 'AlterTable':
      if (stmt.objectType === 'schema') checkSchemaOwner(catalog, user, stmt.name.name);
      else checkRelationOwner(catalog, user, stmt.name, searchPath);
      return;
    case 'AlterSequence':
      checkRelationOwner(catalog, user, stmt.name, searchPath);
      return;
    case 'Rename':
      if (stmt.objectType === 'schema') checkSchemaOwner(catalog, user, stmt.name.name);
      else if (stmt.objectType !== 'role') checkRelationOwner(catalog, user, stmt.name, searchPath);
      return;
    case 'Comment': {
      const parts = stmt.object;
      if (stmt.objectType === 'schema') { checkSchemaOwner(catalog, user, parts[parts.length - 1]!); return; }
      const relParts = stmt.objectType === 'column' ? parts.slice(0, -1) : stmt.onTable ? null : parts;
      const name: ObjectName | null = stmt.onTable ?? (relParts && relParts.length > 0
        ? { kind: 'ObjectName', catalog: null, schema: relParts.length > 1 ? relParts[relParts.length - 2]! : null, name: relParts[relParts.length - 1]!, loc: stmt.loc }
        : null);
      if (name !== null) checkRelationOwner(catalog, user, name, searchPath);
      return;
    }
    case 'Truncate':
      for (const t of stmt.tables) {
        const rel = catalog.findRelation(t.name, searchPath);
        if (rel !== undefined && !hasRelationPrivilege(catalog, user, rel, Priv.truncate, null)) throw permissionDenied(KIND_WORD[rel.kind], rel.name);
      }
      return;
    default:
      return;
  }
}

/** FOREIGN KEY ... REFERENCES t needs REFERENCES on t. */
function checkReferences(catalog: Catalog, user: string, stmt: Extract<Statement, { kind: 'CreateTable' }>, searchPath: readonly string[]): void {
  const refs: ObjectName[] = [];
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) { for (const x of v) visit(x); return; }
    const o = v as Record<string, unknown>;
    if (o['kind'] === 'ForeignKeyConstraint') refs.push(o['refTable'] as ObjectName);
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(stmt.elements);
  for (const r of refs) {
    const rel = catalog.findRelation(r, searchPath);
    if (rel !== undefined && !hasRelationPrivilege(catalog, user, rel, Priv.references, null)) throw permissionDenied('table', rel.name);
  }
}
