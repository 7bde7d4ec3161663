/**
 * Cursor execution. A cursor's query runs to completion at OPEN (like FOR over a query) and
 * FETCH / MOVE move a position over the rows, with PostgreSQL's position rules: 0 is before the
 * first row, n + 1 after the last; every direction works (scrollable).
 */
import { DbError } from '../errors/index.ts';
import { errorWithCode } from './conditions.ts';
import type { FieldInfo } from '../scripting/language.ts';
import { Types } from '../types/sql-type.ts';
import type { FetchDirection, Stmt, VarDef } from './ast.ts';
import { assignRow, assignVar } from './assign.ts';
import { NORMAL, type Frame } from './frame.ts';
import { evalExpr, runSql } from './run-sql.ts';
import { runDynamic } from './statements.ts';
import { coerceValue } from './values.ts';

/** An open cursor: its rows and the current position. */
export class CursorState {
  readonly fields: readonly FieldInfo[];
  readonly rows: readonly (readonly unknown[])[];
  pos = 0;

  constructor(fields: readonly FieldInfo[], rows: readonly (readonly unknown[])[]) {
    this.fields = fields;
    this.rows = rows;
  }
}

function openCursor(f: Frame, v: VarDef, args: Extract<Stmt, { k: 'open' }>['args'], s: Extract<Stmt, { k: 'open' }> | null): CursorState {
  if (f.values[v.slot] instanceof CursorState) throw errorWithCode('42P03', `cursor "${v.name}" already in use`);
  const decl = v.cursor!;
  let res;
  if (decl.query !== null) {
    decl.params.forEach((param, i) => {
      const r = evalExpr(f, args[i]!);
      assignVar(f, param, r.value, r.type);
    });
    res = runSql(f, decl.query);
  } else if (s !== null && s.query !== null) res = runSql(f, s.query);
  else if (s !== null && s.dynamic !== null) res = runDynamic(f, s.dynamic);
  else throw new DbError('invalid_cursor_name', `cursor "${v.name}" has no query to open`);
  const state = new CursorState(res.fields, res.rows);
  f.values[v.slot] = state;
  return state;
}

function openState(f: Frame, v: VarDef): CursorState {
  const c = f.values[v.slot];
  if (!(c instanceof CursorState)) throw new DbError('invalid_cursor_name', `cursor "${v.name}" is not open`);
  return c;
}

export function execOpen(f: Frame, s: Extract<Stmt, { k: 'open' }>): number {
  openCursor(f, s.cursor, s.args, s);
  return NORMAL;
}

export function execClose(f: Frame, s: Extract<Stmt, { k: 'close' }>): number {
  openState(f, s.cursor);
  f.values[s.cursor.slot] = null;
  return NORMAL;
}

function count(f: Frame, d: FetchDirection): number {
  const r = evalExpr(f, d.count!);
  if (r.value === null) throw new DbError('null_value_not_allowed', 'FETCH / MOVE count cannot be null');
  return coerceValue(r.value, r.type, Types.int4, f.host.types) as number;
}

/** The position a direction moves to (clamped to 0 .. n + 1). */
function target(f: Frame, c: CursorState, d: FetchDirection): number {
  const n = c.rows.length;
  let pos: number;
  switch (d.kind) {
    case 'next': pos = c.pos + 1; break;
    case 'prior': pos = c.pos - 1; break;
    case 'first': pos = 1; break;
    case 'last': pos = n; break;
    case 'absolute': {
      const k = count(f, d);
      pos = k >= 0 ? k : n + 1 + k;
      break;
    }
    case 'relative': pos = c.pos + count(f, d); break;
    case 'forward': pos = c.pos + count(f, d); break;
    case 'backward': pos = c.pos - count(f, d); break;
    case 'forward_all': pos = n + 1; break;
    case 'backward_all': pos = 0; break;
  }
  return Math.max(0, Math.min(n + 1, pos));
}

export function execFetch(f: Frame, s: Extract<Stmt, { k: 'fetch' }>): number {
  const c = openState(f, s.cursor);
  c.pos = target(f, c, s.direction);
  const row = c.pos >= 1 && c.pos <= c.rows.length ? c.rows[c.pos - 1]! : null;
  if (s.into !== null) assignRow(f, s.into, c.fields, row);
  f.rowCount = row === null ? 0 : 1;
  f.values[f.info.ast.found.slot] = row !== null;
  return NORMAL;
}

/** Opens the cursor, runs the body per row with the loop's record, and closes it again. */
export function openForLoop(f: Frame, s: Extract<Stmt, { k: 'forc' }>): CursorState {
  return openCursor(f, s.cursor, s.args, null);
}

export function closeForLoop(f: Frame, s: Extract<Stmt, { k: 'forc' }>): void {
  f.values[s.cursor.slot] = null;
}
