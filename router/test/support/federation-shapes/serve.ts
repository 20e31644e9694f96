import { pino } from 'pino';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import {
  composeSupergraph,
  startTestSubgraph,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';
import type { FederationShape } from './shapes.js';

export interface ServedShape {
  shape: FederationShape;
  subgraphs: TestSubgraph[];
  supergraph: SupergraphFile;
  router: Router;
  stop(): Promise<void>;
}

/**
 * A shape's subgraphs over real HTTP, composed with @apollo/composition, behind a router with
 * its default settings (`env` adds to them; no Heimdall: the shapes carry no authorization).
 */
export async function serveShape(shape: FederationShape, env: Record<string, string> = {}): Promise<ServedShape> {
  const subgraphs = await Promise.all(
    shape.subgraphs.map((s) => startTestSubgraph({ name: s.name, typeDefs: s.typeDefs, resolvers: s.resolvers })),
  );
  const supergraph = await writeSupergraphFile(
    composeSupergraph(subgraphs.map((s, i) => ({ name: s.name, url: s.url, typeDefs: shape.subgraphs[i]!.typeDefs }))),
  );
  const router = await startRouter(
    {
      ...configFromEnv({ HEIMDALL_URL: 'http://127.0.0.1:9/graphql', ...env }),
      port: 0,
      supergraphPath: supergraph.path,
    },
    pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  );
  return {
    shape,
    subgraphs,
    supergraph,
    router,
    async stop() {
      await router.stop();
      await Promise.all(subgraphs.map((s) => s.stop()));
      await supergraph.remove();
    },
  };
}

/** `router_executions_total` by executor (`router`, `apollo-gateway`). */
export async function executions(router: Router): Promise<Record<string, number>> {
  const metric = await router.metrics.executions.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.executor), v.value]));
}
