import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph, seedMetis, type MetisDeps } from '@dataos/metis';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  DEMO_COLUMNS,
  errorCodes,
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
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
import { rawCustomers } from './support.js';

/**
 * The Gateway over HTTP with a real Heimdall, a real Metis (Neo4j) and the router, on ephemeral
 * ports against the shared devstack. This run's datasets live under unique depots (Neo4j data
 * deleted at the end); MongoDB databases are unique and dropped.
 */

type User = 'alice' | 'bob' | 'carol' | 'dave';

const id = uniqueId('gw');
const financeDepot = `${id}fin`;
const customersUrn = `dataos://${id}:retail/customers`;
const ordersUrn = `dataos://${id}:retail/orders`;
const invoicesUrn = `dataos://${financeDepot}:finance/invoices`;
const SUPERGRAPH = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));
const raw = rawCustomers();
const emeaCount = raw.filter((c) => c.region === 'emea').length;

let neo4j: Neo4jStore;
let gatewayMongo: TestMongo;
let heimdall: TestHeimdall;
let gateway: Awaited<ReturnType<typeof createGatewaySubgraph>>;
let running: { stop(): Promise<void> }[] = [];
let router: Router;
let url: string;

const gql = async <T = Record<string, unknown>>(
  user: User | null,
  query: string,
  variables: Record<string, unknown> = {},
  at = url,
) => graphql<T>(at, query, { variables, ...(user ? { token: await tokenFor(user) } : {}) });

const RUN = /* GraphQL */ `
  query Run($sql: String!, $limit: Int, $cursor: String, $cluster: ID) {
    runQuery(sql: $sql, limit: $limit, cursor: $cursor, cluster: $cluster) {
      queryId
      columns {
        name
        type
      }
      rows
      rowCount
      hasMore
      cursor
      datasets
      policies
    }
  }
`;
interface RunData {
  runQuery: {
    queryId: string;
    columns: { name: string; type: string }[];
    rows: unknown[][];
    rowCount: number;
    hasMore: boolean;
    cursor: string | null;
    datasets: string[];
    policies: string[];
  };
}
const run = (user: User | null, sql: string, more: Record<string, unknown> = {}) =>
  gql<RunData>(user, RUN, { sql, ...more });

beforeAll(async () => {
  neo4j = neo4jFromEnv('METIS');
  gatewayMongo = await testMongo('GATEWAY');
  heimdall = await startTestHeimdall({ policies: gatewayAccessPolicies({ retail: id, restricted: financeDepot }) });
  const heimdallClient = new HeimdallClient({ url: heimdall.url });

  const columns = (name: string) => rawColumns[name]!;
  await seedMetis(neo4j, [
    {
      urn: customersUrn,
      name: 'customers',
      description: 'Customers (gateway test).',
      layer: 'curated',
      tags: [],
      columns: columns('customers'),
    },
    {
      urn: ordersUrn,
      name: 'orders',
      description: 'Orders (gateway test).',
      layer: 'curated',
      tags: [],
      columns: columns('orders'),
    },
    {
      urn: invoicesUrn,
      name: 'invoices',
      description: 'Invoices (gateway test).',
      layer: 'curated',
      tags: [],
      columns: columns('invoices'),
    },
  ]);
  const metisDeps = { neo4j, heimdall: heimdallClient } satisfies MetisDeps;
  const metis = await createMetisSubgraph(metisDeps);
  const metisRunning = await serveTestSubgraph(metis);

  await seedGateway(gatewayMongo);
  gateway = await createGatewaySubgraph({
    mongo: gatewayMongo,
    heimdall: heimdallClient,
    metisUrl: metisRunning.url,
    // no Odin here: concept masks are tested in concepts.test.ts
    concepts: false,
    duckdb: await DuckDbEngine.create({ depotAliases: { [id]: 'icebase', [financeDepot]: 'lakehouse' } }),
    healthIntervalMs: 0,
  });
  const gatewayRunning = await serveTestSubgraph(gateway, () => gatewayMongo.drop());
  running = [metisRunning, gatewayRunning];
  router = await startRouter(
    {
      ...configFromEnv({ HEIMDALL_URL: heimdall.url }),
      port: 0,
      supergraphPath: SUPERGRAPH,
      subgraphUrls: { heimdall: heimdall.url, metis: metisRunning.url, gateway: gatewayRunning.url },
    },
    pino({ level: 'silent' }),
  );
  url = gatewayRunning.url;

  // The region filter of this run's customers, through the API as carol (admin).
  const created = await gql('carol', CREATE_POLICY, {
    input: {
      name: `${id}-customers-by-region`,
      type: 'FILTER',
      priority: 50,
      datasets: [customersUrn],
      selector: { user: { match: 'ANY', tags: ['users:id:*'] } },
      filters: [{ column: 'region', operator: 'EQUALS', valueFrom: 'claims.region' }],
    },
  });
  expect(created.errors).toBeUndefined();
});

afterAll(async () => {
  await router?.stop();
  for (const r of running) await r.stop();
  await heimdall?.stop();
  if (neo4j) await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'Domain', 'Owner']);
  await neo4j?.close();
});

const rawColumns: Record<string, [string, string, string[]][]> = {
  ...DEMO_COLUMNS,
  invoices: [
    ['invoice_id', 'varchar', []],
    ['customer_id', 'bigint', []],
    ['amount', 'decimal(12,2)', []],
  ],
};

const CREATE_POLICY = /* GraphQL */ `
  mutation ($input: DataPolicyInput!) {
    createDataPolicy(input: $input) {
      name
      version
      type
      priority
      filters {
        column
        operator
        valueFrom
      }
    }
  }
`;

describe('authentication and authorization', () => {
  it('no token or a bad token: UNAUTHENTICATED, no data', async () => {
    const none = await run(null, `SELECT * FROM ${id}.retail.customers`);
    expect(errorCodes(none)).toEqual(['UNAUTHENTICATED']);
    expect(none.data ?? null).toBeNull();
    const bad = await graphql<RunData>(url, RUN, { token: 'not.a.token', variables: { sql: 'SELECT 1' } });
    expect(errorCodes(bad)).toEqual(['UNAUTHENTICATED']);
  });

  it('no read on a dataset: FORBIDDEN (dave has no roles, bob is an operator, alice may not read finance)', async () => {
    for (const [user, sql] of [
      ['dave', `SELECT * FROM ${id}.retail.customers`],
      ['bob', `SELECT count(*) FROM ${id}.retail.orders`],
      ['alice', `SELECT * FROM ${financeDepot}.finance.invoices`],
      [
        'alice',
        `SELECT c.email FROM ${id}.retail.customers c JOIN ${financeDepot}.finance.invoices i USING (customer_id)`,
      ],
    ] as const) {
      const res = await run(user, sql);
      expect(errorCodes(res), `${user}: ${sql}`).toEqual(['FORBIDDEN']);
      expect(res.errors![0]!.extensions).toMatchObject({ reason: 'NO_READ' });
    }
  });

  it('carol (admin) reads finance', async () => {
    const res = await run('carol', `SELECT count(*) FROM ${financeDepot}.finance.invoices`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.runQuery.rows).toEqual([['600']]);
  });
});

describe('masks and row filters over HTTP (Metis tags, Heimdall decisions, token claims)', () => {
  it('alice sees hashed e-mails and only her region (emea)', async () => {
    const res = await run('alice', `SELECT email, full_name, region, date_of_birth FROM ${id}.retail.customers`, {
      limit: 1000,
    });
    expect(res.errors).toBeUndefined();
    const { rows, policies, datasets } = res.data!.runQuery;
    expect(rows).toHaveLength(emeaCount);
    expect(
      rows.every((r) => /^[0-9a-f]{64}$/.test(String(r[0])) && /^[0-9a-f]{64}$/.test(String(r[1])) && r[2] === 'emea'),
    ).toBe(true);
    expect(rows.every((r) => String(r[3]).endsWith('-01-01'))).toBe(true);
    expect(datasets).toEqual([customersUrn]);
    // Every policy of the scan, selected columns or not (phone is masked in the derived table too).
    expect(policies).toEqual([`${id}-customers-by-region`, 'pii-date-of-birth', 'pii-email', 'pii-name', 'pii-phone']);
  });

  it('carol (admin, pii-reader, region amer) sees clear values of every region', async () => {
    const res = await run(
      'carol',
      `SELECT customer_id, email, region FROM ${id}.retail.customers ORDER BY customer_id`,
      { limit: 1000 },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.runQuery.rows).toEqual(raw.map((c) => [c.customer_id, c.email, c.region]));
  });

  it('explain shows the policies without running; the rewritten SQL only to who may manage data policies, keys as parameters', async () => {
    type Plan = {
      explain: {
        rewrittenSql: string | null;
        policies: string[];
        scans: {
          dataset: string;
          aliases: string[];
          filters: string[];
          sql: string | null;
          columns: { name: string; mask: string | null; policy: string | null }[];
        }[];
      };
    };
    const EXPLAIN = `query ($sql: String!) { explain(sql: $sql) { rewrittenSql policies scans { dataset aliases filters sql columns { name mask policy } } } }`;
    const sql = `SELECT c.email FROM ${id}.retail.customers c`;
    const res = await gql<Plan>('alice', EXPLAIN, { sql });
    expect(res.errors).toBeUndefined();
    const plan = res.data!.explain;
    expect(plan.rewrittenSql).toBeNull();
    expect(plan.scans.map((s) => s.sql)).toEqual([null]);
    expect(JSON.stringify(res)).not.toMatch(/__gw|sha256\(/);
    const admin = (await gql<Plan>('carol', EXPLAIN, { sql })).data!.explain;
    // carol is a pii-reader: her plan has no hash; the keys are parameters in anybody's plan.
    expect(admin.rewrittenSql).toContain(`FROM ${id}.retail.customers AS __gw_scan`);
    expect(admin.scans[0]!.sql).toContain('AS __gw_scan');
    expect(plan.scans[0]).toMatchObject({
      dataset: customersUrn,
      aliases: ['c'],
      filters: [`${id}-customers-by-region`],
    });
    expect(plan.scans[0]!.columns.find((c) => c.name === 'email')).toEqual({
      name: 'email',
      mask: 'HASH',
      policy: 'pii-email',
    });
  });

  it('refusals over HTTP carry a clear code and reason', async () => {
    const fn = await run('alice', `SELECT * FROM read_csv('/etc/passwd')`);
    expect(fn.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TABLE_FUNCTION' });
    const syntax = await run('alice', 'SELEC 1');
    expect(syntax.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SYNTAX' });
    const write = await run('alice', `DELETE FROM ${id}.retail.customers`);
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_SELECT' });
    const unknown = await run('alice', `SELECT * FROM ${id}.retail.nothing_here`);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('pages with a cursor', async () => {
    const sql = `SELECT order_id FROM ${id}.retail.orders ORDER BY order_id`;
    const first = await run('alice', sql, { limit: 1000 });
    expect(first.data!.runQuery).toMatchObject({ rowCount: 1000, hasMore: true });
    const second = await run('alice', sql, { limit: 1000, cursor: first.data!.runQuery.cursor });
    expect(second.data!.runQuery).toMatchObject({ rowCount: 500, hasMore: false, cursor: null });
    expect(second.data!.runQuery.rows[0]).toEqual(['1001']);
  });
});

describe('query history', () => {
  const HISTORY = /* GraphQL */ `
    query ($filter: QueryHistoryFilter, $first: Int, $after: String) {
      queries(filter: $filter, first: $first, after: $after) {
        edges {
          node {
            id
            user
            sql
            rewrittenSql
            datasets
            policies
            state
            error {
              code
            }
            rows
            durationMs
            source
            cluster
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  interface History {
    queries: {
      edges: {
        node: {
          id: string;
          user: string;
          sql: string;
          rewrittenSql: string | null;
          datasets: string[];
          policies: string[];
          state: string;
          error: { code: string } | null;
          rows: number;
          durationMs: number;
          source: string;
          cluster: string;
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }

  it('every query is recorded: who, SQL, rewritten SQL, policies, rows, state', async () => {
    const sql = `SELECT email FROM ${id}.retail.customers LIMIT 3`;
    const ran = await run('alice', sql);
    const res = await gql<History>('alice', HISTORY, { first: 100 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.queries.edges.map((e) => e.node);
    const mine = nodes.find((n) => n.id === ran.data!.runQuery.queryId)!;
    expect(mine).toMatchObject({
      user: 'users:id:alice',
      sql,
      datasets: [customersUrn],
      state: 'SUCCEEDED',
      rows: 3,
      source: 'QUERY',
      cluster: 'minerva-default',
      error: null,
    });
    expect(mine.policies).toContain('pii-email');
    // The rewritten SQL is for those who may manage data policies (carol), never for alice.
    expect(mine.rewrittenSql).toBeNull();
    const seen = await gql<History>('carol', HISTORY, { first: 200, filter: { user: 'users:id:alice' } });
    const asAdmin = seen.data!.queries.edges.map((e) => e.node).find((n) => n.id === mine.id)!;
    expect(asAdmin.rewrittenSql).toMatch(
      /sha256\(\(\$__gw_key_[0-9a-f]{24} \|\| CAST\(__gw_scan\.email AS VARCHAR\)\)\)/,
    );
    expect(mine.durationMs).toBeGreaterThan(0);
    expect(nodes.every((n) => n.user === 'users:id:alice')).toBe(true);
    expect(nodes.some((n) => n.state === 'REFUSED' && n.error?.code === 'FORBIDDEN' && n.rewrittenSql === null)).toBe(
      true,
    );
  });

  it("others' queries need read on /gateway/queries; pages are keyset", async () => {
    expect(errorCodes(await gql('alice', HISTORY, { filter: { user: 'users:id:carol' } }))).toEqual(['FORBIDDEN']);
    const all = await gql<History>('carol', HISTORY, { first: 2 });
    expect(all.data!.queries.pageInfo.hasNextPage).toBe(true);
    const next = await gql<History>('carol', HISTORY, { first: 200, after: all.data!.queries.pageInfo.endCursor });
    const users = new Set([...all.data!.queries.edges, ...next.data!.queries.edges].map((e) => e.node.user));
    expect(users).toEqual(new Set(['users:id:alice', 'users:id:carol', 'users:id:dave', 'users:id:bob']));
    const ids = [...all.data!.queries.edges, ...next.data!.queries.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('clusters', () => {
  const REGISTER = /* GraphQL */ `
    mutation ($input: ClusterInput!) {
      registerCluster(input: $input) {
        name
        engine
        endpoint
        state
        size {
          replicas
          cpu
          memory
        }
        depots
        health {
          ok
          message
        }
      }
    }
  `;

  it('registering needs manage on /gateway/clusters (bob yes, alice no); the first health check runs at once', async () => {
    const input = {
      name: `${id}-trino`,
      engine: 'TRINO',
      endpoint: 'http://127.0.0.1:9/',
      size: { replicas: 3, cpu: '4', memory: '16Gi' },
      depots: [id],
    };
    expect(errorCodes(await gql('alice', REGISTER, { input }))).toEqual(['FORBIDDEN']);
    const res = await gql<{ registerCluster: { state: string; health: { ok: boolean; message: string } } }>(
      'bob',
      REGISTER,
      { input },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.registerCluster).toMatchObject({
      name: `${id}-trino`,
      engine: 'TRINO',
      state: 'DEGRADED',
      size: { replicas: 3, cpu: '4', memory: '16Gi' },
      depots: [id],
      health: { ok: false },
    });
    expect(errorCodes(await gql('bob', REGISTER, { input }))).toEqual(['CONFLICT']);
    const bad = await gql('bob', REGISTER, { input: { name: 'Bad Name', engine: 'TRINO', endpoint: 'x' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const noEndpoint = await gql('bob', REGISTER, { input: { name: `${id}-t2`, engine: 'TRINO' } });
    expect(noEndpoint.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endpoint' });
  });

  it("a query that names no cluster runs where the clusters' selectors say, and its history says why", async () => {
    const SELECTOR = /* GraphQL */ `
      mutation ($input: ClusterInput!) {
        registerCluster(input: $input) {
          name
          state
          selector {
            users
            tags
            sources
            priority
          }
        }
      }
    `;
    const name = `${id}-alice`;
    const bad = await gql('bob', SELECTOR, {
      input: { name, engine: 'DUCKDB', selector: { users: ['users:id:alice', 'users:id:[a'], priority: 10 } },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.selector.users[1]' });
    const badPriority = await gql('bob', SELECTOR, {
      input: { name, engine: 'DUCKDB', selector: { priority: 0 } },
    });
    expect(badPriority.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.selector.priority',
    });
    const created = await gql<{ registerCluster: { state: string; selector: unknown } }>('bob', SELECTOR, {
      input: { name, engine: 'DUCKDB', selector: { users: ['users:id:alice'], priority: 10 } },
    });
    expect(created.data!.registerCluster).toEqual({
      name,
      state: 'RUNNING',
      selector: { users: ['users:id:alice'], tags: [], sources: [], priority: 10 },
    });
    const ROUTED = /* GraphQL */ `
      query ($cluster: ID) {
        queries(first: 1, filter: { cluster: $cluster }) {
          edges {
            node {
              id
              cluster
              routing {
                by
                reason
              }
            }
          }
        }
      }
    `;
    type Routed = { queries: { edges: { node: { id: string; cluster: string; routing: unknown } }[] } };
    const sql = `SELECT count(*) AS n FROM ${id}.retail.customers`;
    const mine = await run('alice', sql);
    expect(mine.data!.runQuery.rows).toEqual([[String(emeaCount)]]);
    const routed = await gql<Routed>('alice', ROUTED, { cluster: name });
    expect(routed.data!.queries.edges[0]!.node).toEqual({
      id: mine.data!.runQuery.queryId,
      cluster: name,
      routing: { by: 'SELECTOR', reason: `The selector of "${name}" (priority 10) matched: users "users:id:alice".` },
    });
    // carol is not selected: the default cluster, and the history says so
    const hers = await run('carol', sql);
    const byDefault = await gql<Routed>('carol', ROUTED, { cluster: 'minerva-default' });
    expect(byDefault.data!.queries.edges[0]!.node).toMatchObject({
      id: hers.data!.runQuery.queryId,
      routing: { by: 'DEFAULT' },
    });
    // a named cluster is taken as named
    const named = await run('alice', sql, { cluster: 'minerva-default' });
    const asNamed = await gql<Routed>('alice', ROUTED, { cluster: 'minerva-default' });
    expect(asNamed.data!.queries.edges[0]!.node).toMatchObject({
      id: named.data!.runQuery.queryId,
      routing: { by: 'NAMED' },
    });
    // without its selector the cluster takes only queries that name it
    const cleared = await gql<{ updateCluster: { selector: unknown } }>(
      'bob',
      `mutation { updateCluster(name: "${name}", input: { selector: null }) { selector { priority } } }`,
    );
    expect(cleared.data!.updateCluster.selector).toBeNull();
    const after = await run('alice', sql);
    const afterRouted = await gql<Routed>('alice', ROUTED, { cluster: 'minerva-default' });
    expect(afterRouted.data!.queries.edges[0]!.node.id).toBe(after.data!.runQuery.queryId);
    await gql('bob', `mutation { removeCluster(name: "${name}") { removed } }`);
  });

  it('lists, health-checks, stops and removes clusters', async () => {
    const list = await gql<{ clusters: { name: string; engine: string; state: string }[] }>(
      'alice',
      '{ clusters { name engine state } }',
    );
    expect(list.data!.clusters.map((c) => c.name)).toEqual(expect.arrayContaining(['minerva-default', `${id}-trino`]));
    const check = await gql<{ checkClusterHealth: { state: string; health: { ok: boolean } } }>(
      'carol',
      'mutation { checkClusterHealth(name: "minerva-default") { state health { ok } } }',
    );
    expect(check.data!.checkClusterHealth).toEqual({ state: 'RUNNING', health: { ok: true } });
    const stop = await gql<{ updateCluster: { state: string } }>(
      'bob',
      `mutation { updateCluster(name: "${id}-trino", input: { state: STOPPED }) { state } }`,
    );
    expect(stop.data!.updateCluster.state).toBe('STOPPED');
    const refused = await run('carol', 'SELECT 1', { cluster: `${id}-trino` });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CLUSTER_NOT_RUNNING' });
    expect(errorCodes(await run('carol', 'SELECT 1', { cluster: 'no-such-cluster' }))).toEqual(['NOT_FOUND']);
    const removed = await gql<{ removeCluster: { removed: boolean } }>(
      'bob',
      `mutation { removeCluster(name: "${id}-trino") { removed } }`,
    );
    expect(removed.data!.removeCluster.removed).toBe(true);
    expect(errorCodes(await gql('bob', `mutation { removeCluster(name: "${id}-trino") { removed } }`))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('periodic health checks move an unreachable cluster to DEGRADED', async () => {
    await gateway.services.clusters.clusters.insertOne({
      _id: `${id}-flaky`,
      engine: 'trino',
      endpoint: 'http://127.0.0.1:9/',
      state: 'RUNNING',
      createdAt: new Date(),
    });
    gateway.services.monitor.start(50);
    let state = 'RUNNING';
    for (let i = 0; i < 100 && state !== 'DEGRADED'; i++) {
      await sleep(50);
      state = (await gateway.services.clusters.get(`${id}-flaky`))!.state;
    }
    await gateway.services.monitor.stop();
    expect(state).toBe('DEGRADED');
    const doc = await gateway.services.clusters.get(`${id}-flaky`);
    expect(doc!.health).toMatchObject({ ok: false });
  });

  it('a cluster serving other depots refuses this query', async () => {
    await gateway.services.clusters.clusters.insertOne({
      _id: `${id}-fin-only`,
      engine: 'duckdb',
      endpoint: null,
      depots: [financeDepot],
      state: 'RUNNING',
      createdAt: new Date(),
    });
    const res = await run('alice', `SELECT 1 FROM ${id}.retail.orders`, { cluster: `${id}-fin-only` });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'DEPOT_NOT_SERVED' });
  });
});

describe('data policies', () => {
  it('managing needs manage on /gateway/policies; input is validated; versions guard updates', async () => {
    const input = {
      name: `${id}-mask-phone`,
      type: 'MASK',
      priority: 20,
      selector: { user: { match: 'ANY', tags: ['roles:id:data-dev'] }, column: { tags: ['PII.PhoneNumber'] } },
      mask: { operator: 'PARTIAL', keepLast: 4 },
    };
    expect(errorCodes(await gql('alice', CREATE_POLICY, { input }))).toEqual(['FORBIDDEN']);
    const bad = await gql('carol', CREATE_POLICY, { input: { ...input, priority: 0 } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.priority' });
    const badPredicate = await gql('carol', CREATE_POLICY, {
      input: {
        name: `${id}-bad`,
        type: 'FILTER',
        priority: 10,
        selector: { user: { match: 'ANY', tags: ['users:id:*'] } },
        filters: [{ predicate: "region = 'x') OR (1 = 1" }],
      },
    });
    expect(badPredicate.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.filters[0].predicate',
    });
    const badGlob = await gql('carol', CREATE_POLICY, {
      input: { ...input, name: `${id}-bad-glob`, datasets: [`dataos://${id}:retail/{customers,orders`] },
    });
    expect(badGlob.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.datasets[0]' });
    expect(badGlob.errors?.[0]?.message).toMatch(/is not a valid glob: "\{" at \d+ is never closed/);
    const created = await gql<{ createDataPolicy: { version: number } }>('carol', CREATE_POLICY, { input });
    expect(created.errors).toBeUndefined();
    expect(errorCodes(await gql('carol', CREATE_POLICY, { input }))).toEqual(['CONFLICT']);

    const phones = await run('alice', `SELECT phone FROM ${id}.retail.customers`, { limit: 1000 });
    expect(phones.data!.runQuery.rows.every((r) => /^\*+\d{4}$/.test(String(r[0])))).toBe(true);

    const UPDATE =
      'mutation ($name: ID!, $input: DataPolicyInput!, $v: Int) { updateDataPolicy(name: $name, input: $input, expectedVersion: $v) { version enabled } }';
    expect(
      errorCodes(await gql('carol', UPDATE, { name: input.name, input: { ...input, enabled: false }, v: 7 })),
    ).toEqual(['CONFLICT']);
    const updated = await gql<{ updateDataPolicy: { version: number; enabled: boolean } }>('carol', UPDATE, {
      name: input.name,
      input: { ...input, enabled: false },
      v: 1,
    });
    expect(updated.data!.updateDataPolicy).toEqual({ version: 2, enabled: false });
    await sleep(1);
    gateway.services.policies.invalidate();
    const hashed = await run('alice', `SELECT phone FROM ${id}.retail.customers LIMIT 1`);
    expect(String(hashed.data!.runQuery.rows[0]![0])).toMatch(/^[0-9a-f]{64}$/);

    const del = await gql<{ deleteDataPolicy: { deleted: boolean } }>(
      'carol',
      `mutation { deleteDataPolicy(name: "${input.name}") { deleted } }`,
    );
    expect(del.data!.deleteDataPolicy.deleted).toBe(true);
  });

  it('listing needs read on /gateway/policies; the defaults are there', async () => {
    expect(errorCodes(await gql('alice', '{ dataPolicies { name } }'))).toEqual(['FORBIDDEN']);
    const res = await gql<{ dataPolicies: { name: string; priority: number; mask: { operator: string } | null }[] }>(
      'carol',
      '{ dataPolicies(filter: { type: MASK }) { name priority mask { operator } } }',
    );
    expect(res.data!.dataPolicies).toEqual(
      expect.arrayContaining([
        { name: 'pii-email', priority: 99, mask: { operator: 'HASH' } },
        { name: 'pii-reader', priority: 90, mask: { operator: 'PASS_THROUGH' } },
      ]),
    );
  });
});

describe('federation: Metis datasets gain dataPolicies and preview', () => {
  const ENTITIES = /* GraphQL */ `
    query ($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Dataset {
          urn
          dataPolicies {
            name
            type
          }
          preview(limit: 5) {
            columns {
              name
            }
            rows
          }
        }
      }
    }
  `;
  interface Entities {
    _entities: {
      urn: string;
      dataPolicies: { name: string; type: string }[];
      preview: { columns: { name: string }[]; rows: unknown[][] } | null;
    }[];
  }

  it("through the subgraph: the viewer's policies and masked rows", async () => {
    const res = await gql<Entities>('alice', ENTITIES, { reps: [{ __typename: 'Dataset', urn: customersUrn }] });
    expect(res.errors).toBeUndefined();
    const [d] = res.data!._entities;
    expect(d!.dataPolicies.map((p) => p.name)).toEqual([
      `${id}-customers-by-region`,
      'pii-date-of-birth',
      'pii-email',
      'pii-name',
      'pii-phone',
    ]);
    const email = d!.preview!.columns.findIndex((c) => c.name === 'email');
    expect(d!.preview!.rows).toHaveLength(5);
    expect(d!.preview!.rows.every((r) => /^[0-9a-f]{64}$/.test(String(r[email])))).toBe(true);
    const carol = await gql<Entities>('carol', ENTITIES, { reps: [{ __typename: 'Dataset', urn: customersUrn }] });
    expect(carol.data!._entities[0]!.dataPolicies.map((p) => p.name)).toEqual(['admins-all-rows', 'pii-reader']);
  });

  it('through the router: alice sees hashed e-mails of emea only, carol clear values (the issue\'s "done when")', async () => {
    const QUERY = /* GraphQL */ `
      query ($urn: ID!, $sql: String!) {
        dataset(urn: $urn) {
          name
          columns {
            name
            tags
          }
          dataPolicies {
            name
          }
          preview(limit: 3) {
            rows
          }
        }
        runQuery(sql: $sql, limit: 1000) {
          columns {
            name
          }
          rows
          policies
        }
      }
    `;
    const sql = `SELECT email, region FROM ${id}.retail.customers`;
    const alice = await graphql<{
      dataset: { name: string; columns: { name: string; tags: string[] }[]; dataPolicies: { name: string }[] };
      runQuery: { rows: unknown[][] };
    }>(router.url, QUERY, {
      token: await tokenFor('alice'),
      variables: { urn: customersUrn, sql },
    });
    expect(alice.errors).toBeUndefined();
    expect(alice.data!.dataset.columns.find((c) => c.name === 'email')!.tags).toEqual(['PII.Email']);
    expect(alice.data!.dataset.dataPolicies.map((p) => p.name)).toContain('pii-email');
    expect(alice.data!.runQuery.rows).toHaveLength(emeaCount);
    expect(
      alice.data!.runQuery.rows.every(([email, region]) => /^[0-9a-f]{64}$/.test(String(email)) && region === 'emea'),
    ).toBe(true);
    const carol = await graphql<{ runQuery: { rows: unknown[][] } }>(router.url, QUERY, {
      token: await tokenFor('carol'),
      variables: { urn: customersUrn, sql },
    });
    expect(carol.errors).toBeUndefined();
    expect(carol.data!.runQuery.rows).toHaveLength(raw.length);
    expect(new Set(carol.data!.runQuery.rows.map((r) => r[0]))).toEqual(new Set(raw.map((c) => c.email)));
  });
});

describe('issue 12: no key and no rewritten SQL reaches a caller over HTTP; keys rotate', () => {
  const ATTACK = /* GraphQL */ `
    query ($sql: String!) {
      runQuery(sql: $sql, limit: 1000) {
        columns {
          name
          type
        }
        rows
      }
      explain(sql: $sql) {
        rewrittenSql
        scans {
          sql
        }
      }
      queries(first: 200) {
        edges {
          node {
            sql
            rewrittenSql
            error {
              code
              message
            }
          }
        }
      }
    }
  `;
  const masterKeys = async () => {
    const doc = (await gatewayMongo.db.collection('meta').findOne({ _id: 'mask-keys' as never })) as unknown as {
      keys: { secret: string | null }[];
    };
    return doc.keys.map((k) => k.secret).filter((s): s is string => Boolean(s));
  };
  const clear = raw.flatMap((c) => [c.email, c.full_name, c.phone]).map((v) => v.toLowerCase());

  it('alice through the router: subquery names, struct keys, row casts and engine errors hold neither keys nor rewritten SQL', async () => {
    const keys = await masterKeys();
    expect(keys).toHaveLength(1);
    const C = `${id}.retail.customers`;
    for (const sql of [
      `SELECT (SELECT max(email) FROM ${C})`,
      `SELECT t, CAST(t AS VARCHAR) FROM (SELECT (SELECT max(phone) FROM ${C}), EXISTS (SELECT 1 FROM ${C})) t`,
      `SELECT * FROM (SELECT coalesce((SELECT max(full_name) FROM ${C}), 'x'), 8 IN (SELECT customer_id FROM ${C}))`,
      `SELECT (SELECT max(nope) FROM ${C})`,
      `SELECT (SELECT CAST(email AS INTEGER) FROM ${C} LIMIT 1)`,
    ]) {
      const res = await graphql(router.url, ATTACK, { token: await tokenFor('alice'), variables: { sql } });
      const text = JSON.stringify(res);
      for (const k of keys) expect(text).not.toContain(k);
      expect(text.toLowerCase()).not.toMatch(/__gw|sha256\(/);
      expect(clear.filter((v) => text.toLowerCase().includes(v))).toEqual([]);
      if (res.errors)
        expect(
          res.errors.map((e) => e.extensions?.code),
          text,
        ).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('rotateMaskKey needs manage on /gateway/policies; afterwards every hash changes, joins still hold', async () => {
    const X = raw.find((c) => c.region === 'emea')!;
    const read = async () =>
      (await run('alice', `SELECT email FROM ${id}.retail.customers WHERE customer_id = ${X.customer_id}`)).data!
        .runQuery.rows[0]![0];
    const KEYS = '{ maskKeys { id active source createdBy retiredAt } }';
    const ROTATE = 'mutation { rotateMaskKey { id active source createdBy retiredAt } }';
    expect(errorCodes(await gql('alice', KEYS))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql('alice', ROTATE))).toEqual(['FORBIDDEN']);
    const listed = await gql<{ maskKeys: { id: string; active: boolean }[] }>('carol', KEYS);
    expect(listed.data!.maskKeys.map((k) => [k.id, k.active])).toEqual([['k1', true]]);
    const before = await read();
    const rotated = await gql<{
      rotateMaskKey: { id: string; active: boolean; createdBy: string; retiredAt: string | null }[];
    }>('carol', ROTATE);
    expect(rotated.errors).toBeUndefined();
    expect(rotated.data!.rotateMaskKey.map((k) => [k.id, k.active, k.retiredAt !== null])).toEqual([
      ['k1', false, true],
      ['k2', true, false],
    ]);
    expect(rotated.data!.rotateMaskKey[1]!.createdBy).toBe('users:id:carol');
    const after = await read();
    expect(after).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
    const joined = await run(
      'alice',
      `SELECT count(*) FROM ${id}.retail.customers a JOIN ${id}.retail.customers b ON a.email = b.email`,
    );
    expect(joined.data!.runQuery.rows).toEqual([[String(emeaCount)]]);
    expect(await masterKeys()).toHaveLength(1); // the retired secret is erased
  });
});
