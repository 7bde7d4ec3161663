/**
 * StartupMessage parameters and ParameterStatus reporting. Startup parameters other than user,
 * database, options and replication are session settings (application_name, client_encoding,
 * DateStyle, TimeZone, extra_float_digits ...); `options` carries `-c name=value` /
 * `--name=value` pairs, as PostgreSQL's command-line options.
 *
 * Invariant: the reported set is PostgreSQL 15's GUC_REPORT parameters; clients (JDBC, pg,
 * psql) read server_version, client_encoding, standard_conforming_strings and integer_datetimes
 * from it.
 */
import { DbError } from '../../errors/index.ts';
import type { Session } from '../../engine/session.ts';

const NOT_SETTINGS = new Set(['user', 'database', 'options', 'replication']);

export function applyStartupParams(session: Session, params: ReadonlyMap<string, string>): void {
  for (const [name, value] of params) {
    if (NOT_SETTINGS.has(name)) continue;
    session.setSetting(name, value, false);
  }
  const options = params.get('options');
  if (options !== undefined) {
    for (const [name, value] of parseOptions(options)) session.setSetting(name, value, false);
  }
  const enc = session.setting('client_encoding');
  if (enc !== null && enc.toUpperCase().replace(/[-_]/g, '') !== 'UTF8') {
    throw new DbError('feature_not_supported', `client encoding "${enc}" is not supported; use UTF8`);
  }
}

/** `-c a=b --c=d -cx=y` (backslash escapes spaces, as PostgreSQL's pg_split_opts). */
function parseOptions(text: string): [string, string][] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) { cur += text[++i]; has = true; continue; }
    if (/\s/.test(ch)) { if (has) words.push(cur); cur = ''; has = false; continue; }
    cur += ch;
    has = true;
  }
  if (has) words.push(cur);
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i]!;
    if (w === '-c') w = words[++i] ?? '';
    else if (w.startsWith('-c')) w = w.slice(2);
    else if (w.startsWith('--')) w = w.slice(2);
    else throw new DbError('invalid_parameter_value', `invalid command-line argument for server process: ${w}`);
    const eq = w.indexOf('=');
    if (eq <= 0) throw new DbError('syntax_error', `-c ${w} requires a value`);
    out.push([w.slice(0, eq).replace(/-/g, '_'), w.slice(eq + 1)]);
  }
  return out;
}

/** The ParameterStatus values for a session, in PostgreSQL's names. */
export function reportedParams(session: Session, serverVersion: string): [string, string][] {
  const get = (n: string, dflt: string): string => session.setting(n) ?? dflt;
  return [
    ['server_version', serverVersion],
    ['server_encoding', 'UTF8'],
    ['client_encoding', 'UTF8'],
    ['DateStyle', get('datestyle', 'ISO, MDY')],
    ['TimeZone', get('timezone', 'UTC')],
    ['IntervalStyle', get('intervalstyle', 'postgres')],
    ['integer_datetimes', 'on'],
    ['standard_conforming_strings', get('standard_conforming_strings', 'on')],
    ['application_name', get('application_name', '')],
    ['is_superuser', get('is_superuser', 'on')],
    ['session_authorization', session.sessionUser],
    ['default_transaction_read_only', get('default_transaction_read_only', 'off')],
    ['in_hot_standby', 'off'],
  ];
}
