import { createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { Neo4jStore } from '@dataos/stores';
import type { Context } from './context.js';
import { resolvers } from './resolvers.js';
import { CatalogStore } from './store/catalog.js';
import { createLoaders } from './store/loaders.js';

export interface MetisDeps {
  neo4j: Neo4jStore;
}

export async function createMetisSubgraph(deps: MetisDeps) {
  const store = new CatalogStore(deps.neo4j);
  await store.migrate();
  return createSubgraph<Context>({
    name: 'metis',
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.neo4j.ping(),
    context: (base) => ({ ...base, store, loaders: createLoaders(store) }),
  });
}
