/**
 * Numeric templates: to_char(numeric|int|float, text) and to_number(text, text) with
 * PostgreSQL's patterns 9 0 . , D G S MI PL SG PR FM V EEEE TH (formatting.c "NUM").
 *
 * to_char layout rules (PostgreSQL's): the value is rounded half away from zero to the number of
 * fraction digit positions; integer digits are right-aligned into the integer positions, unused
 * leading positions print blanks ('9') or zeros (from the first '0' on); without an explicit
 * sign pattern one extra leading position holds the sign ('-' or a blank) immediately before the
 * first printed character; a group separator before the first digit prints as a blank; too many
 * integer digits print every digit position as '#'. FM drops leading blanks, the blank sign and
 * trailing fraction zeros printed by '9'.
 */
import { Decimal } from 'decimal.js';
import { DbError } from '../../errors/index.ts';
import { makeNumeric, Numeric, type NumericValue } from '../../types/numeric.ts';
import { ordinalSuffix } from './datetime-template.ts';

type NumTok =
  | { t: 'digit'; zero: boolean; frac: boolean } | { t: 'point' } | { t: 'group' }
  | { t: 'sign'; kind: 'S' | 'MI' | 'PL' | 'SG' } | { t: 'PR' } | { t: 'EEEE' } | { t: 'V' }
  | { t: 'TH'; upper: boolean } | { t: 'lit'; text: string };

interface NumFormat {
  readonly toks: NumTok[];
  readonly fm: boolean;
  readonly pre: number;
  readonly post: number;
  readonly vDigits: number;
  readonly explicitSign: boolean;
  readonly pr: boolean;
  readonly eeee: boolean;
}

function parseNumFormat(f: string): NumFormat {
  const toks: NumTok[] = [];
  let fm = false;
  let pre = 0;
  let post = 0;
  let vDigits = 0;
  let inFrac = false;
  let afterV = false;
  let i = 0;
  const up = f.toUpperCase();
  while (i < f.length) {
    const c = up.charAt(i);
    const two = up.slice(i, i + 2);
    if (c === '"') {
      const end = f.indexOf('"', i + 1);
      const stop = end < 0 ? f.length : end;
      toks.push({ t: 'lit', text: f.slice(i + 1, stop) });
      i = stop + 1;
      continue;
    }
    if (two === 'FM') { fm = true; i += 2; continue; }
    if (up.startsWith('EEEE', i)) { toks.push({ t: 'EEEE' }); i += 4; continue; }
    if (two === 'MI' || two === 'PL' || two === 'SG') { toks.push({ t: 'sign', kind: two }); i += 2; continue; }
    if (two === 'PR') { toks.push({ t: 'PR' }); i += 2; continue; }
    if (two === 'TH') { toks.push({ t: 'TH', upper: f.slice(i, i + 2) === 'TH' }); i += 2; continue; }
    if (c === '9' || c === '0') {
      if (afterV) vDigits++;
      if (inFrac && !afterV) post++;
      else pre++;
      toks.push({ t: 'digit', zero: c === '0', frac: inFrac && !afterV });
    } else if (c === '.' || c === 'D') {
      inFrac = true;
      toks.push({ t: 'point' });
    } else if (c === ',' || c === 'G') toks.push({ t: 'group' });
    else if (c === 'S') toks.push({ t: 'sign', kind: 'S' });
    else if (c === 'V') { afterV = true; toks.push({ t: 'V' }); }
    else toks.push({ t: 'lit', text: f.charAt(i) });
    i++;
  }
  const explicitSign = toks.some((t) => t.t === 'sign' || t.t === 'PR');
  return { toks, fm, pre, post, vDigits, explicitSign, pr: toks.some((t) => t.t === 'PR'), eeee: toks.some((t) => t.t === 'EEEE') };
}

function signText(kind: 'S' | 'MI' | 'PL' | 'SG', neg: boolean, fm: boolean): string {
  switch (kind) {
    case 'S': case 'SG': return neg ? '-' : '+';
    case 'MI': return neg ? '-' : fm ? '' : ' ';
    case 'PL': return neg ? (fm ? '' : ' ') : '+';
  }
}

/**
 * Renders the digit/point/group/literal parts; returns the text and where the number (its first
 * digit or point position) starts, which is where an implicit sign is anchored.
 */
function renderBody(
  fmt: NumFormat, intDigits: string, fracDigits: string, overflow: boolean, neg: boolean, abs: Decimal,
): [string, number] {
  let out = '';
  let numStart = -1;
  let slot = 0;
  let fracSlot = 0;
  let started = false;
  const firstZero = fmt.toks.findIndex((t) => t.t === 'digit' && t.zero && !t.frac);
  fmt.toks.forEach((tok, ti) => {
    if (numStart < 0 && (tok.t === 'digit' || tok.t === 'point')) numStart = out.length;
    switch (tok.t) {
      case 'digit':
        if (overflow) { out += '#'; return; }
        if (!tok.frac) {
          const di = slot - (fmt.pre - intDigits.length);
          slot++;
          if (di >= 0) { out += intDigits.charAt(di); started = true; }
          else if (firstZero >= 0 && ti >= firstZero) { out += '0'; started = true; }
          else out += ' ';
        } else {
          out += fracDigits.charAt(fracSlot++);
        }
        return;
      case 'point': out += '.'; return;
      case 'group': out += started ? ',' : ' '; return;
      case 'sign': out += signText(tok.kind, neg, fmt.fm); return;
      case 'TH': {
        const suf = ordinalSuffix(Number(abs.trunc().mod(100).toString()));
        out += tok.upper ? suf.toUpperCase() : suf;
        return;
      }
      case 'lit': out += tok.text; return;
      default: return;
    }
  });
  return [out, numStart < 0 ? 0 : numStart];
}

/** FM: drops trailing fraction zeros printed by '9' positions ('0' positions keep theirs). */
function trimFraction(body: string, fmt: NumFormat): string {
  if (!fmt.fm || fmt.post === 0) return body;
  const point = body.lastIndexOf('.');
  if (point < 0) return body;
  const tail = body.slice(point + 1);
  const digits = /^\d*/.exec(tail)?.[0] ?? '';
  const zeroPositions = fmt.toks.filter((t) => t.t === 'digit' && t.frac).map((t) => (t as { zero: boolean }).zero);
  let keep = digits.length;
  while (keep > 0 && digits.charAt(keep - 1) === '0' && zeroPositions[keep - 1] === false) keep--;
  return body.slice(0, point + 1 + keep) + tail.slice(digits.length);
}

function toCharEeee(abs: Decimal, neg: boolean, fmt: NumFormat): string {
  const s = abs.toExponential(fmt.post, Decimal.ROUND_HALF_UP);
  const [mant = '0', exp = '0'] = s.split('e');
  const e = Number(exp);
  const expText = (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  return (neg ? '-' : fmt.fm ? '' : ' ') + mant + 'e' + expText;
}

/** to_char(number, template). */
export function numberToChar(v: NumericValue, template: string): string {
  const fmt = parseNumFormat(template);
  const d = v.value;
  if (!d.isFinite()) {
    return ' ' + '#'.repeat(fmt.pre) + (fmt.post > 0 ? '.' + '#'.repeat(fmt.post) : '');
  }
  const neg = d.isNegative() && !d.isZero();
  let abs = d.abs();
  if (fmt.vDigits > 0) abs = abs.times(new Numeric(10).pow(fmt.vDigits));
  if (fmt.eeee) return toCharEeee(abs, neg, fmt);
  const rounded = abs.toDecimalPlaces(fmt.post, Decimal.ROUND_HALF_UP);
  const fixed = rounded.toFixed(fmt.post);
  const [intPart = '0', fracDigits = ''] = fixed.split('.');
  const negShown = neg && !rounded.isZero();
  let intDigits = intPart === '0' ? (fmt.post > 0 ? '' : '0') : intPart;
  const overflow = intDigits.length > fmt.pre;
  if (overflow) intDigits = '';
  const [rendered, at] = renderBody(fmt, intDigits, fracDigits, overflow, negShown, rounded);
  let body = trimFraction(rendered, fmt);
  if (fmt.pr) {
    body = fmt.fm ? body.trimStart() : body;
    return negShown ? '<' + body.trimStart().padStart(body.length, ' ') + '>' : ' ' + body + ' ';
  }
  const anchored = fmt.toks.find((t) => t.t === 'sign' && t.kind === 'S') !== undefined &&
    fmt.toks[0]?.t === 'sign';
  if (fmt.explicitSign && !anchored) return fmt.fm ? body.trimStart() : body;
  if (anchored) {
    // A leading S is anchored to the number: move it next to the first printed character.
    const sign = body.charAt(0);
    const rest = body.slice(1);
    const lead = rest.length - rest.trimStart().length;
    const moved = ' '.repeat(lead) + sign + rest.trimStart();
    return fmt.fm ? moved.trimStart() : moved;
  }
  const head = body.slice(0, at);
  const num = body.slice(at);
  const lead = num.length - num.trimStart().length;
  if (!fmt.fm) return head + ' '.repeat(lead) + (negShown ? '-' : ' ') + num.trimStart();
  return head + (negShown ? '-' : '') + num.trimStart();
}

/** to_number(text, template). */
export function toNumber(input: string, template: string): NumericValue {
  const fmt = parseNumFormat(template);
  let i = 0;
  let neg = false;
  let digits = '';
  let frac = '';
  let inFrac = false;
  const skipSpaces = (): void => { while (input.charAt(i) === ' ') i++; };
  const takeSign = (): void => {
    const c = input.charAt(i);
    if (c === '-') { neg = true; i++; } else if (c === '+') i++;
  };
  if (fmt.pr && input.trimStart().startsWith('<')) { neg = true; i = input.indexOf('<') + 1; }
  for (const tok of fmt.toks) {
    if (i >= input.length) break;
    switch (tok.t) {
      case 'digit': {
        if (!inFrac && digits === '') { skipSpaces(); if (!fmt.explicitSign) takeSign(); }
        const c = input.charAt(i);
        if (c >= '0' && c <= '9') {
          if (inFrac) frac += c; else digits += c;
          i++;
        }
        break;
      }
      case 'point':
        if (input.charAt(i) === '.') { i++; inFrac = true; } else if (!fmt.fm) inFrac = true;
        break;
      case 'group': if (input.charAt(i) === ',') i++; break;
      case 'sign': skipSpaces(); takeSign(); break;
      case 'lit': i += tok.text.length; break;
      default: break;
    }
  }
  if (digits === '' && frac === '') {
    throw new DbError('invalid_text_representation', `invalid input syntax for type numeric: " "`);
  }
  const text = (neg ? '-' : '') + (digits === '' ? '0' : digits) + (frac === '' ? '' : '.' + frac);
  let value = new Numeric(text);
  if (fmt.vDigits > 0) value = value.div(new Numeric(10).pow(fmt.vDigits));
  return makeNumeric(value, frac.length + fmt.vDigits);
}
