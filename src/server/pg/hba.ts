/**
 * Client authentication rules in PostgreSQL's pg_hba.conf format: one rule per line,
 * `TYPE DATABASE USER [ADDRESS] METHOD`, first match wins, no match rejects.
 *
 *   TYPE     local | host | hostssl | hostnossl   (TCP connections are `host`; `local` matches
 *            nothing today: there is no Unix-socket listener, and no TLS yet so hostssl neither)
 *   DATABASE all | sameuser | name[,name...]
 *   USER     all | name | +group (members of group) [,...]
 *   ADDRESS  all | samehost | IPv4/IPv6 CIDR (`127.0.0.1/32`, `::1/128`) | address + mask column
 *   METHOD   trust | reject | scram-sha-256 | md5 | password
 *
 * `md5` runs SCRAM-SHA-256, as PostgreSQL does when the stored password is a SCRAM verifier
 * (Oxibase stores only those). `#` starts a comment; quoted names keep case and commas.
 */
import { isIP } from 'node:net';

export type AuthMethod = 'trust' | 'reject' | 'scram-sha-256' | 'md5' | 'password';

export interface HbaRule {
  readonly type: 'local' | 'host' | 'hostssl' | 'hostnossl';
  readonly databases: readonly string[];
  readonly users: readonly string[];
  /** null for local rules. */
  readonly address: { readonly kind: 'all' | 'samehost' } | { readonly kind: 'cidr'; readonly bytes: Uint8Array; readonly bits: number } | null;
  readonly method: AuthMethod;
  readonly line: number;
}

/** The default when no configuration is given: SCRAM for everyone, from anywhere. */
export const DEFAULT_HBA = 'host all all all scram-sha-256\n';

/** Trust on loopback only (tests, local development); anything else is rejected. */
export const LOCAL_TRUST_HBA = 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n';

const METHODS: ReadonlySet<string> = new Set(['trust', 'reject', 'scram-sha-256', 'md5', 'password']);

export class HbaError extends Error {}

function tokens(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let any = false;
  for (const ch of line) {
    if (ch === '"') { quoted = !quoted; cur += ch; any = true; continue; }
    if (!quoted && ch === '#') break;
    if (!quoted && /\s/.test(ch)) { if (any) out.push(cur); cur = ''; any = false; continue; }
    cur += ch;
    any = true;
  }
  if (any) out.push(cur);
  return out;
}

function nameList(tok: string): string[] {
  const out: string[] = [];
  for (const m of tok.matchAll(/"((?:[^"]|"")*)"|([^,]+)/g)) {
    if (m[1] !== undefined) out.push(`"${m[1].replace(/""/g, '"')}`);
    else out.push(m[2]!);
  }
  return out;
}

function ipBytes(text: string): Uint8Array | null {
  const v = isIP(text);
  if (v === 4) return new Uint8Array(text.split('.').map(Number));
  if (v !== 6) return null;
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let t = text;
  if (mapped) {
    const b = mapped[2]!.split('.').map(Number);
    t = `${mapped[1]}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = t.split('::');
  const h = head ? head.split(':') : [];
  const tl = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - tl.length).fill('0'), ...tl];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { const n = parseInt(g, 16); out[i * 2] = n >> 8; out[i * 2 + 1] = n & 0xff; });
  return out;
}

function maskBits(mask: string): number {
  const b = ipBytes(mask);
  if (b === null) throw new HbaError(`invalid IP mask "${mask}"`);
  let bits = 0;
  for (const x of b) for (let i = 7; i >= 0; i--) if (x & (1 << i)) bits++;
  return bits;
}

export function parseHba(text: string): HbaRule[] {
  const rules: HbaRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const t = tokens(lines[i]!);
    if (t.length === 0) continue;
    const at = `line ${i + 1}`;
    const type = t[0]!;
    if (type !== 'local' && type !== 'host' && type !== 'hostssl' && type !== 'hostnossl') throw new HbaError(`${at}: invalid connection type "${type}"`);
    if (t.length < (type === 'local' ? 4 : 5)) throw new HbaError(`${at}: end-of-line before authentication method`);
    let pos = 3;
    let address: HbaRule['address'] = null;
    if (type !== 'local') {
      const a = t[pos++]!;
      if (a === 'all' || a === 'samehost') {
        address = { kind: a };
      } else {
        const [ip, bitsText] = a.split('/');
        const bytes = ipBytes(ip!);
        if (bytes === null) throw new HbaError(`${at}: invalid IP address "${a}"`);
        let bits: number;
        if (bitsText !== undefined) bits = Number(bitsText);
        else if (t.length > pos + 1 && ipBytes(t[pos]!) !== null) bits = maskBits(t[pos++]!);
        else throw new HbaError(`${at}: IP address "${a}" needs a CIDR mask`);
        if (!Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) throw new HbaError(`${at}: invalid CIDR mask in "${a}"`);
        address = { kind: 'cidr', bytes, bits };
      }
    }
    const method = t[pos++]!;
    if (!METHODS.has(method)) throw new HbaError(`${at}: invalid authentication method "${method}"`);
    if (pos < t.length) throw new HbaError(`${at}: authentication options are not supported ("${t[pos]}")`);
    rules.push({ type, databases: nameList(t[1]!), users: nameList(t[2]!), address, method: method as AuthMethod, line: i + 1 });
  }
  return rules;
}

export interface HbaRequest {
  readonly database: string;
  readonly user: string;
  /** Client address as node reports it (IPv4-mapped IPv6 included). */
  readonly address: string;
  /** Is `user` a member of role `group` (for +group)? */
  readonly isMember: (user: string, group: string) => boolean;
}

function addressMatches(rule: NonNullable<HbaRule['address']>, address: string): boolean {
  if (rule.kind === 'all') return true;
  if (rule.kind !== 'cidr') return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  let ip = ipBytes(address);
  if (ip === null) return false;
  if (ip.length === 16 && rule.bytes.length === 4 && ip.slice(0, 12).every((b, i) => b === (i >= 10 ? 0xff : 0))) ip = ip.slice(12);
  if (ip.length !== rule.bytes.length) return false;
  for (let bit = 0; bit < rule.bits; bit++) {
    const m = 1 << (7 - (bit % 8));
    if ((ip[bit >> 3]! & m) !== (rule.bytes[bit >> 3]! & m)) return false;
  }
  return true;
}

function nameMatches(list: readonly string[], name: string, special: (w: string) => boolean | null): boolean {
  return list.some((w) => {
    if (w.startsWith('"')) return w.slice(1) === name;
    const s = special(w);
    return s !== null ? s : w === name;
  });
}

/** The method of the first matching rule; 'reject' when none matches (PostgreSQL: no pg_hba.conf entry). */
export function matchHba(rules: readonly HbaRule[], req: HbaRequest): { method: AuthMethod; rule: HbaRule | null } {
  for (const r of rules) {
    if (r.type !== 'host' && r.type !== 'hostnossl') continue;
    if (r.address !== null && !addressMatches(r.address, req.address)) continue;
    if (!nameMatches(r.databases, req.database, (w) => (w === 'all' ? true : w === 'sameuser' ? req.database === req.user : null))) continue;
    if (!nameMatches(r.users, req.user, (w) => (w === 'all' ? true : w.startsWith('+') ? req.isMember(req.user, w.slice(1)) : null))) continue;
    return { method: r.method, rule: r };
  }
  return { method: 'reject', rule: null };
}
