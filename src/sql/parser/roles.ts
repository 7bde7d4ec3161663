/**
 * Roles and privileges: CREATE / ALTER ROLE|USER|GROUP, GRANT / REVOKE on objects, GRANT / REVOKE
 * role membership. (DROP ROLE is in ddl-objects.ts with the other DROP forms.)
 *
 * Invariants: role names are normalized identifiers; PUBLIC, CURRENT_USER, SESSION_USER and
 * CURRENT_ROLE are reported as those lower-case words.
 */
import { Tok } from '../lexer.ts';
import type {
  AlterRoleStmt, CreateRoleStmt, FunctionParam, GrantObjectType, GrantStmt, ObjectName, Privilege,
  RoleOption, Statement,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseDropBehavior } from './dml.ts';
import { parseFunctionParams } from './ddl-objects.ts';
import { parseReset, parseSet } from './utility.ts';

/** RoleSpec: a role name or one of the special role words (some are reserved keywords). */
function roleSpec(p: Parser): string {
  const t = p.peek();
  if (t.type === Tok.Ident && (t.value === 'current_user' || t.value === 'session_user' ||
    t.value === 'current_role' || t.value === 'public')) {
    p.pos++;
    return t.value;
  }
  return p.nonReservedWord();
}

function roleList(p: Parser): string[] {
  const roles = [roleSpec(p)];
  while (p.acceptPunct(',')) roles.push(roleSpec(p));
  return roles;
}

const flagOptions: ReadonlySet<string> = new Set([
  'superuser', 'createdb', 'createrole', 'inherit', 'login', 'replication', 'bypassrls',
]);

function parseRoleOptions(p: Parser): RoleOption[] {
  p.acceptKw('with');
  const options: RoleOption[] = [];
  while (true) {
    const t = p.peek();
    const loc = t.start;
    if (t.type !== Tok.Ident) break;
    const w = t.value;
    if (flagOptions.has(w)) {
      p.pos++;
      options.push({ kind: 'RoleOption', name: w, value: true, loc });
    } else if (w.startsWith('no') && flagOptions.has(w.slice(2))) {
      p.pos++;
      options.push({ kind: 'RoleOption', name: w.slice(2), value: false, loc });
    } else if (p.acceptKws('connection', 'limit')) {
      options.push({ kind: 'RoleOption', name: 'connection_limit', value: p.signedNumber(),
        loc });
    } else if (p.acceptKw('password') || p.acceptKws('encrypted', 'password')) {
      const value = p.acceptKw('null') ? null : p.stringConst();
      options.push({ kind: 'RoleOption', name: 'password', value, loc });
    } else if (p.acceptKws('valid', 'until')) {
      options.push({ kind: 'RoleOption', name: 'valid_until', value: p.stringConst(), loc });
    } else if (p.acceptKws('in', 'role') || p.acceptKws('in', 'group')) {
      options.push({ kind: 'RoleOption', name: 'in_role', value: roleList(p), loc });
    } else if (w === 'role' || w === 'admin' || w === 'user') {
      p.pos++;
      options.push({ kind: 'RoleOption', name: w === 'user' ? 'role' : w, value: roleList(p),
        loc });
    } else if (p.acceptKw('sysid')) {
      options.push({ kind: 'RoleOption', name: 'sysid', value: p.signedNumber(), loc });
    } else {
      break;
    }
  }
  return options;
}

export function parseCreateRole(p: Parser, roleType: string, loc: number): CreateRoleStmt {
  const name = p.nonReservedWord();
  return { kind: 'CreateRole', roleType: roleType as CreateRoleStmt['roleType'], name,
    options: parseRoleOptions(p), loc };
}

/** ALTER ROLE|USER|GROUP name ...; the current token is ROLE / USER / GROUP. */
export function parseAlterRole(p: Parser, loc: number): Statement {
  p.pos++;
  const nloc = p.loc;
  const name = roleSpec(p);
  if (p.acceptKws('rename', 'to')) {
    const objName: ObjectName = { kind: 'ObjectName', catalog: null, schema: null, name,
      loc: nloc };
    return { kind: 'Rename', objectType: 'role', relationType: 'role', name: objName,
      subName: null, newName: p.nonReservedWord(), ifExists: false, loc };
  }
  let set: AlterRoleStmt['set'] = null;
  if (p.isKw('set')) {
    const sloc = p.next().start;
    const s = parseSet(p, sloc);
    if (s.kind !== 'Set') throw p.error();
    set = s;
  } else if (p.isKw('reset')) {
    const sloc = p.next().start;
    set = parseReset(p, sloc);
  }
  const options = set === null ? parseRoleOptions(p) : [];
  return { kind: 'AlterRole', name, options, set, loc };
}

const objectTypes: ReadonlyMap<string, GrantObjectType> = new Map([
  ['table', 'table'], ['sequence', 'sequence'], ['schema', 'schema'], ['function', 'function'],
  ['procedure', 'procedure'], ['routine', 'routine'], ['database', 'database'], ['type', 'type'],
  ['language', 'language'], ['domain', 'domain'],
]);

const allInSchemaTypes: ReadonlyMap<string, GrantObjectType> = new Map([
  ['tables', 'table'], ['sequences', 'sequence'], ['functions', 'function'],
  ['procedures', 'procedure'], ['routines', 'routine'],
]);

function parsePrivilege(p: Parser): Privilege {
  const loc = p.loc;
  const t = p.peek();
  if (t.type !== Tok.Ident && t.type !== Tok.QIdent) throw p.error();
  p.pos++;
  let name = t.value;
  if (name === 'all') p.acceptKw('privileges');
  if (name === 'temp') name = 'temporary';
  const columns = p.isPunct('(') ? p.parenNameList() : null;
  return { kind: 'Privilege', name, columns, loc };
}

/** GRANT / REVOKE (privileges on objects, or role membership). */
export function parseGrant(p: Parser): Statement {
  const t = p.next();
  const loc = t.start;
  const isGrant = t.value === 'grant';
  let grantOption = false;
  let adminOption = false;
  if (!isGrant) {
    if (p.acceptKws('grant', 'option', 'for')) grantOption = true;
    else if (p.acceptKws('admin', 'option', 'for')) adminOption = true;
  }
  const privs: Privilege[] = [];
  do privs.push(parsePrivilege(p)); while (p.acceptPunct(','));
  if (!p.acceptKw('on')) {
    // Role membership: GRANT r1, r2 TO u [WITH ADMIN OPTION].
    if (isGrant) p.expectKw('to'); else p.expectKw('from');
    const grantees = roleList(p);
    if (isGrant && p.acceptKws('with', 'admin', 'option')) adminOption = true;
    const grantedBy = p.acceptKws('granted', 'by') ? roleSpec(p) : null;
    return { kind: 'GrantRole', isGrant, roles: privs.map((x) => x.name), grantees, adminOption,
      grantedBy, behavior: isGrant ? 'default' : parseDropBehavior(p), loc };
  }
  const privileges = privs.length === 1 && privs[0]!.name === 'all' && privs[0]!.columns === null
    ? null : privs;
  let objectType: GrantObjectType = 'table';
  let allInSchema = false;
  const objects: ObjectName[] = [];
  let functionParams: (FunctionParam[] | null)[] | null = null;
  if (p.isKw('all') && allInSchemaTypes.has(p.peek(1).value)) {
    p.pos++;
    objectType = allInSchemaTypes.get(p.next().value)!;
    p.expectKw('in');
    p.expectKw('schema');
    allInSchema = true;
    do objects.push(p.objectName()); while (p.acceptPunct(','));
  } else {
    const ot = objectTypes.get(p.peek().value);
    if (ot !== undefined && p.peek().type === Tok.Ident) {
      p.pos++;
      objectType = ot;
    }
    const isRoutine = objectType === 'function' || objectType === 'procedure' ||
      objectType === 'routine';
    if (isRoutine) functionParams = [];
    do {
      objects.push(p.objectName());
      if (functionParams !== null) {
        functionParams.push(p.isPunct('(') ? parseFunctionParams(p, false) : null);
      }
    } while (p.acceptPunct(','));
  }
  if (isGrant) p.expectKw('to'); else p.expectKw('from');
  const grantees: string[] = [];
  do {
    p.acceptKw('group');
    grantees.push(roleSpec(p));
  } while (p.acceptPunct(','));
  if (isGrant && p.acceptKws('with', 'grant', 'option')) grantOption = true;
  const grantedBy = p.acceptKws('granted', 'by') ? roleSpec(p) : null;
  return { kind: 'Grant', isGrant, privileges, objectType, allInSchema, objects, functionParams,
    grantees, grantOption, grantedBy, behavior: isGrant ? 'default' : parseDropBehavior(p), loc };
}

/** ALTER DEFAULT PRIVILEGES ...; the current tokens are DEFAULT PRIVILEGES. */
export function parseAlterDefaultPrivileges(p: Parser, loc: number): Statement {
  p.expectKw('default');
  p.expectKw('privileges');
  const roles: string[] = [];
  const schemas: string[] = [];
  for (;;) {
    if (p.acceptKws('for', 'role') || p.acceptKws('for', 'user')) roles.push(...roleList(p));
    else if (p.acceptKws('in', 'schema')) { do schemas.push(p.colId()); while (p.acceptPunct(',')); }
    else break;
  }
  const t = p.peek();
  if (!p.isKw('grant') && !p.isKw('revoke')) throw p.error(t);
  const g = parseGrantAbbreviated(p);
  return { kind: 'AlterDefaultPrivileges', roles, schemas, grant: g, loc };
}

const defaultPrivTypes: ReadonlyMap<string, GrantObjectType> = new Map([
  ['tables', 'table'], ['sequences', 'sequence'], ['functions', 'function'], ['routines', 'routine'],
  ['schemas', 'schema'], ['types', 'type'],
]);

/** GRANT/REVOKE privileges ON TABLES|... TO/FROM roles (no object names). */
function parseGrantAbbreviated(p: Parser): GrantStmt {
  const t = p.next();
  const loc = t.start;
  const isGrant = t.value === 'grant';
  let grantOption = !isGrant && p.acceptKws('grant', 'option', 'for');
  const privs: Privilege[] = [];
  do privs.push(parsePrivilege(p)); while (p.acceptPunct(','));
  p.expectKw('on');
  const objectType = defaultPrivTypes.get(p.peek().value);
  if (objectType === undefined) throw p.error();
  p.pos++;
  if (isGrant) p.expectKw('to'); else p.expectKw('from');
  const grantees: string[] = [];
  do { p.acceptKw('group'); grantees.push(roleSpec(p)); } while (p.acceptPunct(','));
  if (isGrant && p.acceptKws('with', 'grant', 'option')) grantOption = true;
  const privileges = privs.length === 1 && privs[0]!.name === 'all' && privs[0]!.columns === null ? null : privs;
  return { kind: 'Grant', isGrant, privileges, objectType, allInSchema: false, objects: [], functionParams: null,
    grantees, grantOption, grantedBy: null, behavior: isGrant ? 'default' : parseDropBehavior(p), loc };
}

/** REASSIGN OWNED BY r, ... TO r; the current token is REASSIGN. */
export function parseReassignOwned(p: Parser, loc: number): Statement {
  p.pos++;
  p.expectKw('owned');
  p.expectKw('by');
  const roles = roleList(p);
  p.expectKw('to');
  return { kind: 'ReassignOwned', roles, newOwner: roleSpec(p), behavior: 'default', loc };
}

/** DROP OWNED BY r, ... [CASCADE | RESTRICT]; the current token is OWNED. */
export function parseDropOwned(p: Parser, loc: number): Statement {
  p.pos++;
  p.expectKw('by');
  const roles = roleList(p);
  return { kind: 'DropOwned', roles, newOwner: null, behavior: parseDropBehavior(p), loc };
}
