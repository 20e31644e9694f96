import { HeimdallClient } from '@dataos/heimdall-client';
import { createSubgraph, CursorCodec, loadTypeDefs } from '@dataos/subgraph-kit';
import type { Neo4jStore } from '@dataos/stores';
import type { Context } from './context.js';
import { DatasetAccess } from './dataset-access.js';
import { resolvers } from './resolvers/index.js';
import { metisSettingsFromEnv, type MetisSettings } from './settings.js';
import { CatalogStore } from './store/catalog.js';
import { createLoaders } from './store/loaders.js';
import { migrate } from './store/migrate.js';
import { CatalogWriter } from './store/writes.js';

export interface MetisDeps {
  neo4j: Neo4jStore;
  /** One per process; defaults to HEIMDALL_URL (http://localhost:4001/graphql). */
  heimdall?: HeimdallClient;
  /** By default read from the environment (src/settings.ts), a bad value failing before the store is touched. */
  settings?: MetisSettings;
}

export async function createMetisSubgraph(deps: MetisDeps) {
  const settings = deps.settings ?? metisSettingsFromEnv();
  const { cursorKey } = await migrate(deps.neo4j);
  const store = new CatalogStore(deps.neo4j);
  const writer = new CatalogWriter(deps.neo4j);
  const heimdall = deps.heimdall ?? new HeimdallClient(settings.heimdall);
  const cursors = new CursorCodec(settings.cursorKey ?? cursorKey);
  return createSubgraph<Context>({
    name: 'metis',
    settings: settings.kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.neo4j.ping(),
    context: (base) => {
      const session = heimdall.session(base.token, base.requestId);
      return {
        ...base,
        store,
        writer,
        cursors,
        loaders: createLoaders(store),
        heimdall: session,
        access: new DatasetAccess(session, settings.listAuthz),
      };
    },
  });
}
