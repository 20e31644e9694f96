import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDevToken } from '@dataos/devstack';
import { INGEST_CLUSTER_EVENTS, graphql, podEventInput, tokenFor, uniqueId, type TestPodEvent } from '@dataos/testkit';
import { startCaretakerStack, type CaretakerStack } from './support/caretaker-stack.js';
import { httpSubscribe, wsClient } from './support/live-clients.js';

// Caretaker's podEvents through the router, against the real subgraphs: two Caretaker replicas
// on one database, router 0 in front of replica 0 and router 1 in front of replica 1.

const EVENTS = `subscription ($filter: PodEventFilter, $after: String) {
  podEvents(filter: $filter, after: $after) {
    cursor name phase resource { urn name owner { id } }
  }
}`;

type Notice = {
  cursor: string;
  name: string;
  phase: string;
  resource: { urn: string; name: string; owner: { id: string } };
};

let stack: CaretakerStack;
let bob: string;
let alice: string;

beforeAll(async () => {
  stack = await startCaretakerStack();
  [bob, alice] = await Promise.all([tokenFor('bob'), tokenFor('alice')]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const subscribers = () => stack.caretakers.reduce((n, c) => n + c.subgraph.live.subscriberCount, 0);
async function whenSubscribers(n: number) {
  for (let i = 0; i < 400 && subscribers() < n; i++) await new Promise((r) => setTimeout(r, 25));
  expect(subscribers()).toBeGreaterThanOrEqual(n);
}

const at = new Date();
const pod = (namespace: string, name: string, rv: number, phase: TestPodEvent['phase']): TestPodEvent => ({
  namespace,
  name,
  rv,
  at,
  phase,
  node: 'node-1',
  urn: stack.workflow.urn,
});

/** Ingests at Caretaker replica `i` directly, as the cluster agent does. */
async function ingest(i: number, pods: TestPodEvent[]) {
  const res = await graphql(stack.caretakers[i]!.url, INGEST_CLUSTER_EVENTS, {
    token: bob,
    variables: { input: { pods: pods.map(podEventInput) } },
  });
  expect(res.errors).toBeUndefined();
}

describe("Caretaker's podEvents through the router", () => {
  it('reaches bob on both routers, in order, with Metis fields joined, whichever replica ingested it', async () => {
    const ns = uniqueId('rsub-');
    const before = subscribers();
    const ws = wsClient(stack.routers[0]!.url, bob);
    const overWs = ws.subscribe(EVENTS, { filter: { namespace: ns } });
    const overSse = await httpSubscribe(
      stack.routers[1]!.url,
      'sse',
      { query: EVENTS, variables: { filter: { namespace: ns } } },
      { authorization: `Bearer ${bob}` },
    );
    expect(overSse.status, overSse.raw()).toBe(200);
    await whenSubscribers(before + 2);
    // Ingested at replica 1: router 0's subscriber is fed by replica 0.
    await ingest(1, [pod(ns, 'a', 1, 'PENDING'), pod(ns, 'a', 2, 'RUNNING')]);
    await ingest(0, [pod(ns, 'a', 3, 'SUCCEEDED')]);
    for (const received of [overWs, overSse]) {
      const results = await received.take(3, 15_000);
      const notices = results.map((r) => r.data?.podEvents as Notice);
      expect(notices.map((n) => n.phase)).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
      expect(notices[0]!.resource).toEqual({
        urn: stack.workflow.urn,
        name: stack.workflow.name,
        owner: { id: stack.workflow.owner },
      });
      expect(results.every((r) => r.errors === undefined)).toBe(true);
    }
    // SSE event ids are the notices' cursors, in order.
    expect(overSse.ids).toEqual(overSse.results.map((r) => (r.data?.podEvents as Notice).cursor));
    overWs.cancel();
    overSse.cancel();
    await ws.dispose();
  });

  it("refuses alice's subscribe at podEvents and opens nothing at Caretaker", async () => {
    const connections = () => stack.caretakers.map((c) => c.subgraph.subscriptions?.connections ?? 0);
    // The sockets of the test before close first.
    for (let i = 0; i < 200 && connections().some((n) => n > 0); i++) await new Promise((r) => setTimeout(r, 25));
    const before = connections();
    expect(before).toEqual([0, 0]);
    const ws = wsClient(stack.routers[0]!.url, alice);
    const ended = await ws.subscribe(EVENTS, { filter: { namespace: 'x' } }).ended;
    const errors = (ended as { error: { extensions: { code: string } }[] }).error;
    expect(errors.map((e) => e.extensions.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(connections()).toEqual(before);
    await ws.dispose();
  });

  it('ends the subscription when the token expires: UNAUTHENTICATED, then close 4401', async () => {
    const short = (await fetchDevToken('bob', { ttlSec: 3 })).access_token;
    const ws = wsClient(stack.routers[0]!.url, short);
    const received = ws.subscribe(EVENTS, { filter: { namespace: uniqueId('exp-') } });
    const ended = await received.ended;
    const errors = (ended as { error: { message: string; extensions: { code: string } }[] }).error;
    expect(errors[0]).toMatchObject({ message: 'The token expired.', extensions: { code: 'UNAUTHENTICATED' } });
    expect((await ws.closed).code).toBe(4401);
  }, 20_000);
});
