/**
 * Date/time functions and operators through the FunctionRegistry, checked against PostgreSQL 15
 * (values compared in PostgreSQL's text output; many cases are the examples of the PostgreSQL
 * documentation).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FunctionRegistry, type ArgType, type EvalContext, type ScalarFunctionDef,
} from '../../src/functions/registry.ts';
import { registerExtended } from '../../src/functions/builtins/register-extended.ts';
import { createSimEnv } from '../../src/env/index.ts';
import { defaultTypeContext, type TypeContext } from '../../src/types/context.ts';
import { formatType, sameType, Types, type SqlType } from '../../src/types/sql-type.ts';
import { inputFunction, outputFunction } from '../../src/types/text-io.ts';

const reg = new FunctionRegistry();
registerExtended(reg);

function makeCtx(types: TypeContext, txnStartMicros = 0): EvalContext {
  return {
    env: createSimEnv({ seed: 7, startMs: Date.UTC(2024, 5, 1, 12, 0, 0) }),
    types, txnStartMicros, statementStartMicros: txnStartMicros + 5,
    setting: () => null, user: 'test', database: 'test', searchPath: ['public'], catalog: null
  };
}

const utc = makeCtx(defaultTypeContext);
const ny = makeCtx({ ...defaultTypeContext, timeZone: 'America/New_York' });

function matches(pattern: ArgType, t: SqlType): boolean {
  return typeof pattern === 'string' ? true : sameType(pattern, t);
}

function find(name: string, types: SqlType[]): ScalarFunctionDef {
  const def = reg.lookup(name).find((d) => d.kind === 'scalar' && types.length >= d.minArgs &&
    (types.length === d.args.length || (types.length < d.args.length)) &&
    types.every((t, i) => matches(d.args[i] as ArgType, t)));
  assert.ok(def !== undefined && def.kind === 'scalar', `no function ${name}(${types.map(formatType)})`);
  return def;
}

/** Calls a scalar with PostgreSQL literals; returns the text output of the result. */
function call(name: string, args: [SqlType, string | null][], ctx: EvalContext = utc): string | null {
  const types = args.map(([t]) => t);
  const def = find(name, types);
  const values = args.map(([t, s]) => (s === null ? null : inputFunction(t)(s, ctx.types)));
  if (def.strict && values.some((v) => v === null)) return null;
  const r = def.impl(values, ctx, types);
  const rt = typeof def.returns === 'function' ? def.returns(types) : def.returns;
  return r === null ? null : outputFunction(rt)(r, ctx.types);
}

const { date, time, timestamp: ts, timestamptz: tstz, interval, int4, float8, text, numeric, real } = {
  ...Types, real: Types.float4,
};

test('date arithmetic operators', () => {
  assert.equal(call('+', [[date, '2024-01-31'], [int4, '1']]), '2024-02-01');
  assert.equal(call('+', [[int4, '7'], [date, '2024-02-25']]), '2024-03-03');
  assert.equal(call('-', [[date, '2024-03-01'], [int4, '1']]), '2024-02-29');
  assert.equal(call('-', [[date, '2024-03-01'], [date, '2024-02-01']]), '29');
  assert.equal(call('+', [[date, '2024-01-31'], [interval, '1 month']]), '2024-02-29 00:00:00');
  assert.equal(call('-', [[date, '2024-03-01'], [interval, '1 hour']]), '2024-02-29 23:00:00');
  assert.equal(call('+', [[date, '2024-01-01'], [time, '10:30']]), '2024-01-01 10:30:00');
  assert.throws(() => call('-', [[date, 'infinity'], [date, '2024-01-01']]),
    { code: '22008', message: 'cannot subtract infinite dates' });
});

test('timestamp and interval operators', () => {
  assert.equal(call('-', [[ts, '2024-01-01 10:00'], [ts, '2023-12-31 08:30']]), '1 day 01:30:00');
  assert.equal(call('+', [[ts, '2024-01-31 10:00'], [interval, '1 month 1 day']]), '2024-03-01 10:00:00');
  assert.equal(call('-', [[ts, '2024-03-31'], [interval, '1 month']]), '2024-02-29 00:00:00');
  assert.equal(call('*', [[interval, '1 day'], [float8, '1.5']]), '1 day 12:00:00');
  assert.equal(call('*', [[float8, '2'], [interval, '1 mon 1 hour']]), '2 mons 02:00:00');
  assert.equal(call('/', [[interval, '1 month'], [float8, '2']]), '15 days');
  assert.equal(call('-', [[interval, '1 day 02:00']]), '-1 days -02:00:00');
  assert.equal(call('+', [[interval, '1 day'], [interval, '3 hours']]), '1 day 03:00:00');
  assert.equal(call('+', [[time, '23:00'], [interval, '2 hours']]), '01:00:00');
  assert.equal(call('-', [[time, '10:00'], [time, '08:30']]), '01:30:00');
  assert.throws(() => call('/', [[interval, '1 day'], [float8, '0']]), { code: '22012' });
});

test('overlaps', () => {
  assert.equal(call('overlaps', [[date, '2001-02-16'], [date, '2001-12-21'], [date, '2001-10-30'],
    [date, '2002-10-30']]), 't');
  assert.equal(call('overlaps', [[date, '2001-02-16'], [date, '2001-10-30'], [date, '2001-10-30'],
    [date, '2002-10-30']]), 'f');
  assert.equal(call('overlaps', [[date, '2001-10-29'], [date, '2001-10-30'], [date, '2001-10-30'],
    [date, '2001-10-31']]), 'f');
  assert.equal(call('overlaps', [[date, '2001-10-30'], [date, '2001-10-30'], [date, '2001-10-30'],
    [date, '2001-10-31']]), 't');
  assert.equal(call('overlaps', [[ts, '2001-02-16'], [interval, '100 days'], [ts, '2001-10-30'],
    [interval, '1 day']]), 'f');
  assert.equal(call('overlaps', [[date, '2001-02-16'], [date, null], [date, '2001-10-30'],
    [date, '2002-10-30']]), null);
});

test('timestamptz arithmetic follows the session zone across DST', () => {
  assert.equal(call('+', [[tstz, '2024-03-09 12:00-05'], [interval, '1 day']], ny), '2024-03-10 12:00:00-04');
  assert.equal(call('+', [[tstz, '2024-03-09 12:00-05'], [interval, '24 hours']], ny), '2024-03-10 13:00:00-04');
  assert.equal(call('-', [[tstz, '2024-03-10 12:00-04'], [tstz, '2024-03-09 12:00-05']], ny), '23:00:00');
});

test('date_trunc', () => {
  assert.equal(call('date_trunc', [[text, 'month'], [ts, '2024-02-15 10:30']]), '2024-02-01 00:00:00');
  assert.equal(call('date_trunc', [[text, 'week'], [ts, '2024-02-15 10:30']]), '2024-02-12 00:00:00');
  assert.equal(call('date_trunc', [[text, 'quarter'], [ts, '2024-05-15']]), '2024-04-01 00:00:00');
  assert.equal(call('date_trunc', [[text, 'HOUR'], [ts, '2024-05-15 10:59:59.9']]), '2024-05-15 10:00:00');
  assert.equal(call('date_trunc', [[text, 'century'], [ts, '2024-05-15']]), '2001-01-01 00:00:00');
  assert.equal(call('date_trunc', [[text, 'milliseconds'], [ts, '2024-05-15 00:00:01.123456']]),
    '2024-05-15 00:00:01.123');
  assert.equal(call('date_trunc', [[text, 'hour'], [interval, '1 day 02:34:56']]), '1 day 02:00:00');
  assert.equal(call('date_trunc', [[text, 'year'], [interval, '1 year 5 months 3 days']]), '1 year');
  assert.equal(call('date_trunc', [[text, 'day'], [tstz, '2024-03-10 12:00-04']], ny), '2024-03-10 00:00:00-05');
  assert.equal(call('date_trunc', [[text, 'day'], [tstz, '2024-03-10 12:00+00'], [text, 'Asia/Tokyo']]),
    '2024-03-09 15:00:00+00');
  assert.throws(() => call('date_trunc', [[text, 'foo'], [ts, '2024-01-01']]),
    { code: '22023', message: 'unit "foo" not recognized for type timestamp without time zone' });
  assert.equal(call('date_trunc', [[text, 'day'], [ts, 'infinity']]), 'infinity');
});

test('extract returns numeric with PostgreSQL scales; date_part returns float8', () => {
  assert.equal(call('extract', [[text, 'year'], [ts, '2024-02-15']]), '2024');
  assert.equal(call('extract', [[text, 'second'], [ts, '2024-02-15 10:30:15.5']]), '15.500000');
  assert.equal(call('extract', [[text, 'milliseconds'], [ts, '2024-02-15 10:30:15.5']]), '15500.000');
  assert.equal(call('extract', [[text, 'epoch'], [ts, '2024-01-01 00:00:00']]), '1704067200.000000');
  assert.equal(call('extract', [[text, 'dow'], [date, '2024-02-15']]), '4');
  assert.equal(call('extract', [[text, 'isodow'], [date, '2024-02-18']]), '7');
  assert.equal(call('extract', [[text, 'doy'], [date, '2024-02-15']]), '46');
  assert.equal(call('extract', [[text, 'week'], [date, '2024-01-01']]), '1');
  assert.equal(call('extract', [[text, 'julian'], [date, '2024-01-01']]), '2460311');
  assert.equal(call('extract', [[text, 'century'], [ts, '2000-12-31']]), '20');
  assert.equal(call('extract', [[text, 'millennium'], [ts, '2001-01-01']]), '3');
  assert.equal(call('extract', [[text, 'decade'], [ts, '2024-01-01']]), '202');
  assert.equal(call('extract', [[text, 'quarter'], [ts, '2024-08-01']]), '3');
  assert.equal(call('extract', [[text, 'year'], [ts, '0044-03-15 BC']]), '-44');
  assert.equal(call('extract', [[text, 'milliseconds'], [time, '10:00:01.5']]), '1500.000');
  assert.equal(call('extract', [[text, 'epoch'], [interval, '1 day 1 hour']]), '90000.000000');
  assert.equal(call('extract', [[text, 'month'], [interval, '14 months']]), '2');
  assert.equal(call('extract', [[text, 'year'], [interval, '14 months']]), '1');
  assert.equal(call('extract', [[text, 'timezone_hour'], [tstz, '2024-06-01 12:00+00']], ny), '-4');
  assert.equal(call('extract', [[text, 'hour'], [tstz, '2024-06-01 12:00+00']], ny), '8');
  assert.equal(call('extract', [[text, 'year'], [ts, 'infinity']]), 'Infinity');
  assert.equal(call('extract', [[text, 'month'], [ts, 'infinity']]), null);
  assert.throws(() => call('extract', [[text, 'hour'], [date, '2024-01-01']]),
    { code: '0A000', message: 'unit "hour" not supported for type date' });
  assert.throws(() => call('extract', [[text, 'timezone'], [ts, '2024-01-01']]),
    { code: '0A000', message: 'unit "timezone" not supported for type timestamp without time zone' });
  assert.equal(call('date_part', [[text, 'second'], [ts, '2024-02-15 10:30:15.5']]), '15.5');
  assert.equal(call('date_part', [[text, 'epoch'], [ts, '2024-01-01']]), '1704067200');
  assert.equal(call('date_part', [[text, 'hour'], [date, '2024-01-01']]), '0');
});

test('extract and date_trunc: PostgreSQL documentation examples', () => {
  const x = (f: string, t: SqlType, v: string): string | null => call('extract', [[text, f], [t, v]]);
  assert.equal(x('CENTURY', ts, '2000-12-16 12:21:13'), '20');
  assert.equal(x('DAY', interval, '40 days 1 minute'), '40');
  assert.equal(x('DECADE', ts, '2001-02-16 20:38:40'), '200');
  assert.equal(x('DOY', ts, '2001-02-16 20:38:40'), '47');
  assert.equal(x('EPOCH', tstz, '2001-02-16 20:38:40.12-08'), '982384720.120000');
  assert.equal(x('EPOCH', interval, '5 days 3 hours'), '442800.000000');
  assert.equal(x('ISOYEAR', date, '2006-01-01'), '2005');
  assert.equal(x('JULIAN', ts, '2006-01-01 12:00'), '2453737.50000000000000000000');
  assert.equal(x('MILLISECONDS', time, '17:12:28.5'), '28500.000');
  assert.equal(x('SECOND', time, '17:12:28.5'), '28.500000');
  assert.equal(x('MINUTE', ts, '2001-02-16 20:38:40'), '38');
  assert.equal(x('MONTH', interval, '2 years 13 months'), '1');
  assert.equal(x('QUARTER', ts, '2001-02-16 20:38:40'), '1');
  assert.equal(x('WEEK', ts, '2001-02-16 20:38:40'), '7');
  assert.equal(x('MILLENNIUM', ts, '2001-02-16 20:38:40'), '3');
  assert.equal(call('date_trunc', [[text, 'hour'], [ts, '2001-02-16 20:38:40']]), '2001-02-16 20:00:00');
  assert.equal(call('date_trunc', [[text, 'year'], [ts, '2001-02-16 20:38:40']]), '2001-01-01 00:00:00');
  assert.equal(call('date_trunc', [[text, 'day'], [tstz, '2001-02-16 20:38:40+00'], [text, 'Australia/Sydney']]),
    '2001-02-16 13:00:00+00');
  assert.equal(call('date_trunc', [[text, 'hour'], [interval, '3 days 02:47:33']]), '3 days 02:00:00');
});

test('age, justify, isfinite, date_bin', () => {
  assert.equal(call('age', [[ts, '2001-04-10'], [ts, '1957-06-13']]), '43 years 9 mons 27 days');
  assert.equal(call('age', [[ts, '2024-03-15'], [ts, '2023-01-31']]), '1 year 1 mon 15 days');
  assert.equal(call('age', [[ts, '2023-01-31'], [ts, '2024-03-15']]), '-1 years -1 mons -15 days');
  const at = makeCtx(defaultTypeContext, Date.UTC(2024, 0, 15, 9, 0) * 1000);
  assert.equal(call('age', [[ts, '2023-01-15']], at), '1 year');
  assert.equal(call('justify_hours', [[interval, '27 hours']]), '1 day 03:00:00');
  assert.equal(call('justify_days', [[interval, '35 days']]), '1 mon 5 days');
  assert.equal(call('justify_interval', [[interval, '1 mon -1 hour']]), '29 days 23:00:00');
  assert.equal(call('isfinite', [[ts, 'infinity']]), 'f');
  assert.equal(call('isfinite', [[date, '2024-01-01']]), 't');
  assert.equal(call('date_bin', [[interval, '15 minutes'], [ts, '2020-02-11 15:44:17'], [ts, '2001-01-01']]),
    '2020-02-11 15:30:00');
  assert.equal(call('date_bin', [[interval, '15 minutes'], [ts, '2020-02-11 15:44:17'],
    [ts, '2001-01-01 00:02:30']]), '2020-02-11 15:32:30');
  assert.throws(() => call('date_bin', [[interval, '1 month'], [ts, '2020-02-11'], [ts, '2001-01-01']]),
    { code: '0A000', message: 'timestamps cannot be binned into intervals containing months or years' });
});

test('make_* constructors', () => {
  assert.equal(call('make_date', [[int4, '2024'], [int4, '2'], [int4, '29']]), '2024-02-29');
  assert.equal(call('make_date', [[int4, '-44'], [int4, '3'], [int4, '15']]), '0044-03-15 BC');
  assert.throws(() => call('make_date', [[int4, '2023'], [int4, '2'], [int4, '29']]),
    { code: '22008', message: 'date field value out of range: 2023-02-29' });
  assert.equal(call('make_time', [[int4, '8'], [int4, '15'], [float8, '23.5']]), '08:15:23.5');
  assert.equal(call('make_timestamp', [[int4, '2013'], [int4, '7'], [int4, '15'], [int4, '8'], [int4, '15'],
    [float8, '23.5']]), '2013-07-15 08:15:23.5');
  assert.equal(call('make_timestamptz', [[int4, '2013'], [int4, '7'], [int4, '15'], [int4, '8'], [int4, '15'],
    [float8, '23.5'], [text, 'America/New_York']]), '2013-07-15 12:15:23.5+00');
  assert.equal(call('make_interval', [[int4, '1'], [int4, '2'], [int4, '0'], [int4, '3']]), '1 year 2 mons 3 days');
  assert.equal(call('make_interval', [[int4, '0'], [int4, '0'], [int4, '1'], [int4, '0'], [int4, '0'],
    [int4, '0'], [float8, '1.5']]), '7 days 00:00:01.5');
  assert.equal(call('to_timestamp', [[float8, '1284352323']]), '2010-09-13 04:32:03+00');
  assert.equal(call('to_timestamp', [[float8, 'Infinity']]), 'infinity');
});

test('timezone() (AT TIME ZONE)', () => {
  assert.equal(call('timezone', [[text, 'America/New_York'], [ts, '2024-01-01 12:00']]), '2024-01-01 17:00:00+00');
  assert.equal(call('timezone', [[text, 'UTC'], [tstz, '2024-01-01 12:00+02']]), '2024-01-01 10:00:00');
  assert.equal(call('timezone', [[text, 'Asia/Tokyo'], [tstz, '2024-01-01 00:00+00']]), '2024-01-01 09:00:00');
  assert.equal(call('timezone', [[interval, '02:00'], [tstz, '2024-01-01 00:00+00']]), '2024-01-01 02:00:00');
  assert.throws(() => call('timezone', [[text, 'Mars/Olympus'], [ts, '2024-01-01']]),
    { code: '22023', message: 'time zone "Mars/Olympus" not recognized' });
});

test('clock functions read only the EvalContext', () => {
  const start = Date.UTC(2024, 0, 15, 23, 30) * 1000;
  const c = makeCtx({ ...defaultTypeContext, timeZone: 'Asia/Tokyo' }, start);
  assert.equal(find('now', []).impl([], c, []), start);
  assert.equal(find('transaction_timestamp', []).impl([], c, []), start);
  assert.equal(find('statement_timestamp', []).impl([], c, []), start + 5);
  assert.equal(find('clock_timestamp', []).impl([], c, []), Date.UTC(2024, 5, 1, 12) * 1000);
  assert.equal(find('clock_timestamp', []).volatility, 'volatile');
  assert.equal(call('current_date', [], c), '2024-01-16');
  assert.equal(call('localtimestamp', [], c), '2024-01-16 08:30:00');
  assert.equal(call('localtime', [], c), '08:30:00');
  assert.equal(call('current_timestamp', [[int4, '0']], c), '2024-01-16 08:30:00+09');
  assert.match(find('timeofday', []).impl([], c, []) as string, /^Sat Jun 01 21:00:00\.000000 2024 \+09$/);
});

test('to_char for date/time values', () => {
  const v: [SqlType, string] = [ts, '2024-02-05 14:07:09.123'];
  const f = (fmt: string): string | null => call('to_char', [v, [text, fmt]]);
  assert.equal(f('YYYY-MM-DD HH24:MI:SS.MS'), '2024-02-05 14:07:09.123');
  assert.equal(f('Day, DD Month YYYY'), 'Monday   , 05 February  2024');
  assert.equal(f('FMDay, FMDD FMMonth YYYY'), 'Monday, 5 February 2024');
  assert.equal(f('HH12:MI AM'), '02:07 PM');
  assert.equal(f('hh:mi pm'), '02:07 pm');
  assert.equal(f('Dy Mon DDth'), 'Mon Feb 05th');
  assert.equal(f('Q WW IW DDD D'), '1 06 06 036 2');
  assert.equal(f('"Week" IW "of" IYYY'), 'Week 06 of 2024');
  assert.equal(f('US'), '123000');
  assert.equal(f('MONTH DAY mon'), 'FEBRUARY  MONDAY    feb');
  assert.equal(f('YY Y,YYY CC J'), '24 2,024 21 2460346');
  assert.equal(f('RM'), 'II  ');
  assert.equal(call('to_char', [[tstz, '2024-06-01 12:00+00'], [text, 'HH24:MI TZH:TZM OF']], ny), '08:00 -04:00 -04');
  assert.equal(call('to_char', [[tstz, '2024-06-01 12:00+00'], [text, 'HH24 TZ']]), '12 UTC');
  assert.equal(call('to_char', [[interval, '15h 2m 12s'], [text, 'HH24:MI:SS']]), '15:02:12');
  assert.equal(call('to_char', [[ts, '0044-03-15 BC'], [text, 'YYYY BC']]), '0044 BC');
});

test('to_char for numbers (PostgreSQL documentation examples)', () => {
  const n = (value: string, fmt: string, t: SqlType = numeric): string | null =>
    call('to_char', [[t, value], [text, fmt]]);
  assert.equal(n('125', '999', int4), ' 125');
  assert.equal(n('125.8', '999D9', real), ' 125.8');
  assert.equal(n('-125.8', '999D99S'), '125.80-');
  assert.equal(n('-0.1', '99.99'), '  -.10');
  assert.equal(n('-0.1', 'FM9.99'), '-.1');
  assert.equal(n('-0.1', 'FM90.99'), '-0.1');
  assert.equal(n('0.1', '0.9'), ' 0.1');
  assert.equal(n('12', '9990999.9'), '    0012.0');
  assert.equal(n('12', 'FM9990999.9'), '0012.');
  assert.equal(n('485', '999'), ' 485');
  assert.equal(n('-485', '999'), '-485');
  assert.equal(n('485', '9 9 9'), ' 4 8 5');
  assert.equal(n('1485', '9,999'), ' 1,485');
  assert.equal(n('1485', '9G999'), ' 1,485');
  assert.equal(n('148.5', '999.999'), ' 148.500');
  assert.equal(n('148.5', 'FM999.999'), '148.5');
  assert.equal(n('148.5', 'FM999.990'), '148.500');
  assert.equal(n('3148.5', '9G999D999'), ' 3,148.500');
  assert.equal(n('-485', '999S'), '485-');
  assert.equal(n('-485', '999MI'), '485-');
  assert.equal(n('485', '999MI'), '485 ');
  assert.equal(n('485', 'FM999MI'), '485');
  assert.equal(n('485', 'PL999'), '+485');
  assert.equal(n('485', 'SG999'), '+485');
  assert.equal(n('-485', 'SG999'), '-485');
  assert.equal(n('-485', '9SG99'), '4-85');
  assert.equal(n('-485', '999PR'), '<485>');
  assert.equal(n('482', '999th'), ' 482nd');
  assert.equal(n('485', '"Good number:"999'), 'Good number: 485');
  assert.equal(n('485.8', '"Pre:"999" Post:" .999'), 'Pre: 485 Post: .800');
  assert.equal(n('12', '99V999'), ' 12000');
  assert.equal(n('12.4', '99V999'), ' 12400');
  assert.equal(n('12.45', '99V9'), ' 125');
  assert.equal(n('0.0004859', '9.99EEEE'), ' 4.86e-04');
  assert.equal(n('12345', '999'), ' ###');
});

test('to_date, to_timestamp(text, text), to_number', () => {
  assert.equal(call('to_date', [[text, '05 Dec 2000'], [text, 'DD Mon YYYY']]), '2000-12-05');
  assert.equal(call('to_date', [[text, '20240215'], [text, 'YYYYMMDD']]), '2024-02-15');
  assert.equal(call('to_timestamp', [[text, '05 Dec 2000'], [text, 'DD Mon YYYY']]), '2000-12-05 00:00:00+00');
  assert.equal(call('to_timestamp', [[text, '2000JUN'], [text, 'YYYYMON']]), '2000-06-01 00:00:00+00');
  assert.equal(call('to_timestamp', [[text, '2024-02-15 02:30:45 PM'], [text, 'YYYY-MM-DD HH12:MI:SS AM']]),
    '2024-02-15 14:30:45+00');
  assert.equal(call('to_timestamp', [[text, '2024-06-01 12:00'], [text, 'YYYY-MM-DD HH24:MI']], ny),
    '2024-06-01 12:00:00-04');
  assert.throws(() => call('to_date', [[text, '2024-13-01'], [text, 'YYYY-MM-DD']]), { code: '22008' });
  assert.throws(() => call('to_timestamp', [[text, '13:00 PM'], [text, 'HH12:MI AM']]),
    { code: '22007', message: 'hour "13" is invalid for the 12-hour clock' });
  assert.equal(call('to_number', [[text, '12,454.8-'], [text, '99G999D9S']]), '-12454.8');
  assert.equal(call('to_number', [[text, '1,234.50'], [text, '9G999D99']]), '1234.50');
});
