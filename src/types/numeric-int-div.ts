/**
 * Division of two integers into a numeric without decimal.js arithmetic: what an avg() over
 * integer columns ends with, once per group. Through numericDiv it took four decimal operations
 * and a string parse, a tenth of a query that aggregates a few rows (speedtest 07); here it is a
 * long division in doubles, with the quotient's decimal built from its digits directly.
 */
import { Decimal } from 'decimal.js';
import { divScale, makeNumeric, Numeric, numericDiv, numericFromInt, type NumericValue } from './numeric.ts';

/** Dividends and divisors within these bounds keep every step of the long division exact. */
const MAX_DIVIDEND = 2 ** 50;
const MAX_DIVISOR = 2 ** 31;

/** Decimal digits per decimal.js word (its LOG_BASE) and the word base. */
const WORD_DIGITS = 7;
const WORD_BASE = 1e7;

/** NBASE weight of a non-negative safe integer (0 for 0), as numeric.ts reads it off decimals. */
function intWeight(x: number): number {
  let w = 0;
  for (let p = 10000; x >= p; p *= 10000) w++;
  return w;
}

/**
 * a / b for integers, exactly as numericDiv(numericFromInt(a), numericFromInt(b)): the quotient
 * at select_div_scale's scale, rounded half away from zero. Beyond the bounds above it is that
 * call.
 */
export function numericDivInts(a: number, b: number): NumericValue {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (!(x <= MAX_DIVIDEND && y <= MAX_DIVISOR && y >= 1) || !Number.isInteger(a) || !Number.isInteger(b)) {
    return numericDiv(numericFromInt(a), numericFromInt(b));
  }
  const w1 = intWeight(x);
  const w2 = intWeight(y);
  const rscale = divScale(w1, x === 0 ? 0 : Math.floor(x / 10000 ** w1), w2, Math.floor(y / 10000 ** w2), 0);
  let whole = Math.floor(x / y);
  let r = x - whole * y;
  // x / y rounded to a double may land on the next integer: correct the truncated quotient.
  if (r < 0) { whole--; r += y; } else if (r >= y) { whole++; r -= y; }
  // rscale digits and one guard digit; truncation never crosses .5, so rounding on the guard
  // digit is exact (as numericDiv's divRound).
  const digits = DIGITS;
  for (let i = 0; i < rscale; i++) {
    r *= 10;
    const d = Math.floor(r / y);
    digits[i] = d;
    r -= d * y;
  }
  if (Math.floor((r * 10) / y) >= 5) {
    let i = rscale - 1;
    while (i >= 0 && digits[i] === 9) digits[i--] = 0;
    if (i >= 0) digits[i]!++;
    else whole++;
  }
  return makeNumeric(decimalOf((a < 0) !== (b < 0), whole, digits, rscale), rscale);
}

/** numericDivInts' digits, reused: it calls nothing that could divide again before it is done. */
const DIGITS: number[] = [];

/**
 * The decimal `whole.digits` (its first `count` digits; negative when `negative` and not
 * zero), as `new Numeric(text)` would parse it but without the text: parsing was most of a
 * division's remaining cost. It writes decimal.js's representation (sign `s`; `e`, the base-10
 * exponent of the leading digit; `d`, base-1e7 words aligned on the decimal point, no leading or
 * trailing zero word), which the copy constructor takes from any object tagged as a Decimal.
 * Tested against the parser.
 */
export function decimalOf(negative: boolean, whole: number, digits: readonly number[], count = digits.length): Numeric {
  const words: number[] = [];
  let e: number;
  if (whole > 0) {
    // Integer words, least significant first, then reversed.
    for (let w = whole; w > 0; w = Math.floor(w / WORD_BASE)) words.push(w % WORD_BASE);
    words.reverse();
    e = String(whole).length - 1;
  } else {
    let first = 0;
    while (first < count && digits[first] === 0) first++;
    if (first === count) return new Numeric(0);
    e = -(first + 1);
  }
  for (let i = 0; i < count; i += WORD_DIGITS) {
    let word = 0;
    for (let k = 0; k < WORD_DIGITS; k++) word = word * 10 + (i + k < count ? digits[i + k]! : 0);
    // Zero words before the leading digit are not stored (whole === 0: e places the first one).
    if (word !== 0 || words.length !== 0) words.push(word);
  }
  while (words[words.length - 1] === 0) words.pop();
  return new Numeric({ s: negative ? -1 : 1, e, d: words, toStringTag: DECIMAL_TAG } as unknown as Decimal);
}

const DECIMAL_TAG = '[object Decimal]';
