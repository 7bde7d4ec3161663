/**
 * Structural access to `json` values, which Oxibase keeps as their original (already validated)
 * text. PostgreSQL's json functions return sub-values as the exact source text (whitespace and
 * duplicate keys preserved), so this scanner records source spans instead of building values.
 *
 * Invariants: the input was validated by json input, so the scanner does not re-report syntax
 * errors (it fails with an internal error if that invariant is broken). For duplicate keys the
 * last occurrence wins on lookup, as in PostgreSQL's json operators.
 */
import { assert } from '../../errors/index.ts';

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export class JsonNode {
  readonly kind: JsonKind;
  readonly start: number;
  end: number;
  /** Object keys (decoded), parallel to children; null for arrays and scalars. */
  readonly keys: string[] | null;
  readonly children: JsonNode[];
  constructor(kind: JsonKind, start: number, end: number, keys: string[] | null) {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.keys = keys;
    this.children = [];
  }
}

class Scanner {
  readonly s: string;
  i = 0;
  constructor(s: string) {
    this.s = s;
  }

  ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.i++;
    }
  }

  value(): JsonNode {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') {
      const start = this.i;
      this.string();
      return new JsonNode('string', start, this.i, null);
    }
    const start = this.i;
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.s.slice(start, start + 400));
    assert(m !== null, 'json text was not validated');
    this.i += m[0].length;
    const kind: JsonKind = m[0] === 'null' ? 'null' : m[0] === 'true' || m[0] === 'false' ? 'boolean' : 'number';
    return new JsonNode(kind, start, this.i, null);
  }

  /** Skips a string literal and returns its decoded value. */
  string(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    let hasEscape = false;
    while (s[this.i] !== '"') {
      if (s[this.i] === '\\') {
        hasEscape = true;
        this.i++;
      }
      this.i++;
      assert(this.i < s.length, 'json text was not validated');
    }
    this.i++;
    const raw = s.slice(start, this.i);
    return hasEscape ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  object(): JsonNode {
    const node = new JsonNode('object', this.i, 0, []);
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      node.end = this.i;
      return node;
    }
    for (;;) {
      this.ws();
      node.keys?.push(this.string());
      this.ws();
      this.i++; // ':'
      node.children.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') break;
    }
    node.end = this.i;
    return node;
  }

  array(): JsonNode {
    const node = new JsonNode('array', this.i, 0, null);
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      node.end = this.i;
      return node;
    }
    for (;;) {
      node.children.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') break;
    }
    node.end = this.i;
    return node;
  }
}

/** Parses validated json text into a span tree. */
export function scanJson(text: string): JsonNode {
  return new Scanner(text).value();
}

export function nodeText(text: string, n: JsonNode): string {
  return text.slice(n.start, n.end);
}

/** The value of a string node, decoded. */
export function nodeString(text: string, n: JsonNode): string {
  const sc = new Scanner(text);
  sc.i = n.start;
  return sc.string();
}

/** What ->> returns: strings decoded, JSON null as SQL NULL, else the source text. */
export function nodeAsText(text: string, n: JsonNode): string | null {
  if (n.kind === 'null') return null;
  if (n.kind === 'string') return nodeString(text, n);
  return nodeText(text, n);
}

export function fieldNode(n: JsonNode, key: string): JsonNode | null {
  if (n.keys === null) return null;
  for (let i = n.keys.length - 1; i >= 0; i--) {
    if (n.keys[i] === key) return n.children[i] ?? null;
  }
  return null;
}

export function indexNode(n: JsonNode, index: number): JsonNode | null {
  if (n.kind !== 'array') return null;
  const i = index < 0 ? n.children.length + index : index;
  return n.children[i] ?? null;
}

/** Follows a #> path; array steps must be integers. */
export function pathNode(n: JsonNode, path: readonly (string | null)[]): JsonNode | null {
  let cur: JsonNode | null = n;
  for (const step of path) {
    if (cur === null || step === null) return null;
    if (cur.kind === 'object') cur = fieldNode(cur, step);
    else if (cur.kind === 'array') {
      if (!/^\s*-?\d+\s*$/.test(step)) return null;
      cur = indexNode(cur, Number(step));
    } else return null;
  }
  return cur;
}
