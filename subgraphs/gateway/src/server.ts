import { HeimdallClient } from '@dataos/heimdall-client';
import { createLogger, createSubgraph, loadTypeDefs } from '@dataos/subgraph-kit';
import type { MongoStore } from '@dataos/stores';
import { MetisColumnCatalog, type ColumnCatalog } from './catalog.js';
import { OdinConceptSource, type ConceptSource } from './concepts.js';
import { ClusterMonitor, ClusterStore } from './clusters.js';
import type { Context, GatewayServices } from './context.js';
import type { DuckDbEngine } from './engines/duckdb.js';
import { EngineRegistry } from './engines/registry.js';
import { QueryHistory } from './history.js';
import { MaskKeyring } from './policies/keys.js';
import { subjectOf } from './policies/subject.js';
import { DataPolicyStore } from './policies/store.js';
import { QueryProgressFeed } from './live/progress.js';
import { QueryService } from './query.js';
import { resolvers } from './resolvers.js';
import { gatewaySettingsFromEnv, type GatewaySettings } from './settings.js';
import { SqlParser } from './sql/parser.js';
import { QueryRewriter } from './sql/pipeline.js';
import { ReportingHistory, usageReporterFromEnv, type UsageReporter } from './usage-report.js';

export interface GatewayDeps {
  mongo: MongoStore;
  /** Decisions; default: HEIMDALL_URL. */
  heimdall?: HeimdallClient;
  /** Columns and tags; default: Metis at METIS_URL (or `metisUrl`). */
  catalog?: ColumnCatalog;
  metisUrl?: string;
  /**
   * The columns' concepts; default: Odin at ODIN_URL (or `odinUrl`). `false`: none (tests without
   * Odin; concept selectors then match nothing).
   */
  concepts?: ConceptSource | false;
  odinUrl?: string;
  /** The embedded engine; default: DuckDB over the generated demo files, created on first use. */
  duckdb?: DuckDbEngine | (() => Promise<DuckDbEngine>);
  /** Health checks period (GATEWAY_HEALTH_INTERVAL_MS, 30 s); 0 turns them off. */
  healthIntervalMs?: number;
  /** GATEWAY_DEFAULT_CLUSTER, `minerva-default`. */
  defaultCluster?: string;
  /** Create the default PII data policies on a fresh store (default true). */
  defaultPolicies?: boolean;
  queryTimeoutMs?: number;
  /** Least time between two RUNNING updates of one query on queryProgress (default 1000 ms). */
  progressIntervalMs?: number;
  /**
   * Reports successful queries to Metis for usage (src/usage-report.ts); default: as the service
   * principal of SERVICE_CLIENT_ID/SECRET when set; `false`: none.
   */
  usage?: UsageReporter | false;
  /** Everything else; by default read from the environment (src/settings.ts), a bad value failing here. */
  settings?: GatewaySettings;
}

export async function createGatewaySubgraph(deps: GatewayDeps) {
  // Settings before the store: a typo stops the start with nothing created.
  const settings = deps.settings ?? gatewaySettingsFromEnv();
  const logger = createLogger('gateway', settings.kit.logLevel);
  const clusters = new ClusterStore(deps.mongo.db);
  const policies = new DataPolicyStore(deps.mongo.db, settings.policyCacheMs);
  const usage =
    deps.usage === false
      ? undefined
      : (deps.usage ?? usageReporterFromEnv(deps.metisUrl ?? settings.metis.url, logger));
  const history = usage ? new ReportingHistory(deps.mongo.db, usage) : new QueryHistory(deps.mongo.db);
  await history.migrate();
  if (deps.defaultPolicies !== false) await policies.ensureDefaults();
  const keys = new MaskKeyring(deps.mongo.db, { GATEWAY_MASK_SECRET: settings.maskSecret }, settings.policyCacheMs);
  await keys.ensure();
  await keys.active(); // fail at start, not on the first query, when the active key has no secret
  if (settings.maskSecret && !(await keys.describe()).some((k) => k.active && k.source === 'env')) {
    logger.warn(
      'GATEWAY_MASK_SECRET is set but the active mask key is a stored one: the variable only seeds a new keyring (rotate with rotateMaskKey).',
    );
  }
  const parser = await SqlParser.create();
  const rewriter = new QueryRewriter(parser, keys);
  const engines = new EngineRegistry(deps.duckdb, { duckdb: settings.duckdb, trino: settings.trino });
  const catalog = deps.catalog ?? new MetisColumnCatalog(deps.metisUrl ?? settings.metis.url, settings.metis.timeoutMs);
  const heimdall = deps.heimdall ?? new HeimdallClient(settings.heimdall);
  const concepts =
    deps.concepts === false
      ? undefined
      : (deps.concepts ?? new OdinConceptSource(deps.odinUrl ?? settings.odin.url, settings.odin.timeoutMs));
  const monitor = new ClusterMonitor(clusters, engines, logger);
  const progress = new QueryProgressFeed(deps.mongo.db, logger, deps.progressIntervalMs);
  await progress.feed.start();
  const services: GatewayServices = {
    clusters,
    monitor,
    engines,
    policies,
    keys,
    history,
    rewriter,
    catalog,
    heimdall,
    defaultCluster: deps.defaultCluster ?? settings.defaultCluster,
    progress,
    liveBuffer: settings.kit.subscriptions.bufferEvents,
    queries: new QueryService({
      rewriter,
      catalog,
      ...(concepts ? { concepts } : {}),
      policies,
      history,
      engineFor: (cluster) => engines.forCluster(cluster),
      timeoutMs: deps.queryTimeoutMs || settings.queryTimeoutMs,
      maxRows: settings.maxRows,
      progress,
    }),
  };
  const subgraph = await createSubgraph<Context>({
    name: 'gateway',
    logger,
    settings: settings.kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.mongo.ping(),
    context: (base) => {
      const session = heimdall.session(base.token, base.requestId);
      let subject: ReturnType<Context['subject']> | undefined;
      return {
        ...base,
        gateway: services,
        heimdall: session,
        subject: () => {
          subject ??= session.whoami().then((who) => subjectOf(base.principal!, who.tags));
          return subject;
        },
      };
    },
  });
  monitor.start(deps.healthIntervalMs ?? settings.healthIntervalMs);
  return Object.assign(subgraph, {
    services,
    /** Stops health checks and closes the engines and the parser. */
    async close() {
      await monitor.stop();
      await progress.feed.stop();
      await usage?.close();
      await engines.close();
      parser.close();
    },
  });
}
