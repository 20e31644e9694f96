import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { neo4jFromEnv } from '@dataos/stores';
import {
  errorCodes,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type GraphQLResponse,
  dropOwnNodes,
} from '@dataos/testkit';
import { createMetisSubgraph, seedMetis } from '../src/index.js';
import { metisSettingsFromEnv } from '../src/settings.js';
import { parseScanTargets } from '../src/scan/config.js';

// Answers are checked by `expect`, field by field, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

// Against the devstack's PostgreSQL: a database and a login role of this run (dropped at the end),
// scanned as depots of this run; the demo crmdb is scanned read-only under a depot of this run too.
const ADMIN_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:4470/postgres';
const CRMDB_URL = process.env.CRMDB_URL ?? 'postgres://crm_reader@127.0.0.1:4470/crmdb';
const CRMDB_PASSWORD = process.env.CRMDB_PASSWORD ?? 'crm-reader-dev';

const id = uniqueId('scan');
const db = id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
const role = `${db}_reader`;
const password = `pw-${randomBytes(12).toString('hex')}`;
const wrongPassword = `wrong-${randomBytes(12).toString('hex')}`;
const depot = id;
const urn = (collection: string, name: string, d = depot) => `dataos://${d}:${collection}/${name}`;

const SCHEMA = `
  CREATE SCHEMA shop;
  COMMENT ON SCHEMA shop IS 'The shop.';
  CREATE TABLE shop.customers (
    id bigint PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email varchar(200)
  );
  COMMENT ON TABLE shop.customers IS 'Shop customers.';
  COMMENT ON COLUMN shop.customers.email IS 'Contact address.';
  CREATE TABLE shop.orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id),
    amount numeric(10, 2) NOT NULL
  );
  CREATE TABLE shop.legacy (id int);
  CREATE VIEW shop.customer_orders AS
    SELECT c.id AS customer_id, initcap(c.first_name || ' ' || c.last_name) AS full_name,
           sum(o.amount) AS total
    FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id
    GROUP BY c.id, c.first_name, c.last_name;`;

const duckDir = mkdtempSync(join(tmpdir(), 'metis-scan-'));
const duckFile = join(duckDir, 'shop.duckdb');
const logLines: string[] = [];
const answers: string[] = [];
let admin: pg.Client;
let served: { url: string; stop(): Promise<void> };
const neo4j = neo4jFromEnv('METIS');

async function inDb<T>(sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${db}`) });
  await client.connect();
  try {
    return (await client.query(sql)) as T;
  } finally {
    await client.end();
  }
}

async function gql<T = Answer>(user: string, query: string, variables: Record<string, unknown> = {}) {
  const res: GraphQLResponse<T> = await graphql(served.url, query, { token: await tokenFor(user as 'bob'), variables });
  answers.push(JSON.stringify(res));
  return res;
}

const RUN = `id depot trigger requestedBy status startedAt finishedAt found created updated unchanged deprecated restored columnEdges errors`;
const SCAN = `mutation Scan($depot: ID!) { scanDepot(depot: $depot, wait: true) { ${RUN} } }`;
const DATASET = `query D($urn: ID!) {
  dataset(urn: $urn) {
    urn kind description
    source { name type }
    columns { name type nullable description primaryKey references { datasetUrn name } }
    deprecation { by note }
    versions { totalCount edges { node { number author changes { columnsAdded { name } } } } }
  }
}`;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await admin.query(`GRANT pg_read_all_data TO ${role}`);
  await inDb(SCHEMA);

  // A DuckDB file of this run, written here and closed: the scan opens it read-only.
  const writer = await DuckDBInstance.create(duckFile);
  const dc = await writer.connect();
  await dc.run(`CREATE SCHEMA lake;
    CREATE TABLE lake.customers (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL);
    CREATE TABLE lake.orders (id BIGINT PRIMARY KEY, customer_id BIGINT REFERENCES lake.customers (id), amount DECIMAL(10, 2));
    COMMENT ON TABLE lake.customers IS 'Lake customers.';
    COMMENT ON COLUMN lake.customers.name IS 'Full name.';
    CREATE VIEW lake.big_orders AS SELECT c.id, upper(c.name) AS shouted, o.amount
      FROM lake.customers c JOIN lake.orders o ON o.customer_id = c.id WHERE o.amount > 100;`);
  dc.closeSync();
  writer.closeSync();

  const base = new URL(ADMIN_URL);
  const dbUrl = (user: string, pass = '') => `postgres://${user}${pass && `:${pass}`}@${base.host}/${db}`;
  // Through the setting's own parser: passwords from a variable, or written in the URL (taken out).
  const scans = parseScanTargets(
    JSON.stringify([
      { depot, type: 'postgres', url: dbUrl(role), passwordEnv: 'SCAN_TEST_PASSWORD' },
      { depot: `${depot}bad`, type: 'postgres', url: dbUrl(role, wrongPassword) },
      { depot: `${depot}crm`, type: 'postgres', url: CRMDB_URL, passwordEnv: 'SCAN_TEST_CRMDB_PASSWORD' },
      { depot: `${depot}duck`, type: 'duckdb', url: pathToFileURL(duckFile).href },
      {
        depot: `${depot}sched`,
        type: 'postgres',
        url: dbUrl(role),
        passwordEnv: 'SCAN_TEST_PASSWORD',
        everySeconds: 1,
      },
    ]),
    { SCAN_TEST_PASSWORD: password, SCAN_TEST_CRMDB_PASSWORD: CRMDB_PASSWORD },
  );
  const heimdall = await startTestHeimdall({
    policies: [
      {
        name: `${id}-bob-scans`,
        subjects: [['roles:id:operator']],
        actions: ['read', 'write'],
        objects: { paths: [`dataos://${depot}*`, `dataos://${depot}*:*/**`, '/metis/**'], tags: [] },
      },
      {
        name: `${id}-alice-reads`,
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: [`dataos://${depot}`, `dataos://${depot}:shop/**`, '/metis/**'], tags: [] },
      },
    ],
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const metis = await createMetisSubgraph({
    neo4j,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    settings: { ...metisSettingsFromEnv(), scans },
    logger: pino({ level: 'debug' }, sink),
  });
  served = await serveTestSubgraph(metis, () => heimdall.stop());
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'DatasetVersion', 'ScanRun', 'ScanLock']);
  await neo4j.close();
  await admin?.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin?.query(`DROP ROLE IF EXISTS ${role}`);
  await admin?.end();
  rmSync(duckDir, { recursive: true, force: true });
});

describe('scanning a PostgreSQL depot', () => {
  it('catalogs tables and views with types, nullability, comments, keys and view lineage', async () => {
    const res = await gql('bob', SCAN, { depot });
    expect(res.errors).toBeUndefined();
    const run = res.data!.scanDepot;
    expect(run).toMatchObject({ depot, trigger: 'ON_DEMAND', requestedBy: 'users:id:bob', status: 'SUCCEEDED' });
    expect(run).toMatchObject({ found: 4, created: 4, updated: 0, unchanged: 0, deprecated: 0, errors: [] });
    expect(run.columnEdges).toBe(4);
    expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));

    const customers = (await gql('bob', DATASET, { urn: urn('shop', 'customers') })).data!.dataset;
    expect(customers).toMatchObject({ kind: 'TABLE', description: 'Shop customers.' });
    expect(customers.source).toEqual({ name: depot, type: 'postgres' });
    expect(customers.columns).toEqual([
      { name: 'id', type: 'bigint', nullable: false, description: null, primaryKey: true, references: null },
      { name: 'first_name', type: 'text', nullable: false, description: null, primaryKey: false, references: null },
      { name: 'last_name', type: 'text', nullable: false, description: null, primaryKey: false, references: null },
      {
        name: 'email',
        type: 'character varying(200)',
        nullable: true,
        description: 'Contact address.',
        primaryKey: false,
        references: null,
      },
    ]);
    expect(customers.versions.edges[0].node.author).toBe('services:id:metis-scanner');
    const orders = (await gql('bob', DATASET, { urn: urn('shop', 'orders') })).data!.dataset;
    expect(orders.columns[1]).toMatchObject({
      name: 'customer_id',
      references: { datasetUrn: urn('shop', 'customers'), name: 'id' },
    });

    const view = await gql(
      'alice',
      `query L($urn: ID!) {
        column(datasetUrn: $urn, name: "full_name") {
          lineage(direction: UPSTREAM, depth: 1) { edges { upstream { name } transformation } }
        }
        dataset(urn: $urn) { kind lineage(direction: UPSTREAM, depth: 1) { nodes { dataset { urn } } } }
      }`,
      { urn: urn('shop', 'customer_orders') },
    );
    expect(view.errors).toBeUndefined();
    const edges = view.data!.column.lineage.edges;
    expect(edges.map((e: { upstream: { name: string } }) => e.upstream.name).sort()).toEqual([
      'first_name',
      'last_name',
    ]);
    expect(edges[0].transformation).toBe("initcap(c.first_name || ' ' || c.last_name)");
    expect(view.data!.dataset.kind).toBe('VIEW');
    expect(view.data!.dataset.lineage.nodes.map((n: { dataset: { urn: string } }) => n.dataset.urn).sort()).toEqual([
      urn('shop', 'customers'),
      urn('shop', 'orders'),
    ]);
  });

  it('writes nothing when nothing changed, and a new column after ALTER TABLE, as a new version', async () => {
    const again = (await gql('bob', SCAN, { depot })).data!.scanDepot;
    expect(again).toMatchObject({
      status: 'SUCCEEDED',
      found: 4,
      created: 0,
      updated: 0,
      unchanged: 4,
      columnEdges: 0,
    });

    await inDb(`ALTER TABLE shop.customers ADD COLUMN loyalty_tier smallint`);
    const after = (await gql('bob', SCAN, { depot })).data!.scanDepot;
    expect(after).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 1, unchanged: 3 });
    const customers = (await gql('bob', DATASET, { urn: urn('shop', 'customers') })).data!.dataset;
    expect(customers.columns.at(-1)).toMatchObject({ name: 'loyalty_tier', type: 'smallint', nullable: true });
    expect(customers.versions.totalCount).toBe(2);
    expect(customers.versions.edges[0].node.changes.columnsAdded).toEqual([{ name: 'loyalty_tier' }]);
  });

  it('deprecates a dropped table, and lifts its own mark when the table comes back', async () => {
    await inDb(`DROP TABLE shop.legacy`);
    const run = (await gql('bob', SCAN, { depot })).data!.scanDepot;
    expect(run).toMatchObject({ found: 3, deprecated: 1, restored: 0 });
    const legacy = (await gql('bob', DATASET, { urn: urn('shop', 'legacy') })).data!.dataset;
    expect(legacy.deprecation.by).toBe('services:id:metis-scanner');
    expect(legacy.deprecation.note).toMatch(/^Not found in the source/);
    // Already marked: the next scan does not count it again.
    expect((await gql('bob', SCAN, { depot })).data!.scanDepot).toMatchObject({ deprecated: 0, unchanged: 3 });

    await inDb(`CREATE TABLE shop.legacy (id int)`);
    expect((await gql('bob', SCAN, { depot })).data!.scanDepot).toMatchObject({ restored: 1, deprecated: 0 });
    expect((await gql('bob', DATASET, { urn: urn('shop', 'legacy') })).data!.dataset.deprecation).toBeNull();
  });

  it("writes the source's state again over a dataset someone else ingested since the last scan", async () => {
    const ingest = await gql('bob', `mutation($input: IngestInput!) { ingest(input: $input) { updated } }`, {
      input: {
        source: { name: depot },
        datasets: [{ urn: urn('shop', 'orders'), columns: [{ name: 'id', type: 'int' }] }],
      },
    });
    expect(ingest.data!.ingest.updated).toBe(1);
    expect((await gql('bob', SCAN, { depot })).data!.scanDepot).toMatchObject({ updated: 1, unchanged: 3 });
    const orders = (await gql('bob', DATASET, { urn: urn('shop', 'orders') })).data!.dataset;
    expect(orders.columns.map((c: Answer) => `${c.name} ${c.type}`)).toEqual([
      'id bigint',
      'customer_id bigint',
      'amount numeric(10,2)',
    ]);
  });

  it('a seed replayed over a scanned dataset leaves it as the scan wrote it, with no new version', async () => {
    const before = (await gql('bob', DATASET, { urn: urn('shop', 'orders') })).data!.dataset;
    await seedMetis(neo4j, [
      {
        urn: urn('shop', 'orders'),
        name: 'orders',
        description: 'Seeded.',
        layer: 'raw',
        tags: [],
        columns: [['id', 'int', []]],
      },
    ]);
    const after = (await gql('bob', DATASET, { urn: urn('shop', 'orders') })).data!.dataset;
    expect(after.columns).toEqual(before.columns);
    expect(after.description).toBe(before.description);
    expect(after.versions.totalCount).toBe(before.versions.totalCount);
  });

  it('finds the demo crmdb schemas, keys and a view column lineage', async () => {
    const d = `${depot}crm`;
    const run = (await gql('bob', SCAN, { depot: d })).data!.scanDepot;
    expect(run).toMatchObject({ status: 'SUCCEEDED', found: 8, created: 8 });
    const list = await gql(
      'bob',
      `query($d: String) { datasets(first: 50, filter: { source: $d }) { edges { node { urn } } } }`,
      {
        d,
      },
    );
    const urns = list.data!.datasets.edges.map((e: { node: { urn: string } }) => e.node.urn);
    for (const collection of ['public', 'sales', 'support'])
      expect(urns.some((u: string) => u.includes(`:${collection}/`))).toBe(true);
    const lineage = await gql(
      'bob',
      `query($urn: ID!) { column(datasetUrn: $urn, name: "full_name") {
          lineage(direction: UPSTREAM, depth: 1) { edges { upstream { datasetUrn name } transformation } } } }`,
      { urn: urn('public', 'customer_contacts', d) },
    );
    expect(lineage.data!.column.lineage.edges).toEqual(
      expect.arrayContaining([
        {
          upstream: { datasetUrn: urn('public', 'customers', d), name: 'first_name' },
          transformation: "c.first_name || ' ' || c.last_name",
        },
      ]),
    );
  });

  it("scans a DuckDB file read-only: tables, comments, keys and a view's lineage", async () => {
    const d = `${depot}duck`;
    const run = (await gql('bob', SCAN, { depot: d })).data!.scanDepot;
    expect(run).toMatchObject({ status: 'SUCCEEDED', found: 3, created: 3, columnEdges: 3 });
    const customers = (await gql('bob', DATASET, { urn: urn('lake', 'customers', d) })).data!.dataset;
    expect(customers).toMatchObject({ description: 'Lake customers.', source: { name: d, type: 'duckdb' } });
    expect(customers.columns[1]).toMatchObject({
      name: 'name',
      type: 'varchar',
      nullable: false,
      description: 'Full name.',
    });
    const orders = (await gql('bob', DATASET, { urn: urn('lake', 'orders', d) })).data!.dataset;
    expect(orders.columns[1].references).toEqual({ datasetUrn: urn('lake', 'customers', d), name: 'id' });
    const lineage = await gql(
      'bob',
      `query($urn: ID!) { column(datasetUrn: $urn, name: "shouted") {
          lineage(direction: UPSTREAM, depth: 1) { edges { upstream { datasetUrn name } transformation } } } }`,
      { urn: urn('lake', 'big_orders', d) },
    );
    expect(lineage.data!.column.lineage.edges).toEqual([
      { upstream: { datasetUrn: urn('lake', 'customers', d), name: 'name' }, transformation: 'upper(c.name)' },
    ]);
  });

  it('scans on schedule, one run at a time, recorded for readers of the depot', async () => {
    const d = `${depot}sched`;
    const deadline = Date.now() + 20_000;
    let runs: { trigger: string; status: string; requestedBy: string | null }[] = [];
    while (Date.now() < deadline) {
      const res = await gql('bob', `query($d: ID!) { scanRuns(depot: $d, first: 5) { ${RUN} } }`, { d });
      runs = res.data!.scanRuns;
      if (runs.some((r) => r.status !== 'RUNNING')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(runs.find((r) => r.status !== 'RUNNING')).toMatchObject({
      trigger: 'SCHEDULE',
      requestedBy: null,
      status: 'SUCCEEDED',
    });
  });

  it('answers at once without wait, the run finishing in the background', async () => {
    const started = await gql('bob', `mutation($d: ID!) { scanDepot(depot: $d) { id status finishedAt } }`, {
      d: depot,
    });
    expect(started.data!.scanDepot).toMatchObject({ status: 'RUNNING', finishedAt: null });
    const deadline = Date.now() + 20_000;
    let run: Answer | undefined;
    while (Date.now() < deadline) {
      const runs = await gql('bob', `query($d: ID!) { scanRuns(depot: $d, first: 1) { ${RUN} } }`, { d: depot });
      run = runs.data!.scanRuns[0];
      if (run?.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(run).toMatchObject({ id: started.data!.scanDepot.id, status: 'SUCCEEDED', unchanged: 4 });
  });

  it('is for writers of the depot; run records for its readers; unknown depots are NOT_FOUND', async () => {
    expect(errorCodes(await gql('alice', SCAN, { depot }))).toEqual(['FORBIDDEN']);
    const runs = await gql('alice', `query($d: ID!) { scanRuns(depot: $d) { status trigger } }`, { d: depot });
    expect(runs.errors).toBeUndefined();
    expect(runs.data!.scanRuns.length).toBeGreaterThanOrEqual(5);
    expect(
      errorCodes(await gql('alice', `query($d: ID!) { scanRuns(depot: $d) { id } }`, { d: `${depot}crm` })),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql('bob', SCAN, { depot: `${depot}none` }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql('bob', SCAN, { depot: 'not a depot' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('never shows or logs a connection password, even when the login fails', async () => {
    const bad = (await gql('bob', SCAN, { depot: `${depot}bad` })).data!.scanDepot;
    expect(bad.status).toBe('FAILED');
    expect(bad.errors.join(' ')).toMatch(/password authentication failed/);
    const source = await gql('bob', `query($d: ID!) { source(name: $d) { type connection { key value } } }`, {
      d: depot,
    });
    expect(source.data!.source.connection.map((p: { key: string }) => p.key)).toEqual(['host', 'port', 'database']);
    const logged = logLines.join('\n');
    expect(logged).toContain('scan finished');
    expect(logged).toContain('scan failed');
    for (const secret of [password, wrongPassword, CRMDB_PASSWORD]) {
      expect(answers.join('\n')).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
  });
});
