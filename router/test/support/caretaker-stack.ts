import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createCaretakerSubgraph, LocalFolderArchiveStore } from '@dataos/caretaker';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph, seedCatalog } from '@dataos/metis';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import { neo4jFromEnv } from '@dataos/stores';
import {
  CARETAKER_OPERATORS_POLICY,
  routerCredentialsEnv,
  serveTestSubgraph,
  startTestHeimdall,
  testMongo,
  uniqueId,
  type ServedSubgraph,
  type TestHeimdall,
} from '@dataos/testkit';
import { seedPolicy } from '../../../packages/testkit/src/caretaker.js';

const SUPERGRAPH = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));

type Caretaker = Awaited<ReturnType<typeof createCaretakerSubgraph>>;

export interface CaretakerStack {
  heimdall: TestHeimdall;
  /** Caretaker replicas on one database. */
  caretakers: ServedSubgraph<Caretaker>[];
  /** Router i sends Caretaker's fields (and subscriptions) to replica i. */
  routers: Router[];
  /** A Metis workflow of this run, with an owner: what each event's `resource` joins. */
  workflow: { urn: string; name: string; owner: string };
  stop(): Promise<void>;
}

/**
 * The real Heimdall (its seed's caretaker and Metis policies), Metis on the shared Neo4j with one
 * workflow of this run, `replicas` Caretakers on one MongoDB database, and one router per
 * replica, all over real HTTP and WebSockets.
 */
export async function startCaretakerStack(
  options: { replicas?: number; routerEnv?: Record<string, string> } = {},
): Promise<CaretakerStack> {
  const heimdall = await startTestHeimdall({
    policies: [CARETAKER_OPERATORS_POLICY, seedPolicy('metis-api-users')],
  });
  const id = uniqueId('rs');
  const workflow = { name: `${id}-orders`, urn: `dataos://workflow:retail/${id}-orders`, owner: `teams:id:${id}-team` };
  const neo4j = neo4jFromEnv('METIS');
  await seedCatalog(neo4j, {
    people: {},
    domains: [],
    glossary: [],
    sources: [],
    datasets: [],
    lineage: [],
    runs: [],
    resources: [
      {
        kind: 'WORKFLOW',
        workspace: 'retail',
        name: workflow.name,
        version: 'v1',
        state: 'active',
        description: 'A workflow of the router subscription tests.',
        owner: workflow.owner,
        tags: [],
      },
    ],
  });
  const metis = await serveTestSubgraph(
    await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient({ url: heimdall.url }) }),
  );
  const mongo = await testMongo('CARETAKER', 'caretaker_router_test_');
  const archive = await mkdtemp(path.join(os.tmpdir(), 'router-subs-'));
  const caretakers: ServedSubgraph<Caretaker>[] = [];
  for (let i = 0; i < (options.replicas ?? 2); i++) {
    caretakers.push(
      await serveTestSubgraph(
        await createCaretakerSubgraph({
          mongo,
          heimdall: new HeimdallClient({ url: heimdall.url }),
          archive: new LocalFolderArchiveStore(archive),
          livePollMs: 50,
        }),
      ),
    );
  }
  const routers: Router[] = [];
  for (const caretaker of caretakers) {
    routers.push(
      await startRouter(
        {
          ...configFromEnv({
            HEIMDALL_URL: heimdall.url,
            // Two cores shared by many test processes: the service token may take a while.
            HEIMDALL_TIMEOUT_MS: '10000',
            ...routerCredentialsEnv(),
            ...options.routerEnv,
          }),
          port: 0,
          supergraphPath: SUPERGRAPH,
          subgraphUrls: { heimdall: heimdall.url, metis: metis.url, caretaker: caretaker.url },
        },
        pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
      ),
    );
  }
  return {
    heimdall,
    caretakers,
    routers,
    workflow,
    async stop() {
      await Promise.all(routers.map((r) => r.stop()));
      for (const caretaker of caretakers) await caretaker.stop();
      await metis.stop();
      await neo4j.driver.executeQuery(
        `MATCH (n) WHERE (n:Resource OR n:Owner) AND (coalesce(n.urn, '') CONTAINS $id OR coalesce(n.id, '') CONTAINS $id) DETACH DELETE n`,
        { id },
        { database: neo4j.database },
      );
      await neo4j.close();
      await mongo.drop();
      await heimdall.stop();
      await rm(archive, { recursive: true, force: true });
    },
  };
}
