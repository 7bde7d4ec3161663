/**
 * Token representation shared by the lexer and the parser.
 *
 * Invariants: a TokenStream always ends with exactly one EOF token whose start/end equal the text
 * length; `values[i]` is the normalized value of token i (see lexer.ts for per-type meaning).
 */

export const Tok = {
  EOF: 0,
  /** Unquoted identifier or keyword; value lower-cased. */
  Ident: 1,
  /** "Quoted identifier"; value verbatim. */
  QIdent: 2,
  String: 3,
  /** Digits only (decimal text, prefixes and underscores resolved). */
  Integer: 4,
  /** Decimal point and/or exponent; source text without underscores. */
  Numeric: 5,
  /** $n; value is the digits. */
  Param: 6,
  /** Operator (value is its text). */
  Op: 7,
  /** B'...' / X'...': value is the bit digits. */
  BitString: 8,
  /** ( ) [ ] , ; . : :: := .. */
  Punct: 9,
} as const;
export type TokType = (typeof Tok)[keyof typeof Tok];

export class Token {
  type: TokType;
  start: number;
  end: number;
  value: string;
  constructor(type: TokType, start: number, end: number, value: string) {
    this.type = type;
    this.start = start;
    this.end = end;
    this.value = value;
  }
}

/**
 * Tokens as parallel arrays (struct of arrays): a multi-megabyte INSERT produces millions of
 * tokens that all stay alive until parsing ends, and one object per token would make the young
 * generation GC copy each of them. `values` holds interned strings for punctuation/operators.
 */
export class TokenStream {
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: string[];
  count: number;

  constructor(capacity: number) {
    this.types = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    // Appended to, not pre-sized: V8 turns `new Array(n)` beyond ~100k elements (and a length
    // set that far past the end) into a dictionary, which made every token store a hash insert.
    this.values = [];
    this.count = 0;
  }

  push(type: TokType, start: number, end: number, value: string): void {
    const i = this.count;
    if (i === this.types.length) this.grow();
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
    this.values.push(value);
    this.count = i + 1;
  }

  private grow(): void {
    const cap = this.types.length * 2;
    const types = new Uint8Array(cap);
    types.set(this.types);
    const starts = new Int32Array(cap);
    starts.set(this.starts);
    const ends = new Int32Array(cap);
    ends.set(this.ends);
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }

  /** Materializes token `i` (clamped to the final EOF token) as an object. */
  token(i: number): Token {
    const j = i < this.count ? (i < 0 ? 0 : i) : this.count - 1;
    return new Token(this.types[j] as TokType, this.starts[j]!, this.ends[j]!, this.values[j]!);
  }
}

