import type { Logger } from 'pino';
import type { QueryPlan } from '../execution/plan-types.js';
import { HivePlanner, loadHivePlanner } from './hive.js';
import { apolloPlanDoubts, hasContextRewrites, supergraphFacts, type SupergraphFacts } from './supergraph-facts.js';

/**
 * Which query planner plans what the router's executor runs (ROUTER_PLANNER):
 * - `auto` (default): `@apollo/query-planner`, and Hive Router's planner where Apollo's throws or
 *   its plan is known to be wrong (src/planner/supergraph-facts.ts);
 * - `hive`: Hive's first, Apollo's where Hive's cannot be run (an error, a node the executor does
 *   not run, `@fromContext`, which Hive's planner does not pass);
 * - `apollo`: `@apollo/query-planner` alone.
 */
export type PlannerSetting = 'auto' | 'hive' | 'apollo';
export const PLANNER_SETTINGS: readonly PlannerSetting[] = ['auto', 'hive', 'apollo'];

export type PlannerName = 'apollo' | 'hive';

/**
 * `@apollo/query-planner`'s own safety limits (recursive selections, non-local selections, options
 * per selection): an operation it refuses for them is refused, not handed to the other planner.
 */
const PLANNING_LIMIT =
  /Exceeded maximum recursive selections|non-local selections exceeds limit|Too many options generated/;

export interface ChosenPlan {
  plan: QueryPlan;
  planner: PlannerName;
}

/** One supergraph as the planners see it (a reload brings a new one). */
interface PlanningState {
  facts: SupergraphFacts;
  /** Built when first needed (about 45 ms for this repository's supergraph), undefined until then. */
  hive?: HivePlanner | Error;
  supergraphSdl: string;
}

export class OperationPlanner {
  private hiveModule: Awaited<ReturnType<typeof loadHivePlanner>> | undefined;
  private readonly states = new WeakMap<object, PlanningState>();
  private warnedNoSdl = false;

  constructor(
    readonly setting: PlannerSetting,
    private readonly logger: Logger,
  ) {
    if (setting === 'apollo') return;
    // Loaded once at start (a native addon: milliseconds); operations planned before it is there use Apollo's planner.
    void loadHivePlanner().then((loaded) => {
      this.hiveModule = loaded;
      if (loaded instanceof Error)
        logger.warn({ err: loaded }, "Hive's query planner is not available: @apollo/query-planner plans everything");
    });
  }

  private state(planner: object, supergraphSdl: string | undefined): PlanningState | undefined {
    let state = this.states.get(planner);
    if (state) return state;
    if (supergraphSdl === undefined) {
      if (!this.warnedNoSdl)
        this.logger.warn('Apollo Gateway does not show its supergraph: @apollo/query-planner plans everything');
      this.warnedNoSdl = true;
      return undefined;
    }
    // Not loaded yet, or not loadable: Apollo's planner alone.
    if (this.hiveModule === undefined || this.hiveModule instanceof Error) return undefined;
    state = { facts: supergraphFacts(supergraphSdl), supergraphSdl };
    this.states.set(planner, state);
    return state;
  }

  private hiveFor(state: PlanningState): HivePlanner | undefined {
    if (!state.hive && this.hiveModule && !(this.hiveModule instanceof Error)) {
      try {
        state.hive = new HivePlanner(this.hiveModule, state.supergraphSdl);
      } catch (error) {
        state.hive = error as Error;
        this.logger.warn(
          { err: error },
          "Hive's query planner refuses this supergraph: @apollo/query-planner plans it",
        );
      }
    }
    return state.hive instanceof HivePlanner ? state.hive : undefined;
  }

  /**
   * The plan of one operation. `apollo` builds `@apollo/query-planner`'s; `planner` (Apollo
   * Gateway's planner object) identifies the supergraph, `supergraphSdl` is what it plans on.
   */
  plan(args: {
    planner: object;
    supergraphSdl: string | undefined;
    query: () => string;
    operationName: string | undefined;
    apollo: () => QueryPlan;
  }): ChosenPlan {
    if (this.setting === 'apollo') return { plan: args.apollo(), planner: 'apollo' };
    const state = this.state(args.planner, args.supergraphSdl);
    if (!state) return { plan: args.apollo(), planner: 'apollo' };
    const tryHive = (): QueryPlan | undefined => {
      const hive = this.hiveFor(state);
      if (!hive) return undefined;
      try {
        return hive.plan(args.query(), args.operationName);
      } catch (error) {
        this.logger.debug({ err: error }, "Hive's planner could not plan the operation");
        return undefined;
      }
    };

    if (this.setting === 'hive') {
      const hivePlan = tryHive();
      if (!hivePlan) return { plan: args.apollo(), planner: 'apollo' };
      // Hive's plans pass no @fromContext values: where Apollo's plan does, it is the right one.
      if (state.facts.hasContexts) {
        let apolloPlan: QueryPlan | undefined;
        try {
          apolloPlan = args.apollo();
        } catch {
          apolloPlan = undefined;
        }
        if (apolloPlan && hasContextRewrites(apolloPlan)) return { plan: apolloPlan, planner: 'apollo' };
      }
      return { plan: hivePlan, planner: 'hive' };
    }

    let apolloPlan: QueryPlan;
    try {
      apolloPlan = args.apollo();
    } catch (error) {
      // Where fields take @fromContext arguments Hive's plan could silently drop them.
      const refused = PLANNING_LIMIT.test((error as Error).message) || state.facts.hasContexts;
      const hivePlan = refused ? undefined : tryHive();
      if (hivePlan) return { plan: hivePlan, planner: 'hive' };
      throw error;
    }
    if (hasContextRewrites(apolloPlan)) return { plan: apolloPlan, planner: 'apollo' };
    const doubts = apolloPlanDoubts(apolloPlan, state.facts);
    if (doubts.length === 0) return { plan: apolloPlan, planner: 'apollo' };
    const hivePlan = tryHive();
    if (!hivePlan) return { plan: apolloPlan, planner: 'apollo' };
    this.logger.debug({ doubts }, "planned by Hive's planner: @apollo/query-planner's plan would answer wrongly");
    return { plan: hivePlan, planner: 'hive' };
  }
}
