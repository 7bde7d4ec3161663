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

/** Streams smaller than this are not kept for reuse (fresh small arrays are cheap). */
const SPARE_MIN_TOKENS = 4096;
/** Nor larger ones: the spare stays allocated while the process is idle (~17 bytes a token). */
const SPARE_MAX_TOKENS = 1 << 19;
/** The arrays of the last long script's tokens, for the next one (see TokenStream.release). */
let spare: TokenStream | null = null;

/**
 * Tokens as parallel arrays (struct of arrays): a multi-megabyte INSERT produces millions of
 * tokens that all stay alive until parsing ends, and one object per token would make the young
 * generation GC copy each of them. `values` holds interned strings for punctuation/operators.
 *
 * A long script's arrays run to megabytes, and freshly mapped memory costs a page fault per 4 kB
 * on first touch (about 4 ms per MB on the benchmark machine, a tenth of lexing a script of
 * INSERTs). So the owner of a finished stream hands it back with `release` and the next long
 * script's lexer takes it with `take`; only one stream is kept.
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

  /** An empty stream with room for `capacity` tokens: the released spare when it is big enough. */
  static take(capacity: number): TokenStream {
    const s = spare;
    if (s !== null && capacity >= SPARE_MIN_TOKENS && s.types.length >= capacity) {
      spare = null;
      return s;
    }
    return new TokenStream(capacity);
  }

  /**
   * Gives a finished stream's arrays to the next `take`. The caller must hold the only reference
   * that is still used: the stream is emptied here and refilled by another script later.
   */
  static release(s: TokenStream): void {
    const cap = s.types.length;
    if (cap < SPARE_MIN_TOKENS || cap > SPARE_MAX_TOKENS || s === spare) return;
    if (spare !== null && spare.types.length >= cap) return;
    // Drop the script's strings (sliced values would keep the whole script text alive).
    s.values.fill('', 0, s.count);
    s.count = 0;
    spare = s;
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

