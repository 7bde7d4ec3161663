import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, formatResultCsv } from '../../src/cli/format-csv.ts';
import { formatResultJson, jsonValue } from '../../src/cli/format-json.ts';

test('CSV quotes only what RFC 4180 needs and keeps NULL distinct from empty', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvField(''), '""');
  assert.equal(csvField(null), '');
});

test('CSV result: header then CRLF-terminated records, values as PostgreSQL text', () => {
  const out = formatResultCsv({
    fields: [{ name: 'id', typeOid: 23, type: 'integer' }, { name: 'ok', typeOid: 16, type: 'boolean' },
      { name: 'note', typeOid: 25, type: 'text' }],
    cells: [[1, true, 'a,b'], [2, false, null]],
  });
  assert.equal(out, 'id,ok,note\r\n1,t,"a,b"\r\n2,f,\r\n');
});

test('JSON: one array of row objects, one row per line, valid JSON', () => {
  const out = formatResultJson({
    fields: [{ name: 'id', typeOid: 23, type: 'integer' }, { name: 'name', typeOid: 25, type: 'text' }],
    cells: [[1, 'a "q"'], [2, null]],
  });
  assert.equal(out, '[\n{"id":1,"name":"a \\"q\\""},\n{"id":2,"name":null}\n]\n');
  assert.deepEqual(JSON.parse(out), [{ id: 1, name: 'a "q"' }, { id: 2, name: null }]);
  assert.equal(formatResultJson({ fields: [{ name: 'x', typeOid: 23, type: 'integer' }], cells: [] }), '[]\n');
});

test('JSON numbers are exact: bigint and numeric keep all digits; NaN/Infinity become strings', () => {
  assert.equal(jsonValue(9007199254740993n, 20), '9007199254740993');
  assert.equal(jsonValue('12345678901234567890.123456789', 1700), '12345678901234567890.123456789');
  assert.equal(jsonValue('NaN', 1700), '"NaN"');
  assert.equal(jsonValue(Infinity, 701), '"Infinity"');
  assert.equal(jsonValue(1e20, 701), '1e+20');
  assert.equal(jsonValue(Math.fround(0.1), 700), '0.1');
  assert.equal(jsonValue(true, 16), 'true');
});

test('JSON embeds json/jsonb values and arrays, bytea as hex text', () => {
  assert.equal(jsonValue({ a: [1, { b: null }] }, 3802), '{"a":[1,{"b":null}]}');
  assert.equal(jsonValue([1, null, 3], 1007), '[1,null,3]');
  assert.equal(jsonValue([[1, 2], [3, 4]], 1007), '[[1,2],[3,4]]');
  assert.equal(jsonValue(new Uint8Array([1, 255]), 17), '"\\\\x01ff"');
  assert.equal(jsonValue('2024-01-02', 1082), '"2024-01-02"');
});
