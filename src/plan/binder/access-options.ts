/**
 * The planner's scan toggles, PostgreSQL's enable_seqscan / enable_indexscan /
 * enable_indexonlyscan / enable_bitmapscan. Like PostgreSQL, "off" does not forbid a path: it
 * adds DISABLE_COST to it, so a disabled sequential scan is still used when no index applies.
 */
export const SCAN_SEQ = 1;
export const SCAN_INDEX = 2;
export const SCAN_INDEX_ONLY = 4;
export const SCAN_BITMAP = 8;

/** PostgreSQL's disable_cost: large enough to lose to any enabled path. */
export const DISABLE_COST = 1e10;

/** The bit set of disabled scans from the session's settings (0 = all enabled). */
export function scanDisabledMask(setting: (name: string) => string | null): number {
  let mask = 0;
  if (setting('enable_seqscan') === 'off') mask |= SCAN_SEQ;
  if (setting('enable_indexscan') === 'off') mask |= SCAN_INDEX;
  if (setting('enable_indexonlyscan') === 'off') mask |= SCAN_INDEX_ONLY;
  if (setting('enable_bitmapscan') === 'off') mask |= SCAN_BITMAP;
  return mask;
}
