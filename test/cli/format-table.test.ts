import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatAligned, formatExpanded, formatResultTable, type ResultSet,
} from '../../src/cli/format-table.ts';
import { displayWidth } from '../../src/cli/text-width.ts';

const int = { typeOid: 23, type: 'integer' };
const text = { typeOid: 25, type: 'text' };
const numeric = { typeOid: 1700, type: 'numeric' };

function set(fields: ResultSet['fields'], cells: unknown[][]): ResultSet {
  return { fields, cells };
}

test('psql aligned layout: centered headers, right-aligned numbers, footer, blank line', () => {
  const out = formatResultTable(set(
    [{ name: 'id', ...int }, { name: 'name', ...text }, { name: 'price', ...numeric }],
    [[1, 'apple', '1.50'], [10, 'kiwi', null]],
  ));
  assert.equal(out, [
    ' id | name  | price ',
    '----+-------+-------',
    '  1 | apple |  1.50',
    ' 10 | kiwi  |      ',
    '(2 rows)',
    '',
    '',
  ].join('\n'));
});

test('one row says (1 row); no rows still prints the header', () => {
  assert.equal(formatResultTable(set([{ name: 'a', ...int }], [[1]])), ' a \n---\n 1\n(1 row)\n\n');
  assert.equal(formatResultTable(set([{ name: 'name', ...text }], [])), ' name \n------\n(0 rows)\n\n');
});

test('the last left-aligned column has no trailing padding; headers keep theirs', () => {
  const out = formatResultTable(set([{ name: 'a', ...text }, { name: 'bb', ...text }], [['x', 'y']]));
  assert.equal(out, ' a | bb \n---+----\n x | y\n(1 row)\n\n');
});

test('NULL prints empty by default, or as the \\pset null text', () => {
  const rs = set([{ name: 'v', ...text }], [[null], ['']]);
  assert.equal(formatResultTable(rs), ' v \n---\n \n \n(2 rows)\n\n');
  assert.equal(formatResultTable(rs, { nullDisplay: '(null)' }),
    '   v    \n--------\n (null)\n \n(2 rows)\n\n');
});

test('values with line breaks continue with + in the divider', () => {
  const out = formatResultTable(set([{ name: 'x', ...text }, { name: 'y', ...int }], [['ab\nc', 1]]));
  assert.equal(out, ' x  | y \n----+---\n ab+| 1\n c  | \n(1 row)\n\n');
});

test('wide characters count two columns', () => {
  assert.equal(displayWidth('日本'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  const out = formatResultTable(set([{ name: 'w', ...text }, { name: 'n', ...int }], [['日本', 1], ['abc', 22]]));
  assert.equal(out, '  w   | n  \n------+----\n 日本 |  1\n abc  | 22\n(2 rows)\n\n');
});

test('values print as PostgreSQL text: booleans, floats, bigint, bytea, arrays, jsonb', () => {
  const out = formatResultTable(set([
    { name: 'b', typeOid: 16, type: 'boolean' },
    { name: 'f', typeOid: 701, type: 'double precision' },
    { name: 'r', typeOid: 700, type: 'real' },
    { name: 'big', typeOid: 20, type: 'bigint' },
    { name: 'bytes', typeOid: 17, type: 'bytea' },
    { name: 'arr', typeOid: 1009, type: 'text[]' },
    { name: 'j', typeOid: 3802, type: 'jsonb' },
  ], [[true, 1e20, Math.fround(0.1), 9007199254740993n, new Uint8Array([0xde, 0xad]), ['a', 'b c', null, ''], { a: 1, b: [1, 2] }]]));
  const line = out.split('\n')[2];
  assert.equal(line, ' t | 1e+20 | 0.1 | 9007199254740993 | \\xdead | {a,"b c",NULL,""} | {"a": 1, "b": [1, 2]}');
});

test('a table with a title centers it (\\d listings)', () => {
  const out = formatAligned({
    title: 'List of relations', headers: ['Schema', 'Name', 'Type', 'Owner'], rightAlign: [false, false, false, false],
    rows: [['public', 'users', 'table', 'oxibase']], footers: ['(1 row)'],
  });
  assert.equal(out, [
    '        List of relations',
    ' Schema | Name  | Type  |  Owner  ',
    '--------+-------+-------+---------',
    ' public | users | table | oxibase',
    '(1 row)',
    '',
    '',
  ].join('\n'));
});

test('expanded display (\\x) matches psql', () => {
  const rs = set([{ name: 'id', ...int }, { name: 'description', ...text }], [[1, 'short'], [2, 'a longer value']]);
  assert.equal(formatResultTable(rs, { expanded: true }), [
    '-[ RECORD 1 ]---------------',
    'id          | 1',
    'description | short',
    '-[ RECORD 2 ]---------------',
    'id          | 2',
    'description | a longer value',
    '',
    '',
  ].join('\n'));
  // A header shorter than the record label: no divider mark.
  assert.equal(formatExpanded({ headers: ['a', 'bb'], rightAlign: [false, false], rows: [['1', 'xx']], footers: [] }),
    '-[ RECORD 1 ]\na  | 1\nbb | xx\n\n');
  // Long names put the + under the divider.
  assert.equal(formatExpanded({ headers: ['a_long_column_name'], rightAlign: [false], rows: [['v']], footers: [] }),
    '-[ RECORD 1 ]------+--\na_long_column_name | v\n\n');
  assert.equal(formatResultTable(set([{ name: 'a', ...int }], []), { expanded: true }), '(0 rows)\n\n');
});
