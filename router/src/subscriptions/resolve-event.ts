import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { patchResponse } from '../authz/response.js';
import type { RouterContext } from '../context.js';
import { RouterErrorCode } from '../errors.js';
import { blameFetch, deepMerge, executeNode, type PlanRun } from '../execution/execute-plan.js';
import { shapeResponse } from '../execution/shape.js';
import type { PreparedSubscription } from './prepare.js';

type Json = Record<string, unknown>;

/** A subgraph's error on its event, tagged with the subgraph as query errors are. */
function upstreamError(error: NonNullable<FormattedExecutionResult['errors']>[number], serviceName: string) {
  return new GraphQLError(error.message || `Error in the subscription of service "${serviceName}"`, {
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...error.extensions, code: error.extensions?.code ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName },
  });
}

/**
 * One event as the client receives it: the subgraph's payload for the primary fetch, the plan's
 * `rest` run on it by the router's executor (entity fetches batched as for queries: one fetch per
 * subgraph for the whole event), shaped to the operation, nulls and errors put where fields were
 * removed for the caller.
 */
export async function resolveEvent(
  subscription: PreparedSubscription,
  context: RouterContext,
  event: FormattedExecutionResult,
): Promise<ExecutionResult> {
  const { compiled, variables, internals, authzErrors } = subscription;
  const serviceMap = internals.serviceMap ?? {};
  const run: PlanRun = {
    supergraphSchema: internals.supergraphSchema!,
    dataSourceFor: (name) => serviceMap[name]?.dataSource,
    context,
    incomingRequestContext: { context },
    variables,
    variableDefaults: compiled.shaper.defaults,
    errors: (event.errors ?? []).map((e) => upstreamError(e, compiled.primary.serviceName)),
    fetched: [],
  };
  const input = Object.create(null) as Json;
  if (event.data) {
    deepMerge(input, event.data);
    if (compiled.rest) await executeNode(run, compiled.rest, { path: [], data: input, fullResult: input });
  }
  const shaped = shapeResponse(compiled.shaper, input, variables, (path, value) => blameFetch(run, input, path, value));
  for (const error of shaped.errors)
    if (error.extensions.code === RouterErrorCode.SubgraphInvalidResponse) run.errors.push(error);
  const { filtered } = compiled;
  const data = filtered ? patchResponse(shaped.data, filtered.patch, variables, filtered.defaults) : shaped.data;
  const errors = [...authzErrors, ...run.errors];
  return { data: data ?? null, ...(errors.length ? { errors } : {}) };
}

/** The cursor of an event when the operation selects `cursor` on its root field: the event's id for resuming. */
export function eventCursor(event: FormattedExecutionResult, rootKey: string): string | undefined {
  const root = event.data?.[rootKey];
  const cursor = root && typeof root === 'object' ? (root as Json).cursor : undefined;
  return typeof cursor === 'string' && cursor.length <= 512 ? cursor : undefined;
}
