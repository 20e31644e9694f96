import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { ApolloGateway } from '@apollo/gateway';
import { RouterErrorCode } from '../errors.js';
import type { RouterContext } from '../context.js';
import type { ExecutionTarget } from '../execution/executor.js';
import { Lru } from '@dataos/cache';
import type { PreparedAuthz, PreparedOperation } from '../operations.js';
import { analyzeOperation, requirementsFor } from './analyze.js';
import { headerRefusal, unauthenticatedError, type TokenRefusal } from './authenticate.js';
import { OperationDocument, isSkipped } from '@dataos/operation-walker';
import type { DecisionCache } from './decision-cache.js';
import { deniedKey, type CallerAuthorization } from './evaluate.js';
import { filterOperation, type FilteredOperation } from './filter.js';
import { EMPTY_INDEX, indexIsEmpty, type AuthzIndex, type Requirement } from './requirements.js';
import { patchResponse } from './response.js';

type GatewayLoad = Awaited<ReturnType<ApolloGateway['load']>>;
export type GatewayExecutor = NonNullable<GatewayLoad['executor']>;
export type GatewayRequestContext = Parameters<GatewayExecutor>[0];
export type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** Filtered versions kept per document (LRU): one per distinct set of denied requirements. */
const MAX_FILTERED_PER_DOCUMENT = 32;

/** The part of a prepared operation authorization reads and fills in. */
type Authorizable = Pick<PreparedOperation, 'schema' | 'document' | 'operation' | 'authz'> & ExecutionTarget;

/** The walker's view of a target, made once and kept on it. */
function walkedOf(target: Authorizable): OperationDocument {
  if (!target.walked || target.walked.schema !== target.schema)
    target.walked = new OperationDocument(target.schema, target.document, target.operation);
  return target.walked;
}

/** A number per authorization index, for plan-cache keys of filtered documents. */
const generations = new WeakMap<AuthzIndex, number>();
let nextGeneration = 0;
function generationOf(index: AuthzIndex): number {
  let generation = generations.get(index);
  if (generation === undefined) generations.set(index, (generation = ++nextGeneration));
  return generation;
}

/** Runs an operation (the one sent or its authorized part) for a request; undefined: let Apollo Gateway. */
export type RunOperation = (
  requestContext: GatewayRequestContext,
  target: ExecutionTarget,
) => Promise<GatewayResult | undefined>;

export interface AuthorizerOptions {
  /** The router's own executor, tried before Apollo Gateway's. */
  run?: RunOperation;
  decisions: DecisionCache;
  /** Refuse the whole operation instead of removing what is not allowed. */
  rejectUnauthorized: boolean;
  /** The authorization index of the supergraph a schema was built from. */
  indexFor: (schema: GraphQLSchema) => AuthzIndex;
  onDenied?: (count: number) => void;
}

/**
 * Why a field was removed, when a `@policy` decided it: the policy names Heimdall denied the
 * caller (ask Heimdall's `decide` with one of them for the deciding Heimdall policies). Absent
 * for `@authenticated` / `@requiresScopes` alone, and when Heimdall could not be asked (`reason`).
 */
function deniedPolicies(requirement: Requirement | undefined, caller: CallerAuthorization) {
  if (!requirement?.policies.length || caller.unavailable) return {};
  const denied = [...new Set(requirement.policies.flat(2))].filter((name) => caller.policies.get(name) !== true);
  return denied.length ? { policy: { denied, decidedBy: 'heimdall' } } : {};
}

export function unauthorizedError(
  path: readonly (string | number)[],
  caller: CallerAuthorization,
  reject: boolean,
  requirement?: Requirement,
): GraphQLError {
  return new GraphQLError('Unauthorized field or type', {
    path,
    extensions: {
      code: RouterErrorCode.UnauthorizedFieldOrType,
      ...(caller.unavailable ? { reason: caller.reason } : {}),
      ...deniedPolicies(requirement, caller),
      ...(reject ? { http: { status: 403 } } : {}),
    },
  });
}

/** The whole request refused for its credentials, before planning: nothing is fetched. */
function refuseCredentials(context: RouterContext, refusal: TokenRefusal): GatewayResult {
  context.tokenRefusal = refusal.reason;
  return { errors: [unauthenticatedError(refusal)] };
}

/**
 * Authentication and authorization before planning. A presented token that is not valid
 * refuses the request whole (401, `UNAUTHENTICATED`). For an operation that touches
 * `@authenticated`, `@requiresScopes` or `@policy`, asks Heimdall once (through the decision cache), removes
 * what the caller may not see from the document Apollo Gateway plans (so no subgraph is asked
 * for it), then answers `null` and an `UNAUTHORIZED_FIELD_OR_TYPE` error at each removed path.
 */
export class OperationAuthorizer {
  constructor(private readonly options: AuthorizerOptions) {}

  /**
   * The authorization of a prepared operation for the directives its schema has now: computed
   * on first use, and again (a new object) when a reload changed the directives alone.
   */
  authzOf(prepared: Authorizable): PreparedAuthz {
    const index = this.options.indexFor(prepared.schema) ?? EMPTY_INDEX;
    const current = prepared.authz;
    if (current && current.index === index) return current;
    const authz: PreparedAuthz = {
      index,
      generation: generationOf(index),
      analysis: analyzeOperation(requirementsFor(prepared.schema, index), walkedOf(prepared)),
      filtered: new Lru(MAX_FILTERED_PER_DOCUMENT),
    };
    prepared.authz = authz;
    return authz;
  }

  /** The analysis of a prepared operation, computed on first use. */
  analysisOf(prepared: Authorizable) {
    return this.authzOf(prepared).analysis;
  }

  wrap(executor: GatewayExecutor): GatewayExecutor {
    return (requestContext) => this.execute(requestContext, executor);
  }

  private async run(
    requestContext: GatewayRequestContext,
    executor: GatewayExecutor,
    target: ExecutionTarget,
  ): Promise<GatewayResult> {
    return (await this.options.run?.(requestContext, target)) ?? executor(requestContext);
  }

  /**
   * What the request runs: the operation the limits plugin prepared, or (should it be missing
   * or be for another document or schema) one analyzed here and now: never run unchecked.
   */
  private targetOf(requestContext: GatewayRequestContext): Authorizable {
    const prepared = (requestContext.context as RouterContext).prepared;
    const { document, operation, schema } = requestContext;
    if (prepared && prepared.document === document && prepared.schema === schema && prepared.operation === operation)
      return prepared;
    return { document, operation, schema };
  }

  async execute(requestContext: GatewayRequestContext, executor: GatewayExecutor): Promise<GatewayResult> {
    const context = requestContext.context as RouterContext;
    const prepared = this.targetOf(requestContext);
    const authz = this.authzOf(prepared);
    const { analysis } = authz;
    // A supergraph with authorization directives makes the router the judge of tokens: one that
    // is presented is checked whatever the operation (introspection and __typename too).
    const checksToken = context.authorization !== undefined && !indexIsEmpty(authz.index);
    if (!checksToken && analysis.sites.size === 0) return this.run(requestContext, executor, prepared);

    if (checksToken) {
      const refusal = headerRefusal(context.authorization!);
      if (refusal) return refuseCredentials(context, refusal);
    }
    const caller = await this.options.decisions.authorize(
      context.authorization,
      analysis.policyNames,
      context.requestId,
    );
    if (caller.invalidToken) return refuseCredentials(context, caller.invalidToken);
    if (analysis.sites.size === 0) return this.run(requestContext, executor, prepared);

    const key = deniedKey(analysis.requirements, caller);
    if (key === undefined) return this.run(requestContext, executor, prepared);

    let filtered = authz.filtered.get(key, 0);
    if (!filtered) {
      filtered = filterOperation(
        walkedOf(prepared),
        analysis,
        [...key].map((c) => c === '1'),
      );
      authz.filtered.set(key, filtered);
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
      errors.push(unauthorizedError(removal.path, caller, reject, analysis.requirements[removal.requirement]));
    }
    this.options.onDenied?.(errors.length);
    if (reject && errors.length) return { errors };
    return this.executeFiltered(requestContext, executor, filtered, `${authz.generation}:${key}`, errors, variables);
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
        // Apollo Gateway caches plans by query hash: the filtered document gets its own.
        queryHash: `${requestContext.queryHash}:authz:${key}`,
      },
      executor,
      filtered,
    );
    const data = patchResponse(
      result.data as Record<string, unknown> | null | undefined,
      filtered.patch,
      variables,
      filtered.defaults,
    );
    const all = [...errors, ...(result.errors ?? [])];
    const { errors: _previous, ...rest } = result;
    return {
      ...rest,
      ...(result.data !== undefined ? { data } : {}),
      ...(all.length ? { errors: all } : {}),
    };
  }
}
