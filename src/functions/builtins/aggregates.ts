/**
 * All built-in aggregates, gathered for registerExtended. The definitions live by family:
 * aggregates-basic.ts (count/sum/avg/min/max/bool/bit), aggregates-stats.ts (stddev, variance,
 * regression), aggregates-collect.ts (string_agg, array_agg, json aggregates) and
 * aggregates-ordered.ts (percentile_cont/disc and mode; its header documents the ordered-set
 * calling contract with the executor).
 */
import type { AggregateDef, FunctionRegistry } from '../registry.ts';
import { basicAggregateDefs } from './aggregates-basic.ts';
import { statsAggregateDefs } from './aggregates-stats.ts';
import { collectAggregateDefs } from './aggregates-collect.ts';
import { orderedSetAggregateDefs } from './aggregates-ordered.ts';

export function aggregateDefs(): AggregateDef[] {
  return [
    ...basicAggregateDefs(), ...statsAggregateDefs(), ...collectAggregateDefs(),
    ...orderedSetAggregateDefs(),
  ];
}

export function registerAggregates(reg: FunctionRegistry): void {
  for (const def of aggregateDefs()) reg.add(def);
}
