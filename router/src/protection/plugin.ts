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
import type { OperationCache } from '../operations.js';

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
): ApolloServerPlugin<RouterContext> {
  // One listener for every request: it keeps no per-request state.
  const listener: GraphQLRequestListener<RouterContext> = {
    async didResolveOperation(requestContext: GraphQLRequestContextDidResolveOperation<RouterContext>) {
      const { document, operation, schema, queryHash, contextValue, request } = requestContext;
      if (!operation) return;
      // Validation accepts an operation whose root type is missing; execution would fail with a 500.
      if (operation.operation === 'subscription') {
        throw requestError(
          'This router does not serve subscriptions yet: poll with a query instead.',
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
      // List sizes from variables: measured again with this request's.
      const shape = prepared.shape.costDependsOnVariables
        ? measureOperation(prepared.walked, limits.defaultListSize, request.variables ?? {}, costsFor(schema))
        : prepared.shape;
      const refusal = checkLimits(shape, limits);
      if (refusal) throw refusal;
    },
  };
  return { requestDidStart: async () => listener };
}
