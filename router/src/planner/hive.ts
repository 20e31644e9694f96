import { fromHivePlan, type HiveQueryPlan } from './hive-plan.js';
import type { QueryPlan } from '../execution/plan-types.js';

interface HiveModule {
  QueryPlanner: new (supergraphSdl: string) => {
    plan(
      query: string,
      operationName: string | undefined | null,
      activeLabels: Set<string>,
      percentage: number,
    ): unknown;
  };
}

let loading: Promise<HiveModule | Error> | undefined;

/**
 * Hive Router's query planner (`@graphql-hive/router-query-planner`, a native Node addon with
 * prebuilt binaries for Linux and macOS on x64 and arm64), loaded on first use; an Error saying
 * why where it does not load (another platform, a missing binary).
 */
export function loadHivePlanner(): Promise<HiveModule | Error> {
  loading ??= import('@graphql-hive/router-query-planner').then(
    (module) =>
      typeof (module as Partial<HiveModule>).QueryPlanner === 'function'
        ? (module as HiveModule)
        : new Error('@graphql-hive/router-query-planner has no QueryPlanner export'),
    (error: unknown) => new Error(`@graphql-hive/router-query-planner does not load: ${(error as Error).message}`),
  );
  return loading;
}

/** Hive's planner for one supergraph, its plans in the router executor's plan types. */
export class HivePlanner {
  private readonly planner: InstanceType<HiveModule['QueryPlanner']>;

  constructor(module: HiveModule, supergraphSdl: string) {
    this.planner = new module.QueryPlanner(supergraphSdl);
  }

  /** The plan of `query` (one operation, by name if several), or an error (Hive's own, or UnsupportedHivePlan). */
  plan(query: string, operationName: string | undefined): QueryPlan {
    const plan = this.planner.plan(query, operationName ?? null, new Set(), 0) as HiveQueryPlan;
    return fromHivePlan(plan);
  }
}
