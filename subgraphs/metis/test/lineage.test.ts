import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '@dataos/testkit';
import { INGEST, dataset, standardPolicies, startHarness, type Harness, type User } from './harness.js';

let h: Harness;
let u: (name: string) => string;
let wf: (n: number) => string;

const LINEAGE = /* GraphQL */ `
  query ($urn: ID!, $direction: LineageDirection, $depth: Int) {
    lineage(urn: $urn, direction: $direction, depth: $depth) {
      root {
        urn
      }
      direction
      depth
      truncated
      nodes {
        direction
        distance
        dataset {
          urn
        }
      }
      edges {
        upstreamUrn
        downstreamUrn
        viaUrn
        job
        via {
          urn
          kind
        }
        columns {
          upstream {
            name
          }
          downstream {
            name
          }
          transformation
        }
      }
      workflows {
        urn
        name
      }
    }
  }
`;
const ADD = /* GraphQL */ `
  mutation ($input: AddLineageInput!) {
    addLineage(input: $input) {
      upstreamUrn
      downstreamUrn
      viaUrn
      job
      columns {
        upstream {
          name
        }
        downstream {
          name
        }
      }
    }
  }
`;

interface LineageResult {
  lineage: {
    nodes: { direction: string; distance: number; dataset: { urn: string } }[];
    edges: {
      upstreamUrn: string;
      downstreamUrn: string;
      viaUrn: string | null;
      job: string | null;
      columns: { upstream: { name: string }; downstream: { name: string }; transformation: string | null }[];
    }[];
    workflows: { urn: string }[];
    truncated: boolean;
  } | null;
}

async function lineage(user: User, urn: string, direction: string, depth: number) {
  const res = await h.gql<LineageResult>(user, LINEAGE, { urn, direction, depth });
  expect(res.errors).toBeUndefined();
  return res.data!.lineage;
}

const nodes = (l: LineageResult['lineage']) =>
  l!.nodes.map((n) => `${n.direction[0]}${n.distance} ${n.dataset.urn.slice(n.dataset.urn.indexOf(':', 9) + 1)}`);
const edges = (l: LineageResult['lineage']) =>
  l!.edges.map((e) => `${e.upstreamUrn.split(':').at(-1)} -> ${e.downstreamUrn.split(':').at(-1)}`);

beforeAll(async () => {
  h = await startHarness();
  await h.policies(standardPolicies(h));
  u = (name) => h.urn(name.startsWith('hidden') ? 'secret' : 'retail', name);
  wf = (n) => `dataos://workflow:public/${h.id}-wf${n}`;
  for (const n of [1, 2, 3]) {
    const r = await h.gql(
      'bob',
      'mutation ($n: String!) { upsertResource(input: { kind: WORKFLOW, name: $n }) { urn } }',
      { n: `${h.id}-wf${n}` },
    );
    expect(r.errors).toBeUndefined();
  }
  const cols = [
    { name: 'id', type: 'bigint' },
    { name: 'amount', type: 'decimal' },
    { name: 'total', type: 'decimal' },
  ];
  const ing = await h.gql('bob', INGEST, {
    input: {
      source: { name: h.id },
      datasets: [
        dataset(h, 'retail', 'src_a', {}, cols),
        dataset(h, 'retail', 'src_b', {}, cols),
        dataset(h, 'retail', 'mid_c', {}, cols),
        dataset(h, 'retail', 'out_d', {}, cols),
        dataset(h, 'retail', 'final_e', {}, cols),
        dataset(h, 'retail', 'behind_f', {}, cols),
        dataset(h, 'secret', 'hidden_h', {}, cols),
      ],
    },
  });
  expect(ing.errors).toBeUndefined();
  const add = async (up: string, down: string, via: number, columns: unknown[] = []) => {
    const res = await h.gql('bob', ADD, {
      input: { upstream: u(up), downstream: u(down), via: wf(via), job: `job-${via}`, columns },
    });
    expect(res.errors).toBeUndefined();
  };
  await add('src_a', 'mid_c', 1, [{ upstream: 'id', downstream: 'id', transformation: 'copy' }]);
  await add('src_b', 'mid_c', 1, [{ upstream: 'amount', downstream: 'total', transformation: 'sum(amount)' }]);
  await add('mid_c', 'out_d', 2);
  await add('mid_c', 'hidden_h', 2);
  await add('out_d', 'final_e', 3);
  await add('hidden_h', 'behind_f', 3);
});

afterAll(() => h?.stop());

describe('lineage', () => {
  it('goes downstream to depth N with the workflows in between', async () => {
    const l = await lineage('bob', u('src_a'), 'DOWNSTREAM', 2);
    expect(nodes(l)).toEqual(['D1 retail/mid_c', 'D2 retail/out_d', 'D2 secret/hidden_h']);
    expect(edges(l).sort()).toEqual([
      'retail/mid_c -> retail/out_d',
      'retail/mid_c -> secret/hidden_h',
      'retail/src_a -> retail/mid_c',
    ]);
    expect(l!.workflows.map((w) => w.urn)).toEqual([wf(1), wf(2)]);
    expect(l!.edges.find((e) => e.upstreamUrn === u('src_a'))).toMatchObject({
      viaUrn: wf(1),
      job: 'job-1',
      columns: [{ upstream: { name: 'id' }, downstream: { name: 'id' }, transformation: 'copy' }],
    });
    const deep = await lineage('bob', u('src_a'), 'DOWNSTREAM', 10);
    expect(nodes(deep)).toEqual([
      'D1 retail/mid_c',
      'D2 retail/out_d',
      'D2 secret/hidden_h',
      'D3 retail/behind_f',
      'D3 retail/final_e',
    ]);
  });

  it('goes upstream, and both ways', async () => {
    const up = await lineage('bob', u('final_e'), 'UPSTREAM', 10);
    expect(nodes(up)).toEqual(['U1 retail/out_d', 'U2 retail/mid_c', 'U3 retail/src_a', 'U3 retail/src_b']);
    expect(up!.edges.find((e) => e.upstreamUrn === u('src_b'))?.columns).toEqual([
      { upstream: { name: 'amount' }, downstream: { name: 'total' }, transformation: 'sum(amount)' },
    ]);
    const both = await lineage('bob', u('mid_c'), 'BOTH', 1);
    expect(nodes(both)).toEqual(['D1 retail/out_d', 'D1 secret/hidden_h', 'U1 retail/src_a', 'U1 retail/src_b']);
    expect(both!.workflows.map((w) => w.urn)).toEqual([wf(1), wf(2)]);
  });

  it('hides a dataset the caller may not read, and what is reachable only through it', async () => {
    const l = await lineage('alice', u('src_a'), 'DOWNSTREAM', 10);
    expect(nodes(l)).toEqual(['D1 retail/mid_c', 'D2 retail/out_d', 'D3 retail/final_e']);
    expect(edges(l).sort()).toEqual([
      'retail/mid_c -> retail/out_d',
      'retail/out_d -> retail/final_e',
      'retail/src_a -> retail/mid_c',
    ]);
    const text = JSON.stringify(l);
    expect(text).not.toContain('hidden_h');
    expect(text).not.toContain('behind_f');
    const up = await lineage('alice', u('behind_f'), 'UPSTREAM', 10);
    expect(up!.nodes).toEqual([]);
    expect(up!.edges).toEqual([]);
    // the hidden dataset itself does not exist for alice
    expect(await lineage('alice', u('hidden_h'), 'BOTH', 3)).toBeNull();
    const outputs = await h.gql<{ resource: { inputs: { urn: string }[]; outputs: { urn: string }[] } }>(
      'alice',
      'query ($u: ID!) { resource(urn: $u) { inputs { urn } outputs { urn } } }',
      { u: wf(2) },
    );
    expect(outputs.data?.resource).toEqual({ inputs: [{ urn: u('mid_c') }], outputs: [{ urn: u('out_d') }] });
  });

  it('resolves lineage as a field of many datasets in one request', async () => {
    const res = await h.gql<{ datasets: { edges: { node: { urn: string; lineage: { nodes: unknown[] } } }[] } }>(
      'alice',
      `query ($s: String!) { datasets(first: 20, filter: { source: $s }) { edges { node {
         urn lineage(direction: DOWNSTREAM, depth: 1) { nodes { dataset { urn } } } } } } }`,
      { s: h.id },
    );
    expect(res.errors).toBeUndefined();
    const byUrn = Object.fromEntries(
      res.data!.datasets.edges.map((e) => [e.node.urn.split('/').at(-1), e.node.lineage.nodes.length]),
    );
    expect(byUrn).toEqual({ behind_f: 0, final_e: 0, mid_c: 1, out_d: 1, src_a: 1, src_b: 1 });
  });

  it('refuses a depth beyond the cap and an invalid URN', async () => {
    const deep = await h.gql('bob', LINEAGE, { urn: u('src_a'), direction: 'DOWNSTREAM', depth: 11 });
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'depth' });
    const bad = await h.gql('bob', LINEAGE, { urn: 'icebase/retail/x', direction: 'DOWNSTREAM', depth: 1 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'urn' });
  });

  it('adds lineage idempotently and validates every reference, writing nothing on error', async () => {
    const again = await h.gql('bob', ADD, {
      input: { upstream: u('src_a'), downstream: u('mid_c'), via: wf(1), job: 'job-1' },
    });
    expect(again.errors).toBeUndefined();
    expect((await lineage('bob', u('mid_c'), 'UPSTREAM', 1))!.edges).toHaveLength(2);

    const cases: [User, Record<string, unknown>, string, string][] = [
      ['bob', { upstream: u('nope'), downstream: u('final_e') }, 'NOT_FOUND', 'input.upstream'],
      [
        'bob',
        { upstream: u('src_a'), downstream: u('final_e'), via: `resource://workflow/public/${h.id}-nope` },
        'NOT_FOUND',
        'input.via',
      ],
      [
        'bob',
        { upstream: u('src_a'), downstream: u('final_e'), columns: [{ upstream: 'nope', downstream: 'id' }] },
        'NOT_FOUND',
        'input.columns[0].upstream',
      ],
      ['bob', { upstream: u('src_a'), downstream: u('src_a') }, 'BAD_USER_INPUT', 'input.downstream'],
      ['bob', { upstream: 'dataos://bad', downstream: u('final_e') }, 'BAD_USER_INPUT', 'input.upstream'],
      ['bob', { upstream: u('src_a'), downstream: u('final_e'), via: 'workflow-x' }, 'BAD_USER_INPUT', 'input.via'],
      ['alice', { upstream: u('src_a'), downstream: u('final_e') }, 'FORBIDDEN', 'input.downstream'],
      ['alice', { upstream: u('hidden_h'), downstream: u('final_e') }, 'NOT_FOUND', 'input.upstream'],
    ];
    for (const [user, input, code, field] of cases) {
      const res = await h.gql(user, ADD, { input });
      expect(errorCodes(res), JSON.stringify(input)).toEqual([code]);
      expect(res.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(nodes(await lineage('bob', u('final_e'), 'UPSTREAM', 1))).toEqual(['U1 retail/out_d']);
  });
});
