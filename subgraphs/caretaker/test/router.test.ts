import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INGEST_CLUSTER_EVENTS,
  createPolicies,
  errorCodes,
  graphql,
  startTestSupergraph,
  tokenFor,
  uniqueId,
  type TestSupergraph,
} from '@dataos/testkit';
import { seedCatalog } from '@dataos/metis';
import { podEventInput, seedPolicy } from '../../../packages/testkit/src/caretaker.js';
import { seedCaretaker } from '../src/seed.js';

// The "done when": through the router, bob (operator) sees the demo pods with their
// states, history and aggregates, and the pods of a Metis workflow (federated Resource.pods);
// alice gets an authorization error at those fields while the rest of her query still answers.
// (Pages are small: the router's cost limit refuses pods(first: 50) × history(first: 100).)
// Heimdall runs with the policies of its real seed (not copies), so a seed that drifts fails here.

// A workflow of this run only, in the shared Neo4j (deleted at the end).
const id = uniqueId('ct');
const WORKFLOW = { kind: 'WORKFLOW' as const, workspace: 'retail', name: `${id}-orders-ingest` };
const WORKFLOW_URN = `dataos://workflow:retail/${WORKFLOW.name}`;

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
  await createPolicies(sg.heimdallUrl, [seedPolicy('caretaker-operators'), seedPolicy('metis-api-users')]);
  await seedCaretaker(sg.mongo.caretaker);
  await seedCatalog(sg.neo4j, {
    people: {},
    domains: [],
    glossary: [],
    sources: [],
    datasets: [],
    lineage: [],
    runs: [],
    resources: [
      {
        ...WORKFLOW,
        version: 'v1',
        state: 'active',
        description: 'Test workflow.',
        owner: `teams:id:${id}-team`,
        tags: ['dataos:type:workflow'],
      },
    ],
  });
}, 120_000);
afterAll(async () => {
  await sg?.neo4j.driver.executeQuery(
    `MATCH (n) WHERE (n:Resource OR n:Owner) AND (coalesce(n.urn, '') CONTAINS $id OR coalesce(n.id, '') CONTAINS $id) DETACH DELETE n`,
    { id },
    { database: sg.neo4j.database },
  );
  await sg?.stop();
});

const QUERY = /* GraphQL */ `
  {
    whoami {
      id
    }
    pods(first: 10, filter: { resourceUrn: "dataos://workflow:retail/orders-ingest" }) {
      totalCount
      edges {
        node {
          name
          phase
          nodeName
          restarts
          history(first: 20) {
            edges {
              node {
                phase
              }
            }
          }
        }
      }
    }
    podAggregates {
      total
      byPhase {
        phase
        count
      }
      byNode {
        nodeName
        pressure
        cpuRequestedRatio
      }
    }
  }
`;

const RESOURCE_PODS = /* GraphQL */ `
  query ($urn: ID!) {
    resource(urn: $urn) {
      urn
      kind
      workspace
      name
      state
      pods(first: 10) {
        totalCount
        edges {
          node {
            name
            phase
            resource {
              urn
              name
            }
          }
        }
      }
    }
  }
`;

type ResourcePods = {
  resource: {
    urn: string;
    kind: string;
    name: string;
    pods: {
      totalCount: number;
      edges: { node: { name: string; phase: string; resource: { urn: string; name: string } | null } }[];
    } | null;
  } | null;
};

describe('Caretaker through the router', () => {
  it('bob (operator) sees the demo pods, their history and aggregates', async () => {
    const res = await graphql<{
      pods: { totalCount: number; edges: { node: { history: { edges: unknown[] } } }[] };
      podAggregates: { total: number };
    }>(sg.url, QUERY, { token: await tokenFor('bob') });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data?.pods.totalCount).toBe(3);
    expect(res.data?.pods.edges.every((e) => e.node.history.edges.length >= 3)).toBe(true);
    expect(res.data?.podAggregates.total).toBe(19);
  });

  it('bob ingests the pods of a Metis workflow (seed policy grants write) and sees them on the Resource', async () => {
    const bob = await tokenFor('bob');
    const at = new Date(Date.now() - 60_000);
    // One pod names the workflow in the resource:// alias form: stored canonical, it joins all the same.
    const pods = [
      podEventInput({
        type: 'ADDED',
        rv: 90_001,
        at,
        namespace: 'retail',
        name: `${id}-run-1`,
        phase: 'RUNNING',
        node: 'node-a',
        urn: WORKFLOW_URN,
      }),
      podEventInput({
        type: 'ADDED',
        rv: 90_002,
        at,
        namespace: 'retail',
        name: `${id}-run-2`,
        phase: 'FAILED',
        node: 'node-b',
        urn: `resource://workflow/retail/${WORKFLOW.name}`,
      }),
    ];
    const ingested = await graphql(sg.url, INGEST_CLUSTER_EVENTS, { token: bob, variables: { input: { pods } } });
    expect(ingested.errors, JSON.stringify(ingested.errors)).toBeUndefined();
    expect(ingested.data).toEqual({ ingestEvents: { received: 2, applied: 2, stale: 0, duplicates: 0, recorded: 2 } });

    const res = await graphql<ResourcePods>(sg.url, RESOURCE_PODS, { token: bob, variables: { urn: WORKFLOW_URN } });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data?.resource).toMatchObject({ urn: WORKFLOW_URN, kind: 'WORKFLOW', name: WORKFLOW.name });
    expect(res.data?.resource?.pods).toEqual({
      totalCount: 2,
      edges: [
        { node: { name: `${id}-run-1`, phase: 'RUNNING', resource: { urn: WORKFLOW_URN, name: WORKFLOW.name } } },
        { node: { name: `${id}-run-2`, phase: 'FAILED', resource: { urn: WORKFLOW_URN, name: WORKFLOW.name } } },
      ],
    });
  });

  it('alice (data-dev) is refused at the Caretaker fields; whoami still answers', async () => {
    const res = await graphql<{ whoami: { id: string } | null; pods: unknown }>(sg.url, QUERY, {
      token: await tokenFor('alice'),
    });
    expect(res.data?.whoami, JSON.stringify(res)).toEqual({ id: 'users:id:alice' });
    expect(res.data?.pods ?? null).toBeNull();
    const codes = errorCodes(res);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 'FORBIDDEN' || c === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
    expect(res.errors?.map((e) => e.path?.[0]).sort()).toEqual(['podAggregates', 'pods']);
  });

  it('alice gets the workflow from Metis and an authorization error exactly at Resource.pods', async () => {
    const res = await graphql<ResourcePods>(sg.url, RESOURCE_PODS, {
      token: await tokenFor('alice'),
      variables: { urn: WORKFLOW_URN },
    });
    expect(res.data?.resource, JSON.stringify(res)).toMatchObject({
      urn: WORKFLOW_URN,
      kind: 'WORKFLOW',
      name: WORKFLOW.name,
      pods: null,
    });
    expect(res.errors?.map((e) => e.path)).toEqual([['resource', 'pods']]);
    expect(errorCodes(res).every((c) => c === 'FORBIDDEN' || c === 'UNAUTHORIZED_FIELD_OR_TYPE')).toBe(true);
    expect(JSON.stringify(res.data)).not.toContain(`${id}-run-1`);
  });
});
