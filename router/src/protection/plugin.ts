import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation, GraphQLRequestListener } from '@apollo/server';
import type { RouterContext } from '../context.js';
import type { OperationCache } from '../operations.js';
import { checkLimits, measureOperation, type OperationLimits } from './limits.js';

/**
 * Once the operation is known (parsed and validated, cached by Apollo Server per query):
 * prepares it once per document (its shape, later its authorization analysis) and refuses it
 * when it breaks a limit, before anything is planned or fetched.
 */
export function operationLimitsPlugin(operations: OperationCache, limits: OperationLimits): ApolloServerPlugin<RouterContext> {
  // One listener for every request: it keeps no per-request state.
  const listener: GraphQLRequestListener<RouterContext> = {
    async didResolveOperation(requestContext: GraphQLRequestContextDidResolveOperation<RouterContext>) {
      const { document, operation, schema, queryHash, contextValue, request } = requestContext;
      if (!operation) return;
      const prepared = operations.get(queryHash, request.operationName, document, schema, () => ({
        schema,
        document,
        operation,
        shape: measureOperation(schema, document, operation, limits.defaultListSize),
      }));
      contextValue.prepared = prepared;
      const cost = prepared.shape.costDependsOnVariables
        ? measureOperation(schema, document, operation, limits.defaultListSize, request.variables ?? {}).cost
        : prepared.shape.cost;
      const refusal = checkLimits(prepared.shape, limits, cost);
      if (refusal) throw refusal;
    },
  };
  return { requestDidStart: async () => listener };
}
