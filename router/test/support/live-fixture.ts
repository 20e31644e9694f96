import { pino } from 'pino';
import { configFromEnv, startRouter, type Router, type RouterConfig } from '@dataos/router';
import {
  composeSupergraph,
  routerCredentialsEnv,
  startTestSubgraph,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';
import {
  CATALOG_RESOLVERS,
  CATALOG_SDL,
  REVIEWS_RESOLVERS,
  REVIEWS_SDL,
  startHeimdall,
  type TestHeimdall,
} from './fixture.js';
import { LIVE_SDL, startLiveSubgraph, type LiveSubgraph } from './live-subgraph.js';

export interface LiveFixture {
  live: LiveSubgraph;
  catalog: TestSubgraph;
  reviews: TestSubgraph;
  heimdall: TestHeimdall;
  supergraph: SupergraphFile;
  router(env?: Record<string, string>, overrides?: Partial<RouterConfig>): Promise<Router>;
  stop(): Promise<void>;
}

/**
 * The router fixture's catalog and reviews subgraphs, plus a subgraph that owns `Subscription`
 * over graphql-ws, composed into one supergraph, and a real Heimdall with `test-operators`.
 */
export async function startLiveFixture(): Promise<LiveFixture> {
  const live = await startLiveSubgraph();
  const catalog = await startTestSubgraph({ name: 'catalog', typeDefs: CATALOG_SDL, resolvers: CATALOG_RESOLVERS });
  const reviews = await startTestSubgraph({ name: 'reviews', typeDefs: REVIEWS_SDL, resolvers: REVIEWS_RESOLVERS });
  const supergraph = await writeSupergraphFile(
    composeSupergraph([
      { name: 'catalog', url: catalog.url, typeDefs: CATALOG_SDL },
      { name: 'reviews', url: reviews.url, typeDefs: REVIEWS_SDL },
      { name: 'live', url: live.url, typeDefs: LIVE_SDL },
    ]),
  );
  const heimdall = await startHeimdall();
  const routers: Router[] = [];
  return {
    live,
    catalog,
    reviews,
    heimdall,
    supergraph,
    async router(env = {}, overrides = {}) {
      const router = await startRouter(
        {
          ...configFromEnv({ HEIMDALL_URL: heimdall.url, ...routerCredentialsEnv(), ...env }),
          port: 0,
          supergraphPath: supergraph.path,
          ...overrides,
        },
        pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      );
      routers.push(router);
      return router;
    },
    async stop() {
      await Promise.all(routers.map((r) => r.stop()));
      await Promise.all([live.stop(), catalog.stop(), reviews.stop()]);
      await heimdall.stop();
      await supergraph.remove();
    },
  };
}
