/**
 * All operators of the core built-ins (arithmetic, bitwise, text, LIKE, regex). Comparison
 * operators (= <> < > <= >=) are not registered here: the binder handles them generically
 * through src/types/compare.ts. Array operators live in arrays.ts.
 */
import type { FunctionRegistry } from '../registry.ts';
import { registerArithmeticOperators } from './operators-arith.ts';
import { registerTextOperators } from './operators-text.ts';

export function registerOperators(reg: FunctionRegistry): void {
  registerArithmeticOperators(reg);
  registerTextOperators(reg);
}
