/**
 * SQL/JSON path language: a parser for the subset Oxibase supports (jsonpath is accepted as text).
 *
 * Supported: `lax`/`strict` mode prefix; `$`, `@`, `$var`; accessors `.key`, `."quoted key"`,
 * `.*`, `[*]`, `[n]`, `[n to m]`, `[a, b]`, `last` (with `last - n` arithmetic); filters
 * `? (predicate)`; predicates `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `!`,
 * `exists(...)`, `starts with`, `is unknown`; arithmetic `+ - * / %` and unary minus; literals
 * (numbers, "strings", true, false, null); item methods `.size()`, `.type()`, `.double()`,
 * `.abs()`, `.floor()`, `.ceiling()`.
 *
 * Parsed paths are cached by text (a plan evaluates the same literal path for every row).
 * Syntax errors follow PostgreSQL: 42601 'syntax error at or near "x" of jsonpath input'.
 */
import { DbError } from '../../errors/index.ts';

export type PathNode =
  | { k: 'root' } | { k: 'current' } | { k: 'last' } | { k: 'var'; name: string }
  | { k: 'literal'; value: null | boolean | string | { num: string } }
  | { k: 'key'; base: PathNode; key: string }
  | { k: 'anyKey'; base: PathNode }
  | { k: 'anyIndex'; base: PathNode }
  | { k: 'index'; base: PathNode; subs: { from: PathNode; to: PathNode | null }[] }
  | { k: 'filter'; base: PathNode; pred: PathNode }
  | { k: 'method'; base: PathNode; name: string }
  | { k: 'binary'; op: string; left: PathNode; right: PathNode }
  | { k: 'unary'; op: '-' | '+' | '!'; arg: PathNode }
  | { k: 'exists'; arg: PathNode }
  | { k: 'isUnknown'; arg: PathNode };

export interface JsonPath {
  readonly strict: boolean;
  readonly expr: PathNode;
}

const TOKEN_RE = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*")|(\$?[A-Za-z_][A-Za-z_0-9]*)|(==|!=|<>|<=|>=|&&|\|\||[$@.\[\](),?*<>!+\-/%]))/y;

interface Token {
  readonly kind: 'num' | 'str' | 'ident' | 'var' | 'op' | 'end';
  readonly text: string;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN_RE.lastIndex = at;
    const m = TOKEN_RE.exec(src);
    if (m === null) throw syntaxError(src.slice(at).trim().slice(0, 1));
    at = TOKEN_RE.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'num', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'str', text: JSON.parse(m[2]) as string });
    else if (m[3] !== undefined) out.push(m[3].startsWith('$') ? { kind: 'var', text: m[3].slice(1) } : { kind: 'ident', text: m[3] });
    else out.push({ kind: 'op', text: m[4] ?? '' });
  }
  out.push({ kind: 'end', text: '' });
  return out;
}

function syntaxError(near: string): DbError {
  return near === ''
    ? new DbError('syntax_error', 'syntax error at end of jsonpath input')
    : new DbError('syntax_error', `syntax error at or near "${near}" of jsonpath input`);
}

const CMP_OPS = new Set(['==', '!=', '<>', '<', '<=', '>', '>=']);
const METHODS = new Set(['size', 'type', 'double', 'abs', 'floor', 'ceiling']);

class Parser {
  readonly toks: Token[];
  i = 0;
  constructor(toks: Token[]) {
    this.toks = toks;
  }

  peek(): Token {
    return this.toks[this.i] ?? { kind: 'end', text: '' };
  }
  next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  expectOp(text: string): void {
    if (!this.isOp(text)) throw syntaxError(this.peek().text);
    this.i++;
  }
  isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === word;
  }

  or(): PathNode {
    let left = this.and();
    while (this.isOp('||')) {
      this.i++;
      left = { k: 'binary', op: '||', left, right: this.and() };
    }
    return left;
  }
  and(): PathNode {
    let left = this.not();
    while (this.isOp('&&')) {
      this.i++;
      left = { k: 'binary', op: '&&', left, right: this.not() };
    }
    return left;
  }
  not(): PathNode {
    if (this.isOp('!')) {
      this.i++;
      this.expectOp('(');
      const arg = this.or();
      this.expectOp(')');
      return { k: 'unary', op: '!', arg };
    }
    return this.comparison();
  }
  comparison(): PathNode {
    if (this.isWord('exists')) {
      this.i++;
      this.expectOp('(');
      const arg = this.or();
      this.expectOp(')');
      return { k: 'exists', arg };
    }
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && CMP_OPS.has(t.text)) {
      this.i++;
      return { k: 'binary', op: t.text === '<>' ? '!=' : t.text, left, right: this.additive() };
    }
    if (this.isWord('starts')) {
      this.i++;
      if (!this.isWord('with')) throw syntaxError(this.peek().text);
      this.i++;
      return { k: 'binary', op: 'starts', left, right: this.additive() };
    }
    if (this.isWord('is')) {
      this.i++;
      if (!this.isWord('unknown')) throw syntaxError(this.peek().text);
      this.i++;
      return { k: 'isUnknown', arg: left };
    }
    return left;
  }
  additive(): PathNode {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      left = { k: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }
  multiplicative(): PathNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text;
      left = { k: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  unary(): PathNode {
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().text as '-' | '+';
      return { k: 'unary', op, arg: this.unary() };
    }
    return this.accessors(this.primary());
  }
  primary(): PathNode {
    const t = this.next();
    switch (t.kind) {
      case 'num': return { k: 'literal', value: { num: t.text } };
      case 'str': return { k: 'literal', value: t.text };
      case 'var': return { k: 'var', name: t.text };
      case 'ident':
        if (t.text === 'true' || t.text === 'false') return { k: 'literal', value: t.text === 'true' };
        if (t.text === 'null') return { k: 'literal', value: null };
        if (t.text === 'last') return { k: 'last' };
        throw syntaxError(t.text);
      case 'op':
        if (t.text === '$') return { k: 'root' };
        if (t.text === '@') return { k: 'current' };
        if (t.text === '(') {
          const e = this.or();
          this.expectOp(')');
          return e;
        }
        throw syntaxError(t.text);
      default: throw syntaxError('');
    }
  }
  accessors(base: PathNode): PathNode {
    let node = base;
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        node = this.member(node);
      } else if (this.isOp('[')) {
        this.i++;
        node = this.subscript(node);
      } else if (this.isOp('?')) {
        this.i++;
        this.expectOp('(');
        const pred = this.or();
        this.expectOp(')');
        node = { k: 'filter', base: node, pred };
      } else {
        return node;
      }
    }
  }
  member(base: PathNode): PathNode {
    const t = this.next();
    if (t.kind === 'op' && t.text === '*') return { k: 'anyKey', base };
    if (t.kind === 'str') return { k: 'key', base, key: t.text };
    if (t.kind === 'var') return { k: 'key', base, key: '$' + t.text };
    if (t.kind !== 'ident') throw syntaxError(t.text);
    if (this.isOp('(') && METHODS.has(t.text)) {
      this.i++;
      this.expectOp(')');
      return { k: 'method', base, name: t.text };
    }
    return { k: 'key', base, key: t.text };
  }
  subscript(base: PathNode): PathNode {
    if (this.isOp('*')) {
      this.i++;
      this.expectOp(']');
      return { k: 'anyIndex', base };
    }
    const subs: { from: PathNode; to: PathNode | null }[] = [];
    for (;;) {
      const from = this.additive();
      let to: PathNode | null = null;
      if (this.isWord('to')) {
        this.i++;
        to = this.additive();
      }
      subs.push({ from, to });
      if (this.isOp(',')) {
        this.i++;
        continue;
      }
      this.expectOp(']');
      return { k: 'index', base, subs };
    }
  }
}

const cache = new Map<string, JsonPath>();
const CACHE_MAX = 256;

/** Parses jsonpath text (cached). */
export function parseJsonPath(src: string): JsonPath {
  const hit = cache.get(src);
  if (hit !== undefined) return hit;
  const toks = tokenize(src);
  const p = new Parser(toks);
  let strict = false;
  if (p.isWord('strict') || p.isWord('lax')) {
    strict = p.next().text === 'strict';
  }
  const expr = p.or();
  if (p.peek().kind !== 'end') throw syntaxError(p.peek().text);
  const path: JsonPath = { strict, expr };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(src, path);
  return path;
}
