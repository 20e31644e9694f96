import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { unauthenticated } from '@dataos/errors';
import type { BaseContext } from './context.js';

/** Root fields anyone may ask for: schema introspection and federation's SDL for tooling. */
const PUBLIC_ROOT_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

function onlyPublicFields(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return PUBLIC_ROOT_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return onlyPublicFields(selection.selectionSet);
    return false; // fragment spreads: be strict
  });
}

export function isPublicOperation(operation: OperationDefinitionNode): boolean {
  return operation.operation === 'query' && onlyPublicFields(operation.selectionSet);
}

/**
 * Zero trust: a subgraph answers no data to a caller without a valid token, whatever the
 * router decided. Introspection and `_service` stay open so tools can read the schema.
 */
export function requireAuthenticationPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!contextValue.principal && !(operation && isPublicOperation(operation))) {
            throw unauthenticated();
          }
        },
      };
    },
  };
}
