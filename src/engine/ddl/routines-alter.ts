/**
 * ALTER FUNCTION / PROCEDURE / ROUTINE / AGGREGATE name[(types)]: RENAME TO, OWNER TO, SET SCHEMA,
 * and the attribute forms (IMMUTABLE | STABLE | VOLATILE, [NOT] STRICT, SECURITY DEFINER |
 * INVOKER, SET param = value, RESET param | ALL). Each builds a new definition (version + 1),
 * so compiled bodies and cached plans follow.
 */
import { DbError } from '../../errors/index.ts';
import type { AlterRoutineStmt, FunctionSignature } from '../../sql/ast.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import { inputArgs, putRoutine, routinesNamed, type RoutineDef } from '../../catalog/routines.ts';
import { resolveTypeName } from '../../plan/binder/type-names.ts';
import { formatType } from '../../types/sql-type.ts';
import { isCustomSetting, settingDef, unknownSetting } from '../settings.ts';
import { resultOf, type StatementResult } from '../dml/statement-env.ts';
import type { RoutineDdlContext } from './routines-create.ts';

/** The routine a signature names (search path order; the argument list when given). */
export function resolveRoutineSignature(
  catalog: Catalog, sig: FunctionSignature, objectType: AlterRoutineStmt['objectType'], searchPath: readonly string[],
): RoutineDef {
  const cands = (sig.name.schema !== null ? routinesNamed(catalog, sig.name.schema, sig.name.name)
    : searchPath.flatMap((s) => routinesNamed(catalog, s, sig.name.name)))
    .filter((r) => objectType === 'routine' || r.kind === objectType);
  let matches = cands;
  if (sig.params !== null) {
    const types = sig.params.filter((p) => p.mode !== 'out').map((p) => resolveTypeName(p.type));
    matches = cands.filter((r) => {
      const ins = inputArgs(r);
      return ins.length === types.length && ins.every((a, i) => a.type.oid === types[i]!.oid);
    });
  } else if (matches.length > 1) {
    throw new DbError('ambiguous_function', `${objectType} name "${sig.name.name}" is not unique`,
      { hint: 'Specify the argument list to select the function unambiguously.', position: sig.loc + 1 });
  }
  const hit = matches[0];
  if (hit === undefined) {
    const args = sig.params === null ? '' : `(${sig.params.filter((p) => p.mode !== 'out').map((p) => formatType(resolveTypeName(p.type))).join(', ')})`;
    throw new DbError('undefined_function', `${objectType} ${sig.name.name}${args} does not exist`, { position: sig.loc + 1 });
  }
  return hit;
}

export function runAlterRoutine(stmt: AlterRoutineStmt, rc: RoutineDdlContext): StatementResult {
  const { session, txn } = rc;
  const catalog = session.catalogForDdl(txn);
  const def = resolveRoutineSignature(catalog, stmt.signature, stmt.objectType, session.searchPath());
  const a = stmt.action;
  let next: RoutineDef = { ...def, version: def.version + 1 };
  const clash = (schema: string, name: string): void => {
    const sig = inputArgs(def).map((x) => x.type.oid).join(',');
    if (routinesNamed(catalog, schema, name).some((r) => r.oid !== def.oid && inputArgs(r).map((x) => x.type.oid).join(',') === sig)) {
      throw new DbError('duplicate_function', `function ${name}(${inputArgs(def).map((x) => formatType(x.type)).join(', ')}) already exists in schema "${schema}"`);
    }
  };
  switch (a.kind) {
    case 'rename':
      clash(def.schema, a.name);
      next = { ...next, name: a.name };
      break;
    case 'owner':
      next = { ...next, owner: a.role === 'current_user' || a.role === 'session_user' ? session.user : a.role };
      break;
    case 'schema':
      if (!catalog.schemas.has(a.schema)) throw new DbError('invalid_schema_name', `schema "${a.schema}" does not exist`);
      clash(a.schema, def.name);
      next = { ...next, schema: a.schema };
      break;
    case 'reset':
      next = { ...next, config: a.name === 'all' ? [] : def.config.filter(([k]) => k !== a.name) };
      break;
    case 'options': {
      let config = [...def.config];
      for (const o of a.options) {
        if (o.name === 'volatility') next = { ...next, volatility: o.value as RoutineDef['volatility'] };
        else if (o.name === 'strict') next = { ...next, strict: o.value === true };
        else if (o.name === 'security') next = { ...next, securityDefiner: o.value === 'definer' };
        else if (o.name === 'set') {
          const [name, ...values] = o.value as readonly string[];
          if (!settingDef(name!) && !isCustomSetting(name!)) throw unknownSetting(name!);
          config = [...config.filter(([k]) => k !== name), [name!, values.join(', ')]];
        }
      }
      next = { ...next, config };
      break;
    }
  }
  putRoutine(catalog, next);
  return resultOf(`ALTER ${stmt.objectType === 'procedure' ? 'PROCEDURE' : stmt.objectType === 'aggregate' ? 'AGGREGATE' : 'FUNCTION'}`, 0);
}
