/**
 * Parses a PL/pgSQL function body into a FunctionAst: declares the implicit variables
 * (arguments by name and as $n, OUT columns, FOUND, the trigger variables) in an outer block
 * labelled with the function's name, then parses the body block.
 */
import { arrayOf, Oid, sameType, Types } from '../types/sql-type.ts';
import type { RoutineSource } from '../scripting/language.ts';
import type { FunctionAst, TriggerVars, VarDef, VariableConflict } from './ast.ts';
import { Namespace } from './namespace.ts';
import { parseBlock } from './parser-block.ts';
import { Parser } from './parser-core.ts';
import { Tokens } from './tokens.ts';

/** The unqualified name PostgreSQL prints for a function (schema.name → name). */
export function shortName(qualified: string): string {
  const dot = qualified.lastIndexOf('.');
  return dot < 0 ? qualified : qualified.slice(dot + 1);
}

export function parseFunction(source: RoutineSource): FunctionAst {
  const name = shortName(source.name);
  const t = new Tokens(source.body, name);
  const ns = new Namespace();
  ns.push(name.toLowerCase());
  const line = 0;
  const args: VarDef[] = [];
  source.argTypes.forEach((type, i) => {
    const argName = source.argNames[i] ?? null;
    const kind = type.oid === Oid.record ? 'record' : 'scalar';
    const v = ns.declare({ name: argName ?? `$${i + 1}`, kind, spec: { k: 'type', type }, line });
    ns.alias(`$${i + 1}`, v);
    args.push(v);
  });
  const outs: VarDef[] = [];
  const outsAreVars = outColumnsAreVariables(source);
  (source.outColumns ?? []).forEach((col, i) => {
    const inout = outsAreVars ? args.find((a) => a.name === col.name) : undefined;
    // A composite result's columns get unreachable names: they type the rows, nothing more.
    const name = outsAreVars ? col.name : `\u0000out${i}`;
    outs.push(inout ?? ns.declare({ name, kind: 'scalar', spec: { k: 'type', type: col.type }, line }));
  });
  const found = ns.declare({ name: 'found', kind: 'scalar', spec: { k: 'type', type: Types.bool }, line });
  const trigger = source.isTrigger ? declareTriggerVars(ns) : null;
  const returnType = source.returnType;
  const returnsValue = !source.isProcedure && !source.isTrigger && (source.outColumns === null || !outsAreVars)
    && returnType !== null && returnType.oid !== Oid.void;
  const p = new Parser(t, ns, {
    isProcedure: source.isProcedure, isTrigger: source.isTrigger, returnsSet: source.returnsSet, returnsValue,
  });
  const conflict = directives(t);
  const label = p.label();
  const block = parseBlock(p, label);
  t.acceptPunct(';');
  if (!t.atEof()) throw t.syntaxError();
  return { block, vars: ns.vars, exprCount: ns.exprCount, found, args, outs, outsAreVars, trigger, conflict };
}

/**
 * OUT parameters and RETURNS TABLE columns are variables; the columns of a table row type
 * (RETURNS [SETOF] users) are not. The source tells them apart by the result type: a record
 * (several OUT columns, TABLE), or the single OUT column's own type, versus a row type.
 */
function outColumnsAreVariables(source: RoutineSource): boolean {
  const cols = source.outColumns;
  const rt = source.returnType;
  if (cols === null || source.isProcedure || rt === null || rt.oid === Oid.record) return true;
  return cols.length === 1 && sameType(cols[0]!.type, rt);
}

/** `#variable_conflict error|use_variable|use_column` and `#print_strict_params on|off`. */
function directives(t: Tokens): VariableConflict {
  let conflict: VariableConflict = 'error';
  while (t.isPunct('#')) {
    t.pos++;
    const at = t.pos;
    const name = t.expectIdent();
    const value = t.expectIdent();
    if (name === 'variable_conflict') {
      if (value !== 'error' && value !== 'use_variable' && value !== 'use_column') throw t.syntaxError(at + 1);
      conflict = value;
    } else if (name !== 'print_strict_params') {
      throw t.error(`unrecognized PL/pgSQL directive "${name}"`, at);
    }
  }
  return conflict;
}

function declareTriggerVars(ns: Namespace): TriggerVars {
  const text = (name: string): VarDef => ns.declare({ name, kind: 'scalar', spec: { k: 'type', type: Types.name }, line: 0 });
  return {
    newRec: ns.declare({ name: 'new', kind: 'record', spec: { k: 'record' }, line: 0 }),
    oldRec: ns.declare({ name: 'old', kind: 'record', spec: { k: 'record' }, line: 0 }),
    name: text('tg_name'),
    when: ns.declare({ name: 'tg_when', kind: 'scalar', spec: { k: 'type', type: Types.text }, line: 0 }),
    level: ns.declare({ name: 'tg_level', kind: 'scalar', spec: { k: 'type', type: Types.text }, line: 0 }),
    op: ns.declare({ name: 'tg_op', kind: 'scalar', spec: { k: 'type', type: Types.text }, line: 0 }),
    tableName: text('tg_table_name'),
    relName: text('tg_relname'),
    tableSchema: text('tg_table_schema'),
    nargs: ns.declare({ name: 'tg_nargs', kind: 'scalar', spec: { k: 'type', type: Types.int4 }, line: 0 }),
    argv: ns.declare({ name: 'tg_argv', kind: 'scalar', spec: { k: 'type', type: arrayOf(Types.text) }, line: 0 }),
  };
}
