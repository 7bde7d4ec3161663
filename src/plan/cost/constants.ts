/**
 * PostgreSQL's cost constants (postgresql.conf defaults), shared by the access-path costs
 * (src/plan/binder/access-cost.ts) and the plan cost model (cost-model.ts), so every cost the
 * planner compares is in one unit: a sequential page read = 1.0.
 */
export const SEQ_PAGE_COST = 1.0;
export const RANDOM_PAGE_COST = 4.0;
export const CPU_TUPLE_COST = 0.01;
export const CPU_INDEX_TUPLE_COST = 0.005;
export const CPU_OPERATOR_COST = 0.0025;
