import { randomUUID } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { pino, type Logger } from 'pino';
import { formatError } from '@dataos/errors';
import type { RouterConfig } from './config.js';
import type { RouterContext } from './context.js';
import { ForwardingDataSource } from './datasource.js';
import { checkSubgraphs } from './health.js';
import { loadSupergraph } from './supergraph/load.js';
import { subgraphsOf } from './supergraph/subgraphs.js';
import { traceparentFor } from './trace.js';

// The gateway reports usage to Apollo unless told not to; this router never phones home.
process.env.APOLLO_TELEMETRY_DISABLED ??= '1';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface Router {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRouter(config: RouterConfig, logger: Logger = pino({ name: 'router' })): Promise<Router> {
  let subgraphs: { name: string; url: string }[] = [];
  const resolveUrl = (name: string, url: string) => config.subgraphUrls[name] ?? url;
  let watcher: FSWatcher | undefined;

  const gateway = new ApolloGateway({
    logger,
    // Reload on file change; a supergraph that does not load leaves the previous one serving.
    supergraphSdl: async ({ update }) => {
      const initial = await loadSupergraph(config.supergraphPath);
      subgraphs = subgraphsOf(initial.plannerSdl).map((s) => ({ ...s, url: resolveUrl(s.name, s.url) }));
      let timer: NodeJS.Timeout | undefined;
      watcher = watch(config.supergraphPath, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          loadSupergraph(config.supergraphPath)
            .then((next) => {
              update(next.plannerSdl);
              subgraphs = subgraphsOf(next.plannerSdl).map((s) => ({ ...s, url: resolveUrl(s.name, s.url) }));
              logger.info({ path: config.supergraphPath }, 'supergraph reloaded');
            })
            .catch((error: unknown) => logger.error({ err: error }, 'supergraph reload failed; keeping the previous one'));
        }, 100);
      });
      return { supergraphSdl: initial.plannerSdl, cleanup: async () => watcher?.close() };
    },
    buildService: ({ name, url }) =>
      new ForwardingDataSource({ url: resolveUrl(name, url!) }, config.forwardHeaders),
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = 65_000;

  const server = new ApolloServer<RouterContext>({
    gateway,
    introspection: config.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, (e) => logger.error({ err: e }, 'unexpected error')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
    ],
  });
  await server.start();

  app.get('/health', async (_req, res) => {
    const checks = await checkSubgraphs(subgraphs);
    const ok = checks.every((c) => c.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', subgraphs: checks });
  });

  app.use(
    '/graphql',
    cors({ origin: config.corsOrigins, credentials: false, maxAge: 600 }),
    express.json({ limit: process.env.MAX_BODY_SIZE ?? '1mb' }),
    expressMiddleware(server, {
      context: async ({ req, res }) => {
        const header = req.headers['x-request-id'];
        const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
        res.setHeader('x-request-id', requestId);
        const incoming = req.headers.traceparent;
        const clientHeaders: Record<string, string | undefined> = {};
        for (const name of config.forwardHeaders) {
          const value = req.headers[name];
          clientHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        return {
          requestId,
          traceparent: traceparentFor(typeof incoming === 'string' ? incoming : undefined),
          clientHeaders,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        };
      },
    }),
  );

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
    stop: async () => {
      await server.stop();
      httpServer.closeAllConnections();
    },
  };
}
