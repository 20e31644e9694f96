import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { ApolloGateway } from '@apollo/gateway';
import { RouterErrorCode } from '../errors.js';
import type { RouterContext } from '../context.js';
import type { ExecutionTarget } from '../execution/executor.js';
import type { PreparedOperation } from '../operations.js';
import { analyzeOperation, requirementsFor } from './analyze.js';
import { isSkipped } from './conditions.js';
import type { DecisionCache } from './decision-cache.js';
import { deniedKey, type CallerAuthorization } from './evaluate.js';
import { filterOperation, type FilteredOperation } from './filter.js';
import { EMPTY_INDEX, type AuthzIndex } from './requirements.js';
import { patchResponse } from './response.js';

type GatewayLoad = Awaited<ReturnType<ApolloGateway['load']>>;
export type GatewayExecutor = NonNullable<GatewayLoad['executor']>;
export type GatewayRequestContext = Parameters<GatewayExecutor>[0];
export type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** Filtered versions kept per document: one per distinct set of denied requirements. */
const MAX_FILTERED_PER_DOCUMENT = 32;

/** Runs an operation (the one sent or its authorized part) for a request; undefined: let the gateway. */
export type RunOperation = (requestContext: GatewayRequestContext, target: ExecutionTarget) => Promise<GatewayResult | undefined>;

export interface AuthorizerOptions {
  /** The router's own executor, tried before the gateway's. */
  run?: RunOperation;
  decisions: DecisionCache;
  /** Refuse the whole operation instead of removing what is not allowed. */
  rejectUnauthorized: boolean;
  /** The authorization index of the supergraph a schema was built from. */
  indexFor: (schema: GraphQLSchema) => AuthzIndex;
  onDenied?: (count: number) => void;
}

export function unauthorizedError(path: readonly (string | number)[], caller: CallerAuthorization, reject: boolean): GraphQLError {
  return new GraphQLError('Unauthorized field or type', {
    path,
    extensions: {
      code: RouterErrorCode.UnauthorizedFieldOrType,
      ...(caller.unavailable ? { reason: caller.reason } : {}),
      ...(reject ? { http: { status: 403 } } : {}),
    },
  });
}

/**
 * Authorization before planning. For an operation that touches `@authenticated`,
 * `@requiresScopes` or `@policy`, asks Heimdall once (through the decision cache), removes
 * what the caller may not see from the document the gateway plans (so no subgraph is asked
 * for it), then answers `null` and an `UNAUTHORIZED_FIELD_OR_TYPE` error at each removed path.
 */
export class Authorizer {
  constructor(private readonly options: AuthorizerOptions) {}

  /** The analysis of a prepared operation, computed on first use. */
  analysisOf(prepared: PreparedOperation) {
    if (!prepared.authz) {
      const index = this.options.indexFor(prepared.schema);
      prepared.authz = analyzeOperation(requirementsFor(prepared.schema, index ?? EMPTY_INDEX), prepared.document, prepared.operation);
    }
    return prepared.authz;
  }

  wrap(executor: GatewayExecutor): GatewayExecutor {
    return (requestContext) => this.execute(requestContext, executor);
  }

  private async run(requestContext: GatewayRequestContext, executor: GatewayExecutor, target: ExecutionTarget): Promise<GatewayResult> {
    return (await this.options.run?.(requestContext, target)) ?? executor(requestContext);
  }

  async execute(requestContext: GatewayRequestContext, executor: GatewayExecutor): Promise<GatewayResult> {
    const context = requestContext.context as RouterContext;
    const prepared = context.prepared;
    if (!prepared) return executor(requestContext);
    const analysis = this.analysisOf(prepared);
    if (analysis.sites.size === 0) return this.run(requestContext, executor, prepared);

    const caller = await this.options.decisions.authorize(context.authorization, analysis.policyNames, context.requestId);
    const key = deniedKey(analysis.requirements, caller);
    if (key === undefined) return this.run(requestContext, executor, prepared);

    let filtered = prepared.filtered.get(key);
    if (!filtered) {
      filtered = filterOperation(
        prepared.schema,
        prepared.document,
        prepared.operation,
        analysis,
        [...key].map((c) => c === '1'),
      );
      if (prepared.filtered.size < MAX_FILTERED_PER_DOCUMENT) prepared.filtered.set(key, filtered);
    }
    // Removed selections that @skip/@include leave out anyway get neither null nor error.
    const variables = (requestContext.request.variables ?? {}) as Record<string, unknown>;
    const paths = new Set<string>();
    const errors: GraphQLError[] = [];
    const reject = this.options.rejectUnauthorized;
    for (const removal of filtered.removals) {
      if (removal.conditions && isSkipped(removal.conditions, variables, filtered.defaults)) continue;
      const id = removal.path.join('\u0000');
      if (paths.has(id)) continue;
      paths.add(id);
      errors.push(unauthorizedError(removal.path, caller, reject));
    }
    this.options.onDenied?.(errors.length);
    if (reject && errors.length) return { errors };
    return this.executeFiltered(requestContext, executor, filtered, key, errors, variables);
  }

  private async executeFiltered(
    requestContext: GatewayRequestContext,
    executor: GatewayExecutor,
    filtered: FilteredOperation,
    key: string,
    errors: GraphQLError[],
    variables: Record<string, unknown>,
  ): Promise<GatewayResult> {
    const result = await this.run(
      {
        ...requestContext,
        document: filtered.document,
        operation: filtered.operation,
        // The gateway caches plans by query hash: the filtered document gets its own.
        queryHash: `${requestContext.queryHash}:authz:${key}`,
      },
      executor,
      filtered,
    );
    const data = patchResponse(result.data as Record<string, unknown> | null | undefined, filtered.patch, variables, filtered.defaults);
    const all = [...errors, ...(result.errors ?? [])];
    const { errors: _previous, ...rest } = result;
    return {
      ...rest,
      ...(result.data !== undefined ? { data } : {}),
      ...(all.length ? { errors: all } : {}),
    };
  }
}
