/**
 * boolean text I/O with PostgreSQL's parse_bool rules: surrounding whitespace ignored,
 * case-insensitive, any prefix of true/false/yes/no, 'on'/'off' (at least two letters, since
 * 'o' alone is ambiguous), '1'/'0'. Output is 't'/'f'.
 */
import { DbError } from '../errors/index.ts';

/** parse_bool_with_len(): returns undefined when the text is not a boolean. */
export function tryParseBool(s: string): boolean | undefined {
  const t = s.trim().toLowerCase();
  const len = t.length;
  if (len === 0) return undefined;
  switch (t.charCodeAt(0)) {
    case 116: // t
      return 'true'.startsWith(t) ? true : undefined;
    case 102: // f
      return 'false'.startsWith(t) ? false : undefined;
    case 121: // y
      return 'yes'.startsWith(t) ? true : undefined;
    case 110: // n
      return 'no'.startsWith(t) ? false : undefined;
    case 111: // o
      if (len < 2) return undefined;
      if ('on'.startsWith(t)) return true;
      if ('off'.startsWith(t)) return false;
      return undefined;
    case 49: // 1
      return len === 1 ? true : undefined;
    case 48: // 0
      return len === 1 ? false : undefined;
    default:
      return undefined;
  }
}

export function parseBool(s: string): boolean {
  const v = tryParseBool(s);
  if (v === undefined) {
    throw new DbError('invalid_text_representation', `invalid input syntax for type boolean: "${s}"`);
  }
  return v;
}

export function formatBool(v: boolean): string {
  return v ? 't' : 'f';
}

/** false < true. */
export function boolCompare(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

/** bool -> int4 (explicit cast) and int4 -> bool (nonzero is true). */
export function boolToInt4(v: boolean): number {
  return v ? 1 : 0;
}
export function int4ToBool(v: number): boolean {
  return v !== 0;
}
