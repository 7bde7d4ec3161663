/**
 * LIKE / ILIKE selectivity (PostgreSQL patternsel): the most common values are matched against the
 * pattern directly; for the other values, a fixed prefix (`abc%`) becomes the range
 * [abc, abd) over the histogram, and the remaining pattern characters multiply in PostgreSQL's
 * like_selectivity factors (FIXED_CHAR_SEL 0.2 per literal character, ANY_CHAR_SEL 0.9 per `_`).
 */
import type { ColumnStats } from '../../storage/table-stats.ts';
import { histogramFraction } from './histogram.ts';

const FIXED_CHAR_SEL = 0.2;
const ANY_CHAR_SEL = 0.9;
const DEFAULT_MATCH_SEL = 0.005;

/** The literal prefix of a LIKE pattern (before the first wildcard) and the rest. */
function splitPattern(pattern: string): { prefix: string; rest: string } {
  let prefix = '';
  let i = 0;
  for (; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '%' || ch === '_') break;
    if (ch === '\\' && i + 1 < pattern.length) { i++; prefix += pattern[i]; continue; }
    prefix += ch;
  }
  return { prefix, rest: pattern.slice(i) };
}

/** like_selectivity for the part after the prefix. */
function restSelectivity(rest: string): number {
  let s = 1;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch === '%') continue;
    if (ch === '_') s *= ANY_CHAR_SEL;
    else {
      if (ch === '\\') i++;
      s *= FIXED_CHAR_SEL;
    }
  }
  return s;
}

function likeRegex(pattern: string, caseless: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else {
      const lit = ch === '\\' && i + 1 < pattern.length ? pattern[++i]! : ch;
      re += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`, caseless ? 'i' : '');
}

/** Fraction of rows whose text value matches `pattern` (nulls never match). */
export function likeSelectivity(st: ColumnStats | null, pattern: string, caseless: boolean): number {
  const { prefix, rest } = splitPattern(pattern);
  const restSel = restSelectivity(rest);
  if (st === null) {
    // `%` alone matches every non-null value; anything else gets PostgreSQL's default.
    return prefix === '' && restSel === 1 && rest !== '' ? 1 : DEFAULT_MATCH_SEL;
  }
  const re = likeRegex(pattern, caseless);
  let mcvMatched = 0;
  let mcvSum = 0;
  for (let i = 0; i < st.mcvValues.length; i++) {
    const v = st.mcvValues[i];
    mcvSum += st.mcvFreqs[i]!;
    if (typeof v === 'string' && re.test(v)) mcvMatched += st.mcvFreqs[i]!;
  }
  const others = Math.max(0, 1 - mcvSum - st.nullFrac);
  let otherSel = restSel;
  if (prefix !== '' && !caseless && st.histogram.length >= 2 && typeof st.histogram[0] === 'string') {
    const cmp = (a: unknown, b: unknown): number => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
    const last = prefix.charCodeAt(prefix.length - 1);
    const upper = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    const range = histogramFraction(st.histogram, upper, cmp) - histogramFraction(st.histogram, prefix, cmp);
    otherSel = Math.max(range, 1 / Math.max(2, st.histogram.length * 10)) * (rest === '%' || rest === '' ? 1 : restSel / FIXED_CHAR_SEL);
  } else if (rest === '') {
    otherSel = DEFAULT_MATCH_SEL;
  }
  if (rest !== '') otherSel = blendHistogram(st.histogram, re, Math.min(1, otherSel));
  return Math.min(1, Math.max(0, mcvMatched + Math.min(1, otherSel) * others));
}

/** Fewest histogram entries worth matching; from this many up, they are trusted entirely. */
const HIST_MIN = 10;
const HIST_TRUSTED = 100;

/**
 * PostgreSQL's histogram_selectivity for a pattern that is not an exact match: the share of the
 * histogram's entries (less the two ends) that match, trusted entirely from 100 entries, blended
 * with the heuristic from 10 to 100, and kept within [0.0001, 0.9999]. A pattern like '%fifty%'
 * has no prefix, so the heuristic alone (0.2 per literal character) said 0.03% where a fifth of
 * the rows matched.
 */
function blendHistogram(histogram: readonly unknown[], re: RegExp, heuristic: number): number {
  const n = histogram.length;
  let sel = heuristic;
  if (n >= HIST_MIN) {
    let matched = 0;
    for (let i = 1; i < n - 1; i++) {
      const v = histogram[i];
      if (typeof v === 'string' && re.test(v)) matched++;
    }
    const histSel = matched / (n - 2);
    const weight = Math.min(1, n / HIST_TRUSTED);
    sel = histSel * weight + heuristic * (1 - weight);
  }
  return Math.min(0.9999, Math.max(0.0001, sel));
}
