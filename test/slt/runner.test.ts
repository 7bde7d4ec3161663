/**
 * The sqllogictest runner library: record parsing, value rendering, sorting, MD5 hashing, guards,
 * halt, labels, exclusions and per-record failure isolation.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  conditionsAllow, exclusionIndex, hashValues, parseHashLine, parseRecords, renderValue,
  runFileText, runRecords, sortedValues, type SltDatabase,
} from '../../src/slt/index.ts';

test('parser: statements, queries, comments, guards, hash-threshold, halt', () => {
  const text = [
    '# leading comment',
    'hash-threshold 4',
    '',
    'statement ok',
    'CREATE TABLE t(a INTEGER,',
    '# a comment inside a record does not end it',
    '  b TEXT)',
    '',
    'skipif mysql # not there',
    'onlyif oxibase',
    'query IT rowsort lbl',
    'SELECT a, b',
    '  FROM t',
    '----',
    '1',
    'x',
    '',
    'statement error',
    'SELECT nope',
    '',
    'halt',
  ].join('\n');
  const recs = parseRecords(text);
  assert.deepEqual(recs.map((r) => r.kind), ['hash-threshold', 'statement', 'query', 'statement', 'halt']);
  const [ht, st, q, err] = recs;
  assert.equal(ht?.kind === 'hash-threshold' && ht.threshold, 4);
  assert.equal(st?.kind === 'statement' && st.sql, 'CREATE TABLE t(a INTEGER,\n  b TEXT)');
  assert.ok(q?.kind === 'query');
  assert.equal(q.line, 9);
  assert.equal(q.types, 'IT');
  assert.equal(q.sort, 'rowsort');
  assert.equal(q.label, 'lbl');
  assert.equal(q.sql, 'SELECT a, b\n  FROM t');
  assert.deepEqual(q.expected, ['1', 'x']);
  assert.deepEqual(q.conditions, [{ kind: 'skipif', engine: 'mysql' }, { kind: 'onlyif', engine: 'oxibase' }]);
  assert.ok(err?.kind === 'statement' && err.expectError);
});

test('parser: query without ---- expects no values; unknown commands are kept', () => {
  const recs = parseRecords('query I nosort\nSELECT 1 WHERE false\n\nloop i 0 10\n');
  assert.ok(recs[0]?.kind === 'query');
  assert.deepEqual(recs[0].expected, []);
  assert.equal(recs[1]?.kind, 'unknown');
});

test('guards: skipif and onlyif under the engine name oxibase', () => {
  assert.equal(conditionsAllow([], 'oxibase'), true);
  assert.equal(conditionsAllow([{ kind: 'skipif', engine: 'mysql' }], 'oxibase'), true);
  assert.equal(conditionsAllow([{ kind: 'skipif', engine: 'oxibase' }], 'oxibase'), false);
  assert.equal(conditionsAllow([{ kind: 'onlyif', engine: 'sqlite' }], 'oxibase'), false);
  assert.equal(conditionsAllow([{ kind: 'onlyif', engine: 'oxibase' }], 'oxibase'), true);
});

test('value rendering: NULL, integers truncate, reals three decimals, text escapes', () => {
  assert.equal(renderValue(null, 'I'), 'NULL');
  assert.equal(renderValue(null, 'T'), 'NULL');
  assert.equal(renderValue(7, 'I'), '7');
  assert.equal(renderValue(-7.9, 'I'), '-7');
  assert.equal(renderValue(-0.5, 'I'), '0');
  assert.equal(renderValue('12.75', 'I'), '12');
  assert.equal(renderValue(9007199254740993n, 'I'), '9007199254740993');
  assert.equal(renderValue('9007199254740993', 'I'), '9007199254740993');
  assert.equal(renderValue(true, 'I'), '1');
  assert.equal(renderValue(2, 'R'), '2.000');
  assert.equal(renderValue(-1.23456, 'R'), '-1.235');
  assert.equal(renderValue('3.5', 'R'), '3.500');
  assert.equal(renderValue(-0.0001, 'R'), '0.000');
  assert.equal(renderValue('', 'T'), '(empty)');
  assert.equal(renderValue('a\tb\u00e9', 'T'), 'a@b@');
  assert.equal(renderValue(42, 'T'), '42');
});

test('sorting: rowsort compares rendered rows column by column, valuesort each value', () => {
  const rows = [['10', 'b'], ['1', 'z'], ['1', 'a'], ['NULL', 'c']];
  // strcmp order: '1' < '10' < 'NULL'
  assert.deepEqual(sortedValues(rows, 'rowsort'), ['1', 'a', '1', 'z', '10', 'b', 'NULL', 'c']);
  assert.deepEqual(sortedValues(rows, 'valuesort'), ['1', '1', '10', 'NULL', 'a', 'b', 'c', 'z']);
  assert.deepEqual(sortedValues(rows, 'nosort'), ['10', 'b', '1', 'z', '1', 'a', 'NULL', 'c']);
  // A shorter value sorts before its extensions, as strcmp has it ('a' < 'a b').
  assert.deepEqual(sortedValues([['a b', '1'], ['a', '2']], 'rowsort'), ['a', '2', 'a b', '1']);
});

test('hashing: MD5 over each value followed by a newline', () => {
  // printf '1\n2\n3\n' | md5sum
  assert.equal(hashValues(['1', '2', '3']), 'c0710d6b4f15dfa88f600b0e6b624077');
  // md5 of the empty string
  assert.equal(hashValues([]), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.deepEqual(parseHashLine(['30 values hashing to 3c13dee48d9356ae19af2515e05e6b54']),
    { count: 30, hash: '3c13dee48d9356ae19af2515e05e6b54' });
  assert.equal(parseHashLine(['1', '2']), null);
  assert.equal(parseHashLine(['30 values hashing to xyz']), null);
});

const FILE = `
statement ok
CREATE TABLE t1(a INTEGER, b INTEGER)

statement ok
INSERT INTO t1 VALUES(1,2),(3,4),(5,NULL)

query II rowsort
SELECT a, b FROM t1
----
1
2
3
4
5
NULL

query I nosort
SELECT 7 / 2
----
99

statement error
SELECT nope FROM t1

statement error
SELECT 1

onlyif sqlite
query I nosort
SELECT 1
----
2

skipif oxibase
statement ok
NOT EVEN SQL

query I valuesort same
SELECT a FROM t1
----
3 values hashing to ${hashValues(['1', '3', '5'])}

query I valuesort same
SELECT a + 0 FROM t1
----
3 values hashing to ${hashValues(['1', '3', '5'])}

query I valuesort same
SELECT a + 1 FROM t1
----
2
4
6

halt

statement ok
NOT EVEN SQL
`;

test('driver: counts passes, failures and skips; halt stops the file', async () => {
  const r = await runFileText(FILE);
  assert.equal(r.passed, 6);
  // 7/2 is 3, not 99; "SELECT 1" succeeds; the last labelled query differs from its label's hash.
  assert.equal(r.failed, 3);
  assert.equal(r.skipped, 2);
  assert.deepEqual(r.failures.map((f) => f.actual.split('\n')[0]), [
    '3', 'statement succeeded', `hash ${hashValues(['2', '4', '6'])}`,
  ]);
});

test('driver: hash-threshold decides nothing about comparison, only the expected form', async () => {
  const r = await runFileText('hash-threshold 1\n\nquery I nosort\nSELECT 1 UNION ALL SELECT 2\n----\n1\n2\n');
  assert.equal(r.passed, 1);
  assert.equal(r.failed, 0);
});

test('driver: a column-count mismatch fails the record', async () => {
  const r = await runFileText('query I nosort\nSELECT 1, 2\n----\n1\n2\n');
  assert.equal(r.failed, 1);
  assert.match(r.failures[0]?.actual ?? '', /2 columns/);
});

test('driver: an exception inside one record does not stop the file', async () => {
  let calls = 0;
  const db: SltDatabase = {
    queryArrays: async () => {
      calls++;
      if (calls === 1) return { rows: [[{ big: 1n }]] };
      return { rows: [[1]] };
    },
    close: async () => {},
  };
  // JSON.stringify throws on the bigint inside: rendering fails outside the engine call.
  const recs = parseRecords('query T nosort\nSELECT x\n----\nx\n\nquery I nosort\nSELECT 1\n----\n1\n');
  const r = await runRecords(recs, db);
  assert.equal(r.passed, 1);
  assert.equal(r.failed, 1);
  assert.match(r.failures[0]?.actual ?? '', /^runner exception: TypeError/);
});

test('exclusions: listed record lines are skipped, an empty list skips the file', async () => {
  const index = exclusionIndex([
    { file: 'a.test', lines: [1], reason: 'x' },
    { file: 'b.test', lines: [], reason: 'y' },
  ]);
  assert.deepEqual([...(index.get('a.test') ?? [])], [1]);
  assert.equal(index.get('b.test'), null);
  const text = 'statement ok\nNOT SQL\n\nquery I nosort\nSELECT 1\n----\n1\n';
  const one = await runFileText(text, { excludedLines: index.get('a.test') ?? new Set() });
  assert.deepEqual([one.passed, one.failed, one.skipped], [1, 0, 1]);
  const all = await runFileText(text, { excludedLines: null });
  assert.deepEqual([all.passed, all.failed, all.skipped], [0, 0, 2]);
});
