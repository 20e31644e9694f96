import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFolderArchiveStore, createCaretakerSubgraph } from '@dataos/caretaker';
import { DEV_CLIENTS, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { StaticColumnCatalog, createGatewaySubgraph, seedGateway } from '@dataos/gateway';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph } from '@dataos/metis';
import { createOdinSubgraph } from '@dataos/odin';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import { ServiceCaller, UNTRUSTED_CALLER } from '@dataos/service-identity';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  CARETAKER_OPERATORS_POLICY,
  INGEST_CLUSTER_EVENTS,
  gatewayAccessPolicies,
  graphql,
  podEventInput,
  routerCredentialsEnv,
  testMongo,
  tokenFor,
  uniqueId,
  wsClient,
  type TestMongo,
  type TestPodEvent,
  type TestWsClient,
} from '@dataos/testkit';
import { pino } from 'pino';
import { devRouterIdentityEnv, devServiceIdentityEnv } from '../../scripts/lib/service-identity.js';
import type { SubgraphName } from '../../scripts/lib/subgraphs.js';
import { roundRobin, type RoundRobin } from './round-robin.js';

/**
 * Two routers and two replicas of every subgraph, each service behind a round-robin proxy,
 * against the shared stores, with service identity on every hop (as `npm run dev` and the chart
 * run them). The replicas share a process (starting 12 processes would cost this 2-core CI a
 * minute); they share no state but what the stores hold: every cache named in the README is
 * per instance. The issuer is this file's own: the shared one may predate the service clients.
 */
const SUPERGRAPH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const NAMES: SubgraphName[] = ['heimdall', 'metis', 'odin', 'gateway', 'caretaker'];
/**
 * Heimdall's policy poll (HEIMDALL_POLL_MS, its default) and the README's bound on a change
 * reaching every replica: each Heimdall replica within its poll (slower on a loaded machine),
 * each router at once from the policy feed and again 2 s and 5 s later (POLICY_SETTLE_MS), in
 * case a Heimdall replica answered before it had reloaded.
 */
const HEIMDALL_POLL_MS = 1000;
const POLICY_BOUND_MS = 8000;

interface Replica {
  url: string;
  /** Caretaker's live feed: how many subscribers it opened. */
  live?: { opened: number };
  /** Caretaker's rollup compaction (main.ts runs it on a timer on every replica). */
  compact?: () => Promise<unknown>;
  stop(): Promise<void>;
}

let issuer: RunningIssuer;
let neo4j: Neo4jStore;
const mongo: Partial<Record<'heimdall' | 'gateway' | 'caretaker', TestMongo>> = {};
const proxies = {} as Record<SubgraphName | 'router', RoundRobin>;
const replicas = {} as Record<SubgraphName, Replica[]>;
const routers: Router[] = [];
const clients: TestWsClient[] = [];
const closers: (() => Promise<unknown>)[] = [];
let archiveDir: string;
let bob: string;
let carol: string;
/** The router's own caller, for calls straight to one replica (as the router would make them). */
let asRouter: ServiceCaller;

/** Runs `create` with `vars` in the environment: the kit and the peer clients read their settings there at creation. */
async function withEnv<T>(vars: Record<string, string>, create: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await create();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

async function startReplica(name: SubgraphName): Promise<Replica> {
  const created = await withEnv(devServiceIdentityEnv(name), async () => {
    switch (name) {
      case 'heimdall':
        return createHeimdallSubgraph({ mongo: mongo.heimdall!, pollMs: HEIMDALL_POLL_MS });
      case 'metis':
        return createMetisSubgraph({ neo4j });
      case 'odin':
        return createOdinSubgraph({ neo4j, metisUrl: proxies.metis.url });
      case 'gateway':
        // The demo tables' columns from a static catalog: the demo catalog need not be in the shared Neo4j.
        return createGatewaySubgraph({
          mongo: mongo.gateway!,
          catalog: StaticColumnCatalog.fromDemo(),
          concepts: false,
          healthIntervalMs: 0,
        });
      case 'caretaker':
        // One archive for both replicas, as a bucket would be.
        return createCaretakerSubgraph({
          mongo: mongo.caretaker!,
          livePollMs: 100,
          archive: new LocalFolderArchiveStore(archiveDir),
        });
    }
  });
  const running = await created.listen(0);
  return {
    url: running.url,
    ...('live' in created ? { live: created.live as { opened: number } } : {}),
    ...('rollups' in created ? { compact: created.rollups.compact } : {}),
    stop: async () => {
      await running.stop();
      await (created as { close?: () => Promise<unknown> }).close?.();
    },
  };
}

beforeAll(async () => {
  issuer = await startIssuer({ port: 0 });
  archiveDir = await mkdtemp(join(tmpdir(), 'replicas-archive-'));
  process.env.OIDC_ISSUER = issuer.issuer;
  neo4j = neo4jFromEnv('METIS');
  mongo.heimdall = await testMongo('HEIMDALL');
  mongo.gateway = await testMongo('GATEWAY');
  await seedGateway(mongo.gateway);
  mongo.caretaker = await testMongo('CARETAKER');
  for (const name of [...NAMES, 'router'] as const) proxies[name] = await roundRobin();
  // Every service finds its peers through their proxies, as through a Kubernetes Service.
  process.env.HEIMDALL_URL = proxies.heimdall.url;
  process.env.METIS_URL = proxies.metis.url;
  for (const name of NAMES) {
    replicas[name] = [await startReplica(name), await startReplica(name)];
    proxies[name].backends = replicas[name].map((r) => r.url);
  }
  const subgraphUrls = Object.fromEntries(NAMES.map((n) => [n, proxies[n].url]));
  for (let i = 0; i < 2; i++) {
    routers.push(
      await startRouter(
        {
          ...configFromEnv({
            HEIMDALL_URL: proxies.heimdall.url,
            ...routerCredentialsEnv(),
            ...devRouterIdentityEnv(),
          }),
          port: 0,
          supergraphPath: SUPERGRAPH,
          subgraphUrls,
        },
        pino({ level: process.env.REPLICAS_LOG ?? 'silent', name: `router-${i}` }),
      ),
    );
  }
  proxies.router.backends = routers.map((r) => r.url);
  asRouter = new ServiceCaller({
    clientId: DEV_CLIENTS.services,
    clientSecret: DEV_CLIENTS.servicesSecret,
    issuer: issuer.issuer,
  });
  [bob, carol] = await Promise.all([tokenFor('bob'), tokenFor('carol')]);
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const router of routers) await router.stop();
  for (const name of NAMES) for (const r of replicas[name] ?? []) await r.stop();
  for (const proxy of Object.values(proxies)) await proxy.stop();
  for (const close of closers) await close();
  for (const store of Object.values(mongo)) await store?.drop();
  await neo4j?.close();
  await issuer?.stop();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

const PODS = `query ($ns: String, $after: String) {
  pods(first: 1, after: $after, filter: { namespace: $ns }) { edges { node { name } } pageInfo { hasNextPage endCursor } }
}`;
type Pods = {
  pods: { edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } | null;
};

const at = new Date();
const pod = (namespace: string, name: string, rv: number): TestPodEvent => ({
  namespace,
  name,
  rv,
  at,
  phase: 'RUNNING',
  node: 'node-1',
});

describe('replicas: two routers, two of each subgraph, round-robin, shared stores', () => {
  it("refuses every replica called directly with a user's token alone (UNTRUSTED_CALLER)", async () => {
    for (const name of NAMES) {
      for (const replica of replicas[name]) {
        const res = await graphql(replica.url, '{ __typename }', { token: bob });
        expect(res.status, `${name} at ${replica.url}`).toBe(401);
        expect(res.errors?.[0]?.extensions?.code).toBe(UNTRUSTED_CALLER);
      }
    }
  });

  it('sees a policy change on every Heimdall replica and through both routers within the bound', async () => {
    // Before: bob is no operator; both routers remember that (their decision caches).
    for (const router of routers) {
      const res = await graphql<Pods>(router.url, PODS, { token: bob, variables: { ns: 'none' } });
      expect(res.data?.pods).toBeNull();
    }
    const created = await graphql(
      proxies.router.url,
      'mutation ($input: PolicyInput!) { createPolicy(input: $input) { name } }',
      {
        token: carol,
        variables: { input: { effect: 'ALLOW', ...CARETAKER_OPERATORS_POLICY } },
      },
    );
    expect(created.errors).toBeUndefined();
    const changed = Date.now();

    // Each Heimdall replica, asked as the router would ask it (its own token beside bob's).
    const heimdalls = replicas.heimdall.map(
      (r) => new HeimdallClient({ url: r.url, serviceCaller: asRouter, log: () => {} }),
    );
    const seenAfter: number[] = [];
    const pending = new Set([0, 1, 2, 3]);
    while (pending.size && Date.now() - changed < POLICY_BOUND_MS + 2000) {
      for (const i of [...pending]) {
        const allowed =
          i < 2
            ? await heimdalls[i]!.session(bob).can('read', '/caretaker/pods')
            : (await graphql<Pods>(routers[i - 2]!.url, PODS, { token: bob, variables: { ns: 'none' } })).data?.pods !==
              null;
        if (allowed) {
          pending.delete(i);
          seenAfter[i] = Date.now() - changed;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(
      `policy change seen after (ms): heimdall replicas ${seenAfter.slice(0, 2)}, routers ${seenAfter.slice(2)}`,
    );
    expect([...pending]).toEqual([]);
    for (const ms of seenAfter) expect(ms).toBeLessThan(POLICY_BOUND_MS);
  });

  it('delivers an event ingested at either Caretaker replica to a subscriber of either router', async () => {
    const ns = uniqueId('rep');
    const openedBefore = replicas.caretaker.reduce((n, r) => n + (r.live?.opened ?? 0), 0);
    const subscriber = wsClient(routers[0]!.url, { token: bob });
    clients.push(subscriber);
    const sub = subscriber.subscribe<{ podEvents: { name: string } }>(
      'subscription ($ns: String) { podEvents(filter: { namespace: $ns }) { name } }',
      { ns },
    );
    // Until the subscription is open at a Caretaker replica (events before it would not come).
    const opened = () => replicas.caretaker.reduce((n, r) => n + (r.live?.opened ?? 0), 0);
    for (let i = 0; i < 400 && opened() === openedBefore; i++) await new Promise((r) => setTimeout(r, 25));
    expect(opened()).toBe(openedBefore + 1);
    for (const [i, replica] of replicas.caretaker.entries()) {
      const res = await graphql(replica.url, INGEST_CLUSTER_EVENTS, {
        token: bob,
        headers: await asRouter.headers('caretaker'),
        variables: { input: { pods: [podEventInput(pod(ns, `from-replica-${i}`, 10 + i))] } },
      });
      expect(res.errors).toBeUndefined();
    }
    const got = await sub.take(2, 10_000);
    expect(got.map((r) => r.data?.podEvents.name).sort()).toEqual(['from-replica-0', 'from-replica-1']);
  });

  it("pages with one replica's cursor on the other: both routers and both Caretakers serve a page", async () => {
    const ns = uniqueId('cur');
    const ingest = await graphql(proxies.router.url, INGEST_CLUSTER_EVENTS, {
      token: bob,
      variables: { input: { pods: ['a', 'b', 'c', 'd'].map((n, i) => podEventInput(pod(ns, n, 100 + i))) } },
    });
    expect(ingest.errors).toBeUndefined();
    const before = { routers: [...proxies.router.hits], caretakers: [...proxies.caretaker.hits] };
    const names: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 4; page++) {
      const res = await graphql<Pods>(proxies.router.url, PODS, { token: bob, variables: { ns, after } });
      expect(res.errors).toBeUndefined();
      names.push(...res.data!.pods!.edges.map((e) => e.node.name));
      after = res.data!.pods!.pageInfo.endCursor;
    }
    expect(names).toEqual(['a', 'b', 'c', 'd']);
    // Each of the four pages went through the proxies: both routers and both replicas served some.
    const served = (now: number[], then: number[]) => now.map((n, i) => n - then[i]!);
    expect(served(proxies.router.hits, before.routers).every((n) => n >= 2)).toBe(true);
    expect(served(proxies.caretaker.hits, before.caretakers).every((n) => n >= 1)).toBe(true);
  });

  it("pages the Gateway's query history with one replica's cursor on the other", async () => {
    for (const policy of gatewayAccessPolicies({ retail: 'icebase' })) {
      const created = await graphql(
        proxies.router.url,
        'mutation ($input: PolicyInput!) { createPolicy(input: $input) { name } }',
        {
          token: carol,
          variables: { input: { effect: 'ALLOW', ...policy } },
        },
      );
      expect(created.errors).toBeUndefined();
    }
    const alice = await tokenFor('alice');
    // Three runs through either router on either Gateway replica (each a history entry in MongoDB).
    const run = (sql: string) =>
      graphql<{ runQuery: { queryId: string } }>(
        proxies.router.url,
        'query ($sql: String!) { runQuery(sql: $sql) { queryId } }',
        { token: alice, variables: { sql } },
      );
    const runs: string[] = [];
    for (const region of ['emea', 'amer', 'apac']) {
      // A policy just created reaches every Heimdall replica within its poll: retry until then.
      let res = await run(`SELECT count(*) AS n FROM icebase.retail.customers WHERE region = '${region}'`);
      for (let i = 0; i < 20 && res.errors; i++) {
        await new Promise((r) => setTimeout(r, 250));
        res = await run(`SELECT count(*) AS n FROM icebase.retail.customers WHERE region = '${region}'`);
      }
      expect(res.errors).toBeUndefined();
      runs.push(res.data!.runQuery.queryId);
    }
    const before = [...proxies.gateway.hits];
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 3; page++) {
      const res = await graphql<{ queries: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } }>(
        proxies.router.url,
        'query ($after: String) { queries(first: 1, after: $after) { edges { node { id } } pageInfo { endCursor } } }',
        { token: alice, variables: { after } },
      );
      expect(res.errors).toBeUndefined();
      ids.push(...res.data!.queries.edges.map((e) => e.node.id));
      after = res.data!.queries.pageInfo.endCursor;
    }
    // Newest first, each once, whichever replica served the page.
    expect(ids).toEqual([...runs].reverse());
    expect(proxies.gateway.hits.map((n, i) => n - before[i]!).every((n) => n >= 1)).toBe(true);
  });

  it('archives old history once when both Caretaker replicas archive at once; rollups count it once', async () => {
    const ns = uniqueId('arc');
    const old = Date.now() - 30 * 86_400_000;
    const events = [1, 2, 3, 4, 5, 6].map((rv) => ({ ...pod(ns, 'p', rv), at: new Date(old + rv * 60_000) }));
    const ingested = await graphql(proxies.router.url, INGEST_CLUSTER_EVENTS, {
      token: bob,
      variables: { input: { pods: events.map(podEventInput) } },
    });
    expect(ingested.errors).toBeUndefined();
    // Both replicas at once, as their timers may: each batch is claimed by one.
    const runs = await Promise.all(
      replicas.caretaker.map(async (r) =>
        graphql<{ archiveHistory: { archived: number } }>(r.url, 'mutation { archiveHistory { archived } }', {
          token: bob,
          headers: await asRouter.headers('caretaker'),
        }),
      ),
    );
    for (const run of runs) expect(run.errors).toBeUndefined();
    expect(runs.reduce((n, r) => n + r.data!.archiveHistory.archived, 0)).toBe(6);
    await Promise.all(replicas.caretaker.map((r) => r.compact!()));

    const range = { from: new Date(old - 86_400_000).toISOString(), to: new Date().toISOString() };
    const res = await graphql<{
      podEventStats: { total: number; archived: number };
      podHistory: { edges: { node: { resourceVersion: string } }[] };
    }>(
      proxies.router.url,
      `
        query ($ns: String!, $from: DateTime!, $to: DateTime!) {
          podEventStats(from: $from, to: $to, namespace: $ns) {
            total
            archived
          }
          podHistory(namespace: $ns, name: "p", from: $from, to: $to) {
            edges {
              node {
                resourceVersion
              }
            }
          }
        }
      `,
      { token: bob, variables: { ns, ...range } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.podEventStats).toEqual({ total: 6, archived: 6 });
    expect(res.data!.podHistory.edges.map((e) => e.node.resourceVersion)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
