/** pg_hba.conf parsing and matching (src/server/pg/hba.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchHba, parseHba, HbaError } from '../../src/server/pg/hba.ts';

const req = (user: string, address: string, database = 'oxibase', groups: Record<string, string[]> = {}) => ({
  user, address, database, isMember: (u: string, g: string) => (groups[g] ?? []).includes(u),
});

test('first matching line wins: address CIDR (IPv4, IPv6, mapped), users, +groups, databases', () => {
  const rules = parseHba(`
    # comment line
    local   all       all                       trust
    host    all       admin     127.0.0.1/32    trust      # trailing comment
    host    all       +ops      10.0.0.0/8      password
    host    sameuser  all       ::1/128         md5
    host    app,"Mixed" all     192.168.0.0 255.255.0.0 scram-sha-256
    host    all       all       samehost        reject
    host    all       all       all             scram-sha-256`);
  assert.equal(rules.length, 7);
  assert.equal(matchHba(rules, req('admin', '127.0.0.1')).method, 'trust');
  assert.equal(matchHba(rules, req('admin', '::ffff:127.0.0.1')).method, 'trust');
  assert.equal(matchHba(rules, req('bob', '10.1.2.3', 'x', { ops: ['bob'] })).method, 'password');
  assert.equal(matchHba(rules, req('bob', '10.1.2.3')).method, 'scram-sha-256');
  assert.equal(matchHba(rules, req('bob', '::1', 'bob')).method, 'md5');
  assert.equal(matchHba(rules, req('bob', '::1', 'other')).method, 'reject');
  assert.equal(matchHba(rules, req('bob', '192.168.7.7', 'Mixed')).method, 'scram-sha-256');
  assert.equal(matchHba(rules, req('bob', '192.168.7.7', 'mixed')).method, 'scram-sha-256');
  assert.deepEqual([matchHba(rules, req('bob', '127.0.0.1')).method, matchHba(rules, req('bob', '127.0.0.1')).rule?.line], ['reject', 8]);
});

test('no matching line rejects; local / hostssl lines never match TCP connections', () => {
  const rules = parseHba('local all all trust\nhostssl all all all trust\nhost all alice 10.0.0.1/32 trust');
  assert.deepEqual(matchHba(rules, req('alice', '127.0.0.1')), { method: 'reject', rule: null });
});

test('invalid configuration lines are errors naming the line', () => {
  assert.throws(() => parseHba('hots all all all trust'), (e: unknown) => e instanceof HbaError && /line 1: invalid connection type "hots"/.test(e.message));
  assert.throws(() => parseHba('\nhost all all 1.2.3.4 trust'), /line 2: IP address "1.2.3.4" needs a CIDR mask/);
  assert.throws(() => parseHba('host all all 1.2.3.4/40 trust'), /invalid CIDR mask/);
  assert.throws(() => parseHba('host all all all kerberos'), /invalid authentication method "kerberos"/);
  assert.throws(() => parseHba('host all all'), /end-of-line before authentication method/);
  assert.throws(() => parseHba('host all all all trust opt=1'), /authentication options are not supported/);
});
