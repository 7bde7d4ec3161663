/**
 * The value of an unquoted identifier or keyword (ASCII folded to lower case, truncated to the
 * identifier limit), reused by spelling for recently lexed short words.
 *
 * Scripts repeat a few words (INSERT, INTO, VALUES, a table name) thousands of times, and each
 * would otherwise cost a slice and, spelled in capitals, a lower-cased copy. The cache is
 * direct-mapped by a hash of the spelling the lexer computes while scanning (`spellingHash`):
 * a collision just replaces the entry, and a hit is confirmed against the text itself. Only
 * spellings short enough that V8 copies their slice (under 13 characters) are kept, so the cache
 * never holds on to a script's text; they are also far below the identifier length limit, so no
 * truncation applies to them.
 */
import { downcaseIdentifier, truncateIdentifier } from './chars.ts';

const CACHE_SIZE = 512;
const CACHED_LENGTH_MAX = 12;
const spellings: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);
const values: (string | undefined)[] = new Array(CACHE_SIZE).fill(undefined);

/** Folds the next character of a spelling into its hash (start from the first character's code). */
export function spellingHash(h: number, c: number): number {
  return (Math.imul(h, 31) + c) | 0;
}

/** The value of the identifier spelled by sql[start, end), whose spellingHash is `hash`. */
export function identifierValue(sql: string, start: number, end: number, hash: number): string {
  const n = end - start;
  if (n > CACHED_LENGTH_MAX) return truncateIdentifier(downcaseIdentifier(sql.slice(start, end)));
  const slot = hash & (CACHE_SIZE - 1);
  const spelled = spellings[slot];
  if (spelled !== undefined && spelled.length === n && sql.startsWith(spelled, start)) return values[slot]!;
  const text = sql.slice(start, end);
  const value = downcaseIdentifier(text);
  spellings[slot] = text;
  values[slot] = value;
  return value;
}
