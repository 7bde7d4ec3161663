/**
 * overlaps(s1, e1, s2, e2): the SQL OVERLAPS predicate, `(s1, e1) OVERLAPS (s2, e2)` (the parser
 * turns the syntax into this call). PostgreSQL's overlaps_timestamp: each period's endpoints are
 * put in order (a NULL end means a point-in-time period), and the NULL rules follow the SQL
 * standard's expansion exactly. The (start, interval) forms add the interval to the start first,
 * as pg_proc's SQL-language overloads do.
 *
 * Invariant: dates, times and timestamps are numbers (days / µs), so one numeric comparison
 * serves every type; NULLs arrive because the functions are not strict.
 */
import { defineScalar, type ScalarFunctionDef } from '../registry.ts';
import { Types } from '../../types/sql-type.ts';
import type { Interval } from '../../types/interval.ts';
import type { TypeContext } from '../../types/context.ts';
import { timePlusInterval, timestampPlusInterval, timestamptzPlusInterval } from '../../types/datetime-arith.ts';

type Num = number | null;

/** overlaps_timestamp from PostgreSQL's timestamp.c, over plain numbers. */
export function overlaps(s1: Num, e1: Num, s2: Num, e2: Num): boolean | null {
  if (s1 === null) {
    if (e1 === null) return null;
    s1 = e1;
    e1 = null;
  } else if (e1 !== null && s1 > e1) {
    [s1, e1] = [e1, s1];
  }
  if (s2 === null) {
    if (e2 === null) return null;
    s2 = e2;
    e2 = null;
  } else if (e2 !== null && s2 > e2) {
    [s2, e2] = [e2, s2];
  }
  if (s1 > s2) {
    if (e2 === null) return null;
    if (s1 < e2) return true;
    return e1 === null ? null : false;
  }
  if (s1 < s2) {
    if (e1 === null) return null;
    if (s2 < e1) return true;
    return e2 === null ? null : false;
  }
  return e1 === null || e2 === null ? null : true;
}

export function overlapsDefs(): ScalarFunctionDef[] {
  const { time, timestamp, timestamptz, interval, bool } = Types;
  const n = (v: unknown): Num => (v === null || v === undefined ? null : (v as number));
  const out: ScalarFunctionDef[] = [];
  const plus: [typeof time, (t: number, iv: Interval, ctx: TypeContext) => number][] = [
    [time, (t, iv) => timePlusInterval(t, iv)],
    [timestamp, (t, iv) => timestampPlusInterval(t, iv)],
    [timestamptz, (t, iv, ctx) => timestamptzPlusInterval(t, iv, ctx)],
  ];
  for (const [t, add] of plus) {
    out.push(defineScalar({ name: 'overlaps', args: [t, t, t, t], returns: bool, strict: false,
      volatility: 'immutable', impl: (a) => overlaps(n(a[0]), n(a[1]), n(a[2]), n(a[3])) }));
    const end = (s: unknown, iv: unknown, ctx: TypeContext): Num =>
      s === null || iv === null ? null : add(s as number, iv as Interval, ctx);
    out.push(defineScalar({ name: 'overlaps', args: [t, interval, t, interval], returns: bool, strict: false,
      volatility: t === timestamptz ? 'stable' : 'immutable',
      impl: (a, ctx) => overlaps(n(a[0]), end(a[0], a[1], ctx.types), n(a[2]), end(a[2], a[3], ctx.types)) }));
    out.push(defineScalar({ name: 'overlaps', args: [t, t, t, interval], returns: bool, strict: false,
      volatility: t === timestamptz ? 'stable' : 'immutable',
      impl: (a, ctx) => overlaps(n(a[0]), n(a[1]), n(a[2]), end(a[2], a[3], ctx.types)) }));
    out.push(defineScalar({ name: 'overlaps', args: [t, interval, t, t], returns: bool, strict: false,
      volatility: t === timestamptz ? 'stable' : 'immutable',
      impl: (a, ctx) => overlaps(n(a[0]), end(a[0], a[1], ctx.types), n(a[2]), n(a[3])) }));
  }
  return out;
}
