import DataLoader from 'dataloader';
import { createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { Neo4jStore } from '@dataos/stores';
import type { Context } from './context.js';
import { resolvers } from './resolvers.js';
import { OntologyStore, type ConceptRecord } from './store/ontology.js';

export interface OdinDeps {
  neo4j: Neo4jStore;
}

export async function createOdinSubgraph(deps: OdinDeps) {
  const store = new OntologyStore(deps.neo4j);
  await store.migrate();
  return createSubgraph<Context>({
    name: 'odin',
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.neo4j.ping(),
    context: (base) => ({
      ...base,
      store,
      conceptsOfDataset: new DataLoader<string, ConceptRecord[]>(async (urns) => {
        const rows = await store.conceptsOfDatasets(urns);
        return urns.map((u) => rows.filter((r) => r.urn === u).map(({ urn: _u, ...c }) => c));
      }),
    }),
  });
}
