/**
 * Blocks, declarations and statement lists:
 *   [<<label>>] [DECLARE decl...] BEGIN stmt... [EXCEPTION WHEN cond [OR cond] THEN stmt...] END [label]
 */
import { DbError } from '../errors/index.ts';
import { parseTypeName, Tok } from '../sql/index.ts';
import { resolveTypeName } from '../plan/binder/type-names.ts';
import { Types } from '../types/sql-type.ts';
import type { Block, ExceptionHandler, SqlExpr, Stmt, TypeSpec, VarDef } from './ast.ts';
import { conditionCode, isValidSqlState } from './conditions.ts';
import type { Parser } from './parser-core.ts';
import { parseStatement } from './parser-stmts.ts';
import { declareRefcursor, parseCursorDecl } from './parser-cursors.ts';
import { scanUntil } from './sql-frag.ts';

export function parseBlock(p: Parser, label: string | null): Block {
  const t = p.t;
  p.ns.push(label);
  const decls: VarDef[] = [];
  while (t.acceptKw('declare')) {
    while (!t.isKw('begin') && !t.isKw('declare')) {
      const v = parseDecl(p);
      if (v !== null) decls.push(v);
    }
  }
  t.expectKw('begin');
  const body = parseStmtList(p, ['exception', 'end']);
  let handlers: ExceptionHandler[] | null = null;
  let errVars: Block['errVars'] = null;
  if (t.acceptKw('exception')) {
    p.ns.push(null);
    const line = t.line();
    errVars = {
      state: p.ns.declare({ name: 'sqlstate', kind: 'scalar', spec: { k: 'type', type: Types.text }, line }),
      message: p.ns.declare({ name: 'sqlerrm', kind: 'scalar', spec: { k: 'type', type: Types.text }, line }),
    };
    p.handlerDepth++;
    handlers = [];
    if (!t.isKw('when')) throw t.syntaxError();
    while (t.acceptKw('when')) {
      const conditions = parseConditions(p);
      t.expectKw('then');
      handlers.push({ conditions, body: parseStmtList(p, ['when', 'end']) });
    }
    p.handlerDepth--;
    p.ns.pop();
  }
  t.expectKw('end');
  p.endLabel(label);
  p.ns.pop();
  return { label, decls, body, handlers, errVars };
}

/** Statements up to (not including) one of the keywords. */
export function parseStmtList(p: Parser, until: readonly string[]): Stmt[] {
  const t = p.t;
  const out: Stmt[] = [];
  for (;;) {
    if (t.type() === Tok.Ident && until.includes(t.value())) return out;
    if (t.atEof()) throw t.syntaxError();
    out.push(parseStatement(p));
  }
}

function parseConditions(p: Parser): string[] {
  const t = p.t;
  const out: string[] = [];
  do {
    const at = t.pos;
    if (t.acceptKw('sqlstate')) {
      if (t.type() !== Tok.String) throw t.syntaxError();
      const code = t.value();
      if (!isValidSqlState(code)) throw t.error(`invalid SQLSTATE code "${code}"`);
      t.pos++;
      out.push(code);
      continue;
    }
    const name = t.expectIdent();
    if (name === 'others') {
      out.push('OTHERS');
      continue;
    }
    const code = conditionCode(name);
    if (code === null) {
      const e = t.error(`unrecognized exception condition "${name}"`, at);
      throw new DbError('undefined_object', e.message, { where: e.where });
    }
    out.push(code);
  } while (t.acceptKw('or'));
  return out;
}

/** One declaration (ending at `;`); null for ALIAS (no new slot). */
function parseDecl(p: Parser): VarDef | null {
  const t = p.t;
  const at = t.pos;
  const line = t.line();
  const name = t.expectIdent();
  if (p.ns.declaredHere(name)) throw t.error(`duplicate declaration of "${name}"`, at);
  if (t.acceptKw('alias')) {
    t.expectKw('for');
    let target: VarDef | null;
    if (t.type() === Tok.Param) target = p.ns.lookup(`$${t.value()}`);
    else target = t.isIdent() ? p.ns.lookup(t.value()) : null;
    if (target === null) throw t.error(`variable "${t.text.slice(t.start(), t.end())}" does not exist`);
    t.pos++;
    t.expectPunct(';');
    p.ns.alias(name, target);
    return null;
  }
  if (t.isKw('no') && t.isKw('scroll', t.pos + 1)) t.pos += 2;
  else t.acceptKw('scroll');
  if (t.isKw('cursor')) return parseCursorDecl(p, name, line);
  if (t.isKw('refcursor') && t.isPunct(';', t.pos + 1)) {
    t.pos += 2;
    return declareRefcursor(p, name, line);
  }
  const constant = t.acceptKw('constant');
  const spec = parseDeclType(p);
  if (t.acceptKw('collate')) t.expectIdent();
  let notNull = false;
  if (t.isKw('not') && t.isKw('null', t.pos + 1)) {
    t.pos += 2;
    notNull = true;
  }
  let defaultExpr: SqlExpr | null = null;
  if (t.acceptKw('default') || t.acceptPunct(':=') || t.acceptPunct('=')) defaultExpr = p.exprToSemi();
  else t.expectPunct(';');
  if ((constant || notNull) && defaultExpr === null) {
    throw t.error(`variable "${name}" must have a default value, since it's declared ${constant ? 'CONSTANT' : 'NOT NULL'}`, at);
  }
  const kind = spec.k === 'record' || spec.k === 'rowtype' ? 'record' : 'scalar';
  return p.ns.declare({ name, kind, spec, constant, notNull, defaultExpr, line });
}

/** The type of a declaration: tokens up to NOT NULL / DEFAULT / := / = / ; / COLLATE. */
function parseDeclType(p: Parser): TypeSpec {
  const t = p.t;
  const from = t.pos;
  const end = scanUntil(t, from, (i) => t.isPunct(';', i) || t.isPunct(':=', i) || t.isPunct('=', i)
    || t.isKw('default', i) || t.isKw('collate', i) || (t.isKw('not', i) && t.isKw('null', i + 1)));
  if (end === from) throw t.syntaxError();
  t.pos = end;
  const last = end - 1;
  const text = t.text.slice(t.start(from), t.end(last));
  if (end - from >= 3 && t.isPunct('%', last - 1)) {
    const head = t.text.slice(t.start(from), t.end(last - 2));
    if (t.isKw('rowtype', last)) return { k: 'rowtype', table: head };
    if (t.isKw('type', last)) {
      const variable = end - from === 3 && t.isIdent(from) ? p.ns.lookup(t.value(from)) : null;
      return { k: 'percent_type', text: head, variable };
    }
  }
  if (end - from === 1 && t.isKw('record', from)) return { k: 'record' };
  try {
    return { k: 'type', type: resolveTypeName(parseTypeName(text)) };
  } catch {
    // Not a built-in type: a bare (qualified) name is a table's row type, as in PostgreSQL where
    // every table defines one; anything else is asked of the host on first call.
    if (/^[\p{L}_"][\p{L}\p{N}_$."]*$/u.test(text)) return { k: 'rowtype', table: text };
    return { k: 'named', text };
  }
}
