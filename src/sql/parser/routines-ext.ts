/**
 * Parsing of the routine statements in ast/routines.ts: CREATE AGGREGATE, CREATE / ALTER / DROP
 * EVENT TRIGGER, ALTER TABLE ... ENABLE | DISABLE TRIGGER, and CREATE / ALTER / DROP SCHEDULE.
 *
 * Invariants: entry points are called with the position after CREATE [OR REPLACE] / ALTER / DROP;
 * `tryParseAlterTableTrigger` consumes nothing unless the statement is that form.
 */
import { Tok } from '../lexer.ts';
import type {
  AggregateOption, AlterEventTriggerStmt, AlterTableTriggerStmt, CreateAggregateStmt,
  CreateEventTriggerStmt, DropEventTriggerStmt,
} from '../ast.ts';
import type { Parser } from './parser.ts';
import { parseFunctionParams, parseFunctionSignature } from './ddl-objects.ts';
import type { AlterRoutineAction, AlterRoutineStmt } from '../ast.ts';
import { parseStatement } from './statement.ts';
import { parseTypeName } from './types.ts';
import { parsePrimary } from './primary.ts';
import { parseDropBehavior } from './dml.ts';

/** CREATE [OR REPLACE] AGGREGATE name (args) (SFUNC = f, STYPE = t [, FINALFUNC = g] [, INITCOND = '...'] ...). */
export function parseCreateAggregate(p: Parser, orReplace: boolean, loc: number): CreateAggregateStmt {
  p.expectKw('aggregate');
  const name = p.objectName();
  const params = p.isPunct('(') && p.isOp('*', 1) ? (p.pos += 3, []) : parseFunctionParams(p, false);
  p.expectPunct('(');
  const options: AggregateOption[] = [];
  do {
    const oloc = p.loc;
    const opt = p.colLabel();
    if (!p.acceptOp('=')) throw p.error();
    let value: AggregateOption['value'];
    if (opt === 'stype' || opt === 'mstype') value = parseTypeName(p, false);
    else if (p.peek().type === Tok.String) value = p.stringConst();
    else if (p.peek().type === Tok.Integer || p.peek().type === Tok.Numeric) value = p.next().value;
    else value = p.objectName();
    options.push({ kind: 'AggregateOption', name: opt, value, loc: oloc });
  } while (p.acceptPunct(','));
  p.expectPunct(')');
  return { kind: 'CreateAggregate', orReplace, name, params, options, loc };
}

/** CREATE EVENT TRIGGER name ON event [WHEN TAG IN ('...', ...)] EXECUTE FUNCTION f(). */
export function parseCreateEventTrigger(p: Parser, loc: number): CreateEventTriggerStmt {
  p.expectKw('event');
  p.expectKw('trigger');
  const name = p.colId();
  p.expectKw('on');
  const event = p.colLabel();
  const tags: string[] = [];
  if (p.acceptKw('when')) {
    do {
      const filter = p.colLabel();
      if (filter !== 'tag') throw p.error();
      p.expectKw('in');
      p.expectPunct('(');
      do tags.push(p.stringConst().toUpperCase()); while (p.acceptPunct(','));
      p.expectPunct(')');
    } while (p.acceptKw('and'));
  }
  p.expectKw('execute');
  if (!p.acceptKw('function')) p.expectKw('procedure');
  const fn = p.objectName();
  p.expectPunct('(');
  p.expectPunct(')');
  return { kind: 'CreateEventTrigger', name, event, tags, function: fn, loc };
}

/** After ALTER: EVENT TRIGGER name ENABLE | DISABLE. */
export function parseAlterEventTrigger(p: Parser, loc: number): AlterEventTriggerStmt {
  p.expectKw('event');
  p.expectKw('trigger');
  const name = p.colId();
  let enable: boolean;
  if (p.acceptKw('enable')) {
    enable = true;
    if (p.acceptKw('replica') || p.acceptKw('always')) { /* same as ENABLE here */ }
  } else {
    p.expectKw('disable');
    enable = false;
  }
  return { kind: 'AlterEventTrigger', name, enable, loc };
}

/** After DROP: EVENT TRIGGER [IF EXISTS] name [CASCADE | RESTRICT]. */
export function parseDropEventTrigger(p: Parser, loc: number): DropEventTriggerStmt {
  p.expectKw('event');
  p.expectKw('trigger');
  const ifExists = p.acceptKws('if', 'exists');
  const name = p.colId();
  return { kind: 'DropEventTrigger', ifExists, name, behavior: parseDropBehavior(p), loc };
}

/** After ALTER: TABLE [IF EXISTS] [ONLY] name ENABLE | DISABLE TRIGGER name | ALL | USER, or null. */
export function tryParseAlterTableTrigger(p: Parser, loc: number): AlterTableTriggerStmt | null {
  const start = p.pos;
  if (!p.acceptKw('table')) return null;
  const ifExists = p.acceptKws('if', 'exists');
  p.acceptKw('only');
  if (!p.isColId() && p.peek().type !== Tok.QIdent) { p.pos = start; return null; }
  const table = p.objectName();
  const enable = p.isKw('enable');
  if (!(enable || p.isKw('disable')) || !p.isKw('trigger', 1)) { p.pos = start; return null; }
  p.pos += 2;
  let trigger: string | null = null;
  if (!p.acceptKw('all') && !p.acceptKw('user')) trigger = p.colId();
  return { kind: 'AlterTableTrigger', table, ifExists, enable, trigger, loc };
}

/** After ALTER: FUNCTION | PROCEDURE | ROUTINE | AGGREGATE signature RENAME TO / OWNER TO / SET SCHEMA / options / RESET. */
export function parseAlterRoutine(p: Parser, loc: number): AlterRoutineStmt {
  const objectType = p.next().value as AlterRoutineStmt['objectType'];
  const signature = parseFunctionSignature(p);
  let action: AlterRoutineAction;
  if (p.acceptKws('rename', 'to')) action = { kind: 'rename', name: p.colId() };
  else if (p.acceptKws('owner', 'to')) action = { kind: 'owner', role: p.colLabel() };
  else if (p.acceptKws('set', 'schema')) action = { kind: 'schema', schema: p.colId() };
  else if (p.acceptKw('reset')) action = { kind: 'reset', name: p.acceptKw('all') ? 'all' : p.colLabel() };
  else {
    const options: { name: string; value: boolean | string | readonly string[] }[] = [];
    while (!p.atEnd() && !p.isPunct(';')) {
      if (p.acceptKw('immutable') || p.acceptKw('stable') || p.acceptKw('volatile')) options.push({ name: 'volatility', value: p.value(-1) });
      else if (p.acceptKw('strict') || p.acceptKws('returns', 'null', 'on', 'null', 'input')) options.push({ name: 'strict', value: true });
      else if (p.acceptKws('called', 'on', 'null', 'input')) options.push({ name: 'strict', value: false });
      else if (p.acceptKw('security') || p.acceptKws('external', 'security')) {
        options.push({ name: 'security', value: p.acceptKw('definer') ? 'definer' : (p.expectKw('invoker'), 'invoker') });
      } else if (p.isKw('set')) {
        const st = parseStatement(p);
        if (st.kind !== 'Set') throw p.error();
        options.push({ name: 'set', value: [st.name, ...(st.values ?? []).map((v) => v.value)] });
      } else if (p.acceptKw('restrict')) { /* PostgreSQL ignores it */ } else throw p.error();
    }
    if (options.length === 0) throw p.error();
    action = { kind: 'options', options };
  }
  return { kind: 'AlterRoutine', objectType, signature, action, loc };
}
