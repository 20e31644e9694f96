import { createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import { clustersOf } from './clusters.js';
import type { Context } from './context.js';
import { resolvers } from './resolvers.js';

export interface GatewayDeps {
  mongo: MongoStore;
}

export function createGatewaySubgraph(deps: GatewayDeps) {
  const clusters = clustersOf(deps.mongo.db);
  return createSubgraph<Context>({
    name: 'gateway',
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.mongo.ping(),
    context: (base) => ({ ...base, clusters }),
  });
}
