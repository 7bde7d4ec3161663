/**
 * All date/time scalar functions and operators, gathered for registerExtended: arithmetic
 * operators (datetime-ops.ts), field/clock/constructor functions (datetime-fns.ts) and the
 * formatting functions to_char/to_date/to_timestamp/to_number (datetime-format-fns.ts).
 */
import type { FunctionRegistry, ScalarFunctionDef } from '../registry.ts';
import { datetimeOperatorDefs } from './datetime-ops.ts';
import { datetimeFunctionDefs } from './datetime-fns.ts';
import { formatFunctionDefs } from './datetime-format-fns.ts';
import { overlapsDefs } from './datetime-overlaps.ts';

export function datetimeDefs(): ScalarFunctionDef[] {
  return [...datetimeOperatorDefs(), ...datetimeFunctionDefs(), ...formatFunctionDefs(), ...overlapsDefs()];
}

export function registerDatetime(reg: FunctionRegistry): void {
  for (const def of datetimeDefs()) reg.add(def);
}
