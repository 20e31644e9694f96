import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness } from './harness.js';

let h: Harness;

const LIFECYCLE = /* GraphQL */ `
  fragment State on LifecycleResult {
    kind
    key
    purged
    deletion {
      at
      by
    }
    deprecation {
      note
      replacementUrn
      by
    }
  }
  mutation Delete($t: CatalogTargetInput!) {
    softDelete(target: $t) {
      ...State
    }
  }
  mutation Restore($t: CatalogTargetInput!) {
    restore(target: $t) {
      ...State
    }
  }
  mutation Deprecate($t: CatalogTargetInput!, $note: String!, $replacement: ID) {
    deprecate(target: $t, note: $note, replacementUrn: $replacement) {
      ...State
    }
  }
  mutation Purge($t: CatalogTargetInput!) {
    hardDelete(target: $t) {
      ...State
    }
  }
`;

const LISTED = /* GraphQL */ `
  query ($source: String!, $q: String!, $all: Boolean, $root: ID!) {
    datasets(filter: { source: $source }, includeDeleted: $all, first: 50) {
      totalCount
      edges {
        node {
          urn
          deletion {
            by
          }
        }
      }
    }
    search(query: $q, filter: { source: $source }, includeDeleted: $all) {
      totalCount
      edges {
        node {
          node {
            ... on Dataset {
              urn
            }
          }
        }
      }
    }
    lineage(urn: $root, direction: DOWNSTREAM, includeDeleted: $all) {
      nodes {
        dataset {
          urn
        }
      }
      edges {
        downstreamUrn
        deletion {
          by
        }
      }
    }
  }
`;

interface Listed {
  datasets: { totalCount: number; edges: { node: { urn: string; deletion: { by: string } | null } }[] };
  search: { totalCount: number; edges: { node: { node: { urn?: string } } }[] };
  lineage: {
    nodes: { dataset: { urn: string } }[];
    edges: { downstreamUrn: string; deletion: { by: string } | null }[];
  };
}

let raw: string;
let clean: string;
let curated: string;

beforeAll(async () => {
  h = await startHarness();
  await h.policies([
    ...standardPolicies(h),
    {
      name: 'admins',
      subjects: [['roles:id:admin']],
      actions: ['read', 'write', 'delete'],
      objects: { paths: [`dataos://${h.id}`, `dataos://${h.id}:*/**`, '/metis/**'], tags: [] },
    },
  ]);
  raw = h.urn('retail', 'lifecycle_raw');
  clean = h.urn('retail', 'lifecycle_clean');
  curated = h.urn('retail', 'lifecycle_curated');
  const res = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id },
      datasets: [
        dataset(h, 'retail', 'lifecycle_raw'),
        dataset(h, 'retail', 'lifecycle_clean'),
        dataset(h, 'retail', 'lifecycle_curated'),
      ],
    },
  });
  expect(res.errors).toBeUndefined();
  for (const [upstream, downstream] of [
    [raw, clean],
    [clean, curated],
  ]) {
    const edge = await h.gql('bob', 'mutation ($i: AddLineageInput!) { addLineage(input: $i) { upstreamUrn } }', {
      i: { upstream, downstream, job: 'lifecycle' },
    });
    expect(edge.errors).toBeUndefined();
  }
});

afterAll(() => h?.stop());

/** GraphQL documents with several operations need the operation's name: graphql() sends none, so one per call. */
function only(name: string): string {
  const fragment = LIFECYCLE.slice(0, LIFECYCLE.indexOf('mutation'));
  const start = LIFECYCLE.indexOf(`mutation ${name}(`);
  const end = LIFECYCLE.indexOf('\n  mutation', start + 1);
  return fragment + LIFECYCLE.slice(start, end === -1 ? undefined : end);
}
const run = <T = Record<string, unknown>>(
  user: 'alice' | 'bob' | 'carol' | 'dave',
  name: string,
  variables: Record<string, unknown>,
) => h.gql<T>(user, only(name), variables);

const listed = (user: 'alice' | 'bob' | 'carol', all = false) =>
  h.gql<Listed>(user, LISTED, { source: h.id, q: 'lifecycle', all, root: raw });

describe('lifecycle', () => {
  it('soft delete hides a dataset from lists, search and lineage; the flag shows it; restore brings it back', async () => {
    const before = await listed('alice');
    expect(before.errors).toBeUndefined();
    expect(before.data!.datasets.totalCount).toBe(3);
    expect(before.data!.lineage.nodes.map((n) => n.dataset.urn).sort()).toEqual([clean, curated].sort());

    const del = await run<{ softDelete: { kind: string; key: string; deletion: { by: string; at: string } } }>(
      'bob',
      'Delete',
      {
        t: { dataset: clean },
      },
    );
    expect(del.errors).toBeUndefined();
    expect(del.data!.softDelete).toMatchObject({
      kind: 'DATASET',
      key: clean,
      deletion: { by: expect.stringMatching(/^users:id:/) },
    });

    const hidden = (await listed('alice')).data!;
    expect(hidden.datasets.edges.map((e) => e.node.urn)).not.toContain(clean);
    expect(hidden.datasets.totalCount).toBe(2);
    expect(hidden.search.edges.map((e) => e.node.node.urn)).not.toContain(clean);
    // curated is reached only through the deleted dataset: gone from the lineage too.
    expect(hidden.lineage.nodes).toEqual([]);

    const shown = (await listed('alice', true)).data!;
    expect(shown.datasets.totalCount).toBe(3);
    expect(shown.datasets.edges.find((e) => e.node.urn === clean)?.node.deletion?.by).toMatch(/^users:id:/);
    expect(shown.search.edges.map((e) => e.node.node.urn)).toContain(clean);
    expect(shown.lineage.nodes.map((n) => n.dataset.urn).sort()).toEqual([clean, curated].sort());

    // Still answers by URN (so it can be restored), marked.
    const byUrn = await h.gql<{ dataset: { deletion: { by: string } | null } }>(
      'alice',
      'query ($u: ID!) { dataset(urn: $u) { deletion { by } } }',
      { u: clean },
    );
    expect(byUrn.data?.dataset.deletion?.by).toMatch(/^users:id:/);

    const restored = await run<{ restore: { deletion: null } }>('bob', 'Restore', { t: { dataset: clean } });
    expect(restored.errors).toBeUndefined();
    expect(restored.data!.restore.deletion).toBeNull();
    const back = (await listed('alice')).data!;
    expect(back.datasets.totalCount).toBe(3);
    expect(back.search.edges.map((e) => e.node.node.urn)).toContain(clean);
    expect(back.lineage.nodes).toHaveLength(2);
  });

  it('soft-deletes a lineage edge: hidden from lineage with what only it reached, shown with the flag', async () => {
    const edge = { upstream: clean, downstream: curated, job: 'lifecycle' };
    const del = await run('bob', 'Delete', { t: { lineageEdge: edge } });
    expect(del.errors).toBeUndefined();
    const hidden = (await listed('alice')).data!;
    expect(hidden.lineage.nodes.map((n) => n.dataset.urn)).toEqual([clean]);
    const shown = (await listed('alice', true)).data!;
    expect(shown.lineage.edges.find((e) => e.downstreamUrn === curated)?.deletion?.by).toMatch(/^users:id:/);
    expect((await run('bob', 'Restore', { t: { lineageEdge: edge } })).errors).toBeUndefined();
    expect((await listed('alice')).data!.lineage.nodes).toHaveLength(2);
  });

  it('deprecates with a note and a replacement, still listed; glossary terms and domains too', async () => {
    const dep = await run<{ deprecate: { deprecation: { note: string; replacementUrn: string } } }>(
      'bob',
      'Deprecate',
      {
        t: { dataset: raw },
        note: 'Use the clean copy.',
        replacement: clean,
      },
    );
    expect(dep.errors).toBeUndefined();
    expect(dep.data!.deprecate.deprecation).toMatchObject({ note: 'Use the clean copy.', replacementUrn: clean });
    expect((await listed('alice')).data!.datasets.totalCount).toBe(3);

    const term = `${h.id} Lifecycle`;
    expect(
      (
        await h.gql('bob', 'mutation ($n: ID!) { upsertGlossaryTerm(input: { name: $n, definition: "x" }) { name } }', {
          n: term,
        })
      ).errors,
    ).toBeUndefined();
    expect((await run('bob', 'Delete', { t: { glossaryTerm: term } })).errors).toBeUndefined();
    const terms = await h.gql<{
      a: { edges: { node: { name: string } }[] };
      b: { edges: { node: { name: string; deletion: unknown } }[] };
    }>(
      'bob',
      `{ a: glossaryTerms(first: 100) { edges { node { name } } }
         b: glossaryTerms(first: 100, includeDeleted: true) { edges { node { name deletion { by } } } } }`,
    );
    expect(terms.data!.a.edges.map((e) => e.node.name)).not.toContain(term);
    expect(terms.data!.b.edges.find((e) => e.node.name === term)?.node.deletion).toBeTruthy();
  });

  it('refuses who may not: NOT_FOUND for a dataset one cannot read, FORBIDDEN to write or to purge', async () => {
    expect(errorCodes(await run('dave', 'Delete', { t: { dataset: raw } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await run('alice', 'Delete', { t: { dataset: raw } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await run('bob', 'Delete', { t: { dataset: raw, domain: 'retail' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    // bob writes the depot but is no administrator: no hard delete, nothing removed.
    expect(errorCodes(await run('bob', 'Purge', { t: { dataset: curated } }))).toEqual(['FORBIDDEN']);
    const still = await h.gql<{ dataset: { urn: string } | null }>(
      'bob',
      'query ($u: ID!) { dataset(urn: $u) { urn } }',
      { u: curated },
    );
    expect(still.data?.dataset?.urn).toBe(curated);
  });

  it('hard delete, for administrators, removes a dataset with its columns, versions and edges', async () => {
    const purged = await run<{ hardDelete: { purged: boolean } }>('carol', 'Purge', { t: { dataset: curated } });
    expect(purged.errors).toBeUndefined();
    expect(purged.data!.hardDelete.purged).toBe(true);
    const gone = await h.gql<{ dataset: unknown }>('carol', 'query ($u: ID!) { dataset(urn: $u) { urn } }', {
      u: curated,
    });
    expect(gone.data?.dataset).toBeNull();
    const { records } = await h.neo4j.driver.executeQuery(
      `MATCH (n) WHERE n.urn = $u OR n.datasetUrn = $u RETURN count(n) AS n`,
      { u: curated },
      { database: h.neo4j.database },
    );
    expect(Number(records[0]!.get('n'))).toBe(0);
    expect((await listed('carol', true)).data!.lineage.nodes.map((n) => n.dataset.urn)).toEqual([clean]);
    expect(errorCodes(await run('carol', 'Purge', { t: { dataset: curated } }))).toEqual(['NOT_FOUND']);
  });
});
