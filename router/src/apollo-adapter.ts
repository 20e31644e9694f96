import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { OperationAuthorizer } from './authz/authorize.js';
import type { RouterContext } from './context.js';

/** What Apollo Server calls its `gateway` option: schema loading plus an executor. */
type ApolloServerEngine = ApolloServerOptionsWithGateway<RouterContext>['gateway'];

/**
 * Apollo Gateway (`@apollo/gateway`) as Apollo Server sees it, with authorization (and the
 * router's executor) in front of its executor. "Gateway" alone means the Gateway subgraph in
 * this repository; the library is always named Apollo Gateway.
 */
export function withAuthorization(apollo: ApolloGateway, authorizer: OperationAuthorizer): ApolloServerEngine {
  return {
    onSchemaLoadOrUpdate: (callback) => apollo.onSchemaLoadOrUpdate(callback),
    load: async (options) => {
      const loaded = await apollo.load(options);
      return { ...loaded, executor: loaded.executor ? authorizer.wrap(loaded.executor) : null };
    },
    stop: () => apollo.stop(),
  };
}
