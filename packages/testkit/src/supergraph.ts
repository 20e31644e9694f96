import { fileURLToPath } from 'node:url';
import { createCaretakerSubgraph } from '@dataos/caretaker';
import { createGatewaySubgraph } from '@dataos/gateway';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { createMetisSubgraph } from '@dataos/metis';
import { createOdinSubgraph } from '@dataos/odin';
import { configFromEnv, startRouter } from '@dataos/router';
import { neo4jFromEnv, type MongoStore, type Neo4jStore } from '@dataos/stores';
import { pino } from 'pino';
import { routerCredentialsEnv } from './router-env.js';
import { testMongo } from './services.js';

const SUPERGRAPH = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));

export interface TestSupergraph {
  /** The router's /graphql. */
  url: string;
  /** Heimdall's /graphql (also in HEIMDALL_URL while this supergraph runs). */
  heimdallUrl: string;
  subgraphUrls: Record<string, string>;
  neo4j: Neo4jStore;
  mongo: Record<'heimdall' | 'gateway' | 'caretaker', MongoStore>;
  stop(): Promise<void>;
}

/**
 * The whole supergraph on ephemeral ports against the shared devstack: real HTTP between the
 * router and each subgraph, MongoDB isolated by database name (dropped on stop). Heimdall starts
 * first with only its bootstrap policy; tests add policies through its API as carol (admin).
 */
export async function startTestSupergraph(): Promise<TestSupergraph> {
  const neo4j = neo4jFromEnv('METIS');
  const mongo = {
    heimdall: await testMongo('HEIMDALL'),
    gateway: await testMongo('GATEWAY'),
    caretaker: await testMongo('CARETAKER'),
  };
  // Heimdall first: every other subgraph asks it for decisions (HeimdallClient reads HEIMDALL_URL).
  const heimdall = await createHeimdallSubgraph({ mongo: mongo.heimdall, pollMs: 100 });
  const heimdallRunning = await heimdall.listen(0);
  process.env.HEIMDALL_URL = heimdallRunning.url;
  // Metis before the Gateway: the Gateway reads column tags from it.
  const metisRunning = await (await createMetisSubgraph({ neo4j })).listen(0);
  // Odin before the Gateway too: the Gateway asks it for the columns' concepts. Odin asks Metis
  // which datasets the caller may see; a test may put a proxy in between (METIS_URL).
  const odinRunning = await (
    await createOdinSubgraph({ neo4j, metisUrl: process.env.METIS_URL ?? metisRunning.url })
  ).listen(0);
  const gateway = await createGatewaySubgraph({
    mongo: mongo.gateway,
    metisUrl: metisRunning.url,
    odinUrl: odinRunning.url,
    healthIntervalMs: 0,
  });
  const subgraphs = {
    gateway,
    caretaker: await createCaretakerSubgraph({ mongo: mongo.caretaker }),
  };
  const running = [
    ['heimdall', heimdallRunning] as const,
    ['metis', metisRunning] as const,
    ['odin', odinRunning] as const,
    ...(await Promise.all(Object.entries(subgraphs).map(async ([name, s]) => [name, await s.listen(0)] as const))),
  ];
  const subgraphUrls = Object.fromEntries(running.map(([name, r]) => [name, r.url]));
  const router = await startRouter(
    {
      ...configFromEnv({ HEIMDALL_URL: heimdallRunning.url, ...routerCredentialsEnv() }),
      port: 0,
      supergraphPath: SUPERGRAPH,
      subgraphUrls,
    },
    pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  );
  return {
    url: router.url,
    heimdallUrl: heimdallRunning.url,
    subgraphUrls,
    neo4j,
    mongo,
    async stop() {
      await router.stop();
      await Promise.all(running.map(([, r]) => r.stop()));
      await heimdall.close();
      await gateway.close();
      for (const store of Object.values(mongo)) await store.drop();
      await neo4j.close();
    },
  };
}
