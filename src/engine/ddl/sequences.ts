/**
 * Sequences: CREATE / ALTER SEQUENCE option handling with PostgreSQL's defaults and checks, and
 * the nextval / setval arithmetic (non-transactional, bounded, optionally cycling).
 */
import { DbError } from '../../errors/index.ts';
import type { SequenceOption } from '../../sql/ast.ts';
import { SequenceState, type SequenceDef } from '../../catalog/objects.ts';
import { Oid, Types, type SqlType } from '../../types/sql-type.ts';
import { canonInt8 } from '../../types/int.ts';
import { resolveTypeName } from '../../plan/binder/type-names.ts';

const RANGE: Record<number, [bigint, bigint]> = {
  [Oid.int2]: [-32768n, 32767n],
  [Oid.int4]: [-2147483648n, 2147483647n],
  [Oid.int8]: [-9223372036854775808n, 9223372036854775807n],
};

export interface SequenceSpec {
  dataType: SqlType;
  increment: bigint;
  min: bigint;
  max: bigint;
  start: bigint;
  cache: bigint;
  cycle: boolean;
  restart: bigint | null;
  ownedBy: readonly string[] | null | undefined;
}

/** Applies options over `base` (an existing sequence for ALTER, or defaults for CREATE). */
export function sequenceSpec(options: readonly SequenceOption[], base: SequenceDef | null, defaultType: SqlType = Types.int8): SequenceSpec {
  let dataType = base?.dataType ?? defaultType;
  let increment = base?.increment ?? 1n;
  let min: bigint | null | undefined = base ? base.min : undefined;
  let max: bigint | null | undefined = base ? base.max : undefined;
  let start: bigint | undefined = base?.start;
  let cache = base?.cache ?? 1n;
  let cycle = base?.cycle ?? false;
  let restart: bigint | null = null;
  let ownedBy: readonly string[] | null | undefined;
  let typeChanged = false;
  for (const o of options) {
    switch (o.kind) {
      case 'SeqOptAs': {
        dataType = resolveTypeName(o.type);
        if (!RANGE[dataType.oid]) {
          throw new DbError('invalid_parameter_value', 'sequence type must be smallint, integer, or bigint', { position: o.loc + 1 });
        }
        typeChanged = true;
        break;
      }
      case 'SeqOptCycle': cycle = o.cycle; break;
      case 'SeqOptOwnedBy': ownedBy = o.owner; break;
      case 'SeqOptName': break;
      case 'SeqOptNumber': {
        const v = o.value === null ? null : BigInt(o.value);
        switch (o.option) {
          case 'increment':
            if (v === 0n) throw new DbError('invalid_parameter_value', 'INCREMENT must not be zero', { position: o.loc + 1 });
            increment = v ?? 1n;
            break;
          case 'minvalue': min = v; break;
          case 'maxvalue': max = v; break;
          case 'start': start = v ?? undefined; break;
          case 'restart': restart = v ?? start ?? 1n; break;
          case 'cache':
            if (v !== null && v < 1n) throw new DbError('invalid_parameter_value', `CACHE (${v}) must be greater than zero`, { position: o.loc + 1 });
            cache = v ?? 1n;
            break;
        }
      }
    }
  }
  const [tmin, tmax] = RANGE[dataType.oid]!;
  if (min === undefined || min === null || (typeChanged && base && min === base.min)) min = increment > 0n ? 1n : tmin;
  if (max === undefined || max === null || (typeChanged && base && max === base.max)) max = increment > 0n ? tmax : -1n;
  if (min < tmin || max > tmax) {
    throw new DbError('invalid_parameter_value', `${min < tmin ? 'MINVALUE' : 'MAXVALUE'} (${min < tmin ? min : max}) is out of range for sequence data type ${dataType.oid === Oid.int8 ? 'bigint' : dataType.oid === Oid.int4 ? 'integer' : 'smallint'}`);
  }
  if (min >= max) throw new DbError('invalid_parameter_value', `MINVALUE (${min}) must be less than MAXVALUE (${max})`);
  if (start === undefined) start = increment > 0n ? min : max;
  if (start < min) throw new DbError('invalid_parameter_value', `START value (${start}) cannot be less than MINVALUE (${min})`);
  if (start > max) throw new DbError('invalid_parameter_value', `START value (${start}) cannot be greater than MAXVALUE (${max})`);
  if (restart !== null && (restart < min || restart > max)) {
    throw new DbError('invalid_parameter_value', `RESTART value (${restart}) cannot be ${restart < min ? 'less than MINVALUE' : 'greater than MAXVALUE'} (${restart < min ? min : max})`);
  }
  return { dataType, increment, min, max, start, cache, cycle, restart, ownedBy };
}

export function newSequenceState(spec: SequenceSpec): SequenceState {
  return new SequenceState(spec.start);
}

/** nextval(): advances the shared state; PostgreSQL's 2200H error at the bounds unless CYCLE. */
export function sequenceNext(seq: SequenceDef): bigint {
  const st = seq.state;
  if (!st.isCalled) {
    st.isCalled = true;
    return st.last;
  }
  let next = st.last + seq.increment;
  if (next > seq.max || next < seq.min) {
    if (!seq.cycle) {
      throw new DbError('sequence_generator_limit_exceeded',
        `nextval: reached ${next > seq.max ? 'maximum' : 'minimum'} value of sequence "${seq.name}" (${next > seq.max ? seq.max : seq.min})`);
    }
    next = seq.increment > 0n ? seq.min : seq.max;
  }
  st.last = next;
  return next;
}

export function sequenceSet(seq: SequenceDef, value: bigint, isCalled: boolean): bigint {
  if (value < seq.min || value > seq.max) {
    throw new DbError('numeric_value_out_of_range',
      `setval: value ${value} is out of bounds for sequence "${seq.name}" (${seq.min}..${seq.max})`);
  }
  seq.state.last = value;
  seq.state.isCalled = isCalled;
  return value;
}

export function int8Value(v: bigint): number | bigint {
  return canonInt8(v);
}
