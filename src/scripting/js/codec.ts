/**
 * The host side of the sandbox's value framing (see prelude.ts): JSON in which bigints, Dates,
 * byte arrays and non-finite numbers are single-key objects tagged with a NUL-prefixed key.
 */

function replacer(this: unknown, key: string, x: unknown): unknown {
  const o = (this as Record<string, unknown>)[key];
  if (typeof o === 'bigint') return { '\u0000n': String(o) };
  if (o instanceof Date) return { '\u0000d': o.getTime() };
  if (o instanceof Uint8Array) return { '\u0000b': Array.from(o) };
  if (typeof o === 'number' && !Number.isFinite(o)) return { '\u0000f': String(o) };
  return x;
}

function reviver(_key: string, x: unknown): unknown {
  if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
    const o = x as Record<string, unknown>;
    if ('\u0000n' in o) return BigInt(o['\u0000n'] as string);
    if ('\u0000d' in o) return new Date(o['\u0000d'] as number);
    if ('\u0000b' in o) return new Uint8Array(o['\u0000b'] as number[]);
    if ('\u0000f' in o) return Number(o['\u0000f']);
    // Python: values that the target type's input function reads (Decimal, datetime...).
    if ('\u0000s' in o) return o['\u0000s'];
  }
  return x;
}

/** Encodes a script value (undefined is null) for the guest. */
export function encodeTagged(v: unknown): string {
  return JSON.stringify(v === undefined ? null : v, replacer);
}

/** Encodes values that are known to be JSON-plain (finite numbers, strings, booleans, null). */
export function encodePlain(v: unknown): string {
  return JSON.stringify(v);
}

/** Decodes a guest frame; the reviver only runs when a tag is present. */
export function decodeTagged(s: string): unknown {
  return s.includes('\\u0000') ? JSON.parse(s, reviver) : JSON.parse(s);
}
