/**
 * A seeded PRNG (mulberry32) and the data generators the workloads share. Every engine gets
 * exactly the same rows for the same seed and size, so results are comparable run to run.
 */

export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A lowercase ASCII string of exactly `length` characters. */
  text(length: number): string {
    let s = '';
    for (let charIdx = 0; charIdx < length; charIdx++) s += String.fromCharCode(97 + Math.floor(this.next() * 26));
    return s;
  }
}

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', 'ten', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for a non-negative integer, as SQLite's speedtest spells them. */
export function numberName(n: number): string {
  const parts: string[] = [];
  if (n >= 1000) {
    parts.push(`${numberName(Math.floor(n / 1000))} thousand`);
    n %= 1000;
  }
  if (n >= 100) {
    parts.push(`${ONES[Math.floor(n / 100)]} hundred`);
    n %= 100;
  }
  if (n >= 20) {
    parts.push(TENS[Math.floor(n / 10)] as string);
    n %= 10;
  }
  if (n > 0) parts.push(ONES[n] as string);
  return parts.length === 0 ? 'zero' : parts.join(' ');
}

/** `YYYY-MM-DD` for a day number counted from 1970-01-01. */
export function isoDate(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Day number (from 1970-01-01) of a `YYYY-MM-DD` date. */
export function dayNumber(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}
