import { createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import type { Context } from './context.js';
import { ensurePodIndexes, podsOf } from './pods.js';
import { resolvers } from './resolvers.js';

export interface CaretakerDeps {
  mongo: MongoStore;
}

export async function createCaretakerSubgraph(deps: CaretakerDeps) {
  await ensurePodIndexes(deps.mongo.db);
  const pods = podsOf(deps.mongo.db);
  return createSubgraph<Context>({
    name: 'caretaker',
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.mongo.ping(),
    context: (base) => ({ ...base, pods }),
  });
}
