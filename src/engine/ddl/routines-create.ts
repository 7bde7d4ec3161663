/**
 * CREATE [OR REPLACE] FUNCTION / PROCEDURE and DROP FUNCTION / PROCEDURE / ROUTINE / AGGREGATE,
 * with PostgreSQL's rules and SQLSTATEs: overloads differ by input argument types; REPLACE keeps
 * the oid, may not change the result type or kind (42P13 / 42809); the body is compiled at CREATE
 * (syntax errors surface then) through the language registry; a language that is not registered
 * is 42704. Without LANGUAGE the body is JavaScript (`js`), Oxibase's default.
 */
import { checkSchemaCreate, hasOwnership, isSuperuser, mustBeOwner } from '../../auth/privileges.ts';
import { DbError } from '../../errors/index.ts';
import type { CreateFunctionStmt, DropFunctionStmt, FunctionParam } from '../../sql/ast.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import {
  dropRoutineInCatalog, inputArgs, putRoutine, routinesNamed, type ArgMode, type RoutineArg, type RoutineDef,
} from '../../catalog/routines.ts';
import { resolveTypeName } from '../../plan/binder/type-names.ts';
import { formatType, Oid, typeOf, type SqlType } from '../../types/sql-type.ts';
import { findLanguage } from '../../scripting/registry.ts';
import '../../scripting/languages.ts';
import { bindDefault } from '../../routines/function-defs.ts';
import { compileRoutine, forgetCompiled } from '../../routines/invoke.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { Session } from '../session.ts';
import { isCustomSetting, settingDef, unknownSetting } from '../settings.ts';
import type { Txn } from '../../txn/txn.ts';

/** Oxibase's default body language for CREATE FUNCTION / PROCEDURE (issue 7). */
export const DEFAULT_ROUTINE_LANGUAGE = 'js';

export interface RoutineDdlContext {
  readonly session: Session;
  readonly txn: Txn;
  /** The statement's own text (SQL-standard bodies are cut from it). */
  readonly text: string;
}

function option(stmt: CreateFunctionStmt, name: string): CreateFunctionStmt['options'][number] | undefined {
  let found: CreateFunctionStmt['options'][number] | undefined;
  for (const o of stmt.options) {
    if (o.name !== name) continue;
    if (found !== undefined) {
      throw new DbError('syntax_error', 'conflicting or redundant options', { position: o.loc + 1 });
    }
    found = o;
  }
  return found;
}

function paramType(p: FunctionParam): SqlType {
  return resolveTypeName(p.type);
}

/** Builds the argument list; checks PostgreSQL's ordering rules for defaults and VARIADIC. */
function buildArgs(stmt: CreateFunctionStmt): RoutineArg[] {
  const args: RoutineArg[] = [];
  let sawDefault = false;
  stmt.params.forEach((p, i) => {
    if (p.mode === 'table') {
      throw new DbError('invalid_function_definition', 'TABLE mode is only allowed in RETURNS TABLE', { position: p.loc + 1 });
    }
    const mode = p.mode as ArgMode;
    const type = paramType(p);
    if (mode === 'variadic') {
      if (type.elem === null) {
        throw new DbError('invalid_function_definition', 'VARIADIC parameter must be an array', { position: p.loc + 1 });
      }
      if (stmt.params.slice(i + 1).some((q) => q.mode !== 'out')) {
        throw new DbError('invalid_function_definition', 'VARIADIC parameter must be the last input parameter', { position: p.loc + 1 });
      }
    }
    if (stmt.isProcedure && mode === 'variadic') { /* allowed */ }
    let def: RoutineArg['default'] = null;
    if (p.default !== null) {
      if (mode === 'out') {
        throw new DbError('invalid_function_definition', 'only input parameters can have default values', { position: p.loc + 1 });
      }
      const text = p.defaultSource?.text ?? '';
      try {
        bindDefault(text, type);
      } catch (e) {
        if (e instanceof DbError) e.position = undefined;
        throw e;
      }
      def = { text, expr: p.default };
      sawDefault = true;
    } else if (sawDefault && mode !== 'out') {
      throw new DbError('invalid_function_definition',
        'input parameters after one with a default value must also have defaults', { position: p.loc + 1 });
    }
    if (p.name !== null && args.some((a) => a.name === p.name && (a.mode === 'out') === (mode === 'out'))) {
      throw new DbError('invalid_function_definition', `parameter name "${p.name}" used more than once`, { position: p.loc + 1 });
    }
    args.push({ name: p.name, type, mode, default: def });
  });
  return args;
}

interface ResultShape {
  readonly returnType: SqlType | null;
  readonly returnsSet: boolean;
  readonly outColumns: RoutineDef['outColumns'];
  readonly trigger: RoutineDef['trigger'];
}

function resultShape(stmt: CreateFunctionStmt, args: readonly RoutineArg[]): ResultShape {
  const outs = args.filter((a) => a.mode === 'out' || a.mode === 'inout');
  if (stmt.isProcedure) {
    return { returnType: null, returnsSet: false, outColumns: null, trigger: null };
  }
  if (stmt.returnsTable !== null) {
    if (outs.length > 0) {
      throw new DbError('invalid_function_definition', 'OUT and INOUT arguments aren\'t allowed in TABLE functions');
    }
    const cols = stmt.returnsTable.map((c) => ({ name: c.name, type: resolveTypeName(c.type) }));
    return { returnType: typeOf(Oid.record), returnsSet: true, outColumns: cols, trigger: null };
  }
  let returnsSet = false;
  let returnType: SqlType | null = null;
  if (stmt.returns !== null) {
    returnsSet = stmt.returns.setof;
    const name = stmt.returns.name;
    if (name === 'trigger' || name === 'event_trigger') {
      if (args.length > 0) {
        throw new DbError('invalid_function_definition', 'trigger functions cannot have declared arguments',
          { hint: 'The arguments of the trigger can be accessed through TG_NARGS and TG_ARGV instead.' });
      }
      return { returnType: typeOf(Oid.trigger), returnsSet: false, outColumns: null, trigger: name === 'trigger' ? 'row' : 'event' };
    }
    returnType = resolveTypeName(stmt.returns);
  }
  if (outs.length > 0) {
    const expected = outs.length === 1 ? outs[0]!.type : typeOf(Oid.record);
    if (returnType !== null && returnType.oid !== expected.oid) {
      throw new DbError('invalid_function_definition', `function result type must be ${formatType(expected)} because of OUT parameters`);
    }
    if (outs.length === 1) return { returnType: outs[0]!.type, returnsSet, outColumns: null, trigger: null };
    return {
      returnType: typeOf(Oid.record), returnsSet,
      outColumns: outs.map((a, i) => ({ name: a.name ?? `column${i + 1}`, type: a.type })), trigger: null,
    };
  }
  if (returnType === null) {
    throw new DbError('invalid_function_definition', 'function result type must be specified');
  }
  return { returnType, returnsSet, outColumns: null, trigger: null };
}

function bodyOf(stmt: CreateFunctionStmt, language: string): string {
  if (stmt.sqlBody !== null) {
    if (language !== 'sql') {
      throw new DbError('invalid_function_definition', 'inline SQL function body only valid for language SQL');
    }
    return stmt.sqlBodySource ?? '';
  }
  const as = option(stmt, 'as');
  if (as === undefined) throw new DbError('invalid_function_definition', 'no function body specified');
  if (typeof as.value !== 'string') {
    throw new DbError('invalid_function_definition', `only one AS item needed for language "${language}"`, { position: as.loc + 1 });
  }
  return as.value;
}

export function runCreateFunction(stmt: CreateFunctionStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const searchPath = session.searchPath();
  const catalog = session.catalogForDdl(txn);
  const schema = catalog.creationSchema(stmt.name, searchPath);
  const langOpt = option(stmt, 'language');
  const language = stmt.sqlBody !== null && langOpt === undefined ? 'sql'
    : (langOpt?.value as string | undefined)?.toLowerCase() ?? DEFAULT_ROUTINE_LANGUAGE;
  const handler = findLanguage(language);
  if (handler === undefined) {
    throw new DbError('undefined_object', `language "${language}" does not exist`,
      langOpt !== undefined ? { position: langOpt.loc + 1 } : { hint: 'No LANGUAGE was given: function bodies default to JavaScript (js).' });
  }
  // PostgreSQL's language trust model: untrusted languages (no sandbox) are for superusers only.
  if (!handler.trusted && !isSuperuser(catalog, session.user)) {
    throw new DbError('insufficient_privilege', `permission denied for language ${handler.names[0]}`,
      { hint: 'Only superusers can create functions in an untrusted language.' });
  }
  checkSchemaCreate(catalog, session.user, schema);
  const args = buildArgs(stmt);
  const shape = resultShape(stmt, args);
  const body = bodyOf(stmt, language);
  const volatility = (option(stmt, 'volatility')?.value as RoutineDef['volatility'] | undefined) ?? 'volatile';
  const strict = option(stmt, 'strict')?.value === true;
  const securityDefiner = option(stmt, 'security')?.value === 'definer';
  const config: (readonly [string, string])[] = [];
  for (const o of stmt.options) {
    if (o.name !== 'set') continue;
    const [name, ...values] = o.value as readonly string[];
    if (!settingDef(name!) && !isCustomSetting(name!)) throw unknownSetting(name!);
    config.push([name!, values.join(', ')]);
  }
  const kind = stmt.isProcedure ? 'procedure' : 'function';
  const inTypes = args.filter((a) => a.mode !== 'out').map((a) => a.type);
  const existing = findSameSignature(catalog, schema, stmt.name.name, inTypes);
  const draft: RoutineDef = {
    kind, oid: existing?.oid ?? catalog.allocOid(), schema, name: stmt.name.name, owner: existing?.owner ?? session.user,
    args, returnType: shape.returnType, returnsSet: shape.returnsSet, outColumns: shape.outColumns, trigger: shape.trigger,
    language: handler.names[0]!, body, volatility, strict, securityDefiner, config, aggregate: null,
    version: existing === undefined ? 1 : existing.version + 1, comment: existing?.comment ?? null,
  };
  if (existing !== undefined) {
    if (!hasOwnership(catalog, session.user, existing.owner)) throw mustBeOwner(kind, draft.name);
    checkReplace(stmt, existing, draft);
  }
  // Compile now: syntax errors in the body belong to CREATE, as in PostgreSQL's validators.
  compileRoutine(draft, session).dispose();
  putRoutine(catalog, draft);
  if (existing !== undefined) forgetCompiled(session.db, existing.oid);
  return resultOf(stmt.isProcedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION', 0);
}

function findSameSignature(catalog: Catalog, schema: string, name: string, inTypes: readonly SqlType[]): RoutineDef | undefined {
  return routinesNamed(catalog, schema, name).find((r) => sameTypes(inputArgs(r).map((a) => a.type), inTypes));
}

function sameTypes(a: readonly SqlType[], b: readonly SqlType[]): boolean {
  return a.length === b.length && a.every((t, i) => t.oid === b[i]!.oid);
}

function checkReplace(stmt: CreateFunctionStmt, existing: RoutineDef, next: RoutineDef): void {
  const sig = `${existing.name}(${inputArgs(existing).map((a) => formatType(a.type)).join(', ')})`;
  if (!stmt.orReplace) {
    throw new DbError('duplicate_function', `${existing.kind === 'procedure' ? 'procedure' : 'function'} "${sig}" already exists with same argument types`);
  }
  if (existing.kind !== next.kind) {
    throw new DbError('wrong_object_type', `cannot change routine kind`,
      { detail: `"${sig}" is a ${existing.kind}.` });
  }
  const sameResult = (existing.returnType?.oid ?? 0) === (next.returnType?.oid ?? 0) && existing.returnsSet === next.returnsSet &&
    JSON.stringify(existing.outColumns?.map((c) => c.type.oid) ?? null) === JSON.stringify(next.outColumns?.map((c) => c.type.oid) ?? null);
  if (!sameResult) {
    throw new DbError('invalid_function_definition', `cannot change return type of existing function`,
      { hint: `Use DROP FUNCTION ${sig} first.` });
  }
}

/** DROP FUNCTION / PROCEDURE / ROUTINE / AGGREGATE name[(types)] [, ...] [CASCADE | RESTRICT]. */
export function runDropFunction(stmt: DropFunctionStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const searchPath = session.searchPath();
  const catalog = session.catalogForDdl(txn);
  const what = stmt.objectType;
  const dropped: RoutineDef[] = [];
  for (const sig of stmt.functions) {
    const candidates = (sig.name.schema !== null ? routinesNamed(catalog, sig.name.schema, sig.name.name)
      : searchPath.flatMap((s) => routinesNamed(catalog, s, sig.name.name)))
      .filter((r) => what === 'routine' || r.kind === what);
    let matches = candidates;
    if (sig.params !== null) {
      const types = sig.params.filter((p) => p.mode !== 'out').map(paramType);
      matches = candidates.filter((r) => sameTypes(inputArgs(r).map((a) => a.type), types));
      if (sig.params.length > 0 || matches.length === 0) {
        // PostgreSQL also accepts the full list including OUT arguments.
        const all = sig.params.map(paramType);
        const full = candidates.filter((r) => sameTypes(r.args.map((a) => a.type), all));
        if (matches.length === 0) matches = full;
      }
    } else if (matches.length > 1) {
      throw new DbError('ambiguous_function', `${what} name "${sig.name.name}" is not unique`,
        { hint: 'Specify the argument list to select the function unambiguously.', position: sig.loc + 1 });
    }
    // The first schema of the search path that has a match.
    const target = matches[0];
    if (target === undefined) {
      const args = sig.params === null ? '' : `(${sig.params.filter((p) => p.mode !== 'out').map((p) => formatType(paramType(p))).join(', ')})`;
      const full = `${sig.name.schema !== null ? `${sig.name.schema}.` : ''}${sig.name.name}${args}`;
      if (stmt.ifExists) {
        session.notice('NOTICE', '00000', `${what} ${full} does not exist, skipping`);
        continue;
      }
      throw new DbError('undefined_function', `${what} ${full} does not exist`, { position: sig.loc + 1 });
    }
    if (!hasOwnership(catalog, session.user, target.owner)) throw mustBeOwner(target.kind, target.name);
    dropRoutine(catalog, target, stmt.behavior === 'cascade', session);
    dropped.push(target);
  }
  return resultOf(`DROP ${what.toUpperCase()}`, 0);
}

/** Removes a routine and what depends on it (triggers, aggregates) or refuses (2BP01). */
export function dropRoutine(catalog: Catalog, def: RoutineDef, cascade: boolean, session: Session): void {
  const dependents: string[] = [];
  const triggers = [...catalog.triggers.values()].filter((t) => t.functionOid === def.oid);
  const eventTriggers = [...catalog.eventTriggers.values()].filter((t) => t.functionOid === def.oid);
  const aggregates = [...catalog.routines.values()].filter((r) => r.aggregate !== null &&
    (r.aggregate.sfunc === def.oid || r.aggregate.finalfunc === def.oid));
  for (const t of triggers) {
    const table = catalog.byOid.get(t.tableOid);
    dependents.push(`trigger ${t.name} on table ${table?.name ?? '?'} depends on function ${def.name}()`);
  }
  for (const t of eventTriggers) dependents.push(`event trigger ${t.name} depends on function ${def.name}()`);
  for (const a of aggregates) dependents.push(`function ${a.name}(${inputArgs(a).map((x) => formatType(x.type)).join(', ')}) depends on function ${def.name}`);
  if (dependents.length > 0 && !cascade) {
    throw new DbError('dependent_objects_still_exist', `cannot drop function ${def.name}(${inputArgs(def).map((a) => formatType(a.type)).join(', ')}) because other objects depend on it`,
      { detail: dependents.join('\n'), hint: 'Use DROP ... CASCADE to drop the dependent objects too.' });
  }
  if (dependents.length > 0) {
    session.notice('NOTICE', '00000', dependents.length === 1 ? `drop cascades to ${dependents[0]!.split(' depends')[0]}`
      : `drop cascades to ${dependents.length} other objects`, dependents.map((d) => `drop cascades to ${d.split(' depends')[0]}`).join('\n'));
  }
  dropRoutineInCatalog(catalog, def);
  forgetCompiled(session.db, def.oid);
}

/** The routine a COMMENT ON FUNCTION / PROCEDURE names (by signature when given). */
export function findRoutineForComment(
  catalog: Catalog, stmt: Extract<import('../../sql/ast.ts').Statement, { kind: 'Comment' }>, searchPath: readonly string[],
): RoutineDef {
  const parts = stmt.object;
  const name = parts[parts.length - 1]!;
  const schemas = parts.length > 1 ? [parts[0]!] : searchPath;
  let cands = schemas.flatMap((s) => routinesNamed(catalog, s, name));
  if (stmt.args !== null) {
    const types = stmt.args.filter((p) => p.mode !== 'out').map(paramType);
    cands = cands.filter((r) => sameTypes(inputArgs(r).map((a) => a.type), types));
  }
  if (cands.length === 0) throw new DbError('undefined_function', `function ${parts.join('.')} does not exist`, { position: stmt.loc + 1 });
  if (cands.length > 1) throw new DbError('ambiguous_function', `function name "${name}" is not unique`, { position: stmt.loc + 1 });
  return cands[0]!;
}
