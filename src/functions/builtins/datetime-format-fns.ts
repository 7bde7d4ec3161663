/**
 * Registrations of the template-driven formatting functions: to_char for date/time, interval and
 * numbers, to_date, to_timestamp(text, text) and to_number. The engines live in
 * datetime-to-char.ts, datetime-from-text.ts and datetime-numfmt.ts.
 *
 * Invariant: timestamptz values are formatted on the session zone's wall clock (stable
 * functions); everything else is immutable. Float inputs go through numeric with
 * float8 -> numeric's 15 significant digits, as PostgreSQL's float8_to_char limits them.
 */
import { defineScalar, type ScalarFunctionDef } from '../registry.ts';
import { Types } from '../../types/sql-type.ts';
import type { Interval } from '../../types/interval.ts';
import type { Int8 } from '../../types/int.ts';
import { numericFromFloat4, numericFromFloat8, numericFromInt, type NumericValue } from '../../types/numeric.ts';
import { contextZone, utcOffsetSec } from '../../types/timezone.ts';
import { USECS_PER_SEC } from '../../types/datetime-core.ts';
import { formatWithTemplate, intervalFields, timestampFields } from './datetime-to-char.ts';
import { toDate, toTimestamp } from './datetime-from-text.ts';
import { numberToChar, toNumber } from './datetime-numfmt.ts';

const { text, timestamp, timestamptz, interval, numeric, int4, int8, float4, float8, date } = Types;

function infiniteOr(us: number, f: () => string): string | null {
  return Number.isFinite(us) ? f() : null;
}

export function formatFunctionDefs(): ScalarFunctionDef[] {
  const s = (v: unknown): string => v as string;
  return [
    defineScalar({ name: 'to_char', args: [timestamp, text], returns: text,
      impl: (a) => infiniteOr(a[0] as number, () => formatWithTemplate(s(a[1]), timestampFields(a[0] as number, null, ''))) }),
    defineScalar({ name: 'to_char', args: [timestamptz, text], returns: text, volatility: 'stable',
      impl: (a, ctx) => infiniteOr(a[0] as number, () => {
        const us = a[0] as number;
        const zone = contextZone(ctx.types);
        const off = utcOffsetSec(zone, us);
        return formatWithTemplate(s(a[1]), timestampFields(us + off * USECS_PER_SEC, off, zone.name));
      }) }),
    defineScalar({ name: 'to_char', args: [interval, text], returns: text,
      impl: (a) => formatWithTemplate(s(a[1]), intervalFields(a[0] as Interval)) }),
    defineScalar({ name: 'to_char', args: [numeric, text], returns: text,
      impl: (a) => numberToChar(a[0] as NumericValue, s(a[1])) }),
    defineScalar({ name: 'to_char', args: [int4, text], returns: text,
      impl: (a) => numberToChar(numericFromInt(a[0] as number), s(a[1])) }),
    defineScalar({ name: 'to_char', args: [int8, text], returns: text,
      impl: (a) => numberToChar(numericFromInt(a[0] as Int8), s(a[1])) }),
    defineScalar({ name: 'to_char', args: [float4, text], returns: text,
      impl: (a) => numberToChar(numericFromFloat4(a[0] as number), s(a[1])) }),
    defineScalar({ name: 'to_char', args: [float8, text], returns: text,
      impl: (a) => numberToChar(numericFromFloat8(a[0] as number), s(a[1])) }),
    defineScalar({ name: 'to_date', args: [text, text], returns: date, volatility: 'stable',
      impl: (a) => toDate(s(a[0]), s(a[1])) }),
    defineScalar({ name: 'to_timestamp', args: [text, text], returns: timestamptz, volatility: 'stable',
      impl: (a, ctx) => toTimestamp(s(a[0]), s(a[1]), contextZone(ctx.types)) }),
    defineScalar({ name: 'to_number', args: [text, text], returns: numeric, volatility: 'stable',
      impl: (a) => toNumber(s(a[0]), s(a[1])) }),
  ];
}
