/**
 * Type names (gram.y's Typename): SQL-standard multi-word spellings, generic (possibly qualified)
 * names with integer modifiers, array suffixes, SETOF and %TYPE.
 *
 * Invariants: built-in spellings are normalized to PostgreSQL's internal typname (int4, float8,
 * bpchar, timestamptz ...) here and only here; unknown names are returned lower-cased as written.
 */
import { DbError } from '../../errors/index.ts';
import { Tok } from '../lexer.ts';
import type { TypeName } from '../ast.ts';
import type { Parser } from './parser.ts';

/** Typnames that have another accepted spelling (applies to unquoted and quoted names alike). */
const aliasTypnames: ReadonlyMap<string, string> = new Map([
  ['int4', 'int4'], ['int2', 'int2'], ['int8', 'int8'], ['float4', 'float4'],
  ['float8', 'float8'], ['bool', 'bool'], ['serial4', 'serial'], ['serial8', 'bigserial'],
  ['serial2', 'smallserial'], ['timestamptz', 'timestamptz'], ['timetz', 'timetz'],
]);

/** Keywords that begin an SQL-standard type spelling (and a `type 'literal'` constant). */
export const typeKeywords: ReadonlySet<string> = new Set([
  'int', 'integer', 'smallint', 'bigint', 'real', 'float', 'double', 'decimal', 'dec', 'numeric',
  'boolean', 'char', 'character', 'varchar', 'nchar', 'national', 'bit', 'time', 'timestamp',
  'interval',
]);

const intervalFieldWords: ReadonlySet<string> = new Set([
  'year', 'month', 'day', 'hour', 'minute', 'second',
]);

interface TypeParts {
  schema: string | null;
  name: string;
  modifiers: number[];
}

/** Parses a type name. `allowSetof` for function signatures. */
export function parseTypeName(p: Parser, allowSetof = false): TypeName {
  const loc = p.loc;
  const setof = allowSetof && p.acceptKw('setof');
  const parts = parseBaseType(p);
  let pctType: string[] | null = null;
  const bounds: number[] = [];
  if (p.isOp('%') && p.isKw('type', 1)) {
    p.pos += 2;
    pctType = parts.schema === null ? [parts.name] : [parts.schema, parts.name];
  }
  if (p.acceptKw('array')) {
    if (p.acceptPunct('[')) {
      bounds.push(p.intConst());
      p.expectPunct(']');
    } else {
      bounds.push(-1);
    }
  } else {
    while (p.isPunct('[')) {
      p.pos++;
      if (p.acceptPunct(']')) {
        bounds.push(-1);
        continue;
      }
      bounds.push(p.intConst());
      p.expectPunct(']');
    }
  }
  return {
    kind: 'TypeName', schema: parts.schema, name: parts.name, modifiers: parts.modifiers,
    arrayDims: bounds.length, arrayBounds: bounds, setof, pctType, loc,
  };
}

function parseBaseType(p: Parser): TypeParts {
  const t = p.peek();
  if (t.type === Tok.Ident && typeKeywords.has(t.value)) {
    const special = parseSqlStandardType(p);
    if (special !== null) return special;
  }
  if (!p.isTypeFuncName()) throw p.error();
  const first = p.next();
  let schema: string | null = null;
  let name = first.value;
  if (p.isPunct('.') && p.isColLabel(1)) {
    p.pos++;
    schema = name;
    name = p.next().value;
    // Three-part names (db.schema.type): keep the last two parts.
    if (p.isPunct('.') && p.isColLabel(1)) {
      p.pos++;
      schema = name;
      name = p.next().value;
    }
  }
  const modifiers = p.isPunct('(') ? parseModifiers(p) : [];
  if (schema === null || schema === 'pg_catalog') {
    const alias = aliasTypnames.get(name);
    if (alias !== undefined) name = alias;
  }
  return { schema, name, modifiers };
}

function parseModifiers(p: Parser): number[] {
  p.expectPunct('(');
  const mods: number[] = [];
  do {
    const neg = p.acceptOp('-');
    const v = p.intConst();
    mods.push(neg ? -v : v);
  } while (p.acceptPunct(','));
  p.expectPunct(')');
  return mods;
}

function optPrecision(p: Parser): number[] {
  if (!p.isPunct('(')) return [];
  p.pos++;
  const v = p.intConst();
  p.expectPunct(')');
  return [v];
}

/** WITH TIME ZONE -> true, WITHOUT TIME ZONE -> false, absent -> false. */
function optTimeZone(p: Parser): boolean {
  if (p.isKw('with') && p.isKw('time', 1) && p.isKw('zone', 2)) {
    p.pos += 3;
    return true;
  }
  if (p.isKw('without') && p.isKw('time', 1) && p.isKw('zone', 2)) p.pos += 3;
  return false;
}

/** Returns null when the keyword does not start a type here (e.g. `double` alone). */
function parseSqlStandardType(p: Parser): TypeParts | null {
  const word = p.peek().value;
  const std = (name: string, modifiers: number[] = []): TypeParts =>
    ({ schema: null, name, modifiers });
  switch (word) {
    case 'int': case 'integer': p.pos++; return std('int4');
    case 'smallint': p.pos++; return std('int2');
    case 'bigint': p.pos++; return std('int8');
    case 'real': p.pos++; return std('float4');
    case 'boolean': p.pos++; return std('bool');
    case 'double':
      if (!p.isKw('precision', 1)) return null;
      p.pos += 2;
      return std('float8');
    case 'float': {
      const loc = p.loc;
      p.pos++;
      const prec = optPrecision(p);
      if (prec.length === 0) return std('float8');
      const bits = prec[0]!;
      if (bits < 1) {
        throw new DbError('invalid_parameter_value',
          'precision for type float must be at least 1 bit', { position: loc + 1 });
      }
      if (bits > 53) {
        throw new DbError('invalid_parameter_value',
          'precision for type float must be less than 54 bits', { position: loc + 1 });
      }
      return std(bits <= 24 ? 'float4' : 'float8');
    }
    case 'decimal': case 'dec': case 'numeric':
      p.pos++;
      return std('numeric', p.isPunct('(') ? parseModifiers(p) : []);
    case 'varchar':
      p.pos++;
      return std('varchar', optPrecision(p));
    case 'char': case 'character': case 'nchar': case 'national': {
      p.pos++;
      if (word === 'national' && !p.acceptKw('character') && !p.acceptKw('char')) throw p.error();
      const varying = p.acceptKw('varying');
      const len = optPrecision(p);
      if (varying) return std('varchar', len);
      return std('bpchar', len.length > 0 ? len : [1]);
    }
    case 'bit': {
      p.pos++;
      const varying = p.acceptKw('varying');
      const len = optPrecision(p);
      if (varying) return std('varbit', len);
      return std('bit', len.length > 0 ? len : [1]);
    }
    case 'time': case 'timestamp': {
      p.pos++;
      const prec = optPrecision(p);
      const tz = optTimeZone(p);
      return std(word === 'time' ? (tz ? 'timetz' : 'time') : (tz ? 'timestamptz' : 'timestamp'),
        prec);
    }
    case 'interval': {
      p.pos++;
      const prec = optPrecision(p);
      if (prec.length > 0) return std('interval', prec);
      parseIntervalFields(p);
      return std('interval', optPrecisionAfterFields(p));
    }
    default:
      return null;
  }
}

function optPrecisionAfterFields(p: Parser): number[] {
  return p.isPunct('(') && p.peek(1).type === Tok.Integer ? optPrecision(p) : [];
}

/**
 * INTERVAL field qualifiers (YEAR, DAY TO SECOND, SECOND(3) ...). Returns the words joined by
 * spaces ('day to second'), or null when absent. A trailing SECOND(p) precision is consumed.
 */
export function parseIntervalFields(p: Parser): string | null {
  const t = p.peek();
  if (t.type !== Tok.Ident || !intervalFieldWords.has(t.value)) return null;
  p.pos++;
  let fields = t.value;
  if (t.value === 'second' && p.isPunct('(') && p.peek(1).type === Tok.Integer) optPrecision(p);
  if (p.isKw('to') && p.peek(1).type === Tok.Ident && intervalFieldWords.has(p.peek(1).value)) {
    p.pos++;
    const to = p.next().value;
    fields += ' to ' + to;
    if (to === 'second' && p.isPunct('(') && p.peek(1).type === Tok.Integer) optPrecision(p);
  }
  return fields;
}
