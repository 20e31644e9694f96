import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness, type User } from './harness.js';

let h: Harness;
/** A word unique to this run, so that suggestions and searches meet only this run's names. */
let word: string;

const COUNTS = /* GraphQL */ `
  query ($source: String!, $name: ID!) {
    datasets(filter: { source: $source }, first: 2) {
      totalCount
      edges {
        node {
          urn
        }
      }
    }
    source(name: $name) {
      datasets(first: 1) {
        totalCount
      }
    }
  }
`;

const COLUMN_LINEAGE = /* GraphQL */ `
  query ($urn: ID!, $name: String!, $direction: LineageDirection, $depth: Int) {
    column(datasetUrn: $urn, name: $name) {
      lineage(direction: $direction, depth: $depth) {
        truncated
        nodes {
          direction
          distance
          column {
            datasetUrn
            name
          }
        }
        edges {
          upstream {
            datasetUrn
            name
          }
          downstream {
            datasetUrn
            name
          }
          job
          transformation
        }
      }
    }
  }
`;

interface ColumnLineage {
  column: {
    lineage: {
      truncated: boolean;
      nodes: { direction: string; distance: number; column: { datasetUrn: string; name: string } }[];
      edges: { upstream: { name: string }; downstream: { name: string }; job: string; transformation: string | null }[];
    };
  } | null;
}

const columnLineage = (user: User, urn: string, name: string, direction: string, depth = 3) =>
  h.gql<ColumnLineage>(user, COLUMN_LINEAGE, { urn, name, direction, depth });

const nodes = (r: { data?: ColumnLineage | null }) =>
  r.data!.column!.lineage.nodes.map(
    (n) => `${n.direction} ${n.distance} ${n.column.datasetUrn.split('/').pop()}.${n.column.name}`,
  );

beforeAll(async () => {
  h = await startHarness();
  word = `q${h.id}`;
  await h.policies([
    ...standardPolicies(h),
    {
      name: 'admins-read',
      subjects: [['roles:id:admin']],
      actions: ['read'],
      objects: { paths: [`dataos://${h.id}:*/**`, '/metis/**'], tags: [] },
    },
  ]);
  const cols = (...names: string[]) => names.map((name) => ({ name, type: 'string' }));
  const res = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id },
      datasets: [
        dataset(h, 'retail', 'customers', { description: 'People who buy.' }, cols('id', 'email')),
        dataset(h, 'retail', 'customer_emails', {}, cols('id', 'email')),
        dataset(h, 'retail', 'mailing', {}, cols('id', 'contact_email')),
        dataset(h, 'finance', 'billing', {}, cols('id')),
        dataset(h, 'finance', 'ledger', {}, cols('id')),
        dataset(h, 'retail', `${word}orders`, {}, cols('id')),
        dataset(h, 'retail', `${word}order_lines`, {}, cols('id')),
        dataset(h, 'finance', `${word}order_costs`, {}, cols('id')),
      ],
    },
  });
  expect(res.errors).toBeUndefined();
  const urn = (c: string, n: string) => h.urn(c, n);
  const edges = [
    // customers.email -> customer_emails.email -> mailing.contact_email: three datasets, alice reads them all.
    [urn('retail', 'customers'), urn('retail', 'customer_emails'), 'email', 'email', 'lower(email)'],
    [urn('retail', 'customer_emails'), urn('retail', 'mailing'), 'email', 'contact_email', null],
    // customers.id -> billing.id (finance, hidden from alice) -> mailing.id: reached only through billing.
    [urn('retail', 'customers'), urn('finance', 'billing'), 'id', 'id', null],
    [urn('finance', 'billing'), urn('retail', 'mailing'), 'id', 'id', null],
  ] as const;
  for (const [upstream, downstream, up, down, transformation] of edges) {
    const r = await h.gql('bob', 'mutation ($i: AddLineageInput!) { addLineage(input: $i) { upstreamUrn } }', {
      i: { upstream, downstream, job: 'nightly', columns: [{ upstream: up, downstream: down, transformation }] },
    });
    expect(r.errors).toBeUndefined();
  }
});

afterAll(() => h?.stop());

describe('totalCount', () => {
  it('counts every readable item of a list, exactly for the caller, whatever the page size', async () => {
    type Counts = { datasets: { totalCount: number; edges: unknown[] }; source: { datasets: { totalCount: number } } };
    const alice = await h.gql<Counts>('alice', COUNTS, { source: h.id, name: h.id });
    const carol = await h.gql<Counts>('carol', COUNTS, { source: h.id, name: h.id });
    expect(alice.errors).toBeUndefined();
    expect(carol.errors).toBeUndefined();
    // 5 retail datasets for alice; carol reads the 3 finance ones too.
    expect(alice.data!.datasets.totalCount).toBe(5);
    expect(alice.data!.datasets.edges).toHaveLength(2);
    expect(alice.data!.source.datasets.totalCount).toBe(5);
    expect(carol.data!.datasets.totalCount).toBe(8);
    expect(carol.data!.source.datasets.totalCount).toBe(8);
  });

  it('counts glossary terms and sources the caller may read; nothing for who may read none', async () => {
    const res = await h.gql<{
      glossaryTerms: { totalCount: number; edges: unknown[] };
      sources: { totalCount: number };
    }>('alice', '{ glossaryTerms(first: 1) { totalCount edges { cursor } } sources(first: 1) { totalCount } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.glossaryTerms.totalCount).toBeGreaterThanOrEqual(res.data!.glossaryTerms.edges.length);
    expect(res.data!.sources.totalCount).toBeGreaterThanOrEqual(1);
    // dave may read no catalog path at all: every count is 0.
    const dave = await h.gql<{ sources: { totalCount: number } }>('dave', '{ sources(first: 1) { totalCount } }');
    expect(dave.data!.sources.totalCount).toBe(0);
  });
});

describe('Column.lineage', () => {
  it('follows column edges across three datasets, both ways, with transformations', async () => {
    const down = await columnLineage('alice', h.urn('retail', 'customers'), 'email', 'DOWNSTREAM');
    expect(down.errors).toBeUndefined();
    expect(nodes(down)).toEqual(['DOWNSTREAM 1 customer_emails.email', 'DOWNSTREAM 2 mailing.contact_email']);
    expect(
      down.data!.column!.lineage.edges.map((e) => `${e.upstream.name}>${e.downstream.name} ${e.transformation}`),
    ).toEqual(['email>contact_email null', 'email>email lower(email)']);
    const up = await columnLineage('alice', h.urn('retail', 'mailing'), 'contact_email', 'UPSTREAM');
    expect(nodes(up)).toEqual(['UPSTREAM 1 customer_emails.email', 'UPSTREAM 2 customers.email']);
    const shallow = await columnLineage('alice', h.urn('retail', 'customers'), 'email', 'DOWNSTREAM', 1);
    expect(nodes(shallow)).toEqual(['DOWNSTREAM 1 customer_emails.email']);
  });

  it('shows nothing of a hidden dataset, nor what only it reaches', async () => {
    const alice = await columnLineage('alice', h.urn('retail', 'customers'), 'id', 'DOWNSTREAM');
    expect(alice.errors).toBeUndefined();
    expect(alice.data!.column!.lineage).toMatchObject({ nodes: [], edges: [], truncated: false });
    const carol = await columnLineage('carol', h.urn('retail', 'customers'), 'id', 'DOWNSTREAM');
    expect(nodes(carol)).toEqual(['DOWNSTREAM 1 billing.id', 'DOWNSTREAM 2 mailing.id']);
    const bad = await columnLineage('alice', h.urn('retail', 'customers'), 'id', 'DOWNSTREAM', 11);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('search that forgives', () => {
  const SEARCH = /* GraphQL */ `
    query ($q: String!, $source: String!) {
      search(query: $q, filter: { source: $source, types: [DATASET] }) {
        totalCount
        facets {
          types {
            value
            count
          }
        }
        edges {
          node {
            score
            node {
              ... on Dataset {
                name
              }
            }
          }
        }
      }
    }
  `;
  type Search = {
    search: {
      totalCount: number;
      facets: { types: { value: string; count: number }[] };
      edges: { node: { node: { name: string } } }[];
    };
  };
  const names = (r: { data?: Search | null }) => r.data!.search.edges.map((e) => e.node.node.name);

  it('finds customers for custmer (two letters off), the exact name first', async () => {
    const typo = await h.gql<Search>('alice', SEARCH, { q: 'custmer', source: h.id });
    expect(typo.errors).toBeUndefined();
    expect(names(typo)).toContain('customers');
    expect(names(typo)[0]).toBe('customers');
    const exact = await h.gql<Search>('alice', SEARCH, { q: 'customer emails', source: h.id });
    expect(names(exact)[0]).toBe('customer_emails');
    // One letter off in a 5-letter word; counts and facets are the caller's own.
    const ledgr = await h.gql<Search>('carol', SEARCH, { q: 'ledgr', source: h.id });
    expect(names(ledgr)).toEqual(['ledger']);
    const aliceLedgr = await h.gql<Search>('alice', SEARCH, { q: 'ledgr', source: h.id });
    expect(aliceLedgr.data!.search).toMatchObject({ totalCount: 0, edges: [], facets: { types: [] } });
  });

  it('suggests completions for a search box: readable names only, the closest first', async () => {
    const SUGGEST = 'query ($p: String!) { suggest(prefix: $p, first: 5) { type text key } }';
    const alice = await h.gql<{ suggest: { type: string; text: string; key: string }[] }>('alice', SUGGEST, {
      p: `${word}ord`,
    });
    expect(alice.errors).toBeUndefined();
    expect(alice.data!.suggest.map((s) => s.text)).toEqual([`${word}orders`, `${word}order_lines`]);
    expect(alice.data!.suggest[0]).toMatchObject({ type: 'DATASET', key: h.urn('retail', `${word}orders`) });
    const carol = await h.gql<{ suggest: { text: string }[] }>('carol', SUGGEST, { p: `${word}orders` });
    expect(carol.data!.suggest.map((s) => s.text)).toEqual([`${word}orders`]);
    const carolAll = await h.gql<{ suggest: { text: string }[] }>('carol', SUGGEST, { p: `${word}ord` });
    expect(carolAll.data!.suggest.map((s) => s.text)).toEqual([
      `${word}orders`,
      `${word}order_costs`,
      `${word}order_lines`,
    ]);
    expect(errorCodes(await h.gql('alice', SUGGEST, { p: '  ' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('grants', () => {
  const EVERYTHING = /* GraphQL */ `
    query ($source: String!, $root: ID!) {
      datasets(filter: { source: $source }, first: 50) {
        totalCount
        edges {
          node {
            urn
          }
        }
      }
      search(query: "customers email id", filter: { source: $source }, first: 50) {
        totalCount
        facets {
          types {
            value
            count
          }
          domains {
            value
            count
          }
          tags {
            value
            count
          }
        }
        edges {
          node {
            type
            score
          }
        }
      }
      lineage(urn: $root, depth: 5) {
        truncated
        nodes {
          distance
          dataset {
            urn
          }
        }
        edges {
          upstreamUrn
          downstreamUrn
        }
      }
      column(datasetUrn: $root, name: "id") {
        lineage {
          nodes {
            column {
              datasetUrn
              name
            }
          }
        }
      }
      glossaryTerms(first: 5) {
        totalCount
      }
      suggest(prefix: "cust") {
        key
      }
    }
  `;

  it('answer lists, search, lineage and counts exactly as one decision per object does', async () => {
    const decisions = await h.twin('decisions');
    const vars = { source: h.id, root: h.urn('retail', 'customers') };
    for (const user of ['alice', 'carol', 'dave'] as const) {
      const [granted, decided] = await Promise.all([
        h.gql(user, EVERYTHING, vars),
        decisions.gql(user, EVERYTHING, vars),
      ]);
      expect(granted.errors).toBeUndefined();
      expect(granted.data).toEqual(decided.data);
    }
    const alice = await h.gql<{ datasets: { totalCount: number }; lineage: { nodes: unknown[] } }>(
      'alice',
      EVERYTHING,
      vars,
    );
    expect(alice.data!.datasets.totalCount).toBe(5);
    const carol = await h.gql<{ datasets: { totalCount: number }; lineage: { nodes: unknown[] } }>(
      'carol',
      EVERYTHING,
      vars,
    );
    expect(carol.data!.lineage.nodes.length).toBeGreaterThan(alice.data!.lineage.nodes.length);
  });
});
