import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph, seedMetis } from '@dataos/metis';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  DEMO_COLUMNS,
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
  servicesToken,
  startTestHeimdall,
  testMongo,
  tokenFor,
  uniqueId,
  type TestHeimdall,
  type TestMongo,
  dropOwnNodes,
} from '@dataos/testkit';
import { createGatewaySubgraph, seedGateway } from '../src/index.js';
import { DuckDbEngine } from '../src/engines/duckdb.js';
import { UsageReporter } from '../src/usage-report.js';

/**
 * Usage from the Gateway's queries: a real Gateway (DuckDB) reports to a real Metis (Neo4j) as the
 * dev issuer's services client, with a real Heimdall; the counts are read back through Metis.
 */
type User = 'alice' | 'carol';
const id = uniqueId('us');
const customersUrn = `dataos://${id}:retail/customers`;
const ordersUrn = `dataos://${id}:retail/orders`;

let neo4j: Neo4jStore;
let mongo: TestMongo;
let heimdall: TestHeimdall;
let reporter: UsageReporter;
let refused: UsageReporter;
let running: { url: string; stop(): Promise<void> }[] = [];
let gatewayUrl: string;
let metisUrl: string;

interface Usage {
  window: string;
  queries: number;
  distinctUsers: number;
  lastQueriedAt: string;
  columns: { name: string; queries: number }[];
  topUsers: { subject: string; queries: number }[] | null;
  topQueries: { sql: string; queries: number }[] | null;
}
interface Report {
  recordQueryUsage: { recorded: number; duplicates: number; skipped: number };
}

const gql = async <T = Record<string, unknown>>(user: User, url: string, query: string, variables = {}) =>
  graphql<T>(url, query, { variables, token: await tokenFor(user) });
const run = (user: User, sql: string) =>
  gql(user, gatewayUrl, `query ($sql: String!) { runQuery(sql: $sql) { queryId rowCount } }`, { sql });
const USAGE = `query ($urn: ID!, $window: UsageWindow) {
  dataset(urn: $urn) { usage(window: $window) {
    window queries distinctUsers lastQueriedAt columns { name queries } topUsers { subject queries } topQueries { sql queries }
  } }
}`;
const usage = async (user: User, urn: string, window = 'D7') => {
  const res = await gql<{ dataset: { usage: Usage } }>(user, metisUrl, USAGE, { urn, window });
  expect(res.errors).toBeUndefined();
  return res.data!.dataset.usage;
};

const columns = DEMO_COLUMNS;

beforeAll(async () => {
  neo4j = neo4jFromEnv('METIS');
  mongo = await testMongo('GATEWAY');
  heimdall = await startTestHeimdall({
    policies: [
      ...gatewayAccessPolicies({ retail: id }),
      {
        name: `${id}-usage-push`,
        subjects: [['users:id:dataos-services']],
        actions: ['write'],
        objects: { paths: ['/metis/usage'] },
      },
    ],
  });
  const heimdallClient = new HeimdallClient({ url: heimdall.url });
  await seedMetis(neo4j, [
    {
      urn: customersUrn,
      name: 'customers',
      description: 'Customers (usage test).',
      layer: 'curated',
      tags: [],
      columns: columns.customers,
    },
    {
      urn: ordersUrn,
      name: 'orders',
      description: 'Orders (usage test).',
      layer: 'curated',
      tags: [],
      columns: columns.orders,
    },
  ]);
  const metis = await serveTestSubgraph(await createMetisSubgraph({ neo4j, heimdall: heimdallClient }));
  metisUrl = metis.url;
  reporter = new UsageReporter({ url: metis.url, token: servicesToken, flushMs: 50 });
  // A principal without the right: its reports are refused and dropped, never counted.
  refused = new UsageReporter({ url: metis.url, token: () => tokenFor('alice'), flushMs: 50 });
  await seedGateway(mongo);
  const gateway = await createGatewaySubgraph({
    mongo,
    heimdall: heimdallClient,
    metisUrl: metis.url,
    concepts: false,
    duckdb: await DuckDbEngine.create({ depotAliases: { [id]: 'icebase' } }),
    healthIntervalMs: 0,
    usage: reporter,
  });
  const served = await serveTestSubgraph(gateway, () => mongo.drop());
  gatewayUrl = served.url;
  running = [served, metis];
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop();
  await heimdall?.stop();
  if (neo4j) await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'UsageEvent']);
  await neo4j?.close();
});

describe('usage from the Gateway', () => {
  it('counts follow queries run through the Gateway: per dataset, per column, users and texts', async () => {
    const before = await usage('carol', customersUrn);
    expect(before).toMatchObject({ queries: 0, distinctUsers: 0, lastQueriedAt: null, columns: [] });

    const join = `SELECT c.region, count(*) AS n FROM ${id}.retail.customers c JOIN ${id}.retail.orders o ON o.customer_id = c.customer_id GROUP BY c.region`;
    const plain = `SELECT email FROM ${id}.retail.customers`;
    for (const [user, sql] of [
      ['alice', plain],
      ['alice', plain],
      ['carol', join],
    ] as const) {
      const res = await run(user, sql);
      expect(res.errors).toBeUndefined();
    }
    // A refused query (no such column) is not usage.
    expect((await run('alice', `SELECT nope FROM ${id}.retail.customers`)).errors).toBeDefined();
    await reporter.flush();
    expect(reporter.sent).toBe(3);

    const customers = await usage('carol', customersUrn);
    expect(customers.queries).toBe(3);
    expect(customers.distinctUsers).toBe(2);
    expect(Date.now() - Date.parse(customers.lastQueriedAt)).toBeLessThan(60_000);
    expect(customers.topUsers).toEqual([
      { subject: 'users:id:alice', queries: 2 },
      { subject: 'users:id:carol', queries: 1 },
    ]);
    expect(customers.topQueries).toEqual([
      { sql: plain, queries: 2 },
      { sql: join, queries: 1 },
    ]);
    const byName = Object.fromEntries(customers.columns.map((c) => [c.name, c.queries]));
    expect(byName).toEqual({ email: 2, region: 1, customer_id: 1 });

    const orders = await usage('carol', ordersUrn);
    expect(orders).toMatchObject({ queries: 1, distinctUsers: 1, columns: [{ name: 'customer_id', queries: 1 }] });
  });

  it('a report sent again (a retry, another replica) counts nothing twice', async () => {
    const again = await graphql<Report>(
      metisUrl,
      `
        mutation ($q: [QueryUsageInput!]!) {
          recordQueryUsage(queries: $q) {
            recorded
            duplicates
            skipped
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          q: [
            {
              queryId: `${id}-q1`,
              subject: 'users:id:dave',
              sql: 'SELECT 1',
              datasets: [ordersUrn],
              finishedAt: new Date(),
            },
            {
              queryId: `${id}-q2`,
              subject: 'users:id:dave',
              sql: 'SELECT 2',
              datasets: [`dataos://${id}:retail/nowhere`],
              finishedAt: new Date(),
            },
          ],
        },
      },
    );
    expect(again.data?.recordQueryUsage).toEqual({ recorded: 1, duplicates: 0, skipped: 1 });
    const twice = await graphql<Report>(
      metisUrl,
      `
        mutation ($q: [QueryUsageInput!]!) {
          recordQueryUsage(queries: $q) {
            recorded
            duplicates
            skipped
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          q: [
            {
              queryId: `${id}-q1`,
              subject: 'users:id:dave',
              sql: 'SELECT 1',
              datasets: [ordersUrn],
              finishedAt: new Date(),
            },
          ],
        },
      },
    );
    expect(twice.data?.recordQueryUsage).toEqual({ recorded: 0, duplicates: 1, skipped: 0 });
    expect((await usage('carol', ordersUrn)).queries).toBe(2);
  });

  it('search ranks by usage with sort: USAGE, by relevance otherwise, and pages keep that order', async () => {
    const SEARCH = `query ($q: String!, $sort: CatalogSearchSort, $after: String) {
      search(query: $q, first: 1, after: $after, filter: { types: [DATASET], source: "${id}" }, sort: $sort) {
        edges { node { node { ... on Dataset { urn } } } } pageInfo { endCursor }
      }
    }`;
    type Page = { search: { edges: { node: { node: { urn: string } } }[]; pageInfo: { endCursor: string } } };
    const order = async (sort: string) => {
      const urns: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 3; i++) {
        const res: Awaited<ReturnType<typeof gql<Page>>> = await gql<Page>('carol', metisUrl, SEARCH, {
          q: 'usage test',
          sort,
          after,
        });
        expect(res.errors).toBeUndefined();
        urns.push(...res.data!.search.edges.map((e) => e.node.node.urn));
        after = res.data!.search.pageInfo.endCursor;
      }
      return urns;
    };
    const relevance = await order('RELEVANCE');
    expect([...relevance].sort()).toEqual([customersUrn, ordersUrn]);
    // The one relevance puts second gets the most usage (4 more queries): first by usage.
    const [top, second] = relevance as [string, string];
    const more = await graphql<Report>(
      metisUrl,
      `
        mutation ($q: [QueryUsageInput!]!) {
          recordQueryUsage(queries: $q) {
            recorded
            duplicates
            skipped
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          q: [1, 2, 3, 4].map((n) => ({
            queryId: `${id}-more-${n}`,
            subject: 'users:id:dave',
            sql: 'SELECT 1',
            datasets: [second],
            finishedAt: new Date(),
          })),
        },
      },
    );
    expect(more.data?.recordQueryUsage.recorded).toBe(4);
    expect(await order('USAGE')).toEqual([second, top]);
    expect(await order('RELEVANCE')).toEqual(relevance);
  });

  it('who queried and what only for readers of the query history; windows and rights are enforced', async () => {
    const alice = await usage('alice', customersUrn);
    expect(alice.queries).toBe((await usage('carol', customersUrn)).queries);
    expect(alice.queries).toBeGreaterThanOrEqual(3);
    expect(alice.topUsers).toBeNull();
    expect(alice.topQueries).toBeNull();
    // Every event is minutes old: the day's window counts them all.
    expect((await usage('carol', customersUrn, 'D1')).queries).toBe(alice.queries);

    // Without `write` on /metis/usage: refused, nothing counted (the reporter drops the batch).
    const before = (await usage('carol', ordersUrn)).queries;
    refused.add({
      _id: `${id}-alice`,
      subject: 'users:id:alice',
      sql: 'SELECT 1',
      datasets: [ordersUrn],
      state: 'SUCCEEDED',
      finishedAt: new Date(),
    } as Parameters<UsageReporter['add']>[0]);
    await refused.flush();
    expect(refused.dropped).toBe(1);
    expect((await usage('carol', ordersUrn)).queries).toBe(before);

    const bad = await graphql<Report>(
      metisUrl,
      `
        mutation ($q: [QueryUsageInput!]!) {
          recordQueryUsage(queries: $q) {
            recorded
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          q: [
            {
              queryId: `${id}-bad`,
              subject: 'users:id:dave',
              sql: 'SELECT 1',
              datasets: ['not-a-urn'],
              finishedAt: new Date(),
            },
          ],
        },
      },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.field).toBe('queries[0].datasets[0]');
  });
});
