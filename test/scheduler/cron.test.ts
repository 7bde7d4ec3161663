import test from 'node:test';
import assert from 'node:assert/strict';
import { nextFiring, parseCron } from '../../src/scheduler/cron.ts';
import { zoneOrThrow } from '../../src/types/timezone.ts';
import { DbError } from '../../src/errors/index.ts';

const UTC = zoneOrThrow('UTC');
const us = (iso: string): number => Date.parse(iso) * 1000;
const iso = (micros: number | null): string | null => (micros === null ? null : new Date(micros / 1000).toISOString());

function next(expr: string, after: string, zone = UTC): string | null {
  return iso(nextFiring(parseCron(expr), us(after), zone));
}

test('five fields: every minute, steps, lists and ranges', () => {
  assert.equal(next('* * * * *', '2026-03-01T10:00:00Z'), '2026-03-01T10:01:00.000Z');
  assert.equal(next('* * * * *', '2026-03-01T10:00:30Z'), '2026-03-01T10:01:00.000Z');
  assert.equal(next('*/15 * * * *', '2026-03-01T10:16:00Z'), '2026-03-01T10:30:00.000Z');
  assert.equal(next('5,35 9-10 * * *', '2026-03-01T10:36:00Z'), '2026-03-02T09:05:00.000Z');
  assert.equal(next('0 0 1 * *', '2026-12-15T00:00:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('10-30/10 * * * *', '2026-03-01T10:20:00Z'), '2026-03-01T10:30:00.000Z');
});

test('firing is strictly after the given instant', () => {
  assert.equal(next('0 12 * * *', '2026-03-01T12:00:00Z'), '2026-03-02T12:00:00.000Z');
});

test('names, 7 as Sunday, and day-of-month OR day-of-week when both are restricted', () => {
  // 2026-03-01 is a Sunday.
  assert.equal(next('0 9 * * mon', '2026-03-01T00:00:00Z'), '2026-03-02T09:00:00.000Z');
  assert.equal(next('0 9 * * 7', '2026-03-02T00:00:00Z'), '2026-03-08T09:00:00.000Z');
  assert.equal(next('0 9 * * 0', '2026-03-02T00:00:00Z'), '2026-03-08T09:00:00.000Z');
  assert.equal(next('0 0 * feb *', '2026-03-01T00:00:00Z'), '2027-02-01T00:00:00.000Z');
  // The 13th or any Friday: Friday 2026-03-06 comes first.
  assert.equal(next('0 0 13 * fri', '2026-03-01T00:00:00Z'), '2026-03-06T00:00:00.000Z');
  // Only the day of month restricted: Fridays do not matter.
  assert.equal(next('0 0 13 * *', '2026-03-01T00:00:00Z'), '2026-03-13T00:00:00.000Z');
});

test('macros and an optional seconds field', () => {
  assert.equal(next('@hourly', '2026-03-01T10:20:00Z'), '2026-03-01T11:00:00.000Z');
  assert.equal(next('@daily', '2026-03-01T10:20:00Z'), '2026-03-02T00:00:00.000Z');
  assert.equal(next('@weekly', '2026-03-02T10:20:00Z'), '2026-03-08T00:00:00.000Z');
  assert.equal(next('@yearly', '2026-03-02T10:20:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('*/10 * * * * *', '2026-03-01T10:00:05Z'), '2026-03-01T10:00:10.000Z');
});

test('leap days and impossible dates', () => {
  assert.equal(next('0 0 29 2 *', '2026-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
  assert.equal(next('0 0 30 2 *', '2026-03-01T00:00:00Z'), null);
  assert.equal(next('0 0 31 * *', '2026-04-01T00:00:00Z'), '2026-05-31T00:00:00.000Z');
});

test('wall-clock times in a zone follow daylight saving time', () => {
  const paris = zoneOrThrow('Europe/Paris');
  // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer (DST began 2026-03-29).
  assert.equal(next('0 9 * * *', '2026-03-27T12:00:00Z', paris), '2026-03-28T08:00:00.000Z');
  assert.equal(next('0 9 * * *', '2026-03-28T12:00:00Z', paris), '2026-03-29T07:00:00.000Z');
  // 02:30 does not exist on the spring-forward day; it still fires once that day.
  const fired = next('30 2 * * *', '2026-03-28T12:00:00Z', paris);
  assert.ok(fired !== null && fired.startsWith('2026-03-29T'), String(fired));
});

test('bad expressions are 22023 errors naming the problem', () => {
  const bad: [string, RegExp][] = [
    ['* * * *', /expected 5 or 6 fields, found 4/],
    ['61 * * * *', /minute 61 is out of range 0-59/],
    ['* 24 * * *', /hour 24 is out of range/],
    ['* * 0 * *', /day of month 0 is out of range/],
    ['* * * 13 *', /month 13 is out of range/],
    ['* * * * 8', /day of week 8 is out of range/],
    ['*/0 * * * *', /"0" is not a valid step/],
    ['5-1 * * * *', /runs backwards/],
    ['x * * * *', /"x" is not a valid minute/],
    ['@sometimes', /unknown macro/],
    ['1,,2 * * * *', /empty list item/],
  ];
  for (const [expr, re] of bad) {
    assert.throws(() => parseCron(expr), (e: unknown) => e instanceof DbError && e.code === '22023' && re.test(e.message), expr);
  }
});
