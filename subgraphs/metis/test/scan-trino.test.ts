import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trinoQuery } from '@dataos/devstack';
import { HeimdallClient } from '@dataos/heimdall-client';
import { neo4jFromEnv } from '@dataos/stores';
import { dropOwnNodes, graphql, serveTestSubgraph, startTestHeimdall, tokenFor, uniqueId } from '@dataos/testkit';
import { createMetisSubgraph } from '../src/index.js';
import { metisSettingsFromEnv } from '../src/settings.js';
import { parseScanTargets } from '../src/scan/config.js';

// Answers are checked by `expect`, field by field, not by types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = Record<string, any>;

// Against the devstack's Trino (Iceberg catalog `icebase`): a schema of this run, dropped at the
// end, scanned with the rest of the catalog under a depot of this run.
const TRINO_URL = process.env.TRINO_URL ?? 'http://127.0.0.1:4480';
const id = uniqueId('scanice');
const schema = id.toLowerCase().replace(/[^a-z0-9_]/g, '_');
const depot = id;
const urn = (name: string) => `dataos://${depot}:${schema}/${name}`;

async function sql(text: string): Promise<void> {
  await trinoQuery(TRINO_URL, text, { user: 'metis-test' });
}

const neo4j = neo4jFromEnv('METIS');
let served: { url: string; stop(): Promise<void> };
const gql = async (query: string, variables: Record<string, unknown> = {}) =>
  graphql<Answer>(served.url, query, { token: await tokenFor('bob'), variables });
const SCAN = `mutation($d: ID!) { scanDepot(depot: $d, wait: true) { status found created updated deprecated columnEdges errors } }`;
const DATASET = `query($urn: ID!) { dataset(urn: $urn) { kind description columns { name type nullable description } deprecation { by } } }`;

beforeAll(async () => {
  await sql(`CREATE SCHEMA icebase.${schema}`);
  await sql(
    `CREATE TABLE icebase.${schema}.events (id bigint, kind varchar, amount decimal(10, 2)) COMMENT 'Shop events.'`,
  );
  await sql(`COMMENT ON COLUMN icebase.${schema}.events.kind IS 'placed, paid or shipped'`);
  const heimdall = await startTestHeimdall({
    policies: [
      {
        name: `${id}-bob`,
        subjects: [['roles:id:operator']],
        actions: ['read', 'write'],
        objects: { paths: [`dataos://${depot}`, `dataos://${depot}:*/**`, '/metis/**'], tags: [] },
      },
    ],
  });
  const scans = parseScanTargets(JSON.stringify([{ depot, type: 'trino', url: TRINO_URL, catalog: 'icebase' }]));
  const metis = await createMetisSubgraph({
    neo4j,
    heimdall: new HeimdallClient({ url: heimdall.url }),
    settings: { ...metisSettingsFromEnv(), scans },
  });
  served = await serveTestSubgraph(metis, () => heimdall.stop());
}, 180_000);

afterAll(async () => {
  await served?.stop();
  await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'DatasetVersion', 'ScanRun', 'ScanLock']);
  await neo4j.close();
  // A few tries: a schema left behind would show up in every later scan of icebase (npm run dev's too).
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      for (const table of ['events', 'refunds']) await sql(`DROP TABLE IF EXISTS icebase.${schema}.${table}`);
      await sql(`DROP SCHEMA IF EXISTS icebase.${schema}`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}, 120_000);

describe('scanning a Trino catalog (icebase)', () => {
  it('catalogs Iceberg tables with types and comments, and a table created later after the next scan', async () => {
    const first = await gql(SCAN, { d: depot });
    expect(first.errors).toBeUndefined();
    expect(first.data!.scanDepot).toMatchObject({ status: 'SUCCEEDED', errors: [] });
    const events = (await gql(DATASET, { urn: urn('events') })).data!.dataset;
    expect(events).toMatchObject({ kind: 'TABLE', description: 'Shop events.' });
    expect(events.columns).toEqual([
      { name: 'id', type: 'bigint', nullable: true, description: null },
      { name: 'kind', type: 'varchar', nullable: true, description: 'placed, paid or shipped' },
      { name: 'amount', type: 'decimal(10,2)', nullable: true, description: null },
    ]);
    expect((await gql(DATASET, { urn: urn('refunds') })).data!.dataset).toBeNull();

    await sql(`CREATE TABLE icebase.${schema}.refunds AS SELECT id, amount FROM icebase.${schema}.events`);
    const second = (await gql(SCAN, { d: depot })).data!.scanDepot;
    expect(second).toMatchObject({ status: 'SUCCEEDED', created: 1, updated: 0, deprecated: 0 });
    const refunds = (await gql(DATASET, { urn: urn('refunds') })).data!.dataset;
    expect(refunds.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'amount']);

    await sql(`DROP TABLE icebase.${schema}.refunds`);
    expect((await gql(SCAN, { d: depot })).data!.scanDepot).toMatchObject({ created: 0, deprecated: 1 });
    expect((await gql(DATASET, { urn: urn('refunds') })).data!.dataset.deprecation).toEqual({
      by: 'services:id:metis-scanner',
    });
  });
});
