import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ApolloEngine } from '../apollo/engine.js';
import { headerRefusal } from '../authz/authenticate.js';
import type { OperationAuthorizer } from '../authz/authorize.js';
import { DecisionCache, type AskHeimdall } from '../authz/decision-cache.js';
import type { RouterConfig } from '../config.js';
import type { RouterContext } from '../context.js';
import { parseByteSize } from '../http/body.js';
import type { TrustedDocuments } from '../protection/trusted-documents.js';
import type { CostDirectives } from '@dataos/operation-walker';
import { httpTransportOf, parseHttpRequest } from './http-request.js';
import { serveHttpStream } from './http-stream.js';
import { SubscriptionMetrics } from './metrics.js';
import { watchPolicies } from './policy-watch.js';
import { SubscriptionPreparer } from './prepare.js';
import { SubscriptionRegistry } from './registry.js';
import { SubscriptionService } from './service.js';
import { attachWebSocket } from './websocket.js';

export { httpTransportOf } from './http-request.js';
export { subscriptionSettingsFromEnv, type SubscriptionSettings } from './settings.js';

export interface SubscriptionsOptions {
  httpServer: Server;
  server: ApolloServer<RouterContext>;
  config: RouterConfig;
  engine: ApolloEngine;
  authorizer: OperationAuthorizer;
  decisions: DecisionCache;
  /** Heimdall's routerAuthorization, for re-checks that bypass the decision cache. */
  ask: AskHeimdall;
  /** The router's own token for Heimdall (its policyChanges subscription). */
  serviceToken(): Promise<string | undefined>;
  /** The router's credential for Heimdall itself (X-Service-Authorization), beside that token. */
  serviceHeaders?(): Promise<Record<string, string>>;
  costsFor(schema: GraphQLSchema): CostDirectives;
  hasAuthorization(): boolean;
  trusted?: TrustedDocuments;
  logger: Logger;
  /** The router's metrics registry: the subscriptions' metrics go there. */
  registry?: Registry;
}

export interface Subscriptions {
  /** Serves an SSE or multipart subscription request; false when the request is not one (Accept). */
  handleHttp(req: IncomingMessage, res: ServerResponse, search: string): boolean;
  /** Open subscriptions in this process. */
  readonly size: number;
  stop(): Promise<void>;
}

/**
 * Subscriptions on the router's port: WebSocket (graphql-transport-ws), SSE and multipart HTTP,
 * each federated through the query planner and authorized for its whole life.
 */
export function startSubscriptions(options: SubscriptionsOptions): Subscriptions {
  const { config, logger } = options;
  const settings = config.subscriptions;
  const maxBodyBytes = parseByteSize(config.limits.maxBodySize);
  const fresh = new DecisionCache({ ask: options.ask, ttlMs: 0, size: 1 });
  const registry = new SubscriptionRegistry(
    settings,
    (authorization, policies, requestId) => fresh.authorize(authorization, policies, requestId),
    logger,
  );
  const preparer = new SubscriptionPreparer({
    internals: () => options.engine.internals(),
    authorizer: options.authorizer,
    decisions: options.decisions,
    limits: config.limits,
    costsFor: options.costsFor,
    rejectUnauthorized: config.authz.rejectUnauthorized,
  });
  const metrics = options.registry ? new SubscriptionMetrics(options.registry, () => registry.size) : undefined;
  const service = new SubscriptionService({
    ...(metrics ? { metrics } : {}),
    preparer,
    registry,
    settings,
    server: options.server,
    logger,
    maxPayloadBytes: config.subgraphMaxResponseBytes,
  });
  const websocket = attachWebSocket(options.httpServer, {
    service,
    settings,
    corsOrigins: config.corsOrigins,
    forwardHeaders: config.forwardHeaders,
    maxMessageBytes: maxBodyBytes,
    schema: () => options.engine.internals()?.schema,
    checkToken: async (authorization, requestId) => {
      if (!options.hasAuthorization()) return undefined;
      const refusal = headerRefusal(authorization);
      if (refusal) return refusal;
      const caller = await options.decisions.authorize(authorization, [], requestId);
      return caller.invalidToken;
    },
  });
  const policies =
    settings.policyWatch && config.heimdallCredentials
      ? watchPolicies({
          heimdallUrl: config.heimdallUrl,
          serviceToken: options.serviceToken,
          ...(options.serviceHeaders ? { serviceHeaders: options.serviceHeaders } : {}),
          timeoutMs: settings.upstreamTimeoutMs,
          logger,
          onChange: () => {
            // The cached answers are stale for everyone: queries ask again too.
            const settle = () => {
              options.decisions.clear();
              void registry.recheckAll('policy change');
            };
            settle();
            // The change comes from Heimdall's shared feed, but each Heimdall replica reloads its
            // policies on its own poll (HEIMDALL_POLL_MS, 1 s): an answer from one that had not yet
            // would be cached for AUTHZ_DECISION_TTL_MS. Asking again once they have bounds that
            // (test/replicas proved the race on two replicas).
            for (const ms of options.config.authz.policySettleMs) setTimeout(settle, ms).unref();
          },
        })
      : undefined;

  let stopped = false;
  return {
    handleHttp(req, res, search) {
      const transport = httpTransportOf(req.headers.accept);
      if (!transport) return false;
      void (async () => {
        const parsed = await parseHttpRequest(req, res, search, {
          maxBodyBytes,
          forwardHeaders: config.forwardHeaders,
          ...(options.trusted ? { trusted: options.trusted } : {}),
        });
        if (parsed) await serveHttpStream(req, res, transport, parsed, service, settings);
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'subscription request failed');
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
      return true;
    },
    get size() {
      return registry.size;
    },
    async stop() {
      if (stopped) return; // a router stopped twice
      stopped = true;
      policies?.stop();
      service.stop();
      await websocket.close();
    },
  };
}
