import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import {
  composeSupergraph,
  startTestSubgraph,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';

/** A supergraph without authorization directives whose subgraphs serve GraphQL and nothing else. */
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;
const A_SDL = `${FEDERATION} type Query { hello: String }`;
const B_SDL = `${FEDERATION} type Query { world: String }`;

let a: TestSubgraph;
let b: TestSubgraph;
let supergraph: SupergraphFile;
const routers: Router[] = [];

async function router(env: Record<string, string> = {}): Promise<Router> {
  const r = await startRouter(
    {
      ...configFromEnv({ ADMIN_PORT: '0', HEIMDALL_URL: 'http://127.0.0.1:9/graphql', ...env }),
      port: 0,
      supergraphPath: supergraph.path,
    },
    pino({ level: 'silent' }),
  );
  routers.push(r);
  return r;
}

const detail = async (r: Router) => {
  const res = await fetch(`${r.adminUrl}/health`);
  return {
    status: res.status,
    body: (await res.json()) as {
      status: string;
      supergraph: { loaded: boolean; loadedAt?: string };
      subgraphs: { name: string; ok: boolean; probe: string }[];
    },
  };
};

beforeAll(async () => {
  a = await startTestSubgraph({
    name: 'a',
    typeDefs: A_SDL,
    resolvers: { Query: { hello: () => 'hi' } },
    healthRoute: false,
  });
  b = await startTestSubgraph({
    name: 'b',
    typeDefs: B_SDL,
    resolvers: { Query: { world: () => 'earth' } },
    healthRoute: false,
  });
  supergraph = await writeSupergraphFile(
    composeSupergraph([
      { name: 'a', url: a.url, typeDefs: A_SDL },
      { name: 'b', url: b.url, typeDefs: B_SDL },
    ]),
  );
});

afterAll(async () => {
  await Promise.all(routers.map((r) => r.stop()));
  await Promise.all([a?.stop(), b?.stop()]);
  await supergraph?.remove();
});

describe('/health for any supergraph', () => {
  it('is ready when subgraphs without a /health route answer a GraphQL probe, and says the supergraph is loaded', async () => {
    const r = await router();
    const { status, body } = await detail(r);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.supergraph.loaded).toBe(true);
    expect(Date.parse(body.supergraph.loadedAt!)).toBeLessThanOrEqual(Date.now());
    expect(body.subgraphs.map((s) => [s.name, s.ok, s.probe])).toEqual([
      ['a', true, 'graphql'],
      ['b', true, 'graphql'],
    ]);
    expect(a.fetchesMentioning('RouterHealthProbe').length).toBeGreaterThan(0);
  });

  it('with SUBGRAPH_HEALTH_PROBE=health, a subgraph without the route is down', async () => {
    const r = await router({ SUBGRAPH_HEALTH_PROBE: 'health' });
    const { status, body } = await detail(r);
    expect(status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.subgraphs.every((s) => !s.ok && s.probe === 'health')).toBe(true);
  });

  it('a subgraph that is down is named, whichever probe', async () => {
    const c = await startTestSubgraph({
      name: 'a',
      typeDefs: A_SDL,
      resolvers: { Query: { hello: () => 'hi' } },
      healthRoute: false,
    });
    const file = await writeSupergraphFile(composeSupergraph([{ name: 'a', url: c.url, typeDefs: A_SDL }]));
    try {
      const r = await startRouter(
        { ...configFromEnv({ ADMIN_PORT: '0', HEALTH_CACHE_MS: '0' }), port: 0, supergraphPath: file.path },
        pino({ level: 'silent' }),
      );
      routers.push(r);
      expect((await detail(r)).status).toBe(200);
      await c.stop();
      const { status, body } = await detail(r);
      expect(status).toBe(503);
      expect(body.subgraphs).toEqual([expect.objectContaining({ name: 'a', ok: false })]);
    } finally {
      await file.remove();
    }
  });

  it('/health?live asks no subgraph; a flood of /health shares one check per HEALTH_CACHE_MS', async () => {
    const r = await router({ HEALTH_CACHE_MS: '60000' });
    const base = r.url.replace('/graphql', '/health');
    const before = a.healthChecks + a.fetchesMentioning('RouterHealthProbe').length;
    const live = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}?live`)));
    expect(live.map((res) => res.status)).toEqual(Array(20).fill(200));
    expect(a.healthChecks + a.fetchesMentioning('RouterHealthProbe').length).toBe(before);

    const flood = await Promise.all(Array.from({ length: 50 }, () => fetch(base).then((res) => res.json())));
    expect(flood.every((body) => JSON.stringify(body) === '{"status":"ok"}')).toBe(true);
    // One readiness check for all 50: one /health attempt (404) and one GraphQL probe.
    expect(a.healthChecks + a.fetchesMentioning('RouterHealthProbe').length - before).toBe(2);
  });
});
