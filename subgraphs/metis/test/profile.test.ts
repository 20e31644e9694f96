import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS } from '@dataos/devstack';
import { createGatewaySubgraph, DuckDbEngine, seedGateway } from '@dataos/gateway';
import { HeimdallClient, ServiceTokenSource } from '@dataos/heimdall-client';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  testMongo,
  tokenFor,
  uniqueId,
  type TestHeimdall,
  type TestMongo,
} from '@dataos/testkit';
import { createMetisSubgraph, seedMetis } from '../src/index.js';
import { GatewayClient } from '../src/profile/gateway.js';
import { metisSettingsFromEnv } from '../src/settings.js';

/**
 * Profiles through the Gateway: a real Metis (Neo4j) profiles `customers` through a real Gateway
 * (DuckDB, the default PII masks) as the dev issuer's services client, with a real Heimdall.
 */
type User = 'alice' | 'carol';
const id = uniqueId('pf');
const customersUrn = `dataos://${id}:retail/customers`;
const table = `${id}.retail.customers`;

let neo4j: Neo4jStore;
let mongo: TestMongo;
let heimdall: TestHeimdall;
let running: { url: string; stop(): Promise<void> }[] = [];
let metisUrl: string;
let gatewayUrl: string;
const tokens = new ServiceTokenSource(
  {
    clientId: DEV_CLIENTS.services,
    clientSecret: DEV_CLIENTS.servicesSecret,
    issuer: process.env.OIDC_ISSUER!,
    resource: process.env.OIDC_AUDIENCE!,
  },
  { timeoutMs: 5000, log: () => {} },
);

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
}
const RUN = 'id datasetUrn status startedAt finishedAt columns error';
const PROFILE = `query ($urn: ID!) { dataset(urn: $urn) {
  profile { rowCount profiledAt lastRun { ${RUN} } }
  columns { name profile { nullCount distinctCount min max masked } }
} }`;

const gql = async <T = Record<string, unknown>>(user: User, query: string, variables = {}) =>
  graphql<T>(metisUrl, query, { variables, token: await tokenFor(user) });
const profileDataset = (user: User, urn: string) =>
  gql<{ profileDataset: Run }>(user, `mutation ($urn: ID!) { profileDataset(urn: $urn) { ${RUN} } }`, { urn });
const read = async (user: User) => {
  const res = await gql<{
    dataset: {
      profile: { rowCount: number; profiledAt: string; lastRun: Run } | null;
      columns: { name: string; profile: Profile | null }[];
    };
  }>(user, PROFILE, { urn: customersUrn });
  expect(res.errors).toBeUndefined();
  const d = res.data!.dataset;
  return { ...d, byName: Object.fromEntries(d.columns.map((c) => [c.name, c.profile])) };
};

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
        objects: { paths: [`dataos://${id}:retail/**`] },
      },
      {
        name: `${id}-admin-writes`,
        subjects: [['roles:id:admin']],
        actions: ['write'],
        objects: { paths: [`dataos://${id}:retail/**`] },
      },
    ],
  });
  const heimdallClient = new HeimdallClient({ url: heimdall.url });
  await seedMetis(neo4j, [
    {
      urn: customersUrn,
      name: 'customers',
      description: 'Customers (profile test).',
      layer: 'curated',
      tags: [],
      columns: [
        ['customer_id', 'bigint', []],
        ['full_name', 'varchar', ['PII.Name']],
        ['email', 'varchar', ['PII.Email']],
        ['phone', 'varchar', ['PII.PhoneNumber']],
        ['region', 'varchar', []],
        ['date_of_birth', 'date', ['PII.DateOfBirth']],
        ['created_at', 'timestamp', []],
      ],
    },
  ]);
  // Metis needs the Gateway's URL and the Gateway Metis's: the Gateway's is filled in once it listens.
  const gatewayOptions = { url: '' };
  const metis = await serveTestSubgraph(
    await createMetisSubgraph({
      neo4j,
      heimdall: heimdallClient,
      profiles: { gateway: new GatewayClient(gatewayOptions), token: () => tokens.token() },
    }),
  );
  metisUrl = metis.url;
  await seedGateway(mongo);
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
  await neo4j?.driver.executeQuery(
    `MATCH (n) WHERE (n:Dataset OR n:Column OR n:Source OR n:ProfileRun OR n:UsageEvent)
       AND (coalesce(n.urn, '') CONTAINS $id OR coalesce(n.datasetUrn, '') CONTAINS $id OR coalesce(n.name, '') CONTAINS $id)
     DETACH DELETE n`,
    { id },
    { database: neo4j.database },
  );
  await neo4j?.close();
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
        token: await tokens.token(),
        variables: {
          sql: `SELECT count(*), count(DISTINCT region), min(region), max(region), count(DISTINCT email) FROM ${table}`,
        },
      },
    );
    expect(check.errors).toBeUndefined();
    const [rows, regions, minRegion, maxRegion, emails] = check.data!.runQuery.rows[0]!;

    const carol = await read('carol');
    expect(carol.profile).toMatchObject({ rowCount: Number(rows), lastRun: { id: run.id, status: 'SUCCEEDED' } });
    expect(Number(rows)).toBeGreaterThan(0);
    expect(carol.byName.region).toEqual({
      nullCount: 0,
      distinctCount: Number(regions),
      min: minRegion,
      max: maxRegion,
      masked: false,
    });
    // E-mails are hashed for the principal: counted, but no min/max stored, not even for a PII reader.
    expect(carol.byName.email).toEqual({
      nullCount: 0,
      distinctCount: Number(emails),
      min: null,
      max: null,
      masked: true,
    });
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
          token: () => tokens.token(),
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

  it('profiles on schedule (METIS_PROFILES) without anyone asking', async () => {
    const before = (await read('carol')).profile!.lastRun.id;
    const scheduled = await serveTestSubgraph(
      await createMetisSubgraph({
        neo4j,
        heimdall: new HeimdallClient({ url: heimdall.url }),
        settings: {
          ...metisSettingsFromEnv(),
          profiles: { gatewayUrl: undefined, schedules: [{ urn: customersUrn, everySeconds: 3600 }] },
        },
        profiles: { gateway: new GatewayClient({ url: gatewayUrl }), token: () => tokens.token() },
      }),
    );
    try {
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
  });
});
