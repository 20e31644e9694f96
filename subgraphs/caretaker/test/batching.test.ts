import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { HeimdallClient } from '@dataos/heimdall-client';
import { INGEST_CLUSTER_EVENTS, graphql, nodeEventInput, podEventInput, tokenFor } from '@dataos/testkit';
import { LocalFolderArchiveStore } from '../src/archive/store.js';
import { LIVE_COLLECTION } from '../src/live/feed.js';
import { createCaretakerSubgraph } from '../src/server.js';
import { listPodsGrouped } from '../src/store/pods.js';
import { eventsFromInput } from '../src/validate.js';
import { startStack, type Stack } from './stack.js';

// N+1: a page of N parents (nodes, resources, pods) must cost a constant number of MongoDB
// commands, counted with the driver's command monitoring on a real FerretDB connection.

const NODES = 6;
let stack: Stack;
let client: MongoClient;
let url: string;
let stop: () => Promise<void>;
let bob: string;
const commands: CommandStartedEvent[] = [];
const urn = (i: number) => `dataos://workflow:retail/wf-${i}`;

beforeAll(async () => {
  stack = await startStack();
  bob = await tokenFor('bob');
  const at = new Date(Date.now() - 3_600_000);
  const nodes = Array.from({ length: NODES }, (_, i) =>
    nodeEventInput({ type: 'ADDED', rv: 10 + i, at, name: `node-${i}` }),
  );
  // Two pods per node (each of its own workflow, wf-i), three events each.
  const pods = Array.from({ length: NODES }, (_, i) =>
    [0, 1].flatMap((j) =>
      (['PENDING', 'RUNNING', 'SUCCEEDED'] as const).map((phase, k) =>
        podEventInput({
          type: k === 0 ? 'ADDED' : 'MODIFIED',
          rv: 100 + i * 10 + j * 3 + k,
          at: new Date(at.getTime() + k * 60_000),
          namespace: 'retail',
          name: `pod-${i}-${j}`,
          phase,
          node: `node-${i}`,
          urn: urn(i),
        }),
      ),
    ),
  ).flat();
  const res = await graphql(stack.url, INGEST_CLUSTER_EVENTS, { token: bob, variables: { input: { nodes, pods } } });
  expect(res.errors).toBeUndefined();

  // A second Caretaker on the same database, through a client that reports every command.
  client = new MongoClient(process.env.MONGO_URL!, { monitorCommands: true });
  await client.connect();
  // The live feed's reader polls in the background on the same client: not the query's cost.
  client.on('commandStarted', (e) => {
    if (!String(e.command[e.commandName]).startsWith(`${LIVE_COLLECTION}_`) && e.commandName !== 'listCollections')
      commands.push(e);
  });
  const db = client.db(stack.caretaker.collections.db.databaseName);
  const caretaker = await createCaretakerSubgraph({
    mongo: { client, db, close: () => client.close(), ping: async () => void (await db.command({ ping: 1 })) },
    heimdall: new HeimdallClient({ url: stack.heimdallUrl }),
    archive: new LocalFolderArchiveStore(stack.archiveDir),
  });
  const running = await caretaker.listen(0);
  url = running.url;
  stop = async () => {
    await running.stop();
    await caretaker.close();
  };
}, 60_000);

afterAll(async () => {
  await stop?.();
  await client?.close();
  await stack?.stop();
});

/** MongoDB commands one query costs. */
async function cost(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ commands: string[]; data: unknown }> {
  commands.length = 0;
  const res = await graphql(url, query, { token: bob, variables });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return { commands: commands.map((c) => c.commandName).sort(), data: res.data };
}

describe('batching: constant MongoDB commands for N parents', () => {
  it('ComputeNode.pods and Pod.history', async () => {
    const q = `query ($first: Int) { nodes { name pods(first: $first) { totalCount edges { node { name history(first: 10) { edges { node { phase } } } } } } } }`;
    const few = await cost(
      `{ node(name: "node-0") { name pods { totalCount edges { node { name history(first: 10) { edges { node { phase } } } } } } } }`,
    );
    const all = await cost(q, { first: 5 });
    type Nodes = {
      nodes: {
        name: string;
        pods: { totalCount: number; edges: { node: { name: string; history: { edges: unknown[] } } }[] };
      }[];
    };
    const nodes = (all.data as Nodes).nodes;
    expect(nodes).toHaveLength(NODES);
    for (const [i, n] of nodes.entries()) {
      expect(n.pods.totalCount).toBe(2);
      expect(n.pods.edges.map((e) => [e.node.name, e.node.history.edges.length])).toEqual([
        [`pod-${i}-0`, 3],
        [`pod-${i}-1`, 3],
      ]);
    }
    // One node or six: the same commands (node, pods page, pod counts, history).
    expect(all.commands).toEqual(few.commands);
    expect(all.commands.length).toBeLessThanOrEqual(4);
  });

  it('Resource.pods (entity resolution of N resources)', async () => {
    const q = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Resource { urn pods(first: 1) { totalCount edges { node { name } } } } } }`;
    const representations = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: 'Resource', urn: urn(i) }));
    const one = await cost(q, { r: representations(1) });
    const six = await cost(q, { r: representations(NODES) });
    type Entities = { _entities: { urn: string; pods: { totalCount: number; edges: { node: { name: string } }[] } }[] };
    expect(
      (six.data as Entities)._entities.map((e) => [e.pods.totalCount, e.pods.edges.map((x) => x.node.name)]),
    ).toEqual(Array.from({ length: NODES }, (_, i) => [2, [`pod-${i}-0`]]));
    expect(six.commands).toEqual(one.commands);
    expect(six.commands.length).toBeLessThanOrEqual(2);
  });

  it('a parent cut short by the read cap is read on its own: pages stay exact', async () => {
    // wf-0 gets 5 more pods: for [wf-0, wf-1] with first 2, the cap (2 × 3 pods) is all wf-0's.
    const at = new Date(Date.now() - 60_000);
    const more = Array.from({ length: 5 }, (_, j) =>
      podEventInput({ rv: 500 + j, at, namespace: 'retail', name: `pod-0-x${j}`, phase: 'RUNNING', urn: urn(0) }),
    );
    await stack.caretaker.ingest(eventsFromInput({ pods: more as never }));
    const pages = await listPodsGrouped(
      stack.caretaker.collections,
      'resourceUrn',
      [urn(0), urn(1)],
      { deleted: false },
      2,
      null,
    );
    const summary = (v: string) => {
      const p = pages.get(v)!;
      return { names: p.items.map((i) => i.node.name), hasNextPage: p.hasNextPage, totalCount: p.totalCount };
    };
    expect(summary(urn(0))).toEqual({ names: ['pod-0-0', 'pod-0-1'], hasNextPage: true, totalCount: 7 });
    expect(summary(urn(1))).toEqual({ names: ['pod-1-0', 'pod-1-1'], hasNextPage: false, totalCount: 2 });
  });
});
