import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { CatalogStore } from '../src/store/catalog.js';
import { searchCandidates, type SearchFilter, type SearchType } from '../src/store/search.js';
import { luceneQuery } from '../src/text.js';
import { MAX_PAGE } from '../src/validate.js';
import { INGEST, dataset, standardPolicies, startHarness, type Harness } from './harness.js';

let h: Harness;

const SEARCH = /* GraphQL */ `
  query ($q: String!, $first: Int, $after: String, $filter: CatalogSearchFilter) {
    search(query: $q, first: $first, after: $after, filter: $filter) {
      totalCount
      facets {
        types {
          value
          count
        }
        sources {
          value
          count
        }
        tags {
          value
          count
        }
        domains {
          value
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          type
          score
          node {
            __typename
            ... on Dataset {
              urn
            }
            ... on Column {
              datasetUrn
              name
            }
            ... on GlossaryTerm {
              term: name
            }
          }
        }
      }
    }
  }
`;

interface Hit {
  type: string;
  score: number;
  node: { __typename: string; urn?: string; datasetUrn?: string; name?: string; term?: string };
}
interface SearchResult {
  search: {
    totalCount: number;
    facets: Record<string, { value: string; count: number }[]>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Hit }[];
  };
}

const keyOf = (hit: Hit) => hit.node.urn ?? hit.node.term ?? `${hit.node.datasetUrn}#${hit.node.name}`;

/** The checks Metis sends Heimdall (`decideBatch` inputs) while `run` runs. */
async function heimdallChecks<T>(run: () => Promise<T>): Promise<{ result: T; checks: number }> {
  const real = globalThis.fetch;
  let checks = 0;
  globalThis.fetch = ((url: string | URL | Request, init?: RequestInit) => {
    if (String(url) === h.heimdallUrl && typeof init?.body === 'string' && init.body.includes('decideBatch')) {
      checks += (JSON.parse(init.body) as { variables: { inputs: unknown[] } }).variables.inputs.length;
    }
    return real(url, init);
  }) as typeof fetch;
  try {
    return { result: await run(), checks };
  } finally {
    globalThis.fetch = real;
  }
}

beforeAll(async () => {
  h = await startHarness();
  await h.policies(standardPolicies(h));
  const dom = await h.gql('bob', 'mutation ($n: ID!) { upsertDomain(input: { name: $n }) { name } }', {
    n: `${h.id}-sales`,
  });
  expect(dom.errors).toBeUndefined();
  const term = await h.gql(
    'bob',
    'mutation ($n: ID!, $d: String!) { upsertGlossaryTerm(input: { name: $n, definition: $d }) { name } }',
    {
      n: `${h.id} Loyalty`,
      d: `Repeat customers (zq${h.id}) who order at least twice a quarter.`,
    },
  );
  expect(term.errors).toBeUndefined();
  const res = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id, type: 'icebase' },
      datasets: [
        dataset(
          h,
          'retail',
          'customers',
          {
            description: `People who bought something zq${h.id}.`,
            tags: ['Tier.Gold'],
            domain: `${h.id}-sales`,
            owners: [{ id: `users:id:${h.id}-ann` }],
          },
          [
            { name: 'customer_id', type: 'bigint' },
            { name: 'email', type: 'varchar', tags: ['PII.Email'] },
          ],
        ),
        dataset(h, 'retail', 'orders', { description: `Orders placed by customers on every storefront zq${h.id}.` }, [
          { name: 'order_id', type: 'bigint' },
          { name: 'customer_id', type: 'bigint' },
        ]),
        dataset(h, 'retail', 'customer_addresses', { description: 'Validated postal addresses.' }, [
          { name: 'street', type: 'varchar', tags: ['PII.Address'] },
        ]),
        dataset(h, 'retail', 'shipments', { description: 'Parcels in transit.' }, [
          { name: 'tracking_no', type: 'varchar' },
        ]),
        // alice may read the retail collection only: this one does not exist for her
        dataset(
          h,
          'secret',
          'customers_vip',
          { description: `Our best customers zq${h.id}.`, tags: ['Tier.Gold'], domain: `${h.id}-sales` },
          [{ name: 'vip_email', type: 'varchar', tags: ['PII.Email'] }],
        ),
      ],
    },
  });
  expect(res.errors).toBeUndefined();
});

afterAll(() => h?.stop());

describe('search', () => {
  it('ranks the exact name match first, then by relevance, datasets and columns together', async () => {
    const res = await h.gql<SearchResult>('bob', SEARCH, { q: 'customers', first: 50, filter: { source: h.id } });
    expect(res.errors).toBeUndefined();
    const keys = res.data!.search.edges.map((e) => keyOf(e.node));
    expect(keys[0]).toBe(h.urn('retail', 'customers'));
    expect(keys).toContain(h.urn('retail', 'orders'));
    expect(keys).toContain(h.urn('retail', 'customer_addresses'));
    expect(keys).toContain(`${h.urn('retail', 'customers')}#customer_id`);
    expect(keys).not.toContain(h.urn('retail', 'shipments'));
    // a name match beats a mention in the description
    expect(keys.indexOf(h.urn('retail', 'customers'))).toBeLessThan(keys.indexOf(h.urn('retail', 'orders')));
    // the exact name match first, then by score
    const scores = res.data!.search.edges.slice(1).map((e) => e.node.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('matches words inside identifiers and prefixes (search as you type)', async () => {
    const res = await h.gql<SearchResult>('bob', SEARCH, { q: 'track', filter: { source: h.id } });
    expect(res.data!.search.edges.map((e) => keyOf(e.node))).toEqual([`${h.urn('retail', 'shipments')}#tracking_no`]);
    const addr = await h.gql<SearchResult>('bob', SEARCH, {
      q: 'customer address',
      filter: { source: h.id, types: ['DATASET'] },
    });
    expect(addr.data!.search.edges.map((e) => keyOf(e.node))).toEqual([h.urn('retail', 'customer_addresses')]);
  });

  it('filters by tag, owner, domain, source and type', async () => {
    const byTag = await h.gql<SearchResult>('bob', SEARCH, { q: 'email', filter: { source: h.id, tag: 'PII.Email' } });
    expect(byTag.data!.search.edges.map((e) => keyOf(e.node)).sort()).toEqual([
      `${h.urn('retail', 'customers')}#email`,
      `${h.urn('secret', 'customers_vip')}#vip_email`,
    ]);
    const byOwner = await h.gql<SearchResult>('bob', SEARCH, {
      q: 'customers',
      filter: { owner: `users:id:${h.id}-ann`, types: ['DATASET'] },
    });
    expect(byOwner.data!.search.edges.map((e) => keyOf(e.node))).toEqual([h.urn('retail', 'customers')]);
    const byDomain = await h.gql<SearchResult>('bob', SEARCH, {
      q: 'customers',
      filter: { domain: `${h.id}-sales`, types: ['DATASET'] },
    });
    expect(byDomain.data!.search.edges.map((e) => keyOf(e.node)).sort()).toEqual([
      h.urn('retail', 'customers'),
      h.urn('secret', 'customers_vip'),
    ]);
    const columns = await h.gql<SearchResult>('bob', SEARCH, {
      q: 'customer',
      filter: { source: h.id, types: ['COLUMN'] },
    });
    expect(new Set(columns.data!.search.edges.map((e) => e.node.type))).toEqual(new Set(['COLUMN']));
    const tagGold = await h.gql<SearchResult>('bob', SEARCH, {
      q: 'customers',
      filter: { source: h.id, tag: 'Tier.Gold' },
    });
    expect(tagGold.data!.search.totalCount).toBe(2);
    expect(tagGold.data!.search.facets.tags).toContainEqual({ value: 'Tier.Gold', count: 2 });
  });

  it('finds glossary terms', async () => {
    const res = await h.gql<SearchResult>('alice', SEARCH, { q: `zq${h.id}`, filter: { types: ['GLOSSARY_TERM'] } });
    expect(res.data!.search.edges.map((e) => e.node.node)).toEqual([
      { __typename: 'GlossaryTerm', term: `${h.id} Loyalty` },
    ]);
  });

  it('hides a dataset the caller may not read from results, counts and facets', async () => {
    const bob = await h.gql<SearchResult>('bob', SEARCH, { q: `zq${h.id}`, filter: { types: ['DATASET', 'COLUMN'] } });
    const alice = await h.gql<SearchResult>('alice', SEARCH, {
      q: `zq${h.id}`,
      filter: { types: ['DATASET', 'COLUMN'] },
    });
    expect(bob.data!.search.edges.map((e) => keyOf(e.node)).sort()).toEqual([
      h.urn('retail', 'customers'),
      h.urn('retail', 'orders'),
      h.urn('secret', 'customers_vip'),
    ]);
    expect(bob.data!.search.totalCount).toBe(3);
    expect(alice.data!.search.edges.map((e) => keyOf(e.node)).sort()).toEqual([
      h.urn('retail', 'customers'),
      h.urn('retail', 'orders'),
    ]);
    expect(alice.data!.search.totalCount).toBe(2);
    expect(alice.data!.search.facets.types).toEqual([{ value: 'DATASET', count: 2 }]);

    const all = await h.gql<SearchResult>('alice', SEARCH, { q: 'customers email vip', filter: { source: h.id } });
    expect(all.data!.search.totalCount).toBe(0);
    const wide = await h.gql<SearchResult>('alice', SEARCH, { q: 'customers', first: 100, filter: { source: h.id } });
    expect(JSON.stringify(wide)).not.toContain('secret');
    expect(JSON.stringify(wide)).not.toContain('vip');
    expect(wide.data!.search.facets.sources).toEqual([{ value: h.id, count: wide.data!.search.totalCount }]);
    // dave has no grant at all
    const dave = await h.gql<SearchResult>('dave', SEARCH, { q: 'customers', filter: { source: h.id } });
    expect(dave.data!.search).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('pages through hits with cursors, without duplicates or gaps', async () => {
    const all = await h.gql<SearchResult>('bob', SEARCH, { q: 'customers', first: 100, filter: { source: h.id } });
    const expected = all.data!.search.edges.map((e) => keyOf(e.node));
    expect(expected.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Awaited<ReturnType<typeof h.gql<SearchResult>>> = await h.gql<SearchResult>('bob', SEARCH, {
        q: 'customers',
        first: 2,
        after,
        filter: { source: h.id },
      });
      seen.push(...page.data!.search.edges.map((e) => keyOf(e.node)));
      if (!page.data!.search.pageInfo.hasNextPage) break;
      after = page.data!.search.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('search pagination stable under inserts', async () => {
    // Half the hits match the first word by name and the second by description, half the other
    // way round: BM25 would reorder them when documents with either word are added.
    const [alpha, beta] = [`${h.id}alpha`, `${h.id}beta`];
    const originals = [1, 2, 3].flatMap((i) => [
      dataset(h, 'stable', `${alpha}_a${i}`, { description: `Mentions ${beta}.` }),
      dataset(h, 'stable', `${beta}_b${i}`, { description: `Mentions ${alpha}.` }),
    ]);
    const seed = await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: originals } });
    expect(seed.errors).toBeUndefined();
    const q = `${alpha} ${beta}`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let round = 0; round < 10; round++) {
      const page: Awaited<ReturnType<typeof h.gql<SearchResult>>> = await h.gql<SearchResult>('bob', SEARCH, {
        q,
        first: 2,
        after,
        filter: { source: h.id, types: ['DATASET'] },
      });
      expect(page.errors).toBeUndefined();
      const keys = page.data!.search.edges.map((e) => keyOf(e.node));
      seen.push(...keys);
      if (!page.data!.search.pageInfo.hasNextPage) break;
      after = page.data!.search.pageInfo.endCursor;
      // Between pages: many documents with the words of what was just shown (they do not match
      // the query, but change every BM25 weight), and one more hit.
      const word = keys.at(-1)!.includes(`${alpha}_`) ? alpha : beta;
      const noise = Array.from({ length: 40 }, (_, i) =>
        dataset(h, 'noise', `${word}_n${round}_${i}`, { description: 'noise' }),
      );
      const more = dataset(h, 'stable', `${alpha}_${beta}_new${round}`, { description: 'new' });
      const res = await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: [...noise, more] } });
      expect(res.errors).toBeUndefined();
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const d of originals) expect(seen).toContain(d.urn);
  });

  it('finds readable hits behind many hidden ones, with scores that do not depend on hidden datasets', async () => {
    const crowd = `${h.id}crowd`;
    const visible = [1, 2].map((i) =>
      dataset(h, 'retail', `seen_${i}`, { description: `A note on ${crowd} things.`, columns: [] }),
    );
    const first = await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: visible } });
    expect(first.errors).toBeUndefined();
    const before = await h.gql<SearchResult>('alice', SEARCH, { q: crowd, filter: { source: h.id } });
    expect(before.data!.search.totalCount).toBe(2);

    // More hidden matches, all ranked above the readable ones, than one round of authorization.
    const hidden = Array.from({ length: 1050 }, (_, i) =>
      dataset(h, 'secret', `${crowd}_${i}`, { description: `${crowd} ${crowd}`, columns: [] }),
    );
    const res = await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: hidden } });
    expect(res.errors).toBeUndefined();

    const after = await h.gql<SearchResult>('alice', SEARCH, { q: crowd, filter: { source: h.id } });
    expect(after.errors).toBeUndefined();
    expect(after.data!.search.totalCount).toBe(2);
    expect(after.data!.search.edges.map((e) => keyOf(e.node)).sort()).toEqual(visible.map((d) => d.urn).sort());
    expect(after.data!.search.facets.types).toEqual([{ value: 'DATASET', count: 2 }]);
    // the same scores as before the hidden datasets existed
    expect(after.data!.search.edges.map((e) => e.node.score)).toEqual(
      before.data!.search.edges.map((e) => e.node.score),
    );
    for (const e of after.data!.search.edges) expect(e.node.score).toBeGreaterThan(0);
    for (const e of after.data!.search.edges) expect(e.node.score).toBeLessThanOrEqual(1);
    // bob reads them all: counts stop at the documented 1,000 best readable hits
    const bob = await h.gql<SearchResult>('bob', SEARCH, { q: crowd, filter: { source: h.id } });
    expect(bob.data!.search.totalCount).toBe(1000);
  });

  it('runs the type, tag, domain and owner filters inside the index, so the scan limit counts only hits that pass them', async () => {
    // The filtered hit ranks below more matches of the word than the scan limit given here.
    const common = `${h.id}common`;
    const many = Array.from({ length: 60 }, (_, i) =>
      dataset(h, 'bulk', `${common}_${i}`, { description: `${common} ${common}`, columns: [] }),
    );
    const bulk = await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: many } });
    expect(bulk.errors).toBeUndefined();
    const rare = dataset(h, 'retail', 'tagged_one', {
      description: `Mentions ${common} once.`,
      tags: ['Tier.Platinum'],
      domain: `${h.id}-sales`,
      owners: [{ id: `users:id:${h.id}-zed` }],
      columns: [{ name: 'amount', type: 'decimal', tags: ['Tier.Platinum'] }],
    });
    expect(
      (await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets: [rare] } })).errors,
    ).toBeUndefined();
    const store = new CatalogStore(h.neo4j);
    const none = {
      types: ['DATASET', 'COLUMN', 'GLOSSARY_TERM'] as SearchType[],
      tag: null,
      owner: null,
      domain: null,
      source: null,
    };
    const found = async (filter: Partial<SearchFilter>) =>
      (await searchCandidates(store, common, luceneQuery(common)!, { ...none, ...filter }, 20)).map((c) => c.key);
    expect(await found({})).not.toContain(rare.urn);
    expect(await found({ tag: 'Tier.Platinum', types: ['DATASET'] })).toEqual([rare.urn]);
    expect(await found({ domain: `${h.id}-sales`, types: ['DATASET'] })).toEqual([rare.urn]);
    expect(await found({ owner: `users:id:${h.id}-zed`, types: ['DATASET'] })).toEqual([rare.urn]);
    // owners and domain changed later reach the columns too
    const owners = await h.gql(
      'bob',
      'mutation ($u: ID!, $o: [OwnerInput!]!) { setOwners(urn: $u, owners: $o) { urn } }',
      {
        u: rare.urn,
        o: [{ id: `users:id:${h.id}-kim` }],
      },
    );
    expect(owners.errors).toBeUndefined();
    const amount = await searchCandidates(
      store,
      'amount',
      luceneQuery('amount')!,
      { ...none, owner: `users:id:${h.id}-kim`, types: ['COLUMN'] },
      20,
    );
    expect(amount.map((c) => c.key)).toEqual([`${rare.urn} amount`]);
    expect(await found({ owner: `users:id:${h.id}-zed`, types: ['DATASET'] })).toEqual([]);
  });

  it('authorizes only what the answer needs: a page alone stops one readable hit past it, counts go on to 1,000', async () => {
    // Decision by decision (METIS_LIST_AUTHZ=decisions), where the economy shows; with grants
    // (the default) no dataset here needs a decision of its own.
    const decisions = await h.twin('decisions');
    const many = `${h.id}many`;
    const datasets = Array.from({ length: 80 }, (_, i) =>
      dataset(h, 'retail', `${many}_${i}`, { description: `${many} notes`, columns: [] }),
    );
    expect((await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets } })).errors).toBeUndefined();
    const PAGE = /* GraphQL */ `
      query ($q: String!, $first: Int, $after: String, $filter: CatalogSearchFilter) {
        search(query: $q, first: $first, after: $after, filter: $filter) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            node {
              score
              node {
                ... on Dataset {
                  urn
                }
              }
            }
          }
        }
      }
    `;
    const vars = { q: many, first: 5, filter: { source: h.id } };
    const pageOnly = await heimdallChecks(() => decisions.gql<SearchResult>('alice', PAGE, vars));
    const counted = await heimdallChecks(() => decisions.gql<SearchResult>('alice', SEARCH, vars));
    expect(counted.result.data!.search.totalCount).toBe(80);
    expect(counted.checks).toBeGreaterThanOrEqual(80);
    expect(pageOnly.checks).toBeLessThan(20);
    // the same page either way
    const hits = (r: SearchResult) => r.search.edges.map((e) => [keyOf(e.node), e.node.score]);
    expect(hits(pageOnly.result.data!)).toEqual(hits(counted.result.data!));
    const granted = await heimdallChecks(() => h.gql<SearchResult>('alice', SEARCH, vars));
    expect(hits(granted.result.data!)).toEqual(hits(counted.result.data!));
    expect(granted.result.data!.search.totalCount).toBe(80);
    expect(granted.checks).toBe(0);
    expect(pageOnly.result.data!.search.pageInfo.hasNextPage).toBe(true);
    // a later page authorizes from its cursor on, not the hits before it
    const next = await heimdallChecks(() =>
      decisions.gql<SearchResult>('alice', PAGE, { ...vars, after: pageOnly.result.data!.search.pageInfo.endCursor }),
    );
    expect(next.checks).toBeLessThan(20);
    expect(next.result.data!.search.edges.map((e) => keyOf(e.node))).toEqual(
      (await decisions.gql<SearchResult>('alice', SEARCH, { ...vars, first: 10 }))
        .data!.search.edges.slice(5)
        .map((e) => keyOf(e.node)),
    );
    // a named fragment still selects the counts
    const fragment = await h.gql<SearchResult>(
      'alice',
      `query ($q: String!, $filter: CatalogSearchFilter) { search(query: $q, first: 1, filter: $filter) { ...Counts } }
       fragment Counts on CatalogSearchConnection { totalCount facets { types { value count } } }`,
      vars,
    );
    expect(fragment.data!.search).toEqual({ totalCount: 80, facets: { types: [{ value: 'DATASET', count: 80 }] } });
  });

  it('pages on past the best 1,000 readable hits that counts cover, without repeating any', async () => {
    const deep = `${h.id}deep`;
    const datasets = Array.from({ length: 1012 }, (_, i) =>
      dataset(h, 'deep', `${deep}_${i}`, { description: 'deep', columns: [] }),
    );
    expect((await h.gql('bob', INGEST, { input: { source: { name: h.id }, datasets } })).errors).toBeUndefined();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 12; i++) {
      const page: Awaited<ReturnType<typeof h.gql<SearchResult>>> = await h.gql<SearchResult>('bob', SEARCH, {
        q: deep,
        first: 100,
        after,
        filter: { source: h.id, types: ['DATASET'] },
      });
      expect(page.errors).toBeUndefined();
      expect(page.data!.search.totalCount).toBe(1000);
      seen.push(...page.data!.search.edges.map((e) => keyOf(e.node)));
      if (!page.data!.search.pageInfo.hasNextPage) break;
      after = page.data!.search.pageInfo.endCursor;
    }
    expect(seen.length).toBe(1012);
    expect(new Set(seen)).toEqual(new Set(datasets.map((d) => d.urn)));
  });

  it('refuses an empty query, a malformed filter and a foreign cursor', async () => {
    const empty = await h.gql('alice', SEARCH, { q: ' !! ' });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
    const tag = await h.gql('alice', SEARCH, { q: 'x', filter: { tag: 'not a tag' } });
    expect(tag.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.tag' });
    const page = await h.gql<{ datasets: { pageInfo: { endCursor: string } } }>(
      'alice',
      '{ datasets(first: 1) { pageInfo { endCursor } } }',
    );
    const foreign = await h.gql('alice', SEARCH, { q: 'customers', after: page.data!.datasets.pageInfo.endCursor });
    expect(errorCodes(foreign)).toEqual(['BAD_USER_INPUT']);
    // Over the page size but within the cost limit (far larger pages are refused by cost first).
    const size = await h.gql('alice', SEARCH, { q: 'customers', first: MAX_PAGE + 1 });
    expect(size.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const huge = await h.gql('alice', SEARCH, { q: 'customers', first: 5000 });
    expect(errorCodes(huge)).toEqual(['MAX_COST_EXCEEDED']);
  });
});
