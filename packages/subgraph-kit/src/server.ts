import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DocumentNode } from 'graphql';
import { TokenError, TokenVerifier, bearerToken, issuersFromEnv, verifierOptionsFromEnv } from '@dataos/auth';
import { formatError } from '@dataos/errors';
import type { OperationLimits } from '@dataos/operation-walker';
import { requireAuthenticationPlugin } from './auth-plugin.js';
import { jsonErrors, notFound } from './http-errors.js';
import { operationLimitsPlugin } from './limits-plugin.js';
import type { BaseContext } from './context.js';
import { createLogger, type Logger } from './logger.js';
import { requestLogPlugin } from './logging-plugin.js';
import { serviceGateFor, type ServiceGate } from './service-gate.js';
import { kitSettingsFromEnv, type KitSettings } from './settings.js';
import { serveSubscriptions, type SubscriptionServer } from './subscriptions/index.js';

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Resolvers typed by codegen (`src/generated/resolvers.ts`). */
  resolvers: object;
  /** Adds the subgraph's own per-request state (DataLoaders, store handles) to the base context. */
  context?: (base: BaseContext) => TContext | Promise<TContext>;
  /** Throws when the subgraph's store does not answer; drives `/health`. */
  health?: () => Promise<unknown>;
  /** Defaults to the trusted issuers of the environment. */
  verifier?: TokenVerifier;
  /** Refuse data to callers without a valid token (default true: zero trust). */
  requireAuthentication?: boolean;
  /** Root query fields that answer without a token (they see `principal: null` and `tokenError`). */
  publicRootFields?: string[];
  plugins?: ApolloServerPlugin<TContext>[];
  /** The operation limits (default: the settings', as the router reads them). */
  limits?: OperationLimits;
  /** The kit's settings (default: read from the environment, a bad value failing here). */
  settings?: KitSettings;
  /** Who may call at all (default: from `settings.serviceIdentity`; null: anyone with a user token). */
  serviceGate?: ServiceGate | null;
  logger?: Logger;
}

export interface RunningSubgraph {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface Subgraph<TContext extends BaseContext> {
  name: string;
  app: express.Express;
  server: ApolloServer<TContext>;
  logger: Logger;
  /** The WebSocket server of its subscriptions (null when the schema has none). */
  subscriptions: SubscriptionServer | null;
  listen(port?: number, host?: string): Promise<RunningSubgraph>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The one way every subgraph boots: Apollo Server on express with /graphql and /health. */
export async function createSubgraph<TContext extends BaseContext>(
  options: SubgraphOptions<TContext>,
): Promise<Subgraph<TContext>> {
  const settings = options.settings ?? kitSettingsFromEnv();
  const limits = options.limits ?? settings.limits;
  const logger = options.logger ?? createLogger(options.name, settings.logLevel);
  const verifier = options.verifier ?? new TokenVerifier(issuersFromEnv(), verifierOptionsFromEnv());
  const gate =
    options.serviceGate !== undefined ? options.serviceGate : serviceGateFor(options.name, settings.serviceIdentity);
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;

  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    // Codegen's resolver types are stricter than Apollo's loose GraphQLResolverMap.
    resolvers: options.resolvers as never,
  });
  const server = new ApolloServer<TContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    // graphql-js stops at 100 errors by default, and each one costs a stack trace: 1,000 unknown
    // directives in a 6 KB document cut legitimate throughput 5-8x (bench attack). Ten say enough.
    validationOptions: { maxErrors: 10 },
    parseOptions: { maxTokens: limits.maxTokens || undefined },
    formatError: (formatted, error) =>
      formatError(formatted, error, (e) => logger.error({ err: e }, 'unexpected error')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      operationLimitsPlugin(limits) as ApolloServerPlugin<TContext>,
      // Federated tracing is for Apollo's cloud; it costs every request here.
      ApolloServerPluginInlineTraceDisabled(),
      requestLogPlugin() as ApolloServerPlugin<TContext>,
      ...(options.requireAuthentication === false
        ? []
        : [requireAuthenticationPlugin(options.publicRootFields) as ApolloServerPlugin<TContext>]),
      ...(options.plugins ?? []),
    ],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    try {
      await options.health?.();
      res.json({ status: 'ok', service: options.name });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      // The cause goes to the log: it names hosts and ports.
      res.status(503).json({ status: 'unavailable', service: options.name });
    }
  });

  app.use(
    '/graphql',
    // Service identity first: an untrusted caller costs no body parsing (/health stays open).
    ...(gate ? [gate.middleware((r) => logger.warn({ reason: r.reason }, 'caller refused: ' + r.message))] : []),
    express.json({ limit: settings.maxBodyBytes }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const header = req.headers['x-request-id'];
        const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
        res.setHeader('x-request-id', requestId);
        const token = bearerToken(req.headers.authorization);
        let principal = null;
        let tokenError: TokenError | undefined;
        if (token) {
          try {
            principal = await verifier.verify(token);
          } catch (error) {
            // Refused later by the auth plugin, unless the operation is public.
            if (!(error instanceof TokenError)) throw error;
            tokenError = error;
          }
        }
        const base: BaseContext = {
          requestId,
          principal,
          logger: logger.child({ requestId }),
          ...(token ? { token } : {}),
          ...(tokenError ? { tokenError } : {}),
        };
        return options.context ? options.context(base) : (base as TContext);
      },
    }),
  );
  app.use(notFound);
  app.use(jsonErrors(logger));

  // Subscriptions over WebSocket at the same path, when the schema has any.
  const subscriptions = schema.getSubscriptionType()
    ? serveSubscriptions({
        httpServer,
        path: '/graphql',
        schema,
        verifier,
        serviceGate: gate,
        context: (base) => (options.context ? options.context(base) : base),
        limits,
        settings: settings.subscriptions,
        maxMessageBytes: settings.maxBodyBytes,
        logger,
      })
    : null;

  return {
    name: options.name,
    app,
    server,
    logger,
    subscriptions,
    async listen(port = 0, host = settings.host) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, resolve);
      });
      const address = httpServer.address() as AddressInfo;
      const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}/graphql`;
      logger.info({ url }, `${options.name} subgraph ready`);
      return {
        url,
        port: address.port,
        stop: async () => {
          await subscriptions?.close();
          await server.stop();
          httpServer.closeAllConnections();
        },
      };
    },
  };
}
