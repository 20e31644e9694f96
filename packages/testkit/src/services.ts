import { createHeimdallSubgraph } from '@dataos/heimdall';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import { uniqueId } from './ids.js';
import { createPolicies, type TestPolicy } from './policies.js';

/**
 * Real subgraphs for tests, on ephemeral ports against the shared devstack: a subgraph's tests
 * start it (and Heimdall, which every subgraph asks) with these instead of wiring servers,
 * databases and clean-up by hand.
 */

/** A MongoDB database of its own on the devstack (`<SERVICE>_MONGO_DB` ignored), dropped by `drop()`. */
export interface TestMongo extends MongoStore {
  drop(): Promise<void>;
}

export async function testMongo(
  service: 'HEIMDALL' | 'GATEWAY' | 'CARETAKER',
  prefix = `${service.toLowerCase()}_test_`,
): Promise<TestMongo> {
  const store = await mongoFromEnv(service, uniqueId(prefix), { ...process.env, [`${service}_MONGO_DB`]: undefined });
  return {
    ...store,
    async drop() {
      await store.db.dropDatabase();
      await store.close();
    },
  };
}

/** What `createXSubgraph(...)` returns: something that listens, and perhaps holds resources to close. */
interface Listenable {
  listen(port: number): Promise<{ url: string; port: number; stop(): Promise<void> }>;
  close?(): Promise<void>;
}

export interface ServedSubgraph<S extends Listenable> {
  /** Its /graphql. */
  url: string;
  port: number;
  subgraph: S;
  /** Stops the server, closes the subgraph, then runs `cleanup` in order (drops, removals). */
  stop(): Promise<void>;
}

/** Serves a created subgraph on port 0; `stop` also closes it and runs the given clean-ups. */
export async function serveTestSubgraph<S extends Listenable>(
  subgraph: S,
  ...cleanup: (() => Promise<unknown>)[]
): Promise<ServedSubgraph<S>> {
  const running = await subgraph.listen(0);
  return {
    url: running.url,
    port: running.port,
    subgraph,
    async stop() {
      await running.stop();
      await subgraph.close?.();
      for (const step of cleanup) await step();
    },
  };
}

export type HeimdallSubgraph = Awaited<ReturnType<typeof createHeimdallSubgraph>>;

export interface TestHeimdall extends ServedSubgraph<HeimdallSubgraph> {
  mongo: TestMongo;
  /** Creates more policies through Heimdall's API, as carol (admin). */
  addPolicies(policies: TestPolicy[]): Promise<void>;
}

/**
 * A real Heimdall in process on its own MongoDB database (dropped on stop), polling for changes
 * every 100 ms, with `policies` created through its API as carol before it is returned.
 */
export async function startTestHeimdall(
  options: {
    policies?: TestPolicy[];
    prefix?: string;
    settings?: Parameters<typeof createHeimdallSubgraph>[0]['settings'];
  } = {},
): Promise<TestHeimdall> {
  const mongo = await testMongo('HEIMDALL', options.prefix);
  const heimdall = await createHeimdallSubgraph({
    mongo,
    pollMs: 100,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const served = await serveTestSubgraph(heimdall, () => mongo.drop());
  const addPolicies = (policies: TestPolicy[]) => createPolicies(served.url, policies);
  if (options.policies?.length) await addPolicies(options.policies);
  return { ...served, mongo, addPolicies };
}
