import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { Authorizer } from './authz/authorize.js';
import type { RouterContext } from './context.js';

type Gateway = ApolloServerOptionsWithGateway<RouterContext>['gateway'];

/** The gateway as Apollo Server sees it, with authorization (and the router's executor) in front of its executor. */
export function authorizingGateway(gateway: ApolloGateway, authorizer: Authorizer): Gateway {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    load: async (options) => {
      const loaded = await gateway.load(options);
      return { ...loaded, executor: loaded.executor ? authorizer.wrap(loaded.executor) : null };
    },
    stop: () => gateway.stop(),
  };
}
