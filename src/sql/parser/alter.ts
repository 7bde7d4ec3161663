/**
 * ALTER TABLE / VIEW / MATERIALIZED VIEW / INDEX / SEQUENCE / SCHEMA, including the RENAME forms,
 * which become a separate RenameStmt (PostgreSQL does not allow RENAME mixed with other actions).
 *
 * Invariants: ALTER SEQUENCE with only sequence options is AlterSequenceStmt; with RENAME /
 * SET SCHEMA / OWNER TO it goes through the generic AlterTable / Rename nodes.
 */
import type {
  AlterTableAction, AlterTableStmt, ObjectName, RenameObjectType, RenameStmt, Statement,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseExpr } from './expressions.ts';
import { parseDropBehavior } from './dml.ts';
import {
  parseColumnDef, parseIdentity, parseSequenceOptions, parseTableConstraint,
} from './ddl.ts';
import { parseTypeName } from './types.ts';

type AlterObject = AlterTableStmt['objectType'];

/** After ALTER; dispatches on the object type. */
export function parseAlter(p: Parser, loc: number): Statement {
  if (p.acceptKw('table')) return parseAlterRelation(p, 'table', loc);
  if (p.acceptKw('view')) return parseAlterRelation(p, 'view', loc);
  if (p.acceptKws('materialized', 'view')) return parseAlterRelation(p, 'materialized_view', loc);
  if (p.acceptKw('index')) return parseAlterRelation(p, 'index', loc);
  if (p.acceptKw('sequence')) return parseAlterRelation(p, 'sequence', loc);
  if (p.acceptKw('schema')) {
    const name = p.objectName();
    if (p.acceptKws('rename', 'to')) {
      return rename('schema', 'schema', name, null, p.colId(), false, loc);
    }
    p.expectKw('owner');
    p.expectKw('to');
    return { kind: 'AlterTable', objectType: 'schema', name, ifExists: false, only: false,
      actions: [{ kind: 'OwnerTo', role: p.colId(), loc }], loc };
  }
  throw p.error();
}

function rename(objectType: RenameObjectType, relationType: RenameObjectType, name: ObjectName,
  subName: string | null, newName: string, ifExists: boolean, loc: number): RenameStmt {
  return { kind: 'Rename', objectType, relationType, name, subName, newName, ifExists, loc };
}

function parseAlterRelation(p: Parser, objectType: AlterObject, loc: number): Statement {
  const ifExists = p.acceptKws('if', 'exists');
  const only = p.acceptKw('only');
  const name = p.objectName();
  p.acceptOp('*');
  if (p.acceptKw('rename')) {
    if (p.acceptKw('to')) {
      return rename(objectType, objectType, name, null, p.colId(), ifExists, loc);
    }
    if (p.acceptKw('constraint')) {
      const old = p.colId();
      p.expectKw('to');
      return rename('constraint', objectType, name, old, p.colId(), ifExists, loc);
    }
    p.acceptKw('column');
    const old = p.colId();
    p.expectKw('to');
    return rename('column', objectType, name, old, p.colId(), ifExists, loc);
  }
  if (objectType === 'sequence' && !p.isKw('set') && !p.isKw('owner')) {
    return { kind: 'AlterSequence', name, ifExists, options: parseSequenceOptions(p), loc };
  }
  const actions: AlterTableAction[] = [];
  do actions.push(parseAction(p)); while (p.acceptPunct(','));
  return { kind: 'AlterTable', objectType, name, ifExists, only, actions, loc };
}

function isConstraintStart(p: Parser): boolean {
  return p.isKw('constraint') || p.isKw('check') || p.isKw('primary') || p.isKw('unique') ||
    p.isKw('foreign');
}

function parseAction(p: Parser): AlterTableAction {
  const loc = p.loc;
  if (p.acceptKw('add')) {
    if (isConstraintStart(p)) {
      const c = parseTableConstraint(p);
      if (p.acceptKws('not', 'valid')) {
        if (c.kind === 'CheckConstraint' || c.kind === 'ForeignKeyConstraint') {
          return { kind: 'AddConstraint', constraint: { ...c, notValid: true }, loc };
        }
        throw p.error(p.peek(-2));
      }
      return { kind: 'AddConstraint', constraint: c, loc };
    }
    p.acceptKw('column');
    const ifNotExists = p.acceptKws('if', 'not', 'exists');
    return { kind: 'AddColumn', ifNotExists, column: parseColumnDef(p), loc };
  }
  if (p.acceptKw('drop')) {
    if (p.acceptKw('constraint')) {
      const ifExists = p.acceptKws('if', 'exists');
      const name = p.colId();
      return { kind: 'DropConstraint', ifExists, name, behavior: parseDropBehavior(p), loc };
    }
    p.acceptKw('column');
    const ifExists = p.acceptKws('if', 'exists');
    const name = p.colId();
    return { kind: 'DropColumn', ifExists, name, behavior: parseDropBehavior(p), loc };
  }
  if (p.acceptKw('alter')) {
    p.acceptKw('column');
    return parseAlterColumn(p, p.colId(), loc);
  }
  if (p.acceptKws('validate', 'constraint')) {
    return { kind: 'ValidateConstraint', name: p.colId(), loc };
  }
  if (p.acceptKws('set', 'schema')) return { kind: 'SetSchema', schema: p.colId(), loc };
  if (p.acceptKws('owner', 'to')) return { kind: 'OwnerTo', role: p.nonReservedWord(), loc };
  throw p.error();
}

function parseAlterColumn(p: Parser, column: string, loc: number): AlterTableAction {
  if (p.acceptKws('set', 'data', 'type') || p.acceptKw('type')) {
    const type = parseTypeName(p);
    const collation = p.acceptKw('collate') ? [...p.anyName()] : null;
    const using = p.acceptKw('using') ? parseExpr(p) : null;
    return { kind: 'AlterColumnType', column, type, collation, using, loc };
  }
  if (p.acceptKws('set', 'default')) {
    const start = p.loc;
    const expr = parseExpr(p);
    return { kind: 'AlterColumnSetDefault', column, expr, source: p.source(start, p.prevEnd),
      loc };
  }
  if (p.acceptKws('drop', 'default')) return { kind: 'AlterColumnDropDefault', column, loc };
  if (p.acceptKws('set', 'not', 'null')) return { kind: 'AlterColumnSetNotNull', column, loc };
  if (p.acceptKws('drop', 'not', 'null')) return { kind: 'AlterColumnDropNotNull', column, loc };
  if (p.acceptKw('add')) {
    return { kind: 'AlterColumnAddIdentity', column, identity: parseIdentity(p), loc };
  }
  if (p.acceptKws('drop', 'identity')) {
    return { kind: 'AlterColumnDropIdentity', column, ifExists: p.acceptKws('if', 'exists'), loc };
  }
  // SET GENERATED { ALWAYS | BY DEFAULT } / SET sequence_option / RESTART [ [WITH] n ]
  let always: boolean | null = null;
  const options = [];
  while (true) {
    if (p.acceptKws('set', 'generated')) {
      if (p.acceptKw('always')) always = true;
      else { p.expectKw('by'); p.expectKw('default'); always = false; }
    } else if (p.isKw('restart')) {
      options.push(...parseSequenceOptions(p));
    } else if (p.acceptKw('set')) {
      const before = options.length;
      options.push(...parseSequenceOptions(p));
      if (options.length === before) throw p.error();
    } else {
      break;
    }
  }
  if (always === null && options.length === 0) throw p.error();
  return { kind: 'AlterColumnSetIdentity', column, always, options, loc };
}
