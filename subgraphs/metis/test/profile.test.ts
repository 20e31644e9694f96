import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trinoQuery } from '@dataos/devstack';
import { createGatewaySubgraph, DuckDbEngine, seedGateway } from '@dataos/gateway';
import { HeimdallClient } from '@dataos/heimdall-client';
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
import { createMetisSubgraph, seedMetis } from '../src/index.js';
import { GatewayClient } from '../src/profile/gateway.js';
import { metisSettingsFromEnv } from '../src/settings.js';

/**
 * Profiles through the Gateway: a real Metis (Neo4j) profiles `customers` through a real Gateway
 * (DuckDB, the default PII masks) as the dev issuer's services client, with a real Heimdall; and
 * a copy of the lakehouse's `customers` on the Gateway's Trino cluster (the devstack's Trino 483).
 */
type User = 'alice' | 'carol';
const id = uniqueId('pf');
const customersUrn = `dataos://${id}:retail/customers`;
const table = `${id}.retail.customers`;
// On Trino: icebase.<schema of this run>.customers, a copy of the seeded lakehouse table.
const trinoSchema = id;
const trinoUrn = `dataos://icebase:${trinoSchema}/customers`;
const TRINO_CLUSTER = 'minerva-profile-trino';
const TRINO_URL = process.env.TRINO_URL ?? 'http://127.0.0.1:4480';
const trinoSql = async (text: string) => (await trinoQuery(TRINO_URL, text, { user: 'metis-test' })).rows;

let neo4j: Neo4jStore;
let mongo: TestMongo;
let heimdall: TestHeimdall;
let running: { url: string; stop(): Promise<void> }[] = [];
let metisUrl: string;
let gatewayUrl: string;

interface Profile {
  nullCount: number;
  distinctCount: number;
  min: string | null;
  max: string | null;
  masked: boolean;
}
interface Run {
  id: string;
  datasetUrn: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  columns: number;
  error: string | null;
  cluster: string | null;
}
const RUN = 'id datasetUrn status startedAt finishedAt columns error cluster';
const PROFILE = `query ($urn: ID!) { dataset(urn: $urn) {
  profile { rowCount profiledAt lastRun { ${RUN} } }
  columns { name profile { nullCount distinctCount min max masked } }
} }`;

const gql = async <T = Record<string, unknown>>(user: User, query: string, variables = {}) =>
  graphql<T>(metisUrl, query, { variables, token: await tokenFor(user) });
const profileDataset = (user: User, urn: string, cluster?: string) =>
  gql<{ profileDataset: Run }>(
    user,
    `mutation ($urn: ID!, $cluster: ID) { profileDataset(urn: $urn, cluster: $cluster) { ${RUN} } }`,
    { urn, cluster },
  );
const read = async (user: User, urn = customersUrn) => {
  const res = await gql<{
    dataset: {
      profile: { rowCount: number; profiledAt: string; lastRun: Run } | null;
      columns: { name: string; profile: Profile | null }[];
    };
  }>(user, PROFILE, { urn });
  expect(res.errors).toBeUndefined();
  const d = res.data!.dataset;
  return { ...d, byName: Object.fromEntries(d.columns.map((c) => [c.name, c.profile])) };
};

/**
 * A profile against what was counted without it: region in clear (its bounds kept), e-mails hashed
 * for the principal (counted, since hashing keeps distinct values distinct, but no min/max stored).
 */
function expectCounted(
  profile: { byName: Record<string, Profile | null> },
  truth: Record<'rows' | 'regions' | 'minRegion' | 'maxRegion' | 'emails', unknown>,
) {
  expect(Number(truth.rows)).toBeGreaterThan(0);
  expect(profile.byName.region).toEqual({
    nullCount: 0,
    distinctCount: Number(truth.regions),
    min: truth.minRegion,
    max: truth.maxRegion,
    masked: false,
  });
  expect(profile.byName.email).toEqual({
    nullCount: 0,
    distinctCount: Number(truth.emails),
    min: null,
    max: null,
    masked: true,
  });
}

beforeAll(async () => {
  neo4j = neo4jFromEnv('METIS');
  mongo = await testMongo('GATEWAY');
  heimdall = await startTestHeimdall({
    policies: [
      ...gatewayAccessPolicies({ retail: id }),
      {
        name: `${id}-profiler-reads`,
        subjects: [['users:id:dataos-services']],
        actions: ['read'],
        objects: { paths: [`dataos://${id}:retail/**`, `dataos://icebase:${trinoSchema}/**`] },
      },
      {
        name: `${id}-admin-writes`,
        subjects: [['roles:id:admin']],
        actions: ['write'],
        objects: { paths: [`dataos://${id}:retail/**`, `dataos://icebase:${trinoSchema}/**`] },
      },
      {
        name: `${id}-usage-push`,
        subjects: [['users:id:dataos-services']],
        actions: ['write'],
        objects: { paths: ['/metis/usage'] },
      },
      {
        name: `${id}-trino-readers`,
        subjects: [['roles:id:data-dev'], ['roles:id:admin']],
        actions: ['read'],
        objects: { paths: [`dataos://icebase:${trinoSchema}/**`] },
      },
    ],
  });
  await trinoSql(`CREATE SCHEMA icebase.${trinoSchema}`);
  await trinoSql(`CREATE TABLE icebase.${trinoSchema}.customers AS SELECT * FROM icebase.retail.customers`);
  const heimdallClient = new HeimdallClient({ url: heimdall.url });
  await seedMetis(
    neo4j,
    [customersUrn, trinoUrn].map((urn) => ({
      urn,
      name: 'customers',
      description: 'Customers (profile test).',
      layer: 'curated',
      tags: [],
      columns: DEMO_COLUMNS.customers,
    })),
  );
  // Metis needs the Gateway's URL and the Gateway Metis's: the Gateway's is filled in once it listens.
  const gatewayOptions = { url: '' };
  const metis = await serveTestSubgraph(
    await createMetisSubgraph({
      neo4j,
      heimdall: heimdallClient,
      profiles: { gateway: new GatewayClient(gatewayOptions), token: servicesToken },
    }),
  );
  metisUrl = metis.url;
  await seedGateway(mongo);
  // The Gateway's Trino cluster: the devstack's Trino, reading icebase.
  await mongo.db.collection<{ _id: string; [field: string]: unknown }>('clusters').insertOne({
    _id: TRINO_CLUSTER,
    engine: 'trino',
    endpoint: TRINO_URL,
    depots: ['icebase'],
    description: 'The devstack Trino (profile test).',
    replicas: 1,
    resources: null,
    state: 'RUNNING',
    health: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    updatedBy: 'test',
  });
  const gateway = await createGatewaySubgraph({
    mongo,
    heimdall: heimdallClient,
    metisUrl: metis.url,
    concepts: false,
    duckdb: await DuckDbEngine.create({ depotAliases: { [id]: 'icebase' } }),
    healthIntervalMs: 0,
  });
  const served = await serveTestSubgraph(gateway, () => mongo.drop());
  gatewayUrl = gatewayOptions.url = served.url;
  running = [served, metis];
}, 120_000);

afterAll(async () => {
  for (const r of running) await r.stop();
  await heimdall?.stop();
  if (neo4j) await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'ProfileRun', 'UsageEvent']);
  await neo4j?.close();
  // A few tries: a schema left behind would show up in every later scan of icebase.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await trinoSql(`DROP TABLE IF EXISTS icebase.${trinoSchema}.customers`);
      await trinoSql(`DROP SCHEMA IF EXISTS icebase.${trinoSchema}`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
});

describe('profiles through the Gateway', () => {
  it('profiles on demand as the service principal: counts per column, min/max only of what it sees in clear', async () => {
    expect((await read('carol')).profile).toBeNull();
    const res = await profileDataset('carol', customersUrn);
    expect(res.errors).toBeUndefined();
    const run = res.data!.profileDataset;
    expect(run).toMatchObject({ datasetUrn: customersUrn, status: 'SUCCEEDED', columns: 7, error: null });
    expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));

    // What the principal itself counts through the Gateway, in a plain query.
    const check = await graphql<{ runQuery: { rows: unknown[][] } }>(
      gatewayUrl,
      `
        query ($sql: String!) {
          runQuery(sql: $sql) {
            rows
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          sql: `SELECT count(*), count(DISTINCT region), min(region), max(region), count(DISTINCT email) FROM ${table}`,
        },
      },
    );
    expect(check.errors).toBeUndefined();
    const [rows, regions, minRegion, maxRegion, emails] = check.data!.runQuery.rows[0]!;

    const carol = await read('carol');
    expect(carol.profile).toMatchObject({ rowCount: Number(rows), lastRun: { id: run.id, status: 'SUCCEEDED' } });
    expectCounted(carol, { rows, regions, minRegion, maxRegion, emails });
    const stored = await neo4j.driver.executeQuery(
      `MATCH (:Dataset {urn: $urn})-[:HAS_COLUMN]->(c:Column {name: 'email'}) RETURN c.min AS min, c.max AS max`,
      { urn: customersUrn },
      { database: neo4j.database },
    );
    expect(stored.records[0]!.get('min')).toBeNull();
    expect(stored.records[0]!.get('max')).toBeNull();
  });

  it('alice sees the counts and no clear value of a masked column', async () => {
    const alice = await read('alice');
    expect(alice.profile?.rowCount).toBeGreaterThan(0);
    for (const name of ['email', 'full_name', 'phone', 'date_of_birth']) {
      expect(alice.byName[name]).toMatchObject({ min: null, max: null, masked: true });
      expect(alice.byName[name]!.distinctCount).toBeGreaterThan(0);
    }
    expect(alice.byName.region).toMatchObject({ masked: false });
    expect(alice.byName.region!.min).not.toBeNull();
  });

  it('fails closed: when the Gateway cannot answer for the reader, min/max are withheld', async () => {
    const dead = await serveTestSubgraph(
      await createMetisSubgraph({
        neo4j,
        heimdall: new HeimdallClient({ url: heimdall.url }),
        profiles: {
          gateway: new GatewayClient({ url: 'http://127.0.0.1:9/graphql', timeoutMs: 2000 }),
          token: servicesToken,
        },
      }),
    );
    try {
      const res = await graphql<{ dataset: { columns: { name: string; profile: Profile }[] } }>(dead.url, PROFILE, {
        variables: { urn: customersUrn },
        token: await tokenFor('carol'),
      });
      expect(res.errors).toBeUndefined();
      const region = res.data!.dataset.columns.find((c) => c.name === 'region')!.profile;
      expect(region).toMatchObject({ min: null, max: null, masked: true });
      expect(region.distinctCount).toBeGreaterThan(0);
    } finally {
      await dead.stop();
    }
  });

  it('profiles on schedule (METIS_PROFILES) without anyone asking, trying a failed run again soon', async () => {
    const before = (await read('carol')).profile!.lastRun.id;
    // The Gateway is down at first: the first run fails, and the retry (not the hour) heals it.
    const gatewayOptions = { url: 'http://127.0.0.1:9/graphql', timeoutMs: 2000 };
    const scheduled = await serveTestSubgraph(
      await createMetisSubgraph({
        neo4j,
        heimdall: new HeimdallClient({ url: heimdall.url }),
        settings: {
          ...metisSettingsFromEnv(),
          profiles: { gatewayUrl: undefined, schedules: [{ urn: customersUrn, everySeconds: 3600 }], retryMs: 500 },
        },
        profiles: { gateway: new GatewayClient(gatewayOptions), token: servicesToken },
      }),
    );
    try {
      await expect
        .poll(async () => (await read('carol')).profile!.lastRun, { timeout: 15_000, interval: 250 })
        .toMatchObject({ status: 'FAILED', id: expect.not.stringMatching(before) });
      gatewayOptions.url = gatewayUrl;
      await expect
        .poll(async () => (await read('carol')).profile!.lastRun, { timeout: 15_000, interval: 250 })
        .toMatchObject({ status: 'SUCCEEDED', datasetUrn: customersUrn, id: expect.not.stringMatching(before) });
    } finally {
      await scheduled.stop();
    }
  });

  it('refuses bad input and who may not write the dataset', async () => {
    const bad = await profileDataset('carol', 'not a urn');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forbidden = await profileDataset('alice', customersUrn);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await profileDataset('carol', `dataos://${id}:retail/nope`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const cluster = await profileDataset('carol', customersUrn, 'Not A Cluster');
    expect(cluster.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cluster' });
  });
});

describe('profiles from two writers: Metis and the jobs that report runs', () => {
  const COLUMNS = `query ($urn: ID!) { dataset(urn: $urn) {
    profile { rowCount } columns { name profile { rowCount nullCount distinctCount } } } }`;
  const columns = async () => {
    const res = await gql<{
      dataset: {
        profile: { rowCount: number };
        columns: { name: string; profile: { rowCount: number; nullCount: number; distinctCount: number } }[];
      };
    }>('carol', COLUMNS, { urn: customersUrn });
    expect(res.errors).toBeUndefined();
    const d = res.data!.dataset;
    return { rows: d.profile.rowCount, byName: Object.fromEntries(d.columns.map((c) => [c.name, c.profile])) };
  };
  const recordRun = async (finishedAt: Date) => {
    const res = await gql('carol', `mutation ($input: RecordRunInput!) { recordRun(input: $input) { id } }`, {
      input: {
        datasetUrn: customersUrn,
        job: 'golden-record',
        status: 'SUCCEEDED',
        startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(),
        finishedAt: finishedAt.toISOString(),
        rowCount: 1_000_000,
        columnProfiles: [{ name: 'region', nullCount: 7, distinctCount: 9 }],
      },
    });
    expect(res.errors).toBeUndefined();
  };

  it('a column keeps its newest profile, each counted out of the rows of its own run', async () => {
    const before = await columns();
    expect(before.byName.region).toMatchObject({ rowCount: before.rows, nullCount: 0 });
    // A run that finished before Metis profiled (a seed replayed, a late report) changes no column.
    await recordRun(new Date(Date.now() - 86_400_000));
    expect((await columns()).byName.region).toEqual(before.byName.region);
    // A newer one wins for the columns it reports, out of its own million rows; the others stay.
    await recordRun(new Date());
    const after = await columns();
    expect(after.byName.region).toEqual({ rowCount: 1_000_000, nullCount: 7, distinctCount: 9 });
    expect(after.byName.email).toEqual(before.byName.email);
    expect(after.rows).toBe(before.rows);
  });
});

describe('profiles on a Trino cluster', () => {
  it('runs on the named cluster, counts what Trino counts, and stores no min/max of a masked column', async () => {
    const res = await profileDataset('carol', trinoUrn, TRINO_CLUSTER);
    expect(res.errors).toBeUndefined();
    expect(res.data!.profileDataset).toMatchObject({
      datasetUrn: trinoUrn,
      status: 'SUCCEEDED',
      cluster: TRINO_CLUSTER,
      columns: 7,
      error: null,
    });
    // Ground truth straight from Trino (not through the Gateway).
    const [[rows, regions, minRegion, maxRegion, emails]] = (await trinoSql(
      `SELECT count(*), count(DISTINCT region), min(region), max(region), count(DISTINCT email)
         FROM icebase.${trinoSchema}.customers`,
    )) as [[number, number, string, string, number]];
    const carol = await read('carol', trinoUrn);
    expect(carol.profile).toMatchObject({ rowCount: Number(rows), lastRun: { cluster: TRINO_CLUSTER } });
    expectCounted(carol, { rows, regions, minRegion, maxRegion, emails });
  });

  it('alice reads the Trino profile with no clear value of a PII column', async () => {
    const alice = await read('alice', trinoUrn);
    expect(alice.profile?.lastRun).toMatchObject({ status: 'SUCCEEDED', cluster: TRINO_CLUSTER });
    for (const name of ['email', 'full_name', 'phone', 'date_of_birth'])
      expect(alice.byName[name]).toMatchObject({ min: null, max: null, masked: true });
    expect(alice.byName.region).toMatchObject({ masked: false });
    expect(alice.byName.region!.min).not.toBeNull();
  });

  it('a reader whose rows are filtered sees counts but no min/max (a bound may lie in a row they cannot read)', async () => {
    const createPolicy = async (input: Record<string, unknown>) => {
      const res = await graphql(
        gatewayUrl,
        'mutation ($input: DataPolicyInput!) { createDataPolicy(input: $input) { name } }',
        {
          token: await tokenFor('carol'),
          variables: { input },
        },
      );
      expect(res.errors).toBeUndefined();
    };
    await createPolicy({
      name: `${id}-by-region`,
      type: 'FILTER',
      priority: 50,
      datasets: [trinoUrn],
      selector: { user: { match: 'ANY', tags: ['users:id:*'] } },
      filters: [{ column: 'region', operator: 'EQUALS', valueFrom: 'claims.region' }],
    });
    // The profiler counts every row, as Metis's principal does in npm run dev (profiler-all-rows).
    await createPolicy({
      name: `${id}-profiler-rows`,
      type: 'FILTER',
      priority: 10,
      selector: { user: { match: 'ANY', tags: ['users:id:dataos-services'] } },
      filters: [],
    });
    const run = await profileDataset('carol', trinoUrn, TRINO_CLUSTER);
    expect(run.data?.profileDataset.status).toBe('SUCCEEDED');
    const [[rows]] = (await trinoSql(`SELECT count(*) FROM icebase.${trinoSchema}.customers`)) as [[number]];
    const alice = await read('alice', trinoUrn);
    expect(alice.profile?.rowCount).toBe(Number(rows));
    expect(alice.byName.region).toMatchObject({ min: null, max: null, masked: true });
    expect(alice.byName.created_at).toMatchObject({ min: null, max: null, masked: true });
    expect(alice.byName.region!.distinctCount).toBeGreaterThan(1);
    // carol is exempt from the filter (admins-all-rows): she sees the bounds.
    const carol = await read('carol', trinoUrn);
    expect(carol.byName.region).toMatchObject({ masked: false });
    expect(carol.byName.region!.min).not.toBeNull();
  });

  it("the profiler's own queries are not usage: reported, they are counted apart and not recorded", async () => {
    const report = await graphql<{ recordQueryUsage: Record<string, number> }>(
      metisUrl,
      `
        mutation ($q: [QueryUsageInput!]!) {
          recordQueryUsage(queries: $q) {
            recorded
            duplicates
            skipped
            profiling
          }
        }
      `,
      {
        token: await servicesToken(),
        variables: {
          q: [
            // As the Gateway reports a profiling query: the profiler's subject (the services client here).
            {
              queryId: `${id}-profile`,
              subject: 'users:id:dataos-services',
              sql: 'SELECT count(*) FROM t',
              datasets: [trinoUrn],
            },
            { queryId: `${id}-carol`, subject: 'users:id:carol', sql: 'SELECT region FROM t', datasets: [trinoUrn] },
          ].map((q) => ({ ...q, finishedAt: new Date().toISOString() })),
        },
      },
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.recordQueryUsage).toEqual({ recorded: 1, duplicates: 0, skipped: 0, profiling: 1 });
    const usage = await gql<{ dataset: { usage: { queries: number; topUsers: { subject: string }[] | null } } }>(
      'carol',
      `query ($urn: ID!) { dataset(urn: $urn) { usage(window: D1) { queries topUsers { subject } } } }`,
      { urn: trinoUrn },
    );
    expect(usage.data!.dataset.usage).toEqual({ queries: 1, topUsers: [{ subject: 'users:id:carol' }] });
  });

  it("a cluster that does not read the depot fails the run with the Gateway's reason", async () => {
    const res = await profileDataset('carol', customersUrn, TRINO_CLUSTER);
    expect(res.errors).toBeUndefined();
    expect(res.data!.profileDataset).toMatchObject({ status: 'FAILED', cluster: TRINO_CLUSTER });
    expect(res.data!.profileDataset.error).toMatch(/does not read depot/);
  });
});
