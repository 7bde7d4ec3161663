/**
 * The per-session settings that change how values are read and written (PostgreSQL's GUCs that
 * affect I/O). Passed explicitly so type code never reads globals or the clock itself.
 */
export interface TypeContext {
  /** IANA zone name ('UTC', 'Europe/Paris') or a fixed offset ('+02:00'); PostgreSQL's TimeZone. */
  readonly timeZone: string;
  /** Current transaction start time, µs since epoch: what 'now'/'today' mean in input. */
  readonly nowMicros: number;
  /** PostgreSQL's extra_float_digits (default 1: shortest round-trip output). */
  readonly extraFloatDigits: number;
  /** IntervalStyle: only 'postgres' (the default) is required; 'iso_8601' optional. */
  readonly intervalStyle: 'postgres' | 'iso_8601' | 'sql_standard' | 'postgres_verbose';
  /**
   * Where the OID-alias types (regclass, regproc, regnamespace, regrole) look names up: the
   * statement's catalog, search path and user. Absent outside a session (names print as oids).
   */
  readonly catalogScope?: CatalogScope | null;
  /**
   * Planner scan toggles (enable_seqscan / enable_indexscan / enable_indexonlyscan /
   * enable_bitmapscan = off), as a bit set of SCAN_* flags (src/plan/binder/access-path.ts);
   * absent or 0 = all enabled. Carried here so the plan cache keys on it like the other settings.
   */
  readonly scanDisabled?: number;
}

/** The catalog a statement sees, opaque to the types layer (a src/catalog Catalog). */
export interface CatalogScope {
  readonly catalog: object;
  readonly searchPath: readonly string[];
  readonly user: string;
}

export const defaultTypeContext: TypeContext = Object.freeze({
  timeZone: 'UTC',
  nowMicros: 0,
  extraFloatDigits: 1,
  intervalStyle: 'postgres',
});
