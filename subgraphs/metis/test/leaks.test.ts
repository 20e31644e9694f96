import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, startHarness, type Harness } from './harness.js';

/**
 * What a caller must not learn about datasets they may not read, through writes and lineage.
 * alice reads and writes the retail collection, may drop datasets into `drop` without reading
 * them (a write-only landing zone), and may write one glossary term; bob reads and writes all.
 */
let h: Harness;

const RUN = `mutation ($i: RecordRunInput!) { recordRun(input: $i) { id dataset { urn } } }`;
const LINEAGE = /* GraphQL */ `
  query ($u: ID!, $depth: Int) {
    lineage(urn: $u, direction: DOWNSTREAM, depth: $depth) {
      truncated
      nodes {
        distance
        dataset {
          urn
        }
      }
    }
  }
`;
interface LineageResult {
  lineage: { truncated: boolean; nodes: { distance: number; dataset: { urn: string } }[] } | null;
}
const runAt = (day: number) => ({
  status: 'SUCCEEDED',
  startedAt: `2024-06-1${day}T01:00:00Z`,
  finishedAt: `2024-06-1${day}T01:05:00Z`,
});

beforeAll(async () => {
  h = await startHarness();
  await h.policies([
    {
      name: 'alice-retail',
      subjects: [['roles:id:data-dev']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${h.id}:retail/**`] },
    },
    {
      name: 'alice-drop',
      subjects: [['roles:id:data-dev']],
      actions: ['write'],
      objects: { paths: [`dataos://${h.id}:drop/**`] },
    },
    {
      name: 'alice-term',
      subjects: [['roles:id:data-dev']],
      actions: ['write'],
      objects: { paths: [`/metis/glossary/${h.id}-B`] },
    },
    { name: 'catalog-api', subjects: [['roles:id:*']], actions: ['read'], objects: { paths: ['/metis/**'] } },
    {
      name: 'bob-all',
      subjects: [['roles:id:operator']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${h.id}`, `dataos://${h.id}:*/**`, '/metis/**'] },
    },
  ]);
  const res = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id, type: 'icebase' },
      datasets: [
        dataset(h, 'retail', 'a'),
        dataset(h, 'retail', 'b'),
        dataset(h, 'drop', 'hidden', { description: 'original' }),
        dataset(h, 'secret', 'vault', { description: 'original' }),
      ],
    },
  });
  expect(res.errors).toBeUndefined();
});

afterAll(() => h?.stop());

describe('writes tell nothing about hidden datasets', () => {
  it('ingest answers NOT_FOUND for a dataset the caller may not read, writes nothing, and answers a missing one alike', async () => {
    const before = await h.counts();
    const hidden = await h.gql('alice', INGEST, {
      input: { source: { name: h.id }, datasets: [dataset(h, 'retail', 'c'), dataset(h, 'drop', 'hidden')] },
    });
    expect(hidden.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.datasets[1].urn' });
    expect(hidden.errors?.[0]?.message).toBe(`Unknown dataset "${h.urn('drop', 'hidden')}".`);
    expect(await h.counts()).toEqual(before);
    const kept = await h.gql<{ dataset: { description: string } }>(
      'bob',
      'query ($u: ID!) { dataset(urn: $u) { description } }',
      { u: h.urn('drop', 'hidden') },
    );
    expect(kept.data?.dataset.description).toBe('original');
    // a new dataset in the landing zone is created as usual
    const fresh = await h.gql('alice', INGEST, {
      input: { source: { name: h.id }, datasets: [dataset(h, 'drop', 'fresh')] },
    });
    expect(fresh.data?.ingest).toMatchObject({ created: 1, updated: 0, unchanged: 0 });

    // where alice may not write at all, an existing dataset and a missing one get the same answer
    const existing = await h.gql('alice', INGEST, {
      input: { source: { name: h.id }, datasets: [dataset(h, 'secret', 'vault')] },
    });
    const missing = await h.gql('alice', INGEST, {
      input: { source: { name: h.id }, datasets: [dataset(h, 'secret', 'nothing')] },
    });
    expect(errorCodes(existing)).toEqual(['FORBIDDEN']);
    // alike but for the URN the caller sent, which the message and `path` name back
    const answer = (res: typeof existing, name: string) => {
      const { message, extensions } = res.errors![0]!;
      return JSON.stringify({ message, extensions }).replaceAll(name, 'X');
    };
    expect(answer(existing, 'vault')).toBe(answer(missing, 'nothing'));
    expect(existing.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      action: 'write',
      path: h.urn('secret', 'vault'),
    });
  });

  it('recordRun claims a run id inside its transaction: racing recordings never move a run nor leave two PRODUCED edges', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `${h.id}-race-${i}`);
    const results = await Promise.all(
      ids.flatMap((id) =>
        ['a', 'b'].map((name) => h.gql('bob', RUN, { i: { id, datasetUrn: h.urn('retail', name), ...runAt(1) } })),
      ),
    );
    for (let i = 0; i < ids.length; i++) {
      const pair = results.slice(2 * i, 2 * i + 2);
      expect(pair.filter((r) => !r.errors).length).toBe(1);
      expect(pair.find((r) => r.errors)?.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.id',
      });
    }
    const { records } = await h.neo4j.driver.executeQuery(
      `UNWIND $ids AS id MATCH (r:JobRun {id: id}) RETURN id, r.datasetUrn AS owner, [(r)-[:PRODUCED]->(d) | d.urn] AS produced`,
      { ids },
      { database: h.neo4j.database },
    );
    expect(records).toHaveLength(ids.length);
    for (const r of records) expect(r.get('produced')).toEqual([r.get('owner')]);
  });

  it('recordRun gives the same answer for a run id of a hidden dataset as for one of a readable dataset', async () => {
    expect(
      (await h.gql('bob', RUN, { i: { id: `${h.id}-of-secret`, datasetUrn: h.urn('secret', 'vault'), ...runAt(2) } }))
        .errors,
    ).toBeUndefined();
    expect(
      (await h.gql('bob', RUN, { i: { id: `${h.id}-of-b`, datasetUrn: h.urn('retail', 'b'), ...runAt(2) } })).errors,
    ).toBeUndefined();
    const hidden = await h.gql('alice', RUN, {
      i: { id: `${h.id}-of-secret`, datasetUrn: h.urn('retail', 'a'), ...runAt(3) },
    });
    const visible = await h.gql('alice', RUN, {
      i: { id: `${h.id}-of-b`, datasetUrn: h.urn('retail', 'a'), ...runAt(3) },
    });
    expect(hidden.errors?.[0]?.extensions).toEqual(visible.errors?.[0]?.extensions);
    expect(hidden.errors?.[0]?.message.replace('of-secret', 'X')).toBe(
      visible.errors?.[0]?.message.replace('of-b', 'X'),
    );
    expect(hidden.errors?.[0]?.message).not.toMatch(/dataset/i);
    // the hidden dataset's run is where it was
    const { records } = await h.neo4j.driver.executeQuery(
      'MATCH (r:JobRun {id: $id})-[:PRODUCED]->(d) RETURN collect(d.urn) AS urns',
      { id: `${h.id}-of-secret` },
      { database: h.neo4j.database },
    );
    expect(records[0]!.get('urns')).toEqual([h.urn('secret', 'vault')]);
  });

  it('upsertGlossaryTerm replaces only the relations the term itself asserts', async () => {
    const TERM =
      'mutation ($n: ID!, $r: [ID!]) { upsertGlossaryTerm(input: { name: $n, definition: "d", related: $r }) { name related { name } } }';
    const [a, b, c] = [`${h.id}-A`, `${h.id}-B`, `${h.id}-C`];
    expect((await h.gql('bob', TERM, { n: b, r: [] })).errors).toBeUndefined();
    expect((await h.gql('bob', TERM, { n: c, r: [] })).errors).toBeUndefined();
    expect((await h.gql('bob', TERM, { n: a, r: [b] })).errors).toBeUndefined();
    expect((await h.gql('bob', TERM, { n: b, r: [c] })).errors).toBeUndefined();
    // alice may write B, not A: replacing B's relations must leave A's relation to B alone
    const res = await h.gql<{ upsertGlossaryTerm: { related: { name: string }[] } }>('alice', TERM, { n: b, r: [] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.upsertGlossaryTerm.related.map((t) => t.name)).toEqual([a]);
    const termA = await h.gql<{ glossaryTerm: { related: { name: string }[] } }>(
      'bob',
      'query ($n: ID!) { glossaryTerm(name: $n) { related { name } } }',
      { n: a },
    );
    expect(termA.data!.glossaryTerm.related.map((t) => t.name)).toEqual([b]);
    const termC = await h.gql<{ glossaryTerm: { related: { name: string }[] } }>(
      'bob',
      'query ($n: ID!) { glossaryTerm(name: $n) { related { name } } }',
      { n: c },
    );
    expect(termC.data!.glossaryTerm.related).toEqual([]);
    expect(errorCodes(await h.gql('alice', TERM, { n: a, r: [] }))).toEqual(['FORBIDDEN']);
  });
});

describe('lineage truncation', () => {
  it('is decided over readable datasets only, and the cap keeps the nearest ones', async () => {
    // root -> near -> far (readable by alice); root -> 501 hidden datasets
    const hidden = Array.from({ length: 501 }, (_, i) =>
      dataset(h, 'secret', `h${String(i).padStart(3, '0')}`, { columns: [] }),
    );
    const res = await h.gql('bob', INGEST, {
      input: {
        source: { name: h.id },
        datasets: [dataset(h, 'retail', 'root'), dataset(h, 'retail', 'near'), dataset(h, 'retail', 'far'), ...hidden],
      },
    });
    expect(res.errors).toBeUndefined();
    await h.neo4j.driver.executeQuery(
      `UNWIND $edges AS e MATCH (a:Dataset {urn: e[0]}), (b:Dataset {urn: e[1]}) MERGE (a)-[:FEEDS {via: '', job: ''}]->(b)`,
      {
        edges: [
          [h.urn('retail', 'root'), h.urn('retail', 'near')],
          [h.urn('retail', 'near'), h.urn('retail', 'far')],
          ...hidden.map((d) => [h.urn('retail', 'root'), d.urn]),
        ],
      },
      { database: h.neo4j.database },
    );
    const alice = await h.gql<LineageResult>('alice', LINEAGE, { u: h.urn('retail', 'root'), depth: 2 });
    expect(alice.errors).toBeUndefined();
    expect(alice.data!.lineage).toEqual({
      truncated: false,
      nodes: [
        { distance: 1, dataset: { urn: h.urn('retail', 'near') } },
        { distance: 2, dataset: { urn: h.urn('retail', 'far') } },
      ],
    });
    // bob reads all 502 at distance 1: the 500 nearest are kept, by URN, and `far` is cut
    const bob = await h.gql<LineageResult>('bob', LINEAGE, { u: h.urn('retail', 'root'), depth: 2 });
    expect(bob.data!.lineage!.truncated).toBe(true);
    expect(bob.data!.lineage!.nodes).toHaveLength(500);
    expect(new Set(bob.data!.lineage!.nodes.map((n) => n.distance))).toEqual(new Set([1]));
    expect(bob.data!.lineage!.nodes.map((n) => n.dataset.urn)).toContain(h.urn('retail', 'near'));
  });
});
