/**
 * Backslash meta-commands (psql's, the subset Oxibase supports; `\?` lists them):
 *   \q  \?  \timing [on|off]  \x [on|off]  \pset format|null VALUE  \echo TEXT  \i FILE
 *   \g  \p  \r  (the query buffer)
 *   \d[+] [PATTERN]  \dt \dv \dm \di \ds [PATTERN]  \dn [PATTERN]  \d[+] NAME
 *
 * Invariants: meta-commands never send catalog SQL (describe.ts explains why); a command that
 * cannot do what was asked reports it on `err` and returns 'error' (a script stops there, the
 * shell carries on); output of listings goes to `out`, status lines ("Timing is on.") to `err`.
 */
import type { RelationDescription, Session } from '../api/types.ts';
import {
  formatRelationDescription, formatRelationList, indexOwners, matchesPattern, noneFoundMessage,
  normalizeName, parseNamePattern, type RelationKind,
} from './describe.ts';
import { formatAligned, rowCountFooter } from './format-table.ts';
import { outputFormats, type Output, type OutputFormat, type ShellSettings } from './output.ts';

export type MetaOutcome = 'ok' | 'error' | 'quit';

export interface ParsedMeta {
  /** Command name without the backslash, e.g. `d+`, `timing`. */
  readonly name: string;
  readonly args: readonly string[];
  /** The text after the name, untokenized (\echo prints it as typed, minus outer quotes). */
  readonly rest: string;
}

/**
 * Splits `\name arg1 'arg 2' "Ident"` psql-style: single quotes make one literal argument (''
 * inside is a quote), double quotes stay in the argument (they mean "keep case" to \d).
 */
export function parseMetaCommand(text: string): ParsedMeta {
  const m = /^\\([^\s\\]*)/.exec(text);
  const name = m?.[1] ?? '';
  const rest = text.slice((m?.[0] ?? '\\').length).trim();
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest.charAt(i))) i++;
    if (i >= rest.length) break;
    let arg = '';
    while (i < rest.length && !/\s/.test(rest.charAt(i))) {
      const ch = rest.charAt(i);
      if (ch === "'") {
        i++;
        while (i < rest.length) {
          if (rest.charAt(i) === "'") {
            if (rest.charAt(i + 1) === "'") { arg += "'"; i += 2; continue; }
            i++; break;
          }
          arg += rest.charAt(i++);
        }
      } else if (ch === '"') {
        arg += ch; i++;
        while (i < rest.length) {
          const c = rest.charAt(i++);
          arg += c;
          if (c === '"') break;
        }
      } else {
        arg += ch; i++;
      }
    }
    args.push(arg);
  }
  return { name, args, rest };
}

/** What meta-commands need from whoever runs them (the Runner). */
export interface MetaHost {
  readonly session: Session;
  readonly settings: ShellSettings;
  readonly output: Output;
  /** Sends SQL as if typed (\g); returns false when it failed. */
  executeSql(sql: string): Promise<boolean>;
  /** Runs a script file (\i); 'error' when it could not be read or a statement failed. */
  includeFile(path: string): Promise<MetaOutcome>;
}

/** What the caller must do with its query buffer after the command. */
export interface MetaResult {
  readonly outcome: MetaOutcome;
  /** \g and \r consumed the pending statement: drop it from the splitter. */
  readonly discardPending: boolean;
}

const helpText = `General
  \\q                     quit oxibase
  \\?                     show this help

Query Buffer
  \\g                     send the query buffer (the statement typed so far)
  \\p                     show the query buffer
  \\r                     reset (clear) the query buffer

Input/Output
  \\echo [STRING]         write string to standard output
  \\i FILE                execute commands from file

Informational
  (options: + = additional detail)
  \\d[+]                  list tables, views, materialized views and sequences
  \\d[+]  NAME            describe table, view, sequence, or index
  \\di[+] [PATTERN]       list indexes
  \\dm[+] [PATTERN]       list materialized views
  \\dn    [PATTERN]       list schemas (those holding relations, and public)
  \\ds[+] [PATTERN]       list sequences
  \\dt[+] [PATTERN]       list tables
  \\dv[+] [PATTERN]       list views

Formatting
  \\pset format FORMAT    output format: table (aligned), csv or json
  \\pset null STRING      how NULL is shown in tables (default: empty)
  \\timing [on|off]       toggle timing of commands
  \\x [on|off]            toggle expanded output

Patterns: * matches any text, ? one character, schema.name qualifies; "quoted" keeps case.
`;

const listKinds: Record<string, readonly RelationKind[]> = {
  d: ['table', 'view', 'materialized view', 'sequence'],
  dt: ['table'],
  dv: ['view'],
  dm: ['materialized view'],
  di: ['index'],
  ds: ['sequence'],
};

function parseOnOff(value: string | undefined, current: boolean): boolean | null {
  if (value === undefined) return !current;
  const v = value.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  return null;
}

/** Runs one meta-command line (from its backslash). */
export async function runMetaCommand(text: string, pendingSql: string, host: MetaHost): Promise<MetaResult> {
  const cmd = parseMetaCommand(text);
  const { output, settings } = host;
  const ok: MetaResult = { outcome: 'ok', discardPending: false };
  const fail = (message: string): MetaResult => {
    output.err(`${message}\n`);
    return { outcome: 'error', discardPending: false };
  };
  const baseName = cmd.name.endsWith('+') ? cmd.name.slice(0, -1) : cmd.name;
  const verbose = cmd.name.endsWith('+');

  switch (cmd.name) {
    case 'q': case 'quit':
      return { outcome: 'quit', discardPending: false };
    case '?':
      output.out(helpText);
      return ok;
    case 'timing': {
      const v = parseOnOff(cmd.args[0], settings.timing);
      if (v === null) return fail(`unrecognized value "${cmd.args[0] ?? ''}" for "\\timing": Boolean expected`);
      settings.timing = v;
      output.err(`Timing is ${v ? 'on' : 'off'}.\n`);
      return ok;
    }
    case 'x': {
      const v = parseOnOff(cmd.args[0], settings.expanded);
      if (v === null) return fail(`unrecognized value "${cmd.args[0] ?? ''}" for "\\x": Boolean expected`);
      settings.expanded = v;
      output.err(`Expanded display is ${v ? 'on' : 'off'}.\n`);
      return ok;
    }
    case 'pset':
      return pset(cmd.args, settings, output) ? ok : { outcome: 'error', discardPending: false };
    case 'echo':
      output.out(`${cmd.args.join(' ')}\n`);
      return ok;
    case 'i': case 'include': {
      const path = cmd.args[0];
      if (path === undefined) return fail('\\i: missing required argument');
      return { outcome: await host.includeFile(path), discardPending: false };
    }
    case 'g': {
      if (pendingSql === '') return { outcome: 'ok', discardPending: true };
      const success = await host.executeSql(pendingSql);
      return { outcome: success ? 'ok' : 'error', discardPending: true };
    }
    case 'p':
      output.out(pendingSql === '' ? 'Query buffer is empty.\n' : `${pendingSql}\n`);
      return ok;
    case 'r':
      output.err('Query buffer reset (cleared).\n');
      return { outcome: 'ok', discardPending: true };
    default:
      break;
  }

  try {
    if (baseName === 'dn') return await listSchemas(host, cmd.args[0] ?? null);
    const kinds = listKinds[baseName];
    if (kinds !== undefined) {
      const pattern = cmd.args[0] ?? null;
      if (baseName === 'd' && pattern !== null) return await describe(host, pattern, verbose);
      return await listRelations(host, kinds, pattern, verbose);
    }
  } catch (e) {
    // The session API failed (e.g. a broken catalog); report it like any other error.
    return fail(`ERROR:  ${e instanceof Error ? e.message : String(e)}`);
  }
  output.err(`invalid command \\${cmd.name}\nTry \\? for help.\n`);
  return { outcome: 'error', discardPending: false };
}

function pset(args: readonly string[], settings: ShellSettings, output: Output): boolean {
  const [option, value] = args;
  if (option === 'format') {
    if (value === undefined) { output.err(`Output format is ${settings.format}.\n`); return true; }
    const format = (value === 'aligned' ? 'table' : value) as OutputFormat;
    if (!outputFormats.includes(format)) {
      output.err('\\pset: allowed formats are table (aligned), csv, json\n');
      return false;
    }
    settings.format = format;
    output.err(`Output format is ${format}.\n`);
    return true;
  }
  if (option === 'null') {
    settings.nullDisplay = value ?? '';
    output.err(`Null display is "${settings.nullDisplay}".\n`);
    return true;
  }
  output.err(`\\pset: unknown option: ${option ?? ''}\n`);
  return false;
}

async function listRelations(
  host: MetaHost, kinds: readonly RelationKind[], pattern: string | null, verbose: boolean,
): Promise<MetaResult> {
  const parsed = pattern === null ? null : parseNamePattern(pattern);
  const relations = (await host.session.listRelations(kinds))
    .filter((r) => kinds.includes(r.kind) && matchesPattern(r, parsed));
  if (relations.length === 0) {
    host.output.err(`${noneFoundMessage(kinds, pattern)}\n`);
    return { outcome: 'ok', discardPending: false };
  }
  const withTable = kinds.length === 1 && kinds[0] === 'index';
  const indexTables = withTable
    ? indexOwners(await host.session.listRelations(['table', 'materialized view']))
    : undefined;
  host.output.out(formatRelationList(relations, { withTableColumn: withTable, indexTables, verbose }));
  return { outcome: 'ok', discardPending: false };
}

/** The table-side entry of an index, for the footer of \d INDEX. */
async function owningTable(session: Session, index: RelationDescription) {
  const tables = await session.listRelations(['table', 'materialized view']);
  for (const t of tables) {
    if (t.schema !== index.schema) continue;
    const entry = t.indexes.find((ix) => ix.name === index.name);
    if (entry !== undefined) return { schema: t.schema, name: t.name, index: entry };
  }
  return undefined;
}

async function describe(host: MetaHost, pattern: string, verbose: boolean): Promise<MetaResult> {
  const { session, output } = host;
  const parsed = parseNamePattern(pattern);
  let matches: RelationDescription[] = [];
  if (parsed !== null && parsed.wildcard) {
    const all = await session.listRelations();
    for (const r of all.filter((x) => matchesPattern(x, parsed))) {
      const full = await session.describeRelation(`"${r.schema}"."${r.name}"`) ??
        await session.describeRelation(`${r.schema}.${r.name}`);
      if (full !== null) matches.push(full);
    }
  } else {
    // Pass the name as typed first (the engine may parse identifiers itself), then psql's
    // case-folded form (in case it matches names exactly).
    const exact = await session.describeRelation(pattern) ??
      (normalizeName(pattern) !== pattern ? await session.describeRelation(normalizeName(pattern)) : null);
    if (exact !== null) matches = [exact];
  }
  if (matches.length === 0) {
    output.err(`Did not find any relation named "${pattern}".\n`);
    return { outcome: 'error', discardPending: false };
  }
  for (const rel of matches) {
    const owner = rel.kind === 'index' ? await owningTable(session, rel) : undefined;
    output.out(formatRelationDescription(rel, owner === undefined ? { verbose } : { verbose, owningTable: owner }));
  }
  return { outcome: 'ok', discardPending: false };
}

/**
 * \dn. The Session API has no schema listing yet, so this shows the schemas that hold at least
 * one relation, plus public (which always exists).
 */
async function listSchemas(host: MetaHost, pattern: string | null): Promise<MetaResult> {
  const relations = await host.session.listRelations();
  const owners = new Map<string, string>([['public', '']]);
  for (const r of relations) if (!owners.has(r.schema) || owners.get(r.schema) === '') owners.set(r.schema, r.owner);
  const parsed = pattern === null ? null : parseNamePattern(pattern);
  const rows = [...owners.entries()]
    .filter(([name]) => parsed === null || parsed.name.test(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (rows.length === 0) {
    host.output.err(`Did not find any schema named "${pattern ?? ''}".\n`);
    return { outcome: 'ok', discardPending: false };
  }
  host.output.out(formatAligned({
    title: 'List of schemas', headers: ['Name', 'Owner'], rightAlign: [false, false],
    rows: rows.map(([name, owner]) => [name, owner]), footers: [rowCountFooter(rows.length)],
  }));
  return { outcome: 'ok', discardPending: false };
}
