/**
 * Registration of the string functions. The implementations live in string-*.ts by
 * responsibility (basic character functions, format/quoting, bytes/encodings, regular
 * expressions, string<->array); this file only binds them to PostgreSQL's signatures.
 *
 * Optional trailing arguments are separate overloads (as in pg_proc), so the binder never sees
 * defaults. Set-returning functions are table functions whose single output column is named
 * after the function, as PostgreSQL names it.
 */
import { defineScalar, defineTableFunction, type FunctionRegistry } from '../registry.ts';
import { Types, arrayOf, type SqlType } from '../../types/sql-type.ts';
import { SqlArray } from '../../types/array.ts';
import { registerStringBasic } from './string-basic.ts';
import { registerStringFormat } from './string-format.ts';
import { registerStringBytes } from './string-bytes.ts';
import {
  regexpMatch, regexpMatches, regexpReplace, regexpSplit, regexpCount, regexpInstr,
  regexpSubstr, regexpLike, substringRegex, substringSimilar,
} from './string-regexp.ts';
import { stringToArray, arrayToString, splitString } from './string-arrays.ts';

const { text, int4, bool } = Types;
const textArray = arrayOf(text);

type Impl = (a: unknown[]) => unknown;

function fn(reg: FunctionRegistry, name: string, args: SqlType[], returns: SqlType, impl: Impl): void {
  reg.add(defineScalar({ name, args, returns, impl }));
}

const S = (v: unknown): string => v as string;
const N = (v: unknown): number => v as number;

function registerRegexpScalars(reg: FunctionRegistry): void {
  fn(reg, 'regexp_match', [text, text], textArray, (a) => regexpMatch(S(a[0]), S(a[1]), null));
  fn(reg, 'regexp_match', [text, text, text], textArray, (a) => regexpMatch(S(a[0]), S(a[1]), S(a[2])));
  fn(reg, 'regexp_replace', [text, text, text], text,
    (a) => regexpReplace(S(a[0]), S(a[1]), S(a[2]), 1, null, null));
  fn(reg, 'regexp_replace', [text, text, text, text], text,
    (a) => regexpReplace(S(a[0]), S(a[1]), S(a[2]), 1, null, S(a[3])));
  fn(reg, 'regexp_replace', [text, text, text, int4], text,
    (a) => regexpReplace(S(a[0]), S(a[1]), S(a[2]), N(a[3]), null, null));
  fn(reg, 'regexp_replace', [text, text, text, int4, int4], text,
    (a) => regexpReplace(S(a[0]), S(a[1]), S(a[2]), N(a[3]), N(a[4]), null));
  fn(reg, 'regexp_replace', [text, text, text, int4, int4, text], text,
    (a) => regexpReplace(S(a[0]), S(a[1]), S(a[2]), N(a[3]), N(a[4]), S(a[5])));
  fn(reg, 'regexp_split_to_array', [text, text], textArray,
    (a) => new SqlArray(regexpSplit(S(a[0]), S(a[1]), null, 'regexp_split_to_array()')));
  fn(reg, 'regexp_like', [text, text], bool, (a) => regexpLike(S(a[0]), S(a[1]), null));
  fn(reg, 'regexp_like', [text, text, text], bool, (a) => regexpLike(S(a[0]), S(a[1]), S(a[2])));
  fn(reg, 'regexp_count', [text, text], int4, (a) => regexpCount(S(a[0]), S(a[1]), 1, null));
  fn(reg, 'regexp_count', [text, text, int4], int4, (a) => regexpCount(S(a[0]), S(a[1]), N(a[2]), null));
  fn(reg, 'regexp_count', [text, text, int4, text], int4,
    (a) => regexpCount(S(a[0]), S(a[1]), N(a[2]), S(a[3])));
  fn(reg, 'substring', [text, text], text, (a) => substringRegex(S(a[0]), S(a[1])));
  fn(reg, 'substring', [text, text, text], text, (a) => substringSimilar(S(a[0]), S(a[1]), S(a[2])));
}

/** regexp_instr / regexp_substr: each optional trailing argument is its own overload. */
function registerRegexpPositional(reg: FunctionRegistry): void {
  const instrArgs: SqlType[] = [text, text, int4, int4, int4, text, int4];
  for (let n = 2; n <= instrArgs.length; n++) {
    fn(reg, 'regexp_instr', instrArgs.slice(0, n), int4, (a) => regexpInstr(S(a[0]), S(a[1]),
      n > 2 ? N(a[2]) : 1, n > 3 ? N(a[3]) : 1, n > 4 ? N(a[4]) : 0, n > 5 ? S(a[5]) : null,
      n > 6 ? N(a[6]) : 0));
  }
  const substrArgs: SqlType[] = [text, text, int4, int4, text, int4];
  for (let n = 2; n <= substrArgs.length; n++) {
    fn(reg, 'regexp_substr', substrArgs.slice(0, n), text, (a) => regexpSubstr(S(a[0]), S(a[1]),
      n > 2 ? N(a[2]) : 1, n > 3 ? N(a[3]) : 1, n > 4 ? S(a[4]) : null, n > 5 ? N(a[5]) : 0));
  }
}

function oneColumn(name: string, type: SqlType): () => readonly { name: string; type: SqlType }[] {
  const cols = [{ name, type }];
  return () => cols;
}

function registerSetReturning(reg: FunctionRegistry): void {
  for (const withFlags of [false, true]) {
    reg.add(defineTableFunction({
      name: 'regexp_matches', args: withFlags ? [text, text, text] : [text, text],
      columns: oneColumn('regexp_matches', textArray),
      rows: (a) => regexpMatches(S(a[0]), S(a[1]), withFlags ? S(a[2]) : null).map((m) => [m]),
    }));
    reg.add(defineTableFunction({
      name: 'regexp_split_to_table', args: withFlags ? [text, text, text] : [text, text],
      columns: oneColumn('regexp_split_to_table', text),
      rows: (a) => regexpSplit(S(a[0]), S(a[1]), withFlags ? S(a[2]) : null,
        'regexp_split_to_table()').map((p) => [p]),
    }));
    if (withFlags) {
      fn(reg, 'regexp_split_to_array', [text, text, text], textArray,
        (a) => new SqlArray(regexpSplit(S(a[0]), S(a[1]), S(a[2]), 'regexp_split_to_array()')));
    }
  }
  reg.add(defineTableFunction({
    name: 'string_to_table', args: [text, text], strict: false,
    columns: oneColumn('string_to_table', text),
    rows: (a) => (a[0] === null ? [] : splitString(S(a[0]), a[1] as string | null, null).map((p) => [p])),
  }));
  reg.add(defineTableFunction({
    name: 'string_to_table', args: [text, text, text], strict: false,
    columns: oneColumn('string_to_table', text),
    rows: (a) => (a[0] === null ? [] :
      splitString(S(a[0]), a[1] as string | null, a[2] as string | null).map((p) => [p])),
  }));
}

function registerStringArrays(reg: FunctionRegistry): void {
  reg.add(defineScalar({
    name: 'string_to_array', args: [text, text], returns: textArray, strict: false,
    impl: (a) => (a[0] === null ? null : stringToArray(S(a[0]), a[1] as string | null, null)),
  }));
  reg.add(defineScalar({
    name: 'string_to_array', args: [text, text, text], returns: textArray, strict: false,
    impl: (a) => (a[0] === null ? null :
      stringToArray(S(a[0]), a[1] as string | null, a[2] as string | null)),
  }));
  reg.add(defineScalar({
    name: 'array_to_string', args: ['anyarray', text], returns: text, volatility: 'stable',
    impl: (a, ctx, t) => arrayToString(a[0] as SqlArray, elemOf(t[0]), S(a[1]), null, ctx),
  }));
  reg.add(defineScalar({
    name: 'array_to_string', args: ['anyarray', text, text], returns: text, strict: false,
    volatility: 'stable',
    impl: (a, ctx, t) => (a[0] === null || a[1] === null ? null :
      arrayToString(a[0] as SqlArray, elemOf(t[0]), S(a[1]), a[2] as string | null, ctx)),
  }));
}

function elemOf(t: SqlType | undefined): SqlType {
  return t?.elem ?? text;
}

export function registerString(reg: FunctionRegistry): void {
  registerStringBasic(reg);
  registerStringFormat(reg);
  registerStringBytes(reg);
  registerRegexpScalars(reg);
  registerRegexpPositional(reg);
  registerSetReturning(reg);
  registerStringArrays(reg);
}
