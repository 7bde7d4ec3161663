/**
 * Registers the extended built-ins: date/time functions and operators, json/jsonb functions and
 * operators, all aggregates (including ordered-set ones) and the set-returning table functions.
 * Called once while building the shared registry; registration order does not matter because
 * overloads are resolved by argument types.
 */
import type { FunctionRegistry } from '../registry.ts';
import { registerDatetime } from './datetime.ts';
import { registerJson } from './json.ts';
import { registerAggregates } from './aggregates.ts';
import { tableFunctionDefs } from './table-functions.ts';
import { registerCatalogFunctions } from './catalog-fns.ts';
import { registerBackendFunctions } from './backend-fns.ts';
import { registerSerialFunctions } from './serial-fns.ts';

export function registerExtended(reg: FunctionRegistry): void {
  registerDatetime(reg);
  registerJson(reg);
  registerAggregates(reg);
  for (const def of tableFunctionDefs()) reg.add(def);
  registerCatalogFunctions(reg);
  registerBackendFunctions(reg);
  registerSerialFunctions(reg);
}
