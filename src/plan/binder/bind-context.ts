/**
 * State shared while binding one statement: the catalog and search path it resolves names in, the
 * function registry, parameter types (inferred from context when not declared), CTEs in scope, and
 * the per-query-level state that tracks aggregates and window functions.
 */
import { DbError } from '../../errors/index.ts';
import type { Catalog } from '../../catalog/catalog.ts';
import type { FunctionRegistry } from '../../functions/registry.ts';
import type { SqlType } from '../../types/sql-type.ts';
import type { TypeContext } from '../../types/context.ts';
import type { SequenceDef } from '../../catalog/objects.ts';
import type { BoundAggregate, BoundExpr } from '../bound-expr.ts';
import type { PlanNode, WindowFunctionCall } from '../plan-nodes.ts';
import type { WindowDef } from '../../sql/ast.ts';
import type { ExecContext } from '../../exec/exec-context.ts';
import type { PrivilegeNeed } from '../../auth/needs.ts';

/** A CTE visible to the query being bound. */
export interface CteBinding {
  readonly name: string;
  readonly columns: readonly { name: string; type: SqlType }[];
  /** The plan (shared by every reference: materialized once per execution). */
  plan: PlanNode | null;
  readonly id: number;
  /** Recursive CTE being defined: references read the working table. */
  readonly recursive: boolean;
  /**
   * A data-modifying CTE without RETURNING: it runs, but referencing it is an error (0A000), as
   * in PostgreSQL's addRangeTableEntryForCTE.
   */
  readonly noReturning?: boolean;
}

/** Session services the binder may need while planning (sequences for nextval defaults). */
export interface BindServices {
  nextval(seq: SequenceDef, ctx: ExecContext): unknown;
  currval(seq: SequenceDef, ctx: ExecContext): unknown;
  setval(seq: SequenceDef, value: bigint, isCalled: boolean, ctx: ExecContext): unknown;
  lastval(ctx: ExecContext): unknown;
}

export class BindContext {
  readonly catalog: Catalog;
  readonly searchPath: readonly string[];
  readonly registry: FunctionRegistry;
  /** Declared or inferred parameter types ($1 = index 0); null until inferred. */
  readonly paramTypes: (SqlType | null)[];
  readonly types: TypeContext;
  readonly ctes: Map<string, CteBinding>[] = [];
  private nextId = 1;
  /** Tables the statement reads or writes (for plan-cache invalidation and privileges later). */
  readonly relationsUsed = new Set<number>();
  /** Set when the statement calls a volatile function (no constant folding of such calls). */
  volatile = false;
  /**
   * Argument names of the routine whose body is being bound (SQL / PL/pgSQL): an identifier that
   * names no column in scope is the parameter of that name (index = $n - 1). `routine` is the
   * routine's name, which may qualify an argument (fname.arg).
   */
  paramNames: { readonly routine: string; readonly names: ReadonlyMap<string, number> } | null = null;
  /** Privileges the statement needs (src/auth/needs.ts), checked before it runs. */
  readonly privilegeNeeds: PrivilegeNeed[] = [];
  /** While binding a view's query: its owner, whose privileges its relations are checked with. */
  checkAs: string | null = null;

  constructor(init: {
    catalog: Catalog; searchPath: readonly string[]; registry: FunctionRegistry;
    paramTypes: (SqlType | null)[]; types: TypeContext;
  }) {
    this.catalog = init.catalog;
    this.searchPath = init.searchPath;
    this.registry = init.registry;
    this.paramTypes = init.paramTypes;
    this.types = init.types;
  }

  newId(): number {
    return this.nextId++;
  }

  findCte(name: string): CteBinding | undefined {
    for (let i = this.ctes.length - 1; i >= 0; i--) {
      const c = this.ctes[i]!.get(name);
      if (c?.noReturning) {
        throw new DbError('feature_not_supported', `WITH query "${name}" does not have a RETURNING clause`);
      }
      if (c) return c;
    }
    return undefined;
  }
}

/**
 * Per query level: whether aggregates / window functions may appear in the clause being bound,
 * and where collected ones go.
 */
export class QueryState {
  /** Aggregates collected from the select list / HAVING / ORDER BY. */
  readonly aggregates: BoundAggregate[] = [];
  readonly windows: WindowFunctionCall[] = [];
  readonly windowDefs: Map<string, WindowDef> = new Map();
  /** Window specs of collected window functions (index-aligned with `windows`). */
  readonly windowSpecs: { partitionBy: BoundExpr[]; orderBy: import('../bound-expr.ts').BoundSortKey[] }[] = [];
  /** Name of the clause being bound, for "not allowed in WHERE" errors; null = aggregates allowed. */
  noAggClause: string | null = null;
  noWindowClause: string | null = null;
  /** True while binding an aggregate's arguments (nested aggregates are an error). */
  inAggregate = false;
}
