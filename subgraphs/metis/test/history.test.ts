import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, standardPolicies, startHarness, type Harness } from './harness.js';

let h: Harness;

const VERSIONS = /* GraphQL */ `
  query ($urn: ID!, $first: Int, $after: String) {
    dataset(urn: $urn) {
      versions(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            number
            author
            createdAt
            description
            tags
            columns {
              name
              type
              tags
            }
            changes {
              from
              to
              descriptionChanged
              columnsAdded {
                name
              }
              columnsRemoved {
                name
              }
              columnsRetyped {
                name
                from
                to
              }
              columnsChanged {
                name
                tagsAdded
              }
            }
          }
        }
      }
    }
  }
`;

const DIFF = /* GraphQL */ `
  query ($urn: ID!, $from: Int!, $to: Int!) {
    dataset(urn: $urn) {
      diff(from: $from, to: $to) {
        from
        to
        descriptionChanged
        tagsAdded
        tagsRemoved
        columnsAdded {
          name
          type
        }
        columnsRemoved {
          name
          type
        }
        columnsRetyped {
          name
          from
          to
        }
        columnsChanged {
          name
          descriptionChanged
          tagsAdded
          tagsRemoved
        }
      }
    }
  }
`;

interface Version {
  number: number;
  author: string | null;
  description: string | null;
  columns: { name: string; type: string; tags: string[] }[];
  changes: {
    from: number | null;
    to: number;
    descriptionChanged: boolean;
    columnsAdded: { name: string }[];
    columnsRetyped: { name: string; from: string; to: string }[];
    columnsChanged: { name: string; tagsAdded: string[] }[];
  };
}
interface Versions {
  dataset: {
    versions: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { node: Version }[];
    };
  } | null;
}

const ingest = (urn: string, description: string, columns: Record<string, unknown>[]) =>
  h.gql<{ ingest: { created: number; updated: number; unchanged: number } }>('bob', INGEST, {
    input: { source: { name: h.id }, datasets: [{ urn, description, columns }] },
  });

beforeAll(async () => {
  h = await startHarness();
  await h.policies(standardPolicies(h));
});

afterAll(() => h?.stop());

describe('schema history', () => {
  it('records a version per change: re-ingesting a changed dataset shows two versions and their diff', async () => {
    const urn = h.urn('retail', 'orders');
    const v1 = [
      { name: 'id', type: 'bigint' },
      { name: 'amount', type: 'int' },
      { name: 'note', type: 'string' },
    ];
    expect((await ingest(urn, 'Orders.', v1)).data?.ingest.created).toBe(1);
    // The same input again: unchanged, and no new version.
    expect((await ingest(urn, 'Orders.', v1)).data?.ingest.unchanged).toBe(1);
    let res = await h.gql<Versions>('alice', VERSIONS, { urn });
    expect(res.errors).toBeUndefined();
    expect(res.data?.dataset?.versions.totalCount).toBe(1);

    const v2 = [
      { name: 'id', type: 'bigint' },
      { name: 'amount', type: 'decimal(12,2)' },
      { name: 'region', type: 'string' },
    ];
    expect((await ingest(urn, 'Orders, one row per order.', v2)).data?.ingest.updated).toBe(1);
    res = await h.gql<Versions>('alice', VERSIONS, { urn });
    const versions = res.data!.dataset!.versions;
    expect(versions.totalCount).toBe(2);
    expect(versions.edges.map((e) => e.node.number)).toEqual([2, 1]);
    const [latest, first] = versions.edges.map((e) => e.node);
    expect(latest!.author).toMatch(/^users:id:/);
    expect(latest!.author).toBe(first!.author);
    expect(latest!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:bigint',
      'amount:decimal(12,2)',
      'region:string',
    ]);
    expect(first!.columns.map((c) => c.name)).toEqual(['id', 'amount', 'note']);
    expect(first!.changes.from).toBeNull();
    expect(first!.changes.columnsAdded.map((c) => c.name)).toEqual(['id', 'amount', 'note']);
    expect(latest!.changes).toMatchObject({
      from: 1,
      to: 2,
      descriptionChanged: true,
      columnsAdded: [{ name: 'region' }],
      columnsRetyped: [{ name: 'amount', from: 'int', to: 'decimal(12,2)' }],
    });

    const diff = await h.gql<{ dataset: { diff: Record<string, unknown> } }>('alice', DIFF, { urn, from: 1, to: 2 });
    expect(diff.errors).toBeUndefined();
    expect(diff.data?.dataset.diff).toEqual({
      from: 1,
      to: 2,
      descriptionChanged: true,
      tagsAdded: [],
      tagsRemoved: [],
      columnsAdded: [{ name: 'region', type: 'string' }],
      columnsRemoved: [{ name: 'note', type: 'string' }],
      columnsRetyped: [{ name: 'amount', from: 'int', to: 'decimal(12,2)' }],
      columnsChanged: [],
    });
    // The other way round: what 2 added, 1 lacks.
    const back = await h.gql<{
      dataset: { diff: { columnsAdded: { name: string }[]; columnsRemoved: { name: string }[] } };
    }>('alice', DIFF, { urn, from: 2, to: 1 });
    expect(back.data?.dataset.diff.columnsAdded).toEqual([{ name: 'note', type: 'string' }]);
    expect(back.data?.dataset.diff.columnsRemoved).toEqual([{ name: 'region', type: 'string' }]);
  });

  it('records tags and descriptions of columns as versions, and nothing for a write that changes nothing', async () => {
    const urn = h.urn('retail', 'customers');
    await ingest(urn, 'Customers.', [
      { name: 'id', type: 'bigint' },
      { name: 'email', type: 'string' },
    ]);
    const tag = await h.gql(
      'bob',
      'mutation ($urn: ID!) { tag(input: { urn: $urn, column: "email", add: ["PII.Email"] }) { urn } }',
      {
        urn,
      },
    );
    expect(tag.errors).toBeUndefined();
    // The same description again: the state is the same, so no version.
    const same = await h.gql(
      'bob',
      'mutation ($urn: ID!) { describe(input: { urn: $urn, description: "Customers." }) { urn } }',
      {
        urn,
      },
    );
    expect(same.errors).toBeUndefined();
    const res = await h.gql<Versions>('alice', VERSIONS, { urn, first: 1 });
    const versions = res.data!.dataset!.versions;
    expect(versions.totalCount).toBe(2);
    expect(versions.pageInfo.hasNextPage).toBe(true);
    expect(versions.edges[0]!.node.changes.columnsChanged).toEqual([{ name: 'email', tagsAdded: ['PII.Email'] }]);
    const next = await h.gql<Versions>('alice', VERSIONS, { urn, first: 1, after: versions.pageInfo.endCursor });
    expect(next.data!.dataset!.versions.edges.map((e) => e.node.number)).toEqual([1]);
    expect(next.data!.dataset!.versions.pageInfo.hasNextPage).toBe(false);
  });

  it('shows no history of a dataset the caller may not read, and refuses unknown versions with their field', async () => {
    const urn = h.urn('retail', 'orders');
    const dave = await h.gql<Versions>('dave', VERSIONS, { urn });
    expect(dave.data?.dataset).toBeNull();
    const missing = await h.gql('alice', DIFF, { urn, from: 1, to: 9 });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(missing.errors?.[0]?.extensions?.field).toBe('to');
    const bad = await h.gql('alice', DIFF, { urn, from: 0, to: 1 });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('names', () => {
  it('refuses a column name with outer spaces, as Odin does, and writes nothing', async () => {
    const before = await h.counts();
    const res = await ingest(h.urn('retail', 'spaced'), 'Spaced.', [{ name: ' email', type: 'string' }]);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe('input.datasets[0].columns[0].name');
    expect(res.errors?.[0]?.message).toBe('input.datasets[0].columns[0].name must not start or end with spaces.');
    expect(await h.counts()).toEqual(before);
  });
});
