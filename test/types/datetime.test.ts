import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as D from '../../src/types/datetime.ts';
import { parseInterval, formatInterval } from '../../src/types/interval.ts';
import { defaultTypeContext, type TypeContext } from '../../src/types/context.ts';
import { Oid } from '../../src/types/sql-type.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const utc: TypeContext = { ...defaultTypeContext, nowMicros: Date.UTC(2024, 0, 31, 13, 45) * 1000 };
const ny: TypeContext = { ...utc, timeZone: 'America/New_York' };
const paris: TypeContext = { ...utc, timeZone: 'Europe/Paris' };

function throwsCode(f: () => unknown, code: string, message?: string): void {
  assert.throws(f, (e: unknown) => {
    const err = e as { code: string; message: string };
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

test('date input formats', () => {
  const cases: [string, string][] = [
    ['2024-01-31', '2024-01-31'], ['0044-03-15 BC', '0044-03-15 BC'], ['Jan 5, 2024', '2024-01-05'],
    ['5 January 2024', '2024-01-05'], ['January 5 2024', '2024-01-05'], ['20240131', '2024-01-31'],
    ['01/31/2024', '2024-01-31'], ['05-jan-2024', '2024-01-05'], ['2024/01/31', '2024-01-31'],
    ['  2024-01-31  ', '2024-01-31'], ['2024-01-31 13:45:00', '2024-01-31'],
    ['epoch', '1970-01-01'], ['infinity', 'infinity'], ['-infinity', '-infinity'],
    ['today', '2024-01-31'], ['tomorrow', '2024-02-01'], ['yesterday', '2024-01-30'],
    ['4714-11-24 BC', '4714-11-24 BC'], ['5874897-12-31', '5874897-12-31'], ['08-Jan-99', '1999-01-08'], ['990108', '1999-01-08'],
  ];
  for (const [input, out] of cases) assert.equal(D.formatDate(D.parseDate(input, utc)), out, input);
});

test('today follows the session zone', () => {
  // 2024-01-31 13:45 UTC is already Feb 1 in Tokyo.
  assert.equal(D.formatDate(D.parseDate('today', { ...utc, timeZone: 'Asia/Tokyo' })), '2024-01-31');
  const late = { ...utc, nowMicros: Date.UTC(2024, 0, 31, 23, 0) * 1000, timeZone: 'Asia/Tokyo' };
  assert.equal(D.formatDate(D.parseDate('today', late)), '2024-02-01');
});

test('date errors', () => {
  throwsCode(() => D.parseDate('2020-13-01', utc), '22008',
    'date/time field value out of range: "2020-13-01"');
  throwsCode(() => D.parseDate('2021-02-29', utc), '22008');
  throwsCode(() => D.parseDate('2024-02-30', utc), '22008');
  throwsCode(() => D.parseDate('garbage', utc), '22007', 'invalid input syntax for type date: "garbage"');
  throwsCode(() => D.parseDate('', utc), '22007');
  throwsCode(() => D.parseDate('4714-11-23 BC', utc), '22008', 'date out of range: "4714-11-23 BC"');
  throwsCode(() => D.parseDate('0000-01-01', utc), '22008');
});

test('time input and output', () => {
  const cases: [string, string][] = [
    ['13:45:00', '13:45:00'], ['13:45', '13:45:00'], ['13:45:00.123', '13:45:00.123'],
    ['allballs', '00:00:00'], ['24:00:00', '24:00:00'], ['1:45 pm', '13:45:00'],
    ['12:00 am', '00:00:00'], ['13:45:00+05', '13:45:00'], ['2024-01-31 04:05:06.5', '04:05:06.5'],
    ['13:45:00.1234567', '13:45:00.123457'],
  ];
  for (const [input, out] of cases) assert.equal(D.formatTime(D.parseTime(input)), out, input);
  throwsCode(() => D.parseTime('25:00'), '22008', 'date/time field value out of range: "25:00"');
  throwsCode(() => D.parseTime('12:60'), '22008');
  throwsCode(() => D.parseTime('nope'), '22007', 'invalid input syntax for type time without time zone: "nope"');
});

test('timestamp input ignores zones, output trims fractions', () => {
  const cases: [string, string][] = [
    ['2024-01-31 13:45:00', '2024-01-31 13:45:00'],
    ['2024-01-31T13:45:00.123456', '2024-01-31 13:45:00.123456'],
    ['2024-01-31T13:45:00.120', '2024-01-31 13:45:00.12'],
    ['2024-01-31 13:45:00+05:30', '2024-01-31 13:45:00'],
    ['2024-01-31 13:45 America/New_York', '2024-01-31 13:45:00'],
    ['20240131T134500', '2024-01-31 13:45:00'], ['2024-01-31', '2024-01-31 00:00:00'],
    ['0044-03-15 12:00 BC', '0044-03-15 12:00:00 BC'], ['epoch', '1970-01-01 00:00:00'],
    ['infinity', 'infinity'], ['-infinity', '-infinity'], ['now', '2024-01-31 13:45:00'],
    ['today', '2024-01-31 00:00:00'], ['Jan 5, 2024 10:00 pm', '2024-01-05 22:00:00'],
  ];
  for (const [input, out] of cases) assert.equal(D.formatTimestamp(D.parseTimestamp(input, utc)), out, input);
  throwsCode(() => D.parseTimestamp('2024-01-31 13:45 +16', utc), '22009');
  throwsCode(() => D.parseTimestamp('x', utc), '22007', 'invalid input syntax for type timestamp: "x"');
});

test('timestamptz input with zones', () => {
  const cases: [string, string][] = [
    ['2024-01-31 13:45:00Z', '2024-01-31 13:45:00+00'],
    ['2024-01-31T13:45:00+02', '2024-01-31 11:45:00+00'],
    ['2024-01-31 13:45:00+05:30', '2024-01-31 08:15:00+00'],
    ['2024-01-31 13:45:00-0800', '2024-01-31 21:45:00+00'],
    ['2024-01-31 13:45:00 UTC', '2024-01-31 13:45:00+00'],
    ['2024-01-31 13:45:00 Europe/Paris', '2024-01-31 12:45:00+00'],
    ['2024-07-01 13:45:00 europe/paris', '2024-07-01 11:45:00+00'],
    ['2024-01-31 13:45:00 America/New_York', '2024-01-31 18:45:00+00'],
    ['2024-01-31 13:45:00 EST', '2024-01-31 18:45:00+00'],
    // POSIX zone names count hours WEST of Greenwich, as PostgreSQL does.
    ['2024-01-31 13:45:00 UTC+3', '2024-01-31 16:45:00+00'],
    ['now', '2024-01-31 13:45:00+00'], ['epoch', '1970-01-01 00:00:00+00'],
  ];
  for (const [input, out] of cases) {
    assert.equal(D.formatTimestamptz(D.parseTimestamptz(input, utc), utc), out, input);
  }
  throwsCode(() => D.parseTimestamptz('2024-01-31 13:45 Mars/Olympus', utc), '22023');
});

test('timestamptz output in the session zone', () => {
  const v = D.parseTimestamptz('2024-01-31 13:45:00Z', utc);
  assert.equal(D.formatTimestamptz(v, ny), '2024-01-31 08:45:00-05');
  assert.equal(D.formatTimestamptz(v, paris), '2024-01-31 14:45:00+01');
  assert.equal(D.formatTimestamptz(v, { ...utc, timeZone: 'Asia/Kolkata' }), '2024-01-31 19:15:00+05:30');
  assert.equal(D.formatTimestamptz(v, { ...utc, timeZone: '3' }), '2024-01-31 16:45:00+03');
  assert.equal(D.formatTimestamptz(v, { ...utc, timeZone: 'UTC+3' }), '2024-01-31 10:45:00-03');
  // Local mean time before standard time: seconds in the offset.
  const lmt = D.parseTimestamptz('1850-01-01 12:00:00Z', utc);
  assert.equal(D.formatTimestamptz(lmt, ny), '1850-01-01 07:03:58-04:56:02');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('0044-03-15 00:00Z BC', utc), utc),
    '0044-03-15 00:00:00+00 BC');
});

test('DST edges: America/New_York', () => {
  // Spring forward: 02:30 does not exist and is read with the pre-transition offset.
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-03-10 02:30', ny), ny), '2024-03-10 03:30:00-04');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-03-10 01:59:59', ny), ny), '2024-03-10 01:59:59-05');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-03-10 03:00', ny), ny), '2024-03-10 03:00:00-04');
  // Fall back: 01:30 is ambiguous and PostgreSQL picks standard time (the later instant).
  const amb = D.parseTimestamptz('2024-11-03 01:30', ny);
  assert.equal(D.formatTimestamptz(amb, ny), '2024-11-03 01:30:00-05');
  assert.equal(D.formatTimestamptz(amb, utc), '2024-11-03 06:30:00+00');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-11-03 05:30Z', utc), ny), '2024-11-03 01:30:00-04');
  // Adding a day across the transition keeps the wall clock; 24 hours does not.
  const before = D.parseTimestamptz('2024-03-09 12:00', ny);
  assert.equal(D.formatTimestamptz(D.addIntervalToTimestamp(before, parseInterval('1 day'), ny), ny),
    '2024-03-10 12:00:00-04');
  assert.equal(D.formatTimestamptz(D.addIntervalToTimestamp(before, parseInterval('24 hours'), ny), ny),
    '2024-03-10 13:00:00-04');
  assert.equal(formatInterval(D.subtractTimestamps(D.parseTimestamptz('2024-03-10 12:00', ny), before), ny),
    '23:00:00');
});

test('DST edges: Europe/Paris', () => {
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-03-31 02:30', paris), paris), '2024-03-31 03:30:00+02');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-10-27 02:30', paris), paris), '2024-10-27 02:30:00+01');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-10-27 00:30Z', utc), paris), '2024-10-27 02:30:00+02');
  assert.equal(D.formatTimestamptz(D.parseTimestamptz('2024-07-14 12:00', paris), utc), '2024-07-14 10:00:00+00');
  const ts = D.parseTimestamp('2024-03-31 02:30', paris);
  assert.equal(D.formatTimestamptz(D.timestampToTimestamptz(ts, paris), paris), '2024-03-31 03:30:00+02');
});

test('conversions between types', () => {
  const tz = D.parseTimestamptz('2024-01-31 23:30:00Z', utc);
  assert.equal(D.formatTimestamp(D.timestamptzToTimestamp(tz, paris)), '2024-02-01 00:30:00');
  assert.equal(D.formatDate(D.timestampToDate(D.parseTimestamp('2024-01-31 23:59', utc))), '2024-01-31');
  assert.equal(D.formatDate(D.timestampToDate(D.parseTimestamp('1969-12-31 23:59', utc))), '1969-12-31');
  assert.equal(D.formatTimestamp(D.dateToTimestamp(D.parseDate('2024-01-31', utc))), '2024-01-31 00:00:00');
  assert.equal(D.formatTime(D.timestampToTime(D.parseTimestamp('1969-12-31 23:59:01.5', utc))), '23:59:01.5');
  assert.equal(D.timestampToDate(Infinity), Infinity);
  assert.equal(D.formatTimestamp(D.roundTimestamp(D.parseTimestamp('2024-01-31 13:45:00.125', utc), 2)),
    '2024-01-31 13:45:00.13');
  assert.equal(D.formatTimestamp(D.roundTimestamp(D.parseTimestamp('1969-12-31 23:59:59.5', utc), 0)),
    '1969-12-31 23:59:59');
  assert.equal(D.formatTime(D.roundTime(D.parseTime('23:59:59.9'), 0)), '24:00:00');
});

test('timestamp + interval: months clamp to month end, then days, then time', () => {
  const add = (ts: string, iv: string): string =>
    D.formatTimestamp(D.addIntervalToTimestamp(D.parseTimestamp(ts, utc), parseInterval(iv)));
  assert.equal(add('2024-01-31', '1 month'), '2024-02-29 00:00:00');
  assert.equal(add('2023-01-31', '1 month'), '2023-02-28 00:00:00');
  assert.equal(add('2024-03-31', '-1 month'), '2024-02-29 00:00:00');
  assert.equal(add('2024-01-31', '1 month 1 day'), '2024-03-01 00:00:00');
  assert.equal(add('2024-12-15 10:00', '1 year 1 mon 02:30'), '2026-01-15 12:30:00');
  assert.equal(D.formatTimestamp(D.subtractIntervalFromTimestamp(D.parseTimestamp('2024-03-01', utc),
    parseInterval('1 day'))), '2024-02-29 00:00:00');
  assert.equal(D.addIntervalToTimestamp(Infinity, parseInterval('1 day')), Infinity);
  throwsCode(() => D.addIntervalToTimestamp(D.parseTimestamp('294276-12-31', utc), parseInterval('1 year')),
    '22008', 'timestamp out of range');
});

test('date arithmetic', () => {
  const d = D.parseDate('2024-02-28', utc);
  assert.equal(D.formatDate(D.datePlusDays(d, 1)), '2024-02-29');
  assert.equal(D.formatDate(D.dateMinusDays(d, 28)), '2024-01-31');
  assert.equal(D.dateMinusDate(D.parseDate('2024-03-01', utc), d), 2);
  assert.equal(D.formatTimestamp(D.datePlusInterval(d, parseInterval('1 hour'))), '2024-02-28 01:00:00');
  assert.equal(D.formatTimestamp(D.dateMinusInterval(d, parseInterval('1 mon'))), '2024-01-28 00:00:00');
  throwsCode(() => D.dateMinusDate(Infinity, d), '22008');
});

test('timestamp difference, age, time arithmetic', () => {
  const ts = (s: string): number => D.parseTimestamp(s, utc);
  assert.equal(formatInterval(D.subtractTimestamps(ts('2024-01-03 02:00'), ts('2024-01-01')), utc), '2 days 02:00:00');
  assert.equal(formatInterval(D.subtractTimestamps(ts('2024-01-01'), ts('2024-01-03 02:00')), utc), '-2 days -02:00:00');
  assert.equal(formatInterval(D.age(ts('2001-04-10'), ts('1957-06-13')), utc), '43 years 9 mons 27 days');
  assert.equal(formatInterval(D.age(ts('1957-06-13'), ts('2001-04-10')), utc), '-43 years -9 mons -27 days');
  assert.equal(D.formatTime(D.timePlusInterval(D.parseTime('23:00'), parseInterval('2 hours'))), '01:00:00');
  assert.equal(D.formatTime(D.timeMinusInterval(D.parseTime('01:00'), parseInterval('2 hours'))), '23:00:00');
  assert.equal(formatInterval(D.timeMinusTime(D.parseTime('01:00'), D.parseTime('02:30')), utc), '-01:30:00');
});

test('make_date / make_time / make_timestamp', () => {
  assert.equal(D.formatDate(D.makeDate(2013, 7, 15)), '2013-07-15');
  assert.equal(D.formatDate(D.makeDate(-44, 3, 15)), '0044-03-15 BC');
  throwsCode(() => D.makeDate(2013, 2, 30), '22008', 'date field value out of range: 2013-02-30');
  assert.equal(D.formatTime(D.makeTime(8, 15, 23.5)), '08:15:23.5');
  assert.equal(D.formatTimestamp(D.makeTimestamp(2013, 7, 15, 8, 15, 23.5)), '2013-07-15 08:15:23.5');
  assert.equal(D.formatTimestamptz(D.makeTimestamptz(2013, 7, 15, 8, 15, 23.5, utc, 'America/New_York'), utc),
    '2013-07-15 12:15:23.5+00');
  throwsCode(() => D.makeTime(25, 0, 0), '22008', 'time field value out of range: 25:00:00');
});

test('extract', () => {
  const ts = D.parseTimestamp('2001-02-16 20:38:40.12', utc);
  const expect: [string, number][] = [
    ['year', 2001], ['month', 2], ['day', 16], ['hour', 20], ['minute', 38], ['second', 40.12],
    ['milliseconds', 40120], ['microseconds', 40120000], ['dow', 5], ['isodow', 5], ['doy', 47],
    ['week', 7], ['quarter', 1], ['decade', 200], ['century', 21], ['millennium', 3],
    ['isoyear', 2001], ['epoch', 982355920.12], ['years', 2001], ['MIN', 38],
  ];
  for (const [f, v] of expect) assert.equal(D.extractField(f, ts, Oid.timestamp, utc), v, f);
  const tz = D.parseTimestamptz('2001-02-16 20:38:40.12-08', utc);
  assert.equal(D.extractField('epoch', tz, Oid.timestamptz, utc), 982384720.12);
  assert.equal(D.extractField('hour', tz, Oid.timestamptz, ny), 23);
  assert.equal(D.extractField('timezone', tz, Oid.timestamptz, ny), -18000);
  assert.equal(D.extractField('julian', D.parseDate('2006-01-01', utc), Oid.date, utc), 2453737);
  assert.equal(D.extractField('julian', D.parseTimestamp('2006-01-01 12:00', utc), Oid.timestamp, utc), 2453737.5);
  assert.equal(D.extractField('week', D.parseDate('2005-01-01', utc), Oid.date, utc), 53);
  assert.equal(D.extractField('isoyear', D.parseDate('2005-01-01', utc), Oid.date, utc), 2004);
  assert.equal(D.extractField('century', D.parseDate('2000-12-16', utc), Oid.date, utc), 20);
  assert.equal(D.extractField('century', D.parseDate('0001-01-01 BC', utc), Oid.date, utc), -1);
  assert.equal(D.extractField('year', D.parseDate('0001-01-01 BC', utc), Oid.date, utc), -1);
  assert.equal(D.extractField('epoch', parseInterval('5 days 3 hours'), Oid.interval, utc), 442800);
  assert.equal(D.extractField('epoch', parseInterval('1 year'), Oid.interval, utc), 31557600);
  assert.equal(D.extractField('month', parseInterval('2 years 3 months'), Oid.interval, utc), 3);
  assert.equal(D.extractField('year', Infinity, Oid.timestamp, utc), Infinity);
  assert.equal(D.extractField('month', Infinity, Oid.timestamp, utc), null);
  assert.equal(D.extractField('hour', D.parseTime('13:45'), Oid.time, utc), 13);
  throwsCode(() => D.extractField('hour', 0, Oid.date, utc), '0A000', 'unit "hour" not supported for type date');
  throwsCode(() => D.extractField('timezone', 0, Oid.timestamp, utc), '0A000');
  throwsCode(() => D.extractField('fortnight', 0, Oid.timestamp, utc), '22023');
});

test('date_trunc', () => {
  const ts = D.parseTimestamp('2001-02-16 20:38:40.123456', utc);
  const expect: [string, string][] = [
    ['microseconds', '2001-02-16 20:38:40.123456'], ['milliseconds', '2001-02-16 20:38:40.123'],
    ['second', '2001-02-16 20:38:40'], ['minute', '2001-02-16 20:38:00'], ['hour', '2001-02-16 20:00:00'],
    ['day', '2001-02-16 00:00:00'], ['week', '2001-02-12 00:00:00'], ['month', '2001-02-01 00:00:00'],
    ['quarter', '2001-01-01 00:00:00'], ['year', '2001-01-01 00:00:00'], ['decade', '2000-01-01 00:00:00'],
    ['century', '2001-01-01 00:00:00'], ['millennium', '2001-01-01 00:00:00'],
  ];
  for (const [f, out] of expect) assert.equal(D.formatTimestamp(D.dateTrunc(f, ts)), out, f);
  const tz = D.parseTimestamptz('2001-02-16 20:38:40+00', utc);
  assert.equal(D.formatTimestamptz(D.dateTrunc('day', tz, ny), ny), '2001-02-16 00:00:00-05');
  assert.equal(D.formatTimestamptz(D.dateTrunc('day', D.parseTimestamptz('2024-03-10 12:00', ny), ny), ny),
    '2024-03-10 00:00:00-05');
  throwsCode(() => D.dateTrunc('fortnight', ts), '22023',
    'unit "fortnight" not recognized for type timestamp without time zone');
});

test('round trips of random timestamps, dates and times (seeded)', () => {
  const seed = 20240131;
  const rnd = new SeededRandom(seed);
  for (let i = 0; i < 2000; i++) {
    // Within ±2^53 µs every microsecond is exact.
    const us = Math.floor((rnd.next() * 2 - 1) * 2 ** 53);
    const msg = `seed ${seed} iteration ${i} value ${us}`;
    assert.equal(D.parseTimestamp(D.formatTimestamp(us), utc), us, msg);
    const ctx = [utc, ny, paris][i % 3] as TypeContext;
    assert.equal(D.parseTimestamptz(D.formatTimestamptz(us, ctx), ctx), us, msg);
    const days = Math.floor((rnd.next() * 2 - 1) * 4_000_000);
    if (D.isValidDate(days)) assert.equal(D.parseDate(D.formatDate(days), utc), days, `seed ${seed} day ${days}`);
    const t = Math.floor(rnd.next() * 86_400_000_000);
    assert.equal(D.parseTime(D.formatTime(t)), t, `seed ${seed} time ${t}`);
  }
});
