import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import {
  OperationDocument,
  checkLimits,
  costDirectivesOfSchema,
  measureOperation,
  type CostDirectives,
  type OperationLimits,
  type OperationShape,
} from '@dataos/operation-walker';
import { ErrorCode } from '@dataos/errors';
import type { BaseContext } from './context.js';

/**
 * Zero trust for the operation itself: a subgraph reached directly (not through the router)
 * refuses what the router refuses, with the same walker, settings and codes. Runs before the
 * token is looked at, since a document costs its work whoever sends it. The cost honours the
 * `@cost` and `@listSize` the subgraph's own schema declares.
 */
export function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin<BaseContext> {
  const check = operationLimitsChecker(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          if (!schema.getRootType(operation.operation)) {
            const code =
              operation.operation === 'subscription'
                ? ErrorCode.SubscriptionNotSupported
                : ErrorCode.OperationNotSupported;
            throw new GraphQLError(`This service has no ${operation.operation} type.`, {
              extensions: { code, http: { status: 400 } },
            });
          }
          if (operation.operation === 'subscription') {
            // Apollo Server would run it as a query, with no `subscribe` behind its fields.
            throw new GraphQLError(
              'Subscriptions are served over WebSocket (graphql-transport-ws) at this path, not over HTTP.',
              { extensions: { code: ErrorCode.SubscriptionNotSupported, http: { status: 400 } } },
            );
          }
          const refusal = check(schema, document, operation, request.variables);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * The walk and check of an operation against the limits, with shapes remembered per parsed
 * document: queries over HTTP and subscriptions over WebSocket are measured by the same code.
 */
export function operationLimitsChecker(limits: OperationLimits) {
  // Apollo Server hands out one parsed document per query string (its document cache).
  const shapes = new WeakMap<DocumentNode, Map<string, { walked: OperationDocument; shape: OperationShape }>>();
  const costsBySchema = new WeakMap<GraphQLSchema, CostDirectives>();
  const costsOf = (schema: GraphQLSchema) => {
    let costs = costsBySchema.get(schema);
    if (!costs) costsBySchema.set(schema, (costs = costDirectivesOfSchema(schema)));
    return costs;
  };
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): GraphQLError | null => {
    let byName = shapes.get(document);
    if (!byName) shapes.set(document, (byName = new Map()));
    const name = operation.name?.value ?? '';
    let prepared = byName.get(name);
    const costs = costsOf(schema);
    if (!prepared) {
      const walked = new OperationDocument(schema, document, operation);
      byName.set(
        name,
        (prepared = { walked, shape: measureOperation(walked, limits.defaultListSize, undefined, costs) }),
      );
    }
    // List sizes from variables: measured again with this request's.
    const shape = prepared.shape.costDependsOnVariables
      ? measureOperation(prepared.walked, limits.defaultListSize, variables ?? {}, costs)
      : prepared.shape;
    return checkLimits(shape, limits) ?? null;
  };
}
