/**
 * Display width of text in a terminal, so aligned tables line up with non-ASCII data the way
 * psql's pg_wcswidth does: combining marks and zero-width characters take no column, East Asian
 * wide/fullwidth characters and emoji take two, everything else one.
 *
 * Invariant: width is computed per code point (never per UTF-16 unit), so surrogate pairs count
 * once.
 */

const zeroWidth = /[\p{Mn}\p{Me}\u200B-\u200F\u2060\uFEFF]/u;

function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x300) { width += 1; continue; } // fast path: ASCII and Latin
    if (zeroWidth.test(ch)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

/** Pads `text` with spaces on the right to `width` display columns. */
export function padEnd(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? text + ' '.repeat(missing) : text;
}

/** Pads `text` with spaces on the left to `width` display columns. */
export function padStart(text: string, width: number): string {
  const missing = width - displayWidth(text);
  return missing > 0 ? ' '.repeat(missing) + text : text;
}
