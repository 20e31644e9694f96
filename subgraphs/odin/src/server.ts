import { HeimdallClient } from '@dataos/heimdall-client';
import { createSubgraph, loadTypeDefs, StoreActivity } from '@dataos/subgraph-kit';
import type { Neo4jStore } from '@dataos/stores';
import type { Context } from './context.js';
import { createLoaders } from './loaders.js';
import { MetisCatalog } from './metis.js';
import { resolvers } from './resolvers.js';
import { odinSettingsFromEnv, type OdinSettings } from './settings.js';
import { OntologyStore } from './store/ontology.js';
import { OntologyWriter } from './store/writer.js';

export interface OdinDeps {
  neo4j: Neo4jStore;
  /** Where decisions come from; defaults to HEIMDALL_URL (read when the subgraph is created). */
  heimdall?: HeimdallClient;
  /** Which datasets exist for the caller; defaults to METIS_URL (or `metisUrl`). */
  metis?: MetisCatalog;
  metisUrl?: string;
  /** By default read from the environment (src/settings.ts), a bad value failing before the store is touched. */
  settings?: OdinSettings;
}

export async function createOdinSubgraph(deps: OdinDeps) {
  const settings = deps.settings ?? odinSettingsFromEnv();
  const store = new OntologyStore(deps.neo4j);
  const writer = new OntologyWriter(deps.neo4j);
  const heimdall = deps.heimdall ?? new HeimdallClient(settings.heimdall);
  const metis = deps.metis ?? new MetisCatalog({ ...settings.metis, ...(deps.metisUrl ? { url: deps.metisUrl } : {}) });
  await store.migrate();
  return createSubgraph<Context>({
    name: 'odin',
    settings: settings.kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.neo4j.ping(),
    context: (base) => {
      // Metis batches wait until this request's Neo4j reads of a wave have all answered, so
      // sibling fields share one Metis call whatever the order their answers arrive in.
      const activity = new StoreActivity();
      const tracked = activity.wrap(store);
      return {
        ...base,
        store: tracked,
        writer,
        heimdall: heimdall.session(base.token, base.requestId),
        metis: metis.session(base.token, base.requestId, activity.schedule),
        loaders: createLoaders(tracked),
      };
    },
  });
}
