import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { unauthenticated } from '@dataos/errors';
import type { BaseContext } from './context.js';

/** What may not appear in a quoted header value (RFC 7230 quoted-string). */
// eslint-disable-next-line no-control-regex
const UNQUOTABLE = /["\\\u0000-\u001f\u007f]/g;

/** Root fields anyone may ask for: schema introspection and federation's SDL for tooling. */
const PUBLIC_ROOT_FIELDS = ['__schema', '__type', '__typename', '_service'];

function onlyPublicFields(selectionSet: SelectionSetNode, allowed: ReadonlySet<string>): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return allowed.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return onlyPublicFields(selection.selectionSet, allowed);
    return false; // fragment spreads: be strict
  });
}

export function isPublicOperation(
  operation: OperationDefinitionNode,
  allowed: ReadonlySet<string> = new Set(PUBLIC_ROOT_FIELDS),
): boolean {
  return operation.operation === 'query' && onlyPublicFields(operation.selectionSet, allowed);
}

/**
 * Zero trust: a subgraph answers no data to a caller without a valid token, whatever the
 * router decided. Introspection and `_service` stay open so tools can read the schema.
 */
export function requireAuthenticationPlugin(publicRootFields: readonly string[] = []): ApolloServerPlugin<BaseContext> {
  const allowed = new Set([...PUBLIC_ROOT_FIELDS, ...publicRootFields]);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (contextValue.principal || (operation && isPublicOperation(operation, allowed))) return;
          const refused = contextValue.tokenError;
          // RFC 6750: 401 with a challenge, so a client knows to (re)authenticate.
          const challenge = refused
            ? `Bearer error="invalid_token", error_description="${refused.message.replace(UNQUOTABLE, ' ').slice(0, 300)}"`
            : 'Bearer';
          const http = { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) };
          throw refused
            ? unauthenticated(refused.message, { reason: refused.reason, http })
            : unauthenticated(undefined, { http });
        },
      };
    },
  };
}
