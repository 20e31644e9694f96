import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetDetailDocument, DatasetLineageDocument, SearchCatalogDocument } from '@dataos/client';
import {
  createPolicies,
  dropOwnNodes,
  graphql,
  startTestSupergraph,
  tokenFor,
  uniqueId,
  type TestSupergraph,
} from '@dataos/testkit';
import { seedCatalog } from '../src/index.js';
import { demoLikeCatalog } from './demo-like.js';

// The demo catalog under this run's names: depots `<id>-icebase`, domains `<id>-retail`, ...
const id = uniqueId('mt');
const catalog = demoLikeCatalog(id);
const urn = (depot: string, path: string) => `dataos://${id}-${depot}:${path}`;
const retail = new Set(catalog.datasets.filter((d) => d.domain === `${id}-retail`).map((d) => d.urn));

let sg: TestSupergraph;

beforeAll(async () => {
  sg = await startTestSupergraph();
  await seedCatalog(sg.neo4j, catalog);
  // The demo policies of Heimdall's seed, for this run's names.
  await createPolicies(sg.heimdallUrl, [
    {
      name: `${id}-retail-readers`,
      subjects: [['roles:id:data-dev'], ['roles:id:admin']],
      actions: ['read'],
      objects: { paths: [`dataos://${id}-icebase:retail/**`], tags: [`dataos:domain:${id}-retail`] },
    },
    {
      name: `${id}-metis-api-users`,
      subjects: [['roles:id:*']],
      actions: ['read'],
      objects: { paths: ['/metis/**'], tags: [] },
    },
    {
      name: `${id}-no-finance-for-data-devs`,
      effect: 'DENY',
      subjects: [['roles:id:data-dev']],
      actions: ['*'],
      objects: { paths: [`dataos://${id}-lakehouse:finance/**`], tags: [`dataos:domain:${id}-finance`] },
    },
  ]);
}, 180_000);

afterAll(async () => {
  if (sg)
    await dropOwnNodes(sg.neo4j, id, [
      'Dataset',
      'Column',
      'Source',
      'Resource',
      'GlossaryTerm',
      'Domain',
      'Owner',
      'JobRun',
    ]);
  await sg?.stop();
});

describe('Metis through the router', () => {
  it('alice can search the demo-like catalog, open a dataset with its columns, owners, tags and lineage, and sees nothing she may not read', async () => {
    const token = await tokenFor('alice');

    // search: the exact name first; every hit (and every count) in the retail domain only
    const found = await graphql(sg.url, SearchCatalogDocument, {
      token,
      variables: { query: 'customers', first: 100, filter: { types: ['DATASET', 'COLUMN'] } },
    });
    expect(found.errors).toBeUndefined();
    const hits = found.data!.search.edges.map((e) => e.node.node);
    expect(hits[0]).toMatchObject({ __typename: 'Dataset', urn: urn('icebase', 'retail/customers') });
    const datasetsHit = hits.map((n) =>
      n.__typename === 'Dataset' ? n.urn : n.__typename === 'Column' ? n.datasetUrn : '',
    );
    expect(datasetsHit.length).toBeGreaterThan(5);
    for (const u of datasetsHit) expect(retail.has(u), u).toBe(true);
    expect(found.data!.search.totalCount).toBe(hits.length);
    expect(found.data!.search.facets.domains).toEqual([{ value: `${id}-retail`, count: hits.length }]);
    const text = JSON.stringify(found);
    for (const hidden of ['finance', 'marketing', 'supply', 'audience_profiles', 'email_engagement'])
      expect(text).not.toContain(hidden);

    // open the dataset: columns, owners, tags, domain, glossary, operational metadata
    const opened = await graphql(sg.url, DatasetDetailDocument, {
      token,
      variables: { urn: urn('icebase', 'retail/customers') },
    });
    expect(opened.errors).toBeUndefined();
    const d = opened.data!.dataset!;
    expect(d.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'full_name',
      'email',
      'phone',
      'date_of_birth',
      'region',
      'created_at',
    ]);
    expect(d.columns.find((c) => c.name === 'email')?.tags).toEqual(['PII.Email']);
    expect(d.tags).toEqual(expect.arrayContaining(['PII', 'Tier.Gold', `dataos:domain:${id}-retail`]));
    expect(d.owners.map((o) => o.id)).toEqual([`teams:id:${id}-retail-data`, `users:id:${id}-alice`]);
    expect(d.domain).toEqual({ name: `${id}-retail` });
    expect(d.glossaryTerms.map((t) => t.name)).toEqual([`${id} Customer`, `${id} Personal Data`]);
    expect(d.source).toEqual({ name: `${id}-icebase`, type: 'icebase' });
    expect(d.rowCount).toBeGreaterThan(1_000_000);
    expect(d.freshness.sloSeconds).toBe(86_400);

    // its lineage, with the workflows in between and column-level edges
    const lineage = await graphql(sg.url, DatasetLineageDocument, {
      token,
      variables: { urn: urn('icebase', 'retail/customers'), direction: 'BOTH', depth: 3 },
    });
    expect(lineage.errors).toBeUndefined();
    const l = lineage.data!.lineage!;
    const around = l.nodes.map((n) => n.dataset.urn);
    expect(around).toEqual(
      expect.arrayContaining([
        urn('icebase', 'retail/raw_customers'),
        urn('crmdb', 'public/customers'),
        urn('icebase', 'retail/customer_360'),
        urn('icebase', 'retail/daily_sales'),
      ]),
    );
    for (const u of around) expect(retail.has(u), u).toBe(true);
    expect(l.workflows.map((w) => w.name)).toEqual(
      expect.arrayContaining([`${id}-customers-dedupe`, `${id}-customer-360`]),
    );
    const golden = l.edges.find((e) => e.upstreamUrn === urn('icebase', 'retail/raw_customers'));
    expect(golden?.via).toEqual({
      urn: `dataos://workflow:retail/${id}-customers-dedupe`,
      kind: 'WORKFLOW',
      name: `${id}-customers-dedupe`,
    });
    expect(golden?.columns).toContainEqual({
      upstream: { name: 'email' },
      downstream: { name: 'email' },
      transformation: 'lower(trim(email))',
    });
    const lineageText = JSON.stringify(lineage);
    for (const hidden of ['finance', 'marketing', 'email_engagement', 'audience_profiles'])
      expect(lineageText).not.toContain(hidden);

    // orders feed finance invoices and marketing attribution: alice sees neither
    const orders = await graphql(sg.url, DatasetLineageDocument, {
      token,
      variables: { urn: urn('icebase', 'retail/orders'), direction: 'DOWNSTREAM', depth: 5 },
    });
    expect(orders.data!.lineage!.nodes.length).toBeGreaterThan(2);
    expect(JSON.stringify(orders)).not.toMatch(/finance|marketing/);

    // a finance dataset does not exist for her: null, no error
    const invoices = await graphql(sg.url, DatasetDetailDocument, {
      token,
      variables: { urn: urn('lakehouse', 'finance/invoices') },
    });
    expect(invoices.errors).toBeUndefined();
    expect(invoices.data!.dataset).toBeNull();
  });

  it('carol (admin) reads the retail domain too; dave (no role) sees nothing', async () => {
    const carol = await graphql(sg.url, DatasetDetailDocument, {
      token: await tokenFor('carol'),
      variables: { urn: urn('icebase', 'retail/customers') },
    });
    expect(carol.data!.dataset?.name).toBe('customers');
    const dave = await graphql(sg.url, SearchCatalogDocument, {
      token: await tokenFor('dave'),
      variables: { query: 'customers', filter: { types: ['DATASET', 'COLUMN'] } },
    });
    expect(dave.errors).toBeUndefined();
    expect(dave.data!.search.totalCount).toBe(0);
  });
});
