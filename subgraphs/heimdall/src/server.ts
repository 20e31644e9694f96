import { TokenVerifier, issuersFromEnv, verifierOptionsFromEnv } from '@dataos/auth';
import { createSubgraph, createLogger, kitSettingsFromEnv, loadTypeDefs, type KitSettings } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import { ensureBootstrap } from './bootstrap.js';
import type { Context } from './context.js';
import { PolicyChanges } from './live/changes.js';
import { DecisionFeed } from './live/decisions.js';
import { createExporter } from './export/index.js';
import { PolicyIndex } from './policy-index.js';
import { RequestDecisionLog } from './request-log.js';
import { requestStatePlugin } from './request-plugin.js';
import { resolvers } from './resolvers.js';
import { heimdallSettingsFromEnv, type HeimdallSettings } from './settings.js';
import { collectionsOf, migrate } from './store/collections.js';
import { DecisionLog } from './store/decision-log.js';
import { PolicyRepository } from './store/policies.js';
import { SubjectProfiles } from './store/subject-profiles.js';
import { UserTagRepository } from './store/user-tags.js';
import { VersionCounter } from './store/version.js';

export interface HeimdallDeps {
  mongo: MongoStore;
  /** How often replicas look for policy changes made elsewhere (HEIMDALL_POLL_MS, 1000). */
  pollMs?: number;
  /** How often a replica reloads everything whatever the version says (HEIMDALL_FULL_RELOAD_MS, 300000; 0 disables). */
  fullReloadMs?: number;
  /** Settings; by default read from the environment (see README), a bad value failing the start. */
  settings?: Partial<HeimdallSettings>;
  /** The kit's settings (port aside); by default read from the environment. */
  kit?: KitSettings;
}

export async function createHeimdallSubgraph(deps: HeimdallDeps) {
  // Settings before the store: a typo stops the start with nothing created.
  const settings: HeimdallSettings = { ...heimdallSettingsFromEnv(), ...deps.settings };
  const kit = deps.kit ?? kitSettingsFromEnv();
  const logger = createLogger('heimdall', kit.logLevel);
  await migrate(deps.mongo.db, { sizeBytes: settings.decisionLogBytes, maxDocs: settings.decisionLogMax });
  const c = collectionsOf(deps.mongo.db);
  const versions = new VersionCounter(c, logger);
  // Changes are announced on a feed every replica tails (policyChanges), written before the seeds run.
  const changes = new PolicyChanges(deps.mongo.db, logger, { pollMs: Math.min(deps.pollMs ?? settings.pollMs, 1000) });
  await changes.feed.start();
  const policies = new PolicyRepository(c, versions, changes);
  const userTags = new UserTagRepository(c, versions, changes);
  // Written decisions go on a feed too, for the live decision log (decisionLogged).
  const liveDecisions = new DecisionFeed(deps.mongo.db, logger);
  await liveDecisions.feed.start();
  const decisionLog = new DecisionLog(c, logger, undefined, (docs) => liveDecisions.publish(docs));
  const profiles = new SubjectProfiles(deps.mongo.db, logger);
  const index = new PolicyIndex(policies, userTags, logger, {
    onSubject: (p, claimNames) => profiles.seen(p.id, p.tags, p.claims, claimNames),
    sequence: () => Promise.resolve(changes.feed.position),
  });
  await ensureBootstrap(policies, settings.routerTags);
  await index.refresh({ force: true });
  index.startPolling(deps.pollMs ?? settings.pollMs, deps.fullReloadMs ?? settings.fullReloadMs);
  // One verifier for the bearer tokens and the subject tokens the router sends: one cache.
  const verifier = new TokenVerifier(issuersFromEnv(), verifierOptionsFromEnv());
  // Decisions also go to the configured sink (HEIMDALL_DECISION_EXPORT), redacted as set.
  const exporter = createExporter(settings.decisionExport, logger);
  const append = (entry: Parameters<DecisionLog['append']>[0]) => {
    decisionLog.append(entry);
    exporter?.push(entry);
  };

  const subgraph = await createSubgraph<Context>({
    name: 'heimdall',
    logger,
    settings: kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    verifier,
    publicRootFields: ['routerAuthorization'],
    plugins: [requestStatePlugin()],
    health: () => deps.mongo.ping(),
    context: (base) => ({
      ...base,
      index,
      policies,
      userTags,
      profiles,
      decisionLog,
      exporter,
      settings,
      verifier,
      changes,
      liveDecisions,
      liveBuffer: kit.subscriptions.bufferEvents,
      requestLog: new RequestDecisionLog(append, settings.decisionsLoggedPerRequest),
    }),
  });
  return Object.assign(subgraph, {
    index,
    decisionLog,
    settings,
    /** Stops polling and writes the buffered decision log. */
    changes,
    liveDecisions,
    async close() {
      index.stop();
      await changes.feed.stop();
      await decisionLog.flush();
      await liveDecisions.feed.stop();
      await exporter?.close();
    },
  });
}
