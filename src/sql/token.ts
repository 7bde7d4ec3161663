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
    // Pre-sized, and replaced by a larger copy when full, like the typed arrays: push() re-copies
    // the backing store many times as it grows, and setting `length` far past the end turns the
    // array into a dictionary in V8.
    this.values = new Array<string>(capacity);
    this.count = 0;
  }

  push(type: TokType, start: number, end: number, value: string): void {
    const i = this.count;
    if (i === this.types.length) this.grow();
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
    this.values[i] = value;
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
    const values = new Array<string>(cap);
    for (let i = 0; i < this.count; i++) values[i] = this.values[i]!;
    this.values = values;
  }

  /** Materializes token `i` (clamped to the final EOF token) as an object. */
  token(i: number): Token {
    const j = i < this.count ? (i < 0 ? 0 : i) : this.count - 1;
    return new Token(this.types[j] as TokType, this.starts[j]!, this.ends[j]!, this.values[j]!);
  }
}

