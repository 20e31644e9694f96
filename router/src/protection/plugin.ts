import type {
  ApolloServerPlugin,
  GraphQLRequestContextDidResolveOperation,
  GraphQLRequestListener,
} from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import {
  OperationDocument,
  checkLimits,
  measureOperation,
  type CostDirectives,
  type OperationLimits,
} from '@dataos/operation-walker';
import type { RouterContext } from '../context.js';
import { RouterErrorCode, requestError } from '../errors.js';
import type { OperationCache, PreparedOperation } from '../operations.js';

/** The limit a prepared operation breaks with these variables, if any (the error to answer). */
export function limitsRefusal(
  prepared: PreparedOperation,
  variables: Record<string, unknown> | undefined,
  limits: OperationLimits,
  costsFor: (schema: GraphQLSchema) => CostDirectives,
) {
  // List sizes from variables: measured again with this request's.
  const shape = prepared.shape.costDependsOnVariables
    ? measureOperation(prepared.walked, limits.defaultListSize, variables ?? {}, costsFor(prepared.schema))
    : prepared.shape;
  return checkLimits(shape, limits);
}

/**
 * Once the operation is known (parsed and validated, cached by Apollo Server per query):
 * prepares it once per document (its shape, later its authorization analysis) and refuses it
 * when it breaks a limit, before anything is planned or fetched. The measure walks the document,
 * not its expansion, so this is the first pass that may see a fragment bomb and the one that stops it.
 * The cost honours the supergraph's `@cost` and `@listSize` (`costsFor`: the API schema lacks them).
 */
export function operationLimitsPlugin(
  operations: OperationCache,
  limits: OperationLimits,
  costsFor: (schema: GraphQLSchema) => CostDirectives,
  /** Told of each document that passed (src/http/fast-path.ts serves its next requests). */
  onAccepted?: (
    query: string | undefined,
    operationName: string | null | undefined,
    queryHash: string,
    prepared: PreparedOperation,
  ) => void,
): ApolloServerPlugin<RouterContext> {
  // One listener for every request: it keeps no per-request state.
  const listener: GraphQLRequestListener<RouterContext> = {
    async didResolveOperation(requestContext: GraphQLRequestContextDidResolveOperation<RouterContext>) {
      const { document, operation, schema, queryHash, contextValue, request } = requestContext;
      if (!operation) return;
      // Validation accepts an operation whose root type is missing; execution would fail with a 500.
      if (operation.operation === 'subscription') {
        throw requestError(
          'This router serves subscriptions over WebSocket (graphql-transport-ws) at /graphql, or over HTTP with `Accept: text/event-stream` (Server-Sent Events) or `Accept: multipart/mixed;subscriptionSpec=1.0`; not as a plain JSON request.',
          RouterErrorCode.SubscriptionNotSupported,
        );
      }
      if (!schema.getRootType(operation.operation)) {
        throw requestError(`The graph has no ${operation.operation} type.`, RouterErrorCode.OperationNotSupported);
      }
      const prepared = operations.get(queryHash, request.operationName, document, schema, () => {
        const walked = new OperationDocument(schema, document, operation);
        return {
          schema,
          document,
          operation,
          walked,
          shape: measureOperation(walked, limits.defaultListSize, undefined, costsFor(schema)),
        };
      });
      contextValue.prepared = prepared;
      const refusal = limitsRefusal(prepared, request.variables, limits, costsFor);
      if (refusal) throw refusal;
      onAccepted?.(request.query, request.operationName, queryHash, prepared);
    },
  };
  return { requestDidStart: async () => listener };
}
