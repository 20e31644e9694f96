import { operationFromDocument } from '@apollo/federation-internals';
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { Lru } from '@dataos/cache';
import { OperationDocument, checkLimits, measureOperation, type CostDirectives } from '@dataos/operation-walker';
import type { ApolloInternals } from '../apollo/internals.js';
import { unauthenticatedError, headerRefusal } from '../authz/authenticate.js';
import type { OperationAuthorizer } from '../authz/authorize.js';
import { unauthorizedError } from '../authz/authorize.js';
import type { DecisionCache } from '../authz/decision-cache.js';
import { deniedKey, type CallerAuthorization } from '../authz/evaluate.js';
import { filterOperation, type FilteredOperation } from '../authz/filter.js';
import { indexIsEmpty } from '../authz/requirements.js';
import type { RouterConfig } from '../config.js';
import { RouterErrorCode, requestError } from '../errors.js';
import type { FetchNode, PlanNode } from '../execution/plan-types.js';
import { compileShaper, type ResponseShaper } from '../execution/shape.js';
import type { PreparedOperation } from '../operations.js';

/** What a client sends to subscribe, on every transport. */
export interface SubscriptionRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The caller as every transport knows it: headers of the request or of connection_init. */
export interface Caller {
  authorization?: string;
  requestId: string;
  traceparent?: string;
  tracestate?: string;
  clientHeaders: Record<string, string | undefined>;
}

/** A subscription's plan for one caller's standing: the primary fetch, the rest run per event. */
export interface CompiledSubscription {
  primary: FetchNode;
  rest?: PlanNode;
  shaper: ResponseShaper;
  /** Set when fields were removed for the caller: where to put back nulls. */
  filtered?: FilteredOperation;
  /** Response key of the root field (the subgraph's event is `{ [rootKey]: ... }`). */
  rootKey: string;
}

/** A subscription ready to open: everything checked, nothing asked of any subgraph yet. */
export interface PreparedSubscription {
  compiled: CompiledSubscription;
  variables: Record<string, unknown>;
  /** Errors every event carries: the fields removed for this caller. */
  authzErrors: GraphQLError[];
  /** The `@policy` names and requirements the operation needs, for re-checks while it runs. */
  base: PreparedBase;
  /** The denied-requirements key at subscribe (undefined: nothing denied). */
  deniedKey: string | undefined;
  /** Whether the operation touches anything protected (re-checks matter only then). */
  protected: boolean;
  internals: Partial<ApolloInternals>;
}

/** What is worked out once per (document, operation name, schema) whoever subscribes. */
export interface PreparedBase extends PreparedOperation {
  planner: unknown;
  /** Compiled plans by denied-requirements key ('' when nothing is denied). */
  compiled: Map<string, CompiledSubscription>;
}

export type Prepared =
  | { kind: 'subscription'; subscription: PreparedSubscription }
  | { kind: 'operation' }
  | { kind: 'refused'; errors: GraphQLError[] };

export interface PreparerOptions {
  internals: () => Partial<ApolloInternals> | undefined;
  authorizer: OperationAuthorizer;
  decisions: DecisionCache;
  limits: RouterConfig['limits'];
  costsFor: (schema: GraphQLSchema) => CostDirectives;
  rejectUnauthorized: boolean;
}

const MAX_DOCUMENTS = 500;
const MAX_PLANS_PER_DOCUMENT = 32;

const refused = (...errors: GraphQLError[]) => ({ kind: 'refused' as const, errors });

/**
 * Checks a subscription as a query is checked, in the same order: parse (token limit),
 * validation, the operation walker's limits, authentication and the same authorization
 * analysis and Heimdall call; then plans it with the supergraph's query planner
 * (`SubscriptionNode { primary, rest }`). A refused subscribe opens nothing at any subgraph.
 */
export class SubscriptionPreparer {
  private readonly documents = new Lru<string, PreparedBase>(MAX_DOCUMENTS);

  constructor(private readonly options: PreparerOptions) {}

  async prepare(request: SubscriptionRequest, caller: Caller): Promise<Prepared> {
    const internals = this.options.internals();
    const schema = internals?.schema;
    if (!internals || !schema || !internals.queryPlanner || !internals.apiSchema)
      return refused(
        requestError(
          "Subscriptions run on the router's executor, which is off (ROUTER_EXECUTOR=apollo, or the supergraph is loading).",
          RouterErrorCode.OperationNotSupported,
          503,
        ),
      );
    if (typeof request.query !== 'string' || request.query.length === 0)
      return refused(requestError('The request has no query.', RouterErrorCode.BadRequest));

    const key = `${request.operationName ?? ''}\u0000${request.query}`;
    let base = this.documents.get(key, 0);
    if (!base || base.schema !== schema || base.planner !== internals.queryPlanner) {
      const made = this.parse(request, schema, internals.queryPlanner);
      if (!('walked' in made)) return made;
      base = made;
      this.documents.set(key, base);
    }
    if (base.operation.operation !== 'subscription') return { kind: 'operation' };

    const { limits, costsFor } = this.options;
    const rawVariables = request.variables ?? {};
    const shape = base.shape.costDependsOnVariables
      ? measureOperation(base.walked, limits.defaultListSize, rawVariables, costsFor(schema))
      : base.shape;
    const over = checkLimits(shape, limits);
    if (over) return refused(over);
    const coerced = getVariableValues(schema, base.operation.variableDefinitions ?? [], rawVariables);
    if (coerced.errors) return refused(...coerced.errors);

    // Authentication and authorization, as OperationAuthorizer does for queries.
    const authz = this.options.authorizer.authzOf(base);
    const { analysis } = authz;
    const checksToken = caller.authorization !== undefined && !indexIsEmpty(authz.index);
    let denied: string | undefined;
    let caller$: CallerAuthorization | undefined;
    if (checksToken) {
      const refusal = headerRefusal(caller.authorization!);
      if (refusal) return refused(unauthenticatedError(refusal));
    }
    if (checksToken || analysis.sites.size > 0) {
      caller$ = await this.options.decisions.authorize(caller.authorization, analysis.policyNames, caller.requestId);
      if (caller$.invalidToken) return refused(unauthenticatedError(caller$.invalidToken));
      denied = analysis.sites.size > 0 ? deniedKey(analysis.requirements, caller$) : undefined;
    }

    let compiled = base.compiled.get(denied ?? '');
    let filtered: FilteredOperation | undefined;
    if (denied !== undefined) {
      filtered =
        compiled?.filtered ??
        filterOperation(
          base.walked,
          analysis,
          [...denied].map((c) => c === '1'),
        );
    }
    const authzErrors: GraphQLError[] = [];
    if (filtered) {
      const seen = new Set<string>();
      for (const removal of filtered.removals) {
        const id = removal.path.join('\u0000');
        if (seen.has(id)) continue;
        seen.add(id);
        authzErrors.push(
          unauthorizedError(
            removal.path,
            caller$!,
            this.options.rejectUnauthorized,
            analysis.requirements[removal.requirement],
          ),
        );
      }
      // The root field itself refused: there is nothing to subscribe to (and nothing is opened).
      if (filtered.removals.some((r) => r.path.length === 1) || (this.options.rejectUnauthorized && authzErrors.length))
        return refused(...authzErrors);
    }
    if (!compiled) {
      try {
        compiled = this.compile(internals, base, filtered, request.operationName ?? undefined);
      } catch (error) {
        return refused(
          error instanceof GraphQLError
            ? error
            : requestError(
                `The subscription cannot be planned: ${(error as Error).message}`,
                RouterErrorCode.OperationNotSupported,
              ),
        );
      }
      // One plan per distinct set of denied requirements, as for queries: bounded all the same.
      if (base.compiled.size >= MAX_PLANS_PER_DOCUMENT) base.compiled.clear();
      base.compiled.set(denied ?? '', compiled);
    }
    return {
      kind: 'subscription',
      subscription: {
        compiled,
        variables: rawVariables,
        authzErrors,
        base,
        deniedKey: denied,
        protected: analysis.sites.size > 0,
        internals,
      },
    };
  }

  private parse(
    request: SubscriptionRequest,
    schema: GraphQLSchema,
    planner: unknown,
  ): PreparedBase | Extract<Prepared, { kind: 'refused' }> {
    const { limits, costsFor } = this.options;
    let document: DocumentNode;
    try {
      document = parse(request.query, limits.maxTokens > 0 ? { maxTokens: limits.maxTokens } : {});
    } catch (error) {
      return refused(
        new GraphQLError((error as GraphQLError).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
      );
    }
    const errors = validate(schema, document, undefined, { maxErrors: 10 });
    if (errors.length)
      return refused(
        ...errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })),
      );
    const operation: OperationDefinitionNode | null | undefined = getOperationAST(document, request.operationName);
    if (!operation)
      return refused(
        requestError(
          request.operationName
            ? `The document has no operation named "${request.operationName}".`
            : 'The document has several operations: say which with operationName.',
          'OPERATION_RESOLUTION_FAILURE',
        ),
      );
    const walked = new OperationDocument(schema, document, operation);
    return {
      schema,
      document,
      operation,
      walked,
      shape: measureOperation(walked, limits.defaultListSize, undefined, costsFor(schema)),
      planner,
      compiled: new Map(),
    };
  }

  private compile(
    internals: Partial<ApolloInternals>,
    base: PreparedBase,
    filtered: FilteredOperation | undefined,
    operationName: string | undefined,
  ): CompiledSubscription {
    const document = filtered?.document ?? base.document;
    const operation = filtered?.operation ?? base.operation;
    const walked = filtered ? new OperationDocument(base.schema, document, operation) : base.walked;
    const plan = internals.queryPlanner!.buildQueryPlan(
      operationFromDocument(internals.apiSchema as never, document, { operationName }),
    );
    const node = plan.node as { kind: string; primary?: FetchNode; rest?: PlanNode } | undefined;
    if (node?.kind !== 'Subscription' || !node.primary)
      throw new Error(`the planner gave a ${node?.kind ?? 'empty'} plan, not a subscription`);
    const root = operation.selectionSet.selections.find((s) => s.kind === 'Field');
    if (!root || root.kind !== 'Field') throw new Error('the subscription selects no field');
    return {
      primary: node.primary,
      ...(node.rest ? { rest: node.rest } : {}),
      shaper: compileShaper(walked),
      ...(filtered ? { filtered } : {}),
      rootKey: root.alias?.value ?? root.name.value,
    };
  }
}
