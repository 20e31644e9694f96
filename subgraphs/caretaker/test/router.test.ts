import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARETAKER_OPERATORS_POLICY, createPolicies, errorCodes, graphql, startTestSupergraph, tokenFor, type TestSupergraph } from '@dataos/testkit';
import { seedCaretaker } from '../src/seed.js';

// The "done when": through the router, bob (operator) sees the demo pods with their
// states, history and aggregates; alice gets an authorization error at those fields while the
// rest of her query still answers.
let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
  await createPolicies(sg.heimdallUrl, [CARETAKER_OPERATORS_POLICY]);
  await seedCaretaker(sg.mongo.caretaker);
});
afterAll(async () => {
  await sg?.stop();
});

const QUERY = /* GraphQL */ `
  {
    whoami { id }
    pods(first: 50, filter: { resourceUrn: "dataos://workflow:retail/orders-ingest" }) {
      totalCount
      edges { node { name phase nodeName restarts history { edges { node { phase } } } } }
    }
    podAggregates { total byPhase { phase count } byNode { nodeName pressure cpuRequestedRatio } }
  }
`;

describe('Caretaker through the router', () => {
  it('bob (operator) sees the demo pods, their history and aggregates', async () => {
    const res = await graphql<{ pods: { totalCount: number; edges: { node: { history: { edges: unknown[] } } }[] }; podAggregates: { total: number } }>(
      sg.url,
      QUERY,
      { token: await tokenFor('bob') },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data?.pods.totalCount).toBe(3);
    expect(res.data?.pods.edges.every((e) => e.node.history.edges.length >= 3)).toBe(true);
    expect(res.data?.podAggregates.total).toBe(19);
  });

  it('alice (data-dev) is refused at the Caretaker fields; whoami still answers', async () => {
    const res = await graphql<{ whoami: { id: string } | null; pods: unknown }>(sg.url, QUERY, { token: await tokenFor('alice') });
    expect(res.data?.whoami, JSON.stringify(res)).toEqual({ id: 'users:id:alice' });
    expect(res.data?.pods ?? null).toBeNull();
    const codes = errorCodes(res);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'FORBIDDEN' || c === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
    expect(res.errors?.map((e) => e.path?.[0]).sort()).toEqual(['podAggregates', 'pods']);
  });
});
