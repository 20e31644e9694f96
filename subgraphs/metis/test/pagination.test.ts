import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness, type User } from './harness.js';

let h: Harness;

const PAGE = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: DatasetFilter) {
    datasets(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node {
          urn
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
interface PageResult {
  datasets: {
    edges: { cursor: string; node: { urn: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function ingest(names: string[], collection = 'retail', more: Record<string, unknown> = {}) {
  const res = await h.gql('bob', INGEST, {
    input: { source: { name: h.id }, datasets: names.map((n) => dataset(h, collection, n, more)) },
  });
  expect(res.errors).toBeUndefined();
}

async function page(user: User, first: number, after: string | null, filter: Record<string, unknown> = {}) {
  const res = await h.gql<PageResult>(user, PAGE, { first, after, filter: { source: h.id, ...filter } });
  expect(res.errors).toBeUndefined();
  return res.data!.datasets;
}

beforeAll(async () => {
  h = await startHarness();
  await h.policies(standardPolicies(h));
  await ingest(Array.from({ length: 10 }, (_, i) => `d${String(i * 2).padStart(2, '0')}`));
});

afterAll(() => h?.stop());

describe('datasets pagination', () => {
  it('is stable under inserts: no item twice, none skipped, new ones after the cursor appear', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let inserted = false;
    for (let i = 0; i < 20; i++) {
      const p = await page('bob', 3, after);
      seen.push(...p.edges.map((e) => e.node.urn.split('/').at(-1)!));
      if (!inserted) {
        // between pages: one before the cursor, one after it
        await ingest(['d01', 'd17']);
        inserted = true;
      }
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(['d00', 'd02', 'd04', 'd06', 'd08', 'd10', 'd12', 'd14', 'd16', 'd17', 'd18']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('skips what the caller may not read, within a bounded scan, without leaking it in cursors', async () => {
    // 200 datasets alice may not read sort before hers
    await ingest(
      Array.from({ length: 200 }, (_, i) => `x${String(i).padStart(3, '0')}`),
      'hidden',
    );
    const bob = await page('bob', 2, null);
    expect(bob.edges.map((e) => e.node.urn)).toEqual([h.urn('hidden', 'x000'), h.urn('hidden', 'x001')]);

    const seen: string[] = [];
    let after: string | null = null;
    let calls = 0;
    for (; calls < 20; calls++) {
      const p = await page('alice', 1, after);
      seen.push(...p.edges.map((e) => e.node.urn));
      for (const cursor of [p.pageInfo.endCursor, ...p.edges.map((e) => e.cursor)]) {
        if (cursor) expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('hidden');
      }
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      ['d00', 'd01', 'd02', 'd04', 'd06', 'd08', 'd10', 'd12', 'd14', 'd16', 'd17', 'd18'].map((n) =>
        h.urn('retail', n),
      ),
    );
    expect(calls).toBeGreaterThan(seen.length - 1); // one page (at least) was only hidden rows: shorter, not endless
    expect(calls).toBeLessThan(seen.length + 3);
  });

  it('filters by layer, tag, domain and owner', async () => {
    const dom = await h.gql('bob', 'mutation ($n: ID!) { upsertDomain(input: { name: $n }) { name } }', {
      n: `${h.id}-ops`,
    });
    expect(dom.errors).toBeUndefined();
    await ingest(['f1', 'f2'], 'retail', {
      layer: 'serving',
      tags: ['Tier.Gold'],
      domain: `${h.id}-ops`,
      owners: [{ id: `teams:id:${h.id}-ops` }],
    });
    for (const filter of [
      { layer: 'serving' },
      { tag: 'Tier.Gold' },
      { domain: `${h.id}-ops` },
      { owner: `teams:id:${h.id}-ops` },
    ]) {
      const p = await page('alice', 10, null, filter);
      expect(
        p.edges.map((e) => e.node.urn),
        JSON.stringify(filter),
      ).toEqual([h.urn('retail', 'f1'), h.urn('retail', 'f2')]);
    }
    const domain = await h.gql<{ domain: { datasets: { edges: unknown[] } } }>(
      'alice',
      'query ($n: ID!) { domain(name: $n) { name datasets(first: 5) { edges { node { urn } } } } }',
      { n: `${h.id}-ops` },
    );
    expect(domain.data?.domain.datasets.edges).toHaveLength(2);
  });

  it('refuses a tampered cursor, a cursor of another list and a page size out of range', async () => {
    const p = await page('alice', 1, null);
    const cursor = p.pageInfo.endCursor!;
    const tampered = cursor.slice(0, -2) + (cursor.endsWith('A') ? 'BB' : 'AA');
    for (const after of [tampered, 'not-a-cursor', Buffer.from(h.urn('retail', 'd00')).toString('base64url')]) {
      const res = await h.gql('alice', PAGE, { first: 1, after });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    const runs = await h.gql(
      'alice',
      'query ($a: String) { sources(first: 1, after: $a) { edges { node { name } } } }',
      { a: cursor },
    );
    expect(errorCodes(runs)).toEqual(['BAD_USER_INPUT']);
    for (const first of [0, 101]) {
      const res = await h.gql('alice', PAGE, { first });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });

  it('shows a source to any catalog user, its connection only to those who may read the depot', async () => {
    const Q =
      'query ($n: ID!) { source(name: $n) { name type connection { key } datasets(first: 2) { edges { node { urn } } } } }';
    const ing = await h.gql('bob', INGEST, {
      input: {
        source: { name: h.id, type: 'icebase', connection: [{ key: 'warehouse', value: 's3://x' }] },
        datasets: [],
      },
    });
    expect(ing.errors).toBeUndefined();
    const alice = await h.gql<{ source: { connection: unknown; datasets: { edges: unknown[] } } }>('alice', Q, {
      n: h.id,
    });
    expect(alice.data?.source).toMatchObject({ name: h.id, type: 'icebase', connection: null });
    expect(alice.data?.source.datasets.edges).toEqual([
      { node: { urn: h.urn('retail', 'd00') } },
      { node: { urn: h.urn('retail', 'd01') } },
    ]);
    const bob = await h.gql<{ source: { connection: unknown } }>('bob', Q, { n: h.id });
    expect(bob.data?.source.connection).toEqual([{ key: 'warehouse' }]);
    const dave = await h.gql<{ source: unknown }>('dave', Q, { n: h.id });
    expect(dave.data?.source).toBeNull();
  });
});

describe('round trips', () => {
  it('resolving N datasets with their relations costs the same number of Neo4j queries for 3 as for 30', async () => {
    const tag = `Trips.${h.id}`;
    const res = await h.gql('bob', INGEST, {
      input: {
        source: { name: h.id },
        datasets: Array.from({ length: 30 }, (_, i) =>
          dataset(
            h,
            'trips',
            `d${String(i).padStart(2, '0')}`,
            { tags: [tag], owners: [{ id: `users:id:${h.id}-o${i}` }] },
            [
              { name: 'id', type: 'bigint' },
              { name: 'v', type: 'varchar' },
            ],
          ),
        ),
      },
    });
    expect(res.errors).toBeUndefined();
    const Q = `query ($first: Int!, $filter: DatasetFilter) { datasets(first: $first, filter: $filter) { edges { node {
      urn columns { name profile { nullCount } } owners { id } domain { name } glossaryTerms { name } source { name }
      runs(first: 2) { edges { node { id } } } lineage(depth: 2) { nodes { distance } truncated }
    } } } }`;
    const cost = async (first: number) => {
      const before = h.queries();
      const page = await h.gql<{ datasets: { edges: unknown[] } }>('bob', Q, { first, filter: { source: h.id, tag } });
      expect(page.errors).toBeUndefined();
      expect(page.data!.datasets.edges).toHaveLength(first);
      return h.queries() - before;
    };
    const few = await cost(3);
    const many = await cost(30);
    expect(few).toBeGreaterThan(0);
    expect(many).toBe(few);
  });
});
