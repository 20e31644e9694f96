import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness } from './harness.js';

let h: Harness;
let domain: string;
let term: string;

const DATASET = /* GraphQL */ `
  query ($urn: ID!) {
    dataset(urn: $urn) {
      urn
      name
      collection
      kind
      description
      format
      layer
      tags
      createdAt
      updatedAt
      source {
        name
        type
        connection {
          key
          value
        }
      }
      domain {
        name
      }
      owners {
        id
        kind
        name
      }
      glossaryTerms {
        name
      }
      columns {
        name
        type
        description
        nullable
        position
        tags
        glossaryTerms {
          name
        }
      }
    }
  }
`;

function input(datasets: unknown[], source: Record<string, unknown> = {}) {
  return { input: { source: { name: h.id, ...source }, datasets } };
}

beforeAll(async () => {
  h = await startHarness();
  await h.policies(standardPolicies(h));
  domain = `${h.id}-retail`;
  term = `${h.id} Customer`;
  const d = await h.gql(
    'bob',
    'mutation ($n: ID!) { upsertDomain(input: { name: $n, description: "test" }) { name } }',
    { n: domain },
  );
  expect(d.errors).toBeUndefined();
  const t = await h.gql(
    'bob',
    'mutation ($n: ID!) { upsertGlossaryTerm(input: { name: $n, definition: "A buyer." }) { name } }',
    { n: term },
  );
  expect(t.errors).toBeUndefined();
});

afterAll(() => h?.stop());

const customers = () =>
  dataset(
    h,
    'retail',
    'customers',
    {
      description: 'One row per customer.',
      format: 'iceberg',
      tags: ['PII', 'Tier.Gold'],
      domain,
      owners: [{ id: `users:id:${h.id}-alice`, name: 'Alice' }, { id: `teams:id:${h.id}-retail` }],
      glossaryTerms: [term],
    },
    [
      { name: 'customer_id', type: 'bigint' },
      { name: 'email', type: 'varchar', tags: ['PII.Email'], description: 'Primary email.', glossaryTerms: [term] },
      { name: 'region', type: 'varchar' },
    ],
  );

describe('ingest', () => {
  it('upserts a source with its datasets, columns, owners, tags, domain and glossary terms', async () => {
    const res = await h.gql(
      'bob',
      INGEST,
      input([customers(), dataset(h, 'retail', 'orders'), dataset(h, 'sales', 'invoices')], {
        type: 'icebase',
        description: 'test depot',
        connection: [{ key: 'warehouse', value: 'abfss://x' }],
      }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ingest).toEqual({
      created: 3,
      updated: 0,
      unchanged: 0,
      urns: [h.urn('retail', 'customers'), h.urn('retail', 'orders'), h.urn('sales', 'invoices')],
      source: { name: h.id, type: 'icebase' },
    });
    const got = await h.gql<{ dataset: Record<string, unknown> }>('bob', DATASET, {
      urn: h.urn('retail', 'customers'),
    });
    expect(got.errors).toBeUndefined();
    expect(got.data?.dataset).toMatchObject({
      urn: h.urn('retail', 'customers'),
      name: 'customers',
      collection: 'retail',
      kind: 'TABLE',
      description: 'One row per customer.',
      format: 'iceberg',
      layer: 'clean',
      tags: ['PII', 'Tier.Gold'],
      source: { name: h.id, type: 'icebase', connection: [{ key: 'warehouse', value: 'abfss://x' }] },
      domain: { name: domain },
      owners: [
        { id: `teams:id:${h.id}-retail`, kind: 'TEAM', name: null },
        { id: `users:id:${h.id}-alice`, kind: 'PERSON', name: 'Alice' },
      ],
      glossaryTerms: [{ name: term }],
      columns: [
        {
          name: 'customer_id',
          type: 'bigint',
          description: null,
          nullable: true,
          position: 0,
          tags: [],
          glossaryTerms: [],
        },
        {
          name: 'email',
          type: 'varchar',
          description: 'Primary email.',
          nullable: true,
          position: 1,
          tags: ['PII.Email'],
          glossaryTerms: [{ name: term }],
        },
        {
          name: 'region',
          type: 'varchar',
          description: null,
          nullable: true,
          position: 2,
          tags: [],
          glossaryTerms: [],
        },
      ],
    });
  });

  it('is idempotent: the same input again changes nothing, updatedAt included', async () => {
    const before = await h.counts();
    const first = await h.gql<{ dataset: { updatedAt: string } }>('bob', DATASET, {
      urn: h.urn('retail', 'customers'),
    });
    const res = await h.gql(
      'bob',
      INGEST,
      input([customers(), dataset(h, 'retail', 'orders'), dataset(h, 'sales', 'invoices')]),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ingest).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await h.counts()).toEqual(before);
    const again = await h.gql<{ dataset: { updatedAt: string } }>('bob', DATASET, {
      urn: h.urn('retail', 'customers'),
    });
    expect(again.data?.dataset).toEqual(first.data?.dataset);
  });

  it('replaces the columns of a changed dataset and keeps fields the input omits', async () => {
    const res = await h.gql(
      'bob',
      INGEST,
      input([
        dataset(h, 'retail', 'orders', { description: undefined, layer: undefined }, [
          { name: 'order_id', type: 'bigint' },
          { name: 'total', type: 'decimal(12,2)' },
        ]),
      ]),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ingest).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const got = await h.gql<{ dataset: { description: string; layer: string; columns: { name: string }[] } }>(
      'bob',
      DATASET,
      {
        urn: h.urn('retail', 'orders'),
      },
    );
    expect(got.data?.dataset.description).toBe('orders of retail');
    expect(got.data?.dataset.layer).toBe('clean');
    expect(got.data?.dataset.columns.map((c) => c.name)).toEqual(['order_id', 'total']);
  });

  it('refuses an invalid URN with its field, and writes nothing', async () => {
    const before = await h.counts();
    const res = await h.gql(
      'bob',
      INGEST,
      input([dataset(h, 'retail', 'fresh1'), { ...dataset(h, 'retail', 'x'), urn: 'dataos://not a urn' }]),
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe('input.datasets[1].urn');
    expect(res.data?.ingest ?? null).toBeNull();
    expect(await h.counts()).toEqual(before);
  });

  it.each([
    [
      'a URN of another source',
      () => [{ ...dataset(h, 'retail', 'y'), urn: `dataos://other${h.id}:retail/y` }],
      'input.datasets[0].urn',
    ],
    [
      'a column listed twice',
      () => [
        dataset(h, 'retail', 'y', {}, [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'int' },
        ]),
      ],
      'input.datasets[0].columns[1].name',
    ],
    ['a malformed tag', () => [dataset(h, 'retail', 'y', { tags: ['has space'] })], 'input.datasets[0].tags[0]'],
    [
      'a malformed owner',
      () => [dataset(h, 'retail', 'y', { owners: [{ id: 'alice' }] })],
      'input.datasets[0].owners[0].id',
    ],
    ['an unknown layer', () => [dataset(h, 'retail', 'y', { layer: 'gold' })], 'input.datasets[0].layer'],
  ])('refuses %s (BAD_USER_INPUT with the field), nothing written', async (_what, datasets, field) => {
    const before = await h.counts();
    const res = await h.gql('bob', INGEST, input(datasets()));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe(field);
    expect(await h.counts()).toEqual(before);
  });

  it('refuses secrets in connection details', async () => {
    const res = await h.gql(
      'bob',
      INGEST,
      input([], {
        connection: [
          { key: 'host', value: 'x' },
          { key: 'password', value: 'hunter2' },
        ],
      }),
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe('input.source.connection[1].key');
  });

  it('answers NOT_FOUND for an unknown glossary term or domain, and writes nothing (one transaction)', async () => {
    const before = await h.counts();
    const res = await h.gql(
      'bob',
      INGEST,
      input([dataset(h, 'retail', 'fresh2'), dataset(h, 'retail', 'fresh3', { glossaryTerms: [`${h.id} Nope`] })]),
    );
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors?.[0]?.extensions?.field).toBe('input.datasets[1].glossaryTerms[0]');
    const dom = await h.gql('bob', INGEST, input([dataset(h, 'retail', 'fresh4', { domain: `${h.id}-nope` })]));
    expect(errorCodes(dom)).toEqual(['NOT_FOUND']);
    expect(dom.errors?.[0]?.extensions?.field).toBe('input.datasets[0].domain');
    expect(await h.counts()).toEqual(before);
  });

  it('refuses a write without permission (FORBIDDEN) and writes nothing', async () => {
    const before = await h.counts();
    // alice may read the retail collection but not write it; dave has no grant at all.
    for (const user of ['alice', 'dave'] as const) {
      const res = await h.gql(user, INGEST, input([dataset(h, 'retail', 'customers', { description: 'changed' })]));
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors?.[0]?.extensions?.field).toBe('input.datasets[0].urn');
    }
    const tag = await h.gql('alice', 'mutation ($u: ID!) { tag(input: { urn: $u, add: ["Hacked"] }) { tags } }', {
      u: h.urn('retail', 'customers'),
    });
    expect(errorCodes(tag)).toEqual(['FORBIDDEN']);
    const desc = await h.gql('alice', 'mutation ($u: ID!) { describe(input: { urn: $u, description: "x" }) { urn } }', {
      u: h.urn('retail', 'customers'),
    });
    expect(errorCodes(desc)).toEqual(['FORBIDDEN']);
    expect(await h.counts()).toEqual(before);
    const got = await h.gql<{ dataset: { description: string; tags: string[] } }>('bob', DATASET, {
      urn: h.urn('retail', 'customers'),
    });
    expect(got.data?.dataset).toMatchObject({ description: 'One row per customer.', tags: ['PII', 'Tier.Gold'] });
  });

  it('authorizes before it validates: a caller who may not write gets FORBIDDEN for invalid input, never BAD_USER_INPUT, and nothing is written', async () => {
    const before = await h.counts();
    const customersUrn = h.urn('retail', 'customers');
    const invalidIngest = input(
      [
        dataset(h, 'retail', 'customers', { layer: 'gold', owners: [{ id: 'alice' }] }, [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'int' },
        ]),
        dataset(h, 'retail', 'brand-new', { freshnessSloSeconds: -1 }),
      ],
      { type: 'not a type', connection: [{ key: 'password', value: 'hunter2' }] },
    );
    // alice may read the retail collection but not write it; dave has no grant at all.
    for (const user of ['alice', 'dave'] as const) {
      const res = await h.gql(user, INGEST, invalidIngest);
      expect(errorCodes(res), user).toEqual(['FORBIDDEN']);
      expect(res.errors?.[0]?.extensions?.field).toBe('input.datasets[0].urn');
    }
    // The same input from a writer is refused for what is wrong with it.
    const bob = await h.gql('bob', INGEST, invalidIngest);
    expect(errorCodes(bob)).toEqual(['BAD_USER_INPUT']);

    const long = 'x'.repeat(70_000);
    const refused: [string, Record<string, unknown>][] = [
      [
        'mutation ($u: ID!, $d: String) { describe(input: { urn: $u, description: $d, columns: [{ name: "", description: "x" }] }) { urn } }',
        { d: long },
      ],
      ['mutation ($u: ID!) { tag(input: { urn: $u, column: "", add: [] }) { urn } }', {}],
      ['mutation ($u: ID!) { setOwners(urn: $u, owners: [{ id: "alice" }, { id: "alice" }]) { urn } }', {}],
      ['mutation ($u: ID!) { setGlossaryTerms(input: { urn: $u, column: "", terms: [" padded "] }) { urn } }', {}],
      [
        'mutation ($u: ID!, $o: ID!) { addLineage(input: { upstream: $o, downstream: $u, via: "not-a-resource", columns: [{ upstream: "", downstream: "" }] }) { job } }',
        { o: h.urn('retail', 'orders') },
      ],
      [
        'mutation ($u: ID!) { recordRun(input: { datasetUrn: $u, status: FAILED, startedAt: "2024-05-02T00:00:00Z", finishedAt: "2024-05-01T00:00:00Z", rowCount: -1 }) { id } }',
        {},
      ],
      [
        'mutation ($v: String) { upsertResource(input: { kind: WORKFLOW, name: "wf", version: $v, owner: { id: "alice" } }) { urn } }',
        { v: long },
      ],
      [
        'mutation ($n: ID!) { upsertGlossaryTerm(input: { name: $n, definition: "", related: [$n] }) { name } }',
        { n: `${h.id} Forbidden` },
      ],
      [
        'mutation ($n: ID!, $d: String) { upsertDomain(input: { name: $n, description: $d }) { name } }',
        { n: `${h.id}-forbidden`, d: long },
      ],
    ];
    for (const [mutation, variables] of refused) {
      const res = await h.gql('alice', mutation, { u: customersUrn, ...variables });
      expect(errorCodes(res), mutation).toEqual(['FORBIDDEN']);
    }
    // A dataset the caller cannot read stays NOT_FOUND, whatever else is wrong.
    const hidden = await h.gql('dave', refused[0]![0], { u: customersUrn, d: long });
    expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
    expect(await h.counts()).toEqual(before);
  });

  it('answers NOT_FOUND, not FORBIDDEN, for a write on a dataset the caller cannot even read', async () => {
    const res = await h.gql('alice', 'mutation ($u: ID!) { describe(input: { urn: $u, description: "x" }) { urn } }', {
      u: h.urn('sales', 'invoices'),
    });
    expect(errorCodes(res)).toEqual(['NOT_FOUND']);
    const unknown = await h.gql(
      'alice',
      'mutation ($u: ID!) { describe(input: { urn: $u, description: "x" }) { urn } }',
      { u: h.urn('sales', 'nothing') },
    );
    expect(unknown.errors?.[0]?.message.replace(/sales\/\w+/, '')).toBe(
      res.errors?.[0]?.message.replace(/sales\/\w+/, ''),
    );
  });
});

describe('curation mutations', () => {
  it('describes a dataset and its columns', async () => {
    const res = await h.gql<{
      describe: { description: string; columns: { name: string; description: string | null }[] };
    }>(
      'bob',
      `mutation ($u: ID!) { describe(input: { urn: $u, description: "Curated customers.", columns: [{ name: "region", description: "Sales region." }] }) {
         description columns { name description } } }`,
      { u: h.urn('retail', 'customers') },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.describe.description).toBe('Curated customers.');
    expect(res.data?.describe.columns.find((c) => c.name === 'region')?.description).toBe('Sales region.');
    const bad = await h.gql(
      'bob',
      'mutation ($u: ID!) { describe(input: { urn: $u, columns: [{ name: "nope", description: "x" }] }) { urn } }',
      {
        u: h.urn('retail', 'customers'),
      },
    );
    expect(errorCodes(bad)).toEqual(['NOT_FOUND']);
    expect(bad.errors?.[0]?.extensions?.field).toBe('input.columns[0].name');
  });

  it('tags a dataset and a column, and sets owners and glossary terms', async () => {
    const u = h.urn('retail', 'orders');
    const tagged = await h.gql<{ tag: { tags: string[] } }>(
      'bob',
      'mutation ($u: ID!) { tag(input: { urn: $u, add: ["Tier.Silver", "Finance.Relevant"] }) { tags } }',
      { u },
    );
    expect(tagged.data?.tag.tags).toEqual(['Tier.Silver', 'Finance.Relevant']);
    const untagged = await h.gql<{ tag: { tags: string[] } }>(
      'bob',
      'mutation ($u: ID!) { tag(input: { urn: $u, remove: ["Finance.Relevant"] }) { tags } }',
      { u },
    );
    expect(untagged.data?.tag.tags).toEqual(['Tier.Silver']);
    const col = await h.gql<{ tag: { columns: { name: string; tags: string[] }[] } }>(
      'bob',
      'mutation ($u: ID!) { tag(input: { urn: $u, column: "total", add: ["Finance.Amount"] }) { columns { name tags } } }',
      { u },
    );
    expect(col.data?.tag.columns).toEqual([
      { name: 'order_id', tags: [] },
      { name: 'total', tags: ['Finance.Amount'] },
    ]);
    const owners = await h.gql<{ setOwners: { owners: { id: string }[] } }>(
      'bob',
      'mutation ($u: ID!, $o: [OwnerInput!]!) { setOwners(urn: $u, owners: $o) { owners { id } } }',
      { u, o: [{ id: `users:id:${h.id}-bob` }] },
    );
    expect(owners.data?.setOwners.owners).toEqual([{ id: `users:id:${h.id}-bob` }]);
    const terms = await h.gql<{ setGlossaryTerms: { glossaryTerms: { name: string }[] } }>(
      'bob',
      'mutation ($u: ID!, $t: [ID!]!) { setGlossaryTerms(input: { urn: $u, terms: $t }) { glossaryTerms { name } } }',
      { u, t: [term] },
    );
    expect(terms.data?.setGlossaryTerms.glossaryTerms).toEqual([{ name: term }]);
    const linked = await h.gql<{ glossaryTerm: { datasets: { urn: string }[]; columns: { name: string }[] } }>(
      'bob',
      'query ($n: ID!) { glossaryTerm(name: $n) { datasets { urn } columns { name } } }',
      { n: term },
    );
    expect(linked.data?.glossaryTerm.datasets.map((d) => d.urn)).toEqual([h.urn('retail', 'customers'), u]);
    expect(linked.data?.glossaryTerm.columns).toEqual([{ name: 'email' }]);
  });

  it('writes owners one way from ingest, setOwners and resources: replaced, merged by id, a null name or email kept', async () => {
    const u = h.urn('retail', 'owned');
    const carl = `users:id:${h.id}-carl`;
    const team = `teams:id:${h.id}-ops`;
    const OWNERS = 'query ($u: ID!) { dataset(urn: $u) { owners { id kind name email } } }';
    const owners = async () =>
      (await h.gql<{ dataset: { owners: unknown[] } }>('bob', OWNERS, { u })).data?.dataset.owners;
    const ingested = await h.gql(
      'bob',
      INGEST,
      input([dataset(h, 'retail', 'owned', { owners: [{ id: carl, name: 'Carl', email: 'carl@example.com' }] })]),
    );
    expect(ingested.errors).toBeUndefined();
    expect(await owners()).toEqual([{ id: carl, kind: 'PERSON', name: 'Carl', email: 'carl@example.com' }]);

    // Re-ingesting without owners leaves them; setOwners replaces them, and an owner given
    // without name or email keeps the ones already known.
    const SET = 'mutation ($u: ID!, $o: [OwnerInput!]!) { setOwners(urn: $u, owners: $o) { urn } }';
    expect(
      (await h.gql('bob', INGEST, input([dataset(h, 'retail', 'owned', { description: 'changed' })]))).errors,
    ).toBeUndefined();
    expect(await owners()).toHaveLength(1);
    expect((await h.gql('bob', SET, { u, o: [{ id: team, name: 'Ops' }, { id: carl }] })).errors).toBeUndefined();
    expect(await owners()).toEqual([
      { id: team, kind: 'TEAM', name: 'Ops', email: null },
      { id: carl, kind: 'PERSON', name: 'Carl', email: 'carl@example.com' },
    ]);
    expect((await h.gql('bob', SET, { u, o: [{ id: team }] })).errors).toBeUndefined();
    expect(await owners()).toEqual([{ id: team, kind: 'TEAM', name: 'Ops', email: null }]);
    expect((await h.gql('bob', SET, { u, o: [] })).errors).toBeUndefined();
    expect(await owners()).toEqual([]);

    // A resource's owner: merged into the same Owner node, replaced, removed by null, kept when omitted.
    const UPSERT = 'mutation ($i: ResourceInput!) { upsertResource(input: $i) { owner { id name email } } }';
    const upsert = async (more: Record<string, unknown>) =>
      (
        await h.gql<{ upsertResource: { owner: unknown } }>('bob', UPSERT, {
          i: { kind: 'WORKFLOW', name: `${h.id}-owned`, ...more },
        })
      ).data?.upsertResource.owner;
    expect(await upsert({ owner: { id: carl } })).toEqual({ id: carl, name: 'Carl', email: 'carl@example.com' });
    expect(await upsert({ owner: { id: team, email: 'ops@example.com' } })).toEqual({
      id: team,
      name: 'Ops',
      email: 'ops@example.com',
    });
    expect(await upsert({ version: 'v2' })).toEqual({ id: team, name: 'Ops', email: 'ops@example.com' });
    expect(await upsert({ owner: null })).toBeNull();
  });

  it('records runs: row count, size, freshness, column profiles, newest first, idempotent by id', async () => {
    const u = h.urn('retail', 'customers');
    const RUN = `mutation ($i: RecordRunInput!) { recordRun(input: $i) { id status rowCount dataset { urn } } }`;
    const base = { datasetUrn: u, status: 'SUCCEEDED', rowCount: 1000, sizeBytes: 64000 };
    const first = await h.gql('bob', RUN, {
      i: { ...base, id: `${h.id}-r1`, startedAt: '2024-05-01T02:00:00Z', finishedAt: '2024-05-01T02:10:00Z' },
    });
    expect(first.errors).toBeUndefined();
    const second = await h.gql('bob', RUN, {
      i: {
        ...base,
        id: `${h.id}-r2`,
        rowCount: 1200,
        startedAt: '2024-05-02T02:00:00Z',
        finishedAt: '2024-05-02T02:10:00Z',
        columnProfiles: [{ name: 'region', nullCount: 0, distinctCount: 5, min: 'APAC', max: 'NA' }],
      },
    });
    expect(second.errors).toBeUndefined();
    const again = await h.gql('bob', RUN, {
      i: { ...base, id: `${h.id}-r1`, startedAt: '2024-05-01T02:00:00Z', finishedAt: '2024-05-01T02:10:00Z' },
    });
    expect(again.errors).toBeUndefined();
    const bad = await h.gql('bob', RUN, {
      i: {
        ...base,
        startedAt: '2024-05-03T02:00:00Z',
        finishedAt: '2024-05-03T02:10:00Z',
        columnProfiles: [{ name: 'nope' }],
      },
    });
    expect(errorCodes(bad)).toEqual(['NOT_FOUND']);
    const early = await h.gql('bob', RUN, {
      i: { ...base, startedAt: '2024-05-03T02:00:00Z', finishedAt: '2024-05-02T02:10:00Z' },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.finishedAt' });

    const got = await h.gql<{ dataset: Record<string, unknown> }>(
      'bob',
      `query ($u: ID!) { dataset(urn: $u) {
         rowCount sizeBytes freshness { lastRefreshedAt sloSeconds stale }
         columns { name profile { distinctCount min max } }
         runs(first: 5) { edges { node { id status rowCount } } }
       } }`,
      { u },
    );
    expect(got.errors).toBeUndefined();
    expect(got.data?.dataset).toMatchObject({
      rowCount: 1200,
      sizeBytes: 64000,
      freshness: { lastRefreshedAt: '2024-05-02T02:10:00.000Z', sloSeconds: null, stale: null },
      runs: { edges: [{ node: { id: `${h.id}-r2`, rowCount: 1200 } }, { node: { id: `${h.id}-r1`, rowCount: 1000 } }] },
    });
    const region = (got.data?.dataset.columns as { name: string; profile: unknown }[]).find((c) => c.name === 'region');
    expect(region?.profile).toEqual({ distinctCount: 5, min: 'APAC', max: 'NA' });
  });

  it('shows the values in the profile of a sensitive column only to who may read the column', async () => {
    const u = h.urn('retail', 'customers');
    const run = await h.gql('bob', `mutation ($i: RecordRunInput!) { recordRun(input: $i) { id } }`, {
      i: {
        datasetUrn: u,
        status: 'SUCCEEDED',
        startedAt: '2024-05-04T02:00:00Z',
        finishedAt: '2024-05-04T02:10:00Z',
        columnProfiles: [
          { name: 'email', nullCount: 3, distinctCount: 997, min: 'aaron@example.com', max: 'zoe@example.com' },
        ],
      },
    });
    expect(run.errors).toBeUndefined();
    await h.policies([
      {
        name: 'no-pii-values-for-data-devs',
        effect: 'DENY',
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: [], tags: ['dataos:tag:PII.*'] },
      },
    ]);
    const Q = 'query ($u: ID!) { dataset(urn: $u) { columns { name profile { nullCount distinctCount min max } } } }';
    const email = async (user: 'alice' | 'bob') => {
      const res = await h.gql<{ dataset: { columns: { name: string; profile: unknown }[] } }>(user, Q, { u });
      expect(res.errors).toBeUndefined();
      return res.data!.dataset.columns.find((c) => c.name === 'email')?.profile;
    };
    expect(await email('bob')).toEqual({
      nullCount: 3,
      distinctCount: 997,
      min: 'aaron@example.com',
      max: 'zoe@example.com',
    });
    expect(await email('alice')).toEqual({ nullCount: 3, distinctCount: 997, min: null, max: null });
  });

  it('upserts a resource and resolves it as a federation entity', async () => {
    const up = await h.gql<{ upsertResource: { urn: string } }>(
      'bob',
      `mutation ($n: String!, $o: ID!) { upsertResource(input: { kind: WORKFLOW, name: $n, version: "v2", state: "active", owner: { id: $o } }) { urn } }`,
      { n: `${h.id}-wf`, o: `users:id:${h.id}-bob` },
    );
    expect(up.errors).toBeUndefined();
    const urn = `dataos://workflow:public/${h.id}-wf`;
    expect(up.data?.upsertResource.urn).toBe(urn);
    const ent = await h.gql<{ _entities: unknown[] }>(
      'alice',
      `query ($r: [_Any!]!) { _entities(representations: $r) {
         ... on Resource { urn kind workspace version state owner { id } }
         ... on Dataset { urn name }
       } }`,
      {
        r: [
          { __typename: 'Resource', urn },
          { __typename: 'Dataset', urn: h.urn('retail', 'customers') },
          { __typename: 'Dataset', urn: h.urn('sales', 'invoices') },
        ],
      },
    );
    expect(ent.errors).toBeUndefined();
    expect(ent.data?._entities).toEqual([
      {
        urn,
        kind: 'WORKFLOW',
        workspace: 'public',
        version: 'v2',
        state: 'active',
        owner: { id: `users:id:${h.id}-bob` },
      },
      { urn: h.urn('retail', 'customers'), name: 'customers' },
      null, // alice may not read the sales collection: it does not exist for her
    ]);
    const invalid = await h.gql('bob', 'query { resource(urn: "workflow:foo") { urn } }');
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'urn' });
  });

  it('refuses a request without a token', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ dataset(urn: "${h.urn('retail', 'customers')}") { name } }` }),
    });
    const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });
});
