import { createSubgraph, createLogger, loadTypeDefs } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import { ensureBootstrap } from './bootstrap.js';
import type { Context } from './context.js';
import { PolicyIndex } from './policy-index.js';
import { resolvers } from './resolvers.js';
import { collectionsOf, migrate } from './store/collections.js';
import { DecisionLog } from './store/decision-log.js';
import { PolicyRepository } from './store/policies.js';
import { UserTagRepository } from './store/user-tags.js';
import { VersionCounter } from './store/version.js';

export interface HeimdallDeps {
  mongo: MongoStore;
  /** How often replicas look for policy changes made elsewhere (HEIMDALL_POLL_MS, 1000). */
  pollMs?: number;
  /** How often a replica reloads everything whatever the version says (HEIMDALL_FULL_RELOAD_MS, 300000; 0 disables). */
  fullReloadMs?: number;
}

export async function createHeimdallSubgraph(deps: HeimdallDeps) {
  const logger = createLogger('heimdall');
  await migrate(deps.mongo.db, {
    sizeBytes: Number(process.env.HEIMDALL_DECISION_LOG_BYTES ?? 256 * 1024 * 1024),
    maxDocs: Number(process.env.HEIMDALL_DECISION_LOG_MAX ?? 1_000_000),
  });
  const c = collectionsOf(deps.mongo.db);
  const versions = new VersionCounter(c, logger);
  const policies = new PolicyRepository(c, versions);
  const userTags = new UserTagRepository(c, versions);
  const decisionLog = new DecisionLog(c, logger);
  const index = new PolicyIndex(policies, userTags, logger);
  await ensureBootstrap(policies);
  await index.refresh({ force: true });
  index.startPolling(
    deps.pollMs ?? Number(process.env.HEIMDALL_POLL_MS ?? 1000),
    deps.fullReloadMs ?? Number(process.env.HEIMDALL_FULL_RELOAD_MS ?? 300_000),
  );

  const subgraph = await createSubgraph<Context>({
    name: 'heimdall',
    logger,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    publicRootFields: ['routerAuthorization'],
    health: () => deps.mongo.ping(),
    context: (base) => ({ ...base, index, policies, userTags, decisionLog }),
  });
  return Object.assign(subgraph, {
    index,
    decisionLog,
    /** Stops polling and writes the buffered decision log. */
    async close() {
      index.stop();
      await decisionLog.flush();
    },
  });
}
