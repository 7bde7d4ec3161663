/**
 * PostgreSQL regular expressions (ARE syntax, regex flags) translated to JavaScript RegExp, and a
 * cache of compiled patterns keyed by (flags, pattern).
 *
 * Semantics kept from PostgreSQL:
 *  - Without the n/p flags `.` and negated brackets match newline; without n/w `^ $` anchor only
 *    at the ends of the string ('s' and no 'm' in JS).
 *  - Character classes and \d \s \w are ASCII-only (the database's "C" locale).
 *  - ARE escapes: \A \Z \m \M \y \Y, \b (backspace), \B (backslash), \e, \x, \u, \U, octal;
 *    bracket expressions with [:class:], [.c.], [=c=]; embedded options `(?i)` and the `***=`
 *    / `***:` directors; the 'x' (expanded) and 'q' (literal) flags.
 *  - Code-point matching ('u' flag), so `.` is one character.
 * Known divergence: PostgreSQL's engine prefers the longest match among alternatives (POSIX
 * leftmost-longest for the whole RE); JavaScript takes the first alternative that matches.
 *
 * Compiled RegExps always carry the 'g' flag; callers must reset `lastIndex` before using one.
 */
import { DbError } from '../../errors/index.ts';

export interface RegexFlags {
  readonly global: boolean;
  readonly icase: boolean;
  /** n or p: `.` and [^...] exclude newline. */
  readonly dotNl: boolean;
  /** n or w: ^ and $ also match at newlines. */
  readonly anchorNl: boolean;
  readonly expanded: boolean;
  readonly literal: boolean;
}

export interface CompiledRegex {
  readonly re: RegExp;
  /** Number of capturing groups (PostgreSQL's re_nsub). */
  readonly groups: number;
}

interface MutableFlags {
  global: boolean; icase: boolean; dotNl: boolean; anchorNl: boolean;
  expanded: boolean; literal: boolean;
}

function badRegex(msg: string): DbError {
  return new DbError('invalid_regular_expression', `invalid regular expression: ${msg}`);
}

/** Applies one flag letter; returns false for an unknown letter. */
function applyFlag(f: MutableFlags, c: string): boolean {
  switch (c) {
    case 'g': f.global = true; return true;
    case 'i': f.icase = true; return true;
    case 'c': f.icase = false; return true;
    case 'n': case 'm': f.dotNl = true; f.anchorNl = true; return true;
    case 's': f.dotNl = false; f.anchorNl = false; return true;
    case 'p': f.dotNl = true; f.anchorNl = false; return true;
    case 'w': f.dotNl = false; f.anchorNl = true; return true;
    case 'x': f.expanded = true; return true;
    case 't': f.expanded = false; return true;
    case 'q': f.literal = true; return true;
    case 'e': return true; // ERE: the subset we translate is common to ERE and ARE
    case 'b':
      throw new DbError('feature_not_supported', 'basic regular expressions (flag "b") are not supported');
    default: return false;
  }
}

/** parse_re_flags(): PostgreSQL's flags text; unknown letters raise 22023. */
export function parseRegexFlags(flags: string | null, icase = false): RegexFlags {
  const f: MutableFlags = {
    global: false, icase, dotNl: false, anchorNl: false, expanded: false, literal: false,
  };
  if (flags !== null) {
    for (const c of flags) {
      if (!applyFlag(f, c)) {
        throw new DbError('invalid_parameter_value', `invalid regular expression option: "${c}"`);
      }
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------------------------

const SPACE = ' \\t\\n\\r\\f\\v';
const CLASS_BODIES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z',
  space: SPACE, blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e', word: 'a-zA-Z0-9_',
};

const JS_SPECIAL = '^$\\.*+?()[]{}|/';

function lit(c: string): string {
  return JS_SPECIAL.includes(c) ? '\\' + c : c;
}
function litInClass(c: string): string {
  return c === '\\' || c === ']' || c === '[' || c === '^' || c === '-' ? '\\' + c : c;
}
function codePointLit(cp: number, inClass: boolean): string {
  if (cp > 0x10ffff) throw badRegex('invalid escape \\ sequence');
  const c = String.fromCodePoint(cp);
  if (cp < 0x20 || cp === 0x7f) return `\\u{${cp.toString(16)}}`;
  return inClass ? litInClass(c) : lit(c);
}

class Translator {
  private readonly src: string;
  private pos = 0;
  private out = '';
  groups = 0;
  private readonly f: MutableFlags;

  constructor(src: string, f: MutableFlags) {
    this.src = src;
    this.f = f;
  }

  run(): string {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos++] as string;
      if (this.f.expanded && this.skipExpanded(c)) continue;
      this.atom(c);
    }
    return this.out;
  }

  /** Expanded syntax: whitespace and #-comments outside brackets are ignored. */
  private skipExpanded(c: string): boolean {
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') return true;
    if (c !== '#') return false;
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
    return true;
  }

  private atom(c: string): void {
    switch (c) {
      case '\\': this.out += this.escape(false); return;
      case '.': this.out += this.f.dotNl ? '[^\\n]' : '.'; return;
      case '[': this.out += this.bracket(); return;
      case '(': this.group(); return;
      case '{': this.out += this.bound(); return;
      case '}': case ']': case '/': this.out += '\\' + c; return;
      default: this.out += c; // ^ $ | ) * + ? and ordinary characters
    }
  }

  private group(): void {
    const s = this.src;
    if (s[this.pos] !== '?') {
      this.groups++;
      this.out += '(';
      return;
    }
    const next = s[this.pos + 1];
    if (next === '#') { // comment group
      const end = s.indexOf(')', this.pos);
      if (end < 0) throw badRegex('parentheses () not balanced');
      this.pos = end + 1;
      return;
    }
    if (next === ':' || next === '=' || next === '!') {
      this.out += '(?' + next;
      this.pos += 2;
      return;
    }
    if (next === '<' && (s[this.pos + 2] === '=' || s[this.pos + 2] === '!')) {
      this.out += '(?<' + (s[this.pos + 2] as string);
      this.pos += 3;
      return;
    }
    throw badRegex('quantifier operand invalid');
  }

  /** `{m}`, `{m,}`, `{m,n}`; a `{` not starting a bound is ordinary in ARE. */
  private bound(): string {
    const m = /^(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 24));
    if (m === null) {
      if (/^\d/.test(this.src.slice(this.pos, this.pos + 1))) {
        throw badRegex('invalid repetition count(s)');
      }
      return '\\{';
    }
    const lo = Number(m[1]);
    const hi = m[3] !== undefined && m[3] !== '' ? Number(m[3]) : null;
    if (lo > 255 || (hi !== null && (hi > 255 || hi < lo))) {
      throw badRegex('invalid repetition count(s)');
    }
    this.pos += m[0].length;
    return '{' + m[0];
  }

  private escape(inClass: boolean): string {
    const s = this.src;
    if (this.pos >= s.length) throw badRegex('invalid escape \\ sequence');
    const c = s[this.pos++] as string;
    switch (c) {
      case 'd': return '\\d';
      case 'D': return inClass ? '\\D' : '[^0-9]';
      case 'w': return '\\w';
      case 'W': return '\\W';
      case 's': return inClass ? SPACE : `[${SPACE}]`;
      case 'S': return inClass ? '\\S' : `[^${SPACE}]`;
      case 'a': return '\\x07';
      case 'b': return '\\x08';
      case 'B': return '\\\\';
      case 'e': return '\\x1b';
      case 'f': return '\\f';
      case 'n': return '\\n';
      case 'r': return '\\r';
      case 't': return '\\t';
      case 'v': return '\\v';
      case 'c': return this.controlEscape(inClass);
      case 'x': return this.hexEscape(/^[0-9a-fA-F]{1,8}/, inClass, 0);
      case 'u': return this.hexEscape(/^[0-9a-fA-F]{4}/, inClass, 4);
      case 'U': return this.hexEscape(/^[0-9a-fA-F]{8}/, inClass, 8);
      default:
        if (!inClass) {
          const anchor = this.anchorEscape(c);
          if (anchor !== null) return anchor;
        }
        return this.digitOrLiteralEscape(c, inClass);
    }
  }

  private anchorEscape(c: string): string | null {
    switch (c) {
      case 'A': return '(?<![\\s\\S])';
      case 'Z': return '(?![\\s\\S])';
      case 'm': return '\\b(?=\\w)';
      case 'M': return '\\b(?<=\\w)';
      case 'y': return '\\b';
      case 'Y': return '\\B';
      default: return null;
    }
  }

  private controlEscape(inClass: boolean): string {
    const ch = this.src[this.pos++];
    if (ch === undefined) throw badRegex('invalid escape \\ sequence');
    return codePointLit((ch.codePointAt(0) as number) & 0x1f, inClass);
  }

  private hexEscape(re: RegExp, inClass: boolean, exact: number): string {
    const m = re.exec(this.src.slice(this.pos, this.pos + 8));
    if (m === null || (exact > 0 && m[0].length !== exact)) throw badRegex('invalid escape \\ sequence');
    this.pos += m[0].length;
    return codePointLit(parseInt(m[0], 16), inClass);
  }

  private digitOrLiteralEscape(c: string, inClass: boolean): string {
    if (c === '0') { // octal
      const m = /^[0-7]{0,2}/.exec(this.src.slice(this.pos, this.pos + 2));
      const digits = m?.[0] ?? '';
      this.pos += digits.length;
      return codePointLit(digits === '' ? 0 : parseInt(digits, 8), inClass);
    }
    if (c >= '1' && c <= '9') {
      if (inClass) throw badRegex('invalid escape \\ sequence');
      const m = /^\d*/.exec(this.src.slice(this.pos));
      const digits = c + (m?.[0] ?? '');
      this.pos += digits.length - 1;
      return `(?:\\${digits})`; // grouped so a following digit or quantifier stays separate
    }
    if (/[a-zA-Z0-9]/.test(c)) throw badRegex('invalid escape \\ sequence');
    return inClass ? litInClass(c) : lit(c);
  }

  private bracket(): string {
    const s = this.src;
    let out = '[';
    if (s[this.pos] === '^') {
      out += '^';
      this.pos++;
      if (this.f.dotNl) out += '\\n';
    }
    let first = true;
    for (;;) {
      if (this.pos >= s.length) throw badRegex('brackets [] not balanced');
      const c = s[this.pos++] as string;
      if (c === ']' && !first) return out + ']';
      first = false;
      if (c === '[' && (s[this.pos] === ':' || s[this.pos] === '.' || s[this.pos] === '=')) {
        out += this.bracketItem();
      } else if (c === '\\') {
        out += this.escape(true);
      } else if (c === '-') {
        out += '-';
      } else {
        out += litInClass(c);
      }
    }
  }

  /** [:class:], [.c.] and [=c=] inside a bracket expression. */
  private bracketItem(): string {
    const s = this.src;
    const kind = s[this.pos] as string;
    const end = s.indexOf(kind + ']', this.pos + 1);
    if (end < 0) throw badRegex('brackets [] not balanced');
    const name = s.slice(this.pos + 1, end);
    this.pos = end + 2;
    if (kind === ':') {
      const body = CLASS_BODIES[name];
      if (body === undefined) throw badRegex('invalid character class');
      return body;
    }
    const chars = Array.from(name);
    if (chars.length !== 1) throw badRegex('invalid collating element');
    return litInClass(chars[0] as string);
  }
}

/** Leading `***=` / `***:` directors and `(?flags)` embedded options. */
function stripDirectors(pattern: string, f: MutableFlags): string {
  if (pattern.startsWith('***=')) {
    f.literal = true;
    return pattern.slice(4);
  }
  let p = pattern.startsWith('***:') ? pattern.slice(4) : pattern;
  const m = /^\(\?([a-z]*)\)/.exec(p);
  if (m !== null) {
    for (const c of m[1] ?? '') {
      if (!applyFlag(f, c)) throw badRegex('invalid embedded option');
    }
    p = p.slice(m[0].length);
  }
  return p;
}

function literalSource(p: string): string {
  let out = '';
  for (const c of p) out += lit(c);
  return out;
}

const JS_MESSAGES: readonly [RegExp, string][] = [
  [/Unterminated group|Unmatched '\)'/, 'parentheses () not balanced'],
  [/Unterminated character class/, 'brackets [] not balanced'],
  [/Nothing to repeat/, 'quantifier operand invalid'],
  [/Invalid escape|Invalid Unicode escape|\\ at end of pattern/, 'invalid escape \\ sequence'],
  [/Range out of order|Invalid character class/, 'invalid character range'],
  [/numbers out of order/, 'invalid repetition count(s)'],
  [/Invalid named reference|Invalid (decimal )?escape/, 'invalid backreference number'],
];

function jsRegExp(source: string, flags: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    for (const [re, text] of JS_MESSAGES) if (re.test(msg)) throw badRegex(text);
    throw badRegex(msg);
  }
}

/** Translates and compiles a PostgreSQL regex (uncached). */
export function compileRegex(pattern: string, flags: RegexFlags): CompiledRegex {
  const f: MutableFlags = { ...flags };
  const p = stripDirectors(pattern, f);
  let source: string;
  let groups = 0;
  if (f.literal) {
    source = literalSource(p);
  } else {
    const t = new Translator(p, f);
    source = t.run();
    groups = t.groups;
  }
  let jsFlags = 'gu';
  if (!f.dotNl) jsFlags += 's';
  if (f.anchorNl) jsFlags += 'm';
  if (f.icase) jsFlags += 'i';
  return { re: jsRegExp(source, jsFlags), groups };
}

const CACHE_LIMIT = 1024;
const cache = new Map<string, CompiledRegex>();
let lastKey = '';
let lastCompiled: CompiledRegex | null = null;

function flagsKey(f: RegexFlags): string {
  return (f.icase ? 'i' : '') + (f.dotNl ? 'd' : '') + (f.anchorNl ? 'a' : '') +
    (f.expanded ? 'x' : '') + (f.literal ? 'q' : '') + ':';
}

/** Compiles once per (pattern, flags); lastIndex is reset to 0 on every hand-out. */
export function regexFor(pattern: string, flags: RegexFlags): CompiledRegex {
  const key = flagsKey(flags) + pattern;
  let c: CompiledRegex | null | undefined = key === lastKey ? lastCompiled : cache.get(key);
  if (c === undefined || c === null) {
    c = compileRegex(pattern, flags);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, c);
  }
  lastKey = key;
  lastCompiled = c;
  c.re.lastIndex = 0;
  return c;
}

const PLAIN = parseRegexFlags(null);
const ICASE = parseRegexFlags(null, true);

/** The `~` / `~*` operators. */
export function regexMatches(s: string, pattern: string, icase: boolean): boolean {
  return regexFor(pattern, icase ? ICASE : PLAIN).re.test(s);
}

// ---------------------------------------------------------------------------------------------
// SIMILAR TO -> ARE (similar_to_escape)
// ---------------------------------------------------------------------------------------------

/**
 * Converts a SQL SIMILAR TO pattern to an anchored ARE, as PostgreSQL's similar_escape_internal:
 * `%` -> `.*`, `_` -> `.`, `(` -> `(?:`, escape-double-quote splits the pattern into three parts
 * for SUBSTRING (the middle one capturing). `escape` null means the default backslash, '' none.
 */
export function similarToEscape(pattern: string, escape: string | null): string {
  let e: string | null = '\\';
  if (escape !== null) {
    const chars = Array.from(escape);
    if (chars.length > 1) {
      throw new DbError('invalid_escape_sequence', 'invalid escape string', {
        hint: 'Escape string must be empty or one character.',
      });
    }
    e = chars.length === 0 ? null : (chars[0] as string);
  }
  let out = '^(?:';
  let afterEscape = false;
  let inClass = false;
  let quotes = 0;
  for (const c of pattern) {
    if (afterEscape) {
      if (c === '"' && !inClass) {
        if (quotes === 0) out += '){1,1}?(';
        else if (quotes === 1) out += '){1,1}(?:';
        else {
          throw new DbError('invalid_escape_sequence',
            'SQL regular expression may not contain more than two escape-double-quote separators');
        }
        quotes++;
      } else {
        out += '\\' + c;
      }
      afterEscape = false;
    } else if (e !== null && c === e) {
      afterEscape = true;
    } else if (inClass) {
      if (c === '\\') out += '\\';
      out += c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      out += c;
      inClass = true;
    } else if (c === '%') out += '.*';
    else if (c === '_') out += '.';
    else if (c === '(') out += '(?:';
    else if (c === '\\' || c === '.' || c === '^' || c === '$') out += '\\' + c;
    else out += c;
  }
  return out + ')$';
}
