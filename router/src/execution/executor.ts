import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument } from '@apollo/federation-internals';
import {
  GraphQLError,
  getVariableValues,
  print,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ApolloInternals } from '../apollo/internals.js';
import type { Logger } from 'pino';
import { OperationDocument } from '@dataos/operation-walker';
import { OperationPlanner, type PlannerName } from '../planner/choose.js';
import { RouterErrorCode } from '../errors.js';
import { blameFetch, executePlan, type PlanRun } from './execute-plan.js';
import { isPlainPlan, type QueryPlan } from './plan-types.js';
import { NotCompilable, compileShaper, shapeResponse, type ResponseShaper } from './shape.js';

type GatewayExecutor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;
type GatewayRequestContext = Parameters<GatewayExecutor>[0];
type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** What the router prepares once per (document, schema) to run an operation itself. */
export interface CompiledExecution {
  /** The planner it was planned with: a reload brings a new one. */
  planner: unknown;
  plan: QueryPlan;
  /** Which query planner made `plan` (src/planner/choose.ts). */
  plannedBy: PlannerName;
  shaper: ResponseShaper;
}

/** An operation as the router runs it (the one sent, or its authorized part). */
export interface ExecutionTarget {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The document as the walker resolved it, when already at hand. */
  walked?: OperationDocument;
  /** null: left to Apollo Gateway's executor (introspection, @defer, rewrites, ...). */
  execution?: CompiledExecution | null;
}

/** Where the executor reads Apollo Gateway's plans and data sources: `src/apollo/`'s checked view. */
export interface InternalsSource {
  /** undefined: the router's executor must not run (ROUTER_EXECUTOR=apollo, or the start-up check failed). */
  internals(): Partial<ApolloInternals> | undefined;
}

/**
 * Runs operations on Apollo Gateway's query plans without its per-request work: the
 * plan and a compiled response shaper are kept with each document (no re-parsing, no plan
 * cache lookup by hash, no operation model rebuilt per request), fetches go through the same
 * data sources, and results are merged and shaped as `@apollo/gateway` does. Anything it does
 * not handle (introspection, @defer, subscriptions, entity rewrites) goes to Apollo Gateway.
 */
export class PlanExecutor {
  constructor(
    private readonly source: InternalsSource,
    private readonly logger: Logger,
    private readonly planner = new OperationPlanner('apollo', logger),
  ) {}

  private compile(
    internals: Partial<ApolloInternals>,
    target: ExecutionTarget,
    schema: GraphQLSchema,
    operationName: string | undefined,
  ): CompiledExecution | null | undefined {
    const { queryPlanner, apiSchema } = internals;
    if (!queryPlanner || !apiSchema || schema !== internals.schema) return undefined; // mid-reload: Apollo Gateway decides
    if (target.execution !== undefined && (target.execution === null || target.execution.planner === queryPlanner))
      return target.execution;
    let execution: CompiledExecution | null;
    try {
      const walked =
        target.walked?.schema === schema
          ? target.walked
          : new OperationDocument(schema, target.document, target.operation);
      const shaper = compileShaper(walked);
      const operation = operationFromDocument(apiSchema as never, target.document, { operationName });
      const { plan, planner } = this.planner.plan({
        planner: queryPlanner,
        supergraphSdl: internals.supergraphSdl,
        query: () => print(target.document),
        operationName,
        apollo: () =>
          queryPlanner.buildQueryPlan(operation, {
            recursiveSelectionsLimitDisabled: process.env.APOLLO_DISABLE_SECURITY_RECURSIVE_SELECTIONS_CHECK === 'true',
            nonLocalSelectionsLimitDisabled: process.env.APOLLO_DISABLE_SECURITY_NON_LOCAL_SELECTIONS_CHECK === 'true',
          }),
      });
      execution = isPlainPlan(plan) ? { planner: queryPlanner, plan, plannedBy: planner, shaper } : null;
    } catch (error) {
      if (!(error instanceof NotCompilable))
        this.logger.debug({ err: error }, 'operation left to the Apollo Gateway executor');
      execution = null;
    }
    target.execution = execution;
    return execution;
  }

  /** Runs `target` for this request, or undefined when Apollo Gateway's executor must. */
  async execute(requestContext: GatewayRequestContext, target: ExecutionTarget): Promise<GatewayResult | undefined> {
    const { request } = requestContext;
    const internals = this.source.internals();
    if (!internals) return undefined;
    const execution = this.compile(internals, target, requestContext.schema, request.operationName);
    if (!execution) return undefined;
    const { supergraphSchema, serviceMap } = internals;
    if (!supergraphSchema || !serviceMap) return undefined;

    const variables = (request.variables ?? {}) as Record<string, unknown>;
    if (target.operation.variableDefinitions?.length) {
      const coerced = getVariableValues(requestContext.schema, target.operation.variableDefinitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    const run: PlanRun = {
      supergraphSchema,
      dataSourceFor: (name) => serviceMap[name]?.dataSource,
      context: requestContext.context,
      incomingRequestContext: requestContext,
      variables,
      variableDefaults: execution.shaper.defaults,
      errors: [],
      fetched: [],
    };
    const root = execution.plan.node;
    const input = await executePlan(run, root && root.kind !== 'Subscription' ? root : undefined);
    let shaped: ReturnType<typeof shapeResponse>;
    try {
      shaped = shapeResponse(execution.shaper, input, variables, (path, value) => blameFetch(run, input, path, value));
    } catch (error) {
      return { errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] };
    }
    // Value-completion problems go to extensions as Apollo Gateway puts them; a subgraph's
    // wrong-shaped value is the subgraph's error, answered with the others.
    const completion: GraphQLError[] = [];
    for (const error of shaped.errors) {
      if (error.extensions.code === RouterErrorCode.SubgraphInvalidResponse) run.errors.push(error);
      else completion.push(error);
    }
    if (run.errors.length === 0 && completion.length > 0) {
      return { data: shaped.data, extensions: { valueCompletion: completion } };
    }
    return run.errors.length === 0 ? { data: shaped.data } : { errors: run.errors, data: shaped.data };
  }
}
