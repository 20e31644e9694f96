import { createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import type { Context } from './context.js';
import { resolvers } from './resolvers.js';

export interface HeimdallDeps {
  mongo: MongoStore;
}

export function createHeimdallSubgraph(deps: HeimdallDeps) {
  return createSubgraph<Context>({
    name: 'heimdall',
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.mongo.ping(),
  });
}
