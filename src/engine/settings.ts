/**
 * Run-time configuration parameters (PostgreSQL's GUCs) that sessions can SET / SHOW / RESET.
 * Each has a default, a validator/normalizer and a category; unknown names are errors (42704),
 * except custom dotted names (`app.user_id`) which PostgreSQL also accepts.
 */
import { DbError } from '../errors/index.ts';
import { resolveZone } from '../types/datetime.ts';

export interface SettingDef {
  readonly name: string;
  readonly defaultValue: string;
  readonly description: string;
  /** Normalizes a SET value (already joined for lists) or throws 22023. */
  readonly normalize: (value: string) => string;
  /** Read-only settings can be SHOWn but not SET. */
  readonly readOnly?: boolean;
  readonly unit?: string;
}

const boolNorm = (name: string) => (v: string): string => {
  const s = v.trim().toLowerCase();
  if (['on', 'true', 'yes', '1', 't', 'y'].includes(s)) return 'on';
  if (['off', 'false', 'no', '0', 'f', 'n'].includes(s)) return 'off';
  throw new DbError('invalid_parameter_value', `parameter "${name}" requires a Boolean value`);
};

const intNorm = (name: string, min: number, max: number) => (v: string): string => {
  const n = Number(v.trim());
  if (!Number.isInteger(n)) throw new DbError('invalid_parameter_value', `invalid value for parameter "${name}": "${v}"`);
  if (n < min || n > max) {
    throw new DbError('invalid_parameter_value', `${n} is outside the valid range for parameter "${name}" (${min} .. ${max})`);
  }
  return String(n);
};

const enumNorm = (name: string, values: readonly string[]) => (v: string): string => {
  const s = v.trim().toLowerCase();
  if (!values.includes(s)) {
    throw new DbError('invalid_parameter_value', `invalid value for parameter "${name}": "${v}"`,
      { hint: `Available values: ${values.join(', ')}.` });
  }
  return s;
};

/** Milliseconds in each duration unit PostgreSQL accepts, largest first (for display). */
const DURATION_UNITS: [string, number][] = [['d', 86400000], ['h', 3600000], ['min', 60000], ['s', 1000], ['ms', 1]];

/** Parses a duration setting ('5s', '100ms', '1min', bare numbers are ms) to milliseconds. */
export function durationMs(v: string): number | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*$/i.exec(v);
  if (!m) return null;
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit === 'us' ? 0.001 : DURATION_UNITS.find(([u]) => u === unit)![1];
  return Number(m[1]) * factor;
}

/** Durations are stored as PostgreSQL shows them: the largest unit that divides evenly ('1s'). */
const durationNorm = (name: string) => (v: string): string => {
  const ms = durationMs(v);
  if (ms === null) throw new DbError('invalid_parameter_value', `invalid value for parameter "${name}": "${v}"`);
  if (ms < 0) throw new DbError('invalid_parameter_value', `${v} is outside the valid range for parameter "${name}"`);
  const rounded = Math.round(ms);
  if (rounded === 0) return '0';
  for (const [unit, factor] of DURATION_UNITS) if (rounded % factor === 0) return `${rounded / factor}${unit}`;
  return `${rounded}ms`;
};

const zoneNorm = (v: string): string => {
  const s = v.trim();
  if (resolveZone(s) === null) throw new DbError('invalid_parameter_value', `invalid value for parameter "TimeZone": "${v}"`);
  return s;
};

const text = (v: string): string => v;

const defs: SettingDef[] = [
  { name: 'search_path', defaultValue: '"$user", public', description: 'Schema search order for unqualified names.', normalize: text },
  { name: 'timezone', defaultValue: 'UTC', description: 'Time zone for displaying and interpreting time stamps.', normalize: zoneNorm },
  { name: 'datestyle', defaultValue: 'ISO, MDY', description: 'Display format for date and time values.', normalize: (v) => {
    if (!/iso/i.test(v) && !/mdy|dmy|ymd/i.test(v)) throw new DbError('invalid_parameter_value', `invalid value for parameter "DateStyle": "${v}"`);
    return 'ISO, MDY';
  } },
  { name: 'intervalstyle', defaultValue: 'postgres', description: 'Display format for interval values.', normalize: enumNorm('IntervalStyle', ['postgres', 'postgres_verbose', 'sql_standard', 'iso_8601']) },
  { name: 'extra_float_digits', defaultValue: '1', description: 'Extra digits displayed for floating-point values.', normalize: intNorm('extra_float_digits', -15, 3) },
  { name: 'application_name', defaultValue: '', description: 'Name of the application.', normalize: text },
  { name: 'client_encoding', defaultValue: 'UTF8', description: 'Client character set.', normalize: (v) => {
    if (!/^utf-?8$/i.test(v.trim()) && !/^unicode$/i.test(v.trim())) throw new DbError('feature_not_supported', `conversion to encoding "${v}" is not supported`);
    return 'UTF8';
  } },
  { name: 'server_encoding', defaultValue: 'UTF8', description: 'Server character set.', normalize: text, readOnly: true },
  { name: 'server_version', defaultValue: '15.0', description: 'PostgreSQL version this server is compatible with.', normalize: text, readOnly: true },
  { name: 'server_version_num', defaultValue: '150000', description: 'PostgreSQL version number.', normalize: text, readOnly: true },
  { name: 'standard_conforming_strings', defaultValue: 'on', description: "'...' strings treat backslashes literally.", normalize: (v) => {
    if (boolNorm('standard_conforming_strings')(v) !== 'on') throw new DbError('feature_not_supported', 'non-standard string literals are not supported');
    return 'on';
  } },
  { name: 'integer_datetimes', defaultValue: 'on', description: 'Datetimes are integer based.', normalize: text, readOnly: true },
  { name: 'is_superuser', defaultValue: 'on', description: 'Whether the current user is a superuser.', normalize: text, readOnly: true },
  // Passwords are always stored as SCRAM-SHA-256 verifiers; psql's \password reads this to hash client-side.
  { name: 'password_encryption', defaultValue: 'scram-sha-256', description: 'Algorithm used to encrypt passwords.', normalize: enumNorm('password_encryption', ['scram-sha-256']) },
  { name: 'statement_timeout', defaultValue: '0', description: 'Maximum allowed duration of any statement (ms; 0 = none).', normalize: durationNorm('statement_timeout'), unit: 'ms' },
  { name: 'autovacuum_naptime', defaultValue: '10s', description: 'Minimum time between automatic analyzes of one table (0 = as soon as the threshold is passed).', normalize: durationNorm('autovacuum_naptime'), unit: 'ms' },
  { name: 'lock_timeout', defaultValue: '0', description: 'Maximum wait for a lock (ms; 0 = none).', normalize: durationNorm('lock_timeout'), unit: 'ms' },
  { name: 'idle_in_transaction_session_timeout', defaultValue: '0', description: 'Maximum idle time inside a transaction (ms).', normalize: durationNorm('idle_in_transaction_session_timeout'), unit: 'ms' },
  { name: 'default_transaction_isolation', defaultValue: 'read committed', description: 'Isolation level of new transactions.', normalize: enumNorm('default_transaction_isolation', ['read committed', 'repeatable read', 'serializable', 'read uncommitted']) },
  { name: 'default_transaction_read_only', defaultValue: 'off', description: 'Whether new transactions are read-only.', normalize: boolNorm('default_transaction_read_only') },
  { name: 'transaction_isolation', defaultValue: 'read committed', description: 'Isolation level of the current transaction.', normalize: enumNorm('transaction_isolation', ['read committed', 'repeatable read', 'serializable', 'read uncommitted']) },
  { name: 'transaction_read_only', defaultValue: 'off', description: 'Whether the current transaction is read-only.', normalize: boolNorm('transaction_read_only') },
  { name: 'max_recursive_iterations', defaultValue: '1000000', description: 'Iterations a recursive CTE may run before it is stopped (Oxibase).', normalize: intNorm('max_recursive_iterations', 1, 2147483647) },
  { name: 'history_retention', defaultValue: '0', description: 'How long old row versions are kept for AS OF queries (ms; Oxibase).', normalize: durationNorm('history_retention'), unit: 'ms' },
  { name: 'client_min_messages', defaultValue: 'notice', description: 'Message levels sent to the client.', normalize: enumNorm('client_min_messages', ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'log', 'notice', 'warning', 'error']) },
  { name: 'max_identifier_length', defaultValue: '63', description: 'Maximum identifier length.', normalize: text, readOnly: true },
  { name: 'max_connections', defaultValue: '200', description: 'Maximum number of concurrent connections.', normalize: text, readOnly: true },
  { name: 'lc_collate', defaultValue: 'C', description: 'Collation order locale.', normalize: text, readOnly: true },
  { name: 'lc_ctype', defaultValue: 'C', description: 'Character classification locale.', normalize: text, readOnly: true },
  { name: 'lc_messages', defaultValue: 'C', description: 'Language of messages.', normalize: text },
  { name: 'lc_monetary', defaultValue: 'C', description: 'Locale for money formatting.', normalize: text },
  { name: 'lc_numeric', defaultValue: 'C', description: 'Locale for number formatting.', normalize: text },
  { name: 'lc_time', defaultValue: 'C', description: 'Locale for date and time formatting.', normalize: text },
  { name: 'synchronous_commit', defaultValue: 'on', description: 'Whether commits wait for the log to be durable.', normalize: enumNorm('synchronous_commit', ['on', 'off', 'local', 'remote_write', 'remote_apply']) },
  { name: 'row_security', defaultValue: 'on', description: 'Enable row security.', normalize: boolNorm('row_security') },
  { name: 'enable_seqscan', defaultValue: 'on', description: 'Planner may use sequential scans (off: only when nothing else works).', normalize: boolNorm('enable_seqscan') },
  { name: 'enable_indexscan', defaultValue: 'on', description: 'Planner may use index scans.', normalize: boolNorm('enable_indexscan') },
  { name: 'enable_indexonlyscan', defaultValue: 'on', description: 'Planner may use index-only scans.', normalize: boolNorm('enable_indexonlyscan') },
  { name: 'enable_bitmapscan', defaultValue: 'on', description: 'Planner may use bitmap scans.', normalize: boolNorm('enable_bitmapscan') },
  { name: 'jit', defaultValue: 'off', description: 'JIT compilation (not applicable).', normalize: boolNorm('jit') },
  { name: 'bytea_output', defaultValue: 'hex', description: 'Output format for bytea.', normalize: enumNorm('bytea_output', ['hex', 'escape']) },
  { name: 'xmloption', defaultValue: 'content', description: 'XML parsing mode.', normalize: enumNorm('xmloption', ['content', 'document']) },
  { name: 'escape_string_warning', defaultValue: 'on', description: 'Warn about backslash escapes.', normalize: boolNorm('escape_string_warning') },
];

export const SETTINGS: ReadonlyMap<string, SettingDef> = new Map(defs.map((d) => [d.name, d]));

/** Resolves a parameter name (case-insensitive), accepting custom `prefix.name` parameters. */
export function settingDef(name: string): SettingDef | null {
  const exact = SETTINGS.get(name);
  if (exact !== undefined) return exact;
  const n = name.toLowerCase();
  const alias = n === 'time zone' ? 'timezone' : n;
  return SETTINGS.get(alias) ?? null;
}

export function isCustomSetting(name: string): boolean {
  return /^[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$.]*$/i.test(name);
}

export function unknownSetting(name: string): DbError {
  return new DbError('undefined_object', `unrecognized configuration parameter "${name}"`);
}
