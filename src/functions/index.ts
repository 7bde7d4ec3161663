/**
 * The function layer's public API: the registry types and the shared registry of built-ins,
 * built once per process (it is immutable after construction, so databases share it).
 */
import { FunctionRegistry } from './registry.ts';
import { registerCore } from './builtins/register-core.ts';
import { registerExtended } from './builtins/register-extended.ts';

export * from './registry.ts';

let shared: FunctionRegistry | null = null;

export function builtinRegistry(): FunctionRegistry {
  if (shared === null) {
    const reg = new FunctionRegistry();
    registerCore(reg);
    registerExtended(reg);
    shared = reg;
  }
  return shared;
}
