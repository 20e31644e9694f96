import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_CLUSTER_EVENTS, errorCodes, graphql, podEventInput, tokenFor } from '@dataos/testkit';
import { DEDUPE_URN, ORDERS_URN, scenario } from './stream.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let bob: string;
let alice: string;
let carol: string;
const base = new Date(Date.now() - 3 * 3_600_000);
const s = scenario(base);
const ingest = (token: string, input: unknown) =>
  graphql<{ ingestEvents: Record<string, number> }>(stack.url, INGEST_CLUSTER_EVENTS, { token, variables: { input } });

beforeAll(async () => {
  // The archive on the devstack's S3 server, as in npm run dev: podHistory reads it back from there.
  stack = await startStack({ archive: 's3' });
  [bob, alice, carol] = await Promise.all([tokenFor('bob'), tokenFor('alice'), tokenFor('carol')]);
});
afterAll(async () => {
  await stack?.stop();
});

const POD_FIELDS =
  'namespace name phase nodeName restarts ready deleted resourceUrn resourceType resourceVersion owner { kind name }';

describe('Caretaker over GraphQL', () => {
  it('bob (operator) replays the event stream through ingestEvents', async () => {
    for (const batch of s.batches) {
      const res = await ingest(bob, batch.input);
      expect(res.errors).toBeUndefined();
      expect(res.data?.ingestEvents).toEqual(batch.expect);
    }
  });

  it('lists current pods in order, with Relay pagination and a total', async () => {
    const q = `query ($after: String) { pods(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${POD_FIELDS} } } } }`;
    type Page = {
      pods: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { namespace: string; name: string } }[];
      };
    };
    const one = await graphql<Page>(stack.url, q, { token: bob });
    expect(one.errors).toBeUndefined();
    expect(one.data?.pods.totalCount).toBe(4);
    expect(one.data?.pods.pageInfo.hasNextPage).toBe(true);
    const two = await graphql<Page>(stack.url, q, {
      token: bob,
      variables: { after: one.data?.pods.pageInfo.endCursor },
    });
    expect(two.data?.pods.pageInfo.hasNextPage).toBe(false);
    expect([...one.data!.pods.edges, ...two.data!.pods.edges].map((e) => `${e.node.namespace}/${e.node.name}`)).toEqual(
      ['finance/invoices-export-1', 'retail/customers-dedupe-1', 'retail/orders-ingest-1', 'retail/orders-ingest-2'],
    );
  });

  it.each([
    [{ namespace: 'finance' }, ['invoices-export-1']],
    [{ resourceUrn: ORDERS_URN }, ['orders-ingest-1', 'orders-ingest-2']],
    [{ resourceUrn: 'resource://workflow/retail/orders-ingest' }, ['orders-ingest-1', 'orders-ingest-2']],
    [{ resourceType: 'workflow', phases: ['FAILED', 'PENDING'] }, ['invoices-export-1', 'customers-dedupe-1']],
    [{ workload: { kind: 'Job', name: 'customers-dedupe-1' } }, ['customers-dedupe-1']],
    [{ nodeName: 'node-1' }, ['orders-ingest-1', 'orders-ingest-2']],
    [{ labels: [{ name: 'app', value: 'inventory-sync' }], includeDeleted: true }, ['inventory-sync-1']],
    [{ labels: [{ name: 'app', value: 'inventory-sync' }] }, []],
  ])('filters pods by %j', async (filter, names) => {
    const res = await graphql<{ pods: { edges: { node: { name: string } }[] } }>(
      stack.url,
      'query ($f: PodFilter) { pods(filter: $f) { edges { node { name } } } }',
      { token: bob, variables: { f: filter } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.pods.edges.map((e) => e.node.name)).toEqual(names);
  });

  it('a pod by name, with containers, conditions, its resource and its history', async () => {
    const res = await graphql(
      stack.url,
      `{ pod(namespace: "retail", name: "customers-dedupe-1") {
          ${POD_FIELDS} reason cpuRequestMillis memoryRequestBytes
          labels { name value } conditions { type status } containers { name restartCount state cpuRequestMillis }
          resource { urn }
          history { edges { node { resourceVersion phase restarts type source } } }
        } }`,
      { token: bob },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({
      pod: {
        phase: 'FAILED',
        reason: 'OOMKilled',
        nodeName: 'node-2',
        restarts: 2,
        resourceUrn: DEDUPE_URN,
        resourceType: 'workflow',
        resourceVersion: '41',
        owner: { kind: 'Job', name: 'customers-dedupe-1' },
        memoryRequestBytes: 6 * 2 ** 30,
        containers: [{ name: 'main', restartCount: 2, state: 'TERMINATED', cpuRequestMillis: 500 }],
        resource: { urn: DEDUPE_URN },
        history: {
          edges: [
            { node: { resourceVersion: '14', phase: 'PENDING', type: 'ADDED', source: 'MONGODB' } },
            { node: { resourceVersion: '16', phase: 'RUNNING', restarts: 0 } },
            { node: { resourceVersion: '18', phase: 'RUNNING', restarts: 1 } },
            { node: { resourceVersion: '21', phase: 'RUNNING', restarts: 1 } },
            { node: { resourceVersion: '41', phase: 'FAILED', restarts: 2 } },
          ],
        },
      },
    });
    const missing = await graphql(stack.url, '{ pod(namespace: "retail", name: "nope") { name } }', { token: bob });
    expect(missing.data).toEqual({ pod: null });
  });

  it('pod history over a time range, paged', async () => {
    const q = `query ($from: DateTime!, $to: DateTime!, $after: String) {
      podHistory(namespace: "retail", name: "orders-ingest-1", from: $from, to: $to, first: 2, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { id phase time } } } }`;
    type H = {
      podHistory: {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { id: string; phase: string } }[];
      };
    };
    const variables = { from: s.at(0).toISOString(), to: s.at(60).toISOString() };
    const p1 = await graphql<H>(stack.url, q, { token: bob, variables });
    const p2 = await graphql<H>(stack.url, q, {
      token: bob,
      variables: { ...variables, after: p1.data?.podHistory.pageInfo.endCursor },
    });
    expect([...p1.data!.podHistory.edges, ...p2.data!.podHistory.edges].map((e) => e.node.phase)).toEqual([
      'PENDING',
      'PENDING',
      'RUNNING',
      'SUCCEEDED',
    ]);
    expect(p1.data?.podHistory.edges[0]?.node.id).toBe('Pod/retail/orders-ingest-1@12');
    const narrow = await graphql<H>(stack.url, q, {
      token: bob,
      variables: { from: s.at(2).toISOString(), to: s.at(3).toISOString() },
    });
    expect(narrow.data?.podHistory.edges.map((e) => e.node.phase)).toEqual(['RUNNING']);
    const bad = await graphql(stack.url, q, {
      token: bob,
      variables: { from: s.at(5).toISOString(), to: s.at(1).toISOString() },
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.extensions?.field).toBe('to');
  });

  it('aggregates: by phase, namespace and node; restarts; requests against allocatable', async () => {
    const res = await graphql(
      stack.url,
      `{ podAggregates {
          total restarts unscheduled cpuRequestMillis cpuAllocatableMillis
          byPhase { phase count }
          byNamespace { namespace pods restarts }
          byNode { nodeName pods cpuRequestMillis cpuAllocatableMillis cpuRequestedRatio memoryRequestedRatio pressure }
        }
        podEventStats(from: "${s.at(0).toISOString()}", to: "${s.at(60).toISOString()}") {
          total archived byType { type count } byNamespace { namespace events failed deleted }
        } }`,
      { token: bob },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({
      podAggregates: {
        total: 4,
        restarts: 2,
        unscheduled: 1,
        cpuRequestMillis: 2000,
        cpuAllocatableMillis: 12000,
        byPhase: [
          { phase: 'PENDING', count: 1 },
          { phase: 'RUNNING', count: 1 },
          { phase: 'SUCCEEDED', count: 1 },
          { phase: 'FAILED', count: 1 },
        ],
        byNamespace: [
          { namespace: 'finance', pods: 1, restarts: 0 },
          { namespace: 'retail', pods: 3, restarts: 2 },
        ],
        byNode: [
          {
            nodeName: 'node-1',
            pods: 2,
            cpuRequestMillis: 1500,
            cpuAllocatableMillis: 8000,
            cpuRequestedRatio: 0.1875,
            pressure: [],
          },
          { nodeName: 'node-2', pods: 1, cpuRequestMillis: 0, pressure: ['MemoryPressure'] },
          { nodeName: null, pods: 1, cpuRequestMillis: 500, cpuAllocatableMillis: null },
        ],
      },
      podEventStats: {
        total: 14,
        archived: 0,
        byType: [
          { type: 'ADDED', count: 5 },
          { type: 'MODIFIED', count: 8 },
          { type: 'DELETED', count: 1 },
        ],
        byNamespace: [
          { namespace: 'finance', events: 1, failed: 0, deleted: 0 },
          { namespace: 'retail', events: 13, failed: 1, deleted: 1 },
        ],
      },
    });
  });

  it('podEventStats comes from the rollups at one-hour resolution, and says which range it counted', async () => {
    expect(await stack.caretaker.rollups.backfilled).toMatchObject({ ran: true });
    const hour = (t: Date) => new Date(Math.floor(t.getTime() / 3_600_000) * 3_600_000);
    const from = new Date(s.at(2).getTime() + 1);
    const to = new Date(s.at(2).getTime() + 2);
    const q = `{ podEventStats(from: "${from.toISOString()}", to: "${to.toISOString()}") { from to total } }`;
    const before = await graphql<{ podEventStats: { from: string; to: string; total: number } }>(stack.url, q, {
      token: bob,
    });
    expect(before.errors).toBeUndefined();
    expect(before.data?.podEventStats.from).toBe(hour(from).toISOString());
    expect(before.data?.podEventStats.to).toBe(new Date(hour(from).getTime() + 3_600_000).toISOString());
    // Every event of that hour, not only the one millisecond asked for; compaction changes nothing.
    expect(before.data?.podEventStats.total).toBeGreaterThan(1);
    expect((await stack.caretaker.rollups.compact()).ran).toBe(true);
    expect((await graphql(stack.url, q, { token: bob })).data).toEqual(before.data);
  });

  it('nodes: inventory with conditions, taints, pressure and usage', async () => {
    const res = await graphql(
      stack.url,
      `
        {
          nodes {
            name
            roles
            ready
            pressure
            kubeletVersion
            capacity {
              cpuMillis
              memoryBytes
              pods
            }
            allocatable {
              cpuMillis
            }
            taints {
              key
              effect
            }
            conditions {
              type
              status
            }
            usage {
              pods
              memoryRequestedRatio
            }
            pods {
              totalCount
            }
          }
          node(name: "node-2") {
            name
            resourceVersion
            unschedulable
          }
        }
      `,
      { token: bob },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({
      nodes: [
        {
          name: 'node-1',
          roles: ['worker'],
          ready: true,
          pressure: [],
          capacity: { cpuMillis: 8000, memoryBytes: 32 * 2 ** 30, pods: 110 },
          taints: [],
          usage: { pods: 2 },
          pods: { totalCount: 2 },
        },
        {
          name: 'node-2',
          pressure: ['MemoryPressure'],
          taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
          usage: { pods: 1, memoryRequestedRatio: 0 },
        },
      ],
      node: { name: 'node-2', resourceVersion: '40', unschedulable: false },
    });
  });

  it('extends the Metis Resource with its pods (entity resolution)', async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Resource { urn pods { totalCount edges { node { name phase } } } }
      ... on Pod { name phase }
    } }`;
    const variables = {
      r: [
        { __typename: 'Resource', urn: ORDERS_URN },
        { __typename: 'Resource', urn: 'resource://workflow/public/none' },
        // The alias form of ORDERS_URN names the same resource.
        { __typename: 'Resource', urn: 'resource://workflow/retail/orders-ingest' },
        { __typename: 'Pod', namespace: 'retail', name: 'customers-dedupe-1' },
      ],
    };
    const res = await graphql(stack.url, q, { token: bob, variables });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      _entities: [
        {
          urn: ORDERS_URN,
          pods: {
            totalCount: 2,
            edges: [
              { node: { name: 'orders-ingest-1', phase: 'SUCCEEDED' } },
              { node: { name: 'orders-ingest-2', phase: 'RUNNING' } },
            ],
          },
        },
        { urn: 'resource://workflow/public/none', pods: { totalCount: 0, edges: [] } },
        {
          urn: 'resource://workflow/retail/orders-ingest',
          pods: {
            totalCount: 2,
            edges: [
              { node: { name: 'orders-ingest-1', phase: 'SUCCEEDED' } },
              { node: { name: 'orders-ingest-2', phase: 'RUNNING' } },
            ],
          },
        },
        { name: 'customers-dedupe-1', phase: 'FAILED' },
      ],
    });
    const denied = await graphql(stack.url, q, { token: alice, variables });
    expect(errorCodes(denied)).toContain('FORBIDDEN');
    expect(JSON.stringify(denied.data)).not.toContain('orders-ingest-1');
  });

  it('bad input: BAD_USER_INPUT at the field, and nothing of the batch is written', async () => {
    const before = await stack.caretaker.collections.history.countDocuments();
    const good = podEventInput({
      type: 'ADDED',
      rv: 500,
      at: s.at(30),
      namespace: 'retail',
      name: 'new-pod',
      phase: 'PENDING',
    });
    const bad = podEventInput({
      rv: 501,
      at: s.at(30),
      namespace: 'retail',
      name: 'other',
      phase: 'RUNNING',
      cpu: 'a lot',
    });
    const res = await ingest(bob, { pods: [good, bad] });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe('input.pods[1].pod.containers[0].cpuRequest');
    expect(res.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    expect(await stack.caretaker.collections.history.countDocuments()).toBe(before);
    expect(await stack.caretaker.collections.pods.countDocuments({ name: 'new-pod' })).toBe(0);
    const filter = await graphql(stack.url, '{ pods(filter: { namespace: "Not_A_Namespace" }) { totalCount } }', {
      token: bob,
    });
    expect(filter.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.namespace' });
    const page = await graphql(stack.url, '{ pods(first: 100000) { totalCount } }', { token: bob });
    expect(page.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('archives old history on demand; history then reads the archive', async () => {
    const old = new Date(Date.now() - 10 * 86_400_000);
    const events = [
      podEventInput({
        type: 'ADDED',
        rv: 2,
        at: old,
        namespace: 'retail',
        name: 'orders-ingest-0',
        phase: 'PENDING',
        urn: ORDERS_URN,
      }),
      podEventInput({
        rv: 3,
        at: new Date(old.getTime() + 60_000),
        namespace: 'retail',
        name: 'orders-ingest-0',
        phase: 'SUCCEEDED',
        node: 'node-1',
        urn: ORDERS_URN,
      }),
    ];
    expect((await ingest(bob, { pods: events })).data?.ingestEvents).toMatchObject({ recorded: 2 });
    const run = await graphql<{ archiveHistory: { archived: number; objects: { key: string; count: number }[] } }>(
      stack.url,
      'mutation { archiveHistory { cutoff archived recovered alreadyArchived objects { key day count sha256 } } }',
      { token: carol },
    );
    expect(run.errors).toBeUndefined();
    expect(run.data?.archiveHistory.archived).toBe(2);
    expect(run.data?.archiveHistory.objects[0]?.key).toMatch(
      /^history\/dt=\d{4}-\d{2}-\d{2}\/ns=retail\/part-[0-9a-f]{16}\.ndjson\.gz$/,
    );
    // The object and its manifest are in the store (a bucket of the S3 server), under the database's prefix.
    const key = run.data!.archiveHistory.objects[0]!.key;
    const stored = await stack.archive.list('');
    expect(
      stored.filter((k) => k.endsWith(key) || k.endsWith(key.replace(/\.ndjson\.gz$/, '.manifest.json'))),
    ).toHaveLength(2);
    const history = await graphql(
      stack.url,
      `{ podHistory(namespace: "retail", name: "orders-ingest-0", from: "${new Date(old.getTime() - 3_600_000).toISOString()}", to: "${new Date().toISOString()}") { edges { node { phase source } } } }`,
      { token: bob },
    );
    expect(history.data).toEqual({
      podHistory: {
        edges: [{ node: { phase: 'PENDING', source: 'ARCHIVE' } }, { node: { phase: 'SUCCEEDED', source: 'ARCHIVE' } }],
      },
    });
  });
});

describe('authorization: operators and admins only', () => {
  const READS = [
    '{ pods { totalCount } }',
    '{ pod(namespace: "retail", name: "orders-ingest-1") { name } }',
    `{ podHistory(namespace: "retail", name: "orders-ingest-1", from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z") { edges { cursor } } }`,
    '{ podAggregates { total } }',
    `{ podEventStats(from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z") { total } }`,
    '{ nodes { name } }',
    '{ node(name: "node-1") { name } }',
  ];

  it.each(READS)('bob and carol read, alice (data-dev) is refused with a reason: %s', async (query) => {
    for (const token of [bob, carol]) expect((await graphql(stack.url, query, { token })).errors).toBeUndefined();
    const refused = await graphql(stack.url, query, { token: alice });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.message).toMatch(/Not allowed to read \/caretaker\/(pods|nodes)/);
    expect(refused.errors?.[0]?.extensions?.reason).toBeTruthy();
  });

  it.each([
    [
      'ingestEvents',
      INGEST_CLUSTER_EVENTS,
      {
        input: {
          pods: [
            podEventInput({ rv: 1, at: new Date(), namespace: 'Bad_NS', name: 'x', phase: 'RUNNING', cpu: 'a lot' }),
          ],
        },
      },
    ],
    ['ingestEvents (empty)', INGEST_CLUSTER_EVENTS, { input: { pods: [] } }],
    [
      'pods',
      'query ($f: PodFilter) { pods(first: 100000, filter: $f) { totalCount } }',
      { f: { namespace: 'Not_A_Namespace' } },
    ],
    ['pod', '{ pod(namespace: "Not_A_Namespace", name: "x") { name } }', {}],
    [
      'podAggregates',
      'query ($f: PodFilter) { podAggregates(filter: $f) { total } }',
      { f: { resourceUrn: 'not-a-urn' } },
    ],
    [
      'podHistory',
      '{ podHistory(namespace: "retail", name: "x", from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z") { edges { cursor } } }',
      {},
    ],
    ['podEventStats', '{ podEventStats(from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z") { total } }', {}],
    ['node', '{ node(name: "Not A Node") { name } }', {}],
  ])(
    'alice sending invalid input to %s gets FORBIDDEN, not the validation details',
    async (_name, query, variables) => {
      const res = await graphql(stack.url, query, { token: alice, variables });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors?.[0]?.extensions?.field).toBeUndefined();
      // The same input from bob is refused as bad input.
      expect(errorCodes(await graphql(stack.url, query, { token: bob, variables }))).toEqual(['BAD_USER_INPUT']);
    },
  );

  it('without a token: UNAUTHENTICATED, no data', async () => {
    for (const query of READS) {
      const res = await graphql(stack.url, query);
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.data ?? null).toBeNull();
    }
  });

  it('alice cannot ingest or archive; nothing is written', async () => {
    const before = await stack.caretaker.collections.history.countDocuments();
    const res = await ingest(alice, {
      pods: [podEventInput({ rv: 900, at: new Date(), namespace: 'retail', name: 'sneaky', phase: 'RUNNING' })],
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toMatch(/write \/caretaker\/ingest/);
    expect(errorCodes(await graphql(stack.url, 'mutation { archiveHistory { archived } }', { token: alice }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(await stack.caretaker.collections.history.countDocuments()).toBe(before);
  });
});
