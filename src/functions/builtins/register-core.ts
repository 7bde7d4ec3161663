/**
 * Registers the core built-ins owned by this module group: operators (arithmetic, bitwise,
 * text, LIKE, regex), math, string, array and system-information functions. Date/time, JSON,
 * aggregate and table functions register themselves elsewhere.
 *
 * Invariant: registration order does not matter (overloads are resolved by argument types), and
 * registering twice into the same registry would duplicate overloads, so call this once per
 * registry.
 */
import type { FunctionRegistry } from '../registry.ts';
import { registerOperators } from './operators.ts';
import { registerMath } from './math.ts';
import { registerString } from './string.ts';
import { registerArrays } from './arrays.ts';
import { registerMisc } from './misc.ts';

export function registerCore(reg: FunctionRegistry): void {
  registerOperators(reg);
  registerMath(reg);
  registerString(reg);
  registerArrays(reg);
  registerMisc(reg);
}
