import { HeimdallClient } from '@dataos/heimdall-client';
import { createLogger, createSubgraph, CursorCodec, loadTypeDefs, type Logger } from '@dataos/subgraph-kit';
import type { Neo4jStore } from '@dataos/stores';
import type { Context } from './context.js';
import { DatasetAccess } from './dataset-access.js';
import { resolvers } from './resolvers/index.js';
import { metisSettingsFromEnv, type MetisSettings } from './settings.js';
import { CatalogStore } from './store/catalog.js';
import { createLoaders } from './store/loaders.js';
import { migrate } from './store/migrate.js';
import { CatalogWriter } from './store/writes.js';
import { ScanService } from './scan/service.js';
import { ScanStore } from './scan/store.js';
import { UsageStore } from './usage/store.js';
import { profileGatewayFromEnv, type ProfileGateway } from './profile/from-env.js';
import { readerMasks } from './profile/resolvers.js';
import { ProfileService } from './profile/service.js';
import { ProfileStore } from './profile/store.js';

export interface MetisDeps {
  neo4j: Neo4jStore;
  /** One per process; defaults to HEIMDALL_URL (http://localhost:4001/graphql). */
  heimdall?: HeimdallClient;
  /** By default read from the environment (src/settings.ts), a bad value failing before the store is touched. */
  settings?: MetisSettings;
  /** Default: the kit's pino logger on stdout (tests pass one to read what was logged). */
  logger?: Logger;
  /** The Gateway profiles run through; default: METIS_GATEWAY_URL with the service client from the environment. */
  profiles?: ProfileGateway;
}

export async function createMetisSubgraph(deps: MetisDeps) {
  const settings = deps.settings ?? metisSettingsFromEnv();
  const { cursorKey } = await migrate(deps.neo4j);
  const store = new CatalogStore(deps.neo4j);
  const writer = new CatalogWriter(deps.neo4j);
  const heimdall = deps.heimdall ?? new HeimdallClient(settings.heimdall);
  const cursors = new CursorCodec(settings.cursorKey ?? cursorKey);
  const scanStore = new ScanStore(deps.neo4j);
  await scanStore.migrate();
  const usage = new UsageStore(deps.neo4j);
  await usage.migrate();
  const logger = deps.logger ?? createLogger('metis', settings.kit.logLevel);
  const scanService = new ScanService(settings.scans, { writer, store: scanStore, logger });
  const profileStore = new ProfileStore(deps.neo4j);
  await profileStore.migrate();
  const profileGateway = deps.profiles ?? profileGatewayFromEnv(settings.profiles.gatewayUrl, logger);
  const profileService = profileGateway
    ? new ProfileService({
        ...profileGateway,
        store: profileStore,
        catalog: store,
        logger,
        schedules: settings.profiles.schedules,
        retryMs: settings.profiles.retryMs,
      })
    : null;
  const subgraph = await createSubgraph<Context>({
    name: 'metis',
    settings: settings.kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.neo4j.ping(),
    logger,
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
        scans: { service: scanService, store: scanStore, neo4j: deps.neo4j },
        usage,
        profiles: {
          service: profileService,
          store: profileStore,
          readerMasks: profileGateway ? readerMasks(profileGateway.gateway, base.token) : null,
        },
      };
    },
  });
  // Scheduled scans run while the subgraph listens, and are waited for when it stops.
  const listen = subgraph.listen.bind(subgraph);
  subgraph.listen = async (...args) => {
    const running = await listen(...args);
    scanService.start();
    profileService?.start();
    return {
      ...running,
      stop: async () => {
        await scanService.stop();
        await profileService?.stop();
        await running.stop();
      },
    };
  };
  return subgraph;
}
