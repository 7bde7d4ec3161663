import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Interval, parseInterval, formatInterval, compareInterval, intervalHashKey,
} from '../../src/types/interval.ts';
import * as A from '../../src/types/interval-arith.ts';
import { defaultTypeContext } from '../../src/types/context.ts';
import { SeededRandom } from '../../src/env/seeded-random.ts';

const ctx = defaultTypeContext;
const fmt = (s: string): string => formatInterval(parseInterval(s), ctx);
const ivText = (v: Interval): string => formatInterval(v, ctx);

function throwsCode(f: () => unknown, code: string, message?: string): void {
  assert.throws(f, (e: unknown) => {
    const err = e as { code: string; message: string };
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

test('postgres-style input and output', () => {
  const cases: [string, string][] = [
    ['1 year 2 mons 3 days 04:05:06.789', '1 year 2 mons 3 days 04:05:06.789'],
    ['1 day', '1 day'], ['2 days', '2 days'], ['-1 day +02:00', '-1 days +02:00:00'],
    ['2 hours 30 minutes', '02:30:00'], ['1.5 days', '1 day 12:00:00'], ['@ 1 day ago', '-1 days'],
    ['10:00', '10:00:00'], ['1-2', '1 year 2 mons'], ['0', '00:00:00'], ['-1 sec', '-00:00:01'],
    ['1.5 months', '1 mon 15 days'], ['1.5 years', '1 year 6 mons'], ['1 week', '7 days'],
    ['1.5 weeks', '10 days 12:00:00'], ['1 decade', '10 years'], ['1 century', '100 years'],
    ['1 millennium', '1000 years'], ['3 4:05:06', '3 days 04:05:06'], ['100 hours', '100:00:00'],
    ['1y 2mon 3d 4h 5m 6s', '1 year 2 mons 3 days 04:05:06'], ['1 yr 2 mons', '1 year 2 mons'],
    ['5 ms', '00:00:00.005'], ['7 microseconds', '00:00:00.000007'], ['1:30.5', '00:01:30.5'],
    ['1 day -1 hour', '1 day -01:00:00'], ['-1 year -2 mons', '-1 years -2 mons'],
    ['1 mon -1 day', '1 mon -1 days'], ['  1 DAY  ', '1 day'], ['1day', '1 day'],
    ['2 hours ago', '-02:00:00'], ['0.5', '00:00:00.5'],
  ];
  for (const [input, out] of cases) assert.equal(fmt(input), out, input);
});

test('ISO 8601 input', () => {
  assert.equal(fmt('P1Y2M3DT4H5M6S'), '1 year 2 mons 3 days 04:05:06');
  assert.equal(fmt('PT1H'), '01:00:00');
  assert.equal(fmt('P1W'), '7 days');
  assert.equal(fmt('PT1.5S'), '00:00:01.5');
  assert.equal(fmt('P0.5D'), '12:00:00');
});

test('other IntervalStyles', () => {
  const v = parseInterval('1 year 2 mons 3 days 04:05:06.789');
  assert.equal(formatInterval(v, { ...ctx, intervalStyle: 'iso_8601' }), 'P1Y2M3DT4H5M6.789S');
  assert.equal(formatInterval(parseInterval('0'), { ...ctx, intervalStyle: 'iso_8601' }), 'PT0S');
  assert.equal(formatInterval(parseInterval('-1 day +02:00'), { ...ctx, intervalStyle: 'iso_8601' }), 'P-1DT2H');
  assert.equal(formatInterval(v, { ...ctx, intervalStyle: 'postgres_verbose' }),
    '@ 1 year 2 mons 3 days 4 hours 5 mins 6.789 secs');
  assert.equal(formatInterval(parseInterval('-1 day'), { ...ctx, intervalStyle: 'postgres_verbose' }), '@ 1 day ago');
});

test('input errors', () => {
  throwsCode(() => parseInterval('junk'), '22007', 'invalid input syntax for type interval: "junk"');
  throwsCode(() => parseInterval(''), '22007');
  throwsCode(() => parseInterval('1 day 2 days'), '22007');
  throwsCode(() => parseInterval('1 fortnight'), '22007');
  throwsCode(() => parseInterval('P1X'), '22007');
  throwsCode(() => parseInterval('3000000000 days'), '22015');
});

test('comparison: 1 month = 30 days, 1 day = 24 hours', () => {
  const eq = (a: string, b: string): void => {
    assert.equal(compareInterval(parseInterval(a), parseInterval(b)), 0, `${a} = ${b}`);
    assert.equal(intervalHashKey(parseInterval(a)), intervalHashKey(parseInterval(b)), `${a} hash`);
  };
  eq('1 month', '30 days');
  eq('1 day', '24 hours');
  eq('1 year', '360 days');
  eq('1 mon -30 days', '0');
  assert.equal(compareInterval(parseInterval('1 mon'), parseInterval('31 days')), -1);
  assert.equal(compareInterval(parseInterval('25 hours'), parseInterval('1 day')), 1);
  // Spans beyond 2^53 µs still compare exactly.
  const big = new Interval(2_000_000_000, 0, 0);
  assert.equal(compareInterval(big, new Interval(2_000_000_000, 0, 1)), -1);
  assert.equal(compareInterval(big, new Interval(1_999_999_999, 30, 0)), 0);
  assert.equal(intervalHashKey(big), intervalHashKey(new Interval(1_999_999_999, 30, 0)));
});

test('arithmetic', () => {
  assert.equal(ivText(A.intervalAdd(parseInterval('1 day'), parseInterval('1 hour'))), '1 day 01:00:00');
  assert.equal(ivText(A.intervalSub(parseInterval('1 day'), parseInterval('1 hour'))), '1 day -01:00:00');
  assert.equal(ivText(A.intervalNegate(parseInterval('1 mon 2 days 03:00'))), '-1 mons -2 days -03:00:00');
  assert.equal(ivText(A.intervalMul(parseInterval('1 mon'), 1.5)), '1 mon 15 days');
  assert.equal(ivText(A.intervalMul(parseInterval('1 day'), 1.5)), '1 day 12:00:00');
  assert.equal(ivText(A.intervalMul(parseInterval('1 hour'), 3.5)), '03:30:00');
  assert.equal(ivText(A.intervalDiv(parseInterval('1 mon'), 2)), '15 days');
  assert.equal(ivText(A.intervalDiv(parseInterval('3 days'), 2)), '1 day 12:00:00');
  throwsCode(() => A.intervalDiv(parseInterval('1 day'), 0), '22012', 'division by zero');
  throwsCode(() => A.intervalMul(parseInterval('1000000000 days'), 10), '22008', 'interval out of range');
  assert.equal(ivText(A.justifyDays(parseInterval('35 days'))), '1 mon 5 days');
  assert.equal(ivText(A.justifyHours(parseInterval('27 hours'))), '1 day 03:00:00');
  assert.equal(ivText(A.justifyInterval(parseInterval('1 mon -1 hour'))), '29 days 23:00:00');
  assert.equal(ivText(A.makeInterval(1, 2, 1, 3, 4, 5, 6.5)), '1 year 2 mons 10 days 04:05:06.5');
  assert.equal(A.intervalToMicros(parseInterval('1 day 1 sec')), 86_401_000_000);
  assert.equal(A.intervalEpochSeconds(parseInterval('1 year 1 mon')), 31557600 + 2592000);
});

test('round trip format/parse of random intervals (seeded)', () => {
  const seed = 4242;
  const rnd = new SeededRandom(seed);
  for (let i = 0; i < 3000; i++) {
    const sign = (): number => (rnd.next() < 0.5 ? -1 : 1);
    const v = new Interval(sign() * rnd.nextInt(100000), sign() * rnd.nextInt(100000),
      sign() * rnd.nextInt(2 ** 52));
    const text = ivText(v);
    const back = parseInterval(text);
    assert.deepEqual([back.months, back.days, back.micros], [v.months + 0, v.days + 0, v.micros + 0],
      `seed ${seed} iteration ${i}: ${text}`);
    const iso = formatInterval(v, { ...ctx, intervalStyle: 'iso_8601' });
    const back2 = parseInterval(iso);
    assert.equal(compareInterval(back2, v), 0, `seed ${seed} iteration ${i}: ${iso}`);
  }
});
