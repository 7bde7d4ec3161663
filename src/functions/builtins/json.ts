/**
 * All json/jsonb scalar functions and operators, gathered for registerExtended: operators and
 * accessors (json-ops.ts), constructors and editing (json-build.ts) and the SQL/JSON path
 * functions defined here (jsonb_path_exists/match/query_first/query_array and @? / @@; the
 * set-returning jsonb_path_query lives with the table functions). jsonpath arguments are text.
 */
import { defineScalar, type FunctionRegistry, type ScalarFunctionDef } from '../registry.ts';
import { Types } from '../../types/sql-type.ts';
import { Jsonb, parseJsonb } from '../../types/json.ts';
import { jsonOperatorAndAccessorDefs } from './json-ops.ts';
import { jsonBuildDefs } from './json-build.ts';
import { jsonPathMatch, runJsonPath } from './json-path-eval.ts';

const { jsonb, text, bool } = Types;

function vars(a: unknown[]): Jsonb | null {
  return (a[2] ?? null) as Jsonb | null;
}

function silent(a: unknown[]): boolean {
  return (a[3] ?? false) as boolean;
}

function pathDefs(): ScalarFunctionDef[] {
  const args = [jsonb, text, jsonb, bool];
  // PostgreSQL's parameter names and defaults (vars '{}', silent false) for named notation.
  const named = { argNames: ['target', 'path', 'vars', 'silent'], argDefaults: [null, null, parseJsonb('{}'), false] };
  return [
    defineScalar({ name: 'jsonb_path_exists', args, minArgs: 2, ...named, returns: bool,
      impl: (a) => {
        const r = runJsonPath(a[0] as Jsonb, a[1] as string, vars(a), silent(a));
        return r === null ? null : r.length > 0;
      } }),
    defineScalar({ name: 'jsonb_path_match', args, minArgs: 2, ...named, returns: bool,
      impl: (a) => jsonPathMatch(a[0] as Jsonb, a[1] as string, vars(a), silent(a)) }),
    defineScalar({ name: 'jsonb_path_query_first', args, minArgs: 2, ...named, returns: jsonb,
      impl: (a) => {
        const r = runJsonPath(a[0] as Jsonb, a[1] as string, vars(a), silent(a));
        return r === null || r.length === 0 ? null : new Jsonb(r[0] ?? null);
      } }),
    defineScalar({ name: 'jsonb_path_query_array', args, minArgs: 2, ...named, returns: jsonb,
      impl: (a) => {
        const r = runJsonPath(a[0] as Jsonb, a[1] as string, vars(a), silent(a));
        return r === null ? null : new Jsonb(r);
      } }),
    defineScalar({ name: '@?', args: [jsonb, text], returns: bool,
      impl: (a) => {
        const r = runJsonPath(a[0] as Jsonb, a[1] as string, null, true);
        return r === null ? null : r.length > 0;
      } }),
    defineScalar({ name: '@@', args: [jsonb, text], returns: bool,
      impl: (a) => jsonPathMatch(a[0] as Jsonb, a[1] as string, null, true) }),
  ];
}

export function jsonFunctionDefs(): ScalarFunctionDef[] {
  return [...jsonOperatorAndAccessorDefs(), ...jsonBuildDefs(), ...pathDefs()];
}

export function registerJson(reg: FunctionRegistry): void {
  for (const def of jsonFunctionDefs()) reg.add(def);
}
