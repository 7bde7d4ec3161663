/**
 * json and jsonb: RFC 8259 input with PostgreSQL's error details, the normalized jsonb tree, its
 * text output, ordering and hashing. Operators (->, #>, @>, ?) live in jsonb-ops.ts.
 *
 * json values are the original text (validated). jsonb values are a `Jsonb` wrapper whose `root`
 * is a JsonbValue:
 *   JSON null   -> JS null (inside the wrapper: SQL NULL is the absence of a Jsonb, so the two
 *                  never meet)
 *   true/false  -> boolean
 *   string      -> JS string
 *   number      -> JsonbNumber: the numeric text normalized as PostgreSQL's numeric prints it
 *                  ('1.0' stays '1.0', '1e2' -> '100', '-0' -> '0'), so values are exact
 *   array       -> JsonbValue[] (treat as immutable)
 *   object      -> JsonbObject: keys de-duplicated (last wins) and sorted in jsonb order
 *                  (shorter UTF-8 length first, then bytewise), values parallel to keys
 *
 * Ordering (compareJsonb) is PostgreSQL's: Object > Array > Boolean > Number > String > Null;
 * arrays by length then elements, objects by pair count then pairs in key order; a top-level
 * scalar sorts as a one-element pseudo-array (so '[]' < 'null' < '[null]'). Strings compare by code
 * point (C collation). jsonbHashKey agrees with that equality (numerically equal numbers hash
 * alike).
 */
import { DbError } from '../errors/index.ts';

export class JsonbNumber {
  /** Normalized numeric text (no exponent, no leading zeros, no '-0'). */
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

export class JsonbObject {
  /** Sorted by compareJsonbKeys, unique. */
  readonly keys: string[];
  readonly values: JsonbValue[];

  constructor(keys: string[], values: JsonbValue[]) {
    this.keys = keys;
    this.values = values;
  }
}

export type JsonbValue = null | boolean | string | JsonbNumber | JsonbValue[] | JsonbObject;

export class Jsonb {
  readonly root: JsonbValue;

  constructor(root: JsonbValue) {
    this.root = root;
  }
}

/** Nesting limit: the parser, printer and comparator recurse. */
export const JSON_DEPTH_MAX = 1000;

// ---------------------------------------------------------------------------------------------
// Numbers

/** Normalizes a JSON number (already validated) to PostgreSQL numeric output text. */
export function normalizeNumber(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) throw new DbError('invalid_text_representation', `invalid number: "${text}"`);
  const neg = m[1] === '-';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exp) > 100000) {
    throw new DbError('numeric_value_out_of_range', 'value overflows numeric format');
  }
  const digits = intPart + fracPart;
  const point = intPart.length + exp; // position of the decimal point within `digits`
  const scale = Math.max(0, fracPart.length - exp);
  let whole: string;
  let frac: string;
  if (point <= 0) {
    whole = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    whole = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    whole = digits.slice(0, point);
    frac = digits.slice(point);
  }
  frac = frac.slice(0, scale).padEnd(scale, '0');
  whole = whole.replace(/^0+(?=\d)/, '');
  if (whole === '') whole = '0';
  const zero = /^0*$/.test(whole) && /^0*$/.test(frac);
  return (neg && !zero ? '-' : '') + whole + (scale > 0 ? '.' + frac : '');
}

/** Compares two normalized numeric texts numerically. */
export function compareNumberText(a: string, b: string): number {
  const an = a.startsWith('-');
  const bn = b.startsWith('-');
  if (an !== bn) return an ? -1 : 1;
  const mag = compareMagnitude(an ? a.slice(1) : a, bn ? b.slice(1) : b);
  return an ? 0 - mag : mag;
}

function compareMagnitude(a: string, b: string): number {
  const [ai, af = ''] = a.split('.') as [string, string?];
  const [bi, bf = ''] = b.split('.') as [string, string?];
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const len = Math.max(af.length, bf.length);
  const x = af.padEnd(len, '0');
  const y = bf.padEnd(len, '0');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The numeric value without insignificant trailing zeros ('1.50' -> '1.5', '2.0' -> '2'). */
function canonicalNumber(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// ---------------------------------------------------------------------------------------------
// Parsing

class JsonSyntax extends Error {
  readonly detail: string;
  readonly at: number;

  constructor(detail: string, at: number) {
    super(detail);
    this.detail = detail;
    this.at = at;
  }
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isWordChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f || c >= 0x80;

/** Recursive-descent JSON parser; builds a jsonb tree when `build`, else only validates. */
class JsonParser {
  readonly s: string;
  readonly build: boolean;
  pos = 0;

  constructor(s: string, build: boolean) {
    this.s = s;
    this.build = build;
  }

  skipWs(): void {
    while (this.pos < this.s.length && isWs(this.s.charCodeAt(this.pos))) this.pos++;
  }

  /** The text of the token at `pos` (for error details), as PostgreSQL's lexer would cut it. */
  tokenAt(p: number): string {
    const c = this.s.charCodeAt(p);
    if ('{}[],:'.includes(this.s[p] ?? '')) return this.s[p] as string;
    if (c === 0x22) {
      const end = this.s.indexOf('"', p + 1);
      return this.s.slice(p, end < 0 ? this.s.length : end + 1);
    }
    let e = p;
    while (e < this.s.length && isWordChar(this.s.charCodeAt(e))) e++;
    const numberish = (i: number): boolean =>
      isWordChar(this.s.charCodeAt(i)) || '+-.'.includes(this.s[i] ?? '');
    if (this.s[e] === '-' || this.s[e] === '+' || this.s[e] === '.') {
      while (e < this.s.length && numberish(e)) e++;
    }
    return this.s.slice(p, Math.max(e, p + 1));
  }

  expected(what: string): never {
    if (this.pos >= this.s.length) {
      throw new JsonSyntax('The input string ended unexpectedly.', this.pos);
    }
    throw new JsonSyntax(`Expected ${what}, but found "${this.tokenAt(this.pos)}".`, this.pos);
  }

  parseDocument(): JsonbValue {
    const v = this.value(0);
    this.skipWs();
    if (this.pos < this.s.length) this.expected('end of input');
    return v;
  }

  value(depth: number): JsonbValue {
    if (depth > JSON_DEPTH_MAX) {
      throw new DbError('statement_too_complex', 'stack depth limit exceeded',
        { hint: `JSON nesting is limited to ${JSON_DEPTH_MAX} levels.` });
    }
    this.skipWs();
    const c = this.s.charCodeAt(this.pos);
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.pos >= this.s.length) this.expected('JSON value');
    const word = this.tokenAt(this.pos);
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return word === 'null' ? null : word === 'true';
    }
    if (isWordChar(c)) throw new JsonSyntax(`Token "${word}" is invalid.`, this.pos);
    this.expected('JSON value');
  }

  object(depth: number): JsonbValue {
    this.pos++;
    const keys: string[] = [];
    const values: JsonbValue[] = [];
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return this.build ? new JsonbObject([], []) : null;
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') this.expected(keys.length === 0 ? 'string or "}"' : 'string');
      const key = this.string();
      this.skipWs();
      if (this.s[this.pos] !== ':') this.expected('":"');
      this.pos++;
      const v = this.value(depth + 1);
      if (this.build) { keys.push(key); values.push(v); }
      else keys.push('');
      this.skipWs();
      const d = this.s[this.pos];
      if (d === ',') { this.pos++; continue; }
      if (d === '}') { this.pos++; break; }
      this.expected('"," or "}"');
    }
    return this.build ? buildObject(keys, values) : null;
  }

  array(depth: number): JsonbValue {
    this.pos++;
    const items: JsonbValue[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return this.build ? items : null;
    }
    for (;;) {
      const v = this.value(depth + 1);
      if (this.build) items.push(v);
      this.skipWs();
      const d = this.s[this.pos];
      if (d === ',') { this.pos++; continue; }
      if (d === ']') { this.pos++; break; }
      this.expected('"," or "]"');
    }
    return this.build ? items : null;
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    let chunk = this.pos;
    const s = this.s;
    for (;;) {
      if (this.pos >= s.length) throw new JsonSyntax(`Token "${s.slice(start)}" is invalid.`, start);
      const c = s.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c < 0x20) {
        const hex = c.toString(16).padStart(2, '0');
        throw new JsonSyntax(`Character with value 0x${hex} must be escaped.`, this.pos);
      }
      if (c !== 0x5c) { this.pos++; continue; }
      out += s.slice(chunk, this.pos);
      out += this.escape();
      chunk = this.pos;
    }
    out += s.slice(chunk, this.pos);
    this.pos++;
    return out;
  }

  /** Decodes one escape at `pos` (a backslash); PostgreSQL's rules for \u and surrogates. */
  escape(): string {
    const s = this.s;
    const e = s[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u': break;
      case undefined:
        throw new JsonSyntax(`Token "${s.slice(this.pos - 2)}" is invalid.`, this.pos);
      default: throw new JsonSyntax(`Escape sequence "\\${e}" is invalid.`, this.pos);
    }
    const code = this.hex4();
    if (code >= 0xd800 && code <= 0xdbff) {
      if (s[this.pos] !== '\\' || s[this.pos + 1] !== 'u') {
        throw new JsonSyntax('Unicode low surrogate must follow a high surrogate.', this.pos);
      }
      this.pos += 2;
      const low = this.hex4();
      if (low < 0xdc00 || low > 0xdfff) {
        throw new JsonSyntax('Unicode high surrogate must not follow a high surrogate.', this.pos);
      }
      return String.fromCharCode(code, low);
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      throw new JsonSyntax('Unicode low surrogate must follow a high surrogate.', this.pos);
    }
    if (code === 0 && this.build) {
      throw new DbError('untranslatable_character', 'unsupported Unicode escape sequence',
        { detail: '\\u0000 cannot be converted to text.' });
    }
    return String.fromCharCode(code);
  }

  hex4(): number {
    const h = this.s.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) {
      throw new JsonSyntax('"\\u" must be followed by four hexadecimal digits.', this.pos);
    }
    this.pos += 4;
    return parseInt(h, 16);
  }

  number(): JsonbValue {
    const start = this.pos;
    const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    re.lastIndex = start;
    const m = re.exec(this.s);
    const end = m === null ? start : start + m[0].length;
    const next = this.s.charCodeAt(end);
    if (m === null || m[0] === '-' || (end < this.s.length && (isWordChar(next) || next === 0x2e))) {
      throw new JsonSyntax(`Token "${this.tokenAt(start)}" is invalid.`, start);
    }
    this.pos = end;
    return this.build ? new JsonbNumber(normalizeNumber(m[0])) : null;
  }
}

/** Sorts pairs into jsonb key order, the last duplicate winning. */
function buildObject(keys: string[], values: JsonbValue[]): JsonbObject {
  const order = keys.map((_, i) => i);
  order.sort((x, y) => compareJsonbKeys(keys[x] as string, keys[y] as string) || y - x);
  const outKeys: string[] = [];
  const outValues: JsonbValue[] = [];
  for (const i of order) {
    const k = keys[i] as string;
    if (outKeys.length > 0 && outKeys[outKeys.length - 1] === k) continue;
    outKeys.push(k);
    outValues.push(values[i] as JsonbValue);
  }
  return new JsonbObject(outKeys, outValues);
}

/** Builds a JsonbObject from unsorted pairs (last duplicate wins). */
export function makeJsonbObject(keys: string[], values: JsonbValue[]): JsonbObject {
  return buildObject(keys, values);
}

function jsonError(s: string, e: JsonSyntax): DbError {
  const lineStart = s.lastIndexOf('\n', e.at - 1) + 1;
  const line = s.slice(0, lineStart).split('\n').length;
  let ctx = s.slice(lineStart, Math.min(s.length, e.at + 1));
  if (ctx.length > 50) ctx = '...' + ctx.slice(-50);
  return new DbError('invalid_text_representation', 'invalid input syntax for type json',
    { detail: e.detail, where: `JSON data, line ${line}: ${ctx}` });
}

function run(s: string, build: boolean): JsonbValue {
  try {
    return new JsonParser(s, build).parseDocument();
  } catch (e) {
    if (e instanceof JsonSyntax) throw jsonError(s, e);
    throw e;
  }
}

/** json input: validates and returns the original text. */
export function parseJson(s: string): string {
  run(s, false);
  return s;
}

/** jsonb input. */
export function parseJsonb(s: string): Jsonb {
  return new Jsonb(run(s, true));
}

/** json -> jsonb cast. */
export function jsonToJsonb(text: string): Jsonb {
  return parseJsonb(text);
}

// ---------------------------------------------------------------------------------------------
// Keys, output, ordering

/** UTF-8 byte length of a JS string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Code-point order (= UTF-8 byte order) of two strings. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only around surrogates; remap them above BMP.
    if (x >= 0xd800) x += x < 0xe000 ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y < 0xe000 ? 0x2000 : -0x800;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** jsonb object key order: shorter (in UTF-8 bytes) first, then bytewise. */
export function compareJsonbKeys(a: string, b: string): number {
  if (a === b) return 0;
  const la = utf8Length(a);
  const lb = utf8Length(b);
  if (la !== lb) return la < lb ? -1 : 1;
  return compareCodePoints(a, b);
}

/** A JSON string literal escaped like PostgreSQL's escape_json. */
export function quoteJsonString(s: string): string {
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(chunk, i);
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      default: out += '\\u' + c.toString(16).padStart(4, '0');
    }
    chunk = i + 1;
  }
  return out + s.slice(chunk) + '"';
}

function writeValue(v: JsonbValue, canonical: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quoteJsonString(v);
  if (v instanceof JsonbNumber) return canonical ? canonicalNumber(v.text) : v.text;
  if (Array.isArray(v)) return '[' + v.map((x) => writeValue(x, canonical)).join(', ') + ']';
  const parts: string[] = [];
  for (let i = 0; i < v.keys.length; i++) {
    parts.push(quoteJsonString(v.keys[i] as string) + ': ' +
      writeValue(v.values[i] as JsonbValue, canonical));
  }
  return '{' + parts.join(', ') + '}';
}

/** jsonb output: '{"a": 1, "b": [1, 2, "x"]}'. */
export function formatJsonb(v: Jsonb): string {
  return writeValue(v.root, false);
}

/** Text form of any jsonb subtree. */
export function formatJsonbValue(v: JsonbValue): string {
  return writeValue(v, false);
}

/** Equal (by compareJsonb) values have equal keys. */
export function jsonbHashKey(v: Jsonb): string {
  return writeValue(v.root, true);
}

/** PostgreSQL's jbvType order: Null < String < Numeric < Bool < Array < Object. */
function typeRank(v: JsonbValue): number {
  if (v === null) return 0;
  if (typeof v === 'string') return 1;
  if (v instanceof JsonbNumber) return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** Compares two jsonb subtrees (no top-level pseudo-array rule). */
export function compareJsonbValues(a: JsonbValue, b: JsonbValue): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0: return 0;
    case 1: return compareCodePoints(a as string, b as string);
    case 2: return compareNumberText((a as JsonbNumber).text, (b as JsonbNumber).text);
    case 3: return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as JsonbValue[];
      const y = b as JsonbValue[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareJsonbValues(x[i] as JsonbValue, y[i] as JsonbValue);
        if (c !== 0) return c;
      }
      return 0;
    }
    default: {
      const x = a as JsonbObject;
      const y = b as JsonbObject;
      if (x.keys.length !== y.keys.length) return x.keys.length < y.keys.length ? -1 : 1;
      for (let i = 0; i < x.keys.length; i++) {
        const k = compareCodePoints(x.keys[i] as string, y.keys[i] as string);
        if (k !== 0) return k;
        const c = compareJsonbValues(x.values[i] as JsonbValue, y.values[i] as JsonbValue);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

const isScalar = (v: JsonbValue): boolean => !Array.isArray(v) && !(v instanceof JsonbObject);

/** jsonb ordering (btree jsonb_ops), including the top-level raw-scalar pseudo-array rule. */
export function compareJsonb(a: Jsonb, b: Jsonb): number {
  const x = a.root;
  const y = b.root;
  const xs = isScalar(x);
  const ys = isScalar(y);
  if (xs && ys) return compareJsonbValues(x, y);
  if (!xs && !ys) return compareJsonbValues(x, y);
  // One side is a raw scalar (a one-element pseudo-array), the other a container.
  const other = xs ? y : x;
  if (other instanceof JsonbObject) return xs ? -1 : 1;
  const arr = other as JsonbValue[];
  // PostgreSQL: the element count decides first; at equal counts the scalar sorts first.
  const res = arr.length >= 1 ? 1 : -1;
  return xs ? -res : res;
}
