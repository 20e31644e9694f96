import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import cors from 'cors';
import type { GraphQLFormattedError } from 'graphql';
import { pino, type Logger } from 'pino';
import { HeimdallClient } from '@dataos/heimdall-client';
import { ApolloEngine } from './apollo/engine.js';
import { OperationAuthorizer } from './authz/authorize.js';
import { DecisionCache } from './authz/decision-cache.js';
import { perSubgraph, type RouterConfig } from './config.js';
import type { RouterContext } from './context.js';
import { ForwardingDataSource } from './datasource.js';
import { ServiceCaller } from '@dataos/service-identity';
import { errorBody, formatRouterError } from './errors.js';
import { PlanExecutor } from './execution/executor.js';
import { OperationPlanner } from './planner/choose.js';
import { HealthMonitor } from './health.js';
import { FastPath } from './http/fast-path.js';
import { graphqlHandler } from './http/graphql.js';
import { serveOperatorPaths, startAdminServer, type OperatorEndpoints } from './http/operator.js';
import { send } from './http/respond.js';
import { RouterMetrics } from './metrics.js';
import { metricsPlugin } from './metrics-plugin.js';
import { OperationCache } from './operations.js';
import { LruKeyValueCache } from './protection/apq-cache.js';
import { limitsRefusal, operationLimitsPlugin } from './protection/plugin.js';
import { TrustedDocuments } from './protection/trusted-documents.js';
import { SupergraphSource } from './supergraph/source.js';
import { startSubscriptions } from './subscriptions/index.js';

// Apollo Gateway reports usage to Apollo unless told not to; this router never phones home.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

export interface Router {
  url: string;
  port: number;
  /** The admin port's base URL (`/metrics`, `/health` with detail), when ADMIN_PORT is set. */
  adminUrl?: string;
  metrics: RouterMetrics;
  /** Subscriptions open in this router now (every transport). */
  readonly openSubscriptions: number;
  /** Loads the supergraph file again now (it is also reloaded when it changes). */
  reload(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface RouterOptions {
  /** The registry to fill (a new one by default). */
  metrics?: RouterMetrics;
  /** What `/metrics` answers (worker processes answer for the whole cluster). */
  metricsText?: () => Promise<string>;
  /** What the engine inspects instead of the Apollo Gateway (tests: a stand-in for another version). */
  apolloInternalsOf?: (apollo: ApolloGateway) => unknown;
}

export async function startRouter(
  config: RouterConfig,
  logger: Logger = pino({ name: 'router' }),
  options: RouterOptions = {},
): Promise<Router> {
  // A manifest that does not load stops the start: a trusted-documents router must not run open.
  const trusted = config.trustedDocumentsPath ? await TrustedDocuments.load(config.trustedDocumentsPath) : undefined;
  if (trusted) logger.info({ path: config.trustedDocumentsPath, operations: trusted.size }, 'trusted documents only');
  const metrics = options.metrics ?? new RouterMetrics();
  const resolveUrl = (name: string, url: string) => perSubgraph(config.subgraphUrls, name) ?? url;
  const source = new SupergraphSource(config.supergraphPath, resolveUrl, logger);
  const dataSources: ForwardingDataSource[] = [];
  // The router's own identity on every hop, one token per subgraph (audience dataos-svc:<name>).
  const hops = config.serviceIdentity ? new ServiceCaller(config.serviceIdentity) : undefined;

  const apollo = new ApolloGateway({
    logger,
    supergraphSdl: source.hook,
    experimental_approximateQueryPlanStoreMiB: config.queryPlanCacheMiB,
    __exposeQueryPlanExperimental: false,
    buildService: ({ name, url }) => {
      const dataSource = new ForwardingDataSource({
        name,
        url: resolveUrl(name, url!),
        timeoutMs: perSubgraph(config.subgraphTimeouts, name) ?? config.subgraphTimeoutMs,
        maxSockets: config.subgraphMaxSockets,
        maxResponseBytes: config.subgraphMaxResponseBytes,
        forwardHeaders: config.forwardHeaders,
        deduplicate: config.subgraphDeduplication,
        metrics,
        ...(hops ? { serviceHeaders: () => hops.headers(name) } : {}),
      });
      // Fetched now so the first request does not wait for the issuer; a failure is retried on demand.
      hops?.token(name).catch(() => undefined);
      dataSources.push(dataSource);
      return dataSource;
    },
  });
  source.attach(apollo);

  // With its own credentials the router asks Heimdall as itself, the caller's token as the
  // subject: Heimdall tells policy results only to the router's identity.
  const heimdall = new HeimdallClient({
    url: config.heimdallUrl,
    timeoutMs: config.heimdallTimeoutMs,
    ...(config.heimdallCredentials ? { credentials: config.heimdallCredentials } : {}),
    serviceCaller: hops ?? null,
  });
  const decisions = new DecisionCache({
    ask: (token, policies, requestId) => heimdall.routerAuthorization(token, policies, requestId),
    ttlMs: config.authz.decisionTtlMs,
    size: config.authz.decisionCacheSize,
    maxBytes: config.authz.decisionCacheMiB * 1024 * 1024,
    onLookup: (result) => metrics.decisions.inc({ result }),
    onError: (error) => {
      metrics.heimdallErrors.inc();
      logger.warn(
        { err: error },
        'Heimdall could not be asked; the token is not verified and protected fields are denied',
      );
    },
  });
  const engine = new ApolloEngine(apollo, {
    executor: config.executor,
    logger,
    ...(options.apolloInternalsOf ? { internalsOf: options.apolloInternalsOf } : {}),
  });
  const executor = new PlanExecutor(engine, logger, new OperationPlanner(config.planner, logger));
  const authorizer = new OperationAuthorizer({
    decisions,
    run: async (requestContext, target) => {
      const result = await executor.execute(requestContext, target);
      metrics.executions.inc({ executor: result ? 'router' : 'apollo-gateway' });
      return result;
    },
    rejectUnauthorized: config.authz.rejectUnauthorized,
    indexFor: (schema) => source.indexFor(schema),
    onDenied: (count) => metrics.unauthorizedFields.inc(count),
  });
  const operations = new OperationCache(config.operationCacheSize, config.operationCacheMiB);
  const formatError = (formatted: GraphQLFormattedError, error: unknown) =>
    formatRouterError(formatted, error, (e) => logger.error({ err: e }, 'unexpected error'));
  // Documents Apollo Server has accepted go straight to the router's executor next time.
  const fastPath = new FastPath({
    authorizer,
    metrics,
    formatError,
    forwardHeaders: config.forwardHeaders,
    refusalFor: (prepared, variables) =>
      limitsRefusal(prepared, variables, config.limits, (schema) => source.costsFor(schema)),
    currentSchema: () => engine.internals()?.schema,
    size: config.operationCacheSize,
    maxMiB: config.operationCacheMiB,
  });

  const httpServer = http.createServer();
  httpServer.keepAliveTimeout = 65_000;

  const server = new ApolloServer<RouterContext>({
    gateway: engine.serverGateway(authorizer),
    introspection: config.introspection,
    csrfPrevention: true,
    // A document past the token limit is refused while parsing, before it is validated.
    ...(config.limits.maxTokens > 0 ? { parseOptions: { maxTokens: config.limits.maxTokens } } : {}),
    includeStacktraceInErrorResponses: false,
    // graphql-js stops at 100 errors by default, and each one costs a stack trace: 1,000 unknown
    // directives in a 6 KB document cut legitimate throughput 5-8x (bench attack). Ten say enough.
    validationOptions: { maxErrors: 10 },
    persistedQueries: config.apq ? { cache: new LruKeyValueCache(config.apqCacheSize, config.apqCacheMiB) } : false,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      operationLimitsPlugin(
        operations,
        config.limits,
        (schema) => source.costsFor(schema),
        (query, operationName, queryHash, prepared) => fastPath.remember(query, operationName, queryHash, prepared),
      ),
      metricsPlugin(metrics),
    ],
  });
  try {
    await server.start();
  } catch (error) {
    // A refused start (ROUTER_EXECUTOR=router on an Apollo Gateway without what it reads, a bad
    // supergraph) leaves no watcher or socket behind.
    await apollo.stop().catch(() => undefined);
    for (const dataSource of dataSources) dataSource.close();
    throw error;
  }
  if (!config.heimdallCredentials) {
    logger.warn(
      "ROUTER_CLIENT_ID is not set: Heimdall answers @policy names only to the router's own identity, so every @policy field is denied",
    );
  } else {
    // The service token once at start, not on the first request; a failure is retried on demand.
    heimdall.warmUp().catch(() => undefined);
  }

  const corsHandler = cors({ origin: config.corsOrigins, credentials: false, maxAge: 600 });
  const metricsText = options.metricsText ?? (() => metrics.registry.metrics());
  const handleGraphQL = graphqlHandler({
    server,
    maxBodySize: config.limits.maxBodySize,
    forwardHeaders: config.forwardHeaders,
    ...(trusted ? { trusted } : {}),
    fastPath,
    refuse: (res, status, message, code, extra = {}) => {
      metrics.refusals.inc({ code });
      send(res, status, errorBody(message, code, extra));
    },
  });

  // WebSocket, SSE and multipart subscriptions on this port (src/subscriptions/).
  const subscriptions = startSubscriptions({
    httpServer,
    server,
    config,
    engine,
    authorizer,
    decisions,
    ask: (token, policies, requestId) => heimdall.routerAuthorization(token, policies, requestId),
    serviceToken: () => heimdall.serviceAccessToken(),
    serviceHeaders: () => heimdall.serviceHeaders(),
    costsFor: (schema) => source.costsFor(schema),
    hasAuthorization: () => source.hasAuthorization,
    ...(trusted ? { trusted } : {}),
    logger,
    registry: metrics.registry,
  });

  const healthMonitor = new HealthMonitor(
    {
      subgraphs: () => source.subgraphs,
      heimdallUrl: () => (source.hasAuthorization ? config.heimdallUrl : undefined),
      loadedAt: () => source.loadedAt,
    },
    { probe: config.subgraphHealthProbe, cacheMs: config.healthCacheMs },
  );
  const operatorEndpoints: OperatorEndpoints = {
    async health(res, detail, live) {
      // Liveness asks nothing of anyone: the process answers, so it need not be restarted.
      if (live) return send(res, 200, JSON.stringify({ status: 'ok' }));
      const health = await healthMonitor.current();
      send(res, health.status === 'ok' ? 200 : 503, JSON.stringify(detail ? health : { status: health.status }));
    },
    async metrics(res) {
      send(res, 200, await metricsText(), metrics.registry.contentType);
    },
  };
  const admin =
    config.adminPort !== undefined
      ? await startAdminServer(config.adminPort, config.adminHost, operatorEndpoints, (error) =>
          logger.error({ err: error }, 'admin request failed'),
        )
      : undefined;

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    const fail = (error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) send(res, 500, errorBody('Internal server error.', 'INTERNAL_SERVER_ERROR'));
      else res.destroy();
    };
    if (path === '/graphql' || path === '/graphql/') {
      const search = q >= 0 ? url.slice(q) : '';
      const next = () => {
        if (!subscriptions.handleHttp(req, res, search)) void handleGraphQL(req, res, search).catch(fail);
      };
      if (req.headers.origin === undefined) {
        // Not a browser's cross-origin request: no CORS headers to work out, only Vary as cors sets it.
        res.setHeader('vary', 'Origin');
        next();
      } else {
        corsHandler(req, res, next);
      }
    } else if (serveOperatorPaths(req, res, path, operatorEndpoints, config.metricsToken, fail)) {
      // answered
    } else {
      send(res, 404, errorBody(`Nothing at ${path}; GraphQL is at /graphql.`, 'NOT_FOUND'));
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  logger.info({ url }, 'router ready');
  return {
    url,
    port,
    ...(admin ? { adminUrl: admin.url } : {}),
    metrics,
    get openSubscriptions() {
      return subscriptions.size;
    },
    reload: () => source.reload(),
    stop: async () => {
      await subscriptions.stop();
      await server.stop();
      httpServer.closeAllConnections();
      await admin?.close();
      for (const dataSource of dataSources) dataSource.close();
    },
  };
}
