/**
 * SQL arrays: the `SqlArray` value, PostgreSQL's array literal input ('{1,2,3}',
 * '{"a b","c\"d",NULL}', '{{1,2},{3,4}}', '[0:2]={1,2,3}') and output, and array_cmp ordering.
 *
 * Representation: `elems` in row-major order, each in its element type's runtime representation
 * (null = SQL NULL); `dims` the length of each dimension and `lbounds` their lower bounds. An
 * empty array has no dimensions (dims = [], as PostgreSQL). 1-D arrays with lower bound 1 are the
 * common case and need nothing special. Values are immutable by convention.
 *
 * Output quotes an element when it is empty, equals NULL (any case), or contains one of
 * { } , " \ or whitespace; '"' and '\' are backslash-escaped; NULL prints unquoted. A lower bound
 * other than 1 is printed as a '[lb:ub]=' prefix.
 */
import { DbError } from '../errors/index.ts';
import type { SqlType } from './sql-type.ts';

/** PostgreSQL's MAXDIM. */
export const ARRAY_DIMS_MAX = 6;

export class SqlArray {
  readonly elems: unknown[];
  readonly dims: number[];
  readonly lbounds: number[];

  constructor(elems: unknown[], dims?: number[], lbounds?: number[]) {
    this.elems = elems;
    this.dims = dims ?? (elems.length === 0 ? [] : [elems.length]);
    this.lbounds = lbounds ?? this.dims.map(() => 1);
  }

  get ndim(): number {
    return this.dims.length;
  }
}

class Malformed extends Error {
  readonly detail: string;

  constructor(detail: string) {
    super(detail);
    this.detail = detail;
  }
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** A parsed (sub)array: either leaf elements (text or null) or nested sub-arrays. */
type Node = { kind: 'leaf'; items: (string | null)[] } | { kind: 'nest'; items: Node[] };

class ArrayParser {
  readonly s: string;
  pos = 0;

  constructor(s: string) {
    this.s = s;
  }

  skipWs(): void {
    while (isSpace(this.s[this.pos])) this.pos++;
  }

  /** Optional '[lb:ub][lb:ub]=' prefix. */
  dimsPrefix(): { lbounds: number[]; dims: number[] } | null {
    this.skipWs();
    if (this.s[this.pos] !== '[') return null;
    const lbounds: number[] = [];
    const dims: number[] = [];
    while (this.s[this.pos] === '[') {
      const m = /\[\s*([+-]?\d+)\s*(?::\s*([+-]?\d+)\s*)?\]/y;
      m.lastIndex = this.pos;
      const r = m.exec(this.s);
      if (r === null) throw new Malformed('Missing "]" after array dimensions.');
      const lb = r[2] === undefined ? 1 : Number(r[1]);
      const ub = Number(r[2] ?? r[1]);
      if (ub < lb - 1) {
        throw new DbError('array_subscript_error',
          'upper bound cannot be less than lower bound');
      }
      lbounds.push(lb);
      dims.push(ub - lb + 1);
      this.pos = m.lastIndex;
      this.skipWs();
    }
    if (this.s[this.pos] !== '=') throw new Malformed('Missing "=" after array dimensions.');
    this.pos++;
    this.skipWs();
    return { lbounds, dims };
  }

  node(depth: number): Node {
    if (depth > ARRAY_DIMS_MAX) {
      throw new DbError('program_limit_exceeded',
        `number of array dimensions (${depth}) exceeds the maximum allowed (${ARRAY_DIMS_MAX})`);
    }
    this.pos++; // '{'
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return { kind: 'leaf', items: [] };
    }
    const leaves: (string | null)[] = [];
    const nests: Node[] = [];
    for (;;) {
      this.skipWs();
      const c = this.s[this.pos];
      if (c === undefined) throw new Malformed('Unexpected end of input.');
      if (c === '{') {
        if (leaves.length > 0) throw new Malformed('Unexpected "{" character.');
        nests.push(this.node(depth + 1));
      } else {
        if (nests.length > 0) throw new Malformed('Unexpected array element.');
        if (c === ',' || c === '}') throw new Malformed(`Unexpected "${c}" character.`);
        leaves.push(this.element());
      }
      this.skipWs();
      const d = this.s[this.pos];
      if (d === ',') { this.pos++; continue; }
      if (d === '}') { this.pos++; break; }
      if (d === undefined) throw new Malformed('Unexpected end of input.');
      throw new Malformed(`Unexpected "${d}" character.`);
    }
    return nests.length > 0 ? { kind: 'nest', items: nests } : { kind: 'leaf', items: leaves };
  }

  /** One element: quoted or unquoted, backslash escapes honoured; unquoted NULL is null. */
  element(): string | null {
    let out = '';
    let quotedOrEscaped = false;
    let trailingWsStart = -1; // unquoted trailing whitespace is dropped
    if (this.s[this.pos] === '"') {
      this.pos++;
      for (;;) {
        const c = this.s[this.pos];
        if (c === undefined) throw new Malformed('Unexpected end of input.');
        this.pos++;
        if (c === '"') break;
        if (c === '\\') {
          const e = this.s[this.pos];
          if (e === undefined) throw new Malformed('Unexpected end of input.');
          out += e;
          this.pos++;
        } else {
          out += c;
        }
      }
      return out;
    }
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) throw new Malformed('Unexpected end of input.');
      if (c === ',' || c === '}') break;
      if (c === '{' || c === '"') throw new Malformed(`Unexpected "${c}" character.`);
      this.pos++;
      if (c === '\\') {
        const e = this.s[this.pos];
        if (e === undefined) throw new Malformed('Unexpected end of input.');
        out += e;
        this.pos++;
        quotedOrEscaped = true;
        trailingWsStart = -1;
      } else if (isSpace(c)) {
        if (trailingWsStart < 0) trailingWsStart = out.length;
        out += c;
      } else {
        out += c;
        trailingWsStart = -1;
      }
    }
    if (trailingWsStart >= 0) out = out.slice(0, trailingWsStart);
    if (!quotedOrEscaped && out.toLowerCase() === 'null') return null;
    return out;
  }
}

/** Flattens a parsed tree, checking that sibling sub-arrays have matching dimensions. */
function flatten(n: Node, dims: number[], level: number, out: (string | null)[]): void {
  const len = n.items.length;
  if (dims.length === level) dims.push(len);
  else if (dims[level] !== len) {
    throw new Malformed('Multidimensional arrays must have sub-arrays with matching dimensions.');
  }
  if (n.kind === 'leaf') {
    if (level + 1 < dims.length && len > 0) {
      throw new Malformed('Multidimensional arrays must have sub-arrays with matching dimensions.');
    }
    for (const x of n.items) out.push(x);
    return;
  }
  for (const child of n.items) flatten(child, dims, level + 1, out);
}

/**
 * Array input. `parseElem` converts each non-NULL element's text into the element type's value.
 * `elemType` is accepted for the element type's delimiter (',' for every built-in type here).
 */
export function parseArray(s: string, elemType: SqlType,
  parseElem: (s: string) => unknown): SqlArray {
  void elemType;
  const p = new ArrayParser(s);
  let explicit: { lbounds: number[]; dims: number[] } | null;
  const texts: (string | null)[] = [];
  const dims: number[] = [];
  try {
    explicit = p.dimsPrefix();
    p.skipWs();
    if (p.s[p.pos] !== '{') {
      throw new Malformed(explicit === null
        ? 'Array value must start with "{" or dimension information.'
        : 'Array contents must start with "{".');
    }
    const root = p.node(1);
    p.skipWs();
    if (p.pos < s.length) throw new Malformed('Junk after closing right brace.');
    flatten(root, dims, 0, texts);
    if (texts.length === 0) dims.length = 0;
    if (explicit !== null && (explicit.dims.length !== dims.length ||
      explicit.dims.some((d, i) => d !== dims[i]))) {
      throw new Malformed('Specified array dimensions do not match array contents.');
    }
  } catch (e) {
    if (e instanceof Malformed) {
      throw new DbError('invalid_text_representation', `malformed array literal: "${s}"`,
        { detail: e.detail });
    }
    throw e;
  }
  const elems = texts.map((t) => (t === null ? null : parseElem(t)));
  const lbounds = explicit !== null && dims.length > 0 ? explicit.lbounds : dims.map(() => 1);
  return new SqlArray(elems, dims, lbounds);
}

/** Quotes an element's text when PostgreSQL's array_out would. */
export function quoteArrayElement(t: string): string {
  let needs = t === '' || t.toLowerCase() === 'null';
  if (!needs) {
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === '{' || c === '}' || c === ',' || c === '"' || c === '\\' || isSpace(c)) {
        needs = true;
        break;
      }
    }
  }
  if (!needs) return t;
  return '"' + t.replace(/["\\]/g, '\\$&') + '"';
}

/** Array output. `formatElem` turns a non-NULL element into its text form. */
export function formatArray(v: SqlArray, formatElem: (v: unknown) => string): string {
  if (v.dims.length === 0 || v.elems.length === 0) return '{}';
  let prefix = '';
  if (v.lbounds.some((lb) => lb !== 1)) {
    prefix = v.dims.map((d, i) => {
      const lb = v.lbounds[i] ?? 1;
      return `[${lb}:${lb + d - 1}]`;
    }).join('') + '=';
  }
  let idx = 0;
  const write = (level: number): string => {
    const n = v.dims[level] ?? 0;
    const parts = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (level + 1 < v.dims.length) {
        parts[i] = write(level + 1);
      } else {
        const e = v.elems[idx++];
        parts[i] = e === null || e === undefined ? 'NULL' : quoteArrayElement(formatElem(e));
      }
    }
    return '{' + parts.join(',') + '}';
  };
  return prefix + write(0);
}

/** array_cmp: elementwise (NULL sorts after non-NULL), then element count, ndims, dims, lbounds. */
export function compareArrays(a: SqlArray, b: SqlArray,
  cmpElem: (x: unknown, y: unknown) => number): number {
  const n = Math.min(a.elems.length, b.elems.length);
  for (let i = 0; i < n; i++) {
    const x = a.elems[i];
    const y = b.elems[i];
    const xn = x === null || x === undefined;
    const yn = y === null || y === undefined;
    if (xn && yn) continue;
    if (xn) return 1;
    if (yn) return -1;
    const c = cmpElem(x, y);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  if (a.elems.length !== b.elems.length) return a.elems.length < b.elems.length ? -1 : 1;
  if (a.dims.length !== b.dims.length) return a.dims.length < b.dims.length ? -1 : 1;
  for (let d = 0; d < a.dims.length; d++) {
    const x = a.dims[d] as number;
    const y = b.dims[d] as number;
    if (x !== y) return x < y ? -1 : 1;
    const lx = a.lbounds[d] as number;
    const ly = b.lbounds[d] as number;
    if (lx !== ly) return lx < ly ? -1 : 1;
  }
  return 0;
}

/** A hash key consistent with compareArrays equality, given one for the elements. */
export function arrayHashKey(v: SqlArray, elemKey: (x: unknown) => string): string {
  const parts = v.elems.map((e) => (e === null || e === undefined ? '\u0000N' : elemKey(e)));
  return `${v.dims.join(',')}|${v.lbounds.join(',')}|${parts.map((p) => `${p.length}:${p}`).join('')}`;
}

/** array_lower / array_upper / array_length for dimension `dim` (1-based); null when absent. */
export function arrayLower(v: SqlArray, dim: number): number | null {
  return v.lbounds[dim - 1] ?? null;
}

export function arrayUpper(v: SqlArray, dim: number): number | null {
  const lb = v.lbounds[dim - 1];
  const len = v.dims[dim - 1];
  return lb === undefined || len === undefined ? null : lb + len - 1;
}

export function arrayLength(v: SqlArray, dim: number): number | null {
  return v.dims[dim - 1] ?? null;
}

/** array_dims: '[1:3]', '[0:1][1:2]'; null for an empty array. */
export function arrayDimsText(v: SqlArray): string | null {
  if (v.dims.length === 0) return null;
  return v.dims.map((d, i) => `[${v.lbounds[i] ?? 1}:${(v.lbounds[i] ?? 1) + d - 1}]`).join('');
}

/** Subscript a[i][j]...: the element, or null when out of bounds (as PostgreSQL). */
export function arraySubscript(v: SqlArray, subscripts: readonly number[]): unknown {
  if (subscripts.length !== v.dims.length) return null;
  let offset = 0;
  for (let d = 0; d < subscripts.length; d++) {
    const i = (subscripts[d] as number) - (v.lbounds[d] as number);
    const len = v.dims[d] as number;
    if (i < 0 || i >= len) return null;
    offset = offset * len + i;
  }
  return v.elems[offset] ?? null;
}
